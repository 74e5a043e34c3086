"""The configs of a release, by name: the one list the build, the card and the CLI check against
(``_features`` declares each one's columns)."""

from __future__ import annotations

from typing import Optional, Sequence

from ..errors import BuildError

CONFIGS: tuple[str, ...] = ("documents", "entities", "quotes", "claims", "registry", "tokens", "sentences", "agreement")
#: Configs that may hold no rows (a corpus without annotator layers has no agreement): such a config
#: is left out of the card's configs, since ``datasets`` cannot load an empty one.
OPTIONAL_CONFIGS: frozenset[str] = frozenset({"agreement"})
DEFAULT_CONFIG = "documents"


class UnknownConfig(BuildError):
    """A config name that is not one of ``CONFIGS`` (a usage error)."""


def chosen_configs(names: Optional[Sequence[str]]) -> tuple[str, ...]:
    """The configs named (all of them for None), in ``CONFIGS`` order; ``UnknownConfig`` names
    any that does not exist."""
    unknown = sorted(set(names or ()) - set(CONFIGS))
    if unknown:
        raise UnknownConfig(f"unknown config(s) {', '.join(unknown)}; the configs are {', '.join(CONFIGS)}")
    return tuple(c for c in CONFIGS if names is None or c in names)
