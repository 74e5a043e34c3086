"""brat corpora with an attribution schema of their own (``--mapping`` with a ``brat`` section,
issue 14): PolNeAR-style Source, Cue and Content spans linked by Attribution events become quotes,
other spans entity mentions through the label mapping; what is not imported is counted, what
cannot be held is refused at its line, and nothing is written unless everything reads."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from helpers import ROOT, read_json, run, tree_bytes

from newsspans.formats import FormatError, import_

VALID = ROOT / "tests" / "fixtures" / "validator" / "valid" / "corpus"

TEXT = ("Mayor Ada Varga said the ferry would run on Monday and promised fares would fall.\n"
        "Officials argued that the new timetable was\n"
        "too ambitious, a council memo said.\n")

MAPPING = """\
entities:
  Time: DATE
  Org: drop
brat:
  quote_events: [Attribution]
  roles: {Source: speaker, Cue: cue, Content: content}
  trigger: none
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(VALID, root)
    return root


def at(snippet: str, nth: int = 0, text: str = TEXT) -> tuple[int, int]:
    """The offsets of the ``nth`` occurrence of ``snippet`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(snippet, start + 1)
    return start, start + len(snippet)


def t(n: int, kind: str, *snippets: str, text: str = TEXT) -> str:
    """A text-bound line; several snippets make a discontinuous span (text field: joined by a space)."""
    spans = [at(s, text=text) for s in snippets]
    return f"T{n}\t{kind} {';'.join(f'{s} {e}' for s, e in spans)}\t{' '.join(snippets)}"


#: A PolNeAR-like file: E1 comes before its spans, T1 is the source of E1 and E2, T10 a content
#: split by a line break, E4 an event type the mapping does not name, a relation and a note.
POLNEAR = [
    "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3",
    t(1, "Source", "Mayor Ada Varga"), t(2, "Cue", "said"), t(3, "Content", "the ferry would run on Monday"),
    t(4, "Attribution", "said"),
    t(5, "Cue", "promised"), t(6, "Content", "fares would fall"), t(7, "Attribution", "promised"),
    "E2\tAttribution:T7 Source:T1 Cue:T5 Content2:T6",
    t(8, "Source", "Officials"), t(9, "Cue", "argued"), t(10, "Content", "the new timetable was", "too ambitious"),
    t(11, "Attribution", "argued"),
    "E3\tAttribution:T11 Source:T8 Cue:T9 Content:T10",
    t(12, "Time", "Monday"), t(13, "Org", "council"),
    t(14, "Sentiment", "promised"), "E4\tSentiment:T14 Target:T6",
    "R1\tCoref Arg1:T1 Arg2:T8",
    "#1\tAnnotatorNotes T3\tcheck the cue",
]


def folder(tmp_path: Path, lines: list[str], *, doc_id: str = "harbour", text: str = TEXT, bom: bool = False,
           crlf: bool = False) -> Path:
    """A brat folder with one document: its .txt and its .ann (optionally with a BOM and CRLF line ends)."""
    src = tmp_path / "brat"
    src.mkdir(exist_ok=True)
    (src / f"{doc_id}.txt").write_bytes(text.encode("utf-8"))
    end = "\r\n" if crlf else "\n"
    (src / f"{doc_id}.ann").write_bytes(("\ufeff" * bom + "".join(line + end for line in lines)).encode("utf-8"))
    return src


def mapping(tmp_path: Path, content: str = MAPPING) -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(content, encoding="utf-8")
    return path


def line_of(lines: list[str], start: str) -> int:
    return next(k for k, line in enumerate(lines, start=1) if line.startswith(start))


def quotes_of(corpus: Path, doc_id: str = "harbour") -> list[tuple]:
    return [(q["id"], q["type"], q["content"]["text"], q["speaker"] and q["speaker"]["text"], q["cue"] and q["cue"]["text"],
             q["group_id"]) for q in read_json(corpus / "annotations" / f"{doc_id}.json")["quotes"]]


# -- what is carried -------------------------------------------------------------------------------

def test_a_polnear_like_file_becomes_quotes_and_entity_mentions(corpus, tmp_path):
    src = folder(tmp_path, POLNEAR)
    report = import_("brat", src=src, corpus=corpus, mapping=mapping(tmp_path), new_documents=True)
    # One quote per event, the split content one quote per fragment with one group; the shared
    # source is each quote's speaker; ids fresh and in text order; types from the marks (none: indirect).
    assert quotes_of(corpus) == [
        ("q1", "indirect", "the ferry would run on Monday", "Mayor Ada Varga", "said", None),
        ("q2", "indirect", "fares would fall", "Mayor Ada Varga", "promised", None),
        ("q3", "indirect", "the new timetable was", "Officials", "argued", "g1"),
        ("q4", "indirect", "too ambitious", "Officials", "argued", "g1"),
    ]
    ann = read_json(corpus / "annotations" / "harbour.json")
    assert all(q["speaker_entity_id"] is None for q in ann["quotes"])
    assert ann["entities"] == [{"id": "m1", "start": at("Monday")[0], "end": at("Monday")[1], "text": "Monday",
                                "label": "DATE", "entity_id": None}]
    assert ann["claims"] == []
    # Everything not imported is counted, each at its line.
    shown = str(src / "harbour.ann")
    assert report.ignored["relations"] == [f"{shown}:{line_of(POLNEAR, 'R1')} R1 Coref"]
    assert report.ignored["annotator notes"] == [f"{shown}:{line_of(POLNEAR, '#1')} #1 AnnotatorNotes T3"]
    assert report.ignored["events of other types"] == [f"{shown}:{line_of(POLNEAR, 'E4')} E4 Sentiment"]
    assert len(report.ignored["triggers of events of other types"]) == 1
    assert [w.split(" ")[1] for w in report.ignored["quote event triggers"]] == ["T4", "T7", "T11"]
    assert report.ignored["entity labels dropped by the mapping"] == ["Org: 1 mention(s)"]
    assert f"{shown}: relations not imported: 1 (Coref: 1); NewsSpans has no relations between annotations" in report.notes
    assert any(n.startswith(f"{shown}: events of other types not imported: 1 (Sentiment: 1)") for n in report.notes)
    assert report.carried == {"entity mentions": 1, "quotes": 4, "claims": 0}
    assert run("validate", "--corpus", corpus)[0] == 0


def test_a_bom_and_crlf_file_reads_as_the_plain_one(corpus, tmp_path):
    import_("brat", src=folder(tmp_path, POLNEAR, bom=True, crlf=True), corpus=corpus, mapping=mapping(tmp_path),
            new_documents=True)
    plain = tmp_path / "plain"
    shutil.copytree(VALID, plain)
    shutil.rmtree(tmp_path / "brat")
    report = import_("brat", src=folder(tmp_path, POLNEAR), corpus=plain, mapping=mapping(tmp_path), new_documents=True)
    assert tree_bytes(corpus / "annotations") == tree_bytes(plain / "annotations")
    assert report.ignored["annotator notes"] and quotes_of(corpus)[2][5] == "g1"


def test_the_cli_creates_the_document_from_its_txt_only_with_new_documents(corpus, tmp_path):
    src, m = folder(tmp_path, POLNEAR), mapping(tmp_path)
    before = tree_bytes(corpus)
    code, out, err = run("import", "brat", src, "--corpus", corpus, "--mapping", m)
    assert code == 1 and "--new-documents" in err and tree_bytes(corpus) == before
    code, out, err = run("import", "brat", src, "--corpus", corpus, "--mapping", m, "--new-documents", "--dry-run")
    assert code == 0, err
    assert tree_bytes(corpus) == before  # a dry run writes nothing
    assert "quotes: 4 added" in out and "dry run" in out
    code, out, err = run("import", "brat", src, "--corpus", corpus, "--mapping", m, "--new-documents")
    assert code == 0, err
    assert (corpus / "texts" / "harbour.txt").read_bytes() == TEXT.encode("utf-8")
    assert read_json(corpus / "documents" / "harbour.json")["story_id"] == "harbour"
    assert "not imported: " in out and "quote event triggers not imported: 3 (Attribution: 3)" in err


def test_a_mapped_corpus_imports_into_an_existing_document_with_the_speakers_registry_id(corpus, tmp_path):
    text = (VALID / "texts" / "d1.txt").read_text(encoding="utf-8")
    lines = [
        t(1, "Speaker", "Pezeshkian", text=text), t(2, "Verb", "said", text=text),
        t(3, "Statement", "Iran and Russia are partners,", text=text),
        "E1\tQuotation:T2 Who:T1 What:T3", "A1\tDirectness E1 verbatim",
        "N1\tReference T1 NewsSpans:masoud-pezeshkian\tMasoud Pezeshkian", "N2\tReference T1 Wikidata:Q1\tsomeone",
    ]
    src = folder(tmp_path, lines, doc_id="d1", text=text)
    m = mapping(tmp_path, "brat:\n  quote_events: [Quotation]\n  roles: {Who: speaker, What: content}\n  trigger: cue\n"
                          "  type: {attribute: Directness, values: {verbatim: direct, paraphrase: indirect}}\n")
    # Every item gets a fresh id, so the quote the corpus has (q1, the same words) is replaced.
    with pytest.raises(FormatError, match="d1 quotes: 1 of 1 removed"):
        import_("brat", src=src, corpus=corpus, mapping=m)
    report = import_("brat", src=src, corpus=corpus, mapping=m, allow_deletions=True)
    quotes = read_json(corpus / "annotations" / "d1.json")["quotes"]
    assert [(q["id"], q["type"], q["cue"]["text"], q["speaker_entity_id"]) for q in quotes] == [
        ("q2", "direct", "said", "masoud-pezeshkian")]  # q1 was issued: never reused
    assert read_json(corpus / "annotations" / "d1.json")["entities"] == []  # --allow-deletions: the file is the whole truth
    assert report.ignored["normalizations"] == [f"{src / 'd1.ann'}:7 N2 Reference T1 Wikidata:Q1"]


def test_group_ids_avoid_those_of_the_documents_current_quotes(corpus, tmp_path):
    m = mapping(tmp_path)
    import_("brat", src=folder(tmp_path, POLNEAR), corpus=corpus, mapping=m, new_documents=True)
    lines = [line for line in POLNEAR if not line.startswith(("E1", "T3"))] + [
        t(3, "Content", "the ferry would", "run on Monday"), "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3"]
    shutil.rmtree(tmp_path / "brat")
    import_("brat", src=folder(tmp_path, lines), corpus=corpus, mapping=m, allow_deletions=True)
    assert [(q[2], q[5]) for q in quotes_of(corpus)] == [
        ("the ferry would", "g2"), ("run on Monday", "g2"), ("fares would fall", None),
        ("the new timetable was", "g3"), ("too ambitious", "g3")]


def test_a_part_no_quote_event_uses_is_counted_not_refused(corpus, tmp_path):
    lines = POLNEAR + [t(15, "Source", "a council memo")]
    report = import_("brat", src=folder(tmp_path, lines), corpus=corpus, mapping=mapping(tmp_path), new_documents=True)
    assert report.ignored["unlinked quote parts"] == [
        f"{tmp_path / 'brat' / 'harbour.ann'}:{len(lines)} T15 Source {at('a council memo')[0]}-{at('a council memo')[1]}"]
    assert len(quotes_of(corpus)) == 4


# -- what is refused -------------------------------------------------------------------------------

def refused(corpus: Path, tmp_path: Path, lines: list[str], content: str = MAPPING, text: str = TEXT) -> str:
    """The error lines of a refused CLI import; nothing is written."""
    before = tree_bytes(corpus)
    code, out, err = run("import", "brat", folder(tmp_path, lines, text=text), "--corpus", corpus, "--mapping", mapping(tmp_path, content),
                         "--new-documents")
    assert code == 1 and "Traceback" not in err and tree_bytes(corpus) == before
    return err


def replaced(prefix: str, new: str) -> tuple[list[str], int]:
    """POLNEAR with the line starting with ``prefix`` replaced by ``new``, and that line's number."""
    number = line_of(POLNEAR, prefix)
    return POLNEAR[:number - 1] + [new] + POLNEAR[number:], number


T10_JOINED_WRONG = t(10, "Content", "the new timetable was", "too ambitious").replace("was too", "wastoo")


@pytest.mark.parametrize("prefix, new, says", [
    ("T8\t", t(8, "Source", "Officials", "argued"), "T8 (Source), the speaker of E3, is discontinuous"),
    ("T9\t", t(9, "Cue", "argued", "that"), "T9 (Cue), the cue of E3, is discontinuous"),
    ("T12\t", t(12, "Time", "Monday", "fares"), "T12 (Time), an entity mention of type DATE, is discontinuous"),
    ("T10\t", T10_JOINED_WRONG, "is not the text of its fragments joined by a space, as brat writes it"),
    ("E3\t", "E3\tAttribution:T11 Source:T8 Cue:T9", "no content: none of its arguments has a role that"),
    ("E3\t", "E3\tAttribution:T11 Source:T8 Source2:T1 Cue:T9 Content:T10", "2 speaker spans (Source, Source2); a quote has one"),
    ("E3\t", "E3\tAttribution:T11 Source:T8 Cue:T9 Content:T10 Place:T12", "role 'Place' is not in brat.roles of"),
    ("E3\t", "E3\tAttribution:T11 Source:T8 Cue:T9 Content:E1", "argument Content:E1 is an event, not a text-bound span"),
    ("E3\t", "E3\tAttribution:T11 Source:T8 Cue:T9 Content:T99", "argument Content:T99: no such annotation"),
])
def test_what_a_quote_or_mention_cannot_be_is_refused_at_its_line(corpus, tmp_path, prefix, new, says):
    lines, number = replaced(prefix, new)
    err = refused(corpus, tmp_path, lines)
    assert err.startswith(f"newsspans import: {tmp_path / 'brat' / 'harbour.ann'}:{number}: "), err
    assert says in err and err.count("\n") == 1


def test_every_line_that_breaks_brats_syntax_is_named(corpus, tmp_path):
    lines = POLNEAR + ["E9\tAttribution Source:T1", "X1\tsomething", "T20\tSource 1 two\tx", "N1\tReference T1\tAda"]
    err = refused(corpus, tmp_path, lines)
    assert err.startswith("newsspans import: 4 errors:\n")
    shown = tmp_path / "brat" / "harbour.ann"
    says = ["(an event's trigger is a span)", "'X1' is not a brat annotation id", "offsets in ASCII digits",
            "expected 'N<n><TAB>Reference ID DB:KEY<TAB>NAME'"]
    for k, (line, what) in enumerate(zip(err.splitlines()[1:], says)):
        assert line.startswith(f"  {shown}:{len(POLNEAR) + k + 1}: ") and what in line, line


def test_a_registry_id_on_a_content_span_is_refused(corpus, tmp_path):
    lines = POLNEAR + ["N1\tReference T3 NewsSpans:iran\tIran"]
    err = refused(corpus, tmp_path, lines)
    assert f"harbour.ann:{len(lines)}: a registry id belongs on an entity mention, a speaker span or a quote event" in err


def test_a_reference_to_a_missing_annotation_is_refused(corpus, tmp_path):
    lines = POLNEAR[:-1] + ["#1\tAnnotatorNotes T99\tcheck"]
    err = refused(corpus, tmp_path, lines)
    assert f"harbour.ann:{len(lines)}: T99: no such annotation" in err


def test_a_role_the_mapping_does_not_name_is_skipped_and_counted_with_unknown_skip(corpus, tmp_path):
    lines = list(POLNEAR)
    lines[13] = "E3\tAttribution:T11 Source:T8 Cue:T9 Content:T10 Place:T12"
    content = MAPPING + "unknown: skip\n"
    report = import_("brat", src=folder(tmp_path, lines), corpus=corpus, mapping=mapping(tmp_path, content), new_documents=True)
    assert [w.split(" ")[1] for w in report.ignored["arguments of roles not in the mapping"]] == ["T12"]
    assert read_json(corpus / "annotations" / "harbour.json")["entities"] == []  # T12 is a part, never a mention


def test_quote_types_from_an_attribute_default_or_the_marks_and_validator_problems_located(corpus, tmp_path):
    text = "Ada said “we sail at dawn” and added that the crew\nwas ready.\n"
    lines = [t(1, "Source", "Ada", text=text), t(2, "Cue", "said", text=text), t(3, "Content", "“we sail at dawn”", text=text),
             t(4, "Attribution", "said", text=text), "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3",
             t(5, "Cue", "added", text=text), t(6, "Content", "the crew", "was ready", text=text),
             t(7, "Attribution", "added", text=text), "E2\tAttribution:T7 Source:T1 Cue:T5 Content:T6",
             "A1\tKind E2 Verbatim"]
    src = folder(tmp_path, lines, text=text)
    # E1 has no Kind: auto from its marks, direct; its content holds the marks, which the validator
    # refuses at T3's line (--trim would move them out). E2's Kind maps to direct: no marks around
    # either fragment, each refused at T6's line, named by its fragment.
    content = MAPPING.replace("  trigger: none\n", "  trigger: none\n  type: {attribute: Kind, values: {Verbatim: direct}}\n")
    with pytest.raises(FormatError) as caught:
        import_("brat", src=src, corpus=corpus, mapping=mapping(tmp_path, content), new_documents=True)
    located = [(p.line, p.code, p.item) for p in caught.value.problems]
    (s1, e1), (s2, e2), (s3, e3) = at("“we sail at dawn”", text=text), at("the crew", text=text), at("was ready", text=text)
    split = f"T6 Content {s2}-{e2};{s3}-{e3}"
    assert located == [(3, "E-QUOTE-MARKS", f"T3 Content {s1}-{e1}"), (7, "E-QUOTE-MARKS", f"{split} (fragment 1 of 2)"),
                       (7, "E-QUOTE-MARKS", f"{split} (fragment 2 of 2)")]
    # With the default indirect and no attribute, the file imports; an unmapped value is refused.
    content = MAPPING.replace("  trigger: none\n", "  trigger: none\n  type: {attribute: Kind, values: {Verbatim: direct}, "
                                                   "default: indirect}\n")
    report = import_("brat", src=folder(tmp_path, lines[:-1], text=text), corpus=corpus, mapping=mapping(tmp_path, content),
                     new_documents=True, dry_run=True)
    assert report.carried["quotes"] == 3
    err = refused(corpus, tmp_path, lines[:-1] + ["A1\tKind E2 Loose"], content, text)
    assert "value 'Loose' of Kind is not in brat.type.values of" in err


def test_a_claim_type_is_an_entity_label_like_any_other(corpus, tmp_path):
    lines = POLNEAR + [t(15, "Claim", "fares would fall")]
    err = refused(corpus, tmp_path, lines)
    assert f"harbour.ann:{len(lines)}: [E-ENT-LABEL] T15 Claim" in err and "does not name it" in err


def test_without_a_brat_section_the_file_is_read_as_newsspans_own(corpus, tmp_path):
    err = refused(corpus, tmp_path, POLNEAR, "entities:\n  Time: DATE\n")
    assert "harbour.ann:1: unknown event type 'Attribution': NewsSpans has only Quote events" in err


# -- the user documentation ------------------------------------------------------------------------

def fenced(markdown: str, lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", markdown, flags=re.S | re.M)


def test_the_documented_example_is_what_the_import_does(corpus, tmp_path):
    doc = (ROOT / "docs" / "import-brat.md").read_text(encoding="utf-8")
    [commands], [yaml] = fenced(doc, "sh"), fenced(doc, "yaml")
    text, ann, printed, refusal = fenced(doc, "text")
    src = tmp_path / "harbour-src"
    src.mkdir()
    (src / "harbour.txt").write_text(text, encoding="utf-8")
    (src / "harbour.ann").write_text(ann, encoding="utf-8")
    (tmp_path / "harbour.yaml").write_text(yaml, encoding="utf-8")
    dry_run = shlex.split(commands.splitlines()[0].partition("#")[0])
    code, out, err = run(*dry_run[1:], "--corpus", corpus, cwd=tmp_path)
    assert code == 0 and err + out == printed
    bad = tmp_path / "bad"
    shutil.copytree(src, bad)
    lines = ann.splitlines()
    assert lines[10] == "T8\tSource 82 91\tOfficials"
    lines[10] = "T8\tSource 82 91;92 98\tOfficials argued"
    (bad / "harbour.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run("import", "brat", "bad", "--mapping", "harbour.yaml", "--new-documents", "--corpus", corpus, cwd=tmp_path)
    assert code == 1 and err == refusal
