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
