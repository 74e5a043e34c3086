"""The configs of a release, by name: the one list the build, the card and the CLI check against
(``_features`` declares each one's columns)."""

from __future__ import annotations

from typing import Optional, Sequence

from ..errors import BuildError

CONFIGS: tuple[str, ...] = ("documents", "entities", "quotes", "claims", "registry", "tokens", "sentences")
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
