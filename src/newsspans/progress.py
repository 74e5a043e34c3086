"""Progress of long work on a terminal: documents done, rate and time left, on one line of stderr.

The library counts, the command shows. Where documents are counted (the document map of the
validator, which validate, build and export read through; render's pages; suggest; import's
documents) the code calls ``stage`` (how many there are) and ``advance`` (how many more are done);
both do nothing unless a command made a display current with ``shown``, which it does only when
its stderr is a terminal and it was not told ``--quiet``. So a library call, a pipe, a file or a
test capturing stderr never sees a character of it, and stdout is never touched.

The line is redrawn in place (a carriage return, then spaces over what is left of the previous
line: no terminal escape codes), at most ``INTERVAL`` apart (but a stage's start and its last
count are always drawn), cut to the terminal's width so it
never wraps, and erased before anything else is written to the terminal (``Display.guard``) and
at the end. Worker processes (spawned) and other threads see no current display: only the
process and thread that runs the command draws.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterator, Optional, TextIO

__all__ = ["INTERVAL", "Display", "advance", "shown", "stage"]

#: Seconds between two redraws at least: ten a second at most.
INTERVAL = 0.1

_CURRENT: ContextVar[Optional["Display"]] = ContextVar("newsspans_progress", default=None)


def stage(total: Optional[int], *, what: str = "documents") -> None:
    """Start counting ``total`` ``what`` (None: how many is not known) from zero, on the current
    display if there is one."""
    display = _CURRENT.get()
    if display is not None:
        display.stage(total, what=what)


def advance(n: int = 1) -> None:
    """``n`` more done, on the current display if there is one."""
    display = _CURRENT.get()
    if display is not None:
        display.advance(n)


class Display:
    """The progress line of one command on ``stream`` (a terminal), labelled ``label``."""

    def __init__(self, stream: TextIO, *, label: str, interval: float = INTERVAL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream, self.label, self.interval, self.clock = stream, label, interval, clock
        self.total: Optional[int] = None
        self.what = "documents"
        self.done = 0
        self._first: Optional[tuple[float, int]] = None  # (when, how many done) at the stage's first advance
        self._drawn = 0  # characters of the line now on the terminal
        self._last: Optional[float] = None  # when it was last drawn

    def stage(self, total: Optional[int], *, what: str = "documents") -> None:
        self.total, self.what, self.done, self._first = total, what, 0, None
        self._draw(force=True)

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._first is None:
            self._first = (self.clock(), self.done)
        self._draw(force=self.done == self.total)  # the last count of a stage is always shown

    def rate(self) -> Optional[float]:
        """Done per second since the stage's first advance (so the setup before it, a model
        loaded or a pool of processes started, does not count); None before a second one."""
        if self._first is None or self.done == self._first[1]:
            return None
        return (self.done - self._first[1]) / max(self.clock() - self._first[0], 1e-9)

    def text(self) -> str:
        """The line as it reads now: ``label: 1,500/4,000 documents, 812/s, 0:03 left``."""
        count = f"{self.done:,}/{self.total:,}" if self.total is not None else f"{self.done:,}"
        parts = [f"{self.label}: {count} {self.what}"]
        rate = self.rate()
        if rate is not None:
            parts.append(f"{rate:,.0f}/s" if rate >= 10 else f"{rate:.1f}/s")
            if self.total is not None and self.total >= self.done:
                parts.append(f"{_duration((self.total - self.done) / rate)} left")
        return ", ".join(parts)

    def clear(self) -> None:
        """Erase the line, if one is drawn: the cursor is back at the start of an empty line."""
        if self._drawn:
            self.stream.write("\r" + " " * self._drawn + "\r")
            self.stream.flush()
            self._drawn = 0

    def guard(self, stream: Any) -> Any:
        """``stream``, erasing the line before each write when it goes to a terminal (the display's
        own, or stdout on the same screen): what it writes is passed on unchanged."""
        return _Guarded(stream, self) if _is_terminal(stream) else stream

    def _draw(self, *, force: bool) -> None:
        now = self.clock()
        if not force and self._last is not None and now - self._last < self.interval:
            return
        line = self.text()[: max(_width(self.stream) - 1, 1)]
        self.stream.write("\r" + line + " " * max(self._drawn - len(line), 0))
        self.stream.flush()
        self._drawn, self._last = max(len(line), self._drawn), now


class _Guarded:
    """A text stream that erases the progress line before each write; otherwise ``stream`` itself."""

    def __init__(self, stream: Any, display: Display) -> None:
        self._stream, self._display = stream, display

    def write(self, text: str) -> int:
        if text:
            self._display.clear()
        return self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def shown(stream: TextIO, *, label: str, enabled: bool = True, interval: float = INTERVAL,
          clock: Callable[[], float] = time.monotonic) -> Iterator[Optional[Display]]:
    """The display on ``stream`` for the block (the current one for ``stage`` and ``advance``),
    when ``enabled`` and ``stream`` is a terminal; else None and nothing is drawn. The line is
    erased when the block ends, however it ends."""
    if not enabled or not _is_terminal(stream):
        yield None
        return
    display = Display(stream, label=label, interval=interval, clock=clock)
    token = _CURRENT.set(display)
    try:
        yield display
    finally:
        _CURRENT.reset(token)
        try:
            display.clear()
        except (OSError, ValueError):  # the terminal went away: nothing to erase
            pass


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, OSError, ValueError):
        return False


def _width(stream: Any) -> int:
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        columns = 0
    return columns if columns > 0 else 80  # a terminal that does not say (a pty of size 0) gets 80


def _duration(seconds: float) -> str:
    """``0:07``, ``12:30``, ``1:02:03``."""
    s = int(seconds + 0.5)
    hours, rest = divmod(s, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
