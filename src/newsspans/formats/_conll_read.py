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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

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
class Chunk:
    """An entity as the tags give it: sentence index, first and last token index (inclusive), label."""

    sentence: int
    first: int
    last: int
    label: str


# --- lines and columns --------------------------------------------------------------------------


def decode(data: bytes, *, name: str) -> str:
    """The text of a file's bytes (UTF-8, a leading byte-order mark left out)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise FormatError(f"{name}:{line}: byte {exc.start} is not UTF-8; CoNLL files are read as UTF-8") from None


def read(text: str, *, name: str, tag_column: Optional[int] = None) -> ConllFile:
    """The documents, sentences and rows of a CoNLL file's text; the tag is the last column, or
    column ``tag_column`` (1 is the token's). Raises ``FormatError`` naming the line of a line that
    has no token and tag, a stray carriage return or byte-order mark, a token line whose columns
    differ from the first's or lack the tag column, or a ``-DOCSTART-`` line that holds more than an id."""
    found = ConllFile(name, [])
    sentence: list[Row] = []
    first_row: Optional[Row] = None
    for number, line in enumerate(text.split("\n"), start=1):
        line = line[:-1] if line.endswith("\r") else line
        if "\r" in line:
            raise FormatError(f"{name}:{number}: a carriage return inside the line; lines end in LF or CRLF")
        if "\ufeff" in line:
            raise FormatError(f"{name}:{number}: a byte-order mark inside the file (files joined together?); only the "
                              "file's first bytes may be one")
        columns = _COLUMNS.split(line.strip(" \t")) if line.strip(" \t") else []
        if not columns or columns[0] == DOCSTART_TOKEN:
            _end_sentence(found, sentence)
            sentence = []
            if columns:
                found.blocks.append(Block(number, _docstart_id(columns, name=name, line=number)))
            continue
        if len(columns) < 2:
            raise FormatError(f"{name}:{number}: expected 'TOKEN ... TAG' separated by spaces or tabs, got {line!r}")
        if tag_column is not None and not 2 <= tag_column <= len(columns):
            raise FormatError(f"{name}:{number}: no column {tag_column} for the tag (the line has {len(columns)}; the "
                              "token is column 1)")
        row = Row(number, columns[0], columns[-1] if tag_column is None else columns[tag_column - 1])
        if first_row is None:
            first_row, found.columns = row, len(columns)
        elif len(columns) != found.columns:
            raise FormatError(f"{name}:{number}: {len(columns)} columns, where line {first_row.line} has {found.columns}; "
                              "the tag is the last column, so every token line has the same columns")
        sentence.append(row)
    _end_sentence(found, sentence)
    return found


def _end_sentence(found: ConllFile, sentence: list[Row]) -> None:
    if sentence:
        if not found.blocks:
            found.blocks.append(Block(sentence[0].line))
        found.blocks[-1].sentences.append(sentence)


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


def check_tags(found: ConllFile) -> None:
    """Every tag is ``O`` or a prefix and a label; raises naming the first that is not, and the count of others."""
    bad = [row for block in found.blocks for row in block.rows if split_tag(row.tag) == ("", "")]
    if bad:
        more = f"; {len(bad) - 1} more line(s) like it" if len(bad) > 1 else ""
        raise FormatError(f"{found.name}:{bad[0].line}: tag {bad[0].tag!r} of token {bad[0].token!r} is not a tag: expected "
                          f"O or one of the prefixes {', '.join(p + '-' for p in PREFIXES)} and a label{more}")


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


def detect(found: ConllFile) -> str:
    """The tag scheme of a file (see the module docstring); raises ``FormatError`` for a file whose
    tags break every scheme, naming where each reading breaks."""
    check_tags(found)
    rows = [row for block in found.blocks for row in block.rows]
    families = {"BIOES": [r for r in rows if r.tag[:2] in ("E-", "S-")], "BILOU": [r for r in rows if r.tag[:2] in ("L-", "U-")]}
    if families["BIOES"] and families["BILOU"]:
        earlier, later = sorted((families["BIOES"][0], families["BILOU"][0]), key=lambda r: r.line)
        raise FormatError(f"{found.name}:{later.line}: tag {later.tag} after tag {earlier.tag} at line {earlier.line}: a file "
                          "uses one scheme, BIOES (E-, S-) or BILOU (L-, U-)")
    candidates = [s for s in ("BIOES", "BILOU") if families[s]] or ["IOB2", "IOB1"]
    broken: dict[str, _Broken] = {}
    for scheme in candidates:
        try:
            for block in found.blocks:
                chunks(block.sentences, scheme)
        except _Broken as exc:
            broken[scheme] = exc
            continue
        return scheme
    best = max(candidates, key=lambda s: broken[s].row.line)  # the reading that went furthest
    others = "".join(f"; read as {s}, it breaks at line {broken[s].row.line} ({broken[s].reason})"
                     for s in candidates if s != best)
    raise FormatError(f"{found.name}:{broken[best].row.line}: the tags fit no scheme: read as {best}, "
                      f"{broken[best].reason}{others}")
