"""Property tests: whatever the input, the validator never crashes, never prints a traceback,
and flags every mutation of the gold files that breaks a rule."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from helpers import CORPUS, document_ids
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsspans.cli import main
from newsspans.labels import ID_PREFIXES
from newsspans.corpus import dumps_canonical
from newsspans.validation import iter_problems
from newsspans.validation import ERROR

def _annotation(doc_id: str):
    return json.loads((CORPUS / "annotations" / f"{doc_id}.json").read_text(encoding="utf-8"))


#: The first document with an item in every layer: the one whose files the tests mutate.
DOC = next(d for d in document_ids(CORPUS) if all(_annotation(d)[layer] for layer in ("entities", "quotes", "claims")))
GOLD = _annotation(DOC)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("prop") / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest


def validate(corpus: Path, name: str, data: bytes):
    target = corpus / name
    original = target.read_bytes()
    target.write_bytes(data)
    try:
        problems = list(iter_problems(corpus))
        out, err = io.StringIO(), io.StringIO()
        code = main(["validate", "--corpus", str(corpus)], stdout=out, stderr=err)
    finally:
        target.write_bytes(original)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    assert code in (0, 1)
    assert code == (1 if any(p.severity == ERROR for p in problems) else 0)
    return problems


FILES = [f"annotations/{DOC}.json", f"documents/{DOC}.json", "registry.json", "dataset.json"]


@SETTINGS
@given(name=st.sampled_from(FILES), data=st.binary(max_size=300))
def test_random_bytes_never_crash(corpus, name, data):
    problems = validate(corpus, name, data)
    assert any(p.severity == ERROR and p.file and p.file.endswith(name) for p in problems)


@SETTINGS
@given(name=st.sampled_from(FILES), value=json_values)
def test_random_json_never_crashes(corpus, name, value):
    problems = validate(corpus, name, json.dumps(value).encode("utf-8"))
    assert any(p.severity == ERROR and p.file and p.file.endswith(name) for p in problems)


def _spans(ann):
    for layer in ("entities", "claims"):
        for i in range(len(ann[layer])):
            yield layer, i, ()
    for i, q in enumerate(ann["quotes"]):
        for part in ("content", "speaker", "cue"):
            if q[part] is not None:
                yield "quotes", i, (part,)


SPANS = list(_spans(GOLD))
LABEL_KEY = {"entities": "label", "quotes": "type", "claims": "label"}


def flagged(problems, layer, i):
    return any(p.severity == ERROR and p.item and p.item.startswith(f"{layer}[{i}]") for p in problems)


@SETTINGS
@given(where=st.sampled_from(SPANS), which=st.sampled_from(["start", "end"]), by=st.integers(-30, 30).filter(bool))
def test_a_shifted_offset_is_flagged(corpus, where, which, by):
    layer, i, part = where
    ann = json.loads(json.dumps(GOLD))
    span = ann[layer][i]
    for key in part:
        span = span[key]
    span[which] += by
    problems = validate(corpus, f"annotations/{DOC}.json", dumps_canonical(ann).encode("utf-8"))
    assert flagged(problems, layer, i)


@SETTINGS
@given(layer=st.sampled_from(["entities", "quotes", "claims"]), index=st.integers(0, 100), label=st.text(max_size=12))
def test_an_unknown_label_is_flagged(corpus, layer, index, label):
    from newsspans import labels

    inventory = {"entities": labels.ENTITY_LABELS, "quotes": labels.QUOTE_TYPES, "claims": labels.CLAIM_LABELS}[layer]
    if label in inventory:
        return
    ann = json.loads(json.dumps(GOLD))
    i = index % len(ann[layer])
    ann[layer][i][LABEL_KEY[layer]] = label
    problems = validate(corpus, f"annotations/{DOC}.json", dumps_canonical(ann).encode("utf-8"))
    assert flagged(problems, layer, i)


@SETTINGS
@given(layer=st.sampled_from(["entities", "quotes", "claims"]), index=st.integers(0, 100), data=st.data())
def test_a_deleted_field_is_flagged(corpus, layer, index, data):
    ann = json.loads(json.dumps(GOLD))
    i = index % len(ann[layer])
    key = data.draw(st.sampled_from(sorted(ann[layer][i])))
    del ann[layer][i][key]
    problems = validate(corpus, f"annotations/{DOC}.json", dumps_canonical(ann).encode("utf-8"))
    assert flagged(problems, layer, i)


@SETTINGS
@given(index=st.integers(0, 100), label=st.sampled_from(["PERSON", "DATE", "CARDINAL", "ORG", "TIME"]))
def test_a_label_swap_across_the_entity_id_rule_is_flagged(corpus, index, label):
    from newsspans import labels

    ann = json.loads(json.dumps(GOLD))
    i = index % len(ann["entities"])
    m = ann["entities"][i]
    if m["label"] == label or (m["label"] not in labels.ENTITY_ID_LABELS and label not in labels.ENTITY_ID_LABELS):
        return  # DATE -> TIME breaks no rule; an id-carrying label then differs from the registry type
    m["label"] = label
    problems = validate(corpus, f"annotations/{DOC}.json", dumps_canonical(ann).encode("utf-8"))
    assert flagged(problems, "entities", i)


@settings(max_examples=400, deadline=None)
@given(kind=st.sampled_from(["annotation", "document", "registry", "dataset", "annotators", "decision"]), value=json_values,
       data=st.data())
def test_the_fast_path_never_accepts_what_the_detailed_validator_refuses(kind, value, data):
    from newsspans.validation._schemacheck import FAST, VALIDATORS

    # Random JSON, and near-valid values: a gold file with one value replaced.
    if data.draw(st.booleans()):
        base = {"annotation": GOLD, "registry": json.loads((CORPUS / "registry.json").read_text(encoding="utf-8")),
                "document": json.loads((CORPUS / "documents" / f"{DOC}.json").read_text(encoding="utf-8")),
                "dataset": {**json.loads((CORPUS / "dataset.json").read_text(encoding="utf-8")),
                            "agreement_minimum": {"entities": 0.8, "quotes": 1}},
                "annotators": ANNOTATORS, "decision": data.draw(st.sampled_from(DECISIONS))}[kind]
        value = _replace_somewhere(json.loads(json.dumps(base)), value, data)
    if FAST[kind](value):
        assert list(VALIDATORS[kind].iter_errors(value)) == []


#: Valid values of the kinds a corpus need not have: an annotator list, and decision lines of each layer.
ANNOTATORS = {"annotators": [{"annotator_id": "ann-a", "kind": "human", "note": "a note"},
                             {"annotator_id": "ann-b", "kind": "model", "note": None}]}
DECISIONS = [
    {"decision": "d1", "layer": layer, "options": {"ann-a": [{"id": f"{ID_PREFIXES[layer]}1", **item}], "ann-b": []},
     "take": take, "items": [item] if take == "edit" else None, "reason": "why" if take else None}
    for layer, item in (
        ("entities", {"start": 0, "end": 4, "text": "Iran", "label": "GPE", "entity_id": "iran"}),
        ("quotes", {"type": "direct", "content": {"start": 1, "end": 3, "text": "ab"}, "speaker": None,
                    "cue": {"start": 5, "end": 9, "text": "said"}, "speaker_entity_id": None, "group_id": "g1",
                    "cluster_id": None}),
        ("claims", {"start": 0, "end": 9, "text": "Iran said", "label": "CFS", "claimant": "author", "cluster_id": None}))
    for take in (None, "ann-a", "neither", "edit")
]


def test_the_invented_valid_values_are_valid():
    from newsspans.validation._schemacheck import FAST, VALIDATORS

    for kind, value in [("annotators", ANNOTATORS), *(("decision", d) for d in DECISIONS)]:
        assert list(VALIDATORS[kind].iter_errors(value)) == [] and FAST[kind](value) is True


def _replace_somewhere(value, new, data):
    """Walk down a random path of ``value`` and replace what is there with ``new``."""
    node = value
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node))) if isinstance(node, list) else []
        if not keys:
            return new
        key = data.draw(st.sampled_from(keys))
        child = node[key]
        if not isinstance(child, (dict, list)) or not child or data.draw(st.booleans()):
            node[key] = new
            return value
        node = child


def _corpus_files(corpus: Path):
    """(kind, path) of every JSON file of a corpus."""
    yield "dataset", corpus / "dataset.json"
    yield "registry", corpus / "registry.json"
    if (corpus / "annotators.json").exists():
        yield "annotators", corpus / "annotators.json"
    for doc_id in document_ids(corpus):
        yield "document", corpus / "documents" / f"{doc_id}.json"
        yield "annotation", corpus / "annotations" / f"{doc_id}.json"
    yield from (("annotation", path) for path in sorted(corpus.glob("layers/*/*.json")))


VALID_FIXTURE = CORPUS.parent / "tests" / "fixtures" / "validator" / "valid" / "corpus"


@pytest.mark.parametrize("corpus", [CORPUS, VALID_FIXTURE], ids=["corpus", "valid-fixture"])
def test_every_valid_file_takes_the_fast_path(corpus):
    """Valid files never need jsonschema: the compiled predicate accepts each of them."""
    from newsspans.validation._schemacheck import FAST

    refused = [str(path) for kind, path in _corpus_files(corpus)
               if FAST[kind](json.loads(path.read_text(encoding="utf-8"))) is not True]
    assert refused == []


class _CountingValidator:
    """A jsonschema validator that records each value it is asked to explain."""

    def __init__(self, validator, calls: list):
        self.validator, self.calls = validator, calls

    def iter_errors(self, value):
        self.calls.append(value)
        return self.validator.iter_errors(value)


def test_validating_a_valid_corpus_never_runs_the_detailed_validator(monkeypatch, tmp_path):
    from newsspans.validation import _schemacheck

    calls: list = []
    for kind, validator in list(_schemacheck.VALIDATORS.items()):
        monkeypatch.setitem(_schemacheck.VALIDATORS, kind, _CountingValidator(validator, calls))
    assert list(iter_problems(CORPUS, workers=1)) == []
    assert calls == []
    # ...and the count is real: an invalid file goes to jsonschema for its report.
    broken = tmp_path / "corpus"
    shutil.copytree(CORPUS, broken)
    ann = json.loads(json.dumps(GOLD))
    ann["entities"][0]["note"] = "not in the schema"
    (broken / "annotations" / f"{DOC}.json").write_text(dumps_canonical(ann), encoding="utf-8")
    assert [p.code for p in iter_problems(broken, workers=1)] == ["E-SCHEMA"]
    assert len(calls) == 1


def _string_paths(value, path=()):
    if isinstance(value, str):
        yield list(path)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _string_paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _string_paths(v, (*path, i))


@pytest.mark.parametrize("kind", ["annotation", "document", "registry", "dataset"])
def test_a_trailing_newline_anywhere_gets_the_same_verdict_on_both_paths(kind):
    """Every pattern matches whole strings, in the fast path and in jsonschema alike: a string of a
    gold file with "\\n" appended is refused by both where a pattern constrains it, and by neither
    where none does (free text)."""
    from newsspans.validation._schemacheck import FAST, VALIDATORS

    base = {"annotation": GOLD, "registry": json.loads((CORPUS / "registry.json").read_text(encoding="utf-8")),
            "document": json.loads((CORPUS / "documents" / f"{DOC}.json").read_text(encoding="utf-8")),
            "dataset": json.loads((CORPUS / "dataset.json").read_text(encoding="utf-8"))}[kind]
    refused = 0
    for path in _string_paths(base):
        value = json.loads(json.dumps(base))
        node = value
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] += "\n"
        errors = [e.validator for e in VALIDATORS[kind].iter_errors(value)]
        assert FAST[kind](value) == (errors == []), (path, errors)
        assert set(errors) <= {"pattern", "enum", "format", "oneOf", "allOf"}, (path, errors)  # oneOf: a nullable pattern
        refused += bool(errors)
    assert refused
