"""The views' columns (``dataset._views``): the same tables as their rows, tags found for a whole
document at once equal to each sentence's, and the same refusals."""

from __future__ import annotations

import pyarrow as pa
import pytest
from docgen import documents
from hypothesis import given, settings
from test_tokens import GOLD, doc_of

from newsspans.dataset import FEATURES
from newsspans.dataset._views import VIEWS, ViewColumns
from newsspans.labels import IOB2_TAGS, SENTENCE_CLAIM_LABELS
from newsspans.model import Annotations, Claim, Document, DocumentMeta
from newsspans.tokenize import AlignmentError, bio_tags, document_tags, segment, segmentation
from newsspans.validation import Corpus

SCHEMAS = {view: FEATURES[view].arrow_schema for view in VIEWS}


def synthetic_documents(tmp_path, docs: int = 60) -> list[Document]:
    from newsspans._synth import write_synthetic_corpus

    write_synthetic_corpus(tmp_path / "c", docs=docs)
    corpus = Corpus(tmp_path / "c")
    registry, _ = corpus.read_registry()
    return [doc for _, doc, _ in corpus.iter_documents(registry)]


def per_sentence_tags(doc: Document) -> list[str]:
    """The tags of the old way: each sentence tagged on its own with every mention of the document."""
    return [tag for sentence in segment(doc) for tag in bio_tags(sentence, doc.annotations.entities, document_id=doc.id)]


def test_the_tables_are_those_of_the_rows(tmp_path):
    docs = GOLD + synthetic_documents(tmp_path)
    columns = ViewColumns()
    for doc in docs:
        columns.add(doc)
    tables = columns.tables(SCHEMAS)
    rows = columns.rows()
    for view in VIEWS:
        assert tables[view].equals(pa.Table.from_pylist(rows[view], schema=SCHEMAS[view])), view
    sentences = [s for doc in docs for s in segment(doc)]
    assert tables["sentences"].num_rows == tables["tokens"].num_rows == len(sentences) > len(docs)
    assert columns.token_count() == sum(len(s.tokens) for s in sentences)
    assert rows["tokens"][0]["tokens"] == [t.text for t in sentences[0].tokens]
    assert sum(columns.claim_label_counts().values()) == len(sentences)


def test_only_the_views_asked_for_are_made():
    columns = ViewColumns(tokens=False)
    columns.add(GOLD[0])
    assert set(columns.tables(SCHEMAS)) == {"sentences"} and columns.token_count() == 0
    columns = ViewColumns(sentences=False)
    columns.add(GOLD[0])
    assert set(columns.rows()) == {"tokens"}
    with pytest.raises(TypeError):
        ViewColumns(True)  # keyword-only, like the rest of the library's options


def test_a_sentence_takes_the_highest_claim_label_of_the_claims_that_overlap_it():
    text = "Ana spoke. Then she left. Nobody knew."
    claims = (Claim("c1", 0, 25, text[0:25], "UFS", None, None), Claim("c2", 11, 15, text[11:15], "CFS", None, None))
    doc = Document(DocumentMeta("d", None, None, "d.txt", "en", "s", "0" * 64), text, Annotations("d", (), (), claims))
    columns = ViewColumns(tokens=False)
    columns.add(doc)
    assert [SENTENCE_CLAIM_LABELS[k] for k in columns.claim_labels] == ["UFS", "CFS", "NFS"]
    assert columns.ids == ["d:s1", "d:s2", "d:s3"] and columns.quoted == [False, False, False]


@settings(max_examples=200, deadline=None)
@given(documents(flat_entities=True))
def test_document_tags_are_each_sentences_tags(doc):
    tags = document_tags(segmentation(doc), doc.annotations.entities, document_id=doc.id)
    assert tags == per_sentence_tags(doc)
    assert set(tags) <= set(IOB2_TAGS)


def test_document_tags_of_the_gold_and_synthetic_documents(tmp_path):
    for doc in GOLD + synthetic_documents(tmp_path, docs=20):
        assert document_tags(segmentation(doc), doc.annotations.entities, document_id=doc.id) == per_sentence_tags(doc)


def test_document_tags_refuse_what_iob2_cannot_hold_with_the_same_line():
    text = "Iran and Russia met. Then they left."
    overlapping = doc_of(text, (0, len("Iran and Russia"), "ORG"), (len("Iran and "), len("Iran and Russia"), "GPE"))
    with pytest.raises(AlignmentError, match=r"^d: entity mention m2 9-15 'Russia' overlaps mention m1; IOB2"):
        document_tags(segmentation(overlapping), overlapping.annotations.entities, document_id="d")
    padded = doc_of(text, (len("Iran"), len("Iran and"), "ORG"))  # starts with a space
    with pytest.raises(AlignmentError, match=r"m1 4-8 ' and' does not start and end on token boundaries"):
        document_tags(segmentation(padded), padded.annotations.entities, document_id="d")
    segmented = segmentation(doc_of(text))
    assert len(segmented.bounds) == 2
    crossing = doc_of(text, (len("Iran and "), len("Iran and Russia met. Then"), "ORG"))
    with pytest.raises(AlignmentError, match=r"m1 9-25 'Russia met. Then' crosses a sentence boundary \(0-20\)"):
        document_tags(segmented, crossing.annotations.entities, document_id="d")
    with pytest.raises(TypeError):
        document_tags(segmented, (), "d")
