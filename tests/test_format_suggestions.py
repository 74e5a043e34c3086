"""Exports carry the suggestions as suggestions (Label Studio ``predictions``, a brat folder
``suggestions/`` noted with sources and scores), and imports never take them as annotations.

Each test works on a private copy of the corpus without annotators' layers, with one invented
document whose emoji makes UTF-16 offsets differ from code points, and suggestions written by
``newsspans.suggestions.suggest``; one document has its suggestions file removed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import document_ids, gold_only, read_json, run, tree_bytes, write_json

from newsspans.corpus import add_annotator, add_document
from newsspans.suggestions import suggest

EMOJI_DOC = "zz_emoji_note"
#: Invented; registry aliases (Brussels, European Commission, EU) after the emoji, and a direct quote.
EMOJI_TEXT = ("Officials in Brussels 😀 said on Monday that the European Commission would meet again. "
              "“We are ready for the talks,” said Anna Berg, a spokesperson for the EU.\n")


@pytest.fixture
def corpus(corpus_copy: Path, tmp_path: Path) -> Path:
    root = gold_only(corpus_copy)
    src = tmp_path / f"{EMOJI_DOC}.txt"
    src.write_text(EMOJI_TEXT, encoding="utf-8")
    add_document(src, corpus=root, story_id="2030-01-01-brussels-talks")
    suggest(corpus=root, workers=1)
    (root / "suggestions" / f"{without(root)}.json").unlink()
    return root


def without(root: Path) -> str:
    """The document whose suggestions file the fixture removes: the first that is not the emoji's."""
    return next(d for d in document_ids(root) if d != EMOJI_DOC)


def stored(root: Path) -> dict[str, dict]:
    return {p.stem: read_json(p) for p in sorted((root / "suggestions").glob("*.json"))}


def items(value: dict) -> list[dict]:
    return [item for layer in ("entities", "quotes", "claims") for item in value[layer]]


def export(root: Path, fmt: str, out: Path, *options: str) -> str:
    code, stdout, err = run("export", fmt, "--corpus", root, "--out", out, *options)
    assert code == 0, err
    return err


def tasks(out: Path) -> dict[str, dict]:
    return {t["data"]["document_id"]: t for t in read_json(out / "tasks.json")}


def utf16(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")


# --- Label Studio -------------------------------------------------------------------------------


def test_labelstudio_predictions_carry_model_version_and_scores(corpus: Path, tmp_path: Path):
    err = export(corpus, "labelstudio", tmp_path / "ls", "--suggestions")
    export(corpus, "labelstudio", tmp_path / "plain")
    got, plain = tasks(tmp_path / "ls"), tasks(tmp_path / "plain")
    files = stored(corpus)
    version = "+".join(sorted({item["source"] for value in files.values() for item in items(value)}))
    assert f"model_version {version}" in err
    for doc_id, t in got.items():
        assert t["annotations"] == plain[doc_id]["annotations"]  # gold as before
        mine = items(files[doc_id]) if doc_id in files else []
        if not mine:
            assert "predictions" not in t
            continue
        [prediction] = t["predictions"]
        assert prediction["model_version"] == version
        assert prediction["score"] == pytest.approx(sum(i["score"] for i in mine) / len(mine))
        labels = [r for r in prediction["result"] if r["type"] == "labels"]
        by_id = {i["id"]: i for i in mine}
        for r in labels:
            assert r["score"] == by_id[r["id"].partition(".")[0]]["score"]
        entities = {(r["id"], r["value"]["labels"][0]) for r in labels if r["from_name"] == "entity"}
        assert entities == {(i["id"], i["label"]) for i in files[doc_id]["entities"]}
    assert without(corpus) not in files and "predictions" not in got[without(corpus)]


def test_labelstudio_prediction_offsets_are_utf16(corpus: Path, tmp_path: Path):
    export(corpus, "labelstudio", tmp_path / "ls", "--suggestions")
    t = tasks(tmp_path / "ls")[EMOJI_DOC]
    labels = [r for r in t["predictions"][0]["result"] if r["type"] == "labels"]
    after = [r for r in labels if r["value"]["text"] == "European Commission"]
    assert after, labels
    for r in labels:
        v = r["value"]
        assert utf16(EMOJI_TEXT, v["start"], v["end"]) == v["text"]
    # after the emoji, a UTF-16 offset is one more than the code point offset
    assert after[0]["value"]["start"] == EMOJI_TEXT.index("European Commission") + 1
    assert any(r["from_name"] == "quote" for r in labels)  # the quote's regions carry scores too


def test_labelstudio_no_gold_holds_predictions_only(corpus: Path, tmp_path: Path):
    export(corpus, "labelstudio", tmp_path / "ls", "--suggestions", "--no-gold")
    got = tasks(tmp_path / "ls")
    assert all(t["annotations"] == [] for t in got.values())
    assert got[EMOJI_DOC]["predictions"][0]["result"]


@pytest.mark.parametrize("options", [(), ("--no-gold",)])
def test_labelstudio_round_trip_leaves_gold_byte_for_byte(corpus: Path, tmp_path: Path, options):
    export(corpus, "labelstudio", tmp_path / "ls", "--suggestions", *options)
    before = tree_bytes(corpus)
    code, out, err = run("import", "labelstudio", tmp_path / "ls", "--corpus", corpus)
    assert code == 0, err
    assert tree_bytes(corpus) == before
    assert "prediction not imported" in err and "never taken as annotations" in err


# --- brat -------------------------------------------------------------------------------------


NOTE = re.compile(r"#\d+\tAnnotatorNotes (T\d+|E\d+)\t(\S+) (\d\.\d+)")


def test_brat_suggestions_folder_and_notes(corpus: Path, tmp_path: Path):
    out, plain = tmp_path / "brat", tmp_path / "plain"
    export(corpus, "brat", out, "--suggestions")
    export(corpus, "brat", plain)
    everything = tree_bytes(out)
    assert {k: v for k, v in everything.items() if not k.startswith("suggestions/")} == tree_bytes(plain)
    folder = out / "suggestions"
    files = stored(corpus)
    assert sorted(p.stem for p in folder.glob("*.ann")) == sorted(d for d, v in files.items() if items(v))
    assert (folder / "annotation.conf").read_text(encoding="utf-8").startswith("# NewsSpans suggestions")
    assert (folder / f"{EMOJI_DOC}.txt").read_text(encoding="utf-8") == EMOJI_TEXT
    ann = (folder / f"{EMOJI_DOC}.ann").read_text(encoding="utf-8").splitlines()
    textbound = {line.split("\t")[0]: line.split("\t") for line in ann if line.startswith("T")}
    notes = {m.group(1): (m.group(2), float(m.group(3))) for line in ann for m in [NOTE.fullmatch(line)] if m}
    expected = {(e["start"], e["end"], e["label"], e["source"], e["score"]) for e in files[EMOJI_DOC]["entities"]}
    found = set()
    for tid, (source, score) in notes.items():
        if tid.startswith("T") and textbound[tid][1].split()[0] not in ("Quote", "Claim"):
            label, start, end = textbound[tid][1].split()
            assert EMOJI_TEXT[int(start):int(end)] == textbound[tid][2]  # brat counts code points
            found.add((int(start), int(end), label, source, score))
    assert found == expected
    quotes = files[EMOJI_DOC]["quotes"]
    assert quotes and sum(tid.startswith("E") for tid in notes) == len(quotes)


def test_brat_import_of_an_export_leaves_the_suggestions_out(corpus: Path, tmp_path: Path):
    export(corpus, "brat", tmp_path / "brat", "--suggestions")
    before = tree_bytes(corpus)
    code, out, err = run("import", "brat", tmp_path / "brat", "--corpus", corpus)
    assert code == 0, err
    assert tree_bytes(corpus) == before
    assert "suggestions" in err and "not imported" in err


def test_brat_layers_import_skips_the_suggestions_folder(corpus: Path, tmp_path: Path):
    export(corpus, "brat", tmp_path / "brat", "--suggestions", "--annotators", "gold")
    assert (tmp_path / "brat" / "gold").is_dir() and (tmp_path / "brat" / "suggestions").is_dir()
    before = tree_bytes(corpus)
    code, out, err = run("import", "brat", tmp_path / "brat", "--layers", "--corpus", corpus)
    assert code == 0, err
    assert tree_bytes(corpus) == before
    assert "1 suggestions folder" in out


def test_brat_suggestions_folder_is_refused_until_reviewed(corpus: Path, tmp_path: Path):
    export(corpus, "brat", tmp_path / "brat", "--suggestions", "--no-gold")
    assert not list((tmp_path / "brat").glob("*.ann"))
    folder = tmp_path / "brat" / "suggestions"
    before = tree_bytes(corpus)
    for src in (tmp_path / "brat", folder):
        code, out, err = run("import", "brat", src, "--corpus", corpus)
        assert code == 1 and err.count("\n") == 1 and "Traceback" not in err, err
        assert tree_bytes(corpus) == before
    assert "nobody accepted" in err
    # an annotator accepts every suggestion of one document by deleting the notes, and drops the rest
    for ann in folder.glob("*.ann"):
        if ann.stem != EMOJI_DOC:
            ann.unlink()
    ann = folder / f"{EMOJI_DOC}.ann"
    lines = ann.read_text(encoding="utf-8").splitlines()
    ann.write_text("".join(line + "\n" for line in lines if not line.startswith("#")), encoding="utf-8")
    add_annotator(corpus=corpus, annotator_id="reviewer", kind="human")
    code, out, err = run("import", "brat", folder, "--corpus", corpus, "--annotator", "reviewer")
    assert code == 0, err
    layer = read_json(corpus / "layers" / "reviewer" / f"{EMOJI_DOC}.json")
    value = stored(corpus)[EMOJI_DOC]
    assert [(e["start"], e["end"], e["label"]) for e in layer["entities"]] == \
        [(e["start"], e["end"], e["label"]) for e in value["entities"]]
    assert tree_bytes(corpus / "annotations") == {k[len("annotations/"):]: v for k, v in before.items()
                                                  if k.startswith("annotations/")}


# --- refusals ---------------------------------------------------------------------------------


def refused(root: Path, *argv) -> str:
    code, out, err = run(*argv)
    assert code != 0 and err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_suggestions_without_a_suggestions_folder_is_one_line(corpus: Path, tmp_path: Path):
    for p in (corpus / "suggestions").glob("*.json"):
        p.unlink()
    (corpus / "suggestions").rmdir()
    err = refused(corpus, "export", "labelstudio", "--corpus", corpus, "--out", tmp_path / "ls", "--suggestions")
    assert "run `newsspans suggest`" in err
    assert not (tmp_path / "ls").exists()


@pytest.mark.parametrize("argv", [("conll", "--suggestions"), ("labelstudio", "--no-gold"),
                                  ("brat", "--suggestions", "--no-gold", "--layers")])
def test_options_that_do_not_go_together(corpus: Path, tmp_path: Path, argv):
    refused(corpus, "export", argv[0], "--corpus", corpus, "--out", tmp_path / "x", *argv[1:])


def test_stale_suggestions_are_refused(corpus: Path, tmp_path: Path):
    path = corpus / "suggestions" / f"{EMOJI_DOC}.json"
    value = read_json(path)
    first = value["entities"][0]
    first["start"] += 1
    first["end"] += 1
    write_json(path, value)
    err = refused(corpus, "export", "brat", "--corpus", corpus, "--out", tmp_path / "b", "--suggestions")
    assert "run `newsspans suggest` again" in err
    assert not (tmp_path / "b").exists()
    assert json.loads(path.read_text(encoding="utf-8")) == value
