"""Reading brat standoff ``.ann`` files, line by line: the one loop every brat reader shares
(``read_lines``), and brat's general line syntax (``read_standoff``) for corpora annotated with a
type system of their own (``_brat_attribution``). NewsSpans' own brat files are read by
``brat.py``, through the same loop, with the narrower syntax of its export.

brat's standoff format (https://brat.nlplab.org/standoff.html), one annotation per line, fields
separated by tabs, every offset a code point, end exclusive:

- text-bound ``T1<TAB>Type START END<TAB>text``; a *discontinuous* span lists its fragments,
  ``T1<TAB>Type START END;START END<TAB>text``, and its text field is the fragments' texts joined
  by one space (brat's ``DISCONT_SEP``), so a span whose fragments lie around a line break fits on
  its line;
- event ``E1<TAB>Type:TRIGGER Role:ID Role2:ID ...``: the trigger is a text-bound id, a role
  repeated in one event is numbered (``Theme``, ``Theme2``);
- relation ``R1<TAB>Type Arg1:ID Arg2:ID``; equivalence ``*<TAB>Equiv ID ID ...`` (its id ``*``
  repeats);
- attribute ``A1<TAB>Name ID [Value]`` (and the older modifier ``M1<TAB>Name ID``), a binary
  attribute having no value;
- normalization ``N1<TAB>Reference ID DB:KEY<TAB>name``;
- note ``#1<TAB>AnnotatorNotes ID<TAB>free text``.

Blank lines are skipped and a CR before the line end is dropped (CRLF files). Checks here are of a
line's syntax only; what the annotations mean is the caller's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional

from .importer import ErrorList, Source

#: An offset: ASCII digits only (``str.isdigit`` accepts ``²``, which ``int`` refuses), and few
#: enough of them for ``int`` (which refuses over 4,300 digits).
OFFSET = re.compile(r"[0-9]{1,18}")
#: brat joins the texts of a discontinuous span's fragments with this, in its text field.
DISCONT_SEP = " "


class Malformed(Exception):
    """A line that does not follow the syntax its reader expects."""


@dataclass
class Line:
    """One line of a ``.ann`` file: its number (from 1), its id, its tab-separated fields (at most
    three: the third keeps any further tab) and the raw line."""

    number: int
    id: str
    fields: list[str]
    raw: str
    #: How a problem names the annotation: ``T4 PERSON 79-96``, ``A1 QuoteType E1``.
    label: str = ""


def read_lines(ann_text: str, *, readers: Mapping[str, Callable[[Line], None]], source: Callable[[Line], Source],
               unknown: Callable[[Line], str], repeatable: frozenset[str] = frozenset()) -> None:
    """Give each line of ``ann_text`` to the reader of its kind (the first character of its id),
    which raises ``Malformed`` for a line it cannot read; an id used twice (but those in
    ``repeatable``) and a kind without a reader (``unknown`` says why) are malformed too. Raises
    ``FormatError`` with every malformed line, each located by ``source``."""
    errors = ErrorList()
    seen: dict[str, int] = {}
    for number, raw in enumerate(ann_text.split("\n"), start=1):
        raw = raw.removesuffix("\r")
        if not raw.strip():
            continue
        fields = raw.split("\t", 2)
        line = Line(number, fields[0], fields, raw)
        try:
            if line.id in seen and line.id not in repeatable:
                raise Malformed(f"id {line.id} is already used at line {seen[line.id]}")
            seen[line.id] = number
            reader = readers.get(line.id[:1])
            if reader is None:
                raise Malformed(unknown(line))
            reader(line)
        except Malformed as exc:
            errors.add(source(line), str(exc))
    errors.raise_if_any()


# --- brat's general syntax --------------------------------------------------------------------


@dataclass
class TextBound:
    """A text-bound annotation: its type, its fragments (one unless discontinuous) and its text field."""

    line: Line
    type: str
    fragments: tuple[tuple[int, int], ...]
    text: str

    @property
    def discontinuous(self) -> bool:
        return len(self.fragments) > 1


@dataclass
class Event:
    """An event: its type, its trigger (a text-bound id) and its arguments ``(role, id)`` in line order."""

    line: Line
    type: str
    trigger: str
    args: tuple[tuple[str, str], ...]


@dataclass
class Attached:
    """An annotation attached to another (``target``): an attribute (``name``, ``value``; None for a
    binary one), a normalization (``name`` its database, ``value`` its key) or a note (``value``
    its text); a relation or an equivalence (``targets``: every id it links)."""

    line: Line
    name: str
    target: str
    value: Optional[str] = None
    targets: tuple[str, ...] = ()


@dataclass
class Standoff:
    """The annotations of one ``.ann`` file by kind, as read."""

    file: str
    textbound: dict[str, TextBound] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    relations: list[Attached] = field(default_factory=list)
    equivalences: list[Attached] = field(default_factory=list)
    attributes: list[Attached] = field(default_factory=list)
    normalizations: list[Attached] = field(default_factory=list)
    notes: list[Attached] = field(default_factory=list)
    #: Ids of the text-bound annotations and events, in file order.
    order: list[str] = field(default_factory=list)

    def source(self, line: Line, label: Optional[str] = None) -> Source:
        return Source(self.file, line.number, line.label if label is None else label, name=line.id)

    def has(self, aid: str) -> bool:
        """Whether ``aid`` is a text-bound annotation or an event of this file (what others refer to)."""
        return aid in self.textbound or aid in self.events


def read_standoff(ann_text: str, *, file: str) -> Standoff:
    """The annotations of a brat ``.ann`` file in brat's general syntax (a leading byte-order mark
    is skipped); ``FormatError`` naming the file and line of every line that breaks it."""
    found = Standoff(file)
    readers: dict[str, Callable[[Line], None]] = {
        "T": lambda line: _textbound(line, found), "E": lambda line: _event(line, found),
        "R": lambda line: found.relations.append(_relation(line)), "*": lambda line: found.equivalences.append(_equivalence(line)),
        "A": lambda line: found.attributes.append(_attribute(line)), "M": lambda line: found.attributes.append(_attribute(line)),
        "N": lambda line: found.normalizations.append(_normalization(line)), "#": lambda line: found.notes.append(_note(line)),
    }
    read_lines(ann_text.removeprefix("\ufeff"), readers=readers, source=found.source, repeatable=frozenset({"*"}),
               unknown=lambda line: f"{line.id!r} is not a brat annotation id (T, E, R, A, M, N, # or *, then a number)")
    return found


def _words(line: Line, expected: str, *, tail: bool) -> list[str]:
    """The space-separated words of the line's second field; ``tail``: whether a third field
    (free text) may follow."""
    if len(line.fields) < 2 or len(line.fields) > 2 + tail or not line.fields[1].strip():
        raise Malformed(f"expected '{expected}', got {line.raw!r}")
    return line.fields[1].split()


def _textbound(line: Line, found: Standoff) -> None:
    expected = "T<n><TAB>TYPE START END[;START END...]<TAB>TEXT"
    if len(line.fields) != 3:
        raise Malformed(f"expected '{expected}', got {line.raw!r}")
    kind, _, offsets = line.fields[1].strip().partition(" ")
    fragments = []
    for piece in offsets.split(";"):
        parts = piece.split()
        if not kind or len(parts) != 2 or not all(OFFSET.fullmatch(p) for p in parts):
            raise Malformed(f"expected 'TYPE START END' or 'TYPE START END;START END' (offsets in ASCII digits), "
                            f"got {line.fields[1]!r}")
        fragments.append((int(parts[0]), int(parts[1])))
    line.label = f"{line.id} {kind} {';'.join(f'{s}-{e}' for s, e in fragments)}"
    found.textbound[line.id] = TextBound(line, kind, tuple(fragments), line.fields[2])
    found.order.append(line.id)


def _pair(word: str) -> tuple[str, str]:
    role, _, target = word.partition(":")
    if not role or not target:
        raise Malformed(f"{word!r} is not ROLE:ID")
    return role, target


def _event(line: Line, found: Standoff) -> None:
    words = _words(line, "E<n><TAB>TYPE:TRIGGER ROLE:ID ...", tail=True)
    if ":" not in words[0]:
        raise Malformed(f"expected 'E<n><TAB>TYPE:TRIGGER ROLE:ID ...' (an event's trigger is a span), got {line.raw!r}")
    kind, trigger = _pair(words[0])
    line.label = f"{line.id} {kind}"
    found.events[line.id] = Event(line, kind, trigger, tuple(_pair(w) for w in words[1:]))
    found.order.append(line.id)


def _relation(line: Line) -> Attached:
    words = _words(line, "R<n><TAB>TYPE Arg1:ID Arg2:ID", tail=True)
    if len(words) < 2:
        raise Malformed(f"expected 'R<n><TAB>TYPE Arg1:ID Arg2:ID', got {line.raw!r}")
    targets = tuple(_pair(w)[1] for w in words[1:])
    line.label = f"{line.id} {words[0]}"
    return Attached(line, words[0], targets[0], targets=targets)


def _equivalence(line: Line) -> Attached:
    words = _words(line, "*<TAB>TYPE ID ID ...", tail=True)
    if len(words) < 2:
        raise Malformed(f"expected '*<TAB>TYPE ID ID ...', got {line.raw!r}")
    line.label = f"{line.id} {' '.join(words)}"
    return Attached(line, words[0], words[1], targets=tuple(words[1:]))


def _attribute(line: Line) -> Attached:
    words = _words(line, f"{line.id[:1]}<n><TAB>NAME ID [VALUE]", tail=True)
    if len(words) not in (2, 3):
        raise Malformed(f"expected '{line.id[:1]}<n><TAB>NAME ID [VALUE]', got {line.raw!r}")
    line.label = f"{line.id} {words[0]} {words[1]}"
    return Attached(line, words[0], words[1], words[2] if len(words) == 3 else None)


def _normalization(line: Line) -> Attached:
    words = _words(line, "N<n><TAB>Reference ID DB:KEY<TAB>NAME", tail=True)
    db, _, key = words[2].partition(":") if len(words) == 3 else ("", "", "")
    if not db or not key:
        raise Malformed(f"expected 'N<n><TAB>Reference ID DB:KEY<TAB>NAME', got {line.raw!r}")
    line.label = f"{line.id} {words[0]} {words[1]} {words[2]}"
    return Attached(line, db, words[1], key)


def _note(line: Line) -> Attached:
    words = _words(line, "#<n><TAB>AnnotatorNotes ID<TAB>TEXT", tail=True)
    if len(words) != 2:
        raise Malformed(f"expected '#<n><TAB>AnnotatorNotes ID<TAB>TEXT', got {line.raw!r}")
    line.label = f"{line.id} {words[0]} {words[1]}"
    return Attached(line, words[0], words[1], line.fields[2] if len(line.fields) == 3 else "")
