"""What every importer shares: where each built item came from in the tool's file, the check of the
built annotations by the validator's own code path with its problems located back in that file,
and an import run that reports every error of every document and writes all or nothing.

An importer parses its tool's file into ``newsspans.model.Annotations``, checking only what is
about the tool's own format, and records in a ``SourceMap`` the ``Source`` (file, line, the
tool's name for it) of every item and field it builds. ``check`` serializes the annotations as
they will be written and runs ``newsspans.validation.check_annotation_file`` over them: each
``Problem`` keeps its code, message and fix, and its ``item`` (``entities[3]``,
``quotes[2].speaker``) is translated back to the line of the tool's file it came from.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Union

from ..corpus import ANNOTATIONS, TEXTS, dumps_canonical
from ..model import LAYERS, Annotations, RegistryEntry
from ..paths import display_path
from ..validation import ERROR, Problem, check_annotation_file
from .base import FormatError, Report

# --- where things came from -------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where an item, or one of its fields, came from in a tool's file."""

    file: str
    line: Optional[int]
    #: What the tool calls it: ``T4 PERSON 79-96``, ``region m1 0-24 (utf-16)``, ``A1 QuoteType E1``.
    label: str = ""
    #: What encloses it in the file, if anything: ``task 0 (document 000_x)``.
    context: str = ""
    #: The tool side's own suggestion when this span is wrong (a wrong offset unit, say).
    hint: Optional[str] = None
    #: How another item's message refers to it, when shorter than the label: ``T4``, ``region m1``.
    name: str = ""

    @property
    def where(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"

    def ref(self) -> str:
        """How a problem of another item refers to it: its name and line."""
        name = self.name or self.label
        return name if self.line is None else f"{name} (line {self.line})"

    def error(self, message: str) -> str:
        """A format error located here: ``file:line: [context: ]message``."""
        return f"{self.where}: {self.context + ': ' if self.context else ''}{message}"


class ErrorList:
    """The format errors of one file, each located; raised together."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, source: Source, message: str) -> None:
        self.lines.append(source.error(message))

    def raise_if_any(self) -> None:
        if self.lines:
            raise FormatError.of(self.lines)


#: A source, or a function that finds it when it is needed (a line number can cost a scan of the file).
SourceLike = Union[Source, Callable[[], Source]]


def _resolve(source: SourceLike) -> Source:
    return source if isinstance(source, Source) else source()


_ITEM = re.compile(r"^(entities|quotes|claims)\[(\d+)\](?:\.(\w+))?")
_ITEM_REF = re.compile(r"\b(entities|quotes|claims)\[(\d+)\]")
_FIX_OFFSETS = re.compile(r"(did you mean )(\d+)-(\d+)")
#: Problems the validator puts on a whole item although one field of it is the cause.
_FIELD_OF_CODE = {"E-ID-DUPLICATE": "id"}
#: Problems of a span's offsets, where the tool side's hint applies.
_SPAN_CODES = {"E-SPAN-TEXT", "E-SPAN-BOUNDS", "E-SPAN-ORDER"}


class SourceMap:
    """The ``Source`` of each built item, ``(layer, position)``, and of its fields,
    ``(layer, position, field)``; anything unmapped is located at ``whole`` (the file, the task).
    Each may be given as a function that finds it, called only for an item with a problem.

    ``to_unit(start, end)`` converts code-point offsets into the tool's offset unit, for the
    offsets a fix suggests (None: the tool counts code points)."""

    def __init__(self, whole: SourceLike, *, to_unit: Optional[Callable[[int, int], tuple[int, int]]] = None):
        self._whole = whole
        self.to_unit = to_unit
        self._sources: dict[tuple, SourceLike] = {}

    @property
    def whole(self) -> Source:
        return _resolve(self._whole)

    def add(self, layer: str, position: int, source: SourceLike, **fields: Optional[SourceLike]) -> None:
        self._sources[(layer, position)] = source
        for name, found in fields.items():
            if found is not None:
                self._sources[(layer, position, name)] = found

    def locate(self, layer: str, position: int, field_name: Optional[str] = None) -> Source:
        found = self._sources.get((layer, position, field_name)) if field_name else None
        if found is None:
            found = self._sources.get((layer, position), self._whole)
        return _resolve(found)

    def relocate(self, problem: Problem, ann: Annotations) -> Problem:
        """``problem`` (found in the serialized ``ann``) located in the tool's file instead."""
        match = _ITEM.match(problem.item or "")
        message = _ITEM_REF.sub(lambda m: self.locate(m[1], int(m[2])).ref(), problem.message)
        if match is None:
            source = self.whole
        else:
            layer, position = match[1], int(match[2])
            source = self.locate(layer, position, match[3] or _FIELD_OF_CODE.get(problem.code))
            if problem.code == "E-ID-DUPLICATE":  # "at line N" of the annotation file, which the tool's user never saw
                message = re.sub(r"at line \d+", f"by {self._first_with_same_id(ann, layer, position).ref()}", message)
        item = f"{source.context}: {source.label}" if source.context else source.label
        return Problem(problem.code, message, file=source.file, line=source.line, document_id=problem.document_id,
                       item=item or None, fix=self._fix(problem, source))

    def _first_with_same_id(self, ann: Annotations, layer: str, position: int) -> Source:
        wanted = getattr(ann, layer)[position].id
        for other in LAYERS:
            for k, x in enumerate(getattr(ann, other)):
                if x.id == wanted:
                    return self.locate(other, k, "id")
        return self.whole

    def _fix(self, problem: Problem, source: Source) -> Optional[str]:
        fix = problem.fix
        if fix and self.to_unit is not None:
            fix = _FIX_OFFSETS.sub(lambda m: m[1] + "-".join(map(str, self.to_unit(int(m[2]), int(m[3])))), fix)
        if source.hint and problem.code in _SPAN_CODES:
            fix = source.hint + (f" (else: {fix})" if fix else "")
        return fix


@dataclass
class Parsed:
    """A tool file's annotations, and where each of their items came from."""

    annotations: Annotations
    sources: SourceMap


# --- the validator's code path ----------------------------------------------------------------


def check(parsed: Parsed, *, text: str, registry: Optional[dict[str, RegistryEntry]],
          path: Union[str, Path] = "<imported>") -> list[Problem]:
    """Check ``parsed`` over its document's ``text`` as the validator checks the annotation file it
    will be written as (at ``path``). Raises ``FormatError`` holding every error, located in the
    tool's file; returns the warnings, located likewise."""
    ann = parsed.annotations
    data = dumps_canonical(ann.to_dict()).encode("utf-8")
    problems = check_annotation_file(data, path=path, text=text, document_id=ann.document_id, registry=registry)
    located = sorted((parsed.sources.relocate(p, ann) for p in problems), key=lambda p: p.line or 0)
    errors = [p for p in located if p.severity == ERROR]
    if errors:
        raise FormatError.of([str(p) for p in errors], problems=errors)
    return located


class ImportRun:
    """One import: documents read one by one, every error of every document kept, and the corpus
    annotation files written only when there is none."""

    def __init__(self, corpus: Path, registry: dict[str, RegistryEntry]):
        self.corpus = Path(corpus)
        self.registry = registry
        self.errors: list[str] = []
        self.problems: list[Problem] = []
        self.accepted: list[Annotations] = []
        self.report = Report()

    @contextmanager
    def document(self) -> Iterator[None]:
        """A block that reads one document: its ``FormatError`` is kept and the run goes on."""
        try:
            yield
        except FormatError as exc:
            self.errors += exc.errors
            self.problems += exc.problems

    def text(self, doc_id: str, source: Path) -> str:
        return corpus_text(self.corpus, doc_id, source)

    def used_ids(self, doc_id: str) -> set[str]:
        """Ids a new item of ``doc_id`` must not take: those of the annotation file it replaces."""
        return ids_in(annotation_path(self.corpus, doc_id))

    def accept(self, parsed: Parsed, text: str) -> None:
        """Check ``parsed`` (raising its errors) and keep it for writing; warnings become notes."""
        path = annotation_path(self.corpus, parsed.annotations.document_id)
        warnings = check(parsed, text=text, registry=self.registry, path=path)
        self.accepted.append(parsed.annotations)
        self.report.add_all(parsed.annotations)
        self.report.notes += [str(p) for p in warnings]

    def finish(self) -> Report:
        """Write every accepted document, or raise every error and write nothing."""
        if self.errors:
            raise FormatError.of(self.errors, problems=self.problems)
        self.report.files = write_annotations(self.corpus, self.accepted)
        return self.report


# --- the corpus side --------------------------------------------------------------------------


def annotation_path(corpus_root: Path, document_id: str) -> Path:
    return Path(corpus_root) / ANNOTATIONS / f"{document_id}.json"


def write_annotations(corpus_root: Path, annotations: list[Annotations]) -> list[Path]:
    """Write the annotation files of a corpus all or nothing: every file is written to a temporary
    name first, then all are renamed into place."""
    staged: list[tuple[Path, Path]] = []
    try:
        for ann in annotations:
            target = annotation_path(corpus_root, ann.document_id)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            staged.append((Path(name), target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(dumps_canonical(ann.to_dict()))
            os.chmod(name, 0o666 & ~_umask())
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    return [target for _, target in staged]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def next_id(prefix: str, used: Iterable[str]) -> str:
    """A fresh local id with ``prefix``: one past the highest number in use."""
    numbers = [int(i[len(prefix):]) for i in used if i.startswith(prefix) and i[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def corpus_text(corpus: Path, doc_id: str, source: Path) -> str:
    path = corpus / TEXTS / f"{doc_id}.txt"
    if not path.is_file():
        raise FormatError(f"{display_path(source)}: no document {doc_id!r} in the corpus ({display_path(path)} is missing); "
                          "add the text with `newsspans add` first")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{display_path(path)}: byte {exc.start} is not UTF-8") from None


def ids_in(path: Path) -> set[str]:
    """The local ids of an existing annotation file (none when it is missing or unreadable)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
        return {x["id"] for layer in LAYERS for x in value.get(layer, []) if isinstance(x, dict) and "id" in x}
    except (OSError, ValueError, AttributeError, TypeError):
        return set()
