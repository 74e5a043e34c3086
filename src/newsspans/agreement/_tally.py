"""Counts that add up over documents, and the value each kind of metric takes from them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Hashable, Iterable, Optional

from ._alpha import alpha_from_pairs
from ._rows import AGREEMENT, ALPHA, F1


@dataclass
class Tally:
    """The counts of one metric (see ``AgreementRow``); for alpha, also the number of tokens per
    (value of a, value of b), from which alpha is computed."""

    count_a: int = 0
    count_b: int = 0
    agreed: int = 0
    pairs: Optional[Counter] = None

    def add(self, other: "Tally") -> None:
        self.count_a += other.count_a
        self.count_b += other.count_b
        self.agreed += other.agreed
        if other.pairs:
            if self.pairs is None:
                self.pairs = Counter()
            self.pairs.update(other.pairs)

    def value(self, kind: str) -> Optional[Fraction]:
        """The exact value of a metric of ``kind``; None when undefined."""
        if kind == F1:
            total = self.count_a + self.count_b
            return Fraction(2 * self.agreed, total) if total else None
        if kind == AGREEMENT:
            return Fraction(self.agreed, self.count_a) if self.count_a else None
        if kind == ALPHA:
            return alpha_from_pairs(self.pairs or {})
        raise ValueError(f"unknown kind of metric {kind!r}")


def f1_tally(count_a: int, count_b: int, matched: int) -> Tally:
    return Tally(count_a, count_b, matched)


def exact_tally(a: Counter, b: Counter) -> Tally:
    """F1 counts of exact matching: ``a`` and ``b`` count the keys of the items (offsets, with the
    label for typed matching), matched one to one (a key twice on one side matches at most twice)."""
    return Tally(sum(a.values()), sum(b.values()), sum((a & b).values()))


def agreement_tally(pairs: Iterable[tuple[object, object]], same: Callable[[object, object], bool],
                    considered: Callable[[object, object], bool] = lambda x, y: True) -> Tally:
    """Agreement counts over matched pairs ``(item of a, item of b)``: those ``considered`` are
    compared, and ``agreed`` counts those that are the ``same``."""
    n = agreed = 0
    for x, y in pairs:
        if considered(x, y):
            n += 1
            agreed += bool(same(x, y))
    return Tally(n, n, agreed)


def alpha_tally(values_a: list[Hashable], values_b: list[Hashable]) -> Tally:
    """Alpha counts of two coders' values on the same tokens."""
    pairs = Counter(zip(values_a, values_b))
    same = sum(n for (x, y), n in pairs.items() if x == y)
    return Tally(len(values_a), len(values_b), same, pairs)
