"""Krippendorff's alpha for nominal data, computed exactly (with fractions).

    alpha = 1 - D_o / D_e = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c * n_k

where ``o_ck`` is the coincidence matrix (each unit with ``m >= 2`` values adds, for every
ordered pair of its values taken from two different coders, ``1 / (m - 1)`` to their cell),
``n_c`` its marginals and ``n`` the number of pairable values. A unit with fewer than two values
is not pairable and counts for nothing. Alpha is undefined (None) when fewer than two values are
pairable or when every pairable value is the same (``D_e = 0``).
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Hashable, Iterable, Mapping, Optional, Sequence


def alpha_from_units(units: Mapping[tuple[Hashable, ...], int]) -> Optional[Fraction]:
    """Nominal alpha of units given as ``{values of one unit: how many units have them}`` (the
    values one unit received, from every coder who coded it, in any order); None when undefined."""
    disagreement = Fraction(0)  # sum over c != k of o_ck
    by_size: Counter[int] = Counter()  # per unit size m: sum of (m^2 - sum_c m_c^2) over its units
    totals: Counter[Hashable] = Counter()  # n_c
    for values, count in units.items():
        m = len(values)
        if m < 2 or count <= 0:
            continue
        per_value = Counter(values)
        by_size[m] += count * (m * m - sum(v * v for v in per_value.values()))
        for value, k in per_value.items():
            totals[value] += count * k
    for m, pairs in by_size.items():
        disagreement += Fraction(pairs, m - 1)
    n = sum(totals.values())
    expected = n * n - sum(v * v for v in totals.values())  # sum over c != k of n_c * n_k
    if n < 2 or expected == 0:
        return None
    return 1 - (n - 1) * disagreement / expected


def alpha_from_pairs(pairs: Mapping[tuple[Hashable, Hashable], int]) -> Optional[Fraction]:
    """Nominal alpha of two coders who coded every unit: ``pairs`` counts the units per
    (value of the first coder, value of the second)."""
    return alpha_from_units(pairs)


def nominal_alpha(reliability_data: Sequence[Sequence[Optional[Hashable]]]) -> Optional[float]:
    """Krippendorff's alpha (nominal) of a reliability matrix: one row per coder, one column per
    unit, None where a coder gave no value (as the ``krippendorff`` package's ``reliability_data``
    with NaN for missing). None when undefined."""
    columns: Iterable[tuple[Optional[Hashable], ...]] = zip(*reliability_data) if reliability_data else ()
    units: Counter[tuple[Hashable, ...]] = Counter()
    for column in columns:
        units[tuple(sorted((v for v in column if v is not None), key=repr))] += 1
    value = alpha_from_units(units)
    return None if value is None else float(value)
