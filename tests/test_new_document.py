"""A third document enters a copy of the project the way an annotator adds one — ``newsspans add``,
``newsspans export labelstudio``, regions drawn in the exported tasks, ``newsspans import
labelstudio`` — and every command then works on the grown corpus: validate, build and build --check,
render, every export format, diff and release.

The sample (an invented news text, its registry entries and its annotation) is the one
``scripts/add_sample_document.py`` adds, so the script is tested here too.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pyarrow.parquet as pq
import pytest
from helpers import (ROOT, annotation_files, annotations_of, document_ids, expected_release_rows, layer_counts, read_json, registry_entries,
                     registry_rows_expected, registry_rows_released, released_project, run, split_of_document,
                     tree_bytes)

from newsspans.dataset import split_of
from newsspans.formats import EXPORTERS, IMPORTERS
from newsspans.labels import ENTITY_ID_LABELS, ENTITY_LABELS
from newsspans.versions import bump_version

_spec = importlib.util.spec_from_file_location("add_sample_document", ROOT / "scripts" / "add_sample_document.py")
sample = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sample)

DOC = "zz_new_solar_ferry"  # sorts after every seed; any id the corpus does not hold would do
STORY = sample.STORY_ID
ADDED = {"entities": len(sample.ENTITIES), "quotes": len(sample.QUOTES), "claims": len(sample.CLAIMS)}


def summary(counts: dict[str, int]) -> str:
    return f"{counts['entities']} entity mentions, {counts['quotes']} quotes, {counts['claims']} claims"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project (corpus, schemas, release, CHANGELOG) in a git repository whose one commit
    released the current version; then the new document added, annotated, imported and built in it."""
    root = released_project(tmp_path_factory.mktemp("new-document") / "proj")
    corpus = root / "corpus"
    assert DOC not in document_ids(corpus)
    old_corpus = root.parent / "old-corpus"
    shutil.copytree(corpus, old_corpus)
    before = SimpleNamespace(docs=document_ids(corpus), counts=layer_counts(corpus), annotations=annotation_files(corpus),
                             registry=registry_entries(corpus),
                             manifest=read_json(root / "data" / "manifest.json"))

    # 1. newsspans add: the text enters byte for byte, with an empty annotation file.
    source = root.parent / "incoming" / f"{DOC}.txt"
    source.parent.mkdir()
    source.write_bytes(sample.TEXT.encode("utf-8"))
    code, out, err = run("add", source, "--story-id", STORY, cwd=root)
    assert (code, err) == (0, ""), err
    assert (corpus / "texts" / f"{DOC}.txt").read_bytes() == sample.TEXT.encode("utf-8")
    assert read_json(corpus / "annotations" / f"{DOC}.json") == {"document_id": DOC, "issued": {"entities": 0, "quotes": 0, "claims": 0},
                                                                  "entities": [], "quotes": [], "claims": []}
    assert read_json(corpus / "documents" / f"{DOC}.json")["story_id"] == STORY

    # 2. The registry gains the sample's entities (edited by hand; those it lacks, should the sample
    #    have been added to this corpus by scripts/add_sample_document.py already).
    new_entries = sample.add_registry_entries(corpus)
    assert registry_rows_expected(corpus) == sorted(registry_rows_expected(old_corpus) + new_entries, key=lambda r: r["entity_id"])

    # 3. newsspans export labelstudio, then the annotator's work in Label Studio: regions on the new task.
    exported = root.parent / "labelstudio"
    code, out, err = run("export", "labelstudio", "--out", exported, cwd=root)
    assert code == 0, err
    assert summary(before.counts) in out  # the new document, still unannotated, adds nothing yet
    tasks = json.loads((exported / "tasks.json").read_text(encoding="utf-8"))
    assert sorted(t["data"]["document_id"] for t in tasks) == sorted(before.docs + [DOC])
    [new_task] = [t for t in tasks if t["data"]["document_id"] == DOC]
    assert new_task["data"]["offset_unit"] == "utf-16" and new_task["annotations"][0]["result"] == []
    edited = sample.annotate_tasks(exported / "tasks.json", DOC)

    # 4. newsspans import labelstudio: the new annotation file is written, the others stay byte for byte.
    code, out, err = run("import", "labelstudio", exported / "tasks.json", cwd=root)
    assert code == 0, err
    after = {k: before.counts[k] + ADDED[k] for k in ADDED}
    assert summary(after) in out
    stale_check = run("build", "--check", cwd=root)  # data/ predates the new document

    # 5. newsspans build.
    code, out, err = run("build", cwd=root)
    assert code == 0, err
    return SimpleNamespace(root=root, corpus=corpus, old_corpus=old_corpus, before=before, after=after, edited=edited,
                           new_entries=new_entries, stale_check=stale_check, build_out=out)


def state(root: Path) -> dict[str, bytes]:
    """Every file of the project that a command could write."""
    return ({f"corpus/{k}": v for k, v in tree_bytes(root / "corpus").items()}
            | {f"data/{k}": v for k, v in tree_bytes(root / "data").items()}
            | {"CHANGELOG.md": (root / "CHANGELOG.md").read_bytes()})


def test_the_sample_is_the_kind_of_text_that_tests_the_offset_units():
    text = sample.TEXT
    assert any(ord(ch) > 0xFFFF for ch in text)  # UTF-16 offsets differ from code points after it
    assert any(ch in "“”" for ch in text)
    labels = {label for _, _, label, _ in sample.ENTITIES}
    assert labels <= set(ENTITY_LABELS) and labels & set(ENTITY_ID_LABELS) and labels - set(ENTITY_ID_LABELS)
    assert all(ADDED.values())  # every layer holds at least one item: the build needs that of every config


def test_the_regions_drawn_in_label_studio_count_utf16_units(project):
    regions = [r for r in project.edited["annotations"][0]["result"] if r["type"] == "labels"]
    units = sample.TEXT.encode("utf-16-le")
    shifted = 0
    for r in regions:
        v = r["value"]
        assert units[2 * v["start"]:2 * v["end"]].decode("utf-16-le") == v["text"]
        shifted += sample.TEXT[v["start"]:v["end"]] != v["text"]
    assert shifted > 0  # regions after the astral character: their code-point offsets differ


def test_the_new_annotation_file_holds_what_was_drawn_with_fresh_ids(project):
    ann = read_json(project.corpus / "annotations" / f"{DOC}.json")
    text = sample.TEXT
    assert [m["id"] for m in ann["entities"]] == [f"m{i}" for i in range(1, len(sample.ENTITIES) + 1)]
    assert [(m["text"], m["label"], m["entity_id"]) for m in ann["entities"]] == [
        (surface, label, entity_id) for surface, _, label, entity_id in sample.ENTITIES]
    assert [(m["start"], m["end"]) for m in ann["entities"]] == [sample.locate(text, s, k) for s, k, _, _ in sample.ENTITIES]
    assert [(q["type"], q["content"]["text"], q["speaker"]["text"], q["cue"]["text"], q["speaker_entity_id"])
            for q in ann["quotes"]] == [(t, c[0], s[0], cue[0], e) for t, c, s, cue, e in sample.QUOTES]
    assert [q["id"] for q in ann["quotes"]] == [f"q{i}" for i in range(1, len(sample.QUOTES) + 1)]
    assert [(c["id"], c["text"], c["label"], c["claimant"]) for c in ann["claims"]] == [
        (f"c{i}", s, label, claimant) for i, (s, _, label, claimant) in enumerate(sample.CLAIMS, start=1)]
    for m in ann["entities"] + ann["claims"]:
        assert text[m["start"]:m["end"]] == m["text"]
    # The seeds' annotation files went through export and import unchanged, byte for byte.
    now = annotation_files(project.corpus)
    assert set(now) == set(project.before.annotations) | {f"{DOC}.json"}
    assert {k: v for k, v in now.items() if k != f"{DOC}.json"} == project.before.annotations


def test_validate_finds_no_problem(project):
    code, out, err = run("validate", "--corpus", "corpus", cwd=project.root)
    assert code == 0, out
    assert out.splitlines()[-1] == "*** PASSED *** with 0 error(s) and 0 warning(s)"
    code, out, err = run("validate", "--corpus", "corpus", "--format", "json", cwd=project.root)
    assert code == 0 and json.loads(out)["counts"] == {}


def test_build_writes_a_release_with_the_new_document(project):
    root, before, after = project.root, project.before, project.after
    assert project.stale_check[0] == 1  # the old release was stale against the grown corpus
    manifest = read_json(root / "data" / "manifest.json")
    assert manifest["counts"] == expected_release_rows(project.corpus)
    assert sum(manifest["counts"]["documents"].values()) == sum(before.manifest["counts"]["documents"].values()) + 1
    for layer, n in ADDED.items():
        assert sum(manifest["counts"][layer].values()) == sum(before.manifest["counts"][layer].values()) + n
    registry = len(before.registry) + len(project.new_entries)
    assert f"{len(before.docs) + 1} documents, {summary(after)}, {registry} registry entities" in project.build_out

    split = split_of(STORY)
    docs = [r for p in sorted((root / "data" / "documents").glob("*.parquet")) for r in pq.read_table(p).to_pylist()]
    assert sorted(r["id"] for r in docs) == sorted(before.docs + [DOC])
    [row] = [r for r in docs if r["id"] == DOC]
    assert row["text"] == sample.TEXT and row["story_id"] == STORY
    assert list((root / "data" / "documents").glob(f"{split}-*.parquet"))

    ann = read_json(project.corpus / "annotations" / f"{DOC}.json")
    entities = {r["id"]: r for p in sorted((root / "data" / "entities").glob(f"{split}-*.parquet")) for r in pq.read_table(p).to_pylist()}
    for m in ann["entities"]:
        r = entities[f"{DOC}:{m['id']}"]
        assert (r["document_id"], r["start"], r["end"], r["text"], ENTITY_LABELS[r["label"]], r["entity_id"]) == (
            DOC, m["start"], m["end"], m["text"], m["label"], m["entity_id"])
    assert sum(1 for gid in entities if gid.startswith(f"{DOC}:")) == len(sample.ENTITIES)
    for config, layer in (("quotes", "quotes"), ("claims", "claims")):
        ids = {r["id"] for p in sorted((root / "data" / config).glob("*.parquet")) for r in pq.read_table(p).to_pylist()}
        assert {f"{DOC}:{x['id']}" for x in ann[layer]} <= ids and len(ids) == after[layer]
    assert registry_rows_released(root / "data") == registry_rows_expected(project.corpus)
    assert {e["entity_id"] for e in sample.REGISTRY} <= {r["entity_id"] for r in registry_rows_released(root / "data")}
    assert split_of_document(project.corpus)[DOC] == split


def test_build_check_passes_on_the_rebuilt_release(project):
    code, out, err = run("build", "--check", cwd=project.root)
    assert (code, err) == (0, "")
    assert "up to date" in out


def test_render_writes_a_page_for_the_new_document_and_its_entities(project, tmp_path):
    site = tmp_path / "site"
    code, out, err = run("render", "--out", site, cwd=project.root)
    assert code == 0, err
    docs, entities = len(project.before.docs) + 1, len(project.before.registry) + len(project.new_entries)
    assert f"{docs} document page(s), {entities} entity page(s)" in out
    assert sorted(p.stem for p in (site / "documents").glob("*.html")) == sorted(project.before.docs + [DOC])
    assert len(list((site / "entities").glob("*.html"))) == entities
    page = (site / "documents" / f"{DOC}.html").read_text(encoding="utf-8")
    assert "Serrenmoor" in page and "🚢" in page
    assert DOC in (site / "index.html").read_text(encoding="utf-8")
    for entry in sample.REGISTRY:
        assert DOC in (site / "entities" / f"{entry['entity_id']}.html").read_text(encoding="utf-8")


def _records(folder: Path, suffix: str) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob(f"*{suffix}"))]


def check_conll(out: Path, ann: dict) -> None:
    assert sorted(p.stem for p in out.glob("*.conll")) == sorted(set(split_of_document(ann["corpus"]).values()))
    lines = "".join(_records(out, ".conll")).splitlines()
    assert sorted(line.split()[1] for line in lines if line.startswith("-DOCSTART- ")) == document_ids(ann["corpus"])
    assert sum(1 for line in lines if line.rsplit(" ", 1)[-1].startswith("B-")) == layer_counts(ann["corpus"])["entities"]
    # The new document's one-token mentions are tagged (counted over the corpus, which might hold the word elsewhere).
    everywhere = [m for a in annotations_of(ann["corpus"]).values() for m in a["entities"]]
    assert lines.count("Serrenmoor -X- -X- B-GPE") == sum(1 for m in everywhere if m["text"] == "Serrenmoor")
    assert sum(1 for m in ann["entities"] if m["text"] == "Serrenmoor") > 0


def check_spacy(out: Path, ann: dict) -> None:
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("en").vocab
    docs = [d for p in sorted(out.glob("*.spacy")) for d in DocBin().from_disk(p).get_docs(vocab)]
    [doc] = [d for d in docs if d.user_data["newsspans"]["id"] == DOC]
    assert doc.text == sample.TEXT
    assert [(e.start_char, e.end_char, e.label_, e.kb_id_ or None) for e in doc.ents] == [
        (m["start"], m["end"], m["label"], m["entity_id"]) for m in ann["entities"]]
    assert len(doc.spans["quotes_content"]) == len(ann["quotes"]) and len(doc.spans["claims"]) == len(ann["claims"])


def check_brat(out: Path, ann: dict) -> None:
    assert (out / f"{DOC}.txt").read_bytes() == sample.TEXT.encode("utf-8")
    lines = (out / f"{DOC}.ann").read_text(encoding="utf-8").splitlines()
    typed = [line.split("\t")[1].split(" ")[0] for line in lines if line.startswith("T")]
    assert [t for t in typed if t in ENTITY_LABELS] == [m["label"] for m in ann["entities"]]
    assert typed.count("Quote") == len(ann["quotes"]) and typed.count("Claim") == len(ann["claims"])


def check_labelstudio(out: Path, ann: dict) -> None:
    tasks = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    [task] = [t for t in tasks if t["data"]["document_id"] == DOC]
    regions = [r for r in task["annotations"][0]["result"] if r.get("from_name") == "entity" and r["type"] == "labels"]
    assert [r["id"] for r in regions] == [m["id"] for m in ann["entities"]]


def check_jsonl(out: Path, ann: dict) -> None:
    rows = [json.loads(line) for text in _records(out, ".jsonl") for line in text.splitlines()]
    [row] = [r for r in rows if r["meta"]["id"] == DOC]
    assert row["text"] == sample.TEXT and row["meta"]["split"] == split_of(STORY)
    assert [(s["start"], s["end"], s["label"]) for s in row["spans"]] == [(m["start"], m["end"], m["label"]) for m in ann["entities"]]
    assert len(row["ner"]) == len(ann["entities"])
    assert [q["id"] for q in row["quotes"]] == [q["id"] for q in ann["quotes"]]
    assert [c["id"] for c in row["claims"]] == [c["id"] for c in ann["claims"]]


CHECKS = {"conll": check_conll, "spacy": check_spacy, "brat": check_brat, "labelstudio": check_labelstudio, "jsonl": check_jsonl}


def test_every_export_format_has_a_check_here():
    assert set(CHECKS) == set(EXPORTERS)


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_every_export_format_carries_the_new_document(project, tmp_path, fmt):
    out = tmp_path / fmt
    code, printed, err = run("export", fmt, "--out", out, cwd=project.root)
    assert code == 0, err
    counts = layer_counts(project.corpus)
    assert counts == project.after
    assert f"{counts['entities']} entity mentions" in printed
    if fmt != "conll":  # CoNLL columns carry entity mentions only (and say so)
        assert summary(counts) in printed
    ann = read_json(project.corpus / "annotations" / f"{DOC}.json") | {"corpus": project.corpus}
    CHECKS[fmt](out, ann)
    if fmt in IMPORTERS:  # export -> import gives the annotation files back byte for byte
        before = annotation_files(project.corpus)
        code, _, err = run("import", fmt, out, cwd=project.root)
        assert code == 0, err
        assert annotation_files(project.corpus) == before


def test_diff_reports_the_added_document(project):
    root = project.root
    code, out, err = run("diff", "HEAD", "corpus", cwd=root)  # the last release's corpus -> the work tree's
    assert code == 0, err
    assert f"documents added: {DOC}" in out
    code, out, err = run("diff", "HEAD", "corpus", "--format", "json", cwd=root)
    data = json.loads(out)
    assert data["documents"]["added"] == [DOC] and data["documents"]["removed"] == []
    assert data["summary"]["entities"] == {"added": ADDED["entities"], "removed": 0, "changed": 0}
    assert data["summary"]["quotes"]["added"] == ADDED["quotes"] and data["summary"]["claims"]["added"] == ADDED["claims"]
    assert [(r["entity_id"], r["change"]) for r in data["registry"]] == sorted((e["entity_id"], "added") for e in project.new_entries)
    assert {a["document_id"] for a in data["annotations"]} == {DOC}
    assert data["required_bump"] == "minor"
    assert run("diff", "HEAD", "corpus", "--exit-code", cwd=root)[0] == 1
    # The old and new corpus folders compare the same way; so do the old corpus and the new release.
    code, out, err = run("diff", project.old_corpus, "corpus", "--format", "json", cwd=root)
    assert code == 0, err
    assert json.loads(out)["summary"] == data["summary"]
    code, out, err = run("diff", project.old_corpus, "data", "--format", "json", cwd=root)
    assert code == 0, err
    assert json.loads(out)["documents"]["added"] == [DOC]
    assert json.loads(out)["summary"]["entities"]["added"] == ADDED["entities"]


def test_release_dry_run_accepts_a_minor_bump_and_writes_nothing(project):
    root = project.root
    before = state(root)
    old = read_json(root / "corpus" / "dataset.json")["version"]
    new = bump_version(old, "minor")
    code, out, err = run("release", "--bump", "minor", "--dry-run", "--date", "2030-01-02", cwd=root)
    assert code == 0, err
    assert f"would release {old} -> {new}" in out and "at least a minor bump" in out
    assert f"## {new} — 2030-01-02" in out
    assert f"- Documents: 1 added (`{DOC}`)." in out
    assert f"- Entity mentions: {ADDED['entities']} added." in out
    code, out, err = run("release", "--bump", "patch", "--dry-run", cwd=root)
    assert code == 1 and "need a minor bump" in err
    assert state(root) == before
