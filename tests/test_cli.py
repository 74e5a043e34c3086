"""The command line: a thin layer; one clear line and an exit status, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import CORPUS, DATA, read_json, run, tree_bytes, write_json

from newsspans.cli import make_parser

COMMANDS = sorted(make_parser()._subparsers._group_actions[0].choices)


def line_of_entity(ann_file, k):
    """The line of ``entities[k]`` in a canonical annotation file (one item per line)."""
    lines = ann_file.read_text(encoding="utf-8").split("\n")
    return lines.index('  "entities": [') + 2 + k


def test_the_core_commands_exist():
    assert {"build", "validate", "add", "schema"} <= set(COMMANDS)


def test_help_lists_every_command(capsys):
    assert run("--help")[0] == 0
    text = capsys.readouterr().out
    for command in COMMANDS:
        assert command in text


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(capsys, command):
    assert run(command, "--help")[0] == 0
    assert "usage: newsspans " + command in capsys.readouterr().out


def test_usage_errors_exit_2(capsys):
    assert run("frobnicate")[0] == 2
    assert run("build", "--nope")[0] == 2
    assert "usage:" in capsys.readouterr().err


def test_build_check_passes_on_the_committed_data():
    code, out, err = run("build", "--check", "--corpus", str(CORPUS), "--out", str(DATA))
    assert (code, err) == (0, "")
    assert "up to date" in out


def test_build_of_an_invalid_corpus_prints_the_report_and_exits_1(corpus_copy, tmp_path):
    out_dir = tmp_path / "data"
    assert run("build", "--corpus", str(corpus_copy), "--out", str(out_dir))[0] == 0
    before = tree_bytes(out_dir)
    ann_file = corpus_copy / "annotations" / "004_30159cef070f4760.json"
    ann = read_json(ann_file)
    ann["entities"][0]["start"] += 1
    write_json(ann_file, ann)
    code, out, err = run("build", "--corpus", str(corpus_copy), "--out", str(out_dir))
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith(f"{ann_file}:{line_of_entity(ann_file, 0)}: [E-SPAN-TEXT] entities[0] ")
    assert lines[-2] == "*** FAILED *** with 1 error(s) and 0 warning(s)"
    assert lines[-1] == f"build refused: {corpus_copy}/ has errors; {out_dir}/ was left unchanged"
    assert tree_bytes(out_dir) == before


def test_a_missing_corpus_is_one_line(tmp_path):
    code, out, err = run("build", "--corpus", str(tmp_path / "nope"), "--out", str(tmp_path / "d"))
    assert code == 1
    assert "[E-FILE-MISSING]" in err and "Traceback" not in err


def test_check_on_a_stale_release_exits_1_and_names_files(corpus_copy, tmp_path):
    out_dir = tmp_path / "data"
    run("build", "--corpus", str(corpus_copy), "--out", str(out_dir))
    (out_dir / "README.md").write_text("---\n---\n", encoding="utf-8")
    code, out, err = run("build", "--check", "--corpus", str(corpus_copy), "--out", str(out_dir))
    assert code == 1
    assert "  README.md (differs)" in err.splitlines()


def test_add_refusal_is_one_line(tmp_path):
    code, out, err = run("add", str(CORPUS / "texts" / "000_1936301ef05f6424.txt"),
                         "--story-id", "x", "--corpus", str(CORPUS))
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("newsspans add: document '000_1936301ef05f6424' already exists")


def test_validate_passes_on_the_corpus():
    code, out, err = run("validate", "--corpus", str(CORPUS))
    assert code == 0
    assert out.splitlines()[-1] == "*** PASSED *** with 0 error(s) and 0 warning(s)"


def test_the_installed_command_runs():
    done = subprocess.run([sys.executable, "-m", "newsspans", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("newsspans ")


def test_any_command_meeting_an_invalid_corpus_prints_its_report(tmp_path):
    src = tmp_path / "tasks.json"
    src.write_text("[]", encoding="utf-8")
    code, out, err = run("import", "labelstudio", str(src), "--corpus", str(tmp_path / "missing"))
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == f"{tmp_path / 'missing'}: [E-FILE-MISSING] no such corpus folder"
    assert "*** FAILED *** with 1 error(s) and 0 warning(s)" in lines
    assert "Traceback" not in err
