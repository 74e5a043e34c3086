"""The released configs and their ``datasets`` features: declared here once.

The Parquet schemas (with the features embedded under the ``huggingface`` metadata key), the
card's ``dataset_info`` and the card's field tables are all derived from ``FEATURES``.
Spans in lists are lists of structs (``List({...})``), never ``Sequence({...})``, which
``datasets`` would turn into a struct of lists.
"""

from __future__ import annotations

from datasets import ClassLabel, Features, List, Value

from ..agreement import METRICS
from ..labels import CLAIM_LABELS, ENTITY_LABELS, IOB2_TAGS, QUOTE_TYPES, SENTENCE_CLAIM_LABELS

ENTITY_LABEL = ClassLabel(names=list(ENTITY_LABELS))
QUOTE_TYPE = ClassLabel(names=list(QUOTE_TYPES))
CLAIM_LABEL = ClassLabel(names=list(CLAIM_LABELS))
NER_TAG = ClassLabel(names=list(IOB2_TAGS))
SENTENCE_CLAIM_LABEL = ClassLabel(names=list(SENTENCE_CLAIM_LABELS))


def _string() -> Value:
    return Value("string")


def _span() -> dict:
    return {"start": Value("int32"), "end": Value("int32"), "text": _string()}


def _entity(with_document: bool) -> dict:
    head = {"id": _string(), "document_id": _string()} if with_document else {"id": _string()}
    return {**head, **_span(), "label": ENTITY_LABEL, "entity_id": _string()}


def _quote(with_document: bool) -> dict:
    head = {"id": _string(), "document_id": _string()} if with_document else {"id": _string()}
    return {
        **head,
        "type": QUOTE_TYPE,
        "content": _span(),
        "speaker": _span(),
        "cue": _span(),
        "speaker_entity_id": _string(),
        "group_id": _string(),
        "cluster_id": _string(),
    }


def _claim(with_document: bool) -> dict:
    head = {"id": _string(), "document_id": _string()} if with_document else {"id": _string()}
    return {**head, **_span(), "label": CLAIM_LABEL, "claimant": _string(), "cluster_id": _string()}


FEATURES: dict[str, Features] = {
    "documents": Features(
        {
            "id": _string(),
            "text": _string(),
            "title": _string(),
            "published": _string(),
            "source": _string(),
            "url": _string(),
            "language": _string(),
            "story_id": _string(),
            "sha256": _string(),
            "entities": List(_entity(False)),
            "quotes": List(_quote(False)),
            "claims": List(_claim(False)),
        }
    ),
    "entities": Features(_entity(True)),
    "quotes": Features(_quote(True)),
    "claims": Features(_claim(True)),
    "registry": Features(
        {
            "entity_id": _string(),
            "name": _string(),
            "type": ENTITY_LABEL,
            "aliases": List(_string()),
            "wikidata": _string(),
        }
    ),
    "tokens": Features(
        {
            "id": _string(),
            "document_id": _string(),
            "tokens": List(_string()),
            "token_starts": List(Value("int32")),
            "token_ends": List(Value("int32")),
            "ner_tags": List(NER_TAG),
        }
    ),
    "sentences": Features(
        {
            "id": _string(),
            "document_id": _string(),
            "start": Value("int32"),
            "end": Value("int32"),
            "text": _string(),
            "claim_label": SENTENCE_CLAIM_LABEL,
            "has_quote": Value("bool"),
        }
    ),
    "agreement": Features(
        {
            "annotator_a": _string(),
            "annotator_b": _string(),
            "layer": _string(),
            "label": _string(),
            "metric": _string(),
            "value": Value("float64"),
            "count_a": Value("int64"),
            "count_b": Value("int64"),
            "agreed": Value("int64"),
            "documents": Value("int64"),
        }
    ),
}

#: What each column holds, for the card (every column of every config must be described, each for
#: its own config): a column whose name means the same in every config that has it is described in
#: ``COLUMN_DOCS``; one whose meaning depends on the config, in that config's ``CONFIG_COLUMN_DOCS``.
COLUMN_DOCS: dict[str, str] = {
    "title": "Headline: given when the text was added, else where the text states one, else null.",
    "published": "Publication date (ISO 8601): given when the text was added, else where the text states it, else null.",
    "source": "Where the text came from: the outlet or archive given when it was added, else the file name it was received as.",
    "url": "Where the text was published, when known, else null.",
    "language": "ISO 639-1 code.",
    "story_id": "Documents reporting the same event share it; splits are assigned by it.",
    "sha256": "SHA-256 of the text's UTF-8 bytes.",
    "entities": "The document's entity mentions (as in the `entities` config, without `document_id`).",
    "quotes": "The document's quotes (as in the `quotes` config, without `document_id`).",
    "claims": "The document's claims (as in the `claims` config, without `document_id`).",
    "start": "First character, as a Python code-point index into the document text.",
    "end": "One past the last character (end exclusive).",
    "content": "The reported statement: `{start, end, text}`; for a direct quote, exactly the characters between the quotation marks.",
    "speaker": "The minimal mention of the source, `{start, end, text}`, or null.",
    "cue": "The minimal attribution trigger (\"said\", \"according to\"), `{start, end, text}`, or null.",
    "speaker_entity_id": "Registry id of the speaker, or null.",
    "group_id": "Shared by the parts of one statement split by an attribution (`<document id>:g…`), else null.",
    "claimant": "Who makes the claim: `author` for the article's own voice, else a registry id.",
    "name": "Canonical name.",
    "aliases": "Every surface form used for the entity in the corpus.",
    "wikidata": "Wikidata QID where certain, else null.",
    "tokens": "The sentence's tokens, in order (see Tokenization); never whitespace.",
    "token_starts": "Start of each token, as a code-point offset into the document text (not the sentence).",
    "token_ends": "End of each token (exclusive), into the document text: `text[token_starts[i]:token_ends[i]] == tokens[i]`.",
    "ner_tags": "IOB2 tag of each token over the 18 OntoNotes types (`O`, `B-PERSON`, `I-PERSON`, …); decoding them gives back every entity mention of the sentence exactly.",
    "claim_label": "The highest claim label among the claims that overlap the sentence: NFS (none), UFS or CFS (ClaimBuster's sentence scheme).",
    "has_quote": "Whether the content of a quote overlaps the sentence.",
}

_SPAN_TEXT = "The covered text, always equal to the document text at `[start:end]`."
_SPAN_DOCUMENT = "Id of the document the {} belongs to."
_SENTENCE_ID = ("Stable id `<document id>:s<n>`, sentences numbered in text order from 1; the same sentence has the same "
                "id in the `tokens` and `sentences` configs.")


def _span_id(prefix: str, what: str) -> str:
    return f"Stable id `<document id>:{prefix}<n>` of the {what}; never reused, even after the {what} is deleted."


#: Columns described for one config (their names mean something else in other configs).
CONFIG_COLUMN_DOCS: dict[str, dict[str, str]] = {
    "documents": {
        "id": "Stable id: the stem of the text's file name.",
        "text": "The text exactly as received (typos and glued words kept); every offset indexes it.",
    },
    "entities": {
        "id": _span_id("m", "entity mention"),
        "document_id": _SPAN_DOCUMENT.format("mention"),
        "text": _SPAN_TEXT,
        "label": "One of the 18 OntoNotes 5.0 entity types.",
        "entity_id": "Registry id of the referent (the `registry` config's `entity_id`); null for numeric and temporal types.",
    },
    "quotes": {
        "id": _span_id("q", "quote"),
        "document_id": _SPAN_DOCUMENT.format("quote"),
        "type": "`direct` (the whole statement inside quotation marks), `indirect` (a paraphrase) or `mixed` (quoted words inside a paraphrase).",
        "cluster_id": "Shared by the same statement reported in several documents, else null.",
    },
    "claims": {
        "id": _span_id("c", "claim"),
        "document_id": _SPAN_DOCUMENT.format("claim"),
        "text": _SPAN_TEXT,
        "label": "UFS (unimportant factual statement) or CFS (check-worthy factual statement), ClaimBuster's scheme.",
        "cluster_id": "Shared by the same claim made in several documents, else null.",
    },
    "registry": {
        "entity_id": "The entity's id, which mentions (`entity_id`), quote speakers (`speaker_entity_id`) and claimants refer to.",
        "type": "The entity's type: one of the 18 OntoNotes 5.0 entity types.",
    },
    "tokens": {
        "id": _SENTENCE_ID,
        "document_id": "Id of the document the sentence belongs to.",
    },
    "sentences": {
        "id": _SENTENCE_ID,
        "document_id": "Id of the document the sentence belongs to.",
        "start": "First character of the sentence, as a Python code-point index into the document text.",
        "end": "One past the sentence's last character (end exclusive).",
        "text": "The sentence, equal to the document text at `[start:end]`.",
    },
    "agreement": {
        "annotator_a": "Id of an annotator of `corpus/annotators.json`.",
        "annotator_b": "Id of the other annotator (after `annotator_a` by id), or `gold` for `annotator_a` against the released gold.",
        "layer": "`entities`, `quotes` or `claims`.",
        "label": "Null: the row covers every label. Otherwise both sides are restricted to this label (entity type, quote type, or claim label) before matching.",
        "metric": "What is measured, per layer: " + "; ".join(
            f"{layer}: " + ", ".join(f"`{m}`" for m in metrics) for layer, metrics in METRICS.items())
        + " (defined in the project's `docs/agreement.md`).",
        "value": "The metric, rounded to 6 decimals; null when undefined (nothing to compare on either side).",
        "count_a": "F1: items of `annotator_a` (`cluster_link_f1`: its cross-document links). Agreement: matched pairs "
                   "compared. Alpha: tokens.",
        "count_b": "F1: items of `annotator_b` (`cluster_link_f1`: its cross-document links). Agreement: matched pairs "
                   "compared (= `count_a`). Alpha: tokens (= `count_a`).",
        "agreed": "F1: matched pairs (`cluster_link_f1`: links both sides make). Agreement: matched pairs that agree. "
                  "Alpha: tokens given the same value by both.",
        "documents": "Documents both sides annotated, over which the counts are summed.",
    },
}

#: Nullable columns of the configs that the card's default set of nullable columns (``_card._nullable``) does not fit.
CONFIG_NULLABLE: dict[str, frozenset[str]] = {"agreement": frozenset({"label", "value"})}


def column_doc(config: str, column: str) -> str:
    """What ``column`` of ``config`` holds, for the card."""
    return CONFIG_COLUMN_DOCS.get(config, {}).get(column) or COLUMN_DOCS[column]
