"""What agreement is reported as: the metrics of each layer, the row, their order and rounding."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any, Optional

from ..labels import CLAIM_LABELS, ENTITY_LABELS, GOLD, QUOTE_TYPES
from ..model import LAYERS

#: Every value is rounded to this many decimals (half to even, from its exact value), so that
#: the same corpus always gives the same bytes.
DECIMALS = 6

#: The kinds of metric: how a value follows from the counts.
F1 = "f1"  # 2 * agreed / (count_a + count_b)
AGREEMENT = "agreement"  # agreed / count_a (count_a == count_b: the matched pairs compared)
ALPHA = "alpha"  # Krippendorff's alpha over tokens (not recomputable from the counts)

#: The metrics of each layer, in report order, with their kind.
METRICS: dict[str, dict[str, str]] = {
    "entities": {"exact_typed_f1": F1, "exact_untyped_f1": F1, "overlap_f1": F1, "label_agreement": AGREEMENT,
                 "entity_id_agreement": AGREEMENT, "alpha": ALPHA},
    "quotes": {"overlap_f1": F1, "type_agreement": AGREEMENT, "speaker_agreement": AGREEMENT,
               "cue_agreement": AGREEMENT, "speaker_entity_id_agreement": AGREEMENT, "cluster_link_f1": F1, "alpha": ALPHA},
    "claims": {"overlap_f1": F1, "label_agreement": AGREEMENT, "claimant_agreement": AGREEMENT, "cluster_link_f1": F1,
               "alpha": ALPHA},
}

#: The F1 of the cross-document links that ``cluster_id``s make (quotes and claims).
CLUSTER_LINK_F1 = "cluster_link_f1"

#: The metrics measured over the corpus only: a link joins two documents, so one document has none,
#: and per-document rows (``by_document``) leave these metrics out.
CORPUS_ONLY: frozenset[str] = frozenset({CLUSTER_LINK_F1})

#: The metrics that also have one row per label (both sides restricted to that label); the others
#: have only the row over all labels (label None): agreement on the label itself, and alpha.
PER_LABEL: dict[str, tuple[str, ...]] = {
    "entities": ("exact_typed_f1", "overlap_f1", "entity_id_agreement"),
    "quotes": ("overlap_f1", "speaker_agreement", "cue_agreement", "speaker_entity_id_agreement"),
    "claims": ("overlap_f1", "claimant_agreement"),
}

#: What "label" means per layer, and its inventory (the order of the per-label rows).
LABELS: dict[str, tuple[str, ...]] = {"entities": ENTITY_LABELS, "quotes": QUOTE_TYPES, "claims": CLAIM_LABELS}

#: The headline metric of each layer: the card's table and the release's minimum use it.
HEADLINE: dict[str, str] = {"entities": "exact_typed_f1", "quotes": "overlap_f1", "claims": "overlap_f1"}


@dataclass(frozen=True)
class AgreementRow:
    """One metric between two annotators (``annotator_b`` is ``"gold"`` for an annotator against
    gold), on one layer, over all labels (``label`` None) or one label.

    ``value`` is rounded to ``DECIMALS`` decimals; None when undefined (nothing to compare).
    Counts: for an F1, ``count_a`` and ``count_b`` are the items of each side and ``agreed`` the
    matched pairs (for ``cluster_link_f1``, the cross-document links of each side and the agreed
    links); for an agreement, ``count_a == count_b`` is the number of matched pairs
    compared and ``agreed`` those that agree; for alpha, ``count_a == count_b`` is the number of
    tokens and ``agreed`` those given the same value by both. ``documents`` is the number of
    documents both annotated that the row covers; ``document_id`` is set on per-document rows.
    """

    annotator_a: str
    annotator_b: str
    layer: str
    label: Optional[str]
    metric: str
    value: Optional[float]
    count_a: int
    count_b: int
    agreed: int
    documents: int
    document_id: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def rounded(value: Optional[Fraction]) -> Optional[float]:
    """An exact value rounded to ``DECIMALS`` decimals (half to even), as a float; None stays None."""
    return None if value is None else float(round(value, DECIMALS))


def _label_key(layer: str, label: Optional[str]) -> tuple[int, int, str]:
    if label is None:
        return (0, 0, "")
    inventory = LABELS[layer]
    return (1, inventory.index(label), "") if label in inventory else (2, 0, label)


def row_key(row: AgreementRow) -> tuple:
    """The report order: document (per-document rows), the pairs of annotators, then each
    annotator against gold, by id; layer in file order; all labels, then each label in inventory
    order; metric in ``METRICS`` order."""
    metrics = list(METRICS[row.layer])
    return (row.document_id or "", row.annotator_b == GOLD, row.annotator_a, row.annotator_b,
            LAYERS.index(row.layer), _label_key(row.layer, row.label), metrics.index(row.metric))
