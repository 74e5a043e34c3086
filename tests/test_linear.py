"""Validation stays linear in the number of problems: each problem's line comes from one location
index per file (``validation._jsonloc.Locator``), built once, not from a walk of the file from its
start per problem (a registry with 20,000 unused entries took 251 s that way). The tests count the
walking, never time it: how many indexes are built for the registry, how often each of its
containers is scanned and how many values are skipped over, at N and at 4N problems."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import CORPUS

from newsspans.validation import _jsonloc, iter_problems, line_of

N = 200


def _registry_corpus(tmp: Path, n: int, scenario: str) -> Path:
    corpus = tmp / f"{scenario}-{n}"
    shutil.copytree(CORPUS, corpus)
    registry = json.loads((corpus / "registry.json").read_text(encoding="utf-8"))
    extra = []
    for i in range(n):
        entry = {"entity_id": f"zz-{i:07d}", "name": f"Unused {i}", "type": "ORG", "aliases": [f"Unused Org {i}"], "wikidata": None}
        if scenario == "schema":
            entry["wikidata"] = f"not-a-qid-{i}"  # E-SCHEMA at every entry
        extra.append(entry)
    entries = sorted(registry["entities"] + extra, key=lambda e: e["entity_id"])
    if scenario == "order":
        entries.reverse()  # W-REG-ORDER at every entry but the first
    lines = ["{", '  "entities": [', ",\n".join("    " + json.dumps(e, ensure_ascii=False) for e in entries), "  ]", "}"]
    (corpus / "registry.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return corpus


def _values(value: Any) -> int:
    """How many JSON values ``value`` holds, itself included."""
    if isinstance(value, dict):
        return 1 + sum(_values(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_values(v) for v in value)
    return 1


class Walks:
    """Counts, for the locators of one text: indexes built, container scans, values skipped."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, text: str):
        self.text, self.built, self.skips, self.scans = text, 0, 0, []
        init, skip, children = _jsonloc.Locator.__init__, _jsonloc.Locator._skip_value, _jsonloc.Locator.children
        walks = self

        def counting_init(locator, s):
            init(locator, s)
            locator.counted = s == walks.text
            walks.built += locator.counted

        def counting_skip(locator, i):
            walks.skips += getattr(locator, "counted", False)
            return skip(locator, i)

        def counting_children(locator, i):
            if getattr(locator, "counted", False) and i not in locator._children:
                walks.scans.append((id(locator), i))
            return children(locator, i)

        monkeypatch.setattr(_jsonloc.Locator, "__init__", counting_init)
        monkeypatch.setattr(_jsonloc.Locator, "_skip_value", counting_skip)
        monkeypatch.setattr(_jsonloc.Locator, "children", counting_children)


@pytest.mark.parametrize("scenario, code", [("unused", "W-REG-UNUSED"), ("schema", "E-SCHEMA"), ("order", "W-REG-ORDER")])
def test_registry_problems_are_located_without_walking_the_file_again(tmp_path, monkeypatch, scenario, code):
    built = {}
    for n in (N, 4 * N):
        corpus = _registry_corpus(tmp_path, n, scenario)
        text = (corpus / "registry.json").read_text(encoding="utf-8")
        with monkeypatch.context() as patch:
            walks = Walks(patch, text)
            problems = list(iter_problems(corpus, workers=1))
        lines = [p.line for p in problems if p.code == code]
        assert len(set(lines)) == len(lines)  # every entry at its own line
        added = {text.count("\n", 0, text.index(f'"zz-{i:07d}"')) + 1 for i in range(n)}
        assert len(added - set(lines)) <= 1  # each added entry located (but the first, when in order)
        assert walks.built >= 1 and len(walks.scans) == len(set(walks.scans))  # no container of an index scanned twice
        assert walks.skips <= walks.built * _values(json.loads(text))  # each value skipped over once per index
        built[n] = walks.built
    assert built[4 * N] == built[N]  # the indexes do not grow in number with the problems


def test_locating_every_item_of_a_file_skips_each_value_once(monkeypatch):
    text = json.dumps({"items": [{"id": i, "tags": ["a", "b"]} for i in range(20 * N)]}, indent=1)
    walks = Walks(monkeypatch, text)
    lines = [line_of(text, ["items", i, "tags", 1]) for i in range(20 * N)]
    assert lines == [text.count("\n", 0, text.index(f'"id": {i},')) + 4 for i in range(20 * N)]
    assert walks.built == 1
    assert walks.skips <= _values(json.loads(text))  # a walk from the top per item: about (20N)^2 / 2
