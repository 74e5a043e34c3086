"""spaCy DocBin: spaCy itself loads it; doc.ents and the span groups equal the gold spans."""

from __future__ import annotations

import json
import sys
import weakref

import pytest
from helpers import CORPUS
from helpers import run, tree_bytes
from test_tokens import GOLD

from newsspans._synth import write_synthetic_corpus
from newsspans.formats.spacy_docbin import INSTALL, words_and_spaces
from newsspans.dataset import global_id, split_of
from newsspans.tokenize import segment, tokenize

TRAIN = [doc for doc in GOLD if split_of(doc.meta.story_id) == "train"]


def load_docs(path):
    import spacy
    from spacy.tokens import DocBin

    return list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))


def test_spacy_loads_the_docbin_and_its_spans_are_the_gold_spans(tmp_path):
    code, out, err = run("export", "spacy", "--corpus", CORPUS, "--out", tmp_path / "s")
    assert code == 0, err
    counts = {layer: sum(len(getattr(doc.annotations, layer)) for doc in GOLD) for layer in ("entities", "quotes", "claims")}
    assert f"{counts['entities']} entity mentions, {counts['quotes']} quotes, {counts['claims']} claims" in out
    docs = load_docs(tmp_path / "s" / "train.spacy")
    assert TRAIN and len(docs) == len(TRAIN)
    for gold, sd in zip(TRAIN, docs):
        ann = gold.annotations
        assert sd.text == gold.text
        assert sd.user_data["newsspans"]["id"] == gold.id
        assert [(e.start_char, e.end_char, e.label_, e.kb_id_ or None, e.id_) for e in sd.ents] == [
            (m.start, m.end, m.label, m.entity_id, global_id(gold.id, m.id)) for m in ann.entities]
        groups = {name: [(s.start_char, s.end_char, s.label_, s.kb_id_, s.id_) for s in sd.spans[name]] for name in sd.spans}
        assert groups["quotes_content"] == [(q.content.start, q.content.end, q.type, "", global_id(gold.id, q.id)) for q in ann.quotes]
        assert groups["quotes_speaker"] == [(q.speaker.start, q.speaker.end, "speaker", q.speaker_entity_id or "", global_id(gold.id, q.id))
                                            for q in ann.quotes if q.speaker]
        assert groups["quotes_cue"] == [(q.cue.start, q.cue.end, "cue", "", global_id(gold.id, q.id)) for q in ann.quotes if q.cue]
        assert groups["claims"] == [(c.start, c.end, c.label, c.claimant, global_id(gold.id, c.id)) for c in ann.claims]
        assert json.loads(json.dumps(sd.user_data["newsspans"]["annotations"])) == ann.to_dict()
        real_sents = [s for s in sd.sents if s.text.strip()]
        assert len(real_sents) == len(segment(gold))


def test_whitespace_tokens_rebuild_the_text_exactly():
    import spacy
    from spacy.tokens import Doc

    text = " date 2024\n\nIran  and\tRussia \n"
    words, spaces, real = words_and_spaces(text, tokenize(text))
    assert Doc(spacy.blank("en").vocab, words=words, spaces=spaces).text == text
    assert [w for w, r in zip(words, real) if r] == ["date", "2024", "Iran", "and", "Russia"]


def test_without_spacy_the_command_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "spacy", None)  # `import spacy` now raises ImportError
    code, out, err = run("export", "spacy", "--corpus", CORPUS, "--out", tmp_path / "s")
    assert code == 1
    assert err == f"newsspans export: {INSTALL}\n"
    assert "pip install 'newsspans[spacy]'" in err
    assert not (tmp_path / "s").exists()


# -- a split of many documents is a folder of DocBins, written as it fills ---------------------------

def doc_key(sd):
    """What a Doc holds: text, tokens, sentences, entities, span groups and the export's record."""
    spans = {name: [(s.start_char, s.end_char, s.label_, s.kb_id_, s.id_) for s in group] for name, group in sd.spans.items()}
    ents = [(e.start_char, e.end_char, e.label_, e.kb_id_, e.id_) for e in sd.ents]
    return sd.text, sd.to_json(), [t.is_sent_start for t in sd], ents, spans, sd.user_data


def split_docs(path):
    """The Docs of one split's file or folder, in the order spaCy's training reader takes them."""
    from spacy.training.corpus import walk_corpus

    return [doc for p in walk_corpus(path, ".spacy") for doc in load_docs(p)]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A valid corpus of 40 documents over the three splits, and their ids by split."""
    from newsspans.formats.base import open_corpus

    corpus = write_synthetic_corpus(tmp_path_factory.mktemp("synthetic") / "corpus", docs=40)
    ids: dict[str, list[str]] = {}
    for split, doc in open_corpus(corpus).documents():
        ids.setdefault(split, []).append(doc.id)
    return corpus, ids


def test_a_split_of_more_documents_than_a_file_holds_is_a_folder_spacy_reads_back_whole(synthetic, tmp_path):
    corpus, ids = synthetic
    per_file = min(len(v) for v in ids.values())  # the smallest split fills one file exactly: still one file
    assert max(len(v) for v in ids.values()) > per_file
    code, out, err = run("export", "spacy", "--corpus", corpus, "--out", tmp_path / "one")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == sorted([f"{s}.spacy" for s in ids] + ["config.cfg"])
    code, out, err = run("export", "spacy", "--corpus", corpus, "--out", tmp_path / "sharded", "--docs-per-file", per_file)
    assert code == 0, err
    files = sorted(p.relative_to(tmp_path / "sharded").as_posix() for p in (tmp_path / "sharded").rglob("*") if p.is_file())
    expected = ["config.cfg"]  # spaCy's training config, naming each split's file or folder
    for split, members in ids.items():
        if len(members) <= per_file:
            expected.append(f"{split}.spacy")
        else:
            expected += [f"{split}/{split}-{k:05d}.spacy" for k in range(-(-len(members) // per_file))]
    assert files == sorted(expected)
    assert f"({len(files)} files)" in out
    from spacy.util import load_config

    paths = load_config(tmp_path / "sharded" / "config.cfg")["paths"]
    for key, split in (("train", "train"), ("dev", "validation")):
        assert paths[key] == (split if len(ids[split]) > per_file else f"{split}.spacy")
    for split, members in ids.items():
        target = tmp_path / "sharded" / (split if len(members) > per_file else f"{split}.spacy")
        if target.is_dir():  # every file full but the last
            assert [len(load_docs(p)) for p in sorted(target.iterdir())][:-1] == [per_file] * (len(list(target.iterdir())) - 1)
        docs = split_docs(target)
        assert [d.user_data["newsspans"]["id"] for d in docs] == members
        assert [doc_key(d) for d in docs] == [doc_key(d) for d in load_docs(tmp_path / "one" / f"{split}.spacy")]


def test_the_sharded_export_is_the_same_bytes_every_time(synthetic, tmp_path):
    corpus, _ = synthetic
    for name in ("a", "b"):
        code, out, err = run("export", "spacy", "--corpus", corpus, "--out", tmp_path / name, "--docs-per-file", 3)
        assert code == 0, err
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")
    assert len(tree_bytes(tmp_path / "a")) > len(synthetic[1])  # sharded indeed


def test_the_export_holds_at_most_one_file_of_documents_per_split_and_writes_as_it_reads(synthetic, tmp_path, monkeypatch):
    import spacy.tokens
    from spacy.tokens import DocBin

    from newsspans.formats import spacy_docbin
    from newsspans.formats.base import open_corpus

    corpus, ids = synthetic
    live: "weakref.WeakSet[Counting]" = weakref.WeakSet()
    held: list[int] = []  # documents held by every DocBin still alive, after each add
    read = [0]
    read_at_write: list[int] = []

    class Counting(DocBin):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.docs = 0
            live.add(self)

        def add(self, doc):
            super().add(doc)
            self.docs += 1
            held.append(sum(b.docs for b in live))

        def to_disk(self, path):
            read_at_write.append(read[0])
            super().to_disk(path)

    def documents():
        for pair in open_corpus(corpus).documents():
            read[0] += 1
            yield pair

    monkeypatch.setattr(spacy.tokens, "DocBin", Counting)
    per_file = 3
    report = spacy_docbin.export(documents(), out=tmp_path, docs_per_file=per_file)
    total = sum(len(v) for v in ids.values())
    assert len(held) == read[0] == total
    assert max(held) <= per_file * len(ids) < total  # never the corpus: one file's worth per split
    assert read_at_write[0] < total  # the first file is written while documents are still being read
    assert len(report.files) == len(read_at_write) + 1  # and config.cfg


def test_docs_per_file_is_a_spacy_option_of_at_least_one(tmp_path):
    code, out, err = run("export", "conll", "--corpus", CORPUS, "--out", tmp_path / "c", "--docs-per-file", 5)
    assert (code, err) == (2, "newsspans export: --docs-per-file (docs_per_file) applies to the spacy format only\n")
    assert run("export", "spacy", "--corpus", CORPUS, "--out", tmp_path / "s", "--docs-per-file", 0)[0] == 2
    assert not (tmp_path / "c").exists() and not (tmp_path / "s").exists()


@pytest.mark.parametrize("fmt, option, value", [("conll", "docs_per_file", 5), ("spacy", "label_map", "conll"),
                                                ("jsonl", "offset_unit", "codepoint"), ("brat", "per_file", 5)])
def test_an_export_option_of_another_format_is_refused_by_the_library(tmp_path, fmt, option, value):
    from newsspans.errors import BadInput
    from newsspans.formats import export

    with pytest.raises(BadInput) as caught:
        export(fmt, corpus=CORPUS, out=tmp_path / "out", **{option: value})
    assert option in str(caught.value) and "\n" not in str(caught.value)
    assert not (tmp_path / "out").exists()
