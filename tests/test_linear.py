"""Validation time grows linearly with the number of problems: each problem's line comes from one
location index per file, built once, not from a rescan of the file from its start (a registry with
20,000 unused entries took 251 s). Each test times the same work at N and 4N and checks the ratio
is well under quadratic (16); no absolute thresholds, so a slow machine does not fail it."""

from __future__ import annotations

import gc
import json
import shutil
import time
from pathlib import Path

import pytest
from helpers import CORPUS

from newsspans.validation import iter_problems, line_of

N = 500
#: A quadratic cost gives 16 at 4N; linear 4 (plus noise and the fixed cost of the corpus).
MAX_RATIO = 8


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


def _best_of(runs: int, fn) -> float:
    """The fastest of ``runs`` timings of ``fn()`` (the garbage collector off: less noise)."""
    times = []
    gc.collect()
    gc.disable()
    try:
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    finally:
        gc.enable()
    return min(times)


@pytest.mark.parametrize("scenario, code", [("unused", "W-REG-UNUSED"), ("schema", "E-SCHEMA"), ("order", "W-REG-ORDER")])
def test_validation_time_grows_linearly_with_the_registry(tmp_path, scenario, code):
    small, large = (_registry_corpus(tmp_path, n, scenario) for n in (N, 4 * N))
    problems = list(iter_problems(large, workers=1))
    assert sum(p.code == code for p in problems) >= 4 * N - 1
    lines = [p.line for p in problems if p.code == code]
    assert len(set(lines)) == len(lines)  # every entry at its own line
    ratio = _best_of(3, lambda: list(iter_problems(large, workers=1))) / _best_of(3, lambda: list(iter_problems(small, workers=1)))
    assert ratio < MAX_RATIO, f"{scenario}: 4x the entries took {ratio:.1f}x the time"


def test_locating_every_item_of_a_file_is_linear():
    def text(n: int) -> str:
        return json.dumps({"items": [{"id": i, "tags": ["a", "b"]} for i in range(n)]}, indent=1)

    def locate(s: str, n: int) -> list[int]:
        s = s + " "  # a new text each time: its location index is built anew, as for each file
        return [line_of(s, ["items", i, "tags", 1]) for i in range(n)]

    small, large = text(5 * N), text(20 * N)
    lines = locate(large, 20 * N)
    assert [lines[0], lines[-1]] == [large.count("\n", 0, large.index(f'"id": {i},')) + 4 for i in (0, 20 * N - 1)]
    ratio = _best_of(5, lambda: locate(large, 20 * N)) / _best_of(5, lambda: locate(small, 5 * N))
    assert ratio < MAX_RATIO, f"4x the items took {ratio:.1f}x the time"
