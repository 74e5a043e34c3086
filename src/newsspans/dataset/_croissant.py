"""``croissant.json``: the release described in Croissant 1.0, with its Responsible-AI fields.

Generated, like the card, from ``FEATURES`` and the build's statistics, so it never goes stale:
every config is a ``RecordSet`` whose fields are typed from its features (nested spans as
``subField``s, lists as ``repeated`` fields), read from the config's Parquet files (a ``FileSet``),
with the split taken from each file's name. Each ``ClassLabel`` keeps its names: the field holds the
integer and ``references`` the key of an ``sc:Enumeration`` record set that lists every name (the
Hub's generator writes a bare ``sc:Integer``). Each Parquet file is a ``FileObject`` with its SHA-256.
The RAI annotation fields are filled from what the build measured (annotators per item, agreement,
the suggestions' sources); nothing in the file depends on the time of the build, so two builds
write the same bytes.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from datasets import ClassLabel, List, Value

from .. import labels
from ._features import FEATURES, column_doc
from ._splits import SPLITS
from ._stats import Stats

CROISSANT = "croissant.json"
#: Croissant 1.0 (the first: the version mlcroissant validates against) and its RAI vocabulary 1.0.
CONFORMS_TO = ["http://mlcommons.org/croissant/1.0", "http://mlcommons.org/croissant/RAI/1.0"]
PARQUET = "application/x-parquet"
#: The record set of the splits, and the Croissant class of each split.
SPLITS_RECORD_SET = "splits"
SPLIT_URLS = {"train": "cr:TrainingSplit", "validation": "cr:ValidationSplit", "test": "cr:TestSplit"}
#: The field each config's record set gets besides its columns: the split of the row's file, the
#: group of the file name (``train-00000-of-00001.parquet``). The name alone matches too: mlcroissant
#: applies the transform again to the value when it joins the field with the splits record set.
SPLIT_FIELD = "split"
SPLIT_REGEX = r"^(" + "|".join(SPLITS) + r")(?:-\d{5}-of-\d{5}\.parquet)?$"
#: The enumeration record set of each ``ClassLabel`` inventory.
ENUMERATIONS: dict[tuple[str, ...], str] = {
    labels.ENTITY_LABELS: "entity_labels",
    labels.QUOTE_TYPES: "quote_types",
    labels.CLAIM_LABELS: "claim_labels",
    labels.SENTENCE_CLAIM_LABELS: "sentence_claim_labels",
    labels.IOB2_TAGS: "ner_tags",
}
_ENUMERATION_DOCS = {
    "entity_labels": "The 18 OntoNotes 5.0 entity types: the names of the `ClassLabel` integers.",
    "quote_types": "Quote types: the names of the `ClassLabel` integers.",
    "claim_labels": "Claim labels (ClaimBuster's CFS/UFS): the names of the `ClassLabel` integers.",
    "sentence_claim_labels": "Sentence claim labels (ClaimBuster's NFS/UFS/CFS): the names of the `ClassLabel` integers.",
    "ner_tags": "IOB2 tags over the 18 OntoNotes types: the names of the `ClassLabel` integers.",
}
#: The Croissant 1.0 type of each ``Value`` dtype the features use.
_DATA_TYPES = {"string": "sc:Text", "bool": "sc:Boolean", "int32": "sc:Integer", "int64": "sc:Integer", "float64": "sc:Float"}

#: The JSON-LD context of Croissant 1.0 with its RAI vocabulary, written out in full: nothing
#: fetches a context from the network to read the file.
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def enumeration_of(feature: ClassLabel) -> str:
    """The enumeration record set that names ``feature``'s integers."""
    return ENUMERATIONS[tuple(feature.names)]


def _file_set(config: str) -> str:
    return f"{config}-parquet-files"


def _source(config: str, column: str, path: Optional[str] = None) -> dict[str, Any]:
    source: dict[str, Any] = {"fileSet": {"@id": _file_set(config)}, "extract": {"column": column}}
    if path is not None:
        source["transform"] = {"jsonPath": path}
    return source


#: A quote's parts (``labels.QUOTE_PARTS``) are spans ``{start, end, text}``, whose fields mean what
#: an entity mention's do.
SPAN_DESCRIBED = "entities"


def _field(config: str, field_id: str, description: str, feature: Any, column: str, *,
           path: Optional[str] = None, described: Optional[str] = None) -> dict[str, Any]:
    """The Croissant field of one feature: its type, its source (the column, and inside a struct
    the ``jsonPath`` of the value), ``repeated`` for a list, ``subField``s for a struct, described
    as in the config ``described`` (the documents' lists of spans as in the span configs)."""
    field: dict[str, Any] = {"@type": "cr:Field", "@id": field_id, "name": field_id.rsplit("/", 1)[1],
                             "description": description}
    if isinstance(feature, List):
        field["repeated"] = True
        feature = feature.feature
    if isinstance(feature, dict):
        described = described or (column if column in FEATURES else SPAN_DESCRIBED if column in labels.QUOTE_PARTS else config)
        field["dataType"] = "sc:StructuredValue"
        field["subField"] = [
            _field(config, f"{field_id}/{name}", column_doc(described, name), sub, column,
                   path=name if path is None else f"{path}.{name}",
                   described=SPAN_DESCRIBED if name in labels.QUOTE_PARTS else described)
            for name, sub in feature.items()
        ]
        return field
    field["source"] = _source(config, column, path)
    if isinstance(feature, ClassLabel):
        enumeration = enumeration_of(feature)
        field["dataType"] = "sc:Integer"
        field["description"] += (f" A `ClassLabel` integer: its name is in the `{enumeration}` record set "
                                 f"(`{enumeration}/index` to `{enumeration}/name`).")
        if not field.get("repeated"):  # mlcroissant joins a reference, and cannot join on a list
            field["references"] = {"field": {"@id": f"{enumeration}/index"}}
    elif isinstance(feature, Value) and feature.dtype in _DATA_TYPES:
        field["dataType"] = _DATA_TYPES[feature.dtype]
    else:  # FEATURES holds no other kind: a new one must be mapped above
        raise TypeError(f"no Croissant type for {feature!r}")
    return field


def _record_set(config: str) -> dict[str, Any]:
    features = FEATURES[config]
    fields = [_field(config, f"{config}/{column}", column_doc(config, column), feature, column)
              for column, feature in features.items()]
    fields.append({
        "@type": "cr:Field", "@id": f"{config}/{SPLIT_FIELD}", "name": SPLIT_FIELD, "dataType": "sc:Text",
        "description": "The split of the row (the name of its Parquet file).",
        "source": {"fileSet": {"@id": _file_set(config)}, "extract": {"fileProperty": "filename"},
                   "transform": {"regex": SPLIT_REGEX}},
        "references": {"field": {"@id": f"{SPLITS_RECORD_SET}/name"}},
    })
    return {"@type": "cr:RecordSet", "@id": config, "name": config,
            "description": f"The `{config}` config: one row per record of its Parquet files.", "field": fields}


def _enumeration(name: str, inventory: tuple[str, ...]) -> dict[str, Any]:
    fields = [
        {"@type": "cr:Field", "@id": f"{name}/index", "name": "index", "dataType": "sc:Integer",
         "description": "The `ClassLabel` integer stored in the data."},
        {"@type": "cr:Field", "@id": f"{name}/name", "name": "name", "dataType": "sc:Text",
         "description": "The label's name."},
        {"@type": "cr:Field", "@id": f"{name}/description", "name": "description", "dataType": "sc:Text",
         "description": "What the label means (null where the name says it: an IOB2 tag)."},
    ]
    data = [{f"{name}/index": i, f"{name}/name": label, f"{name}/description": labels.DESCRIPTIONS.get(label)}
            for i, label in enumerate(inventory)]
    return {"@type": "cr:RecordSet", "@id": name, "name": name, "dataType": "sc:Enumeration",
            "description": _ENUMERATION_DOCS[name], "key": {"@id": f"{name}/index"}, "field": fields, "data": data}


def _splits() -> dict[str, Any]:
    name = SPLITS_RECORD_SET
    return {
        "@type": "cr:RecordSet", "@id": name, "name": name, "dataType": "cr:Split", "key": {"@id": f"{name}/name"},
        "description": "The splits, assigned per story (see the card's Data Splits).",
        "field": [{"@type": "cr:Field", "@id": f"{name}/name", "name": "name", "dataType": "sc:Text",
                   "description": "The split's name."},
                  {"@type": "cr:Field", "@id": f"{name}/url", "name": "url", "dataType": "sc:URL",
                   "description": "The kind of split."}],
        "data": [{f"{name}/name": s, f"{name}/url": SPLIT_URLS[s]} for s in SPLITS],
    }


def _distribution(stats: Stats, files: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """A ``FileObject`` per Parquet file (with its SHA-256 and size), and a ``FileSet`` per config
    (what its record set reads: ``<config>/*.parquet``)."""
    out: list[dict[str, Any]] = []
    for config in _released(stats):
        for rel in sorted(stats.files[config]):
            entry = files[rel]
            out.append({"@type": "cr:FileObject", "@id": rel, "name": rel, "contentUrl": rel,
                        "encodingFormat": PARQUET, "contentSize": f"{entry['bytes']} B", "sha256": entry["sha256"]})
        out.append({"@type": "cr:FileSet", "@id": _file_set(config), "name": _file_set(config),
                    "description": f"The Parquet files of the `{config}` config (the FileObjects under `{config}/`).",
                    "encodingFormat": PARQUET, "includes": f"{config}/*.parquet"})
    return out


def _released(stats: Stats) -> list[str]:
    """The configs with rows (an optional config without rows has no files)."""
    return [c for c in stats.configs if stats.total(c)]


def _enumerations(configs: list[str]) -> list[dict[str, Any]]:
    """The enumeration record sets the configs' ``ClassLabel``s use, in ``ENUMERATIONS`` order."""
    used: set[str] = set()

    def walk(feature: Any) -> None:
        if isinstance(feature, List):
            walk(feature.feature)
        elif isinstance(feature, dict):
            for sub in feature.values():
                walk(sub)
        elif isinstance(feature, ClassLabel):
            used.add(enumeration_of(feature))

    for config in configs:
        walk(dict(FEATURES[config]))
    return [_enumeration(name, inventory) for inventory, name in ENUMERATIONS.items() if name in used]


def croissant(stats: Stats, files: dict[str, dict[str, Any]], *, citation: str) -> dict[str, Any]:
    """The Croissant description of the release of ``stats``; ``files`` maps each data file's path
    to its manifest entry (``sha256``, ``bytes``), ``citation`` is the card's BibTeX."""
    from ._rai import rai_fields

    ds = stats.dataset
    configs = _released(stats)
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": ds["pretty_name"],
        "description": (f"{ds['pretty_name']} {stats.version}: English news articles annotated with labeled character "
                        "spans (entity mentions of the 18 OntoNotes 5.0 types linked to an entity registry, quotes with "
                        "content, speaker and cue, and ClaimBuster claims). Offsets are Python code points, end exclusive. "
                        "README.md is the dataset card; manifest.json lists every file with its SHA-256."),
        "conformsTo": CONFORMS_TO,
        "citeAs": citation,
        "version": stats.version,
        "inLanguage": sorted(stats.languages),
        "license": {"@type": "sc:CreativeWork", "name": ds["license_name"], "description": ds["license_note"]},
        **rai_fields(stats),
        "distribution": _distribution(stats, files),
        "recordSet": [_splits(), *_enumerations(configs), *(_record_set(c) for c in configs)],
    }


def croissant_bytes(stats: Stats, files: dict[str, dict[str, Any]], *, citation: str) -> bytes:
    """``croissant.json`` as written: indented JSON, keys in the order built, UTF-8."""
    return (json.dumps(croissant(stats, files, citation=citation), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
