"""CoNLL-2003-style columns: the tags decode back to the gold mentions; the CoNLL-2003 label map."""

from __future__ import annotations

from collections import Counter

from helpers import CORPUS, DATA
from helpers import run
from test_tokens import GOLD

from newsspans.dataset import split_of
from newsspans.formats import conll
from newsspans.labels import ONTONOTES_TO_CONLL
from newsspans.tokenize import segment, spans_from_bio

TRAIN = [doc for doc in GOLD if split_of(doc.meta.story_id) == "train"]
MENTIONS = sum(len(doc.annotations.entities) for doc in GOLD)


def test_export_decodes_back_to_the_gold_mentions(tmp_path):
    code, out, err = run("export", "conll", "--corpus", CORPUS, "--out", tmp_path / "c")
    assert code == 0, err
    assert f"{MENTIONS} entity mentions" in out and "lost" not in out
    text = (tmp_path / "c" / "train.conll").read_text(encoding="utf-8")
    assert text.startswith(f"-DOCSTART- {TRAIN[0].id} -X- O\n\n")
    # The seed 000 opens with an ORG mention of two tokens; its block is in the file, tagged.
    assert "\n\nRussian -X- -X- B-ORG\nSecurity -X- -X- I-ORG\n" in text
    parsed = conll.parse(text, file="train.conll")
    assert TRAIN and len(parsed) == len(TRAIN)
    for doc, sentences in zip(TRAIN, parsed):
        ours = segment(doc)
        assert [[w for w, _ in s] for s in sentences] == [[t.text for t in s.tokens] for s in ours]
        decoded = []
        for sentence, rows in zip(ours, sentences):
            decoded += spans_from_bio(sentence.tokens, [tag for _, tag in rows])
        assert sorted(decoded) == sorted((m.start, m.end, m.label) for m in doc.annotations.entities)


def test_the_conll_label_map_keeps_four_classes_and_counts_what_it_drops(tmp_path):
    code, out, err = run("export", "conll", "--label-map", "conll", "--corpus", CORPUS, "--out", tmp_path / "c")
    assert code == 0
    dropped = sum(1 for d in GOLD for m in d.annotations.entities if ONTONOTES_TO_CONLL[m.label] is None)
    assert dropped > 0  # else this test shows nothing
    assert f"{MENTIONS - dropped} entity mentions; lost to the format's documented limit: {dropped} entity mentions" in out
    assert "are tagged O" in err
    tags = Counter(tag for path in sorted((tmp_path / "c").glob("*.conll"))
                   for doc in conll.parse(path.read_text(encoding="utf-8")) for s in doc for _, tag in s)
    assert {t.split("-", 1)[-1] for t in tags if t != "O"} == {"PER", "ORG", "LOC", "MISC"}
    assert sum(n for t, n in tags.items() if t.startswith("B-")) == MENTIONS - dropped


def test_the_map_covers_every_type_and_is_in_the_card():
    from newsspans.labels import CONLL_LABELS, ENTITY_LABELS

    assert list(ONTONOTES_TO_CONLL) == list(ENTITY_LABELS)
    assert set(ONTONOTES_TO_CONLL.values()) == set(CONLL_LABELS) | {None}
    card = (DATA / "README.md").read_text(encoding="utf-8")
    assert "| LOC | FAC, GPE, LOC |" in card and "| MISC | NORP, PRODUCT, EVENT, WORK_OF_ART, LAW, LANGUAGE |" in card


def test_a_broken_line_names_the_file_and_line():
    import pytest

    with pytest.raises(conll.FormatError, match=r"^x.conll:3: expected 'TOKEN \.\.\. TAG'"):
        conll.parse("-DOCSTART- -X- -X- O\n\nIran\n", file="x.conll")


def test_an_existing_folder_is_never_overwritten(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "mine.txt").write_text("x", encoding="utf-8")
    code, out, err = run("export", "conll", "--corpus", CORPUS, "--out", tmp_path / "c")
    assert code == 1 and "exists and is not an empty folder" in err and err.count("\n") == 1
    assert run("export", "jsonl", "--label-map", "conll", "--out", tmp_path / "d")[0] == 2
