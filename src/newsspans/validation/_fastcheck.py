"""A fast accept-or-refer check compiled from the same JSON Schemas.

``jsonschema`` finds and explains every violation but costs milliseconds per file; at 100,000
documents that dominates. ``compile_schema`` turns a schema into a plain Python predicate (no
messages) for the subset of keywords our schemas use, generated as source code so that a valid
item costs a few dictionary look-ups. Valid files, nearly all of them, pass the predicate and
skip ``jsonschema``; a file the predicate refuses goes to ``jsonschema`` for the detailed report.
The predicate must never accept what ``jsonschema`` refuses (a property test checks it); an
unknown keyword fails at compile time, so a schema change cannot silently weaken it.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import Any, Callable

Predicate = Callable[[Any], bool]

_IGNORED = {"$schema", "$id", "$defs", "title", "description"}
_TYPES = {"string": "str", "integer": "int", "object": "dict", "array": "list", "boolean": "bool"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)  # as jsonschema's "date" format (a full match)


@functools.lru_cache(maxsize=None)
def ecma_regex(pattern: str) -> "re.Pattern[str]":
    """A JSON Schema ``pattern`` (ECMA-262) compiled for Python's ``re`` with its ECMA meaning, as
    far as our patterns go: ``$`` (outside a character class) is the end of the string, where
    Python's ``$`` also matches before a final newline (``"abc\\n"`` would match ``^abc$``), and
    ``\\d``, ``\\w`` are ASCII. Used by the fast path and by the detailed validator alike, so the
    two always agree; apply it with ``search``, as JSON Schema does."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "$":
            c = r"\Z"
        out.append(c)
        i += 1
    return re.compile("".join(out), re.ASCII)


def _is_date(x: Any) -> bool:
    if type(x) is not str:
        return True  # "format" only constrains strings
    if not _DATE.fullmatch(x):
        return False
    try:
        date.fromisoformat(x)
    except ValueError:
        return False
    return True


class _Compiler:
    def __init__(self, root: dict[str, Any]):
        self.root = root
        self.namespace: dict[str, Any] = {"_is_date": _is_date}
        self.functions: list[str] = []
        self.defs: dict[str, str] = {}
        self.counter = 0

    def name(self, prefix: str) -> str:
        self.counter += 1
        return f"_{prefix}{self.counter}"

    def const(self, value: Any, prefix: str = "c") -> str:
        name = self.name(prefix)
        self.namespace[name] = value
        return name

    def expr(self, schema: dict[str, Any], v: str) -> str:
        """A boolean expression that holds when the value named ``v`` matches ``schema``."""
        parts = []
        for key, arg in schema.items():
            if key in _IGNORED or key in ("required", "additionalProperties") and "properties" in schema:
                continue
            if key == "type":
                if arg == "null":
                    parts.append(f"{v} is None")
                elif arg == "number":  # an int or a float, never a bool (as the detailed validator)
                    parts.append(f"type({v}) in (int, float)")
                else:
                    parts.append(f"type({v}) is {_TYPES[arg]}")
            elif key == "enum":
                if not all(type(a) is str for a in arg):
                    raise ValueError("fastcheck: only string enums")
                parts.append(f"(type({v}) is str and {v} in {self.const(frozenset(arg))})")
            elif key == "const":
                parts.append(f"({v} == {self.const(arg)} and type({v}) is {self.const(type(arg))})")
            elif key == "pattern":
                parts.append(f"(type({v}) is not str or {self.const(ecma_regex(arg).search)}({v}) is not None)")
            elif key == "minimum":
                parts.append(f"(type({v}) not in (int, float) or {v} >= {arg!r})")
            elif key == "maximum":
                parts.append(f"(type({v}) not in (int, float) or {v} <= {arg!r})")
            elif key == "minLength":
                parts.append(f"(type({v}) is not str or len({v}) >= {int(arg)})")
            elif key == "format":
                if arg != "date":
                    raise ValueError(f"fastcheck: unsupported format {arg!r}")
                parts.append(f"_is_date({v})")
            elif key == "properties":
                parts.append(f"{self.object_function(schema)}({v})")
            elif key == "additionalProperties":
                if not isinstance(arg, dict):
                    raise ValueError(f"fastcheck: {key} without properties")
                fn = self.loop_function(arg, "values")
                parts.append(f"(type({v}) is not dict or {fn}({v}))")
            elif key == "required":
                raise ValueError("fastcheck: required without properties")
            elif key == "items":
                parts.append(f"(type({v}) is not list or {self.loop_function(arg, 'items')}({v}))")
            elif key == "uniqueItems":
                if arg:
                    parts.append(f"(type({v}) is not list or len(set(map(repr, {v}))) == len({v}))")
            elif key == "oneOf":
                if len(arg) == 2 and arg[0] == {"type": "null"} and self._refuses_null(arg[1]):
                    parts.append(f"({v} is None or {self.expr(arg[1], v)})")  # the nullable idiom
                else:
                    subs = " + ".join(f"bool({self.expr(s, v)})" for s in arg)
                    parts.append(f"(({subs}) == 1)")
            elif key == "allOf":
                parts.append("(" + " and ".join(self.expr(s, v) for s in arg) + ")")
            elif key == "not":
                parts.append(f"(not {self.expr(arg, v)})")
            elif key == "propertyNames":
                parts.append(f"(type({v}) is not dict or {self.loop_function(arg, 'keys')}({v}))")
            elif key == "if":
                then = self.expr(schema["then"], v) if "then" in schema else "True"
                otherwise = self.expr(schema["else"], v) if "else" in schema else "True"
                parts.append(f"(({then}) if ({self.expr(arg, v)}) else ({otherwise}))")
            elif key in ("then", "else"):
                continue  # with their "if"
            elif key == "$ref":
                parts.append(f"{self.ref_function(arg)}({v})")
            else:
                raise ValueError(f"fastcheck: unsupported keyword {key!r}")
        return " and ".join(parts) if parts else "True"

    def _refuses_null(self, schema: dict[str, Any]) -> bool:
        if "$ref" in schema:
            schema = self._target(schema["$ref"])
        return schema.get("type") not in (None, "null")

    def _target(self, ref: str) -> dict[str, Any]:
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"fastcheck: unsupported $ref {ref!r}")
        return self.root["$defs"][ref[len("#/$defs/"):]]

    def ref_function(self, ref: str) -> str:
        if ref not in self.defs:
            name = self.defs[ref] = self.name("d")
            self.functions.append(f"def {name}(x):\n    return {self.expr(self._target(ref), 'x')}\n")
        return self.defs[ref]

    def loop_function(self, schema: dict[str, Any], over: str) -> str:
        name = self.name("a")
        source = "x.values()" if over == "values" else "x"  # "items" of a list, "keys" of a dict
        self.functions.append(f"def {name}(x):\n    for v in {source}:\n        if not ({self.expr(schema, 'v')}):\n"
                              "            return False\n    return True\n")
        return name

    def object_function(self, schema: dict[str, Any]) -> str:
        name = self.name("o")
        props = schema["properties"]
        required = set(schema.get("required", ()))
        lines = [f"def {name}(x):", "    if type(x) is not dict:", "        return True"]
        if schema.get("additionalProperties") is False and required == set(props):
            lines += [f"    if x.keys() != {self.const(frozenset(props))}:", "        return False"]
        else:
            if schema.get("additionalProperties") not in (None, False):
                raise ValueError("fastcheck: additionalProperties schema beside properties")
            if required:
                lines += [f"    if not {self.const(frozenset(required))} <= x.keys():", "        return False"]
            if schema.get("additionalProperties") is False:
                lines += [f"    if not x.keys() <= {self.const(frozenset(props))}:", "        return False"]
        for i, (prop, sub) in enumerate(props.items()):
            var = f"v{i}"
            check = self.expr(sub, var)
            if prop in required:
                lines += [f"    {var} = x[{prop!r}]", f"    if not ({check}):", "        return False"]
            else:
                lines += [f"    if {prop!r} in x:", f"        {var} = x[{prop!r}]", f"        if not ({check}):",
                          "            return False"]
        lines.append("    return True\n")
        self.functions.append("\n".join(lines))
        return name


def compile_schema(schema: dict[str, Any]) -> Predicate:
    """A predicate that holds only for values ``schema`` accepts (not necessarily for all of them)."""
    compiler = _Compiler(schema)
    body = compiler.expr(schema, "x")
    source = "\n".join(compiler.functions) + f"\ndef check(x):\n    return bool({body})\n"
    namespace = dict(compiler.namespace)
    exec(compile(source, f"<fastcheck {schema.get('$id', 'schema')}>", "exec"), namespace)
    check = namespace["check"]
    check.source = source  # type: ignore[attr-defined]
    return check
