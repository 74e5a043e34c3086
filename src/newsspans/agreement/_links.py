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
do not (a link joins two documents), so they are kept with the memberships (``Memberships``) and
updated as members are added: ``n`` members of a group added in document ``d`` make ``n`` links
with each member of the group in another document. Adding up documents in any order, or in
chunks added up in turn, gives the same memberships and so the same counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Hashable, Sequence

from ._tally import Tally


@dataclass
class Memberships:
    """Members per ``(group, document)``, and the unordered pairs of members of one group in
    different documents that they make (``links``), kept up to date: adding members costs as much
    as what is added, whatever was added before."""

    members: Counter = field(default_factory=Counter)
    sizes: Counter = field(default_factory=Counter)  # members per group
    links: int = 0

    def add(self, group: Hashable, document: str, n: int = 1) -> None:
        """``n`` members of ``group`` in ``document``: each pairs with every member of the group in
        another document."""
        self.links += n * (self.sizes[group] - self.members[group, document])
        self.members[group, document] += n
        self.sizes[group] += n

    def update(self, other: "Memberships") -> None:
        for (group, document), n in other.members.items():
            self.add(group, document, n)


@dataclass
class LinkTally(Tally):
    """The counts of ``cluster_link_f1`` (an F1: ``count_a``, ``count_b`` the links of each side,
    ``agreed`` the agreed links), and the memberships they are computed from, which add up over
    documents: per ``(cluster id, document)`` the items of a (``members_a``) and of b
    (``members_b``), and per ``((cluster of a, cluster of b), document)`` the matched pairs
    (``members_both``)."""

    members_a: Memberships = field(default_factory=Memberships)
    members_b: Memberships = field(default_factory=Memberships)
    members_both: Memberships = field(default_factory=Memberships)

    def add(self, other: Tally) -> None:
        if not isinstance(other, LinkTally):
            raise TypeError("cluster link counts add up only with cluster link counts")
        self.members_a.update(other.members_a)
        self.members_b.update(other.members_b)
        self.members_both.update(other.members_both)
        self.count_a, self.count_b, self.agreed = self.members_a.links, self.members_b.links, self.members_both.links


def link_tally(document: str, a: Sequence[Any], b: Sequence[Any], pairs: Sequence[tuple[Any, Any]]) -> LinkTally:
    """The memberships of one document: its items of each side (``a``, ``b``, anything with a
    ``cluster_id``) and its matched ``pairs`` (item of a, item of b). Its own counts are 0: a link
    needs two documents."""
    out = LinkTally()
    for x in a:
        if x.cluster_id is not None:
            out.members_a.add(x.cluster_id, document)
    for y in b:
        if y.cluster_id is not None:
            out.members_b.add(y.cluster_id, document)
    for x, y in pairs:
        if x.cluster_id is not None and y.cluster_id is not None:
            out.members_both.add((x.cluster_id, y.cluster_id), document)
    return out
