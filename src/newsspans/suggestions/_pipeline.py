"""``suggest_document``: every source's suggestions for one text, entities flat, then quotes.

Sources (``SOURCES``): ``gazetteer`` (registry aliases, and the demonyms of groups the registry
has), ``numeric`` (the DATE ... CARDINAL rules), ``quotes`` (``_quotes.suggest_quotes``, given the
entity suggestions to find speakers), ``spacy`` (an installed pipeline, ``--model``). The entity suggestions of all
sources are merged by the one rule of ``_flat.flatten`` (longer, then higher score, then
``SOURCE_ORDER``). **Claims: none.** Telling a checkable claim from an opinion, and CFS from UFS,
takes judgement (guidelines 5.1, 5.4) that no cheap pattern has: a sentence-level heuristic (a
number or a named actor and a past-tense verb) would propose most sentences of a news article and
be rejected most of the time, which costs an annotator more than it saves.
"""

from __future__ import annotations

from typing import Mapping, Optional, Sequence, Union

from ..errors import BadInput
from ..model import RegistryEntry
from ._demonyms import demonym_targets, suggest_demonyms
from ._flat import flatten
from ._gazetteer import Gazetteer
from ._model import Suggestion
from ._numeric import suggest_numeric
from ._quotes import suggest_quotes
from ._spacy import SpacyModel, load_model

SOURCES = ("gazetteer", "numeric", "quotes", "spacy")
#: Without a model: everything but spaCy.
DEFAULT_SOURCES = ("gazetteer", "numeric", "quotes")


def resolve_sources(sources: Optional[Sequence[str]], model: object) -> tuple[str, ...]:
    """The sources to run, in ``SOURCES`` order: ``DEFAULT_SOURCES`` (and spacy when a model is
    given) by default. ``BadInput`` for no source or an unknown one, spacy without a model,
    or a model without spacy."""
    if sources is None:
        return DEFAULT_SOURCES + (("spacy",) if model is not None else ())
    unknown = sorted(set(sources) - set(SOURCES))
    if not sources:
        raise BadInput(f"no source named; the sources are {', '.join(SOURCES)}")
    if unknown:
        raise BadInput(f"unknown source(s) {', '.join(unknown)}; the sources are {', '.join(SOURCES)}")
    if "spacy" in sources and model is None:
        raise BadInput("the spacy source needs a pipeline: --model NAME_OR_PATH")
    if "spacy" not in sources and model is not None:
        raise BadInput("a model is given but the sources leave out spacy")
    return tuple(s for s in SOURCES if s in sources)


class Suggester:
    """The chosen sources, prepared once for a registry (the gazetteer's expression, the model)
    and applied to any number of texts."""

    def __init__(self, *, registry: Mapping[str, RegistryEntry], sources: Optional[Sequence[str]] = None,
                 model: Union[None, str, SpacyModel] = None):
        self.registry = registry
        self.sources = resolve_sources(sources, model)
        self.gazetteer = Gazetteer(registry) if "gazetteer" in self.sources or "spacy" in self.sources else None
        self.demonyms = demonym_targets(registry) if "gazetteer" in self.sources else {}
        self.model = load_model(model) if isinstance(model, str) else model
        self.quotes = suggest_quotes if "quotes" in self.sources else None

    def suggest(self, text: str) -> list[Suggestion]:
        """The suggestions for ``text``: entities flat, in text order, then quotes by content start."""
        found: list[Suggestion] = []
        if "gazetteer" in self.sources and self.gazetteer is not None:
            found += self.gazetteer.suggest(text)
            found += suggest_demonyms(text, registry=self.registry, targets=self.demonyms)
        if "numeric" in self.sources:
            found += suggest_numeric(text)
        if self.model is not None:
            found += self.model.suggest(text, links=self.gazetteer.targets if self.gazetteer else None)
        entities = flatten(found)
        if self.quotes is None:
            return entities
        quotes = self.quotes(text, registry=self.registry, mentions=entities)
        return entities + sorted(quotes, key=lambda q: (q.item["content"]["start"], q.item["content"]["end"]))


def suggest_document(text: str, *, registry: Mapping[str, RegistryEntry], sources: Optional[Sequence[str]] = None,
                     model: Union[None, str, SpacyModel] = None) -> list[Suggestion]:
    """Every suggestion of ``sources`` (default: ``DEFAULT_SOURCES``, and spacy with a model) for
    ``text``: entities (flat, text order), then quotes; never claims. ``model``: a spaCy pipeline's
    name or folder, or a loaded ``SpacyModel``. For many texts, build one ``Suggester``."""
    return Suggester(registry=registry, sources=sources, model=model).suggest(text)
