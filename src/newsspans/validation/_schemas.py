"""JSON Schemas (draft 2020-12) for every file kind, generated from ``newsspans.labels``.

``SCHEMAS`` maps a file kind to its schema. ``newsspans schema --out schema/`` writes them as
``schema/<kind>.schema.json``; a test keeps the committed files equal to this module, so the
label inventories are declared once (in ``labels.py``) and nowhere else.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import labels
from ..labels import DOCUMENT_ID, GROUP_PREFIX, ID_PREFIXES, SLUG, URL, local_id_pattern

DRAFT = "https://json-schema.org/draft/2020-12/schema"

SHA256 = r"^[0-9a-f]{64}$"
SEMVER = r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$"
WIKIDATA = r"^Q[1-9][0-9]*$"


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [{"type": "null"}, schema]}


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object"}
    if description:
        out["description"] = description
    out.update({"properties": properties, "required": list(properties), "additionalProperties": False})
    return out


def _local_id(prefix: str, what: str) -> dict[str, Any]:
    return {
        "type": "string",
        "pattern": local_id_pattern(prefix),
        "description": f"Id of the {what}, unique in its document and never reused (a new id is numbered "
        f"above the file's 'issued'); the release publishes it as '<document id>:<id>'.",
    }


def _span_fields() -> dict[str, Any]:
    return {
        "start": {"type": "integer", "minimum": 0, "description": "First code point (0-based)."},
        "end": {"type": "integer", "minimum": 1, "description": "One past the last code point."},
        "text": {"type": "string", "minLength": 1, "description": "Guard: equals text[start:end]."},
    }


def _slug(description: str) -> dict[str, Any]:
    return {"type": "string", "pattern": SLUG, "description": description}


def _issued() -> dict[str, Any]:
    what = {"entities": "an entity mention", "quotes": "a quote", "claims": "a claim"}
    return _object(
        {
            layer: {"type": "integer", "minimum": 0,
                    "description": f"Highest number of {what[layer]} id ({prefix}N) ever issued in this file."}
            for layer, prefix in ID_PREFIXES.items()
        },
        "The highest id number ever issued per layer, e.g. {\"entities\": 53, \"quotes\": 12, \"claims\": 8}: "
        "never lowered, so that a deleted id is never issued again. A new item takes the number one above it "
        "(newsspans.model.Annotations.next_id), and the counter is raised with it; no id of the layer may be above it.",
    )


def annotation_schema() -> dict[str, Any]:
    span = _object(_span_fields(), "A character span: Python code points, end exclusive.")
    entity = _object(
        {
            "id": _local_id(ID_PREFIXES["entities"], "entity mention"),
            **_span_fields(),
            "label": {"enum": list(labels.ENTITY_LABELS)},
            "entity_id": _nullable(_slug("Registry id; required for the types listed in ENTITY_ID_LABELS, null otherwise.")),
        }
    )
    quote = _object(
        {
            "id": _local_id(ID_PREFIXES["quotes"], "quote"),
            "type": {"enum": list(labels.QUOTE_TYPES)},
            "content": {"$ref": "#/$defs/span"},
            "speaker": _nullable({"$ref": "#/$defs/span"}),
            "cue": _nullable({"$ref": "#/$defs/span"}),
            "speaker_entity_id": _nullable(_slug("Registry id of the speaker.")),
            "group_id": _nullable({"type": "string", "pattern": local_id_pattern(GROUP_PREFIX), "description": "Shared by the parts of one statement split by an attribution."}),
            "cluster_id": _nullable(_slug("Shared by the same statement reported in several documents.")),
        }
    )
    claim = _object(
        {
            "id": _local_id(ID_PREFIXES["claims"], "claim"),
            **_span_fields(),
            "label": {"enum": list(labels.CLAIM_LABELS)},
            "claimant": _slug(f"'{labels.AUTHOR_CLAIMANT}' for the article's own voice, else a registry id."),
            "cluster_id": _nullable(_slug("Shared by the same claim made in several documents.")),
        }
    )
    return {
        "$schema": DRAFT,
        "$id": "urn:newsspans:schema:annotation",
        "title": "NewsSpans standoff annotation file (corpus/annotations/<document id>.json)",
        **_object(
            {
                "document_id": {"type": "string", "pattern": DOCUMENT_ID},
                "issued": _issued(),
                "entities": {"type": "array", "items": {"$ref": "#/$defs/entity"}},
                "quotes": {"type": "array", "items": {"$ref": "#/$defs/quote"}},
                "claims": {"type": "array", "items": {"$ref": "#/$defs/claim"}},
            }
        ),
        "$defs": {"span": span, "entity": entity, "quote": quote, "claim": claim},
    }


def document_schema() -> dict[str, Any]:
    body = _object(
        {
            "id": {"type": "string", "pattern": DOCUMENT_ID, "description": "The text file's stem."},
            "title": _nullable({"type": "string", "minLength": 1}),
            "published": _nullable({"type": "string", "format": "date",
                                    "description": "ISO 8601 date (YYYY-MM-DD): given to newsspans add, or where the text states it."}),
            "source": {"type": "string", "minLength": 1,
                       "description": "Where the text came from: the outlet or archive given to newsspans add --source, "
                                      "else the file name the text was received as."},
            "language": {"type": "string", "pattern": r"^[a-z]{2,3}$", "description": "ISO 639 code."},
            "story_id": _slug("Documents reporting the same event share it; splits follow it."),
            "sha256": {"type": "string", "pattern": SHA256, "description": "SHA-256 of the text file's bytes."},
            "url": {"type": "string", "pattern": URL, "description": "Where the text was published (optional)."},
        }
    )
    body["required"].remove("url")  # optional: metadata from before it stays valid
    return {
        "$schema": DRAFT,
        "$id": "urn:newsspans:schema:document",
        "title": "NewsSpans document metadata (corpus/documents/<document id>.json)",
        **body,
    }


def registry_schema() -> dict[str, Any]:
    entry = _object(
        {
            "entity_id": {"allOf": [_slug("Stable id of the referent."), {"not": {"const": labels.AUTHOR_CLAIMANT}}]},
            "name": {"type": "string", "minLength": 1, "description": "Canonical name."},
            "type": {"enum": list(labels.ENTITY_ID_LABELS)},
            "aliases": {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True},
            "wikidata": _nullable({"type": "string", "pattern": WIKIDATA}),
        }
    )
    return {
        "$schema": DRAFT,
        "$id": "urn:newsspans:schema:registry",
        "title": "NewsSpans entity registry (corpus/registry.json)",
        **_object({"entities": {"type": "array", "items": {"$ref": "#/$defs/entry"}}}),
        "$defs": {"entry": entry},
    }


def _agreement_minimum() -> dict[str, Any]:
    """The optional ``agreement_minimum`` of ``dataset.json``: a value from 0 to 1 per layer."""
    return {
        "type": "object",
        "description": "Optional. The build refuses the corpus when, on a layer named here, the headline agreement "
        "(docs/agreement.md; over all labels and every document both annotated) of any two annotators, not an "
        "annotator against gold, is below this value. Absent: no minimum.",
        "properties": {layer: {"type": "number", "minimum": 0, "maximum": 1, "description": f"Minimum headline agreement on "
                               f"{layer}, from 0 to 1 (0.8 for 80%)."} for layer in ID_PREFIXES},
        "additionalProperties": False,
    }


def _note(what: str) -> str:
    return (f"Markdown, {what}: only what the build cannot compute (the card states the counts of documents, stories, "
            "annotators, languages and splits; `build` and `release` warn about a count stated here that the release "
            "contradicts).")


def dataset_schema() -> dict[str, Any]:
    description = _object(
        {
            "version": {"type": "string", "pattern": SEMVER},
            "pretty_name": {"type": "string", "minLength": 1},
            "license": {"type": "string", "minLength": 1, "description": "The card's `license`: an id of the Hub's list, "
                        "`unknown` for an unknown licence, `other` for a licence off the list (then named by `license_name`)."},
            "license_name": {"type": "string", "minLength": 1, "description": "The card's `license_name`, written only when "
                             "`license` is `other`."},
            "license_note": {"type": "string", "minLength": 1, "description": _note("for the card's licensing section")},
            "source_note": {"type": "string", "minLength": 1, "description": _note("where the texts come from")},
            "annotation_note": {"type": "string", "minLength": 1, "description": _note("how the labels were made")},
            "annotators_note": {"type": "string", "minLength": 1, "description": _note("who made them")},
            "limitations_note": {"type": "string", "minLength": 1, "description": _note("known limitations")},
        }
    )
    description["properties"]["agreement_minimum"] = _agreement_minimum()  # optional: not in "required"
    return {
        "$schema": DRAFT,
        "$id": "urn:newsspans:schema:dataset",
        "title": "NewsSpans dataset description (corpus/dataset.json): the one place of the version",
        **description,
    }


def manifest_schema() -> dict[str, Any]:
    file_entry = _object(
        {
            "path": {"type": "string", "minLength": 1},
            "sha256": {"type": "string", "pattern": SHA256},
            "bytes": {"type": "integer", "minimum": 0},
        }
    )
    count = {"type": "integer", "minimum": 0}
    return {
        "$schema": DRAFT,
        "$id": "urn:newsspans:schema:manifest",
        "title": "NewsSpans release manifest (data/manifest.json)",
        **_object(
            {
                "version": {"type": "string", "pattern": SEMVER},
                "source_digest": {"type": "string", "pattern": SHA256, "description": "SHA-256 over the sorted (path, SHA-256) pairs of the corpus files read."},
                "built_with": {"type": "object", "additionalProperties": {"type": "string"}},
                "counts": {"type": "object", "additionalProperties": {"oneOf": [count, {"type": "object", "additionalProperties": count}]}},
                "files": {"type": "array", "items": file_entry},
            }
        ),
    }


def annotators_schema() -> dict[str, Any]:
    entry = _object(
        {
            "annotator_id": {"allOf": [_slug("Stable id of the annotator: names the folder layers/<id>/ of its layers; "
                                             "never an e-mail address."), {"not": {"enum": list(labels.RESERVED_ANNOTATOR_IDS)}}]},
            "kind": {"enum": list(labels.ANNOTATOR_KINDS), "description": "A person, or a program such as a language model."},
            "note": _nullable({"type": "string", "minLength": 1, "description": "Who or what, how, when; never an e-mail address."}),
        }
    )
    return {
        "$schema": DRAFT,
        "$id": "urn:newsspans:schema:annotators",
        "title": "NewsSpans annotators (corpus/annotators.json): who made the layers under corpus/layers/",
        **_object({"annotators": {"type": "array", "items": {"$ref": "#/$defs/annotator"}}}),
        "$defs": {"annotator": entry},
    }


def decision_schema() -> dict[str, Any]:
    """One line of ``corpus/decisions/<document id>.jsonl``."""
    annotation = annotation_schema()["$defs"]
    item_without_id = {layer: {**annotation[kind], "properties": {k: v for k, v in annotation[kind]["properties"].items() if k != "id"},
                               "required": [k for k in annotation[kind]["required"] if k != "id"]}
                       for layer, kind in (("entities", "entity"), ("quotes", "quote"), ("claims", "claim"))}
    annotator = _slug("An annotator id of corpus/annotators.json.")
    return {
        "$schema": DRAFT,
        "$id": "urn:newsspans:schema:decision",
        "title": "NewsSpans adjudication decision: one line of corpus/decisions/<document id>.jsonl",
        **_object(
            {
                "decision": {"type": "string", "pattern": local_id_pattern(labels.DECISION_PREFIX),
                             "description": "Id of the decision, unique in its file."},
                "layer": {"enum": ["entities", "quotes", "claims"]},
                "options": {"type": "object", "propertyNames": annotator, "additionalProperties": {"type": "array"},
                            "description": "Each annotator's items (as in its layer file, ids included) where the layers disagree."},
                "take": _nullable({"type": "string", "description": f"null (not decided yet), an annotator id of 'options', "
                                   f"'{labels.TAKE_NEITHER}' (none of them), or '{labels.TAKE_EDIT}' (the items below)."}),
                "items": _nullable({"type": "array", "description": f"With take '{labels.TAKE_EDIT}': the corrected items, without ids "
                                    "(adjudication gives them their gold ids)."}),
                "reason": _nullable({"type": "string", "minLength": 1, "description": "Why: one line."}),
            }
        ),
        "allOf": [
            {"if": {"properties": {"layer": {"const": layer}}},
             "then": {"properties": {"options": {"additionalProperties": {"items": {"$ref": f"#/$defs/{kind}"}}},
                                     "items": _nullable({"type": "array", "items": {"$ref": f"#/$defs/{layer}_item"}})}}}
            for layer, kind in (("entities", "entity"), ("quotes", "quote"), ("claims", "claim"))
        ],
        "$defs": {"span": annotation["span"], "entity": annotation["entity"], "quote": annotation["quote"],
                  "claim": annotation["claim"], **{f"{layer}_item": v for layer, v in item_without_id.items()}},
    }


def suggestion_schema() -> dict[str, Any]:
    """A suggestions file (``corpus/suggestions/<document id>.json``): the annotation file's format,
    each item with two more keys after its own, ``source`` and ``score``."""
    schema = annotation_schema()
    extra = {
        "source": {"type": "string", "minLength": 1,
                   "description": "The rule or model that suggested the item, with its version: 'gazetteer@1', "
                   "'rules-numeric@1', 'quotes@1', 'spacy:en_core_web_sm@3.8.0'."},
        "score": {"type": "number", "minimum": 0, "maximum": 1, "description": "How sure the source is, from 0 to 1."},
    }
    for kind in ("entity", "quote", "claim"):
        item = schema["$defs"][kind]
        item["properties"] = {**item["properties"], **extra}
        item["required"] = list(item["properties"])
    schema["properties"] = {"document_id": schema["properties"]["document_id"],
                            "annotator": _slug("The model annotator of annotators.json the suggestions are attributed to "
                                               "(written by newsspans suggest when the corpus has annotators.json)."),
                            **{k: v for k, v in schema["properties"].items() if k != "document_id"}}
    schema["$id"] = "urn:newsspans:schema:suggestion"
    schema["title"] = ("NewsSpans suggestions file (corpus/suggestions/<document id>.json): pre-annotation, never gold; "
                       "the annotation file's format, each item with its source and score")
    return schema


SCHEMAS: dict[str, dict[str, Any]] = {
    "annotation": annotation_schema(),
    "annotators": annotators_schema(),
    "decision": decision_schema(),
    "document": document_schema(),
    "registry": registry_schema(),
    "dataset": dataset_schema(),
    "manifest": manifest_schema(),
    "suggestion": suggestion_schema(),
}


def schema_filename(kind: str) -> str:
    return f"{kind}.schema.json"


def render(kind: str) -> str:
    return json.dumps(SCHEMAS[kind], indent=2, ensure_ascii=False) + "\n"


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in SCHEMAS:
        path = out / schema_filename(kind)
        path.write_text(render(kind), encoding="utf-8")
        written.append(path)
    return written


def stale_schemas(out: Path) -> list[str]:
    """Names of the schema files under ``out`` that differ from (or are missing against) ``SCHEMAS``."""
    stale = []
    for kind in SCHEMAS:
        path = out / schema_filename(kind)
        if not path.is_file() or path.read_text(encoding="utf-8") != render(kind):
            stale.append(schema_filename(kind))
    return stale
