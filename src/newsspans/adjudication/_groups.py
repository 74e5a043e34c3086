"""Quote groups in the adjudicated gold: ``group_id`` values renumbered without collisions.

A ``group_id`` means something only in the file it was written in: ``g1`` of one annotator and
``g1`` of another are different groups. Each gold quote therefore reads its ``group_id`` in the
*scopes* it comes from: a quote all annotators agreed on, in every annotator's layer; a quote
taken from annotator A, in A's layer; an edited quote, in the scope shared by all the ``edit``
items of the document's decisions. Gold quotes sharing a (scope, group id) are one group, and so
is, transitively, everything joined through them (an agreed quote joins A's and B's groups).

Each gold group keeps the ``group_id`` it has in the current gold when its members, compared in
every field but ``id`` and ``group_id``, are quotes of one current group (the first group in text
order to claim it): a surviving group keeps its name, so its quotes keep their ids. Every other
group gets ``g<n>`` above every group number in the current gold and in use, in text order.
"""

from __future__ import annotations

import json
from typing import Any, Hashable, Iterable, Mapping, Sequence

from ..labels import GROUP_PREFIX

#: The scope of the group ids written in ``edit`` items (shared by a document's decisions).
EDIT_SCOPE: Hashable = ("edit",)


def layer_scope(annotator_id: str) -> Hashable:
    return ("layer", annotator_id)


def _bare(quote: Mapping[str, Any]) -> str:
    return json.dumps({k: v for k, v in quote.items() if k not in ("id", "group_id")}, sort_keys=True, ensure_ascii=False)


def _number(group_id: Any) -> int:
    digits = group_id[len(GROUP_PREFIX):] if isinstance(group_id, str) and group_id.startswith(GROUP_PREFIX) else ""
    return int(digits) if digits.isascii() and digits.isdigit() else 0


def _components(quotes: Sequence[Mapping[str, Any]], scopes: Sequence[Iterable[Hashable]]) -> list[list[int]]:
    """The quotes joined by a shared (scope, group id), each group's members in list order."""
    parent = list(range(len(quotes)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    owner: dict[tuple[Hashable, str], int] = {}
    for i, q in enumerate(quotes):
        if q.get("group_id") is None:
            continue
        for scope in scopes[i]:
            j = owner.setdefault((scope, q["group_id"]), i)
            a, b = find(i), find(j)
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i, q in enumerate(quotes):
        if q.get("group_id") is not None:
            groups.setdefault(find(i), []).append(i)
    return sorted(groups.values())


def regroup(quotes: Sequence[Mapping[str, Any]], scopes: Sequence[Iterable[Hashable]],
            current: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``quotes`` (in text order, ``scopes[i]`` the scopes of quote i) with their ``group_id``
    renumbered for the gold whose quotes are now ``current`` (see the module docstring)."""
    groups = _components(quotes, scopes)
    was = {_bare(q): q.get("group_id") for q in current if q.get("group_id") is not None}
    names: list[Any] = []
    taken: set[str] = set()
    for members in groups:
        old = {was.get(_bare(quotes[i])) for i in members}
        name = old.pop() if len(old) == 1 else None
        name = name if name is not None and name not in taken else None
        if name is not None:
            taken.add(name)
        names.append(name)
    top = max([_number(q.get("group_id")) for q in current] + [_number(n) for n in taken], default=0)
    out = [dict(q) for q in quotes]
    for members, name in zip(groups, names):
        if name is None:
            top += 1
            name = f"{GROUP_PREFIX}{top}"
        for i in members:
            out[i]["group_id"] = name
    return out
