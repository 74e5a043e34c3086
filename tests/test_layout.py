"""The package reads as the pipeline: imports point one way, and no module reaches into another
subpackage's private modules or takes another module's private names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "newsspans"
#: Layers from the bottom up: a module may import from its own layer and the ones below.
ORDER = [
    {"_version", "errors", "labels", "model", "paths", "atomic", "progress", "tokenize"},
    {"corpus"},
    {"validation"},
    {"registry"},
    {"agreement"},
    {"suggestions"},
    {"dataset"},
    {"versions"},
    {"adjudication"},
    {"review"},
    {"formats"},
    {"cli", "__main__", "__init__", "_synth"},
]


def _unit(module: str) -> str:
    """The layer unit of a dotted module name inside the package (``dataset._build`` -> ``dataset``)."""
    return module.split(".")[0]


def _layer(unit: str) -> int:
    for i, units in enumerate(ORDER):
        if unit in units:
            return i
    raise AssertionError(f"module {unit!r} is in no layer of tests/test_layout.py: place it")


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        yield ".".join(rel.parts), path


def _imports(name: str, path: Path):
    """(target module, imported names, line) of every package-internal import, lazy ones included."""
    package = name.split(".")[:-1] if not name.endswith("__init__") else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
            yield target, [a.name for a in node.names], node.lineno
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("newsspans."):
            yield node.module.removeprefix("newsspans."), [a.name for a in node.names], node.lineno


MODULES = dict(_modules())


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down_the_pipeline(name):
    source = _unit(name)
    for target, names, line in _imports(name, MODULES[name]):
        targets = [target] if target else [f"{n}" for n in names]  # `from . import x` at the top
        for t in targets:
            if not t or t == "__init__":
                continue
            assert _layer(_unit(t)) <= _layer(source), (
                f"{MODULES[name].relative_to(PACKAGE)}:{line} imports {t} from a later stage of the pipeline")


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_reaching_into_private_parts(name):
    source = _unit(name)
    for target, names, line in _imports(name, MODULES[name]):
        private_module = any(part.startswith("_") and part != "__init__" for part in target.split(".")[1:])
        if _unit(target) != source:
            assert not private_module or _unit(target) == "_version", (
                f"{MODULES[name].relative_to(PACKAGE)}:{line} imports {target}, a private module of another subpackage")
        if target != "" and _unit(target) != source or "." not in name:
            private = [n for n in names if n.startswith("_") and n != "__version__"]
            assert not private, f"{MODULES[name].relative_to(PACKAGE)}:{line} takes private names {private} from {target}"


def test_the_layer_check_catches_an_upward_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from ..cli import main\n", encoding="utf-8")
    [(target, _, _)] = list(_imports("validation.bad", bad))
    assert target == "cli" and _layer(_unit(target)) > _layer("validation")
