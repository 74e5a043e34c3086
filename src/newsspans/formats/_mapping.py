"""Label mappings for imports (``--mapping FILE``): a corpus annotated with a label set of its own
(CoNLL's PER/LOC/ORG/MISC, a tool's custom names) is imported through a mapping file that says what
each of its labels is in NewsSpans, or that it is dropped.

The file is JSON or YAML (``.json``, ``.yaml``, ``.yml``), checked against ``MAPPING_SCHEMA``
(``schema/mapping.schema.json``)::

    entities:          # the source's entity labels: one of the 18 types, or "drop"
      PER: PERSON
      LOC: GPE         # CoNLL's LOC is mostly cities and countries: OntoNotes GPE
      ORG: ORG
      MISC: drop
    unknown: refuse    # a label the mapping does not name: refuse (the default) or skip

``LabelMapper`` applies it, one mechanism for every importer: each label found is mapped, dropped
or (``unknown: skip``) skipped, and counted per label; a label the mapping does not name, with
``unknown: refuse``, refuses the import with the list of every such label found and its count.
**Without a mapping** only the 18 OntoNotes types are taken: a foreign label set (a label such as
``PER`` or ``LOC`` that NewsSpans does not have) is refused with the labels found, never taken
silently: CoNLL's ``LOC`` is not OntoNotes' ``LOC`` ("Madrid" is GPE in OntoNotes).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

from ..labels import ENTITY_LABELS, QUOTE_PARTS, QUOTE_TYPES
from ..paths import display_path
from ..validation import QUOTATION_MARKS, quotation_marks_in
from .base import FormatError, Report

DROP = "drop"
UNKNOWN_POLICIES = ("refuse", "skip")
#: OntoNotes place types that CoNLL-2003 does not have: a source with LOC and none of them is ambiguous.
PLACE_TYPES = frozenset({"GPE", "FAC"})
LAYER_NAMES = ("entities", "quotes", "claims")

MAPPING_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:newsspans:schema:mapping",
    "title": "NewsSpans import mapping (newsspans import FORMAT SRC --mapping FILE): what a source's labels are in NewsSpans",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "entities": {
            "type": "object",
            "description": "The source's entity labels, each mapped to one of the 18 OntoNotes types or to 'drop' "
                           "(not imported, counted per label).",
            "propertyNames": {"minLength": 1},
            "additionalProperties": {"enum": [*ENTITY_LABELS, DROP]},
        },
        "unknown": {
            "enum": list(UNKNOWN_POLICIES),
            "description": "A label the mapping does not name: 'refuse' the import (the default, listing every such "
                           "label) or 'skip' it (counted per label).",
        },
        "brat": {
            "type": "object",
            "additionalProperties": False,
            "description": "brat: which events are quotes and what their parts are.",
            "properties": {
                "quote_events": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string", "minLength": 1},
                                 "description": "Event types that are quotes (an attribution event: Attribution)."},
                "roles": {"type": "object", "propertyNames": {"minLength": 1},
                          "additionalProperties": {"enum": list(QUOTE_PARTS)},
                          "description": "Each argument role of a quote event -> the quote part it is: content, speaker "
                                         "or cue (Content: content, Source: speaker, Cue: cue)."},
                "trigger": {"enum": [*QUOTE_PARTS, "none"],
                            "description": "What a quote event's trigger span is: a part of the quote, or 'none' (not "
                                           "imported). Default: none."},
                "type": {"$ref": "#/$defs/quote_type"},
            },
            "required": ["quote_events", "roles"],
        },
        "labelstudio": {
            "type": "object",
            "additionalProperties": False,
            "description": "Label Studio: which control is which layer, and how quote parts are linked.",
            "properties": {
                "controls": {"type": "object", "propertyNames": {"minLength": 1},
                             "additionalProperties": {"enum": [*LAYER_NAMES, "drop"]},
                             "description": "Each labels control (a result's from_name) -> entities, quotes, claims or "
                                            "drop. Entity labels then go through 'entities' above."},
                "quote_parts": {"type": "object", "propertyNames": {"minLength": 1},
                                "additionalProperties": {"enum": list(QUOTE_PARTS)},
                                "description": "The labels of the quotes control -> the part each region is."},
                "relations": {"type": "object", "propertyNames": {"minLength": 1},
                              "additionalProperties": {"enum": ["speaker", "cue"]},
                              "description": "Relation labels linking a speaker or cue region to its content region "
                                             "(either direction). A relation with no label links by the region's part."},
                "claim_labels": {"type": "object", "propertyNames": {"minLength": 1},
                                 "additionalProperties": {"enum": ["CFS", "UFS", "drop"]},
                                 "description": "The labels of the claims control -> CFS, UFS or drop."},
                "type": {"$ref": "#/$defs/quote_type"},
            },
        },
    },
    "$defs": {
        "quote_type": {
            "type": "object",
            "additionalProperties": False,
            "description": "A quote's type: from an attribute (brat) or a choices control (Label Studio) whose values "
                           "are mapped, else the default ('auto': direct when the content is one quoted passage, mixed "
                           "when it holds one, indirect when it holds no quotation mark; guidelines 4.2).",
            "properties": {
                "attribute": {"type": "string", "minLength": 1},
                "values": {"type": "object", "additionalProperties": {"enum": list(QUOTE_TYPES)}},
                "default": {"enum": [*QUOTE_TYPES, "auto"]},
            },
        },
    },
}


@dataclass(frozen=True)
class Mapping:
    """A mapping file as read: ``entities`` maps a source label to a type (None: dropped);
    ``unknown`` is ``refuse`` or ``skip``; ``path`` is where it was read from (for messages)."""

    entities: dict[str, Optional[str]] = field(default_factory=dict)
    unknown: str = "refuse"
    path: Optional[Path] = None
    #: The ``brat`` and ``labelstudio`` sections as the file gives them (schema-checked), or None.
    brat: Optional[dict[str, Any]] = None
    labelstudio: Optional[dict[str, Any]] = None

    @classmethod
    def from_value(cls, value: Any, *, path: Optional[Path] = None) -> "Mapping":
        """A mapping from its parsed content; ``FormatError`` naming every place the schema refuses."""
        import jsonschema

        shown = display_path(path) if path is not None else "the mapping"
        validator = jsonschema.Draft202012Validator(MAPPING_SCHEMA)
        errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
        if errors:
            raise FormatError.of([f"{shown}: {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors])
        entities = {label: (None if target == DROP else target) for label, target in value.get("entities", {}).items()}
        return cls(entities, value.get("unknown", "refuse"), path, value.get("brat"), value.get("labelstudio"))


def load_mapping(path: Union[str, Path]) -> Mapping:
    """The mapping file at ``path`` (JSON, or YAML for ``.yaml``/``.yml``); ``FormatError`` in one
    line per problem when it cannot be read or the schema refuses it."""
    path = Path(path)
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise FormatError(f"{display_path(path)}: cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise FormatError(f"{display_path(path)}: byte {exc.start} is not UTF-8") from None
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            value = yaml.safe_load(raw)
        else:
            value = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise FormatError(f"{display_path(path)}: not {'YAML' if path.suffix.lower() in ('.yaml', '.yml') else 'JSON'}: "
                          f"{str(exc).splitlines()[0]}") from None
    except Exception as exc:  # yaml.YAMLError and its kin
        raise FormatError(f"{display_path(path)}: not YAML: {str(exc).splitlines()[0]}") from None
    return Mapping.from_value(value, path=path)


class LabelMapper:
    """The entity labels of one import through a ``Mapping`` (or, without one, the 18 types only):
    ``map`` gives each label's type or None (dropped, skipped or unknown), counting every label
    that is not imported as itself; ``finish`` refuses the unknown ones, or reports the counts."""

    def __init__(self, mapping: Optional[Mapping] = None):
        self.mapping = mapping
        self.mapped: Counter = Counter()  # (label, type) -> count, for labels renamed
        self.dropped: Counter = Counter()
        self.skipped: Counter = Counter()
        self.unknown: Counter = Counter()
        self.first_seen: dict[str, Any] = {}  # label -> the ``importer.Source`` of its first mention
        self.seen: Counter = Counter()  # every label of the source

    def map(self, label: str, source: Any = None) -> Optional[str]:
        """The NewsSpans type of the source's entity label ``label`` (at ``source``, an
        ``importer.Source``, for the message naming its first mention), or None when it is not
        imported."""
        self.seen[label] += 1
        self.first_seen.setdefault(label, source)
        if self.mapping is not None and label in self.mapping.entities:
            target = self.mapping.entities[label]
            if target is None:
                self.dropped[label] += 1
            elif target != label:
                self.mapped[(label, target)] += 1
            return target
        if self.mapping is None and label in ENTITY_LABELS:
            return label
        if self.mapping is not None and self.mapping.unknown == "skip":
            self.skipped[label] += 1
        else:
            self.unknown[label] += 1
        return None

    def finish(self, report: Report) -> None:
        """Raise ``FormatError`` with one line per unknown label found (its count, located at its
        first mention); else add the renamed, dropped and skipped counts to ``report``'s notes."""
        lines = [self._unknown_line(label, n) for label, n in sorted(self.unknown.items())]
        if self.mapping is None and "LOC" in self.seen and not self.seen.keys() & PLACE_TYPES:
            lines.append(self._ambiguous_loc())
        if lines:
            raise FormatError.of(lines)
        self._note_counts(report)

    def _ambiguous_loc(self) -> str:
        """LOC without any OntoNotes-only place type: most likely CoNLL's LOC, never taken silently."""
        source = self.first_seen.get("LOC")
        source = source() if callable(source) else source
        n = self.seen["LOC"]
        message = (f"label \"LOC\" ({n} mention{'s' if n != 1 else ''}, the first here) with no GPE or FAC in the source: "
                   "CoNLL's LOC (cities and countries: OntoNotes GPE) or OntoNotes' LOC (mountains, rivers, regions)? "
                   "Say which with --mapping FILE ({\"entities\": {\"LOC\": \"GPE\"}} or {\"LOC\": \"LOC\"}; "
                   "docs/import-mapping.md). Labels found: " + ", ".join(f"{x} ({n})" for x, n in sorted(self.seen.items())))
        return message if source is None else f"{source.where}: {message}"

    def _unknown_line(self, label: str, n: int) -> str:
        source = self.first_seen.get(label)
        source = source() if callable(source) else source
        mentions = f"{n} mention{'s' if n != 1 else ''} in the source, the first here"
        if self.mapping is None:
            message = (f"unknown label {json.dumps(label, ensure_ascii=False)} ({mentions}): not one of NewsSpans' 18 types; "
                       "if the source uses a label set of its own, say what each label is with --mapping FILE "
                       "(docs/import-mapping.md)")
        else:
            shown = display_path(self.mapping.path) if self.mapping.path else "the mapping"
            message = (f"unknown label {json.dumps(label, ensure_ascii=False)} ({mentions}): {shown} does not name it; "
                       "map it to a type or to \"drop\", or set \"unknown\": \"skip\"")
        if source is None:
            return f"[E-ENT-LABEL] {message}"
        item = ": ".join(x for x in (source.context, source.label) if x)
        return f"{source.where}: [E-ENT-LABEL] {item + ': ' if item else ''}{message}"  # as the validator's problems read

    def _note_counts(self, report: Report) -> None:
        for (label, target), n in sorted(self.mapped.items()):
            report.notes.append(f"entity label {label} imported as {target}: {n}")
        for what, counts in (("dropped by the mapping", self.dropped), ("skipped (not in the mapping)", self.skipped)):
            for label, n in sorted(counts.items()):
                report.notes.append(f"entity label {label} {what}: {n} mention(s) not imported")
                report.ignore(f"entity labels {what}", f"{label}: {n} mention(s)")


def auto_quote_type(text: str, start: int, end: int) -> str:
    """A quote's type from its quotation marks (guidelines 4.2), for a source that does not say:
    ``direct`` when the content is one quoted passage (its marks just outside its edges, or its
    first and last characters before any final punctuation, as corpora that keep the marks in the
    content have it), ``mixed`` when it holds marks otherwise, ``indirect`` when it holds none."""
    marks = quotation_marks_in(text, start, end)
    outside = 0 < start and end < len(text) and text[start - 1] in QUOTATION_MARKS and text[end] in QUOTATION_MARKS
    if not marks:
        return "direct" if outside else "indirect"
    body_end = end
    while body_end > start and text[body_end - 1] in ".,;:!?" and body_end - 1 not in marks:
        body_end -= 1
    if len(marks) == 2 and marks[0] == start and marks[1] == body_end - 1:
        return "direct"
    return "mixed"
