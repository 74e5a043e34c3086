"""Locating a JSON value's line after the fast parse."""

from __future__ import annotations

import json

from newsspans.corpus import dumps_canonical
from newsspans.validation import json_path, line_of

TRICKY = """{
  "a": "brace } and bracket ] and \\"quote\\" inside",
  "list": [
    {"x": [1, 2, {"y": "]"}]},
    {"x": 3},

    {"x": "new\\nline"}
  ],
  "z": {"k": [10, 20,
              30]}
}
"""


def test_line_of_values_in_tricky_json():
    json.loads(TRICKY)  # it is valid JSON
    assert line_of(TRICKY, []) == 1
    assert line_of(TRICKY, ["a"]) == 2
    assert line_of(TRICKY, ["list", 0]) == 4
    assert line_of(TRICKY, ["list", 1, "x"]) == 5
    assert line_of(TRICKY, ["list", 2]) == 7
    assert line_of(TRICKY, ["z", "k", 2]) == 10


def test_a_missing_path_gives_the_nearest_enclosing_value():
    assert line_of(TRICKY, ["list", 9]) == 3
    assert line_of(TRICKY, ["nope", 0]) == 1


def test_canonical_form_puts_each_item_on_its_own_line():
    value = {"document_id": "d", "entities": [{"id": "m1", "text": "Iran’s"}, {"id": "m2", "text": "“x”"}], "quotes": []}
    text = dumps_canonical(value)
    assert json.loads(text) == value
    assert text.splitlines()[4] == '    {"id": "m2", "text": "“x”"}'
    assert line_of(text, ["entities", 1]) == 5
    assert json_path(["entities", 1, "start"]) == "entities[1].start"


def test_a_repeated_key_is_located_at_the_value_json_loads_keeps():
    from newsspans.validation._jsonloc import Locator

    text = '{\n  "a": 1,\n  "b": {"x": 1,\n        "x": 2},\n  "a": [\n    3\n  ]\n}\n'
    assert json.loads(text)["a"] == [3]
    assert line_of(text, ["a"]) == 5 and line_of(text, ["a", 0]) == 6
    repeats = Locator(text).repeated_keys()
    assert [(path, Locator(text).line_at(at), Locator(text).line_at(earlier)) for path, at, earlier in repeats] == [
        (["b", "x"], 4, 3), (["a"], 5, 2)]


def test_each_text_is_indexed_once_for_all_its_problems(monkeypatch):
    from newsspans.validation import _jsonloc

    scans = []
    children = _jsonloc.Locator.children

    def counting(self, i):
        if i not in self._children:
            scans.append(i)
        return children(self, i)

    monkeypatch.setattr(_jsonloc.Locator, "children", counting)
    text = json.dumps({"entities": [{"id": f"m{i}", "aliases": ["a", "b"]} for i in range(50)]}, indent=1)
    lines = [line_of(text, ["entities", i, "aliases", 1]) for i in range(50)]
    assert lines == [text.splitlines().index(f'   "id": "m{i}",') + 4 for i in range(50)]
    assert len(scans) == len(set(scans)) == 1 + 1 + 50 + 50  # the root, the list, each item and its aliases: once


def test_a_path_through_a_scalar_or_past_the_end_stops_at_the_nearest_value():
    text = '{"a": [1, 2], "b": "x"}'
    assert offset_of_path(text, ["b", 0]) == text.index('"x"')
    assert offset_of_path(text, ["a", -1]) == offset_of_path(text, ["a", 2]) == text.index("[")
    assert offset_of_path(text, ["a", True]) == text.index("[")


def offset_of_path(text, path):
    from newsspans.validation._jsonloc import offset_of

    return offset_of(text, path)
