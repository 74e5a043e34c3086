"""Entity suggestions from an installed spaCy pipeline (``--model NAME_OR_PATH``; optional extra
``newsspans[spacy]``). spaCy is imported only here and only when a model is asked for; nothing is
ever downloaded: the name must be an installed package or a pipeline folder.

Labels: a pipeline's NER labels are mapped to the 18 types. A pipeline with OntoNotes labels (it
has GPE: spaCy's ``en_core_web_*``) gets ``LABEL_MAP``: each label to itself (and PER -> PERSON, MISC
dropped). One without GPE has CoNLL-2003 or WikiNER labels and gets ``CONLL_LABEL_MAP``: PER ->
PERSON, ORG -> ORG, LOC -> GPE (most LOC mentions in news are countries and cities) and MISC
dropped (it has no single type). A label the map does not name is dropped. A JSON file
``{"LABEL": "TYPE" or null}`` overrides the map label by label.

Spans are trimmed by the guidelines' rules that a statistical model often breaks: a leading "the"
(names only, guideline 2.1), a final possessive 's, quotation marks and whitespace at either end. An
id-carrying type gets the ``entity_id`` of the registry alias equal to its text with that type,
else null (a new name for the annotator to link). The score is ``SCORE``: spaCy's NER gives none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional, Union

from ..errors import BadInput, NewsSpansError
from ..labels import ENTITY_ID_LABELS, ENTITY_LABELS
from ..paths import display_path
from ..validation import QUOTATION_MARKS
from ._model import Suggestion

SCORE = 0.5
#: A model's label -> one of the 18 types, or None (dropped).
LABEL_MAP: dict[str, Optional[str]] = {**{label: label for label in ENTITY_LABELS}, "PER": "PERSON", "MISC": None}
#: The map of a pipeline whose labels are CoNLL-2003's or WikiNER's (no GPE).
CONLL_LABEL_MAP: dict[str, Optional[str]] = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE", "MISC": None}
_NUMERIC = frozenset(ENTITY_LABELS) - frozenset(ENTITY_ID_LABELS) - {"WORK_OF_ART", "LANGUAGE"}
_POSSESSIVE = ("'s", "\u2019s")
SPACY_MISSING = "spaCy is not installed: `pip install 'newsspans[spacy]'` to use --model"


def read_label_map(path: Union[str, Path]) -> dict[str, Optional[str]]:
    """The overrides of the JSON file at ``path``."""
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInput(f"{display_path(path)}: cannot read the label map ({exc})") from None
    if not isinstance(value, dict) or not all(v is None or v in ENTITY_LABELS for v in value.values()):
        raise BadInput(f"{display_path(path)}: a label map is a JSON object of model labels to one of "
                       f"{', '.join(ENTITY_LABELS)} or null")
    return value


def trim(text: str, start: int, end: int, label: str) -> tuple[int, int]:
    """The span without what the guidelines leave outside it."""
    changed = True
    while changed and start < end:
        changed = False
        while start < end and (text[start].isspace() or text[start] in QUOTATION_MARKS):
            start, changed = start + 1, True
        while end > start and (text[end - 1].isspace() or text[end - 1] in QUOTATION_MARKS):
            end, changed = end - 1, True
        if label not in _NUMERIC and text.startswith(("the ", "The "), start) and end - start > 4:
            start, changed = start + 4, True
        if text.endswith(_POSSESSIVE, start, end) and end - start > 2:
            end, changed = end - 2, True
    return start, end


@dataclass
class SpacyModel:
    """A loaded pipeline, its source name and its label map."""

    nlp: Any
    source: str
    label_map: dict[str, Optional[str]] = field(default_factory=lambda: dict(LABEL_MAP))

    def suggest(self, text: str, *, links: Optional[Mapping[str, Optional[tuple[str, str, float]]]] = None) -> list[Suggestion]:
        """The pipeline's entities of ``text``, mapped and trimmed (possibly overlapping the other
        sources' suggestions: the pipeline flattens them). ``links``: alias -> (type, entity_id, score)
        or None, as ``Gazetteer.targets``, to fill in the ``entity_id``."""
        try:
            doc = self.nlp(text)
        except ValueError as exc:  # E088: longer than nlp.max_length
            raise NewsSpansError(f"{self.source} cannot read a text of {len(text)} characters: {exc}") from None
        out = []
        for ent in doc.ents:
            label = self.label_map.get(ent.label_)
            if label is None:
                continue
            start, end = trim(text, ent.start_char, ent.end_char, label)
            if start >= end:
                continue
            surface = text[start:end]
            entity_id = None
            if label in ENTITY_ID_LABELS and links:
                target = links.get(surface)
                if target is not None and target[0] == label:
                    entity_id = target[1]
            item = {"start": start, "end": end, "text": surface, "label": label, "entity_id": entity_id}
            out.append(Suggestion("entities", item, self.source, SCORE))
        return out


def load_model(name_or_path: str, *, label_map: Optional[Mapping[str, Optional[str]]] = None) -> SpacyModel:
    """Load an installed spaCy pipeline (a package name or a folder) that has a component setting
    entities, with its default label map (``default_label_map``) overridden by ``label_map``. Raises ``NewsSpansError`` when spaCy is not installed, ``BadInput`` when there is no
    such pipeline or it sets no entities."""
    try:
        import spacy
    except ImportError:
        raise NewsSpansError(SPACY_MISSING) from None
    try:
        nlp = spacy.load(name_or_path)
    except (OSError, ValueError) as exc:
        raise BadInput(f"no spaCy pipeline {name_or_path!r} is installed (nothing is downloaded: install the package "
                       f"or give a pipeline folder): {' '.join(str(exc).split())[:200]}") from None
    if not any("doc.ents" in nlp.get_pipe_meta(name).assigns for name in nlp.pipe_names):
        raise BadInput(f"the spaCy pipeline {name_or_path!r} has no component that sets entities (ner, entity_ruler)")
    meta = nlp.meta
    source = f"spacy:{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}@{meta.get('version', '0.0.0')}"
    return SpacyModel(nlp, source, {**default_label_map(_labels(nlp)), **(label_map or {})})


def _labels(nlp: Any) -> set[str]:
    """The entity labels of the pipeline's components that set entities."""
    out: set[str] = set()
    for name in nlp.pipe_names:
        if "doc.ents" in nlp.get_pipe_meta(name).assigns:
            out.update(getattr(nlp.get_pipe(name), "labels", ()) or ())
    return out


def default_label_map(labels: set[str]) -> dict[str, Optional[str]]:
    """``LABEL_MAP`` for a pipeline with OntoNotes labels (GPE among them), else ``CONLL_LABEL_MAP``."""
    return dict(LABEL_MAP) if "GPE" in labels or not labels & set(CONLL_LABEL_MAP) else dict(CONLL_LABEL_MAP)
