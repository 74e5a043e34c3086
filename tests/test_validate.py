"""``newsspans validate``: one minimal invalid fixture per code, the golden report, the options."""

from __future__ import annotations

import json
import sys

import pytest
from helpers import CORPUS, ROOT, first_doc, read_json, run, tree_bytes, write_json

from newsspans.validation import CODES, ERROR, iter_problems
from newsspans.validation import checks_table

FIXTURES = ROOT / "tests" / "fixtures" / "validator"
sys.path.insert(0, str(FIXTURES))
import make_fixtures  # noqa: E402


@pytest.mark.parametrize("name", make_fixtures.fixture_names())
def test_each_fixture_prints_its_expected_lines(name):
    code, out, err = run("validate", "--corpus", f"{name}/corpus", cwd=FIXTURES)
    lines = make_fixtures.problem_lines(out.splitlines())
    expected = (FIXTURES / name / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert lines == expected
    if name == "valid":
        assert (code, lines) == (0, [])
        return
    assert any(f"[{name}]" in line for line in lines), "the fixture must trigger its own code"
    assert code == (1 if CODES[name].severity == ERROR else 0)
    assert err == ""


def test_every_code_has_a_fixture_and_every_fixture_a_code():
    dirs = {p.name for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert dirs == set(CODES) | {"valid"}
    assert set(make_fixtures.FIXTURES) == set(CODES)


def test_the_fixtures_are_what_the_generator_writes(tmp_path):
    for name in make_fixtures.fixture_names():
        make_fixtures.make(name, tmp_path / name)
        assert tree_bytes(tmp_path / name) == tree_bytes(FIXTURES / name / "corpus"), name


def test_golden_report_of_the_whole_fixture_set():
    golden = []
    for name in make_fixtures.fixture_names():
        golden += [f"## newsspans validate {name}/corpus", *make_fixtures.report_lines(name), ""]
    assert "\n".join(golden) == (FIXTURES / "golden.txt").read_text(encoding="utf-8")


def test_the_checks_table_documents_every_code():
    table = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    assert table == checks_table()
    for code in CODES:
        assert f"| `{code}` |" in table


def test_validation_modifies_nothing(corpus_copy):
    ann = corpus_copy / "annotations" / f"{first_doc(corpus_copy)}.json"
    value = read_json(ann)
    value["entities"][0]["start"] += 1
    write_json(ann, value)
    before = tree_bytes(corpus_copy)
    stamps = {p: p.stat().st_mtime_ns for p in corpus_copy.rglob("*")}
    assert run("validate", "--corpus", str(corpus_copy))[0] == 1
    assert tree_bytes(corpus_copy) == before
    assert {p: p.stat().st_mtime_ns for p in corpus_copy.rglob("*")} == stamps


@pytest.fixture
def two_problems(tmp_path):
    """A fixture corpus with two span errors and one warning."""
    make_fixtures.make("valid", tmp_path / "c")
    path = tmp_path / "c" / "annotations" / "d1.json"
    value = read_json(path)
    for m in value["entities"][1:3]:
        m["start"] += 1
        m["end"] += 1
    value["quotes"][0]["group_id"] = "g1"
    write_json(path, value)
    return tmp_path / "c"


def test_explanation_is_printed_once_per_run(two_problems):
    code, out, _ = run("validate", "--corpus", str(two_problems))
    assert code == 1
    assert out.count("[E-SPAN-TEXT]") == 2
    assert out.count("(E-SPAN-TEXT) Every span stores its text") == 1
    lines = out.splitlines()
    assert lines[-3:] == ["  E-SPAN-TEXT (error): 2", "  W-QUOTE-GROUP (warning): 1",
                          "*** FAILED *** with 2 error(s) and 1 warning(s)"]


def test_json_report_has_every_problem_with_its_fields(two_problems):
    code, out, _ = run("validate", "--corpus", str(two_problems), "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert (report["result"], report["errors"], report["warnings"]) == ("FAILED", 2, 1)
    assert report["counts"] == {"E-SPAN-TEXT": 2, "W-QUOTE-GROUP": 1}
    first = report["problems"][0]
    assert set(first) == {"code", "severity", "message", "file", "line", "column", "document_id", "item", "start", "end", "fix"}
    assert (first["code"], first["severity"], first["document_id"], first["item"]) == ("E-SPAN-TEXT", "error", "d1", "entities[1]")
    assert first["fix"].startswith("did you mean ")


def test_select_ignore_no_warnings_and_max_errors(two_problems):
    _, out, _ = run("validate", "--corpus", str(two_problems), "--select", "W-*")
    assert "[E-SPAN-TEXT]" not in out and "[W-QUOTE-GROUP]" in out and out.endswith("*** PASSED *** with 0 error(s) and 1 warning(s)\n")
    code, out, _ = run("validate", "--corpus", str(two_problems), "--ignore", "E-SPAN-TEXT,W-QUOTE-GROUP")
    assert code == 0 and out.endswith("*** PASSED *** with 0 error(s) and 0 warning(s)\n")
    code, out, _ = run("validate", "--corpus", str(two_problems), "--no-warnings")
    assert code == 1 and "W-QUOTE-GROUP" not in out
    code, out, _ = run("validate", "--corpus", str(two_problems), "--max-errors", "1")
    assert code == 1 and out.count("[E-SPAN-TEXT]") == 1
    assert "... 1 more error(s) not shown (--max-errors 1)" in out
    assert "*** FAILED *** with 2 error(s) and 1 warning(s)" in out


@pytest.mark.parametrize("argv, message", [
    (["--select", "E-NOPE"], "unknown check code 'E-NOPE'"),
    (["--max-errors", "-1"], "--max-errors must be 0 or more"),
])
def test_usage_errors_exit_2(argv, message):
    code, out, err = run("validate", "--corpus", str(CORPUS), *argv)
    assert code == 2 and message in err and out == ""


def test_a_missing_folder_is_a_usage_error(tmp_path):
    code, out, err = run("validate", "--corpus", str(tmp_path / "nope"))
    assert code == 2 and err == f"newsspans validate: {tmp_path / 'nope'}: no such corpus folder\n"


def test_build_refuses_with_the_same_report(two_problems, tmp_path):
    code, _, err = run("build", "--corpus", str(two_problems), "--out", str(tmp_path / "d"))
    _, out, _ = run("validate", "--corpus", str(two_problems))
    assert code == 1
    assert err.splitlines()[:-1] == out.splitlines()
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("entity_id, code", [("nobody-known", "E-ENT-REF"), (None, "E-ENT-ID-MISSING")])
def test_a_broken_link_does_not_make_its_alias_unused(tmp_path, entity_id, code):
    """The mention "Pezeshkian" is the only use of that alias: once its link is broken, the alias
    check cannot tell whose form it is, and reports nothing beyond the broken link."""
    make_fixtures.make("valid", tmp_path / "c")
    path = tmp_path / "c" / "annotations" / "d1.json"
    value = read_json(path)
    [m] = [m for m in value["entities"] if m["text"] == "Pezeshkian"]
    m["entity_id"] = entity_id
    write_json(path, value)
    assert [p.code for p in iter_problems(tmp_path / "c")] == [code]


def test_a_mention_whose_offsets_fail_does_not_make_its_alias_unused(tmp_path):
    make_fixtures.make("valid", tmp_path / "c")
    path = tmp_path / "c" / "annotations" / "d1.json"
    value = read_json(path)
    [m] = [m for m in value["entities"] if m["text"] == "Pezeshkian"]
    m["text"] = "Pezeshkyan"  # a typo in the stored text
    write_json(path, value)
    assert [p.code for p in iter_problems(tmp_path / "c")] == ["E-SPAN-TEXT"]


def test_list_checks_prints_the_table():
    code, out, _ = run("validate", "--list-checks")
    assert code == 0 and out == checks_table()


def test_real_corpus_warnings_are_none():
    code, out, _ = run("validate", "--corpus", str(CORPUS))
    assert (code, out) == (0, "*** PASSED *** with 0 error(s) and 0 warning(s)\n")


def test_validate_raises_with_every_problem_and_iter_problems_yields_the_same(two_problems):
    from newsspans import CorpusInvalid, iter_problems, validate

    with pytest.raises(CorpusInvalid) as info:
        validate(two_problems)
    assert info.value.problems == list(iter_problems(two_problems))
    assert validate(CORPUS) == []
