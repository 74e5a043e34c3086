"""The release card reports the stored suggestions (issue 13): the build reads ``corpus/suggestions/``
(never computes suggestions), checks them, counts them in the source digest, and the card's
Suggestions section gives their evaluation against gold."""

from __future__ import annotations

import shutil

from helpers import gold_only, read_json, run, write_json

from newsspans.agreement import show_value
from newsspans.suggestions import evaluate_suggestions, read_suggestions, suggest

TITLE = "#### Suggestions"
HEADER = "| layer | metric | precision | recall | F1 | suggested | gold | matched |"


def section(release) -> str:
    """The card's Suggestions section, up to the next heading."""
    text = (release / "README.md").read_text(encoding="utf-8")
    assert text.count(TITLE) == 1
    return text.split(TITLE, 1)[1].split("\n#", 1)[0]


def table_rows(text: str) -> list[list[str]]:
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    assert lines[0] == HEADER
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[1:]]


def build(corpus, out) -> None:
    code, stdout, stderr = run("build", "--corpus", corpus, "--out", out, "--workers", "1")
    assert code == 0, stdout + stderr


def test_the_card_reports_the_evaluation_of_the_stored_suggestions(corpus_copy, tmp_path):
    suggest(corpus=corpus_copy, workers=1)
    build(corpus_copy, tmp_path / "data")
    rows = evaluate_suggestions(corpus=corpus_copy, stored=True)
    expected = [[r.layer, f"`{r.metric}`", show_value(r.precision), show_value(r.recall), show_value(r.f1),
                 str(r.suggested), str(r.gold), str(r.matched)]
                for r in rows if r.label is None and r.layer in ("entities", "quotes")]
    got = section(tmp_path / "data")
    assert table_rows(got) == expected
    assert {row[1] for row in expected} == {"`exact_typed`", "`overlap`", "`with_speaker`", "`speaker_agreement`", "`cue_agreement`"}
    assert f"the {rows[0].documents} document(s) that have both" in got
    doc_ids = sorted(p.stem for p in (corpus_copy / "suggestions").glob("*.json"))
    sources = sorted({s.source for d in doc_ids for s in read_suggestions(corpus_copy, d)})
    assert "Sources: " + ", ".join(f"`{x}`" for x in sources) + "." in got
    assert "optimistic" in got and "docs/suggestions.md" in got


def test_a_document_without_gold_is_left_out(corpus_copy, tmp_path):
    gold_only(corpus_copy)  # no layer or decision refers to the gold taken away below
    suggest(corpus=corpus_copy, workers=1)
    doc_ids = sorted(p.stem for p in (corpus_copy / "suggestions").glob("*.json"))
    ann = read_json(corpus_copy / "annotations" / f"{doc_ids[0]}.json")
    write_json(corpus_copy / "annotations" / f"{doc_ids[0]}.json", {**ann, "entities": [], "quotes": [], "claims": []})
    build(corpus_copy, tmp_path / "data")
    rows = evaluate_suggestions(corpus=corpus_copy, stored=True)
    assert rows[0].documents == len(doc_ids) - 1
    got = section(tmp_path / "data")
    assert f"the {rows[0].documents} document(s) that have both" in got
    assert [r[6] for r in table_rows(got)][:1] == [str(rows[0].gold)]


def test_build_check_notices_a_changed_suggestions_file(corpus_copy, tmp_path):
    suggest(corpus=corpus_copy, workers=1)
    out = tmp_path / "data"
    build(corpus_copy, out)
    assert run("build", "--check", "--corpus", corpus_copy, "--out", out)[0] == 0
    path = sorted((corpus_copy / "suggestions").glob("*.json"))[0]
    stored = read_json(path)
    stored["entities"][0]["score"] = 0.5 if stored["entities"][0]["score"] != 0.5 else 0.25
    write_json(path, stored)  # still valid, and the evaluation does not change: only the source digest
    code, stdout, stderr = run("build", "--check", "--corpus", corpus_copy, "--out", out)
    assert code != 0 and "manifest.json" in stdout + stderr and "README.md" not in stdout + stderr


def test_the_gate_checks_the_suggestions_files(corpus_copy, tmp_path):
    suggest(corpus=corpus_copy, workers=1)
    path = sorted((corpus_copy / "suggestions").glob("*.json"))[0]
    stored = read_json(path)
    stored["entities"][0]["text"] += "x"  # no longer the document's text
    write_json(path, stored)
    code, stdout, stderr = run("build", "--corpus", corpus_copy, "--out", tmp_path / "data", "--workers", "1")
    assert code != 0 and f"suggestions/{path.name}" in stdout + stderr
    assert not (tmp_path / "data").exists()


def test_without_suggestions_files_the_card_says_so_in_one_sentence(corpus_copy, tmp_path):
    shutil.rmtree(corpus_copy / "suggestions", ignore_errors=True)  # the project's corpus may store some
    build(corpus_copy, tmp_path / "data")
    got = section(tmp_path / "data")
    assert HEADER not in got and "no stored suggestions" in got
    assert len([line for line in got.splitlines() if line.strip()]) == 1
