"""One declaration of the label inventories; everything else generated from it or checked against it."""

from __future__ import annotations

import json

import jsonschema
import pytest
from helpers import ROOT

from newsspans import labels
from newsspans.dataset import FEATURES
from newsspans.validation import SCHEMAS, schema_filename, stale_schemas
from newsspans.validation._schemas import render


def test_committed_schemas_equal_the_generated_ones():
    assert stale_schemas(ROOT / "schema") == []
    assert sorted(p.name for p in (ROOT / "schema").glob("*.json")) == sorted(schema_filename(k) for k in SCHEMAS)


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_schemas_are_valid_draft_2020_12(kind):
    schema = json.loads(render(kind))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_enums_are_the_declared_inventories():
    defs = SCHEMAS["annotation"]["$defs"]
    assert defs["entity"]["properties"]["label"]["enum"] == list(labels.ENTITY_LABELS)
    assert defs["quote"]["properties"]["type"]["enum"] == list(labels.QUOTE_TYPES)
    assert defs["claim"]["properties"]["label"]["enum"] == list(labels.CLAIM_LABELS)
    assert SCHEMAS["registry"]["$defs"]["entry"]["properties"]["type"]["enum"] == list(labels.ENTITY_ID_LABELS)


def test_class_label_names_are_the_declared_inventories():
    assert FEATURES["entities"]["label"].names == list(labels.ENTITY_LABELS)
    assert FEATURES["registry"]["type"].names == list(labels.ENTITY_LABELS)
    assert FEATURES["quotes"]["type"].names == list(labels.QUOTE_TYPES)
    assert FEATURES["claims"]["label"].names == list(labels.CLAIM_LABELS)
    nested = FEATURES["documents"]["entities"].feature["label"]
    assert nested.names == list(labels.ENTITY_LABELS)


def test_inventories_are_the_specified_ones():
    assert len(labels.ENTITY_LABELS) == 18 == len(set(labels.ENTITY_LABELS))
    assert set(labels.ENTITY_ID_LABELS) <= set(labels.ENTITY_LABELS)
    assert set(labels.QUOTE_TYPES) == {"direct", "indirect", "mixed"}
    assert set(labels.CLAIM_LABELS) == {"CFS", "UFS"}
    every = set(labels.ENTITY_LABELS) | set(labels.QUOTE_TYPES) | set(labels.SENTENCE_CLAIM_LABELS)
    assert set(labels.DESCRIPTIONS) == every


def test_annotation_schema_rejects_an_unknown_label_and_a_missing_field():
    validator = jsonschema.Draft202012Validator(SCHEMAS["annotation"])
    good = {"id": "m1", "start": 0, "end": 4, "text": "Iran", "label": "GPE", "entity_id": "iran"}
    doc = {"document_id": "d", "issued": {"entities": 1, "quotes": 0, "claims": 0}, "entities": [good], "quotes": [], "claims": []}
    assert list(validator.iter_errors(doc)) == []
    bad_label = {**doc, "entities": [{**good, "label": "LOCATION"}]}
    assert [list(e.absolute_path) for e in validator.iter_errors(bad_label)] == [["entities", 0, "label"]]
    missing = {k: v for k, v in good.items() if k != "text"}
    assert [e.validator for e in validator.iter_errors({**doc, "entities": [missing]})] == ["required"]


def test_annotation_schema_requires_the_issued_counters_right_after_the_document_id():
    schema = SCHEMAS["annotation"]
    assert list(schema["properties"])[:2] == ["document_id", "issued"] and "issued" in schema["required"]
    issued = schema["properties"]["issued"]
    assert list(issued["properties"]) == list(labels.ID_PREFIXES) == issued["required"]
    assert "never lowered" in issued["description"]
    validator = jsonschema.Draft202012Validator(schema)
    doc = {"document_id": "d", "issued": {"entities": 0, "quotes": 0, "claims": 0}, "entities": [], "quotes": [], "claims": []}
    assert list(validator.iter_errors(doc)) == []
    without = {k: v for k, v in doc.items() if k != "issued"}
    assert [(e.validator, list(e.absolute_path)) for e in validator.iter_errors(without)] == [("required", [])]
    for wrong in ({"entities": -1, "quotes": 0, "claims": 0}, {"entities": 0, "quotes": 0}, {**doc["issued"], "groups": 0},
                  {"entities": "3", "quotes": 0, "claims": 0}):
        assert list(validator.iter_errors({**doc, "issued": wrong})), wrong
