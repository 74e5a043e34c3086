"""Reading CoNLL columns: lines, documents, sentences, and entity tags in any of their schemes.

What is read, and how (``docs/import-conll.md`` says the same for users):

- **Bytes.** UTF-8 only; a byte-order mark at the start is left out; lines end in LF or CRLF (a
  carriage return or byte-order mark anywhere else is refused: never guessed at).
- **Columns.** A line is a token and its columns, separated by spaces or tabs (one or more;
  tokens never hold a space in CoNLL); leading and trailing spaces and tabs are ignored. The
  token is the first column and the entity **tag the last** (2 columns: ``TOKEN TAG``; CoNLL-2003's
  4: ``TOKEN POS CHUNK TAG``). Every token line of a file has the same number of columns, or the
  file is refused at the first line that differs (a missing column would move the tag).
- **Documents and sentences.** A line whose first column is ``-DOCSTART-`` starts a document
  (tokens before the first one, if any, are a document too); a blank line ends a sentence.
  A ``-DOCSTART-`` line may carry the document's id: its columns after ``-DOCSTART-``, leaving
  out the fillers ``-X-``, ``-``, ``_`` and ``O``, are either none (no id: CoNLL-2003's
  ``-DOCSTART- -X- -X- O``) or one document id (``-DOCSTART- 000_abc -X- O``); anything else is
  refused at its line.
- **Tags.** ``O``, or a prefix ``B-``, ``I-``, ``E-``, ``S-``, ``L-`` or ``U-`` and a label. The
  scheme is detected per file: ``E-``/``S-`` tags mean BIOES and ``L-``/``U-`` BILOU (both in
  one file: refused); otherwise IOB2 when every entity starts with ``B-``, else IOB1 (``I-``
  starts an entity, ``B-`` only separates two adjacent entities of one type, as in the original
  CoNLL-2003 files). Once a file has an entity the schemes exclude each other, so the detection
  never has two readings to choose from. A file whose tags break every scheme is refused, naming
  the line where each reading breaks.

**Memory.** A file is never held whole, whatever its size: it is read from disk twice, a line at a
time. The first reading (``scan_file``) checks every line and keeps only its document count, its
columns and what the scheme detection needs (``SchemeDetector``: the first tag of each scheme's
own prefixes, the line where each reading breaks); the second (``file_blocks``) yields one
document at a time, to be imported before the next is read. ``read`` holds a text already in memory.
"""

from __future__ import annotations

import codecs
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, Optional, Sequence, Union

from ..labels import DOCUMENT_ID, OUTSIDE
from .base import FormatError

DOCSTART_TOKEN = "-DOCSTART-"
#: Columns of a ``-DOCSTART-`` line that are no document id.
DOCSTART_FILLERS = frozenset({"-X-", "-", "_", OUTSIDE})
_COLUMNS = re.compile(r"[ \t]+")
_DOCUMENT_ID = re.compile(DOCUMENT_ID)
PREFIXES = ("B", "I", "E", "S", "L", "U")
SCHEMES = ("IOB2", "IOB1", "BIOES", "BILOU")


@dataclass(frozen=True)
class Row:
    """One token line: its number in the file, the token and its tag (the last column)."""

    line: int
    token: str
    tag: str


@dataclass
class Block:
    """One document of a CoNLL file: where it starts (its ``-DOCSTART-`` line, or its first token),
    the id its ``-DOCSTART-`` line gives (None: none), and its sentences of rows."""

    line: int
    id: Optional[str] = None
    sentences: list[list[Row]] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [row for sentence in self.sentences for row in sentence]


@dataclass
class ConllFile:
    """A CoNLL file as read: its name (as shown), its documents, how many columns its token lines have."""

    name: str
    blocks: list[Block]
    columns: int = 0


@dataclass(frozen=True)
class Scanned:
    """What the first reading of a file keeps (``scan``): its name (as shown), how many documents it
    holds, how many columns its token lines have, its tag scheme, whether any tag is an entity's,
    and, read from disk, its size and modification time (``scan_file``)."""

    name: str
    documents: int
    columns: int
    scheme: str
    entities: bool
    signature: Optional[tuple[int, int]] = None


@dataclass(frozen=True)
class Chunk:
    """An entity as the tags give it: sentence index, first and last token index (inclusive), label."""

    sentence: int
    first: int
    last: int
    label: str


# --- lines and columns --------------------------------------------------------------------------


def file_lines(path: Path, *, name: str) -> Iterator[str]:
    """The lines of the file at ``path``, read from disk one at a time (see ``_decoded``); raises
    ``FormatError`` when it cannot be read."""
    with _opened(path, name) as fh:
        yield from _decoded(fh, name=name)


@contextmanager
def _opened(path: Path, name: str) -> Iterator[BinaryIO]:
    """The file at ``path`` open for reading bytes; an ``OSError`` while it is read becomes a ``FormatError``."""
    try:
        with open(path, "rb") as fh:
            yield fh
    except OSError as exc:
        raise FormatError(f"{name}: cannot be read: {exc.strerror or exc}") from None


def _decoded(fh: BinaryIO, *, name: str) -> Iterator[str]:
    """The lines of a file's bytes as ``text.split("\\n")`` gives them from its whole text (a last, empty
    line after a final line feed), each decoded on its own: a line feed is never part of a UTF-8
    sequence. A byte-order mark at the start is left out. Raises ``FormatError`` at the line of a
    byte that is not UTF-8, counting bytes after the byte-order mark."""
    offset = 0
    ended = True  # no line yet, or the last one ended in a line feed: an empty line follows
    for number, raw in enumerate(fh, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        ended = raw.endswith(b"\n")
        try:
            line = (raw[:-1] if ended else raw).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FormatError(f"{name}:{number}: byte {offset + exc.start} is not UTF-8; CoNLL files are read as "
                              "UTF-8") from None
        offset += len(raw)
        yield line
    if ended:
        yield ""


#: What ``Lines`` gives of each line: a token line's ``Row``; a ``-DOCSTART-`` line's ``Block``, with
#: no sentences yet; None for a blank line.
Event = Union[Row, Block, None]


class Lines:
    """A file's lines (its text's ``split("\\n")``, or ``file_lines``) read one by one into ``Event``
    values, the tag being the last column or column ``tag_column`` (1 is the token's); ``columns``
    is the number of columns of its token lines once one is read.

    Iterating raises ``FormatError`` naming the line of a line that has no token and tag, a stray
    carriage return or byte-order mark, a token line whose columns differ from the first's or lack
    the tag column, or a ``-DOCSTART-`` line that holds more than an id."""

    def __init__(self, lines: Iterable[str], *, name: str, tag_column: Optional[int] = None):
        self.name = name
        self.columns = 0
        self._lines = lines
        self._tag_column = tag_column

    def __iter__(self) -> Iterator[Event]:
        name, tag_column = self.name, self._tag_column
        first_line = 0
        for number, line in enumerate(self._lines, start=1):
            line = line[:-1] if line.endswith("\r") else line
            if "\r" in line:
                raise FormatError(f"{name}:{number}: a carriage return inside the line; lines end in LF or CRLF")
            if "\ufeff" in line:
                raise FormatError(f"{name}:{number}: a byte-order mark inside the file (files joined together?); only the "
                                  "file's first bytes may be one")
            columns = _COLUMNS.split(line.strip(" \t")) if line.strip(" \t") else []
            if not columns or columns[0] == DOCSTART_TOKEN:
                yield Block(number, _docstart_id(columns, name=name, line=number)) if columns else None
                continue
            if len(columns) < 2:
                raise FormatError(f"{name}:{number}: expected 'TOKEN ... TAG' separated by spaces or tabs, got {line!r}")
            if tag_column is not None and not 2 <= tag_column <= len(columns):
                raise FormatError(f"{name}:{number}: no column {tag_column} for the tag (the line has {len(columns)}; the "
                                  "token is column 1)")
            if not first_line:
                first_line, self.columns = number, len(columns)
            elif len(columns) != self.columns:
                raise FormatError(f"{name}:{number}: {len(columns)} columns, where line {first_line} has {self.columns}; "
                                  "the tag is the last column, so every token line has the same columns")
            yield Row(number, columns[0], columns[-1] if tag_column is None else columns[tag_column - 1])


def blocks(events: Iterable[Event]) -> Iterator[Block]:
    """The documents of a file's events (``Lines``), each yielded whole (its sentences of rows) once
    the next starts: only one document is held at a time. Tokens before the first ``-DOCSTART-``
    line are a document too, starting at the first."""
    block: Optional[Block] = None
    sentence: list[Row] = []
    for event in chain(events, (None,)):  # the end of the file ends a sentence, as a blank line does
        if isinstance(event, Row):
            sentence.append(event)
            continue
        if sentence:
            if block is None:
                block = Block(sentence[0].line)
            block.sentences.append(sentence)
            sentence = []
        if event is not None:
            if block is not None:
                yield block
            block = event
    if block is not None:
        yield block


def read(text: str, *, name: str, tag_column: Optional[int] = None) -> ConllFile:
    """The documents, sentences and rows of a CoNLL file's text (``Lines``, ``blocks``), all held:
    for a text already in memory. Raises ``FormatError`` as ``Lines`` does."""
    lines = Lines(text.split("\n"), name=name, tag_column=tag_column)
    found = list(blocks(lines))
    return ConllFile(name, found, lines.columns)


def scan_file(path: Path, *, name: str, tag_column: Optional[int] = None) -> Scanned:
    """The first reading of a CoNLL file, from disk (``scan``); what it finds includes the file's
    size and modification time, which ``file_blocks`` compares before the second."""
    with _opened(path, name) as fh:
        scanned = scan(_decoded(fh, name=name), name=name, tag_column=tag_column)
        return replace(scanned, signature=_signature(fh))


def file_blocks(path: Path, scanned: Scanned, *, tag_column: Optional[int] = None) -> Iterator[Block]:
    """The second reading of a CoNLL file that ``scan_file`` read: its documents, one at a time
    (``blocks``). Raises ``FormatError`` if the file changed since."""
    with _opened(path, scanned.name) as fh:
        if _signature(fh) != scanned.signature:
            raise FormatError(f"{scanned.name}: changed while it was being imported (between its two readings); "
                              "nothing of it was imported: run the import again")
        yield from blocks(Lines(_decoded(fh, name=scanned.name), name=scanned.name, tag_column=tag_column))


def _signature(fh: BinaryIO) -> tuple[int, int]:
    status = os.fstat(fh.fileno())
    return status.st_size, status.st_mtime_ns


def scan(lines: Iterable[str], *, name: str, tag_column: Optional[int] = None) -> Scanned:
    """A file's lines read through once, keeping only what is needed before any of its documents is
    imported: how many documents and columns it has, its tag scheme (``SchemeDetector``), and
    whether any tag is an entity's. Raises ``FormatError`` as reading the whole text first would:
    a byte that is not UTF-8 anywhere, else the first line ``Lines`` refuses, else the tags."""
    source = iter(lines)
    events = Lines(source, name=name, tag_column=tag_column)
    detector = SchemeDetector(name)
    documents = 0
    before_first = False  # tokens before the first -DOCSTART- line: a document of their own
    try:
        for event in events:
            if isinstance(event, Row):
                detector.row(event)
                before_first = before_first or documents == 0
            else:
                detector.end_sentence()
                documents += 1 if event is not None else 0
    except FormatError:
        for _ in source:  # a byte further on that is not UTF-8 is named first
            pass
        raise
    detector.end_sentence()
    return Scanned(name, documents + (1 if before_first else 0), events.columns, detector.scheme(), detector.entities)


def _docstart_id(columns: Sequence[str], *, name: str, line: int) -> Optional[str]:
    """The document id a ``-DOCSTART-`` line carries, None when it carries none."""
    rest = [c for c in columns[1:] if c not in DOCSTART_FILLERS]
    if not rest:
        return None
    if len(rest) == 1 and _DOCUMENT_ID.fullmatch(rest[0]):
        return rest[0]
    raise FormatError(f"{name}:{line}: a -DOCSTART- line holds fillers ({', '.join(sorted(DOCSTART_FILLERS))}) and at most "
                      f"one document id (letters, digits, '_', '.' and '-', starting with a letter or digit); found "
                      f"{' '.join(rest)!r}")


# --- tags ---------------------------------------------------------------------------------------


class _Broken(Exception):
    """A tag that a scheme does not allow where it is: the row and why."""

    def __init__(self, row: Row, reason: str):
        super().__init__(reason)
        self.row, self.reason = row, reason


def split_tag(tag: str) -> tuple[Optional[str], Optional[str]]:
    """``(prefix, label)`` of a tag, ``(None, None)`` for ``O``; ``("", "")`` when it is no tag."""
    if tag == OUTSIDE:
        return None, None
    prefix, dash, label = tag.partition("-")
    return (prefix, label) if dash and prefix in PREFIXES and label else ("", "")


def _shown(tag: Optional[str]) -> str:
    return "the start of the sentence" if tag is None else tag


def _iob2(prev: Optional[str], prefix: Optional[str], label: Optional[str], row: Row) -> str:
    if prefix is None:
        return "outside"
    if prefix == "B":
        return "start"
    if prefix == "I" and prev is not None and split_tag(prev)[1] == label:
        return "continue"
    raise _Broken(row, f"{row.tag} after {_shown(prev)}: in IOB2 an entity starts with B-")


def _iob1(prev: Optional[str], prefix: Optional[str], label: Optional[str], row: Row) -> str:
    if prefix is None:
        return "outside"
    same = prev is not None and split_tag(prev)[1] == label
    if prefix == "I":
        return "continue" if same else "start"
    if prefix == "B" and same:
        return "start"
    raise _Broken(row, f"{row.tag} after {_shown(prev)}: in IOB1 an entity starts with I-, and B- only separates "
                       "two adjacent entities of one type")


def _bioes(single: str, end: str) -> Callable[[Optional[str], Optional[str], Optional[str], Row], str]:
    """The rule of BIOES (``S``, ``E``) or BILOU (``U``, ``L``)."""

    def rule(prev: Optional[str], prefix: Optional[str], label: Optional[str], row: Row) -> str:
        before, before_label = split_tag(prev) if prev is not None else (None, None)
        is_open = before in ("B", "I")
        if prefix in ("I", end):
            if is_open and before_label == label:
                return "continue"
            raise _Broken(row, f"{row.tag} after {_shown(prev)}: {prefix}- continues an entity that B-{label} started")
        if is_open:
            raise _Broken(row, f"{row.tag} after {prev}: the entity is not closed ({end}-{before_label} ends it)")
        if prefix is None:
            return "outside"
        if prefix in ("B", single):
            return "start"
        raise _Broken(row, f"{row.tag}: {prefix}- is not a prefix of {'BIOES' if end == 'E' else 'BILOU'}")

    return rule


_RULES = {"IOB2": _iob2, "IOB1": _iob1, "BIOES": _bioes("S", "E"), "BILOU": _bioes("U", "L")}


def chunks(sentences: Sequence[Sequence[Row]], scheme: str) -> list[Chunk]:
    """The entities the tags of ``sentences`` give under ``scheme``; raises ``_Broken`` at the
    first tag the scheme does not allow (an entity left open at a sentence's end included)."""
    rule = _RULES[scheme]
    found: list[Chunk] = []
    for s, sentence in enumerate(sentences):
        prev: Optional[str] = None
        for i, row in enumerate(sentence):
            prefix, label = split_tag(row.tag)
            action = rule(prev, prefix, label, row)
            if action == "start":
                found.append(Chunk(s, i, i, label))
            elif action == "continue":
                last = found[-1]
                found[-1] = Chunk(last.sentence, last.first, i, last.label)
            prev = row.tag
        if scheme in ("BIOES", "BILOU") and sentence and split_tag(sentence[-1].tag)[0] in ("B", "I"):
            end = "E" if scheme == "BIOES" else "L"
            raise _Broken(sentence[-1], f"the sentence ends inside an entity ({sentence[-1].tag}; {end}- ends one)")
    return found


class SchemeDetector:
    """The tag scheme of a file (see the module docstring), found as its rows go by: what the
    detection needs of the whole file is kept in a few fields, whatever the file's size (the first
    tag that is none and how many others, the first tag of each of BIOES and BILOU, the first
    break of each reading). Feed it each row (``row``) and each sentence's end (``end_sentence``),
    then ask ``scheme``."""

    def __init__(self, name: str):
        self.name = name
        #: Whether any tag is other than ``O``.
        self.entities = False
        self._bad: Optional[Row] = None
        self._bad_count = 0
        self._first: dict[str, Row] = {}  # "BIOES" / "BILOU" -> the first row of a prefix of its own
        self._broken: dict[str, _Broken] = {}  # scheme -> where, and why, reading the file so breaks
        self._prev: Optional[Row] = None  # the sentence's previous row

    def row(self, row: Row) -> None:
        prefix, label = split_tag(row.tag)
        self.entities = self.entities or row.tag != OUTSIDE
        if prefix == "":
            self._bad_count += 1
            self._bad = self._bad or row
        family = _FAMILIES.get(prefix)
        if family is not None and family not in self._first:
            self._first[family] = row
        prev = self._prev.tag if self._prev is not None else None
        for scheme, rule in _RULES.items():
            if scheme not in self._broken:
                try:
                    rule(prev, prefix, label, row)
                except _Broken as exc:
                    self._broken[scheme] = exc
        self._prev = row

    def end_sentence(self) -> None:
        """A sentence ends (a blank line, a ``-DOCSTART-`` line, the file's end): BIOES and BILOU
        break when an entity is left open."""
        last = self._prev
        if last is not None and split_tag(last.tag)[0] in ("B", "I"):
            for scheme, end in (("BIOES", "E"), ("BILOU", "L")):
                if scheme not in self._broken:
                    self._broken[scheme] = _Broken(last, f"the sentence ends inside an entity ({last.tag}; {end}- ends one)")
        self._prev = None

    def scheme(self) -> str:
        """The scheme of the rows seen; raises ``FormatError`` naming the first tag that is none (and
        the count of others), tags of both BIOES and BILOU, or where each reading breaks when none fits."""
        name, bad = self.name, self._bad
        if bad is not None:
            more = f"; {self._bad_count - 1} more line(s) like it" if self._bad_count > 1 else ""
            raise FormatError(f"{name}:{bad.line}: tag {bad.tag!r} of token {bad.token!r} is not a tag: expected "
                              f"O or one of the prefixes {', '.join(p + '-' for p in PREFIXES)} and a label{more}")
        if len(self._first) == 2:
            earlier, later = sorted(self._first.values(), key=lambda r: r.line)
            raise FormatError(f"{name}:{later.line}: tag {later.tag} after tag {earlier.tag} at line {earlier.line}: a file "
                              "uses one scheme, BIOES (E-, S-) or BILOU (L-, U-)")
        candidates = list(self._first) or ["IOB2", "IOB1"]
        for scheme in candidates:
            if scheme not in self._broken:
                return scheme
        broken = self._broken
        best = max(candidates, key=lambda s: broken[s].row.line)  # the reading that went furthest
        others = "".join(f"; read as {s}, it breaks at line {broken[s].row.line} ({broken[s].reason})"
                         for s in candidates if s != best)
        raise FormatError(f"{name}:{broken[best].row.line}: the tags fit no scheme: read as {best}, "
                          f"{broken[best].reason}{others}")


_FAMILIES = {"E": "BIOES", "S": "BIOES", "L": "BILOU", "U": "BILOU"}
