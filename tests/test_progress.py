"""Progress on a terminal: shown on stderr while long work runs, erased at the end, never in a
pipe, a file or with --quiet, and stdout the same byte for byte either way."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys

import pytest
from helpers import CORPUS, ROOT, document_ids

from newsspans import progress
from newsspans.cli import main


class FakeTerminal(io.StringIO):
    """A stderr that says it is a terminal, and keeps every character written to it."""

    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def screen(raw: str) -> list[str]:
    """What a terminal shows after ``raw``: a carriage return goes back to the line's start, later
    characters overwrite earlier ones; trailing blanks dropped."""
    lines, row, col = [[]], 0, 0
    for ch in raw:
        if ch == "\n":
            row, col = row + 1, 0
            if row == len(lines):
                lines.append([])
        elif ch == "\r":
            col = 0
        else:
            line = lines[row]
            line.extend(" " * (col + 1 - len(line)))
            line[col] = ch
            col += 1
    shown = ["".join(line).rstrip() for line in lines]
    return [line for line in shown if line] if shown else []


# --- the display ------------------------------------------------------------------------------------

def test_the_line_says_done_rate_and_time_left():
    out, clock = FakeTerminal(), Clock()
    d = progress.Display(out, label="newsspans build", clock=clock)
    d.stage(4000)
    assert d.text() == "newsspans build: 0/4,000 documents"
    clock.now += 30  # setting up (a pool, a model) is not counted in the rate
    d.advance(500)
    assert d.text() == "newsspans build: 500/4,000 documents"
    clock.now += 2
    d.advance(1000)
    assert d.text() == "newsspans build: 1,500/4,000 documents, 500/s, 0:05 left"
    d.stage(None, what="files")
    d.advance(3)
    clock.now += 2
    d.advance(3)
    assert d.text() == "newsspans build: 6 files, 1.5/s"


def test_redraws_are_at_most_ten_a_second_but_the_last_count_is_drawn():
    out, clock = FakeTerminal(), Clock()
    d = progress.Display(out, label="x", clock=clock)
    d.stage(1000)
    for _ in range(998):  # all within the same instant as the stage's start, which was drawn
        d.advance()
    assert out.getvalue().count("\r") == 1
    clock.now += 2 * progress.INTERVAL
    d.advance()
    assert out.getvalue().count("\r") == 2 and screen(out.getvalue()) == ["x: 999/1,000 documents, 4,990/s, 0:00 left"]
    d.advance()  # the last count: drawn whatever the time
    assert out.getvalue().count("\r") == 3 and screen(out.getvalue()) == ["x: 1,000/1,000 documents, 4,995/s, 0:00 left"]


def test_clear_erases_the_line_and_a_shorter_line_covers_a_longer_one():
    out, clock = FakeTerminal(), Clock()
    d = progress.Display(out, label="x", clock=clock)
    d.stage(10 ** 6)
    clock.now += 1
    d.advance(999_999)
    d.stage(5, what="pages")
    assert screen(out.getvalue()) == ["x: 0/5 pages"]
    d.clear()
    assert screen(out.getvalue()) == [] and out.getvalue().endswith("\r")
    d.clear()  # nothing drawn: nothing written
    assert out.getvalue().count("\r") == 5


def test_the_line_is_cut_to_the_terminal_width(monkeypatch):
    monkeypatch.setattr(progress, "_width", lambda stream: 20)
    out = FakeTerminal()
    d = progress.Display(out, label="newsspans validate", clock=Clock())
    d.stage(123456)
    assert out.getvalue() == "\r" + d.text()[:19] and len(d.text()) > 19


def test_without_a_current_display_counting_does_nothing():
    progress.stage(10)
    progress.advance(3)  # no error, nothing anywhere
    with progress.shown(io.StringIO(), label="x") as display:  # not a terminal
        assert display is None
    with progress.shown(FakeTerminal(), label="x", enabled=False) as display:
        assert display is None


def test_shown_erases_the_line_however_the_block_ends():
    out = FakeTerminal()
    with pytest.raises(KeyboardInterrupt):
        with progress.shown(out, label="x"):
            progress.stage(3)
            progress.advance(3)
            raise KeyboardInterrupt
    assert "x: 3/3 documents" in out.getvalue() and screen(out.getvalue()) == []


# --- the commands -------------------------------------------------------------------------------------

def _argvs(tmp_path, corpus):
    """Each command that shows progress, run the same way twice gives the same stdout."""
    export = tmp_path / "brat"
    assert main(["export", "brat", "--corpus", str(corpus), "--out", str(export)], stdout=io.StringIO(),
                stderr=io.StringIO()) == 0
    return {
        "validate": ["validate", "--corpus", corpus],
        "build": ["build", "--corpus", corpus, "--out", tmp_path / "data"],
        "render": ["render", "--corpus", corpus, "--out", tmp_path / "review"],
        "export": ["export", "labelstudio", "--corpus", corpus, "--out", tmp_path / "ls", "--force"],
        "import": ["import", "brat", export, "--corpus", corpus, "--dry-run"],
        "suggest": ["suggest", "--corpus", corpus, "--dry-run", "--workers", "1"],
    }


def _run(argv, err):
    out = io.StringIO()
    code = main([str(a) for a in argv], stdout=out, stderr=err)
    return code, out.getvalue()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Each command run with stderr piped, on a terminal, and on a terminal with --quiet."""
    tmp_path = tmp_path_factory.mktemp("progress")
    argvs = _argvs(tmp_path, CORPUS)
    found = {}
    for name, argv in argvs.items():
        piped, terminal, quiet = io.StringIO(), FakeTerminal(), FakeTerminal()
        found[name] = {"piped": (*_run(argv, piped), piped.getvalue()), "terminal": (*_run(argv, terminal), terminal.getvalue()),
                       "quiet": (*_run([*argv, "--quiet"], quiet), quiet.getvalue())}
    return found


COMMANDS = ["validate", "build", "render", "export", "import", "suggest"]


@pytest.mark.parametrize("name", COMMANDS)
def test_a_terminal_sees_the_count_reach_every_document_then_nothing_of_it(runs, name):
    code, _, err = runs[name]["terminal"]
    n = len(document_ids(CORPUS))
    assert code == 0
    assert f"\rnewsspans {name}: {n}/{n} documents" in err
    piped_err = runs[name]["piped"][2]
    assert screen(err) == screen(piped_err)  # the line is gone; what else stderr says is all there


@pytest.mark.parametrize("name", COMMANDS)
def test_stdout_is_the_same_byte_for_byte_and_a_pipe_or_quiet_sees_no_progress(runs, name):
    piped, terminal, quiet = runs[name]["piped"], runs[name]["terminal"], runs[name]["quiet"]
    assert piped[0] == terminal[0] == quiet[0] == 0
    assert piped[1] == terminal[1] == quiet[1]
    assert "\r" not in piped[2] and f"newsspans {name}:" not in piped[2]
    assert quiet[2] == piped[2]


def test_commands_without_quiet_never_show_progress():
    err = FakeTerminal()
    code, _ = _run(["agree", "--corpus", CORPUS], err)
    assert code == 0 and "\r" not in err.getvalue()


def test_a_real_terminal_gets_the_line_and_a_pipe_the_same_stdout(tmp_path):
    """stderr on a pseudo-terminal, stdout on a pipe: the line is drawn and erased there, and stdout
    is what it is with stderr piped."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-m", "newsspans", "validate", "--corpus", str(CORPUS), "--workers", "1"]
    piped = subprocess.run(cmd, capture_output=True, env=env, timeout=300)
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=follower, env=env)
        os.close(follower)
        seen = b""
        while True:
            ready, _, _ = select.select([leader], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the other side closed
                break
            if not chunk:
                break
            seen += chunk
        out, _ = proc.communicate(timeout=300)
    finally:
        os.close(leader)
    n = len(document_ids(CORPUS))
    text = seen.decode("utf-8")
    assert proc.returncode == piped.returncode == 0
    assert out == piped.stdout and piped.stderr == b""
    assert f"newsspans validate: {n}/{n} documents" in text
    assert screen(text) == []  # erased: nothing of it is left on the terminal
