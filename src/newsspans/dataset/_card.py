"""The dataset card (``data/README.md``): YAML metadata for ``datasets`` and the Hub, then prose.

Everything that depends on the data is generated from the build's statistics: split sizes,
label counts, the content digest, and every statement about the documents, stories, annotation,
annotators and splits (``_facts``; the hand-written notes of ``dataset.json`` follow them and
state no count: ``_notes``). Each config's columns are described for that config (``_features``). ``datasets`` keys its cache on the card's text alone, so the
digest and split sizes in ``dataset_info`` make any change to the data change the card, and a
fresh ``load_dataset`` never returns stale rows.
"""

from __future__ import annotations

from typing import Any

import yaml
from datasets import ClassLabel, Features, List, Value
from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo

from .. import labels
from ._configs import DEFAULT_CONFIG
from ._facts import (annotation_sentence, annotations_creators, annotators_section, count, documents_sentence,
                     limitations_sentence, splits_sentence)
from ._features import CONFIG_NULLABLE, FEATURES, column_doc
from ._splits import RULE as SPLIT_RULE
from ._splits import SPLITS
from ._stats import Stats


def _size_category(n: int) -> str:
    for bound, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if n < bound:
            return name
    return "1M<n<10M"


def _split_order(split: str) -> int:
    return SPLITS.index(split) if split in SPLITS else len(SPLITS)


def metadata(stats: Stats, content_digest: str) -> dict[str, Any]:
    ds = stats.dataset
    configs, infos = [], []
    for config in stats.configs:
        if not stats.total(config):
            continue  # an optional config without rows: `datasets` cannot load an empty config
        splits = sorted(stats.split_rows[config], key=_split_order)
        entry: dict[str, Any] = {"config_name": config}
        if config == DEFAULT_CONFIG:
            entry["default"] = True
        entry["data_files"] = [{"split": s, "path": f"{config}/{s}-*.parquet"} for s in splits]
        configs.append(entry)
        description = f"{ds['pretty_name']} {stats.version}, {config}; content sha256 {content_digest}"
        infos.append(_dataset_info(config, splits, stats, description))
    return {
        "pretty_name": ds["pretty_name"],
        "language": sorted(stats.languages),
        **_license(ds),
        "annotations_creators": annotations_creators(stats),
        "language_creators": ["found"],
        "multilinguality": ["monolingual"] if len(stats.languages) == 1 else ["multilingual"],
        "size_categories": [_size_category(stats.documents_released())],
        "source_datasets": ["original"],
        "task_categories": ["token-classification", "text-classification"],
        "task_ids": ["named-entity-recognition", "fact-checking"],
        "tags": ["news", "quote-attribution", "claim-detection", "entity-linking", "standoff-annotation"],
        "configs": configs,
        "dataset_info": infos,
    }


def _license(ds: dict[str, Any]) -> dict[str, str]:
    """The licence keys of the Hub's card metadata: ``license`` (an id of the Hub's list, where
    ``unknown`` is one), and ``license_name`` only for ``other``, the Hub's value for a licence
    that is not on its list. No ``license_link``: it names a licence file or URL, and an unknown
    licence has none."""
    if ds["license"] == "other":
        return {"license": "other", "license_name": ds["license_name"]}
    return {"license": ds["license"]}


def _dataset_info(config: str, splits: list[str], stats: Stats, description: str) -> dict[str, Any]:
    """The ``dataset_info`` entry of one config, serialized by ``datasets`` itself, with the
    content digest in ``description``: ``datasets`` keys its cache on the card's YAML alone, and
    its serializer leaves the description out."""
    info = DatasetInfo(
        features=FEATURES[config],
        splits=SplitDict({s: SplitInfo(s, num_bytes=stats.split_bytes[config][s], num_examples=stats.split_rows[config][s])
                          for s in splits}),
        dataset_size=sum(stats.split_bytes[config].values()),
    )
    card: dict[str, Any] = {}  # a DatasetCardData's mapping interface is all the method uses
    DatasetInfosDict({config: info}).to_dataset_card_data(card)
    entry = dict(card["dataset_info"])
    entry.pop("config_name", None)
    return {"config_name": config, "description": description, **entry}


def type_name(feature: Any) -> str:
    """A short, readable rendering of a feature type for the field tables."""
    if isinstance(feature, ClassLabel):
        if feature.num_classes > 6:
            return f"ClassLabel ({feature.num_classes} names, see below)"
        return "ClassLabel (" + ", ".join(f"{i}={n}" for i, n in enumerate(feature.names)) + ")"
    if isinstance(feature, Value):
        return f"{feature.dtype}"
    if isinstance(feature, List):
        return f"list of {type_name(feature.feature)}"
    if isinstance(feature, dict):
        return "struct {" + ", ".join(feature) + "}"
    return type(feature).__name__


def _nullable(config: str, column: str) -> str:
    if config in CONFIG_NULLABLE:
        return " (nullable)" if column in CONFIG_NULLABLE[config] else ""
    nullable = {"title", "published", "url", "entity_id", "speaker", "cue", "speaker_entity_id", "group_id", "cluster_id", "wikidata"}
    if config == "registry" and column == "entity_id":
        return ""
    return " (nullable)" if column in nullable else ""


def _fields_table(config: str, features: Features) -> str:
    rows = ["| column | type | meaning |", "|---|---|---|"]
    for column, feature in features.items():
        rows.append(f"| `{column}` | {type_name(feature)}{_nullable(config, column)} | {column_doc(config, column)} |")
    return "\n".join(rows)


def _count_table(title: str, inventory: tuple[str, ...], counts: Any) -> str:
    rows = [f"| {title} | id | count | meaning |", "|---|---|---|---|"]
    for i, name in enumerate(inventory):
        rows.append(f"| {name} | {i} | {counts.get(name, 0)} | {labels.DESCRIPTIONS[name]} |")
    rows.append(f"| **total** | | **{sum(counts.values())}** | |")
    return "\n".join(rows)


def _splits_table(stats: Stats) -> str:
    header = "| config | " + " | ".join(SPLITS) + " | total |"
    rows = [header, "|---" * (len(SPLITS) + 2) + "|"]
    for config in stats.configs:
        per = stats.split_rows.get(config, {})
        cells = [str(per.get(s, 0)) for s in SPLITS]
        rows.append(f"| `{config}` | " + " | ".join(cells) + f" | {stats.total(config)} |")
    return "\n".join(rows)


def _tag_table() -> str:
    rows = ["| tag | id |", "|---|---|"]
    rows += [f"| `{tag}` | {i} |" for i, tag in enumerate(labels.IOB2_TAGS)]
    return "\n".join(rows)


def _conll_table() -> str:
    rows = ["| CoNLL-2003 | OntoNotes 5.0 types |", "|---|---|"]
    for conll in labels.CONLL_LABELS:
        names = [k for k, v in labels.ONTONOTES_TO_CONLL.items() if v == conll]
        rows.append(f"| {conll} | {', '.join(names)} |")
    dropped = [k for k, v in labels.ONTONOTES_TO_CONLL.items() if v is None]
    rows.append(f"| O (no CoNLL-2003 class) | {', '.join(dropped)} |")
    return "\n".join(rows)


def tokens_and_sentences_section() -> list[str]:
    """How the `tokens` and `sentences` configs are made: tokenization, sentence splitting, tags."""
    from ..tokenize import SENTENCE_RULES, TOKENIZATION_RULES

    return [
        "### Tokens and sentences",
        "The `tokens` and `sentences` configs are views of the same documents, made at build time by a "
        "deterministic, offline tokenizer and sentence splitter (`newsspans.tokenize`); both give offsets "
        "into the document text, which is never changed. `tokens` has the shape of the `conll2003` and "
        "`ontonotes` datasets on the Hub (`tokens`, `ner_tags`), so token-classification scripts run on it "
        "unchanged; `token_starts` and `token_ends` map every token back to the text.",
        TOKENIZATION_RULES,
        SENTENCE_RULES,
        "**Sentence labels.** `claim_label` is ClaimBuster's three-way sentence scheme: the highest label "
        "among the claims that overlap the sentence (CFS over UFS), NFS when none does. `has_quote` says "
        "whether a quote's content overlaps the sentence.",
        "**Token tags.** `ner_tags` is IOB2 over the 18 OntoNotes types; the `ClassLabel` names are:",
        _tag_table(),
        "**OntoNotes to CoNLL-2003.** For tools that expect the four CoNLL-2003 classes, this is the map we "
        "publish (`newsspans.labels.ONTONOTES_TO_CONLL`; `newsspans export conll --label-map conll` applies "
        "it). Variants exist (FAC to MISC, NORP to ORG); this one is ours:",
        _conll_table(),
    ]


def render_card(stats: Stats, content_digest: str) -> str:
    """The card's text: YAML metadata, then the sections, each generated from the statistics."""
    meta = yaml.safe_dump(metadata(stats, content_digest), sort_keys=False, allow_unicode=True, width=1000)
    sections = [
        f"---\n{meta}---",
        *_summary(stats, content_digest),
        *_loading(),
        *_structure(stats),
        *_labels(stats),
        *_creation(stats),
        *_citation_and_versioning(stats),
    ]
    return "\n\n".join(sections) + "\n"


def _has_views(stats: Stats) -> bool:
    return "tokens" in stats.configs and "sentences" in stats.configs


def _summary(stats: Stats, content_digest: str) -> list[str]:
    name = stats.dataset["pretty_name"]
    return [
        f"# Dataset Card for {name}",
        f"Version **{stats.version}**. Content SHA-256 `{content_digest}` "
        f"(over the Parquet files; `manifest.json` lists the SHA-256 of every file and the digest of the sources).",
        "## Dataset Summary",
        f"{name} is a corpus of English news articles annotated with labeled character spans in three "
        "layers: **entity mentions** (the 18 OntoNotes 5.0 types, linked to an entity registry), "
        "**quotes** (content, speaker and cue) and **claims** (check-worthy or unimportant factual "
        "statements, ClaimBuster's scheme). Every span stores its text beside its offsets, and the "
        "build refuses a corpus in which `text[start:end]` differs from the stored text.",
        f"This release holds {count(stats.documents_released(), 'document')} of "
        f"{count(len(stats.document_tally.stories), 'story', 'stories')}, {stats.items('entities')} entity mentions, "
        f"{stats.items('quotes')} quotes, {stats.items('claims')} claims and {stats.items('registry')} registry entities"
        + (f", and {stats.total('sentences')} sentences of {stats.tokens} tokens in the `tokens` and `sentences` views."
           if _has_views(stats) else "."),
    ]


def _loading() -> list[str]:
    return [
        "## Loading",
        "The folder loads with `datasets` alone: no loading script, no network.\n\n"
        "```python\nimport os\nfrom datasets import load_dataset\n\n"
        'docs = load_dataset(os.path.abspath("data"))              # the default config, documents\n'
        'mentions = load_dataset(os.path.abspath("data"), "entities")\n'
        'label = mentions["train"].features["label"]               # ClassLabel\n'
        'print(label.int2str(mentions["train"][0]["label"]))\n'
        "```\n\n"
        "Pass an absolute path (`datasets` names the dataset after the folder, and `\".\"` has no name). "
        "`streaming=True` works too. Offsets are Python code points (end exclusive): "
        "`doc[\"text\"][m[\"start\"]:m[\"end\"]] == m[\"text\"]` holds for every span.",
    ]


def _structure(stats: Stats) -> list[str]:
    sections = [
        "## Dataset Structure",
        "### Configs and splits",
        f"`{DEFAULT_CONFIG}` is the default config. Rows per config and split (a split with no rows is "
        "left out of the config, since `datasets` cannot load an empty split):",
        _splits_table(stats),
        "### Data Fields",
    ]
    for config in stats.configs:
        sections.append(f"#### `{config}`")
        sections.append(_fields_table(config, FEATURES[config]))
    return sections


def _labels(stats: Stats) -> list[str]:
    registry_counts = stats.labels["registry"]
    return [
        "### Labels and statistics",
        "Counts are generated from the data at build time. The `id` column is the `ClassLabel` integer.",
        "#### Entity mentions per label (OntoNotes 5.0)",
        _count_table("label", labels.ENTITY_LABELS, stats.labels["entities"]),
        "#### Quotes per type",
        _count_table("type", labels.QUOTE_TYPES, stats.labels["quotes"]),
        "#### Claims per label",
        _count_table("label", labels.CLAIM_LABELS, stats.labels["claims"]),
        "#### Registry entities per type",
        "\n".join(["| type | count |", "|---|---|"] + [f"| {t} | {registry_counts[t]} |" for t in labels.ENTITY_LABELS if registry_counts.get(t)]),
        *(["#### Sentences per claim label",
           _count_table("claim_label", labels.SENTENCE_CLAIM_LABELS, stats.labels["sentences"]),
           *tokens_and_sentences_section()] if _has_views(stats) else []),
        "### Data Splits",
        "Splits are assigned per story, never per document, so that articles reporting the same event "
        "never straddle train and test, and a story's split never changes between versions: "
        f"`{SPLIT_RULE}`. The registry and the agreement table each have a single split, `train`, that "
        "holds every entity or every agreement row (the `datasets` convention for a single table); it is not a "
        "training subset.",
        splits_sentence(stats),
    ]


def _creation(stats: Stats) -> list[str]:
    """The figures of the documents, their annotation and annotators (``_facts``), each followed by
    the note written by hand in ``corpus/dataset.json``, and the agreement measured."""
    ds = stats.dataset
    return [
        "## Dataset Creation",
        "### Source Data",
        documents_sentence(stats),
        ds["source_note"],
        "### Annotations",
        "#### Annotation process",
        annotation_sentence(stats),
        ds["annotation_note"],
        "#### Who are the annotators?",
        *annotators_section(stats),
        ds["annotators_note"],
        *_agreement(stats),
        *_suggestions(stats),
        "## Considerations and Limitations",
        limitations_sentence(stats),
        ds["limitations_note"],
        "## Licensing Information",
        "Metadata: " + ", ".join(f"`{k}: {v}`" for k, v in _license(ds).items()) + f". {ds['license_note']}",
    ]


def _agreement(stats: Stats) -> list[str]:
    """The agreement between annotators, measured at build time: a table, or one sentence."""
    from ..agreement import DECIMALS, HEADLINE, UNDEFINED, headline_table

    if not stats.agreement:
        return ["#### Inter-annotator agreement",
                "The corpus has no annotator layers (`corpus/layers/`), so there is no agreement to report"
                + (": the `agreement` config has no rows and is not declared in this card's metadata, since `datasets` "
                   "cannot load an empty config." if "agreement" in stats.configs else ".")]
    headline = "; ".join(f"{layer}: `{metric}`" for layer, metric in HEADLINE.items())
    where = (" The `agreement` config holds every row: each metric, over all labels and per label."
             if "agreement" in stats.configs else "")
    minimum = stats.dataset.get("agreement_minimum")
    gate = (" This release was built under a minimum agreement between every two annotators (`agreement_minimum` in "
            "`corpus/dataset.json`, on the headline metric over all labels): "
            + ", ".join(f"{layer} {least!r}" for layer, least in minimum.items()) + "." if minimum else "")
    return [
        "#### Inter-annotator agreement",
        "Measured at build time from the annotators' layers (`corpus/layers/`) between every two annotators on the "
        "documents both annotated, and of each annotator against the released gold (`gold`); counts are summed over "
        f"those documents. Headline metric per layer ({headline}): F1 = 2 × matched / (items a + items b), items "
        "matched one to one, greedily, at character Jaccard ≥ 0.5 (exact offsets and type for `exact_typed_f1`). "
        "Alpha is Krippendorff's alpha (nominal) over tokens: each token's entity type, inside or outside a quote's "
        "content, claim label, or `O`. Cluster links F1 (`cluster_link_f1`, quotes and claims) compares the "
        "cross-document links that `cluster_id`s make, not their names: a link is two items in different documents "
        "with the same `cluster_id`, and it is agreed when its two items are matched with two items that the other "
        "side links to each other; F1 = 2 × agreed links / (links a + links b), over the whole corpus only (the config's counts for this "
        "metric are links, not items); entity mentions have no cluster, so their cell is empty. "
        f"Values are rounded to {DECIMALS} decimals; `{UNDEFINED}` means undefined "
        "(nothing to compare). `newsspans agree` prints the same figures; [`docs/agreement.md`](../docs/agreement.md) "
        "defines every metric." + where + gate,
        headline_table(stats.agreement),
    ]


#: The card's rows of the suggestions' evaluation: each layer's metrics over all labels (claims only
#: when some were suggested: no source suggests them).
SUGGESTION_LAYERS = ("entities", "quotes")


def _suggestions_table(rows: list[Any]) -> str:
    from ..agreement import show_value

    lines = ["| layer | metric | precision | recall | F1 | suggested | gold | matched |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r.label is None and (r.layer in SUGGESTION_LAYERS or r.suggested):
            lines.append(f"| {r.layer} | `{r.metric}` | {show_value(r.precision)} | {show_value(r.recall)} | "
                         f"{show_value(r.f1)} | {r.suggested} | {r.gold} | {r.matched} |")
    return "\n".join(lines)


def _suggestions(stats: Stats) -> list[str]:
    """The stored suggestions measured against gold at build time: a table, or one sentence."""
    from ..agreement import DECIMALS, UNDEFINED

    title = "#### Suggestions"
    if not stats.suggestion_files:
        return [title, "This release has no stored suggestions (`corpus/suggestions/`, written by `newsspans suggest`), "
                       "so there are none to measure."]
    if not stats.suggestions:
        return [title, "No document with gold has stored suggestions (`corpus/suggestions/`), so there are none to measure."]
    documents = stats.suggestions[0].documents
    return [
        title,
        "The pre-annotation that `newsspans suggest` stored (`corpus/suggestions/`; never part of the gold or of this "
        f"release's data), measured at build time against the gold of the {documents} document(s) that have both, over "
        f"all labels; counts are summed over those documents. Sources: {', '.join(f'`{x}`' for x in stats.suggestion_sources) or 'none'}. "
        "Precision = matched / suggested, recall = matched / gold, F1 = 2 × matched / (suggested + gold). Entities: "
        "`exact_typed` (same offsets and type) and `overlap` (matched one to one at character Jaccard ≥ 0.5, the "
        "agreement's rule, type ignored); quotes: `overlap` of the contents, `with_speaker` the same counting only "
        "the matched quotes whose speakers agree (a quote found with its speaker), and on the matched quotes "
        "`speaker_agreement` and `cue_agreement` (same offsets or both absent; suggested = gold = the matched quotes "
        f"compared). Values are rounded to {DECIMALS} decimals; `{UNDEFINED}` means undefined. "
        "`newsspans suggest --evaluate --stored` prints the same figures, per label too. Figures on documents whose "
        "registry was built from their gold are optimistic (the gazetteer suggests the gold's own surface forms): "
        "[`docs/suggestions.md`](../docs/suggestions.md) gives the figures on a development set and a held-out test set.",
        _suggestions_table(stats.suggestions),
    ]


def citation(stats: Stats) -> str:
    """The release's BibTeX entry (the card's and ``croissant.json``'s ``citeAs``)."""
    name = stats.dataset["pretty_name"]
    return ("@misc{newsspans,\n"
            f"  title   = {{{{{name}}}: labeled spans of entities, quotes and claims in news}},\n"
            f"  version = {{{stats.version}}},\n"
            "  note    = {Dataset; see manifest.json for the exact files}\n}")


def _citation_and_versioning(stats: Stats) -> list[str]:
    return [
        "## Citation Information",
        f"```bibtex\n{citation(stats)}\n```",
        "## Versioning",
        "Versions follow semantic versioning: a label-set or schema change is major; documents or "
        "annotations added are minor; corrections are patches. `manifest.json` records the version, "
        "the SHA-256 and size of every file, the counts, and the digest of the corpus sources it was "
        "built from; the project's `CHANGELOG.md` records every version.",
    ]
