"""``croissant.json``: valid Croissant 1.0 for mlcroissant, offline; every record set loads through it
and equals the Parquet rows; ClassLabel names, file hashes and the RAI fields are the release's own."""

from __future__ import annotations

import hashlib
import json
import math
import socket
from pathlib import Path
from typing import Any

import mlcroissant as mlc
import pyarrow.parquet as pq
import pytest
from helpers import CORPUS, DATA, gold_only

from newsspans import build
from newsspans.dataset import FEATURES
from newsspans.dataset._croissant import CROISSANT, ENUMERATIONS


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to open a connection fails the test (mlcroissant must not fetch a JSON-LD context)."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _plain(value: Any) -> Any:
    """A loaded value as Python: bytes decoded, NaN as None, numpy scalars as numbers."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


def _record(record: dict[str, Any], prefix: str) -> dict[str, Any]:
    """An mlcroissant record as a Parquet row: field ids shortened to column names, structs as dicts
    (a struct whose every field is null is a null struct), and a struct nested in a list of structs,
    which mlcroissant 1.1 gives as lists beside the list (``documents/quotes/content``), put back in
    each item."""
    out: dict[str, Any] = {}
    nested: dict[str, dict[str, list]] = {}
    for key, value in record.items():
        name = key[len(prefix):]
        if "/" in name:  # a struct inside a list of structs: {sub: [one value per item]}
            parent, child = name.split("/", 1)
            nested.setdefault(parent, {})[child] = {k.rsplit("/", 1)[1]: _plain(v) for k, v in value.items()}
            continue
        out[name] = _value(value)
    for parent, structs in nested.items():
        for i, item in enumerate(out[parent]):
            for child, columns in structs.items():
                sub = {k: v[i] for k, v in columns.items()}
                item[child] = None if all(v is None for v in sub.values()) else sub
    return out


def _value(value: Any) -> Any:
    if isinstance(value, dict):
        sub = {k.rsplit("/", 1)[1]: _value(v) for k, v in value.items()}
        return None if all(v is None for v in sub.values()) else sub
    if isinstance(value, list):
        return [_value(v) for v in value]
    return _plain(value)


def _parquet_rows(release: Path, config: str) -> list[dict[str, Any]]:
    rows = []
    for path in sorted((release / config).glob("*.parquet")):
        split = path.name.split("-", 1)[0]
        rows += [{**row, "split": split} for row in pq.read_table(path).to_pylist()]
    return rows


def _key(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False)


def test_mlcroissant_validates_the_release_and_loads_every_record_set_as_the_parquet_rows(offline):
    dataset = mlc.Dataset(jsonld=DATA / CROISSANT)  # raises on any validation error
    assert not dataset.metadata.ctx.issues.errors
    described = json.loads((DATA / CROISSANT).read_text(encoding="utf-8"))
    configs = [rs["@id"] for rs in described["recordSet"] if "@id" in rs and rs["@id"] in FEATURES]
    assert configs == [c for c in FEATURES if (DATA / c).is_dir()]
    for config in configs:
        loaded = [_record(r, f"{config}/") for r in dataset.records(config)]
        expected = _parquet_rows(DATA, config)
        assert len(loaded) == len(expected), config
        assert sorted(map(_key, loaded)) == sorted(map(_key, expected)), config


def test_every_class_label_keeps_its_names_in_an_enumeration(offline):
    dataset = mlc.Dataset(jsonld=DATA / CROISSANT)
    described = json.loads((DATA / CROISSANT).read_text(encoding="utf-8"))
    by_id = {rs["@id"]: rs for rs in described["recordSet"]}
    for inventory, name in ENUMERATIONS.items():
        assert by_id[name]["dataType"] == "sc:Enumeration"
        names = {int(r[f"{name}/index"]): _plain(r[f"{name}/name"]) for r in dataset.records(name)}
        assert [names[i] for i in range(len(names))] == list(inventory)

    def class_labels(fields, features):
        for field in fields:
            feature = features[field["name"]] if field["name"] in features else None
            inner = getattr(feature, "feature", feature)
            if "subField" in field:
                yield from class_labels(field["subField"], inner)
            elif hasattr(inner, "names"):
                yield field, inner

    found = 0
    for config in FEATURES:
        if config not in by_id:
            continue
        for field, feature in class_labels(by_id[config]["field"], dict(FEATURES[config])):
            found += 1
            enumeration = ENUMERATIONS[tuple(feature.names)]
            assert field["dataType"] == "sc:Integer" and f"`{enumeration}`" in field["description"]
            if not field.get("repeated"):
                assert field["references"] == {"field": {"@id": f"{enumeration}/index"}}
    assert found  # the configs do have class labels


def test_every_parquet_file_is_a_file_object_with_its_sha256():
    described = json.loads((DATA / CROISSANT).read_text(encoding="utf-8"))
    objects = {d["contentUrl"]: d for d in described["distribution"] if d["@type"] == "cr:FileObject"}
    on_disk = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*.parquet")}
    assert set(objects) == on_disk
    for rel, entry in objects.items():
        data = (DATA / rel).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["contentSize"] == f"{len(data)} B"
    manifest = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
    assert CROISSANT in {f["path"] for f in manifest["files"]}


def test_the_rai_fields_report_the_measured_agreement_and_the_suggestion_sources():
    described = json.loads((DATA / CROISSANT).read_text(encoding="utf-8"))
    assert "rai:annotatorDemographics" not in described  # not recorded: never invented
    assert described["license"]["name"] == json.loads((CORPUS / "dataset.json").read_text(encoding="utf-8"))["license_name"]
    analysis = "\n".join(described["rai:dataAnnotationAnalysis"])
    from newsspans.agreement import HEADLINE

    headline = [r for r in pq.read_table(DATA / "agreement").to_pylist()
                if r["label"] is None and r["metric"] == HEADLINE[r["layer"]]]
    assert headline
    for r in headline:
        assert f"{r['layer']}, {r['annotator_a']} vs {r['annotator_b']}: {r['metric']} = {r['value']:.6f}" in analysis
    annotators = json.loads((CORPUS / "annotators.json").read_text(encoding="utf-8"))["annotators"]
    with_layers = {a["annotator_id"] for a in annotators if (CORPUS / "layers" / a["annotator_id"]).is_dir()}
    for a in with_layers:
        assert a in described["rai:annotationsPerItem"]
    sources = {s["source"] for f in (CORPUS / "suggestions").glob("*.json")
               for layer in ("entities", "quotes", "claims")
               for s in json.loads(f.read_text(encoding="utf-8")).get(layer, [])}
    tools = "\n".join(described["rai:machineAnnotationTools"])
    for source in sources:
        assert f"source {source}:" in tools


def test_a_corpus_without_layers_states_one_annotation_per_item_and_no_agreement(corpus_copy, tmp_path, offline):
    out = tmp_path / "data"
    build(corpus=gold_only(corpus_copy), out=out, workers=1)
    described = json.loads((out / CROISSANT).read_text(encoding="utf-8"))
    assert "no annotator layers" in described["rai:annotationsPerItem"]
    assert not any(line.startswith("Agreement") for line in described.get("rai:dataAnnotationAnalysis", []))
    mlc.Dataset(jsonld=out / CROISSANT)
