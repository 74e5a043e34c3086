"""What adjudication reads: which documents and annotators, and for each document its text, its
gold as it is (ids and ``issued`` counters included) and the annotators' layers.

A layer is used only when the validator finds no error in it (``check_annotation_file``, with the
registry): adjudication never guesses around a broken span. The gold may be missing (a new gold
is then started) but not unreadable: its ids must be known so that none is reused.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

from ..corpus import (ANNOTATIONS, ANNOTATORS, LAYERS_DIR, TEXTS, SymlinkRefused, layer_documents, layer_file,
                      lenient_document, parse_json_leniently, read_annotators_lenient, read_document_files, read_file)
from ..errors import BadInput
from ..labels import DOCUMENT_ID, RESERVED_ANNOTATOR_IDS
from ..model import LAYERS, Annotations, RegistryEntry
from ..paths import display_path
from ..validation import ERROR, check_annotation_file, line_of


def _has_text(corpus: Path, doc_id: str) -> bool:
    return os.path.lexists(corpus / TEXTS / f"{doc_id}.txt")


def plan(corpus: Path, documents: Optional[Sequence[str]], annotators: Optional[Sequence[str]]) -> dict[str, list[str]]:
    """The documents to adjudicate, each with its annotators: those given (else every annotator of
    annotators.json with a layer folder) that have a layer of it, two or more. Raises ``BadInput``
    for a named annotator or document that cannot be adjudicated."""
    listed = read_annotators_lenient(corpus)
    found = layer_documents(corpus)
    if annotators is not None:
        if len(set(annotators)) < 2:
            raise BadInput("--annotators needs two or more different annotator ids")
        unknown = [a for a in annotators if a not in listed]
        if unknown:
            raise BadInput(f"no annotator {unknown[0]!r} in {display_path(corpus / ANNOTATORS)} "
                           "(`newsspans annotator list` lists them)")
    pool = sorted(set(annotators)) if annotators is not None else sorted(a for a in found if a in listed)
    by_doc: dict[str, list[str]] = {}
    for a in pool:
        for doc_id in found.get(a, []):
            by_doc.setdefault(doc_id, []).append(a)
    if documents is None:
        return {d: names for d, names in sorted(by_doc.items()) if len(names) >= 2}
    for doc_id in documents:
        if not re.match(DOCUMENT_ID, doc_id):
            raise BadInput(f"{doc_id!r} is not a document id (letters, digits, '_', '.' and '-')")
        if not _has_text(corpus, doc_id):
            raise BadInput(f"no document {doc_id!r} in {display_path(corpus)} ({TEXTS}/{doc_id}.txt is missing)")
        if len(by_doc.get(doc_id, [])) < 2:
            having = ", ".join(by_doc.get(doc_id, [])) or "none"
            raise BadInput(f"{doc_id} has layers of fewer than two of the annotators (layers of: {having}): nothing to adjudicate")
    return {d: by_doc[d] for d in sorted(set(documents))}


def unlisted_layers(corpus: Path) -> list[str]:
    """A note for each folder of layers whose annotator is not in annotators.json (left out, as
    ``newsspans agree`` leaves it out; ``newsspans validate`` reports it)."""
    listed = read_annotators_lenient(corpus)
    return [f"{display_path(corpus / LAYERS_DIR / a)}/: {a!r} is not in {display_path(corpus / ANNOTATORS)}, so its "
            f"layers are left out — add it (`newsspans annotator add {a} --kind human|model`)"
            for a in layer_documents(corpus) if a not in listed]


def annotator_problems(names: Sequence[str]) -> list[str]:
    """Why some of ``names`` cannot be adjudicated: a reserved id (``gold``, or a take of a decision)."""
    return [f"annotator {a!r}: the id is reserved ({', '.join(RESERVED_ANNOTATOR_IDS)}) — rename the annotator and its "
            "layer folder" for a in names if a in RESERVED_ANNOTATOR_IDS]


@dataclass
class Inputs:
    """One document as adjudication reads it; ``errors``: why it cannot be adjudicated."""

    corpus: Path
    doc_id: str
    text: str = ""
    gold: Optional[Annotations] = None
    gold_data: Optional[bytes] = None
    used: list[str] = field(default_factory=list)
    layers: dict[str, Annotations] = field(default_factory=dict)
    layer_raw: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def gold_path(self) -> Path:
        return self.corpus / ANNOTATIONS / f"{self.doc_id}.json"

    def layer_line(self, annotator: str, layer: str, position: int) -> str:
        """``file:line`` of an item of an annotator's layer of this document."""
        shown = display_path(self.corpus / layer_file(annotator, self.doc_id))
        return f"{shown}:{line_of(self.layer_raw[annotator], [layer, position])}"


def _ids_in(value: Any) -> list[str]:
    """Every id string in the layers of a parsed annotation file, whatever shape its items have."""
    value = value if isinstance(value, dict) else {}
    layers = [value.get(layer) for layer in LAYERS]
    return [x["id"] for items in layers if isinstance(items, list) for x in items
            if isinstance(x, dict) and isinstance(x.get("id"), str)]


def _read_gold(inputs: Inputs, files: Any) -> None:
    if files.annotations is None:
        inputs.gold = Annotations(inputs.doc_id, issued={layer: 0 for layer in LAYERS})
        return
    value = parse_json_leniently(files.annotations)
    read = lenient_document(files) if isinstance(value, dict) else None
    lost = read is None or any(not isinstance(value.get(layer), list) or len(value[layer]) != len(read.positions[layer])
                               for layer in LAYERS)
    if lost:
        inputs.errors.append(f"{display_path(inputs.gold_path)}: the gold file or some of its items cannot be read — fix "
                             "it first (`newsspans validate`): adjudication reports every gold item it replaces, and "
                             "keeps every id")
        return
    inputs.gold, inputs.gold_data, inputs.used = read.document.annotations, files.annotations, _ids_in(value)


def _read_layer(inputs: Inputs, annotator: str, registry: dict[str, RegistryEntry]) -> None:
    path = inputs.corpus / layer_file(annotator, inputs.doc_id)
    try:
        data = read_file(path)
    except SymlinkRefused:
        data = None
    if data is None:
        inputs.errors.append(f"{display_path(path)}: a symbolic link or not a regular file — replace it by the layer file")
        return
    problems = check_annotation_file(data, path=path, text=inputs.text, document_id=inputs.doc_id, registry=registry,
                                     annotator=annotator)
    errors = [str(p) for p in problems if p.severity == ERROR]
    if errors:
        inputs.errors += errors + [f"{display_path(path)}: the layer has {len(errors)} error(s); adjudication reads "
                                   "valid layers only — correct it first (`newsspans validate` lists every problem)"]
        return
    raw = data.decode("utf-8")
    inputs.layers[annotator] = Annotations.from_dict(json.loads(raw))
    inputs.layer_raw[annotator] = raw


def read_inputs(corpus: Path, doc_id: str, annotators: Sequence[str], registry: dict[str, RegistryEntry]) -> Inputs:
    """The text, gold and layers of ``doc_id``; what cannot be read is in ``errors``."""
    inputs = Inputs(Path(corpus), doc_id)
    files = read_document_files(corpus, doc_id)
    if files.links:
        inputs.errors += [f"{display_path(corpus / name)}: a symbolic link, which a corpus never follows" for name in files.links]
        return inputs
    try:
        text = files.text.decode("utf-8") if files.text is not None else None
    except UnicodeDecodeError:
        text = None
    if text is None:
        inputs.errors.append(f"{display_path(corpus / files.names[0])}: missing or not UTF-8, and layers of {doc_id} exist — "
                             "add the document's text (`newsspans add`), or remove its layers")
        return inputs
    inputs.text = text
    _read_gold(inputs, files)
    for a in annotators:
        _read_layer(inputs, a, registry)
    return inputs
