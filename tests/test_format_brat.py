"""brat standoff: export -> import gives back the corpus annotation files byte for byte."""

from __future__ import annotations

import shutil

import pytest
from helpers import CORPUS, corpus_summary
from docgen import REGISTRY, documents
from helpers import annotation_files, document_ids, read_json, run
from hypothesis import given, settings

from newsspans.corpus import dumps_canonical
from newsspans.formats import brat, import_
from newsspans.formats.base import FormatError
from newsspans.model import Annotations, Document, DocumentMeta, EntityMention, Quote, Span

DOC = "000_1936301ef05f6424"


@pytest.fixture
def exported(tmp_path):
    code, out, err = run("export", "brat", "--corpus", CORPUS, "--out", tmp_path / "brat")
    assert code == 0, err
    return tmp_path / "brat"


def test_gold_round_trip_is_byte_identical(exported, corpus_copy):
    for path in (corpus_copy / "annotations").glob("*.json"):
        path.write_text('{"document_id": "x", "entities": [], "quotes": [], "claims": []}\n', encoding="utf-8")
    code, out, err = run("import", "brat", exported, "--corpus", corpus_copy)
    assert code == 0, err
    assert corpus_summary() in out
    assert annotation_files(corpus_copy) == annotation_files(CORPUS)
    conf = (exported / "annotation.conf").read_text(encoding="utf-8")
    assert conf.count("\n[") == 4 and "\nQuote\tSpeaker?:Speaker, Cue?:Cue\n" in conf
    assert "\nCluster\tArg:Quote|Claim, Value:" in conf and "multipolar-world" in conf


def test_the_ann_lines_of_a_glued_quote(exported):
    text = (CORPUS / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")
    ann = (exported / f"{DOC}.ann").read_text(encoding="utf-8").splitlines()
    masoud = text.index("presidentMasoud") + len("president")
    assert f"T14\tPERSON {masoud} {masoud + len('Masoud Pezeshkian')}\tMasoud Pezeshkian" in ann
    q6 = [line for line in ann if line.endswith("\tq6")]
    assert q6 and q6[0].startswith("#") and "AnnotatorNotes E6" in q6[0]
    assert any(line.split("\t")[1].startswith("Quote:") and "Speaker:" in line and "Cue:" in line for line in ann if line.startswith("E6\t"))
    assert any(line.endswith("\tQuoteType E6 direct") for line in ann)
    assert (exported / f"{DOC}.txt").read_bytes() == (CORPUS / "texts" / f"{DOC}.txt").read_bytes()


def edit_line(exported, old, new, doc=DOC):
    """Replace the line ``old`` of ``doc``'s .ann by ``new``; returns its line number."""
    path = exported / f"{doc}.ann"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, start=1) if line == old)
    lines[number - 1] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    return number


def broken(exported, corpus_copy, old, new):
    number = edit_line(exported, old, new)
    before = annotation_files(corpus_copy)
    code, out, err = run("import", "brat", exported, "--corpus", corpus_copy)
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert annotation_files(corpus_copy) == before  # nothing written
    return number, err


@pytest.mark.parametrize("old,new,message", [
    # What the validator checks: its code, message and fix, located at the .ann line.
    ("T4\tPERSON 79 96\tMasoud Pezeshkian", "T4\tPERSON 80 97\tMasoud Pezeshkian",
     "[E-SPAN-TEXT] T4 PERSON 80-97: stored text 'Masoud Pezeshkian' != document text 'asoud Pezeshkian ' — did you mean 79-96?"),
    ("T4\tPERSON 79 96\tMasoud Pezeshkian", "T4\tHUMAN 79 96\tMasoud Pezeshkian", '[E-ENT-LABEL] T4 HUMAN 79-96: unknown label "HUMAN"'),
    ("N5\tReference T4 NewsSpans:masoud-pezeshkian\tMasoud Pezeshkian", "N5\tReference T4 NewsSpans:nobody\tNobody",
     "[E-ENT-REF] N5 Reference T4 NewsSpans:nobody: 'nobody' is not in the registry"),
    ("#4\tAnnotatorNotes T4\tm4", "#4\tAnnotatorNotes T4\tcheck this one",
     '[E-SCHEMA] #4 AnnotatorNotes T4: "check this one" does not match the pattern ^m[1-9][0-9]*'),
    ("#4\tAnnotatorNotes T4\tm4", "#4\tAnnotatorNotes T4\tm3", "[E-ID-DUPLICATE] #4 AnnotatorNotes T4: id 'm3' is already used by #3 (line "),
    ("A1\tQuoteType E1 mixed", "A1\tQuoteType E1 sarcastic", '[E-QUOTE-TYPE] A1 QuoteType E1: unknown type "sarcastic"'),
    # What only brat's format has.
    ("T4\tPERSON 79 96\tMasoud Pezeshkian", "T4\tPERSON 79 96", "expected 'T<n><TAB>TYPE START END<TAB>TEXT'"),
    ("T4\tPERSON 79 96\tMasoud Pezeshkian", "T4\tPERSON 79 85;86 96\tMasoud Pezeshkian", "is discontinuous"),
    ("A1\tQuoteType E1 mixed", "R1\tSays Arg1:T1 Arg2:T2", "is of a kind NewsSpans does not use"),
])
def test_a_malformed_file_names_file_and_line_and_writes_nothing(exported, corpus_copy, old, new, message):
    number, err = broken(exported, corpus_copy, old, new)
    assert err.startswith(f"newsspans import: {exported / (DOC + '.ann')}:{number}: ")
    assert message in err


def test_an_offset_error_names_its_line(exported, corpus_copy):
    number, err = broken(exported, corpus_copy, "T4\tPERSON 79 96\tMasoud Pezeshkian", "T4\tPERSON 79 200\tMasoud Pezeshkian")
    assert err.startswith(f"newsspans import: {exported / (DOC + '.ann')}:{number}: [E-SPAN-TEXT] T4 PERSON 79-200: stored text")
    assert err.endswith(" — did you mean 79-96?\n")


def test_every_error_of_every_file_is_reported_with_the_validators_code_and_nothing_is_written(exported, corpus_copy):
    other = next(d for d in document_ids() if d != DOC)
    ann = exported / f"{DOC}.ann"
    span_line = edit_line(exported, "T4\tPERSON 79 96\tMasoud Pezeshkian", "T4\tPERSON 80 97\tMasoud Pezeshkian")
    ref_line = edit_line(exported, "N52\tReference T40 NewsSpans:israel\tIsrael", "N52\tReference T40 NewsSpans:isreal\tIsrael")
    other_ann = exported / f"{other}.ann"
    first_t = next(line for line in other_ann.read_text(encoding="utf-8").split("\n") if line.startswith("T1\t"))
    tid, head, surface = first_t.split("\t")
    kind, start, end = head.split()
    other_line = edit_line(exported, first_t, f"{tid}\t{kind} {start} {int(end) + 1}\t{surface}", doc=other)
    before = annotation_files(corpus_copy)
    with pytest.raises(FormatError) as caught:
        import_("brat", src=exported, corpus=corpus_copy)
    assert annotation_files(corpus_copy) == before
    located = [(p.file, p.line, p.code) for p in caught.value.problems]
    # Files in name order, each file in line order, whichever document sorts first.
    assert located == sorted([(str(ann), span_line, "E-SPAN-TEXT"), (str(ann), ref_line, "E-ENT-REF"), (str(other_ann), other_line, "E-SPAN-TEXT")])
    message = str(caught.value)
    assert message.startswith("3 errors:\n") and message.count("\n") == 3
    assert f"{ann}:{span_line}: [E-SPAN-TEXT] T4 PERSON 80-97: " in message and "did you mean 79-96?" in message
    assert f"{ann}:{ref_line}: [E-ENT-REF] N52 Reference T40 NewsSpans:isreal: 'isreal' is not in the registry — " in message
    assert f"{other_ann}:{other_line}: [E-SPAN-TEXT] T1 {kind} {start}-{int(end) + 1}: " in message
    code, out, err = run("import", "brat", exported, "--corpus", corpus_copy)
    assert code == 1 and err == f"newsspans import: {message}\n"


def test_a_warning_does_not_block_the_import(exported, corpus_copy):
    edit_line(exported, "A1\tQuoteType E1 mixed", "A1\tQuoteType E1 mixed\nA99\tGroup E1 g77")
    report = import_("brat", src=exported, corpus=corpus_copy)
    assert any("[W-QUOTE-GROUP]" in note and "A99 Group E1" in note for note in report.notes)
    assert read_json(corpus_copy / "annotations" / f"{DOC}.json")["quotes"][0]["group_id"] == "g77"


def test_an_edited_text_is_refused(exported, corpus_copy):
    (exported / f"{DOC}.txt").write_text("changed", encoding="utf-8")
    code, out, err = run("import", "brat", exported, "--corpus", corpus_copy)
    assert code == 1 and "differs from" in err


def test_a_mention_added_in_brat_gets_a_fresh_id(exported, corpus_copy):
    """A mention drawn again in brat (its old line and note deleted) has no note: it gets the id
    one past the highest of the corpus file, never the id it had."""
    text = (CORPUS / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")
    start = text.index("Tuesday")
    path = exported / f"{DOC}.ann"
    lines = path.read_text(encoding="utf-8").split("\n")
    tid = next(line.split("\t")[0] for line in lines if line.endswith(f"\tDATE {start} {start + 7}\tTuesday"))
    lines = [line for line in lines if not line.startswith(f"{tid}\t") and f"AnnotatorNotes {tid}\t" not in line]
    path.write_text("\n".join(lines) + f"T999\tDATE {start} {start + 7}\tTuesday\n", encoding="utf-8")
    assert run("import", "brat", exported, "--corpus", corpus_copy)[0] == 0
    before = read_json(CORPUS / "annotations" / f"{DOC}.json")["entities"]
    entities = read_json(corpus_copy / "annotations" / f"{DOC}.json")["entities"]
    fresh = f"m{max(int(m['id'][1:]) for m in before) + 1}"
    assert entities[-1] == {"id": fresh, "start": start, "end": start + 7, "text": "Tuesday", "label": "DATE", "entity_id": None}
    assert len(entities) == len(before)


def test_a_span_with_a_line_break_is_refused_at_export():
    text = "Iran\nRussia"
    doc = Document(DocumentMeta("d", None, None, "d.txt", "en", "s", "0" * 64), text,
                   Annotations("d", (EntityMention("m1", 0, len(text), text, "GPE", None),)))
    with pytest.raises(FormatError, match=r"d: entity mention m1 0-11 holds a line break"):
        brat.serialize(doc, registry=REGISTRY)


def test_tricky_snippet_round_trip():
    text = "Iran and Russia have agreed to“accelerate” their bilateral relationsaccording to a report 😀."
    content = Span(0, len("Iran and Russia have agreed to“accelerate” their bilateral relations"), "")
    content = Span(content.start, content.end, text[content.start:content.end])
    cue = Span(content.end, content.end + len("according to"), "according to")
    speaker = Span(cue.end + 1, cue.end + 1 + len("a report"), "a report")
    ann = Annotations("d", (EntityMention("m2", 0, 4, "Iran", "GPE", "iran"),),
                      (Quote("q1", "mixed", content, speaker, cue, None, None, None),), ())
    doc = Document(DocumentMeta("d", None, None, "d.txt", "en", "s", "0" * 64), text, ann)
    back = brat.parse(brat.serialize(doc, registry=REGISTRY), document_id="d", registry=REGISTRY).annotations
    assert dumps_canonical(back.to_dict()) == dumps_canonical(ann.to_dict())


@settings(max_examples=300, deadline=None)
@given(documents(line_breaks_in_spans=False))
def test_random_documents_round_trip(doc):
    ann_text = brat.serialize(doc, registry=REGISTRY)
    back = brat.parse(ann_text, document_id=doc.id, registry=REGISTRY).annotations
    assert dumps_canonical(back.to_dict()) == dumps_canonical(doc.annotations.to_dict())


def test_import_of_an_unknown_document_is_refused(exported, corpus_copy):
    shutil.copy(exported / f"{DOC}.ann", exported / "999_unknown.ann")
    code, out, err = run("import", "brat", exported, "--corpus", corpus_copy)
    assert code == 1 and "no document '999_unknown' in the corpus" in err


# --- the registry as brat's normalization DB ------------------------------------------------------


def _brat_section(conf: str, section: str) -> dict[str, dict[str, str]]:
    """The entries of ``section`` of a brat configuration, parsed as brat parses them: a name, then
    comma-separated ``KEY:VALUE`` arguments (brat's ``projectconfig``)."""
    import re

    entries, current = {}, None
    for line in conf.split("\n"):
        m = re.match(r"^\s*\[(.*)\]\s*$", line)
        if m:
            current = m.group(1)
            continue
        if current != section or not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _, args = re.match(r"^(\S+)(?:\s+(.*))?$", line).group(1, 0, 2)
        entries[name] = dict(re.match(r"^(\S*?):(\S*)$", a.strip()).groups() for a in (args or "").split(",") if a.strip())
    return entries


def test_tools_conf_names_the_registry_db_the_ann_normalizations_use(exported):
    normalization = _brat_section((exported / brat.TOOLS_CONF).read_text(encoding="utf-8"), "normalization")
    assert set(normalization) == {brat.DB}
    assert normalization[brat.DB].get("<URL>")  # brat skips a database without one
    ann = (exported / f"{DOC}.ann").read_text(encoding="utf-8")
    assert f"\tReference T1 {brat.DB}:" in ann


def test_the_normalization_data_is_the_registry_in_norm_db_init_format(exported):
    """Each line as brat's tools/norm_db_init.py reads it: ID, then TYPE:LABEL:STRING triples."""
    registry = {e["entity_id"]: e for e in read_json(CORPUS / "registry.json")["entities"]}
    lines = (exported / brat.NORM_DATA).read_text(encoding="utf-8").rstrip("\n").split("\n")
    assert brat.NORM_DATA.rsplit(".", 1)[0] == brat.DB  # the script names the DB after the file
    read = {}
    for line in lines:
        entity_id, rest = line.split("\t", 1)
        triples = [t.split(":", 2) for t in rest.split("\t")]
        assert all(len(t) == 3 and t[0] in ("name", "attr", "info") for t in triples)
        read[entity_id] = triples
    assert list(read) == sorted(registry)
    for entity_id, triples in read.items():
        e = registry[entity_id]
        names = [s for kind, _, s in triples if kind == "name"]
        assert names[0] == e["name"] and set(names) == {e["name"], *e["aliases"]}
        assert ["attr", "Type", e["type"]] in triples
        assert (["info", "Wikidata", e["wikidata"]] in triples) == bool(e["wikidata"])


def test_an_entity_id_set_in_brat_is_imported(exported, corpus_copy):
    """An annotator links a mention to another registry entry in brat's normalization dialog: brat
    writes the N line, and the import takes its id as the mention's entity_id."""
    registry = {e["entity_id"]: e for e in read_json(CORPUS / "registry.json")["entities"]}
    gold = read_json(CORPUS / "annotations" / f"{DOC}.json")
    k, m = next((k, m) for k, m in enumerate(gold["entities"]) if m["entity_id"])
    other = next(e for e in registry.values() if e["type"] == m["label"] and e["entity_id"] != m["entity_id"])
    ann = (exported / f"{DOC}.ann").read_text(encoding="utf-8").split("\n")
    tid = next(line.split("\t")[0] for line in ann if line.startswith("T") and line.split("\t")[1] == f"{m['label']} {m['start']} {m['end']}")
    old = next(line for line in ann if line.startswith("N") and f"\tReference {tid} {brat.DB}:" in line)
    edit_line(exported, old, f"{old.split(chr(9))[0]}\tReference {tid} {brat.DB}:{other['entity_id']}\t{other['name']}")
    code, out, err = run("import", "brat", exported, "--corpus", corpus_copy)
    assert code == 0, err
    assert read_json(corpus_copy / "annotations" / f"{DOC}.json")["entities"][k]["entity_id"] == other["entity_id"]


def test_a_registry_name_brat_cannot_hold_is_refused_at_export():
    entry = next(iter(REGISTRY.values()))
    from dataclasses import replace as dc_replace

    with pytest.raises(FormatError, match="holds a tab or a line break"):
        brat.norm_data({entry.entity_id: dc_replace(entry, name="Two\tparts")})
