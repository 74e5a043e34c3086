"""newsspans import conll: CoNLL files of the format's every quirk (IOB1, IOB2, BIOES, BILOU; CRLF,
byte-order marks; ``-DOCSTART-`` documents and ids; the tag in the last of any number of columns),
tokens aligned to a corpus document's text or a new document rebuilt by the spacing rule, foreign
labels refused or mapped, and the round trip through ``newsspans export conll``.

Every test builds its own small corpus in ``tmp_path`` from invented texts."""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Optional

import pytest
from helpers import CORPUS, ROOT, read_json, run, tree_bytes

from newsspans.corpus import add_document, dumps_canonical
from newsspans.formats import FormatError, export, import_
from newsspans.formats._conll_read import Row, read
from newsspans.formats.conll import DOCSTART, SPACING_RULE, rebuild
from newsspans.model import Annotations, EntityMention

STORY = "2030-01-01-avalon-port"
#: Texts written as the spacing rule rebuilds them, so a round trip gives them back byte for byte.
TEXT_A = "Mira Holt met Ivo Lind in Avalon on Monday.\nThey paid 40 dollars (in cash).\n"
TEXT_B = "On Monday, 40 ships left (two of them late).\n"
#: doc_a's gold: (surface, label, entity_id), in text order.
GOLD_A = [("Mira Holt", "PERSON", "mira-holt"), ("Ivo Lind", "PERSON", "ivo-lind"), ("Avalon", "GPE", "avalon"),
          ("Monday", "DATE", None), ("40 dollars", "MONEY", None)]
GOLD_B = [("Monday", "DATE", None), ("40", "CARDINAL", None), ("two", "CARDINAL", None)]
REGISTRY = [
    {"entity_id": "avalon", "name": "Avalon", "type": "GPE", "aliases": ["Avalon"], "wikidata": None},
    {"entity_id": "ivo-lind", "name": "Ivo Lind", "type": "PERSON", "aliases": ["Ivo Lind"], "wikidata": None},
    {"entity_id": "mira-holt", "name": "Mira Holt", "type": "PERSON", "aliases": ["Mira Holt"], "wikidata": None},
]


def mentions(doc_id: str, text: str, gold: list[tuple[str, str, Optional[str]]]) -> Annotations:
    """The mentions of ``gold`` found in ``text`` in order, numbered m1, m2, ..."""
    found, pos = [], 0
    for k, (surface, label, entity_id) in enumerate(gold, start=1):
        start = text.index(surface, pos)
        pos = start + len(surface)
        found.append(EntityMention(f"m{k}", start, pos, surface, label, entity_id))
    return Annotations(doc_id, tuple(found))


def make_corpus(root: Path, docs: dict[str, tuple[str, list]], registry: list[dict]) -> Path:
    """A valid corpus at ``root`` holding ``docs`` (id -> text and gold), all of one story."""
    for part in ("texts", "documents", "annotations"):
        (root / part).mkdir(parents=True)
    shutil.copy(CORPUS / "dataset.json", root / "dataset.json")
    (root / "registry.json").write_text(dumps_canonical({"entities": registry}), encoding="utf-8")
    for doc_id, (text, gold) in docs.items():
        source = root.parent / "incoming" / f"{doc_id}.txt"
        source.parent.mkdir(exist_ok=True)
        source.write_bytes(text.encode("utf-8"))
        add_document(source, corpus=root, story_id=STORY)
        (root / "annotations" / f"{doc_id}.json").write_text(dumps_canonical(mentions(doc_id, text, gold).to_dict()),
                                                              encoding="utf-8")
    code, out, err = run("validate", "--corpus", root)
    assert code == 0, out + err
    return root


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """doc_a (people, a place, a date, money; with registry ids) and doc_b (a date and numbers)."""
    return make_corpus(tmp_path / "corpus", {"doc_a": (TEXT_A, GOLD_A), "doc_b": (TEXT_B, GOLD_B)}, REGISTRY)


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    return make_corpus(tmp_path / "empty", {}, [])


def conll(path: Path, text: str, *, newline: str = "\n", bom: bool = False) -> Path:
    """A CoNLL file written from ``text`` (lines given with LF), with other line ends or a BOM if asked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode("utf-8"))
    return path


def columns(rows: str) -> str:
    """``"Mira B-PER | Holt I-PER || They O"``: rows split at ``|``, sentences at ``||``."""
    sentences = [[r.strip() for r in s.split("|") if r.strip()] for s in rows.split("||")]
    return "\n\n".join("\n".join(s) for s in sentences) + "\n"


def ann(corpus: Path, doc_id: str) -> dict:
    return read_json(corpus / "annotations" / f"{doc_id}.json")


def spans(corpus: Path, doc_id: str) -> list[tuple[str, str]]:
    return [(m["text"], m["label"]) for m in ann(corpus, doc_id)["entities"]]


def text_of(corpus: Path, doc_id: str) -> bytes:
    return (corpus / "texts" / f"{doc_id}.txt").read_bytes()


# -- the tag schemes ---------------------------------------------------------------------------------

def test_iob1_starts_entities_with_i_and_separates_two_of_one_type_with_b(empty, tmp_path):
    src = conll(tmp_path / "iob1.conll", columns(
        "Critics O | ranked O | Dune I-WORK_OF_ART | Messiah I-WORK_OF_ART | Emma B-WORK_OF_ART | and O | "
        "Ulysses I-WORK_OF_ART | on O | Monday I-DATE | . O"))
    report = import_("conll", src=src, corpus=empty, new_documents=True)
    assert text_of(empty, "iob1") == b"Critics ranked Dune Messiah Emma and Ulysses on Monday.\n"
    # A lone I- tag is a whole entity; B- cuts "Dune Messiah" from "Emma", both WORK_OF_ART.
    assert spans(empty, "iob1") == [("Dune Messiah", "WORK_OF_ART"), ("Emma", "WORK_OF_ART"), ("Ulysses", "WORK_OF_ART"),
                                    ("Monday", "DATE")]
    assert any("tags read as IOB1" in note for note in report.notes)


def test_iob2_and_iob1_cannot_be_mixed_and_the_refusal_names_each_reading(empty, tmp_path):
    src = conll(tmp_path / "mixed.conll", columns("Dune I-WORK_OF_ART | on O | Monday B-DATE | . O"))
    with pytest.raises(FormatError) as info:
        import_("conll", src=src, corpus=empty, new_documents=True)
    message = str(info.value)
    # Read as IOB1 it goes furthest (B-DATE after O, line 3); read as IOB2 it breaks at line 1.
    assert message.startswith(f"{src}:3: the tags fit no scheme: read as IOB1, B-DATE after O")
    assert "read as IOB2, it breaks at line 1 (I-WORK_OF_ART after the start of the sentence" in message
    assert tree_bytes(empty / "texts") == {}


@pytest.mark.parametrize("single, end, scheme", [("S", "E", "BIOES"), ("U", "L", "BILOU")])
def test_bioes_and_bilou(empty, tmp_path, single, end, scheme):
    src = conll(tmp_path / "x.conll", columns(
        f"On O | Monday {single}-DATE | they O | paid O | 40 B-MONEY | US I-MONEY | dollars {end}-MONEY | . O || "
        f"Two {single}-CARDINAL | left O"))
    report = import_("conll", src=src, corpus=empty, new_documents=True)
    assert text_of(empty, "x") == b"On Monday they paid 40 US dollars.\nTwo left\n"
    assert spans(empty, "x") == [("Monday", "DATE"), ("40 US dollars", "MONEY"), ("Two", "CARDINAL")]
    assert any(f"tags read as {scheme}" in note for note in report.notes)


@pytest.mark.parametrize("rows, line, says", [
    ("40 B-MONEY | dollars I-MONEY | . O || Monday S-DATE", 3, "O after I-MONEY: the entity is not closed (E-MONEY ends it)"),
    ("40 B-MONEY | dollars I-MONEY || x S-DATE", 2, "the sentence ends inside an entity (I-MONEY; E- ends one)"),
    ("40 S-MONEY | dollars E-MONEY", 2, "E-MONEY after S-MONEY: E- continues an entity that B-MONEY started"),
    ("Monday S-DATE | 40 U-MONEY", 2, "tag U-MONEY after tag S-DATE at line 1: a file uses one scheme"),
    ("Monday DATE | 40 O | 3 X-DATE", 1, "tag 'DATE' of token 'Monday' is not a tag: expected O or one of the prefixes "
                                         "B-, I-, E-, S-, L-, U- and a label; 1 more line(s) like it"),
])
def test_tags_that_break_the_scheme_are_refused_at_their_line(empty, tmp_path, rows, line, says):
    src = conll(tmp_path / "x.conll", columns(rows))
    with pytest.raises(FormatError) as info:
        import_("conll", src=src, corpus=empty, new_documents=True)
    assert str(info.value).startswith(f"{src}:{line}: ") and says in str(info.value)


# -- bytes, lines, columns ---------------------------------------------------------------------------

def test_crlf_and_a_byte_order_mark_read_as_lf(empty, tmp_path):
    rows = "-DOCSTART- -X- -X- O\n\n" + columns("On O | Monday B-DATE | , O | 40 B-CARDINAL | left O || Two B-CARDINAL | . O")
    for name, newline, bom in (("lf", "\n", False), ("crlf", "\r\n", False), ("bom", "\n", True), ("both", "\r\n", True)):
        conll(tmp_path / "src" / f"{name}.conll", rows, newline=newline, bom=bom)
    import_("conll", src=tmp_path / "src", corpus=empty, new_documents=True)
    assert text_of(empty, "lf") == b"On Monday, 40 left\nTwo.\n"
    for name in ("crlf", "bom", "both"):
        assert text_of(empty, name) == text_of(empty, "lf")
        assert spans(empty, name) == spans(empty, "lf") == [("Monday", "DATE"), ("40", "CARDINAL"), ("Two", "CARDINAL")]


def test_a_stray_carriage_return_or_bom_or_a_byte_not_utf8_is_refused_at_its_line(empty, tmp_path):
    folder = tmp_path / "src"
    conll(folder / "cr.conll", "On O\nMon\rday B-DATE\n")
    conll(folder / "joined.conll", "On O\n\n\ufeff-DOCSTART- O\n", bom=True)
    (folder / "latin.conll").write_bytes("On O\nM\xfcnchen O\n".encode("latin-1"))
    with pytest.raises(FormatError) as info:
        import_("conll", src=folder, corpus=empty, new_documents=True)
    assert info.value.errors == [f"{folder / 'cr.conll'}:2: a carriage return inside the line; lines end in LF or CRLF",
                                 f"{folder / 'joined.conll'}:3: a byte-order mark inside the file (files joined together?); "
                                 "only the file's first bytes may be one",
                                 f"{folder / 'latin.conll'}:2: byte 6 is not UTF-8; CoNLL files are read as UTF-8"]


def test_the_tag_is_the_last_column_whatever_the_columns_before_it(empty, tmp_path):
    # CoNLL-2003's four columns, tab-separated; the chunk column looks like tags and is not read.
    src = conll(tmp_path / "four.conll", "On\tIN\tB-PP\tO\nMonday\tNNP\tB-NP\tB-DATE\nships\tNNS\tI-NP\tO\nleft\tVBD\tB-VP\tO\n")
    report = import_("conll", src=src, corpus=empty, new_documents=True)
    assert spans(empty, "four") == [("Monday", "DATE")]
    assert f"{src}: 1 document, tags read as IOB2; columns 2 to 3 (part of speech, chunks) are not imported" in report.notes
    conll(src, "On IN O\nMonday NNP B-DATE\nships O\n")
    with pytest.raises(FormatError, match=r":3: 2 columns, where line 1 has 3; the tag is the last column"):
        import_("conll", src=src, corpus=empty, new_documents=True)


# -- documents and their ids -------------------------------------------------------------------------

def test_docstart_splits_documents_blank_lines_sentences_and_the_ids_are_numbered(empty, tmp_path):
    folder = tmp_path / "src"
    block = columns("On O | Monday B-DATE || Two B-CARDINAL | left O")
    conll(folder / "news.conll", "".join(f"{DOCSTART}\n\n{block}" for _ in range(3)).replace(DOCSTART, "-DOCSTART- harbour_1 -X- O", 1))
    conll(folder / "ten.txt", "".join(f"-DOCSTART- O\n\nDoc{n} O\n\n" for n in range(10)))
    conll(folder / "one.conll", f"{DOCSTART}\n\n{block}")
    conll(folder / "gap.conll", f"{DOCSTART}\n{DOCSTART}\n\n{block}")
    conll(folder / "notes.md", "not read\n")
    report = import_("conll", src=folder, corpus=empty, new_documents=True)
    ids = sorted(p.stem for p in (empty / "texts").iterdir())
    # news: the first -DOCSTART- line carries an id; the others are numbered by position.
    assert ids == sorted(["harbour_1", "news-2", "news-3", "one", "gap-2"] + [f"ten-{n:02d}" for n in range(1, 11)])
    assert report.ignored == {"empty documents": [f"{folder / 'gap.conll'}:1"]}
    assert text_of(empty, "news-3") == text_of(empty, "one") == b"On Monday\nTwo left\n"
    assert text_of(empty, "ten-10") == b"Doc9\n"
    assert read_json(empty / "documents" / "news-2.json")["story_id"] == "news-2"


def test_a_docstart_line_with_more_than_an_id_is_refused(empty, tmp_path):
    src = conll(tmp_path / "x.conll", "-DOCSTART- (bc/cctv/00) part 000\n\nOn O\n")
    with pytest.raises(FormatError, match=r"x\.conll:1: a -DOCSTART- line holds fillers .* found '\(bc/cctv/00\) part 000'"):
        import_("conll", src=src, corpus=empty, new_documents=True)


# -- a document of the corpus: tokens aligned to its text --------------------------------------------

def conll_of_a(tags: dict[str, str], *, tokens: Optional[list[str]] = None) -> str:
    """doc_a's tokens (or ``tokens``) in two sentences, tagged from ``tags`` (token -> tag; O otherwise)."""
    tokens = tokens or "Mira Holt met Ivo Lind in Avalon on Monday . || They paid 40 dollars ( in cash ) .".split()
    lines = ["-DOCSTART- doc_a -X- O", ""] + ["" if t == "||" else f"{t} -X- -X- {tags.get(t, 'O')}" for t in tokens]
    return "\n".join(lines) + "\n"


A_TAGS = {"Mira": "B-PERSON", "Holt": "I-PERSON", "Ivo": "B-PERSON", "Lind": "I-PERSON", "Avalon": "B-GPE", "Monday": "B-DATE",
          "40": "B-MONEY", "dollars": "I-MONEY"}


def test_a_corpus_document_keeps_its_text_and_its_mentions_ids(corpus, tmp_path):
    before = tree_bytes(corpus)
    tags = {**A_TAGS, "cash": "B-MONEY"}  # one mention more
    report = import_("conll", src=conll(tmp_path / "a.conll", conll_of_a(tags)), corpus=corpus)
    after = ann(corpus, "doc_a")
    assert text_of(corpus, "doc_a") == before["texts/doc_a.txt"]
    kept = json.loads(before["annotations/doc_a.json"])["entities"]
    assert after["entities"][:5] == kept  # same offsets and type: the same ids and entity_ids
    assert after["entities"][5] == {"id": "m6", "start": TEXT_A.index("cash"), "end": TEXT_A.index("cash") + 4, "text": "cash",
                                    "label": "MONEY", "entity_id": None}
    assert [(c.kind, c.layer) for c in report.changes] == [("added", "entities")]
    assert report.rewritten == ["doc_a"]


def test_a_token_that_does_not_align_names_its_line_and_the_text_there(corpus, tmp_path):
    before = tree_bytes(corpus)
    folder = tmp_path / "src"
    tokens = "Mira Holt meets Ivo".split()
    conll(folder / "a.conll", conll_of_a(A_TAGS, tokens=tokens))
    conll(folder / "b.conll", "-DOCSTART- doc_b -X- O\n\nOn O\nMonday B-DATE\n, O\n40 B-CARDINAL\nships O\nleft O\n-LRB- O\n")
    conll(folder / "c.conll", "-DOCSTART- doc_b -X- O\n\nOn O\nMonday B-DATE\n")  # doc_b again, and short
    with pytest.raises(FormatError) as info:
        import_("conll", src=folder, corpus=corpus)
    shown_a, shown_b = corpus / "texts" / "doc_a.txt", corpus / "texts" / "doc_b.txt"
    assert info.value.errors == [
        f"{folder / 'a.conll'}:5: token 'meets' does not align with document doc_a: at offset 10 of {shown_a} the text has "
        "'met I'; each token must be the text's next non-space characters, exactly (texts are never edited)",
        f"{folder / 'b.conll'}:9: token '-LRB-' does not align with document doc_b: at offset 25 of {shown_b} the text has "
        "'(two '; each token must be the text's next non-space characters, exactly (texts are never edited)",
        f"{folder / 'c.conll'}:1: document doc_b is already in {folder / 'b.conll'}",
    ]
    assert tree_bytes(corpus) == before
    conll(folder / "b.conll", "-DOCSTART- doc_b -X- O\n\nOn O\nMonday B-DATE\n")
    with pytest.raises(FormatError) as info:
        import_("conll", src=folder / "b.conll", corpus=corpus)
    assert str(info.value) == (f"{folder / 'b.conll'}:4: document doc_b ends here, but its text goes on at offset 9 of {shown_b} "
                               "(', 40 ships left (two of them l'); a document's tokens cover its whole text")


# -- labels --------------------------------------------------------------------------------------------

CONLL_TAGS = {"Mira": "B-PER", "Holt": "I-PER", "Ivo": "B-PER", "Lind": "I-PER", "Avalon": "B-LOC", "Monday": "B-MISC"}


def test_a_foreign_label_set_without_a_mapping_is_refused_listing_its_labels(corpus, tmp_path):
    before = tree_bytes(corpus)
    src = conll(tmp_path / "a.conll", conll_of_a(CONLL_TAGS))
    code, out, err = run("import", "conll", src, "--corpus", corpus)
    assert code == 1
    found = {label: (line, n) for line, label, n in re.findall(r'a\.conll:(\d+): \[E-ENT-LABEL\] [^:]*: unknown label "(\w+)" '
                                                                 r'\((\d+) mentions? in the source', err)}
    # Each label not among the 18 types, once, with its count, at its first mention's line.
    assert {label: found[label] for label in ("PER", "MISC")} == {"PER": ("3", "2"), "MISC": ("11", "1")}
    assert tree_bytes(corpus) == before


def test_a_mapping_renames_and_drops_labels_and_counts_them(corpus, tmp_path):
    mapping = tmp_path / "conll2003.json"
    mapping.write_text(json.dumps({"entities": {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE", "MISC": "drop"}}), encoding="utf-8")
    before = json.loads(tree_bytes(corpus)["annotations/doc_a.json"])["entities"]
    report = import_("conll", src=conll(tmp_path / "a.conll", conll_of_a(CONLL_TAGS)), corpus=corpus, mapping=mapping)
    # The people and the place keep their ids and registry ids; CoNLL-2003 has no DATE or MONEY.
    assert ann(corpus, "doc_a")["entities"] == before[:3]
    assert {(c.kind, c.id) for c in report.changes} == {("removed", "m4"), ("removed", "m5")}
    assert "entity label PER imported as PERSON: 2" in report.notes and "entity label LOC imported as GPE: 1" in report.notes
    assert "entity label MISC dropped by the mapping: 1 mention(s) not imported" in report.notes
    assert report.ignored == {"entity labels dropped by the mapping": ["MISC: 1 mention(s)"]}


def test_a_new_mention_of_a_referent_type_needs_a_registry_id_named_at_its_line(corpus, tmp_path):
    mapping = tmp_path / "m.json"
    mapping.write_text('{"entities": {"PER": "PERSON", "LOC": "GPE", "MISC": "drop"}}', encoding="utf-8")
    tags = {**CONLL_TAGS, "Ivo": "O", "Lind": "B-PER"}  # "Lind" alone: not a mention the corpus has
    src = conll(tmp_path / "a.conll", conll_of_a(tags))
    with pytest.raises(FormatError) as info:
        import_("conll", src=src, corpus=corpus, mapping=mapping)
    assert str(info.value).startswith(f"{src}:7: [E-ENT-ID-MISSING] B-PER Lind: a PERSON mention needs an entity_id")


# -- new documents -------------------------------------------------------------------------------------

def test_a_new_document_is_created_byte_for_byte_as_the_rebuilt_text(empty, tmp_path):
    src = conll(tmp_path / "quote.conll", columns(
        "He O | said O | ( O | “ O | no O | ” O | ) O | , O | Holt O | 's O | boat O | is O | n't O | ‘ O | late O | ’ O | "
        "... O || [ O | 3 B-CARDINAL | ] O | \" O | ok O | \" O | ; O | 10 B-PERCENT | % I-PERCENT | ?! O"))
    before = tree_bytes(empty)
    code, out, err = run("import", "conll", src, "--corpus", empty)
    assert code == 1 and err == (f"newsspans import: {src}:1: no document 'quote' in the corpus; import with "
                                 "--new-documents to create it from the source's text (as `newsspans add` does), or add the "
                                 "text first\n")
    assert tree_bytes(empty) == before
    import_("conll", src=src, corpus=empty, new_documents=True, story_id="2030-02-02-harbour")
    text = "He said (“no”), Holt's boat isn't ‘late’...\n[3] \" ok \"; 10 %?!\n"
    assert text_of(empty, "quote") == text.encode("utf-8")
    meta = read_json(empty / "documents" / "quote.json")
    assert meta["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest() and meta["story_id"] == "2030-02-02-harbour"
    assert ann(empty, "quote")["entities"] == [
        {"id": "m1", "start": text.index("3"), "end": text.index("3") + 1, "text": "3", "label": "CARDINAL", "entity_id": None},
        {"id": "m2", "start": text.index("10"), "end": text.index("10") + 4, "text": "10 %", "label": "PERCENT", "entity_id": None}]
    code, out, err = run("validate", "--corpus", empty)
    assert code == 0, out


def test_a_dry_run_writes_nothing(corpus, empty, tmp_path):
    into_corpus = conll(tmp_path / "a.conll", conll_of_a({**A_TAGS, "cash": "B-MONEY"}))
    new = conll(tmp_path / "x.conll", columns("On O | Monday B-DATE"))
    for root, src, options in ((corpus, into_corpus, {}), (empty, new, {"new_documents": True})):
        before = tree_bytes(root)
        report = import_("conll", src=src, corpus=root, dry_run=True, **options)
        assert report.changes and report.files  # what it would write
        assert tree_bytes(root) == before


# -- the round trip through newsspans export conll ------------------------------------------------

def exported(corpus: Path, out: Path) -> Path:
    """The one split file of ``newsspans export conll`` (OntoNotes labels, its default) of a one-story corpus."""
    export("conll", corpus=corpus, out=out)
    [path] = sorted(out.glob("*.conll"))
    return path


def test_export_then_import_into_the_same_corpus_changes_nothing(corpus, tmp_path):
    path = exported(corpus, tmp_path / "out")
    # -DOCSTART- lines without an id (CoNLL-2003's) get their document's; the export lists them by id.
    head, *documents = re.split(rf"^{re.escape(DOCSTART)}$", path.read_text(encoding="utf-8"), flags=re.M)
    path.write_text(head + "".join(f"-DOCSTART- {doc_id} -X- O{rest}" for doc_id, rest in zip(["doc_a", "doc_b"], documents)),
                    encoding="utf-8")
    before = tree_bytes(corpus)
    report = import_("conll", src=path, corpus=corpus, new_documents=True)
    assert report.documents == ["doc_a", "doc_b"] and report.changes == [] and report.rewritten == [] and report.files == []
    assert report.carried["entity mentions"] == len(GOLD_A) + len(GOLD_B)
    assert tree_bytes(corpus) == before


def test_export_then_import_into_an_empty_corpus_brings_the_documents_and_mentions_back(tmp_path, empty):
    text_c = "The ferry left at 7 a.m. on Monday.\nIt carried 300 cars, 12 % more (a record).\n"
    gold_c = [("7 a.m.", "TIME", None), ("Monday", "DATE", None), ("300", "CARDINAL", None), ("12 %", "PERCENT", None)]
    source = make_corpus(tmp_path / "source", {"doc_b": (TEXT_B, GOLD_B), "doc_c": (text_c, gold_c)}, [])
    code, out, err = run("import", "conll", exported(source, tmp_path / "out"), "--corpus", empty, "--new-documents")
    assert code == 0, err
    created = {text_of(empty, p.stem): p.stem for p in (empty / "texts").iterdir()}
    assert len(created) == 2
    for doc_id in ("doc_b", "doc_c"):
        # The texts follow the spacing rule, so they come back byte for byte, and the mentions with them.
        new = created[text_of(source, doc_id)]
        assert ann(empty, new) == {**ann(source, doc_id), "document_id": new}


# -- the user documentation ------------------------------------------------------------------------

def fenced(markdown: str, lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", markdown, flags=re.S | re.M)


def test_the_documented_conll2003_example_and_spacing_rule_are_what_the_import_does(empty, tmp_path):
    doc = (ROOT / "docs" / "import-conll.md").read_text(encoding="utf-8")
    [example], [mapping], [command] = fenced(doc, "conll"), fenced(doc, "json"), fenced(doc, "sh")
    _alignment, first, second, errors = fenced(doc, "text")
    (tmp_path / "eng.testx").write_text(example, encoding="utf-8")
    (tmp_path / "conll2003.json").write_text(mapping, encoding="utf-8")
    before = tree_bytes(empty)
    code, out, err = run(*shlex.split(command)[1:], "--corpus", empty, cwd=tmp_path)
    assert (code, err) == (1, errors)
    assert tree_bytes(empty) == before
    code, out, err = run(*shlex.split(command)[1:], "--corpus", empty, "--create-entities", cwd=tmp_path)
    assert code == 0, err  # the documented command is a dry run: the new entries are listed, nothing is written
    assert all(f"{x}," in out + err or f"{x} (" in out + err for x in ("avalon-ferries", "mira-holt", "brest"))
    assert tree_bytes(empty) == before
    assert [rebuild(block.sentences)[0] for block in read(example, name="eng.testx").blocks] == [first, second]
    rule = " ".join(line.removeprefix("> ") for line in doc.splitlines() if line.startswith("> "))
    assert rule == SPACING_RULE
    tokens, rebuilt = re.search(r"^`(.*?)` becomes `(.*?)`", doc, flags=re.M).groups()
    assert rebuild([[Row(0, t, "O") for t in tokens.split()]])[0] == rebuilt + "\n"


def test_another_tag_column_is_named_with_tag_column(empty, tmp_path):
    src = conll(tmp_path / "mid.conll", "On O NN\nMonday B-DATE NNP\nships O NNS\n")
    with pytest.raises(FormatError):
        import_("conll", src=src, corpus=empty, new_documents=True)  # NNS is no tag
    report = import_("conll", src=src, corpus=empty, new_documents=True, tag_column=2)
    assert spans(empty, "mid") == [("Monday", "DATE")]
    assert any("column 3 (not the tags) not imported" in note for note in report.notes)
    with pytest.raises(FormatError, match=r":1: no column 4 for the tag \(the line has 3"):
        import_("conll", src=src, corpus=empty, new_documents=True, tag_column=4, dry_run=True)
    code, out, err = run("import", "brat", tmp_path, "--corpus", empty, "--tag-column", "2")
    assert code != 0 and "--tag-column names the column of CoNLL's tags" in err
