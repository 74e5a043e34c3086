"""JSON Schema validation of corpus files, turned into problems with stable codes.

``jsonschema`` finds every violation; this module names each one: an unknown label gets its own
code and the closest label as a fix, a non-integer offset is ``E-SPAN-TYPE``, a negative one
``E-SPAN-BOUNDS``, anything else ``E-SCHEMA`` with its JSON path. It also says how far a
violation reaches: an item of an annotation layer (left out of the further checks of its
document), or the whole file (nothing in it can be trusted).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import jsonschema
from jsonschema.validators import extend

from .. import labels
from ..corpus import MAX_DEPTH, too_deep
from ..model import LAYERS
from ._fastcheck import compile_schema, ecma_regex
from ._jsonloc import json_path, line_of
from ._problems import Problem
from ._schemas import SCHEMAS

# JSON has one number type; Python's json gives 3.0 for "3.0", which draft 2020-12 counts as an
# integer. Offsets index a string, so only true integers (and never booleans) are accepted.
_TYPES = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
    "integer", lambda _checker, x: isinstance(x, int) and not isinstance(x, bool)
)


def _pattern(validator, pattern: str, instance: Any, schema: dict[str, Any]):
    """The ``pattern`` keyword with its ECMA-262 meaning (``ecma_regex``), as the fast path reads
    it: jsonschema's own uses ``re.search`` as it is, where ``$`` matches before a final newline."""
    if validator.is_type(instance, "string") and ecma_regex(pattern).search(instance) is None:
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = extend(jsonschema.Draft202012Validator, validators={"pattern": _pattern}, type_checker=_TYPES)
VALIDATORS = {kind: _Validator(schema, format_checker=_Validator.FORMAT_CHECKER) for kind, schema in SCHEMAS.items()}
#: The compiled fast path of every kind.
FAST = {kind: compile_schema(schema) for kind, schema in SCHEMAS.items()}

#: The kinds of file in the annotation file's format (a suggestions file adds two keys per item):
#: their labels get their own codes, and a violation inside an item leaves out that item only.
ANNOTATION_KINDS = frozenset({"annotation", "suggestion"})

_LABEL_CODES = {
    ("entities", "label"): ("E-ENT-LABEL", labels.ENTITY_LABELS),
    ("quotes", "type"): ("E-QUOTE-TYPE", labels.QUOTE_TYPES),
    ("claims", "label"): ("E-CLAIM-LABEL", labels.CLAIM_LABELS),
}


@dataclass
class SchemaResult:
    problems: list[Problem] = field(default_factory=list)
    file_broken: bool = False
    broken_items: set[tuple[str, int]] = field(default_factory=set)


def _js(value: Any) -> str:
    """A value as JSON (null, true, "x"), shortened; the user wrote JSON, not Python."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def closest(value: Any, choices: tuple[str, ...]) -> Optional[str]:
    if not isinstance(value, str):
        return None
    by_upper = {c.upper(): c for c in choices}
    if value.upper() in by_upper:
        return by_upper[value.upper()]
    match = difflib.get_close_matches(value.upper(), list(by_upper), n=1, cutoff=0.5)
    return by_upper[match[0]] if match else None


def _message(error: jsonschema.ValidationError) -> str:
    v = error.validator
    if v == "required":
        missing = [k for k in error.validator_value if isinstance(error.instance, dict) and k not in error.instance]
        return "missing field " + ", ".join(repr(k) for k in missing)
    if v == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        return "unknown field " + ", ".join(repr(k) for k in extra) + f" (allowed: {', '.join(sorted(allowed))})"
    if v == "type":
        return f"expected {error.validator_value}, got {_js(error.instance)}"
    if v == "enum":
        return f"{_js(error.instance)} is not one of {', '.join(map(str, error.validator_value))}"
    if v == "pattern":
        shown = str(error.validator_value).replace(labels.END, "$")  # the same end of string, as people write it
        return f"{_js(error.instance)} does not match the pattern {shown}"
    if v in ("minimum", "minLength"):
        return f"{_js(error.instance)} is below the {v} {error.validator_value}"
    if v == "not" and isinstance(error.validator_value, dict) and ("const" in error.validator_value or "enum" in error.validator_value):
        return f"{_js(error.instance)} is a reserved name, not allowed here"
    return error.message.replace("None", "null")


def _wanted(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """The violation that says what was wanted. Of a nullable value (``oneOf``: null, or a schema)
    that is not null, the non-null branch's: "expected null" tells nothing about "ingrid-sæther"."""
    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return error
    branches = [e for e in error.context if not (e.validator == "type" and e.validator_value == "null")]
    if error.instance is None or not branches:
        branches = list(error.context)
    return _wanted(jsonschema.exceptions.best_match(branches))


def _character(ch: str) -> str:
    return f"{json.dumps(ch, ensure_ascii=False)} (U+{ord(ch):04X})"


def _id_pattern(error: jsonschema.ValidationError, kind: str, path: list, common: dict[str, Any]) -> Optional[Problem]:
    """E-ID-PATTERN for an id that must be a slug (``labels.SLUG``): the characters it may not hold,
    named, and its slug (``labels.slugify``) as the fix; a claimant's fix says what a claimant is."""
    value = error.instance
    if error.validator != "pattern" or error.validator_value != labels.SLUG or not isinstance(value, str):
        return None
    forbidden = [ch for ch in dict.fromkeys(value) if not ("a" <= ch <= "z" or "0" <= ch <= "9" or ch == "-")]
    if forbidden:
        what = "has characters the id pattern forbids: " + ", ".join(map(_character, forbidden))
    elif value:
        what = "has a hyphen at its start or end, or two in a row"
    else:
        what = "is empty"
    message = f"{_js(value)} {what}; an id is lowercase ASCII letters and digits, words joined by single hyphens"
    slug = labels.slugify(value)
    if kind in ANNOTATION_KINDS and path and path[-1] == "claimant":
        author = json.dumps(labels.AUTHOR_CLAIMANT)
        if labels.AUTHOR_CLAIMANT in slug.split("-"):
            fix = f"did you mean {author}? (the article's own voice)"
        else:
            fix = (f"did you mean {json.dumps(slug)}? " if slug else "") + (
                f"A claimant is {author} or a registry id; a source with no registry id is {author} (guidelines 5.3)")
    else:
        fix = f"did you mean {json.dumps(slug)}?" if slug else "spell it with ASCII letters and digits"
    return Problem("E-ID-PATTERN", message, fix=fix, **common)


def classify(error: jsonschema.ValidationError, raw: str, shown: str, kind: str, document_id: Optional[str]) -> Problem:
    """The problem of one schema violation; ``shown`` is the file as the user names it."""
    error = _wanted(error)
    path = list(error.absolute_path)
    item = json_path(path) or "$"
    line = line_of(raw, path)
    common = {"file": shown, "line": line, "document_id": document_id, "item": item}
    if kind in ANNOTATION_KINDS and len(path) == 3 and (path[0], path[2]) in _LABEL_CODES and error.validator == "enum":
        code, choices = _LABEL_CODES[(path[0], path[2])]
        guess = closest(error.instance, choices)
        return Problem(code, f"unknown {path[2]} {_js(error.instance)}", fix=f"did you mean {guess!r}?" if guess else None, **common)
    if kind in ANNOTATION_KINDS and path and path[-1] in ("start", "end"):
        if error.validator == "type":
            return Problem("E-SPAN-TYPE", f"must be an integer, got {_js(error.instance)}", **common)
        if error.validator == "minimum":
            return Problem("E-SPAN-BOUNDS", f"{_js(error.instance)} is negative", **common)
    return _id_pattern(error, kind, path, common) or Problem("E-SCHEMA", _message(error), **common)


def check_schema(value: Any, raw: str, path: Path, kind: str, document_id: Optional[str] = None) -> SchemaResult:
    """Every schema violation of ``value`` (the parsed file at ``path``, of the given kind)."""
    result = SchemaResult()
    if FAST[kind](value):
        return result  # the fast path: valid, no need for the detailed validator
    from ..paths import display_path

    shown = display_path(path)
    deep = too_deep(value)
    if deep is not None:
        result.problems.append(Problem("E-FILE-JSON", f"nested more than {MAX_DEPTH} levels deep (no corpus file nests "
                                       "more than a few), so its contents are not checked", file=shown,
                                       line=line_of(raw, deep), document_id=document_id))
        result.file_broken = True
        return result
    for error in VALIDATORS[kind].iter_errors(value):
        result.problems.append(classify(error, raw, shown, kind, document_id))
        path = list(error.absolute_path)
        if kind in ANNOTATION_KINDS and len(path) >= 2 and path[0] in LAYERS and isinstance(path[1], int):
            result.broken_items.add((path[0], path[1]))
        else:
            result.file_broken = True
    result.problems.sort(key=lambda p: (p.line or 0, p.item or "", p.code))
    return result

