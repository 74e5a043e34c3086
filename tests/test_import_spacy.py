"""``newsspans import spacy``: a DocBin as ``export spacy`` writes it comes back whole (into the
same corpus: nothing changes; into an empty one with --new-documents: every text byte for byte and
every annotation file), and a DocBin made elsewhere (``spacy.blank``, ents only, CoNLL labels, ids
of its own) is read as far as it says and no further: foreign labels refused without a mapping,
a text that differs refused, quote parts that name no quote refused, other span groups counted."""

from __future__ import annotations

import hashlib
import json
import sys
import tracemalloc
from pathlib import Path

import pytest
from helpers import read_json, run, tree_bytes, write_json

from newsspans._synth import write_synthetic_corpus
from newsspans.formats import FormatError, export, import_
from newsspans.formats.spacy_docbin import INSTALL
from newsspans.model import Annotations, Claim, EntityMention, Quote, Span

spacy = pytest.importorskip("spacy")
from spacy.tokens import DocBin  # noqa: E402

A1 = "\u201cWe will rebuild the harbour,\u201d Ada Quill said on Monday, \u201cand the ferries will run again.\u201d\n" \
     "Velmora spent 4 million crowns on the port last year."
A2 = "The mayor of Velmora said the port would reopen in May. Officials confirmed the budget again. The port will grow, " \
     "it was announced."
NEW = "Ada Quill flew to Velmora."
REGISTRY = [
    {"entity_id": "ada-quill", "name": "Ada Quill", "type": "PERSON", "aliases": ["Ada Quill"], "wikidata": None},
    {"entity_id": "velmora", "name": "Velmora", "type": "GPE", "aliases": ["Velmora"], "wikidata": None},
]


def at(text: str, snippet: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(snippet, start + 1)
    return Span(start, start + len(snippet), snippet)


def mention(k: int, text: str, snippet: str, label: str, entity_id=None) -> EntityMention:
    s = at(text, snippet)
    return EntityMention(f"m{k}", s.start, s.end, snippet, label, entity_id)


def claim(k: int, text: str, snippet: str, label: str, claimant: str, cluster=None) -> Claim:
    s = at(text, snippet)
    return Claim(f"c{k}", s.start, s.end, snippet, label, claimant, cluster)


GOLD = {
    "a1": Annotations("a1", (
        mention(1, A1, "Ada Quill", "PERSON", "ada-quill"), mention(2, A1, "Monday", "DATE"),
        mention(3, A1, "Velmora", "GPE", "velmora"), mention(4, A1, "4 million crowns", "MONEY"),
        mention(5, A1, "last year", "DATE")), (
        # One statement split by its attribution: two quotes of one group, sharing speaker and cue.
        Quote("q1", "direct", at(A1, "We will rebuild the harbour,"), at(A1, "Ada Quill"), at(A1, "said"), "ada-quill", "g1", None),
        Quote("q2", "direct", at(A1, "and the ferries will run again."), at(A1, "Ada Quill"), at(A1, "said"), "ada-quill", "g1", None)), (
        claim(1, A1, "Velmora spent 4 million crowns on the port last year", "CFS", "author", "port-budget"),)),
    "a2": Annotations("a2", (mention(1, A2, "Velmora", "GPE", "velmora"), mention(2, A2, "May", "DATE")), (
        Quote("q1", "indirect", at(A2, "the port would reopen in May"), at(A2, "The mayor of Velmora"), at(A2, "said"), None, None, None),
        # No source mentioned: no speaker span, and so no speaker id (E-QUOTE-SPEAKER-MISSING).
        Quote("q2", "indirect", at(A2, "The port will grow"), None, at(A2, "announced"), None, None, None)), (
        claim(1, A2, "the port would reopen in May", "UFS", "velmora"),
        claim(2, A2, "Officials confirmed the budget again", "UFS", "author", "port-budget"))),
}
TEXTS = {"a1": A1, "a2": A2}


def make_corpus(root: Path, texts: dict[str, str] = TEXTS) -> Path:
    """A valid corpus of invented documents (``texts``, annotated as ``GOLD``) and their registry."""
    for sub in ("texts", "documents", "annotations"):
        (root / sub).mkdir(parents=True)
    write_json(root / "dataset.json", {"version": "1.0.0", "pretty_name": "Invented", "license": "other", "license_name": "none",
                                       "license_note": "Invented.", "source_note": "Invented.", "annotation_note": "Invented.",
                                       "annotators_note": "Invented.", "limitations_note": "Invented."})
    write_json(root / "registry.json", {"entities": REGISTRY})
    for doc_id, text in texts.items():
        data = text.encode("utf-8")
        (root / "texts" / f"{doc_id}.txt").write_bytes(data)
        write_json(root / "documents" / f"{doc_id}.json", {
            "id": doc_id, "title": None, "published": None, "source": f"{doc_id}.txt", "language": "en",
            "story_id": f"story-{doc_id}", "sha256": hashlib.sha256(data).hexdigest()})
        write_json(root / "annotations" / f"{doc_id}.json", GOLD[doc_id].to_dict())
    return root


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = make_corpus(tmp_path / "corpus")
    code, out, err = run("validate", "--corpus", root)
    assert code == 0, out + err
    return root


@pytest.fixture
def exported(corpus: Path, tmp_path: Path) -> Path:
    code, out, err = run("export", "spacy", "--corpus", corpus, "--out", tmp_path / "out")
    assert code == 0, err
    return tmp_path / "out"


def docbin(path: Path, docs) -> Path:
    """Write ``docs`` as a DocBin at ``path`` (with their user_data)."""
    bin_ = DocBin(store_user_data=True)
    for doc in docs:
        bin_.add(doc)
    bin_.to_disk(path)
    return path


def foreign_doc(text: str, ents: list[tuple[str, str, str]], **user_data):
    """A Doc as a pipeline makes it (``spacy.blank("en")``): ``ents`` are (snippet, label, kb id)."""
    doc = spacy.blank("en")(text)
    spans = []
    for snippet, label, kb in ents:
        s = at(text, snippet)
        spans.append(doc.char_span(s.start, s.end, label=label, kb_id=kb))
    doc.ents = spans
    doc.user_data.update(user_data)
    return doc


# -- our own DocBins come back whole --------------------------------------------------------------

def test_export_then_import_into_the_same_corpus_changes_nothing(corpus, exported):
    before = tree_bytes(corpus)
    code, out, err = run("import", "spacy", exported, "--corpus", corpus)
    assert code == 0, err
    assert "nothing changed (2 documents read, all as in the corpus)" in out
    assert "7 entity mentions, 4 quotes, 3 claims" in out
    assert tree_bytes(corpus) == before


def test_export_then_import_into_an_empty_corpus_brings_every_document_back(corpus, exported, tmp_path):
    empty = make_corpus(tmp_path / "empty", texts={})
    code, out, err = run("import", "spacy", exported / "train.spacy", "--corpus", empty)
    assert code == 1 and "no document 'a1' in the corpus; import with --new-documents" in err
    assert tree_bytes(empty) == tree_bytes(make_corpus(tmp_path / "again", texts={}))  # nothing written

    code, out, err = run("import", "spacy", exported, "--corpus", empty, "--new-documents")
    assert code == 0, err
    for doc_id in TEXTS:
        assert (empty / "texts" / f"{doc_id}.txt").read_bytes() == (corpus / "texts" / f"{doc_id}.txt").read_bytes()
        assert (empty / "annotations" / f"{doc_id}.json").read_bytes() == (corpus / "annotations" / f"{doc_id}.json").read_bytes()
        meta = read_json(empty / "documents" / f"{doc_id}.json")
        assert meta["sha256"] == hashlib.sha256(TEXTS[doc_id].encode("utf-8")).hexdigest()
    # The split quote's group and the claims' cluster travel in the export's record, by id.
    assert [q["group_id"] for q in read_json(empty / "annotations" / "a1.json")["quotes"]] == ["g1", "g1"]
    assert [q["cluster_id"] for q in read_json(empty / "annotations" / "a1.json")["claims"]] == ["port-budget"]
    assert run("validate", "--corpus", empty)[0] == 0


def test_a_split_exported_in_several_files_comes_back_whole(corpus, tmp_path):
    sharded = tmp_path / "sharded"
    code, out, err = run("export", "spacy", "--corpus", corpus, "--out", sharded, "--docs-per-file", 1)
    assert code == 0, err
    assert sorted(p.relative_to(sharded).as_posix() for p in sharded.rglob("*") if p.is_file()) == [
        "config.cfg", "train/train-00000.spacy", "train/train-00001.spacy"]  # the training config is not read
    (sharded / ".cache").mkdir()  # hidden, as spaCy's reader skips it: never read
    (sharded / ".cache" / "stale.spacy").write_bytes(b"not a docbin")
    before = tree_bytes(corpus)
    code, out, err = run("import", "spacy", sharded, "--corpus", corpus)
    assert code == 0, err
    assert "nothing changed (2 documents read, all as in the corpus)" in out
    assert tree_bytes(corpus) == before

    empty = make_corpus(tmp_path / "empty", texts={})
    code, out, err = run("import", "spacy", sharded, "--corpus", empty, "--new-documents")
    assert code == 0, err
    for sub, suffix in (("texts", "txt"), ("annotations", "json")):
        for doc_id in TEXTS:
            assert (empty / sub / f"{doc_id}.{suffix}").read_bytes() == (corpus / sub / f"{doc_id}.{suffix}").read_bytes()


def test_spans_edited_in_spacy_keep_their_ids_and_new_spans_get_fresh_ones(corpus, exported, tmp_path):
    [a1, a2] = list(DocBin().from_disk(exported / "train.spacy").get_docs(spacy.blank("en").vocab))
    ents = [e for e in a1.ents if e.text != "Monday"]  # m2 deleted in spaCy
    quill = at(A1, "Ada Quill")
    # m1 as an entity ruler re-made it, with a pattern id of its own (spaCy keeps a token's entity id
    # when doc.ents is set again, so a span without one would keep "a1:m1").
    ents[0] = a1.char_span(quill.start, quill.end, label="PERSON", kb_id="ada-quill", span_id="ruler-7")
    a1.ents = ents
    code, out, err = run("import", "spacy", docbin(tmp_path / "edited.spacy", [a1, a2]), "--corpus", corpus)
    assert code == 0, err
    assert "doc 0 (a1): 1 span id(s) (id_) are not ids of a1" in err
    ids = [(m["id"], m["text"]) for m in read_json(corpus / "annotations" / "a1.json")["entities"]]
    # m1..m5 were issued: the re-made span takes m6, and m2 never comes back.
    assert ids == [("m6", "Ada Quill"), ("m3", "Velmora"), ("m4", "4 million crowns"), ("m5", "last year")]


# -- DocBins made elsewhere -----------------------------------------------------------------------

def test_conll_labels_are_refused_without_a_mapping_and_imported_with_one(corpus, tmp_path):
    path = docbin(tmp_path / "incoming.spacy", [foreign_doc(NEW, [("Ada Quill", "PER", "ada-quill"), ("Velmora", "LOC", "velmora")])])
    before = tree_bytes(corpus)
    code, out, err = run("import", "spacy", path, "--corpus", corpus, "--new-documents")
    assert code == 1
    assert err.startswith("newsspans import: 3 errors:\n")
    # PER is no OntoNotes type: refused, located at its first mention. LOC is one, but with no GPE
    # in the source it is ambiguous (CoNLL's or OntoNotes'?): refused too, with every label found;
    # read as OntoNotes LOC, the registry's type of its entity (GPE) refuses it as well.
    assert 'label "LOC" (1 mention, the first here) with no GPE or FAC' in err and "Labels found: LOC (1), PER (1)" in err
    assert (f"{path}: [E-ENT-LABEL] doc 0 (incoming-0): ent 0 PER 0-9: unknown label \"PER\" (1 mention in the "
            "source, the first here): not one of NewsSpans' 18 types") in err
    assert f"{path}: [E-ENT-TYPE] doc 0 (incoming-0): ent 1 LOC 18-25: label LOC != registry type GPE of 'velmora'" in err
    assert "--mapping FILE" in err
    assert tree_bytes(corpus) == before

    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"entities": {"PER": "PERSON", "LOC": "GPE"}}), encoding="utf-8")
    code, out, err = run("import", "spacy", path, "--corpus", corpus, "--new-documents", "--mapping", mapping)
    assert code == 0, err
    # No id in the DocBin's user_data: the document is named after the file and its position.
    assert (corpus / "texts" / "incoming-0.txt").read_bytes() == NEW.encode("utf-8")
    ann = read_json(corpus / "annotations" / "incoming-0.json")
    assert [(m["id"], m["text"], m["label"], m["entity_id"]) for m in ann["entities"]] == [
        ("m1", "Ada Quill", "PERSON", "ada-quill"), ("m2", "Velmora", "GPE", "velmora")]
    assert ann["quotes"] == ann["claims"] == []
    assert "entity label PER imported as PERSON: 1" in err
    assert {k: v for k, v in tree_bytes(corpus).items() if not k.endswith("incoming-0.txt") and not k.endswith("incoming-0.json")} == before


def test_a_docbin_of_ents_only_keeps_the_corpus_quotes_and_claims(corpus, tmp_path):
    ents = [(m.text, m.label, m.entity_id or "") for m in GOLD["a1"].entities if m.text != "last year"]
    doc = foreign_doc(A1, ents, doc_id="a1")  # the id where a DocBin made elsewhere gives it
    for ent, m in zip(doc.ents, GOLD["a1"].entities):
        assert ent.text == m.text
    spans = [doc.char_span(e.start_char, e.end_char, label=e.label_, kb_id=e.kb_id_, span_id=f"a1:{m.id}")
             for e, m in zip(doc.ents, GOLD["a1"].entities)]
    doc.ents = spans
    code, out, err = run("import", "spacy", docbin(tmp_path / "ents.spacy", [doc]), "--corpus", corpus)
    assert code == 0, err
    ann = read_json(corpus / "annotations" / "a1.json")
    assert [m["id"] for m in ann["entities"]] == ["m1", "m2", "m3", "m4"]
    assert ann["quotes"] == GOLD["a1"].to_dict()["quotes"] and ann["claims"] == GOLD["a1"].to_dict()["claims"]
    assert ann["issued"]["entities"] == 5
    assert "holds no quotes or claims: the corpus's 2 quotes and 1 claims are kept" in err


def test_a_doc_whose_text_differs_from_the_corpus_is_refused(corpus, tmp_path):
    before = tree_bytes(corpus)
    path = docbin(tmp_path / "typo.spacy", [foreign_doc(A2.replace("mayor", "Mayor"), [], doc_id="a2")])
    code, out, err = run("import", "spacy", path, "--corpus", corpus)
    assert code == 1
    assert err.startswith(f"newsspans import: {path}: doc 0: the text of document a2 differs from the corpus's")
    assert tree_bytes(corpus) == before


def test_a_dry_run_writes_nothing(corpus, tmp_path):
    before = tree_bytes(corpus)
    path = docbin(tmp_path / "incoming.spacy", [foreign_doc(NEW, [("Ada Quill", "PERSON", "ada-quill")])])
    code, out, err = run("import", "spacy", path, "--corpus", corpus, "--new-documents", "--dry-run")
    assert code == 0, err
    assert "dry run: importing spacy" in out and "nothing was written" in out
    assert tree_bytes(corpus) == before


def test_problems_name_the_file_the_doc_and_the_span(corpus, tmp_path):
    path = docbin(tmp_path / "incoming.spacy", [foreign_doc(NEW, [("Ada Quill", "PERSON", "")])])
    with pytest.raises(FormatError) as info:
        import_("spacy", src=path, corpus=corpus, new_documents=True)
    [problem] = info.value.problems
    assert problem.code == "E-ENT-ID-MISSING" and problem.file == str(path)
    assert problem.item == "doc 0 (incoming-0): ent 0 PERSON 0-9"


def test_quote_parts_are_linked_by_id_never_by_position(corpus, tmp_path):
    doc = foreign_doc(A2, [], doc_id="a2")
    content, speaker, cue = (at(A2, s) for s in ("the port would reopen in May", "The mayor of Velmora", "said"))
    doc.spans["quotes_content"] = [doc.char_span(content.start, content.end, label="indirect", span_id="a2:q1")]
    doc.spans["quotes_speaker"] = [doc.char_span(speaker.start, speaker.end, label="speaker", span_id="elsewhere")]
    doc.spans["quotes_cue"] = [doc.char_span(cue.start, cue.end, label="cue", span_id="a2:q1"),
                               doc.char_span(cue.start, cue.end, label="cue", span_id="a2:q1")]
    before = tree_bytes(corpus)
    code, out, err = run("import", "spacy", docbin(tmp_path / "parts.spacy", [doc]), "--corpus", corpus)
    assert code == 1
    assert (f"{tmp_path / 'parts.spacy'}: doc 0 (a2): belongs to no quote: its id_ 'elsewhere' is the id_ of no span "
            "of quotes_content") in err
    assert f"a second cue of the quote whose id_ is 'a2:q1' (the first is quotes_cue 0 cue {cue.start}-{cue.end})" in err
    assert tree_bytes(corpus) == before


def test_other_span_groups_and_foreign_ids_are_counted_not_silently_taken(corpus, tmp_path):
    doc = foreign_doc(NEW, [("Ada Quill", "PERSON", "ada-quill")])
    doc.ents = [doc.char_span(0, 9, label="PERSON", kb_id="ada-quill", span_id="ruler-pattern-7")]
    doc.spans["sc"] = [doc.char_span(0, 3, label="X")]
    report = import_("spacy", src=docbin(tmp_path / "incoming.spacy", [doc]), corpus=corpus, new_documents=True)
    assert report.ignored == {"other span groups": [f"{tmp_path / 'incoming.spacy'} doc 0: span group 'sc' (1 span)"]}
    assert any("1 span id(s) (id_) are not ids of incoming-0" in n for n in report.notes)
    assert read_json(corpus / "annotations" / "incoming-0.json")["entities"][0]["id"] == "m1"


def test_a_folder_without_docbins_and_a_file_that_is_not_one(corpus, tmp_path):
    (tmp_path / "empty").mkdir()
    code, out, err = run("import", "spacy", tmp_path / "empty", "--corpus", corpus)
    assert (code, err) == (1, f"newsspans import: {tmp_path / 'empty'}: no .spacy files (a DocBin per file, as "
                              "`newsspans export spacy` writes them)\n")
    (tmp_path / "bad.spacy").write_bytes(b"not a docbin")
    code, out, err = run("import", "spacy", tmp_path / "bad.spacy", "--corpus", corpus)
    assert code == 1 and err.startswith(f"newsspans import: {tmp_path / 'bad.spacy'}: not a spaCy DocBin (")
    assert len(err.splitlines()) == 1


def test_without_spacy_the_import_says_how_to_install_it(corpus, exported, monkeypatch):
    before = tree_bytes(corpus)
    monkeypatch.setitem(sys.modules, "spacy", None)  # `import spacy` now raises ImportError
    code, out, err = run("import", "spacy", exported, "--corpus", corpus)
    assert (code, err) == (1, f"newsspans import: {INSTALL}\n")
    assert tree_bytes(corpus) == before


# -- memory ---------------------------------------------------------------------------------------


def import_peak(tmp_path: Path, docs: int) -> int:
    """The peak memory (tracemalloc) of importing back into its corpus the export of ``docs``
    synthetic documents, a few to a file."""
    corpus = write_synthetic_corpus(tmp_path / f"c{docs}", docs=docs, registry_size=30)
    export("spacy", corpus=corpus, out=tmp_path / f"x{docs}", docs_per_file=4)
    before = tree_bytes(corpus)
    tracemalloc.start()
    try:
        report = import_("spacy", src=tmp_path / f"x{docs}", corpus=corpus)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(report.documents) == docs and not report.changes and not report.files
    assert tree_bytes(corpus) == before
    return peak


def test_an_import_holds_one_file_of_docs_not_the_source(tmp_path):
    """Each DocBin's Docs are made with a vocabulary of their own, dropped with them: one shared by
    every file keeps every string of the source, some 10 KB a synthetic document (measured with
    tracemalloc, not timed). What stays is under 2 KB a document read (its id, where it was read)."""
    import_peak(tmp_path, 4)  # first, what is loaded once (spaCy's modules and tables)
    small, large = import_peak(tmp_path, 20), import_peak(tmp_path, 80)
    assert large - small < 60 * 4_000, f"peak {small} bytes for 20 documents, {large} for 80"
