"""spaCy DocBin: spaCy itself loads it; doc.ents and the span groups equal the gold spans."""

from __future__ import annotations

import json
import sys

from helpers import CORPUS
from helpers import run
from test_tokens import GOLD

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
