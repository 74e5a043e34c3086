"""The release's optional minimum agreement (``agreement_minimum`` in ``corpus/dataset.json``)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

from ..labels import GOLD
from ._rows import HEADLINE, AgreementRow


@dataclass(frozen=True)
class Shortfall:
    """A pair of annotators whose headline agreement on a layer is below the minimum (0 to 1)."""

    annotator_a: str
    annotator_b: str
    layer: str
    metric: str
    value: float
    minimum: float

    def __str__(self) -> str:
        return (f"{self.annotator_a} vs {self.annotator_b}, {self.layer} {self.metric} {self.value:.6f} "
                f"< {self.minimum!r} (agreement_minimum.{self.layer})")


def below_minimum(rows: Sequence[AgreementRow], minimum: Mapping[str, float]) -> list[Shortfall]:
    """The pairs of annotators (never an annotator against gold) whose headline metric
    (``HEADLINE``) over the corpus, all labels, is below ``minimum[layer]``, for each layer named in
    ``minimum``. Both are compared as the decimals they are written as (0.8 is 4/5, not the float
    nearest to it); an undefined
    value (neither annotator has an item of the layer) is never below it."""
    out = []
    for row in rows:
        least = minimum.get(row.layer)
        if (least is None or row.document_id is not None or row.label is not None or row.annotator_b == GOLD
                or row.metric != HEADLINE[row.layer] or row.value is None):
            continue
        if Fraction(repr(row.value)) < Fraction(repr(least)):
            out.append(Shortfall(annotator_a=row.annotator_a, annotator_b=row.annotator_b, layer=row.layer,
                                 metric=row.metric, value=row.value, minimum=least))
    return out
