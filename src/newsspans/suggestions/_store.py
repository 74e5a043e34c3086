"""The suggestions file, ``corpus/suggestions/<document id>.json``: the annotation file's format
(``document_id``, ``annotator`` in a corpus with ``annotators.json`` (``SUGGESTER``, a model
annotator), ``issued``, ``entities``, ``quotes``, ``claims``; ids m1, q1, c1, ... in text
order; ``issued`` the number of items per layer), each item with two more keys after its own,
``source`` and ``score``; checked by the ``suggestion`` JSON Schema before it is written and when
it is read back."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any, Optional, Sequence, Union

from ..corpus import dumps_canonical, parse_json_leniently, read_file, suggestions_file
from ..errors import NewsSpansError
from ..labels import ID_PREFIXES
from ..model import LAYERS, Claim, EntityMention, Quote
from ..paths import display_path
from ..validation import check_schema
from ._model import Suggestion

#: Each layer's item keys, in file order (the model's), ``id`` first.
ITEM_KEYS = {"entities": [f.name for f in fields(EntityMention)], "quotes": [f.name for f in fields(Quote)],
             "claims": [f.name for f in fields(Claim)]}
EXTRA_KEYS = ("source", "score")
#: The kind of the file in ``validation.SCHEMAS``.
SCHEMA_KIND = "suggestion"
#: The model annotator ``newsspans suggest`` attributes its suggestions to in a corpus that has
#: ``annotators.json`` (annotator layers), and the note of the entry it adds there.
SUGGESTER = "newsspans-suggest"
SUGGESTER_NOTE = ("newsspans suggest: pre-annotation from the registry gazetteer, rules and optional spaCy pipelines; "
                  "its items are in suggestions/, never in gold or layers/, each with its source (rule or model, "
                  "with a version) and score.")


def _spans(layer: str, item: dict[str, Any]) -> list[dict[str, Any]]:
    if layer == "quotes":
        return [item[part] for part in ("content", "speaker", "cue") if item.get(part) is not None]
    return [item]


def _position(layer: str, s: Suggestion) -> tuple[int, int]:
    span = _spans(layer, s.item)[0]
    return span["start"], span["end"]


def _item(layer: str, number: int, s: Suggestion, text: str) -> dict[str, Any]:
    missing = [k for k in ITEM_KEYS[layer][1:] if k not in s.item]
    if missing:
        raise NewsSpansError(f"{s.source} suggested a {layer} item without {', '.join(missing)}: {s.item!r}")
    for span in _spans(layer, s.item):
        if text[span["start"]:span["end"]] != span["text"]:
            raise NewsSpansError(f"{s.source} suggested the span {span!r}, whose text is not the document's "
                                 f"{text[span['start']:span['end']]!r}")
    if type(s.score) not in (int, float) or not 0 <= s.score <= 1:  # NaN too
        raise NewsSpansError(f"{s.source} gave the score {s.score!r}, not a number from 0 to 1")
    return {"id": f"{ID_PREFIXES[layer]}{number}", **{k: s.item[k] for k in ITEM_KEYS[layer][1:]},
            "source": s.source, "score": round(float(s.score), 6)}


def suggestion_value(doc_id: str, text: str, suggestions: Sequence[Suggestion],
                     annotator: Optional[str] = None) -> dict[str, Any]:
    """The content of the suggestions file of ``doc_id``: items in text order, numbered, attributed to
    ``annotator`` when given."""
    layers: dict[str, list[dict[str, Any]]] = {}
    for layer in LAYERS:
        mine = sorted((s for s in suggestions if s.layer == layer), key=lambda s: _position(layer, s))
        layers[layer] = [_item(layer, n, s, text) for n, s in enumerate(mine, 1)]
    attributed = {} if annotator is None else {"annotator": annotator}
    return {"document_id": doc_id, **attributed, "issued": {layer: len(items) for layer, items in layers.items()}, **layers}


def dumps_suggestions(root: Union[str, Path], value: dict[str, Any]) -> bytes:
    """The canonical bytes of a suggestions file, after the ``suggestion`` schema accepted it
    (``NewsSpansError`` otherwise: a suggester broke the format)."""
    raw = dumps_canonical(value)
    path = Path(root) / suggestions_file(value["document_id"])
    problems = check_schema(value, raw, path, SCHEMA_KIND, value["document_id"]).problems
    if problems:
        raise NewsSpansError(f"the suggestions would break their schema, so nothing was written: {problems[0]}")
    return raw.encode("utf-8")


def read_suggestions(root: Union[str, Path], doc_id: str) -> list[Suggestion]:
    """The suggestions stored for ``doc_id`` (``NewsSpansError`` when there is no such file or the
    schema refuses it)."""
    path = Path(root) / suggestions_file(doc_id)
    try:
        data = read_file(path)
    except OSError as exc:
        raise NewsSpansError(f"{display_path(path)}: cannot be read ({exc.strerror or exc})") from None
    if data is None:
        raise NewsSpansError(f"{display_path(path)}: no suggestions stored for {doc_id} (run `newsspans suggest` first)")
    value = parse_json_leniently(data)
    problems = [] if value is None else check_schema(value, data.decode("utf-8"), path, SCHEMA_KIND, doc_id).problems
    if value is None or problems:
        raise NewsSpansError(str(problems[0]) if problems else f"{display_path(path)}: not JSON")
    return suggestions_in(value)


def suggestions_in(value: dict[str, Any]) -> list[Suggestion]:
    """The suggestions of a suggestions file's value (checked against its schema)."""
    return [Suggestion(layer, {k: v for k, v in item.items() if k not in ("id", *EXTRA_KEYS)}, item["source"], item["score"])
            for layer in LAYERS for item in value[layer]]
