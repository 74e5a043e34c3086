"""What every command shares: ``--corpus DIR`` for the corpus it reads (old spellings kept as
deprecated aliases), and a closed output (``newsspans validate | head``) ending quietly."""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys

import pytest
from helpers import CORPUS, ROOT, first_doc, released_project, run

from newsspans.cli import main, make_parser
from newsspans.cli._main import EXIT_OUTPUT_CLOSED
from newsspans.paths import DEFAULT_CORPUS

#: The commands that read a corpus; each must take it as --corpus.
READ_A_CORPUS = {"build", "validate", "agree", "suggest", "adjudicate", "add", "annotator", "pack", "unpack", "export",
                 "import", "render", "release"}


def _leaf_parsers(parser: argparse.ArgumentParser, name: str = ""):
    """(command words, parser) of every command, subcommands of a command group included."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield name, parser
        return
    for sub in subs:
        for word, child in sub.choices.items():
            yield from _leaf_parsers(child, f"{name} {word}".strip())


COMMANDS = dict(_leaf_parsers(make_parser()))


def _corpus_actions(parser: argparse.ArgumentParser):
    """The arguments of ``parser`` that are shown in --help and name a corpus to read."""
    return [a for a in parser._actions if a.help != argparse.SUPPRESS and
            (a.dest in ("corpus", "corpus_option", "root", "packed") or "--root" in a.option_strings)]


def test_every_command_that_reads_a_corpus_takes_it_as_corpus():
    top = {name.split()[0] for name in COMMANDS}
    assert READ_A_CORPUS <= top
    for name, parser in COMMANDS.items():
        shown = _corpus_actions(parser)
        if name.split()[0] in READ_A_CORPUS or shown:
            assert [a.option_strings for a in shown] == [["--corpus"]], name
        if name.split()[0] in READ_A_CORPUS:
            assert shown[0].metavar == "DIR", name  # cli._common.add_corpus_argument


@pytest.mark.parametrize("name", sorted(READ_A_CORPUS - {"unpack", "release"}))
def test_the_default_corpus_is_where_it_was(name):
    (action,) = _corpus_actions(COMMANDS[name])
    assert str(action.default) == str(DEFAULT_CORPUS)


def test_old_spellings_are_hidden_from_help(capsys):
    for argv in (["validate", "--help"], ["release", "--help"], ["unpack", "--help"]):
        assert run(*argv)[0] == 0
        text = capsys.readouterr().out
        assert "--corpus DIR" in text
        assert "--root" not in text and "PACKED" not in text and "CORPUS" not in text.split("\n\n")[0]


def test_validate_takes_the_corpus_as_a_position_with_one_deprecation_line():
    code_new, out_new, err_new = run("validate", "--corpus", CORPUS)
    code_old, out_old, err_old = run("validate", CORPUS)
    assert (code_old, out_old) == (code_new, out_new) and code_new == 0
    assert err_new == ""
    assert err_old == (f"newsspans validate: warning: CORPUS as a position is deprecated and will be removed; "
                       f"write --corpus {CORPUS}\n")


def test_the_same_corpus_both_ways_is_no_clash_but_two_corpora_are_a_usage_error(tmp_path):
    code, _, err = run("validate", CORPUS, "--corpus", CORPUS)
    assert code == 0 and err.count("\n") == 1 and "deprecated" in err
    code, out, err = run("validate", CORPUS, "--corpus", tmp_path)
    assert code == 2 and out == ""
    assert err == f"newsspans validate: CORPUS as a position ({CORPUS}) and --corpus ({tmp_path}) disagree; give --corpus only\n"


def test_release_root_is_a_deprecated_spelling_of_its_corpus(tmp_path):
    root = released_project(tmp_path / "proj")
    old = run("release", "--bump", "patch", "--dry-run", "--root", root)
    new = run("release", "--bump", "patch", "--dry-run", "--corpus", root / "corpus")
    assert old[:2] == new[:2]
    first, *rest = old[2].splitlines(keepends=True)
    assert first == (f"newsspans release: warning: --root is deprecated and will be removed; write --corpus "
                     f"{root / 'corpus'}\n")
    assert "".join(rest) == new[2] and "deprecated" not in new[2]


def test_release_refuses_a_corpus_not_named_corpus(tmp_path):
    root = released_project(tmp_path / "proj")
    code, out, err = run("release", "--bump", "patch", "--dry-run", "--corpus", root / "data")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "a release works on a project's corpus/ folder" in err


def test_unpack_takes_the_packed_corpus_as_corpus(tmp_path):
    packed = tmp_path / "packed"
    assert run("pack", "--corpus", CORPUS, "--out", packed)[0] == 0
    code, out, err = run("unpack", "--corpus", packed, "--out", tmp_path / "a")
    assert code == 0 and err == ""
    code, out_old, err = run("unpack", packed, "--out", tmp_path / "b")
    assert code == 0 and out_old == out.replace(str(tmp_path / "a"), str(tmp_path / "b"))
    assert err == f"newsspans unpack: warning: PACKED as a position is deprecated and will be removed; write --corpus {packed}\n"
    code, out, err = run("unpack", "--out", tmp_path / "c")
    assert (code, out) == (2, "") and err == "newsspans unpack: give the packed corpus to unpack: --corpus DIR\n"


# --- a closed output ---------------------------------------------------------------------------------

def _many_problems(tmp_path):
    """A corpus whose report is far longer than a pipe holds (each added mention is one error line)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    path = corpus / "annotations" / f"{first_doc(corpus)}.json"
    ann = json.loads(path.read_text(encoding="utf-8"))
    text = (corpus / "texts" / f"{ann['document_id']}.txt").read_text(encoding="utf-8")
    wrong = "#" if text[0] != "#" else "%"
    ann["entities"] += [{"id": f"m{90000 + k}", "start": 0, "end": 1, "text": wrong, "label": "PERSON", "entity_id": None}
                        for k in range(3000)]
    path.write_text(json.dumps(ann, indent=1), encoding="utf-8")
    return corpus


@pytest.mark.parametrize("extra", [[], ["--format", "json"]])
def test_validate_into_head_prints_no_broken_pipe(tmp_path, extra):
    corpus = _many_problems(tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-m", "newsspans", "validate", "--corpus", str(corpus), "--workers", "1", *extra]
    full = subprocess.run(cmd, capture_output=True, env=env)
    assert full.returncode == 1 and len(full.stdout) > 256 * 1024  # more than a pipe and Python's buffer hold
    writer = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    head = subprocess.Popen(["head", "-n", "1"], stdin=writer.stdout, stdout=subprocess.PIPE)
    writer.stdout.close()  # head alone reads the pipe: when it exits, the pipe is closed
    first, _ = head.communicate(timeout=300)
    err = writer.stderr.read()
    code = writer.wait(timeout=300)
    assert first == full.stdout.split(b"\n")[0] + b"\n"
    assert err == b""  # no "Broken pipe", no "Exception ignored", no traceback
    assert code == EXIT_OUTPUT_CLOSED == 141


class _ClosedPipe(io.StringIO):
    """A stdout whose reader is gone once ``after`` characters were written."""

    def __init__(self, after: int) -> None:
        super().__init__()
        self.after = after

    def write(self, text: str) -> int:
        if self.tell() + len(text) > self.after:
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)


def test_a_closed_output_is_exit_141_and_nothing_on_stderr():
    out, err = _ClosedPipe(after=10), io.StringIO()
    assert main(["validate", "--corpus", str(CORPUS), "--list-checks"], stdout=out, stderr=err) == 141
    assert err.getvalue() == ""


def test_a_broken_pipe_that_is_not_the_output_stays_an_error(monkeypatch):
    """A broken pipe of the library's own (a worker gone) is one line and exit 1, as before."""
    import newsspans.validation

    def broken(*args, **kwargs):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(newsspans.validation, "checks_table", broken)
    out, err = io.StringIO(), io.StringIO()
    assert main(["validate", "--list-checks"], stdout=out, stderr=err) == 1
    assert err.getvalue() == "newsspans validate: Broken pipe\n"
