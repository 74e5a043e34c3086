"""``corpus/registry.json`` read strictly and written in its canonical order.

The canonical order (guidelines 3.3, ``W-REG-ORDER``): entries sorted by ``entity_id``, each
entry's aliases sorted, one entry per line (``dumps_canonical``). Every command that writes the
registry writes it so, and ``newsspans registry sort`` puts a file edited by hand back in it.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Optional

from ..corpus import REGISTRY, dumps_canonical, read_file
from ..errors import BadInput, NewsSpansError
from ..labels import AUTHOR_CLAIMANT, ENTITY_ID_LABELS, SLUG
from ..model import RegistryEntry
from ..paths import display_path
from ..validation import check_schema

_SLUG = re.compile(SLUG)
_KIND = "registry"


def check_entity_id(entity_id: str) -> None:
    """``BadInput`` unless ``entity_id`` can be a registry id: a lowercase ASCII slug, not ``author``."""
    if not isinstance(entity_id, str) or not _SLUG.match(entity_id):
        raise BadInput(f"entity id {entity_id!r} does not match the id pattern (lowercase ASCII letters and digits in "
                       "words joined by single hyphens, such as masoud-pezeshkian)")
    if entity_id == AUTHOR_CLAIMANT:
        raise BadInput(f"entity id {AUTHOR_CLAIMANT!r} is reserved: a claimant {AUTHOR_CLAIMANT!r} is the article's own voice")


def check_entity_type(entity_type: str) -> None:
    """``BadInput`` unless ``entity_type`` is a type whose mentions name a referent."""
    if entity_type not in ENTITY_ID_LABELS:
        raise BadInput(f"type {entity_type!r} is unknown to the registry: an entry is one of {', '.join(ENTITY_ID_LABELS)} "
                       "(the types whose mentions name a referent)")


def canonical(entries: Iterable[RegistryEntry]) -> list[RegistryEntry]:
    """``entries`` in the canonical order: sorted by id, each one's aliases sorted."""
    return [replace(e, aliases=tuple(sorted(set(e.aliases)))) for e in sorted(entries, key=lambda e: e.entity_id)]


def dumps_registry(entries: Iterable[RegistryEntry]) -> str:
    """The canonical text of ``registry.json`` holding ``entries``."""
    return dumps_canonical({"entities": [e.to_dict() for e in canonical(entries)]})


def load_registry(corpus: Path) -> list[RegistryEntry]:
    """The entries of ``corpus/registry.json`` in file order; ``NewsSpansError`` (one line: the file,
    line and problem) when the file cannot be read exactly, breaks its schema or lists an id twice,
    so that no registry command rewrites a file it cannot read whole."""
    path = Path(corpus) / REGISTRY
    shown = display_path(path)
    try:
        data = read_file(path)
        raw = data.decode("utf-8") if data is not None else None
        value = json.loads(raw) if raw is not None else None
    except OSError as exc:
        raise NewsSpansError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
    except (ValueError, RecursionError) as exc:
        raise NewsSpansError(f"{shown}: not JSON ({exc}); fix it first (newsspans validate)") from None
    if raw is None:
        raise NewsSpansError(f"{shown}: no such file")
    problems = check_schema(value, raw, path, _KIND).problems
    if problems:
        raise NewsSpansError(f"{problems[0]} (fix it first: the registry is rewritten whole)")
    entries = [RegistryEntry.from_dict(item) for item in value["entities"]]
    seen: set[str] = set()
    for e in entries:
        if e.entity_id in seen:
            raise NewsSpansError(f"{shown}: entity_id {e.entity_id!r} is listed twice; merge the two entries by hand first")
        seen.add(e.entity_id)
    return entries


def registry_bytes(corpus: Path, entries: Iterable[RegistryEntry]) -> bytes:
    """The bytes of ``registry.json`` holding ``entries``, after its schema accepted them
    (``BadInput`` naming the first problem otherwise: a name or alias that is empty, say)."""
    raw = dumps_registry(entries)
    path = Path(corpus) / REGISTRY
    problems = check_schema(json.loads(raw), raw, path, _KIND).problems
    if problems:
        p = problems[0]
        raise BadInput(f"the registry would break its schema, so nothing was written: {p.item or 'registry'}: {p.message}")
    return raw.encode("utf-8")


def entry_of(entries: Iterable[RegistryEntry], entity_id: str, corpus: Optional[Path] = None) -> RegistryEntry:
    """The entry of ``entity_id``; ``BadInput`` when the registry has none."""
    for e in entries:
        if e.entity_id == entity_id:
            return e
    where = display_path(Path(corpus) / REGISTRY) if corpus is not None else "the registry"
    raise BadInput(f"{where} has no entity {entity_id!r}")
