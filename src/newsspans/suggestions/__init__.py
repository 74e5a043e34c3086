"""Suggestions: pre-annotation from the registry, rules and optional spaCy pipelines, kept apart
from gold (being written: issue 13)."""

from ._model import Suggestion

__all__ = ["Suggestion"]
