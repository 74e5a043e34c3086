"""A fast accept-or-refer check compiled from the same JSON Schemas.

``jsonschema`` finds and explains every violation but costs milliseconds per file; at 100,000
documents that dominates. ``compile_schema`` turns a schema into a plain predicate (no messages)
for the subset of keywords our schemas use. Valid files, nearly all of them, pass the predicate
and skip ``jsonschema``; a file the predicate refuses goes to ``jsonschema`` for the detailed
report. The predicate must never accept what ``jsonschema`` refuses (a property test checks it);
an unknown keyword fails at compile time, so a schema change cannot silently weaken it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Callable

Predicate = Callable[[Any], bool]

_IGNORED = {"$schema", "$id", "$defs", "title", "description"}


def _is_int(x: Any) -> bool:
    return type(x) is int


_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda x: type(x) is str,
    "integer": _is_int,
    "object": lambda x: type(x) is dict,
    "array": lambda x: type(x) is list,
    "null": lambda x: x is None,
    "boolean": lambda x: type(x) is bool,
}


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)  # as jsonschema's "date" format


def _is_date(x: Any) -> bool:
    if type(x) is not str:
        return True  # "format" only constrains strings
    if not _DATE.match(x):
        return False
    try:
        date.fromisoformat(x)
    except ValueError:
        return False
    return True


def compile_schema(schema: dict[str, Any], root: dict[str, Any] | None = None) -> Predicate:
    root = root if root is not None else schema
    checks: list[Predicate] = []
    for key, arg in schema.items():
        if key in _IGNORED:
            continue
        if key == "type":
            checks.append(_TYPES[arg])
        elif key == "enum":
            allowed = frozenset(arg)
            checks.append(lambda x, allowed=allowed: type(x) is str and x in allowed)
        elif key == "const":
            checks.append(lambda x, arg=arg: x == arg and type(x) is type(arg))
        elif key == "pattern":
            search = re.compile(arg).search
            checks.append(lambda x, search=search: type(x) is not str or search(x) is not None)
        elif key == "minimum":
            checks.append(lambda x, arg=arg: type(x) not in (int, float) or x >= arg)
        elif key == "minLength":
            checks.append(lambda x, arg=arg: type(x) is not str or len(x) >= arg)
        elif key == "format":
            if arg != "date":
                raise ValueError(f"fastcheck: unsupported format {arg!r}")
            checks.append(_is_date)
        elif key == "properties":
            props = {name: compile_schema(sub, root) for name, sub in arg.items()}
            closed = schema.get("additionalProperties") is False
            required = frozenset(schema.get("required", ()))
            keys = frozenset(props)

            def obj(x: Any, props=props, closed=closed, required=required, keys=keys) -> bool:
                if type(x) is not dict:
                    return True
                if not required <= x.keys() or (closed and not x.keys() <= keys):
                    return False
                for name, value in x.items():
                    check = props.get(name)
                    if check is not None and not check(value):
                        return False
                return True

            checks.append(obj)
        elif key == "additionalProperties" and isinstance(arg, dict):
            if "properties" in schema:
                raise ValueError("fastcheck: additionalProperties schema beside properties")
            value_check = compile_schema(arg, root)
            checks.append(lambda x, value_check=value_check: type(x) is not dict or all(value_check(v) for v in x.values()))
        elif key in ("required", "additionalProperties"):
            if "properties" not in schema:
                raise ValueError(f"fastcheck: {key} without properties")
        elif key == "items":
            item = compile_schema(arg, root)
            checks.append(lambda x, item=item: type(x) is not list or all(item(v) for v in x))
        elif key == "uniqueItems":
            if arg:
                checks.append(lambda x: type(x) is not list or len({repr(v) for v in x}) == len(x))
        elif key == "oneOf":
            subs = [compile_schema(s, root) for s in arg]
            if len(arg) == 2 and arg[0] == {"type": "null"} and not subs[1](None):
                # The nullable idiom: exactly one branch holds iff the value is null or the other holds.
                other = subs[1]
                checks.append(lambda x, other=other: x is None or other(x))
            else:
                checks.append(lambda x, subs=subs: sum(1 for s in subs if s(x)) == 1)
        elif key == "allOf":
            subs = [compile_schema(s, root) for s in arg]
            checks.append(lambda x, subs=subs: all(s(x) for s in subs))
        elif key == "not":
            sub = compile_schema(arg, root)
            checks.append(lambda x, sub=sub: not sub(x))
        elif key == "$ref":
            if not arg.startswith("#/$defs/"):
                raise ValueError(f"fastcheck: unsupported $ref {arg!r}")
            target = root["$defs"][arg[len("#/$defs/"):]]
            holder: list[Predicate] = []

            def ref(x: Any, holder=holder, target=target) -> bool:
                if not holder:
                    holder.append(compile_schema(target, root))
                return holder[0](x)

            checks.append(ref)
        else:
            raise ValueError(f"fastcheck: unsupported keyword {key!r}")

    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda x: first(x) and second(x)

    def check(x: Any) -> bool:
        for c in checks:
            if not c(x):
                return False
        return True

    return check
