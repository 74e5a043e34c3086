"""Suggestions: pre-annotation from the registry, rules and optional spaCy pipelines, kept apart
from gold (``corpus/suggestions/``, never written into gold; docs/suggestions.md).

``suggest_document`` gives one text's suggestions (``Suggester`` for many texts); ``suggest`` writes
a corpus's suggestions files; ``evaluate_suggestions`` measures them against gold. The suggesters:
``suggest_gazetteer`` (registry aliases), ``suggest_demonyms``, ``suggest_numeric`` (dates, times,
numbers), ``load_model`` (a spaCy pipeline), ``suggest_quotes`` (``_quotes``); ``flatten`` is the one
rule that keeps entity suggestions from overlapping.
"""

from ._demonyms import DEMONYMS, suggest_demonyms
from ._evaluate import METRICS, EvaluationRow, EvaluationTally, StoredEvaluation, evaluate_stored, evaluate_suggestions
from ._flat import SOURCE_ORDER, flatten
from ._gazetteer import GLUED_WORDS, Gazetteer, suggest_gazetteer
from ._model import Suggestion
from ._numeric import suggest_numeric
from ._pipeline import DEFAULT_SOURCES, SOURCES, Suggester, resolve_sources, suggest_document
from ._quotes import SCORES as QUOTE_SCORES
from ._quotes import SOURCE_DIRECT, SOURCE_INDIRECT, suggest_quotes
from ._report import format_json, format_markdown, format_text
from ._run import SuggestResult, suggest
from ._spacy import CONLL_LABEL_MAP, LABEL_MAP, SPACY_MISSING, SpacyModel, default_label_map, load_model, read_label_map
from ._store import SUGGESTER, read_suggestions, suggestion_value, suggestions_in

__all__ = [
    "CONLL_LABEL_MAP", "DEFAULT_SOURCES", "DEMONYMS", "EvaluationRow", "GLUED_WORDS", "Gazetteer", "LABEL_MAP", "METRICS", "SOURCES",
    "SOURCE_ORDER", "SPACY_MISSING", "SUGGESTER", "StoredEvaluation", "EvaluationTally", "suggestions_in", "evaluate_stored", "SpacyModel", "SuggestResult", "Suggester", "Suggestion", "evaluate_suggestions",
    "default_label_map", "flatten", "format_json", "format_markdown", "format_text", "load_model", "read_label_map", "QUOTE_SCORES", "SOURCE_DIRECT", "SOURCE_INDIRECT",
    "read_suggestions", "resolve_sources", "suggest", "suggest_demonyms", "suggest_document", "suggest_gazetteer",
    "suggest_numeric", "suggest_quotes", "suggestion_value",
]
