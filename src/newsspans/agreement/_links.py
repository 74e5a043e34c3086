"""``cluster_link_f1``: agreement on the cross-document links that ``cluster_id``s make.

A cluster id is a name each annotator chooses, so names are never compared: the links are. A
**link** of one side is an unordered pair of its items (of one layer, quotes or claims) that share
a non-null ``cluster_id`` and lie in **different documents**. Two items of one document that share
a cluster id are not linked to each other (``docs/guidelines.md`` section 6: a cluster links the
same statement reported in several documents; a cluster used in one document only links nothing,
``W-CLUSTER-SINGLE``).

A link ``{x, x'}`` of side a is **agreed** when ``x`` and ``x'`` are matched (by the matching rule,
within their documents) with items ``y`` and ``y'`` of side b that share a cluster id in b,
whatever its name.

Agreed links are counted once, and the count is symmetric. Group the matched pairs ``(x, y)`` by
``(cluster of x in a, cluster of y in b)``, both non-null. An agreed link of a is exactly an
unordered pair of matched pairs ``(x, y)``, ``(x', y')`` in the same group and in different
documents: then ``{y, y'}`` is a link of b (same cluster, different documents, since matching
stays within a document) whose ends are matched with a link of a, so it is an agreed link counted
from b's side. The matching is one to one, so ``x -> y`` is a bijection between the matched items
of the two sides, and this correspondence between agreed links of a and agreed links of b is a
bijection too: counted from either side, the number is the same.

Every count is a number of cross-document pairs within groups: for a group with ``n_d`` members in
document ``d``, ``((Σ n_d)² − Σ n_d²) / 2``. The memberships add up over documents; the counts
do not (a link joins two documents), so they are computed from the memberships at the end.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Hashable, Sequence

from ._tally import Tally


def cross_document_pairs(members: Counter) -> int:
    """The unordered pairs of members of one group in different documents, over every group.
    ``members`` counts members per ``(group, document)``."""
    per_group: dict[Hashable, list[int]] = {}
    for (group, _document), n in members.items():
        per_group.setdefault(group, []).append(n)
    return sum((sum(ns) ** 2 - sum(n * n for n in ns)) // 2 for ns in per_group.values())


@dataclass
class LinkTally(Tally):
    """The counts of ``cluster_link_f1`` (an F1: ``count_a``, ``count_b`` the links of each side,
    ``agreed`` the agreed links), and the memberships they are computed from, which add up over
    documents: per ``(cluster id, document)`` the items of a (``members_a``) and of b
    (``members_b``), and per ``((cluster of a, cluster of b), document)`` the matched pairs
    (``members_both``)."""

    members_a: Counter = field(default_factory=Counter)
    members_b: Counter = field(default_factory=Counter)
    members_both: Counter = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        if not isinstance(other, LinkTally):
            raise TypeError("cluster link counts add up only with cluster link counts")
        self.members_a.update(other.members_a)
        self.members_b.update(other.members_b)
        self.members_both.update(other.members_both)
        self.count_a = cross_document_pairs(self.members_a)
        self.count_b = cross_document_pairs(self.members_b)
        self.agreed = cross_document_pairs(self.members_both)


def link_tally(document: str, a: Sequence[Any], b: Sequence[Any], pairs: Sequence[tuple[Any, Any]]) -> LinkTally:
    """The memberships of one document: its items of each side (``a``, ``b``, anything with a
    ``cluster_id``) and its matched ``pairs`` (item of a, item of b). Its own counts are 0: a link
    needs two documents."""
    out = LinkTally()
    out.members_a.update((x.cluster_id, document) for x in a if x.cluster_id is not None)
    out.members_b.update((y.cluster_id, document) for y in b if y.cluster_id is not None)
    out.members_both.update(((x.cluster_id, y.cluster_id), document) for x, y in pairs
                            if x.cluster_id is not None and y.cluster_id is not None)
    return out
