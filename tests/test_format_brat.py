"""brat standoff: export -> import gives back the corpus annotation files byte for byte."""

from __future__ import annotations

import shutil

import pytest
from helpers import CORPUS
from docgen import REGISTRY, documents
from helpers import annotation_files, run
from hypothesis import given, settings

from newsspans.corpus import dumps_canonical
from newsspans.formats import brat
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
    assert "105 entity mentions, 21 quotes, 13 claims" in out
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


def broken(exported, corpus_copy, old, new):
    path = exported / f"{DOC}.ann"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, start=1) if line == old)
    lines[number - 1] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    before = annotation_files(corpus_copy)
    code, out, err = run("import", "brat", exported, "--corpus", corpus_copy)
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert annotation_files(corpus_copy) == before  # nothing written
    return number, err


@pytest.mark.parametrize("old,new,message", [
    ("T4\tPERSON 79 96\tMasoud Pezeshkian", "T4\tPERSON 80 97\tMasoud Pezeshkian",
     "T4 PERSON 80-97: text 'Masoud Pezeshkian' != document text 'asoud Pezeshkian ' — did you mean 79-96?"),
    ("T4\tPERSON 79 96\tMasoud Pezeshkian", "T4\tHUMAN 79 96\tMasoud Pezeshkian", "unknown label 'HUMAN'"),
    ("T4\tPERSON 79 96\tMasoud Pezeshkian", "T4\tPERSON 79 96", "expected 'T<n><TAB>TYPE START END<TAB>TEXT'"),
    ("T4\tPERSON 79 96\tMasoud Pezeshkian", "T4\tPERSON 79 85;86 96\tMasoud Pezeshkian", "is discontinuous"),
    ("N5\tReference T4 NewsSpans:masoud-pezeshkian\tMasoud Pezeshkian", "N5\tReference T4 NewsSpans:nobody\tNobody",
     "'nobody' is not in the registry"),
    ("#4\tAnnotatorNotes T4\tm4", "#4\tAnnotatorNotes T4\tcheck this one", "is not a NewsSpans id"),
    ("#4\tAnnotatorNotes T4\tm4", "#4\tAnnotatorNotes T4\tm3", "id m3 is already noted at line"),
    ("A1\tQuoteType E1 mixed", "A1\tQuoteType E1 sarcastic", "QuoteType of E1 is 'sarcastic'; expected direct|indirect|mixed"),
    ("A1\tQuoteType E1 mixed", "R1\tSays Arg1:T1 Arg2:T2", "is of a kind NewsSpans does not use"),
])
def test_a_malformed_file_names_file_and_line_and_writes_nothing(exported, corpus_copy, old, new, message):
    number, err = broken(exported, corpus_copy, old, new)
    assert err.startswith(f"newsspans import: {exported / (DOC + '.ann')}:")
    assert message in err


def test_an_offset_error_names_its_line(exported, corpus_copy):
    number, err = broken(exported, corpus_copy, "T4\tPERSON 79 96\tMasoud Pezeshkian", "T4\tPERSON 79 200\tMasoud Pezeshkian")
    assert err.startswith(f"newsspans import: {exported / (DOC + '.ann')}:{number}: T4 PERSON 79-200: text")


def test_an_edited_text_is_refused(exported, corpus_copy):
    (exported / f"{DOC}.txt").write_text("changed", encoding="utf-8")
    code, out, err = run("import", "brat", exported, "--corpus", corpus_copy)
    assert code == 1 and "differs from" in err


def test_a_mention_added_in_brat_gets_a_fresh_id(exported, corpus_copy):
    with (exported / f"{DOC}.ann").open("a", encoding="utf-8") as fh:
        fh.write(f"T999\tORG {len('Russian ')} {len('Russian Security')}\tSecurity\n")
    assert run("import", "brat", exported, "--corpus", corpus_copy)[0] == 0
    from helpers import read_json

    entities = read_json(corpus_copy / "annotations" / f"{DOC}.json")["entities"]
    assert entities[-1] == {"id": "m54", "start": 8, "end": 16, "text": "Security", "label": "ORG", "entity_id": None}


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
    back = brat.parse(brat.serialize(doc, registry=REGISTRY), text=text, document_id="d", registry=REGISTRY)
    assert dumps_canonical(back.to_dict()) == dumps_canonical(ann.to_dict())


@settings(max_examples=300, deadline=None)
@given(documents(line_breaks_in_spans=False))
def test_random_documents_round_trip(doc):
    ann_text = brat.serialize(doc, registry=REGISTRY)
    back = brat.parse(ann_text, text=doc.text, document_id=doc.id, registry=REGISTRY)
    assert dumps_canonical(back.to_dict()) == dumps_canonical(doc.annotations.to_dict())


def test_import_of_an_unknown_document_is_refused(exported, corpus_copy):
    shutil.copy(exported / f"{DOC}.ann", exported / "999_unknown.ann")
    code, out, err = run("import", "brat", exported, "--corpus", corpus_copy)
    assert code == 1 and "no document '999_unknown' in the corpus" in err
