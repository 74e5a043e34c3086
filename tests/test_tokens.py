"""The `tokens` and `sentences` views: tokenizer, sentence splitter, IOB2 tags that decode back exactly."""

from __future__ import annotations

import os

import pytest
from helpers import CORPUS, DATA, layer_counts
from docgen import documents
from hypothesis import given, settings
from hypothesis import strategies as st

import datasets
from newsspans.validation import Corpus
from newsspans.dataset import FEATURES
from newsspans.labels import ENTITY_LABELS, IOB2_TAGS, SENTENCE_CLAIM_LABELS
from newsspans.model import Annotations, Document, DocumentMeta, EntityMention
from newsspans.dataset import document_rows
from newsspans.tokenize import AlignmentError, Sentence, bio_tags, segment, spans_from_bio, split_sentences, tokenize


def gold_documents() -> list[Document]:
    corpus = Corpus(CORPUS)
    registry, _ = corpus.read_registry()
    return [doc for _, doc, _ in corpus.iter_documents(registry)]


GOLD = gold_documents()
# The two seed documents, whatever else the corpus holds: their texts never change (tests/test_sources.py).
SEEDS = [doc for doc in GOLD if doc.id in ("000_1936301ef05f6424", "004_30159cef070f4760")]
SEED = next(doc for doc in SEEDS if doc.id == "000_1936301ef05f6424")
MENTIONS = layer_counts(CORPUS)["entities"]


def words(text: str, **kw) -> list[str]:
    return [t.text for t in tokenize(text, **kw)]


def doc_of(text: str, *mentions: tuple[int, int, str]) -> Document:
    ents = tuple(EntityMention(f"m{i}", s, e, text[s:e], label, None) for i, (s, e, label) in enumerate(mentions, start=1))
    return Document(DocumentMeta("d", None, None, "d.txt", "en", "s", "0" * 64), text, Annotations("d", ents))


def test_the_tag_names_derive_from_the_entity_labels():
    assert IOB2_TAGS[0] == "O" and len(IOB2_TAGS) == 1 + 2 * len(ENTITY_LABELS)
    assert IOB2_TAGS[1:3] == ("B-PERSON", "I-PERSON")
    assert FEATURES["tokens"]["ner_tags"].feature.names == list(IOB2_TAGS)
    assert FEATURES["sentences"]["claim_label"].names == ["NFS", "UFS", "CFS"] == list(SENTENCE_CLAIM_LABELS)


def test_tokenizer_rules():
    assert words("Iran’s U.S.-led 7,200-kilometer North-South corridor, don't!") == [
        "Iran", "’s", "U.S.", "-", "led", "7,200-kilometer", "North-South", "corridor", ",", "do", "n't", "!"]
    assert words("Mr. Smith... said “no”") == ["Mr.", "Smith", "...", "said", "“", "no", "”"]


def test_gold_boundaries_split_glued_words():
    text = "the newly elected presidentMasoud Pezeshkian, from Iranwhile"
    masoud = (len("the newly elected president"), len("the newly elected presidentMasoud Pezeshkian"))
    iran = (len("the newly elected presidentMasoud Pezeshkian, from "), len("the newly elected presidentMasoud Pezeshkian, from Iran"))
    assert "presidentMasoud" in words(text)
    tokens = words(text, boundaries=[*masoud, *iran])
    assert tokens == ["the", "newly", "elected", "president", "Masoud", "Pezeshkian", ",", "from", "Iran", "while"]


def test_sentences_keep_abbreviations_and_quoted_passages_whole():
    text = 'He said "It is over. We won." Then he left the U.S. for good. New line\nHeadline'
    tokens = tokenize(text)
    got = [text[s:e] for s, e in split_sentences(text, tokens)]
    assert got == ['He said "It is over. We won."', "Then he left the U.S. for good.", "New line", "Headline"]
    curly = "He said “It is over. We won.” Then"
    assert [curly[s:e] for s, e in split_sentences(curly, tokenize(curly))] == ["He said “It is over. We won.”", "Then"]


def test_a_break_never_falls_inside_a_mention():
    text = "They met Gen. X. Ray. Then left."
    tokens = tokenize(text)
    assert [text[s:e] for s, e in split_sentences(text, tokens)] == ["They met Gen. X.", "Ray.", "Then left."]
    mention = (len("They met "), len("They met Gen. X. Ray"))
    got = [text[s:e] for s, e in split_sentences(text, tokens, protected=[mention])]
    assert got == ["They met Gen. X. Ray.", "Then left."]


def test_gold_tags_decode_back_to_exactly_the_gold_mentions():
    misaligned, total = 0, 0
    for doc in GOLD:
        decoded = []
        for sentence in segment(doc):
            decoded += spans_from_bio(sentence.tokens, bio_tags(sentence, doc.annotations.entities, document_id=doc.id))
        gold = sorted((m.start, m.end, m.label) for m in doc.annotations.entities)
        misaligned += len(set(gold) ^ set(decoded))
        total += len(gold)
        assert sorted(decoded) == gold
    assert (misaligned, total) == (0, MENTIONS) and total > 0


def test_no_mention_crosses_a_sentence_and_sentences_are_trimmed():
    for doc in GOLD:
        sentences = segment(doc)
        for m in doc.annotations.entities:
            assert sum(1 for s in sentences if s.start <= m.start and m.end <= s.end) == 1, m
        for s in sentences:
            assert doc.text[s.start:s.end] == doc.text[s.start:s.end].strip()
            assert all(doc.text[t.start:t.end] == t.text and not t.text.isspace() for t in s.tokens)
    first = segment(SEED)
    assert len(first) == 16  # 13 lines, one of them holding three sentences
    assert [doc.text[s.start:s.end] for doc in SEEDS for s in segment(doc) if "U.S." in doc.text[s.start:s.end]] == [
        'The Iranian leader condemned Western countries, particularly the U.S., accusing them of "proclaiming support '
        "for human rights while remaining silent on Israel's crimes.\""]


def test_sentence_rows_carry_the_highest_claim_label_and_quotes():
    rows = document_rows(SEED)["sentences"]
    by_text = {r["text"]: r for r in rows}
    assert SENTENCE_CLAIM_LABELS[by_text["Accelerating strategic relationships"]["claim_label"]] == "NFS"
    first = rows[0]
    assert first["id"] == "000_1936301ef05f6424:s1" and SENTENCE_CLAIM_LABELS[first["claim_label"]] == "CFS"
    relations = [r for r in rows if r["text"].startswith("“Relations between")][0]
    assert SENTENCE_CLAIM_LABELS[relations["claim_label"]] == "UFS" and relations["has_quote"]
    assert not first["has_quote"]


def test_spacy_biluo_tags_agree_with_ours():
    import spacy  # in the test extra, so CI runs this for real
    from spacy.tokens import Doc
    from spacy.training import offsets_to_biluo_tags

    vocab = spacy.blank("en").vocab
    compared = 0
    for doc in GOLD:
        for sentence in segment(doc):
            ours = bio_tags(sentence, doc.annotations.entities, document_id=doc.id)
            words = [t.text for t in sentence.tokens]
            spaces = [doc.text[t.end:t.end + 1] == " " and i + 1 < len(words) and sentence.tokens[i + 1].start == t.end + 1
                      for i, t in enumerate(sentence.tokens)]
            sdoc = Doc(vocab, words=words, spaces=spaces)
            # Character offsets within the rebuilt sentence text, per token.
            starts = [tok.idx for tok in sdoc]
            local = {t.start: starts[i] for i, t in enumerate(sentence.tokens)}
            local_end = {t.end: starts[i] + len(t.text) for i, t in enumerate(sentence.tokens)}
            ents = [(local[m.start], local_end[m.end], m.label) for m in doc.annotations.entities
                    if sentence.start <= m.start and m.end <= sentence.end]
            biluo = offsets_to_biluo_tags(sdoc, ents)
            iob = [t.replace("U-", "B-").replace("L-", "I-") for t in biluo]
            assert iob == ours
            compared += len(ents)
    assert compared == MENTIONS > 0


def test_the_released_tokens_config_decodes_back_to_the_entities_config():
    from newsspans.tokenize import Token

    tokens = datasets.load_dataset(os.path.abspath(DATA), "tokens")
    entities = datasets.load_dataset(os.path.abspath(DATA), "entities")
    decoded, gold = set(), set()
    for split in tokens:
        names = tokens[split].features["ner_tags"].feature.names
        for row in tokens[split]:
            toks = [Token(s, e, w) for s, e, w in zip(row["token_starts"], row["token_ends"], row["tokens"])]
            decoded |= {(split, row["document_id"], s, e, label)
                        for s, e, label in spans_from_bio(toks, [names[t] for t in row["ner_tags"]])}
    for split in entities:
        label = entities[split].features["label"]
        gold |= {(split, m["document_id"], m["start"], m["end"], label.int2str(m["label"])) for m in entities[split]}
    assert decoded == gold and len(gold) == MENTIONS > 0


def test_a_mention_that_cannot_be_tagged_is_an_error_not_a_loss():
    text = "Iran and Russia met."
    overlapping = doc_of(text, (0, len("Iran and Russia"), "ORG"), (len("Iran and "), len("Iran and Russia"), "GPE"))
    [sentence] = segment(overlapping)
    with pytest.raises(AlignmentError, match=r"d: entity mention m2 9-15 'Russia' overlaps mention m1"):
        bio_tags(sentence, overlapping.annotations.entities, document_id="d")
    padded = doc_of(text, (len("Iran"), len("Iran and"), "ORG"))  # starts with a space
    [sentence] = segment(padded)
    with pytest.raises(AlignmentError, match=r"m1 4-8 ' and' does not start and end on token boundaries"):
        bio_tags(sentence, padded.annotations.entities, document_id="d")


@settings(max_examples=200, deadline=None)
@given(documents(flat_entities=True))
def test_random_documents_decode_back_exactly(doc):
    decoded = []
    sentences = segment(doc)
    for sentence in sentences:
        assert isinstance(sentence, Sentence)
        decoded += spans_from_bio(sentence.tokens, bio_tags(sentence, doc.annotations.entities, document_id=doc.id))
    assert sorted(decoded) == sorted((m.start, m.end, m.label) for m in doc.annotations.entities)
    tokens = [t for s in sentences for t in s.tokens]
    assert [t.text for t in tokens] == [doc.text[t.start:t.end] for t in tokens]
    assert "".join(t.text for t in tokens) == "".join(ch for ch in doc.text if not ch.isspace())


def _texts_everywhere() -> list[str]:
    """Every text the project has: the corpus, the test fixtures (dev and held-out sets, the
    validator's fixtures) and a synthetic corpus."""
    from pathlib import Path

    from newsspans._synth import synthetic_corpus

    roots = [CORPUS, Path(__file__).parent / "fixtures"]
    texts = [p.read_text(encoding="utf-8", errors="replace") for root in roots for p in sorted(root.rglob("texts/*.txt"))]
    _, docs = synthetic_corpus(docs=300, registry_size=50)
    return texts + [files[f"texts/{doc_id}.txt"].decode("utf-8") for doc_id, files in docs]


def test_the_fast_path_cuts_exactly_what_the_rules_regular_expression_cuts():
    texts = _texts_everywhere()
    assert len(texts) > 300
    for text in texts:
        assert tokenize(text) == tokenize(text, exhaustive=True)


_TRICKY = ["Mr.", "(Mr.", "U.S.", "(U.S.)", "do", "n't", "don't", "'s", "Iran's", "“Iran”", "«Iran»", "7,200",
           "7,", "7.", "word-", "-word", "North-South", "e\u0301", "a\u0301.", "x²", "a_b", "...", "word...", "Co.",
           "Corp.", "(Co.)", "[x]", "'", "''", "\u2019s", "'re", "I.", "No.", "no.", "A.B.", "(", ")", "“", "”."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TRICKY) | st.text(min_size=1, max_size=6), min_size=1, max_size=12),
       st.lists(st.sampled_from([" ", "\n", "\t", "\u00a0", "\u2009", ""]), min_size=1, max_size=12))
def test_the_fast_path_agrees_with_the_rules_on_random_runs(words, spaces):
    text = "".join(w + spaces[i % len(spaces)] for i, w in enumerate(words))
    assert tokenize(text) == tokenize(text, exhaustive=True)
    assert tokenize(text, boundaries=range(0, len(text), 3)) == tokenize(text, boundaries=range(0, len(text), 3),
                                                                         exhaustive=True)


def _sentences_by_every_token(text: str, tokens, protected=()) -> list[tuple[int, int]]:
    """The sentence rules applied after every token, as ``split_sentences`` did before it looked
    only at the tokens after which a sentence may end: the reference it must agree with."""
    from newsspans.tokenize import _CLOSING, _OPENING, _TERMINAL, quoted_passages

    zones = sorted(list(protected) + quoted_passages(text))
    sentences, first = [], 0
    for k in range(len(tokens) - 1):
        here, nxt = tokens[k], tokens[k + 1]
        gap = text[here.end : nxt.start]
        if "\n" in gap:
            brk = True
        elif not gap:
            brk = False
        else:
            t = k
            while t > first and tokens[t].text in _CLOSING and tokens[t - 1].end == tokens[t].start:
                t -= 1
            brk = tokens[t].text in _TERMINAL and (nxt.text[0].isupper() or nxt.text[0].isdigit() or nxt.text in _OPENING)
        if brk and any(start < here.end < end for start, end in zones):
            brk = False
        if brk:
            sentences.append((tokens[first].start, here.end))
            first = k + 1
    if tokens:
        sentences.append((tokens[first].start, tokens[-1].end))
    return sentences


def test_sentences_split_as_by_looking_after_every_token():
    for text in _texts_everywhere():
        tokens = tokenize(text)
        assert split_sentences(text, tokens) == _sentences_by_every_token(text, tokens)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TRICKY + ["A", "It", "9", "!", "?", ".", "\"", ")", "”", "“", "’"]) | st.text(max_size=4),
                min_size=1, max_size=16),
       st.lists(st.sampled_from([" ", "\n", "", " \n ", "  "]), min_size=1, max_size=12))
def test_sentences_split_as_by_looking_after_every_token_on_random_runs(words, spaces):
    text = "".join(w + spaces[i % len(spaces)] for i, w in enumerate(words))
    tokens = tokenize(text)
    protected = [(tokens[i].start, tokens[min(i + 2, len(tokens) - 1)].end) for i in range(1, len(tokens), 5)]
    assert split_sentences(text, tokens, protected=protected) == _sentences_by_every_token(text, tokens, protected)
