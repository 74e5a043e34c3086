"""Annotators' layers in the exchange formats: whose layer an import may write, and the layers an
export carries (``corpus/layers/<annotator>/<document>.json``, checked by the validator's code path)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from ..corpus import ANNOTATORS, LAYERS_DIR, SymlinkRefused, check_annotator_id, layer_file, read_annotators_lenient, read_file
from ..errors import NewsSpansError
from ..labels import GOLD
from ..model import Annotations, Document, RegistryEntry
from ..paths import display_path
from ..validation import ERROR, CorpusInvalid, check_annotation_file
from .base import FormatError


def listed_annotators(root: Path) -> list[str]:
    """The ids of ``annotators.json`` that can name a layer, sorted."""
    return sorted(a for a in read_annotators_lenient(root) if _is_annotator_id(a))


def _is_annotator_id(annotator: str) -> bool:
    try:
        check_annotator_id(annotator)
    except NewsSpansError:
        return False
    return True


def not_listed(root: Path, annotator: str) -> str:
    """The one line that says an annotator must be added before its layer is written."""
    return (f"annotator {annotator!r} is not in {display_path(Path(root) / ANNOTATORS)}; add it first: "
            f"newsspans annotator add {annotator} --kind human|model")


def check_option_annotator(annotator: str) -> None:
    """``--annotator ID``: an annotator id (never gold, never an e-mail address, which is not repeated)."""
    if annotator == GOLD:
        raise FormatError(f"--annotator {GOLD}: an import writes the gold when it is given no --annotator; leave it out")
    if "@" in annotator or not _is_annotator_id(annotator):
        raise FormatError("--annotator takes an annotator id: a lowercase slug such as annotator-1 (never an e-mail address)")


def linked_part(root: Path, annotator: str) -> Optional[Path]:
    """``layers/`` or ``layers/<annotator>/`` when it is a symbolic link (never followed), else None."""
    for part in (Path(root) / LAYERS_DIR, Path(root) / LAYERS_DIR / annotator):
        if os.path.islink(part):
            return part
    return None


def refuse_linked(root: Path, annotator: str) -> None:
    linked = linked_part(root, annotator)
    if linked is not None:
        raise FormatError(f"{display_path(linked)} is a symbolic link; the corpus holds only regular folders and files, "
                          "and a link is never followed (`newsspans validate` reports it)")


def choose_annotators(root: Path, *, every: bool, named: Sequence[str]) -> tuple[str, ...]:
    """The layers an export carries: ``GOLD`` first when named, then the annotators, sorted: every
    annotator of ``annotators.json`` with ``every``, and those ``named``."""
    listed = listed_annotators(root)
    unknown = [a for a in named if a != GOLD and a not in listed]
    if unknown:
        raise FormatError.of([not_listed(root, a) for a in dict.fromkeys(unknown)])
    chosen = sorted((set(listed) if every else set()) | {a for a in named if a != GOLD})
    if not chosen and GOLD not in named:
        raise FormatError(f"{display_path(Path(root) / ANNOTATORS)} lists no annotator, so there is no layer to export; "
                          "add one with `newsspans annotator add ID --kind human|model`")
    return ((GOLD,) if GOLD in named else ()) + tuple(chosen)


@dataclass(frozen=True)
class Layer:
    """One annotator's annotations of a document (``GOLD``: the gold)."""

    annotator: str
    annotations: Annotations


class LayerSource:
    """The layers an export carries of each document: the ``annotators`` chosen, in order; an
    annotator with no layer of a document is left out of it. Each layer file is checked by the
    validator's code path first: an export carries a valid corpus only (``CorpusInvalid``)."""

    def __init__(self, root: Path, annotators: Sequence[str], registry: dict[str, RegistryEntry]):
        self.root, self.annotators, self.registry = Path(root), tuple(annotators), registry
        for a in self.annotators:
            if a != GOLD:
                refuse_linked(self.root, a)

    def of(self, doc: Document) -> list[Layer]:
        return [layer for a in self.annotators for layer in [self._read(a, doc)] if layer is not None]

    def _read(self, annotator: str, doc: Document) -> Optional[Layer]:
        if annotator == GOLD:
            return Layer(GOLD, doc.annotations)
        path = self.root / layer_file(annotator, doc.id)
        try:
            data = read_file(path)
        except SymlinkRefused:
            raise FormatError(f"{display_path(path)} is a symbolic link; a link is never followed") from None
        if data is None:
            return None
        problems = check_annotation_file(data, path=path, text=doc.text, document_id=doc.id, registry=self.registry,
                                         annotator=annotator)
        if any(p.severity == ERROR for p in problems):
            raise CorpusInvalid(problems)
        return Layer(annotator, Annotations.from_dict(json.loads(data)))
