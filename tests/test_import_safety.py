"""Imports show and protect what they change: the change summary, dry runs, layers a source leaves
out, the deletion limit, document ids that name nothing but corpus documents, Label Studio's
drafts, notes and predictions, and a located ``FormatError`` (never a traceback) for any
malformed input. The fixtures are made here from the project's corpus or invented text."""

from __future__ import annotations

import copy
import json
import shutil

import pytest
from helpers import CORPUS, annotation_files, annotations_of, document_ids, read_json, run, tree_bytes, unannotated_word

from newsspans import atomic
from newsspans.formats import FormatError, ImportOptions, ImportRefused, import_
from newsspans.formats import labelstudio as ls
from newsspans.formats.base import open_corpus
from newsspans.labels import ENTITY_LABELS

DOC = "000_1936301ef05f6424"
LAYER_NAMES = {"entities": "entity mentions", "quotes": "quotes", "claims": "claims"}


@pytest.fixture
def brat_dir(tmp_path, corpus_copy):
    code, out, err = run("export", "brat", "--corpus", corpus_copy, "--out", tmp_path / "brat")
    assert code == 0, err
    return tmp_path / "brat"


@pytest.fixture
def tasks_file(tmp_path, corpus_copy):
    code, out, err = run("export", "labelstudio", "--corpus", corpus_copy, "--out", tmp_path / "ls")
    assert code == 0, err
    return tmp_path / "ls" / "tasks.json"


def corpus_state(corpus):
    """Every file of the corpus folder, and what lies beside it (nothing may be written outside)."""
    return tree_bytes(corpus.parent)


# --- brat: which layer each line of a .ann belongs to -------------------------------------------


def ann_layers(ann_text: str) -> list[tuple[str, str]]:
    """(layer, line) for every line of a .ann file as NewsSpans writes it."""
    lines = [line for line in ann_text.split("\n") if line]
    layer_of: dict[str, str] = {}
    for line in lines:
        aid, head = line.split("\t")[:2]
        if aid.startswith("T"):
            kind = head.split()[0]
            layer_of[aid] = "entities" if kind in ENTITY_LABELS else "claims" if kind == "Claim" else "quotes"
        elif aid.startswith("E"):
            layer_of[aid] = "quotes"
    out = []
    for line in lines:
        aid, head = line.split("\t")[:2]
        out.append((layer_of[aid] if aid in layer_of else layer_of[head.split()[1]], line))
    return out


def keep_layers(brat_dir, doc, layers):
    path = brat_dir / f"{doc}.ann"
    kept = [line for layer, line in ann_layers(path.read_text(encoding="utf-8")) if layer in layers]
    path.write_text("".join(line + "\n" for line in kept), encoding="utf-8")


def brat_lines(brat_dir, doc=DOC):
    return (brat_dir / f"{doc}.ann").read_text(encoding="utf-8").split("\n")


def write_brat_lines(brat_dir, lines, doc=DOC):
    (brat_dir / f"{doc}.ann").write_text("\n".join(lines), encoding="utf-8")


def first_date(corpus):
    """The first DATE mention of DOC: relabelled TIME, it is a valid change (neither has an entity_id)."""
    return next(m for m in read_json(corpus / "annotations" / f"{DOC}.json")["entities"] if m["label"] == "DATE")


def relabel(brat_dir, mention, label):
    lines = brat_lines(brat_dir)
    head = f"\t{mention['label']} {mention['start']} {mention['end']}\t{mention['text']}"
    number = next(k for k, line in enumerate(lines) if line.startswith("T") and line.endswith(head))
    lines[number] = lines[number].replace(head, f"\t{label} {mention['start']} {mention['end']}\t{mention['text']}")
    write_brat_lines(brat_dir, lines)


def drop_entities(brat_dir, n, doc=DOC):
    """Delete the first ``n`` entity mentions (their T line, normalizations and note) from the .ann."""
    lines = [line for line in brat_lines(brat_dir, doc) if line]
    gone = {line.split("\t")[0] for layer, line in ann_layers("\n".join(lines)) if layer == "entities" and line.startswith("T")}
    gone = set(sorted(gone, key=lambda t: int(t[1:]))[:n])
    kept = [line for line in lines if line.split("\t")[0] not in gone
            and (line.startswith(("T", "E")) or line.split("\t")[1].split()[1] not in gone)]
    write_brat_lines(brat_dir, kept + [""], doc)
    return len(gone)


# --- Label Studio: the items of one layer of a task ---------------------------------------------

CONTROL = {"entities": "entity", "quotes": "quote", "claims": "claim"}


def load_tasks(tasks_file):
    return json.loads(tasks_file.read_text(encoding="utf-8"))


def save_tasks(tasks_file, tasks):
    tasks_file.write_text(json.dumps(tasks, indent=1, ensure_ascii=False), encoding="utf-8")


def task_index(tasks, doc=DOC):
    return next(k for k, t in enumerate(tasks) if t["data"]["document_id"] == doc)


def result_of(tasks, doc=DOC):
    return tasks[task_index(tasks, doc)]["annotations"][0]["result"]


def keep_ls_layers(tasks, doc, layers):
    result = result_of(tasks, doc)
    regions = {r["id"]: r["from_name"] for r in result if r["type"] == "labels"}
    controls = {CONTROL[layer] for layer in layers}

    def keep(item):
        if item["type"] == "relation":
            return "quote" in controls
        return regions[item["id"]] in controls

    result[:] = [item for item in result if keep(item)]


# --- a layer absent from the source is kept -----------------------------------------------------


def test_an_empty_ann_file_changes_nothing(brat_dir, corpus_copy):
    (brat_dir / f"{DOC}.ann").write_text("", encoding="utf-8")
    before = corpus_state(corpus_copy)
    code, out, err = run("import", "brat", brat_dir, "--corpus", corpus_copy)
    assert code == 0, err
    assert corpus_state(corpus_copy) == before
    assert "nothing changed" in out and "nothing was written" in out
    assert f"note: {brat_dir / (DOC + '.ann')}: holds no entity mentions, quotes or claims: the corpus's " in err


@pytest.mark.parametrize("layers", [{"quotes"}, {"entities"}, {"claims"}, {"entities", "claims"}])
def test_a_brat_file_with_some_layers_keeps_the_others(brat_dir, corpus_copy, layers):
    keep_layers(brat_dir, DOC, layers)
    lines = brat_lines(brat_dir)
    if "quotes" in layers:  # and a correction in the layer it holds
        number = lines.index("A1\tQuoteType E1 mixed")
        lines[number] = "A1\tQuoteType E1 indirect"
        write_brat_lines(brat_dir, lines)
    before = read_json(corpus_copy / "annotations" / f"{DOC}.json")
    code, out, err = run("import", "brat", brat_dir, "--corpus", corpus_copy)
    assert code == 0, err
    after = read_json(corpus_copy / "annotations" / f"{DOC}.json")
    for layer in ("entities", "claims"):
        assert after[layer] == before[layer]
    if "quotes" in layers:
        assert after["quotes"][0]["type"] == "indirect"
        assert [q | {"type": "mixed"} if k == 0 else q for k, q in enumerate(after["quotes"])] == before["quotes"]
        assert f"{DOC}\n  entity mentions: none in the source; the corpus's {len(before['entities'])} kept\n" \
               f"  quotes: 0 added, 0 removed, 1 changed\n    ~ q1: type 'mixed' -> 'indirect'\n" in out
    else:
        assert after == before and "nothing changed" in out
    absent = [LAYER_NAMES[x] for x in ("entities", "quotes", "claims") if x not in layers]
    assert f"holds no {absent[0]}" in err and "are kept (with --allow-deletions, a layer absent from the source is emptied)" in err


def test_an_empty_label_studio_result_changes_nothing(tasks_file, corpus_copy):
    tasks = load_tasks(tasks_file)
    result_of(tasks).clear()
    save_tasks(tasks_file, tasks)
    before = corpus_state(corpus_copy)
    code, out, err = run("import", "labelstudio", tasks_file, "--corpus", corpus_copy)
    assert code == 0, err
    assert corpus_state(corpus_copy) == before
    assert f"task at index {task_index(tasks)} (document {DOC}): holds no entity mentions, quotes or claims" in err


def test_a_label_studio_control_without_regions_is_absent(tasks_file, corpus_copy):
    tasks = load_tasks(tasks_file)
    keep_ls_layers(tasks, DOC, {"claims"})
    claim = next(r for r in result_of(tasks) if r["type"] == "labels")
    claim["value"]["labels"] = ["UFS" if claim["value"]["labels"] == ["CFS"] else "CFS"]
    save_tasks(tasks_file, tasks)
    before = read_json(corpus_copy / "annotations" / f"{DOC}.json")
    report = import_("labelstudio", src=tasks_file, corpus=corpus_copy)
    after = read_json(corpus_copy / "annotations" / f"{DOC}.json")
    assert after["entities"] == before["entities"] and after["quotes"] == before["quotes"]
    assert after["claims"][0]["label"] == claim["value"]["labels"][0] and after["claims"][1:] == before["claims"][1:]
    assert [(c.document_id, c.layer, c.kind, c.id) for c in report.changes] == [(DOC, "claims", "changed", claim["id"])]
    assert report.kept == {(DOC, "entity mentions"): len(before["entities"]), (DOC, "quotes"): len(before["quotes"])}


def test_allow_deletions_takes_the_source_as_the_whole_truth(brat_dir, corpus_copy):
    """How a user deletes every quote of a document on purpose: the file says no quotes, and
    --allow-deletions says the file is the whole truth."""
    keep_layers(brat_dir, DOC, {"entities", "claims"})
    before = read_json(corpus_copy / "annotations" / f"{DOC}.json")
    code, out, err = run("import", "brat", brat_dir, "--corpus", corpus_copy, "--allow-deletions")
    assert code == 0, err
    after = read_json(corpus_copy / "annotations" / f"{DOC}.json")
    assert after["quotes"] == [] and after["entities"] == before["entities"] and after["claims"] == before["claims"]
    assert after["issued"] == before["issued"]  # deleted ids are never issued again
    first = before["quotes"][0]
    c = first["content"]
    assert f"  quotes: 0 added, {len(before['quotes'])} removed, 0 changed\n    - {first['id']} {c['start']}-{c['end']} {first['type']} " in out
    assert f"into 1 annotation file ({len(document_ids())} documents read)" in out


# --- the change summary, dry runs, unchanged imports --------------------------------------------


def test_the_summary_lists_every_change_per_document_and_layer(brat_dir, corpus_copy):
    text = (corpus_copy / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")
    before = read_json(corpus_copy / "annotations" / f"{DOC}.json")
    date = first_date(corpus_copy)
    relabel(brat_dir, date, "TIME")
    lines = brat_lines(brat_dir)
    removed = next(m for m in before["entities"] if m["label"] == "DATE" and m["id"] != date["id"])
    tid = next(line.split("\t")[0] for line in lines if line.endswith(f"\tDATE {removed['start']} {removed['end']}\t{removed['text']}"))
    lines = [line for line in lines if not line.startswith(tid + "\t") and f" {tid}\t" not in line]
    start, end = unannotated_word(text, before)
    lines.append(f"T999\tWORK_OF_ART {start} {end}\t{text[start:end]}")
    write_brat_lines(brat_dir, lines)
    code, out, err = run("import", "brat", brat_dir, "--corpus", corpus_copy)
    assert code == 0, err
    fresh = f"m{before['issued']['entities'] + 1}"
    changes = {removed["start"]: f"    - {removed['id']} {removed['start']}-{removed['end']} DATE {removed['text']!r}",
               date["start"]: f"    ~ {date['id']}: label 'DATE' -> 'TIME'",
               start: f"    + {fresh} {start}-{end} WORK_OF_ART {text[start:end]!r}"}
    expected = "\n".join(changes[k] for k in sorted(changes))  # in text order
    assert out.startswith(f"{DOC}\n  entity mentions: 1 added, 1 removed, 1 changed\n{expected}\n"), out
    assert read_json(corpus_copy / "annotations" / f"{DOC}.json")["entities"][-1]["id"] == fresh


def test_a_dry_run_shows_the_changes_and_writes_nothing(brat_dir, corpus_copy):
    date = first_date(corpus_copy)
    relabel(brat_dir, date, "TIME")
    before = corpus_state(corpus_copy)
    code, out, err = run("import", "brat", brat_dir, "--corpus", corpus_copy, "--dry-run")
    assert code == 0, err
    assert corpus_state(corpus_copy) == before
    assert out.startswith(f"{DOC}\n  entity mentions: 0 added, 0 removed, 1 changed\n    ~ {date['id']}: label 'DATE' -> 'TIME'\n")
    others = [d for d in document_ids(corpus_copy) if d != DOC]
    assert f"unchanged: {len(others)} document{'s' if len(others) > 1 else ''} ({', '.join(others)})\n" in out
    assert out.splitlines()[-1].startswith(f"dry run: importing brat from {brat_dir} would write 1 annotation file ({len(document_ids())} documents read); nothing was written: ")
    report = import_("brat", src=brat_dir, corpus=corpus_copy, dry_run=True)
    assert report.dry_run and report.files == [corpus_copy / "annotations" / f"{DOC}.json"] and report.rewritten == [DOC]
    assert [(c.document_id, c.layer, c.kind, c.id, c.fields) for c in report.changes] == [
        (DOC, "entities", "changed", date["id"], {"label": ("DATE", "TIME")})]
    assert corpus_state(corpus_copy) == before
    code, out, err = run("import", "brat", brat_dir, "--corpus", corpus_copy)
    assert code == 0 and next(m for m in read_json(corpus_copy / "annotations" / f"{DOC}.json")["entities"]
                              if m["id"] == date["id"])["label"] == "TIME"


@pytest.mark.parametrize("fmt", ["brat", "labelstudio"])
def test_an_unchanged_reimport_changes_nothing_and_says_so(tmp_path, corpus_copy, fmt):
    out_dir = tmp_path / fmt
    assert run("export", fmt, "--corpus", corpus_copy, "--out", out_dir)[0] == 0
    before = corpus_state(corpus_copy)
    code, out, err = run("import", fmt, out_dir, "--corpus", corpus_copy)
    assert (code, err) == (0, "")
    assert corpus_state(corpus_copy) == before
    n = len(document_ids(corpus_copy))
    assert out.startswith(f"unchanged: {n} documents (")
    assert f"imported {fmt} from {out_dir}: nothing changed ({n} documents read, all as in the corpus); nothing was written: " in out
    report = import_(fmt, src=out_dir, corpus=corpus_copy)
    assert report.changes == [] and report.files == [] and report.documents == document_ids(corpus_copy)


# --- the deletion limit -------------------------------------------------------------------------


def test_deleting_more_than_the_share_is_refused_and_writes_nothing(brat_dir, corpus_copy):
    had = len(read_json(corpus_copy / "annotations" / f"{DOC}.json")["entities"])
    n = drop_entities(brat_dir, had // 2 + 1)
    before = corpus_state(corpus_copy)
    code, out, err = run("import", "brat", brat_dir, "--corpus", corpus_copy)
    assert code == 1
    assert corpus_state(corpus_copy) == before
    assert err.count("newsspans import: ") == 1 and "Traceback" not in err
    assert ("newsspans import: refused, nothing was written: 1 document layer would lose all its annotations "
                          "or more than 50% of them (--max-deletions 0.5):\n"
                          f"  {DOC} entity mentions: {n} of {had} removed ({n / had:.0%})\n") in err
    assert err.rstrip().endswith("then pass --allow-deletions to import them anyway")
    assert f"  entity mentions: 0 added, {n} removed, 0 changed\n" in out  # what it would have done
    with pytest.raises(ImportRefused) as caught:
        import_("brat", src=brat_dir, corpus=corpus_copy)
    assert caught.value.refusals == [f"{DOC} entity mentions: {n} of {had} removed ({n / had:.0%})"]
    assert len(caught.value.report.changes) == n
    # A higher limit, or --allow-deletions, lets it through.
    assert run("import", "brat", brat_dir, "--corpus", corpus_copy, "--max-deletions", "0.9", "--dry-run")[0] == 0
    code, out, err = run("import", "brat", brat_dir, "--corpus", corpus_copy, "--max-deletions", "90%")
    assert code == 0, err
    assert len(read_json(corpus_copy / "annotations" / f"{DOC}.json")["entities"]) == had - n


def test_a_dry_run_says_the_import_would_be_refused(brat_dir, corpus_copy):
    had = len(read_json(corpus_copy / "annotations" / f"{DOC}.json")["entities"])
    n = drop_entities(brat_dir, had - 1)
    code, out, err = run("import", "brat", brat_dir, "--corpus", corpus_copy, "--dry-run")
    assert code == 0, err
    assert f"an import would be refused without --allow-deletions:\n  {DOC} entity mentions: {n} of {had} removed" in out


def test_a_layer_losing_all_its_annotations_is_refused_whatever_the_share(tasks_file, corpus_copy):
    """Every region of a layer replaced by one elsewhere: all the layer's annotations are removed."""
    tasks = load_tasks(tasks_file)
    keep_ls_layers(tasks, DOC, {"entities", "quotes"})
    claims = read_json(corpus_copy / "annotations" / f"{DOC}.json")["claims"]
    text = (corpus_copy / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")
    start = text.index("Tehran")
    result_of(tasks).append({"id": "new1", "from_name": "claim", "to_name": "text", "type": "labels",
                             "value": {"start": start, "end": start + 6, "text": "Tehran", "labels": ["UFS"]}})
    save_tasks(tasks_file, tasks)
    before = corpus_state(corpus_copy)
    for limit in ("1", "0.99"):
        code, out, err = run("import", "labelstudio", tasks_file, "--corpus", corpus_copy, "--max-deletions", limit)
        assert code == 1 and f"  {DOC} claims: {len(claims)} of {len(claims)} removed (all)\n" in err
        assert corpus_state(corpus_copy) == before
    assert run("import", "labelstudio", tasks_file, "--corpus", corpus_copy, "--allow-deletions")[0] == 0
    assert [c["text"] for c in read_json(corpus_copy / "annotations" / f"{DOC}.json")["claims"]] == ["Tehran"]


def test_deleting_a_few_annotations_is_how_annotators_correct(brat_dir, corpus_copy):
    drop_entities(brat_dir, 2)
    code, out, err = run("import", "brat", brat_dir, "--corpus", corpus_copy)
    assert code == 0, err
    assert "  entity mentions: 0 added, 2 removed, 0 changed\n" in out


@pytest.mark.parametrize("bad", ["1.5", "-0.1", "half", "150%"])
def test_a_bad_max_deletions_is_a_usage_error(brat_dir, corpus_copy, bad):
    assert run("import", "brat", brat_dir, "--corpus", corpus_copy, "--max-deletions", bad)[0] == 2
    with pytest.raises(FormatError, match="max_deletions must be a share between 0 and 1"):
        import_("brat", src=brat_dir, corpus=corpus_copy, max_deletions=1.5)


# --- document ids name corpus documents only ----------------------------------------------------


@pytest.mark.parametrize("make_id", [
    lambda tmp: str(tmp / "shared" / "notes"),  # an absolute path
    lambda tmp: f"../texts/{DOC}",
    lambda tmp: f"{DOC}\n",  # `$` of a pattern accepts a trailing newline; fullmatch does not
    lambda tmp: f"{DOC}/../{DOC}",
    lambda tmp: "",
    lambda tmp: 17,
    lambda tmp: ["x"],
    lambda tmp: "999_not_in_the_corpus",
])
def test_a_label_studio_document_id_must_name_a_corpus_document(tasks_file, corpus_copy, tmp_path, make_id):
    (tmp_path / "shared").mkdir()
    tasks = load_tasks(tasks_file)
    doc_id = make_id(tmp_path)
    k = task_index(tasks)
    tasks[k]["data"]["document_id"] = doc_id
    save_tasks(tasks_file, tasks)
    before = tree_bytes(tmp_path)
    code, out, err = run("import", "labelstudio", tasks_file, "--corpus", corpus_copy)
    assert code == 1 and "Traceback" not in err and err.count("\n") == 1
    assert tree_bytes(tmp_path) == before  # nothing written anywhere: not in the corpus, not beside it
    assert f"task at index {k} (document ?): " in err
    assert ("is not a document id" in err) or ("no document '999_not_in_the_corpus' in the corpus" in err)


@pytest.mark.parametrize("name", ["bad name", "-dash", ".hidden", "999_unknown"])
def test_a_brat_file_name_must_name_a_corpus_document(brat_dir, corpus_copy, tmp_path, name):
    shutil.copy(brat_dir / f"{DOC}.ann", brat_dir / f"{name}.ann")
    before = tree_bytes(tmp_path)
    code, out, err = run("import", "brat", brat_dir, "--corpus", corpus_copy)
    assert code == 1 and "Traceback" not in err
    assert tree_bytes(tmp_path) == before
    assert f"{brat_dir / (name + '.ann')}: " in err
    assert ("is not a document id" in err) or (f"no document {name!r} in the corpus" in err)


def test_a_document_in_two_tasks_is_refused(tasks_file, corpus_copy):
    tasks = load_tasks(tasks_file)
    k = task_index(tasks)
    tasks.append(copy.deepcopy(tasks[k]))
    save_tasks(tasks_file, tasks)
    code, out, err = run("import", "labelstudio", tasks_file, "--corpus", corpus_copy)
    assert code == 1 and f"task at index {len(tasks) - 1} (document ?): document {DOC} is already in task at index {k}" in err


# --- Label Studio: drafts, region notes, predictions, tasks without an annotation ---------------


def test_drafts_and_region_notes_are_reported_not_imported(tasks_file, corpus_copy):
    tasks = load_tasks(tasks_file)
    k = task_index(tasks)
    task = tasks[k]
    task["id"] = 41
    draft_result = copy.deepcopy(task["annotations"][0]["result"])
    draft_result[0]["value"]["labels"] = ["ORG" if draft_result[0]["value"]["labels"] != ["ORG"] else "GPE"]
    task["drafts"] = [{"result": draft_result}]
    task["annotations"][0]["drafts"] = [{"result": []}, {"result": []}]
    region = task["annotations"][0]["result"][0]
    region["meta"] = {"text": ["check this span"]}
    quote = next(r for r in task["annotations"][0]["result"] if r.get("from_name") == "quote")
    quote["meta"] = {"text": "speaker unclear"}
    save_tasks(tasks_file, tasks)
    before = corpus_state(corpus_copy)
    code, out, err = run("import", "labelstudio", tasks_file, "--corpus", corpus_copy)
    assert code == 0, err
    assert corpus_state(corpus_copy) == before  # neither the draft's label nor the notes reach the corpus
    where = f"task id 41 (document {DOC})"
    assert f"note: {tasks_file}:" in err
    assert f": {where}: 1 draft not imported (unsubmitted work: submit it in Label Studio and export again)\n" in err
    assert f": {where}: 2 drafts not imported (" in err
    assert (f": {where}: 2 region notes not imported (notes are not part of the corpus): region {region['id']} ('check this span'), "
            f"region {quote['id']} ('speaker unclear')\n") in err
    assert "not imported: 3 drafts, 2 region notes (each named in a note)\n" in out
    report = import_("labelstudio", src=tasks_file, corpus=corpus_copy)
    assert report.ignored == {"drafts": [where] * 3, "region notes": [f"{where} region {region['id']}", f"{where} region {quote['id']}"]}
    lines = tasks_file.read_text(encoding="utf-8").split("\n")
    line = int(next(n for n in report.notes if "region notes" in n).split(":")[1])
    assert '"meta"' in lines[line - 1] or '"check this span"' in "\n".join(lines[line - 1:line + 2])


@pytest.mark.parametrize("annotations,why", [
    ([], ""),
    ([{"result": [], "was_cancelled": True}], ""),
    (None, ""),  # no annotations key at all
])
def test_a_task_without_an_annotation_is_skipped_with_a_note(tasks_file, corpus_copy, annotations, why):
    tasks = load_tasks(tasks_file)
    k = task_index(tasks)
    other = next(d for d in document_ids(corpus_copy) if d != DOC)
    if annotations is None:
        del tasks[k]["annotations"]
    else:
        tasks[k]["annotations"] = annotations
    region = next(r for r in result_of(tasks, other) if r.get("value", {}).get("labels") == ["DATE"])
    region["value"]["labels"] = ["TIME"]  # the other task still counts
    save_tasks(tasks_file, tasks)
    before = read_json(corpus_copy / "annotations" / f"{DOC}.json")
    code, out, err = run("import", "labelstudio", tasks_file, "--corpus", corpus_copy)
    assert code == 0, err
    assert read_json(corpus_copy / "annotations" / f"{DOC}.json") == before
    assert next(m for m in read_json(corpus_copy / "annotations" / f"{other}.json")["entities"] if m["id"] == region["id"])["label"] == "TIME"
    assert f"task at index {k} (document {DOC}): no annotation that was not cancelled: the task is skipped and its document kept as it is\n" in err


def test_predictions_are_never_taken_as_annotations(tasks_file, corpus_copy):
    tasks = load_tasks(tasks_file)
    k = task_index(tasks)
    predicted = copy.deepcopy(tasks[k]["annotations"][0])
    predicted["result"] = predicted["result"][:1]  # what a model suggests: most mentions gone
    tasks[k]["predictions"] = [predicted]
    tasks[k]["annotations"] = []
    save_tasks(tasks_file, tasks)
    before = corpus_state(corpus_copy)
    code, out, err = run("import", "labelstudio", tasks_file, "--corpus", corpus_copy)
    assert code == 0, err
    assert corpus_state(corpus_copy) == before
    assert (f"task at index {k} (document {DOC}): no annotation that was not cancelled (it holds predictions only, which are never taken "
            "as annotations): the task is skipped and its document kept as it is\n") in err
    assert f"task at index {k} (document {DOC}): 1 prediction not imported (never taken as annotations)\n" in err
    assert "not imported: 1 prediction, 1 task without an annotation (each named in a note)\n" in out


# --- malformed input: a FormatError, never a traceback -------------------------------------------


def test_brat_offsets_in_superscript_digits_are_a_format_error(brat_dir, corpus_copy):
    lines = brat_lines(brat_dir)
    number = lines.index("T4\tPERSON 79 96\tMasoud Pezeshkian")
    lines[number] = "T4\tPERSON 79 9\u00b2\tMasoud Pezeshkian"  # `str.isdigit` says yes, `int` says no
    write_brat_lines(brat_dir, lines)
    with pytest.raises(FormatError, match=rf":{number + 1}: expected 'TYPE START END' \(offsets in ASCII digits\), got 'PERSON 79 9²'"):
        import_("brat", src=brat_dir, corpus=corpus_copy)


def test_a_brat_note_in_superscript_digits_beside_a_new_mention_is_a_format_error(brat_dir, corpus_copy):
    lines = brat_lines(brat_dir)
    lines[lines.index("#1\tAnnotatorNotes T1\tm1")] = "#1\tAnnotatorNotes T1\tm1\u00b2"
    lines.append("T999\tPERSON 35 48\tSergei Shoigu")  # needs a fresh id, counted past every id in use
    write_brat_lines(brat_dir, lines)
    with pytest.raises(FormatError, match=r'\[E-SCHEMA\] #1 AnnotatorNotes T1: "m1²" does not match the pattern'):
        import_("brat", src=brat_dir, corpus=corpus_copy)


def test_a_label_studio_relation_with_a_list_for_an_id_is_a_format_error(tasks_file, corpus_copy):
    tasks = load_tasks(tasks_file)
    relation = next(r for r in result_of(tasks) if r["type"] == "relation")
    relation["from_id"] = [relation["from_id"]]
    save_tasks(tasks_file, tasks)
    with pytest.raises(FormatError, match=r"a relation's from_id and to_id must be region ids; got \['q1.speaker'\] -> 'q1'"):
        import_("labelstudio", src=tasks_file, corpus=corpus_copy)


WRONG = [None, True, -1, 2.5, 10**30, "x", [], ["x"], {"a": 1}]


def paths_of(value, path=()):
    """Every path into a JSON value (keys and indices), the value itself first."""
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths_of(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from paths_of(v, (*path, i))


def set_at(value, path, new):
    for step in path[:-1]:
        value = value[step]
    value[path[-1]] = new


def test_any_wrongly_typed_field_of_a_task_is_a_format_error_or_fine(tmp_path, corpus_copy):
    """Every value of a small task (every region kind, a relation) replaced by each wrongly typed
    value in turn: the import succeeds or raises FormatError, and writes nothing when it fails."""
    text = (corpus_copy / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")
    ann = read_json(corpus_copy / "annotations" / f"{DOC}.json")
    m, q, c = ann["entities"][3], next(x for x in ann["quotes"] if x["speaker"] and x["cue"]), ann["claims"][0]
    result = [
        {"id": m["id"], "from_name": "entity", "to_name": "text", "type": "labels",
         "value": {"start": m["start"], "end": m["end"], "text": m["text"], "labels": [m["label"]]}, "meta": {"text": ["n"]}},
        {"id": m["id"], "from_name": "entity_id", "to_name": "text", "type": "textarea", "value": {"text": [m["entity_id"]]}},
        {"id": q["id"], "from_name": "quote", "to_name": "text", "type": "labels",
         "value": {"start": q["content"]["start"], "end": q["content"]["end"], "text": q["content"]["text"], "labels": ["Quote"]}},
        {"id": q["id"], "from_name": "quote_type", "to_name": "text", "type": "choices", "value": {"choices": [q["type"]]}},
        {"id": "sp", "from_name": "quote", "to_name": "text", "type": "labels",
         "value": {"start": q["speaker"]["start"], "end": q["speaker"]["end"], "text": q["speaker"]["text"], "labels": ["Speaker"]}},
        {"from_id": "sp", "to_id": q["id"], "type": "relation", "labels": ["speaker"]},
        {"id": c["id"], "from_name": "claim", "to_name": "text", "type": "labels",
         "value": {"start": c["start"], "end": c["end"], "text": c["text"], "labels": [c["label"]]}},
    ]
    task = {"id": 1, "data": {"text": text, "document_id": DOC, "offset_unit": "codepoints"},
            "annotations": [{"result": result, "was_cancelled": False}], "drafts": [{"result": []}], "predictions": []}
    src = tmp_path / "one.json"
    before = annotation_files(corpus_copy)
    registry = open_corpus(corpus_copy).registry
    options = ImportOptions(dry_run=True, allow_deletions=True)
    tried = 0
    for path in list(paths_of(task))[1:]:
        if path[:2] == ("data", "text"):
            continue  # a changed text is refused whatever its type (tested elsewhere)
        for wrong in WRONG:
            broken = copy.deepcopy(task)
            set_at(broken, path, wrong)
            src.write_text(json.dumps([broken]), encoding="utf-8")
            tried += 1
            try:
                ls.import_(src, corpus=corpus_copy, registry=registry, options=options)
            except FormatError as exc:
                assert str(exc) and "Traceback" not in str(exc)
    assert tried > 400
    for raw in ("[" * 100_000, "[" + "1" * 5000 + "]", "{}", "[1, 2]", "[{\"data\": []}]", "\ufeff[]", "[] x"):
        src.write_text(raw, encoding="utf-8")
        with pytest.raises(FormatError):
            import_("labelstudio", src=src, corpus=corpus_copy)
    assert annotation_files(corpus_copy) == before


def test_any_mangled_brat_line_is_a_format_error_or_fine(brat_dir, corpus_copy):
    """Each kind of line of a .ann mangled in many ways: the import succeeds or raises FormatError."""
    lines = brat_lines(brat_dir)
    samples = {}
    for line in lines:
        if line:
            samples.setdefault(line[0], line)  # one T, E, A, N and # line
    manglings = [
        lambda s: s.replace(" ", "\t"), lambda s: s.replace("\t", " "), lambda s: s + "\textra", lambda s: s.split("\t")[0],
        lambda s: s.replace("1", "\u00b9"), lambda s: s.replace("9", "\u0669"), lambda s: s.replace("T", "E"),
        lambda s: s.replace("E", "T"), lambda s: s.replace(":", ""), lambda s: s + " " + "9" * 5000,
        lambda s: "\t".join(reversed(s.split("\t"))), lambda s: s.replace("Reference", "Ref"), lambda s: s.upper(),
        lambda s: s[:len(s) // 2], lambda s: s + "\r", lambda s: "\t" + s, lambda s: s.replace("T", "T" + "0" * 30),
    ]
    before = annotation_files(corpus_copy)
    path = brat_dir / f"{DOC}.ann"
    original = path.read_bytes()
    for kind, line in samples.items():
        number = lines.index(line)
        for mangle in manglings:
            edited = list(lines)
            edited[number] = mangle(line)
            path.write_text("\n".join(edited), encoding="utf-8")
            try:
                import_("brat", src=brat_dir, corpus=corpus_copy, dry_run=True)
            except FormatError as exc:
                assert str(exc)
    path.write_bytes(b"\xff\xfe" + original)
    with pytest.raises(FormatError, match="is not UTF-8"):
        import_("brat", src=brat_dir, corpus=corpus_copy)
    assert annotation_files(corpus_copy) == before


# --- validation and writing ---------------------------------------------------------------------


def test_a_kept_layer_with_a_problem_is_reported_at_the_corpus_file(brat_dir, corpus_copy):
    keep_layers(brat_dir, DOC, {"entities", "claims"})
    path = corpus_copy / "annotations" / f"{DOC}.json"
    raw = path.read_text(encoding="utf-8")
    q1 = read_json(path)["quotes"][0]
    path.write_text(raw.replace(f'"id": "q1", "type": "{q1["type"]}"', '"id": "q1", "type": "sarcastic"'), encoding="utf-8")
    number = next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1) if '"sarcastic"' in line)
    before = corpus_state(corpus_copy)
    code, out, err = run("import", "brat", brat_dir, "--corpus", corpus_copy)
    assert code == 1
    assert corpus_state(corpus_copy) == before
    assert f"{path}:{number}: [E-QUOTE-TYPE] quotes[0] q1: unknown type \"sarcastic\"" in err


def test_an_interrupted_earlier_write_is_finished_before_the_import(brat_dir, corpus_copy, monkeypatch):
    """A write killed after its commit point (the journal) is finished first: the import compares
    with, and builds on, the corpus as that write left it."""
    date = first_date(corpus_copy)
    relabel(brat_dir, date, "TIME")
    real_replace = atomic.os.replace

    def label():
        return next(m for m in read_json(corpus_copy / "annotations" / f"{DOC}.json")["entities"] if m["id"] == date["id"])["label"]


    def crash(src, dst, *args, **kwargs):
        if str(dst).endswith(".json") and "annotations" in str(dst):
            raise OSError(5, "simulated crash after the commit point", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(OSError if not hasattr(atomic, "WriteUnfinished") else (OSError, atomic.WriteUnfinished)):
        import_("brat", src=brat_dir, corpus=corpus_copy)
    monkeypatch.setattr(atomic.os, "replace", real_replace)
    assert (corpus_copy / atomic.JOURNAL).is_file()
    assert label() == "DATE"  # not finished yet
    report = import_("brat", src=brat_dir, corpus=corpus_copy, dry_run=True)
    assert not (corpus_copy / atomic.JOURNAL).exists() and atomic.staged_leftovers(corpus_copy) == []
    assert label() == "TIME"
    assert report.changes == [] and any("an interrupted earlier write was completed first" in n for n in report.notes)


def test_the_gold_corpus_reimports_into_itself_from_both_formats(tmp_path, corpus_copy):
    """The round trip of every document, whichever format: byte for byte, nothing written."""
    for fmt in ("brat", "labelstudio"):
        out_dir = tmp_path / f"rt-{fmt}"
        assert run("export", fmt, "--corpus", corpus_copy, "--out", out_dir)[0] == 0
        report = import_(fmt, src=out_dir, corpus=corpus_copy)
        assert report.files == [] and report.changes == []
    assert annotation_files(corpus_copy) == annotation_files(CORPUS)
    assert annotations_of(corpus_copy) == annotations_of(CORPUS)


def test_a_symlinked_text_is_never_read_by_an_import(tmp_path, corpus_copy):
    outside = tmp_path / "secret.txt"
    outside.write_text("not part of the corpus\n", encoding="utf-8")
    (corpus_copy / "texts" / "leak.txt").symlink_to(outside)
    src = tmp_path / "brat"
    src.mkdir()
    (src / "leak.ann").write_text("", encoding="utf-8")
    before = annotation_files(corpus_copy)
    code, out, err = run("import", "brat", src, "--corpus", corpus_copy)
    assert code == 1 and len(err.strip().splitlines()) >= 1
    assert "not part of the corpus" not in out + err
    assert annotation_files(corpus_copy) == before
