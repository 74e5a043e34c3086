"""What the card states about the documents, their annotation, the annotators and the splits:
computed from the build's statistics, so that it is true of every release.

The hand-written notes of ``corpus/dataset.json`` follow these sentences and hold only what
cannot be computed (where the texts come from, how the guidelines were applied); ``_notes``
warns when a note states a count that these figures contradict.
"""

from __future__ import annotations

from ._splits import SPLITS, split_of
from ._stats import Stats

#: The Hub's ``annotations_creators`` value for each annotator kind of ``annotators.json``.
CREATORS = {"human": "expert-generated", "model": "machine-generated"}
#: For annotated documents whose annotator is not recorded (no annotator's layer).
UNRECORDED = "other"
#: For a release in which no document holds an annotation.
NO_ANNOTATION = "no-annotation"


def count(n: int, singular: str, plural: str = "") -> str:
    """``n`` and the noun it counts: "1 document", "3 documents"."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def splits_with_documents(stats: Stats) -> list[str]:
    """The splits that hold documents, in ``SPLITS`` order (whether or not the ``documents``
    config is built)."""
    held = stats.document_tally.documents
    return [s for s in SPLITS if held.get(s)]


def stories_per_split(stats: Stats) -> dict[str, int]:
    """How many stories each split holds (a story's documents are all in one split)."""
    per = {s: 0 for s in SPLITS}
    for story in stats.document_tally.stories:
        per[split_of(story)] += 1
    return per


def layer_annotators(stats: Stats) -> list[str]:
    """The annotators with a layer of at least one released document, by id."""
    return sorted(a for a, n in stats.document_tally.layers.items() if n)


def figures(stats: Stats) -> dict[str, int]:
    """The counts a note could state, by what they count (``_notes.NOUNS`` maps words to these)."""
    return {
        "documents": stats.documents_released(),
        "stories": len(stats.document_tally.stories),
        "annotators": len(layer_annotators(stats)),
        "languages": len(stats.languages),
        "splits": len(splits_with_documents(stats)),
    }


def annotations_creators(stats: Stats) -> list[str]:
    """The Hub's ``annotations_creators``: the kinds (``annotators.json``) of the annotators whose
    layers the gold was made from, ``other`` when some annotated document has no layer (who
    annotated it is not recorded), ``no-annotation`` when no document is annotated."""
    tally = stats.document_tally
    creators = {CREATORS[stats.annotators[a]] for a in layer_annotators(stats) if a in stats.annotators}
    if tally.unattributed:
        creators.add(UNRECORDED)
    if not creators and tally.unannotated == stats.documents_released():
        creators.add(NO_ANNOTATION)
    return sorted(creators) or [UNRECORDED]


def documents_sentence(stats: Stats) -> str:
    """The Source Data section's figures: documents, languages, stories, stated metadata."""
    tally = stats.document_tally
    languages = ", ".join(f"`{code}`" for code in sorted(stats.languages))
    return (f"This release holds {count(stats.documents_released(), 'document')} (language: {languages}) reporting "
            f"{count(len(tally.stories), 'story', 'stories')} (documents about the same event share a `story_id`). "
            f"Of these, {tally.titled} state{'s' if tally.titled == 1 else ''} a headline (`title`) and {tally.dated} "
            "a publication date (`published`), given when the text was added or stated by it; in the others these fields are null.")


def annotation_sentence(stats: Stats) -> str:
    """The Annotation process section's figures: which documents are annotated, and how."""
    tally = stats.document_tally
    n = stats.documents_released()
    text = f"Documents with gold annotations: {n - tally.unannotated} of {n}."
    if tally.unannotated:
        text += (f" Without any yet (added, not annotated; released with empty `entities`, `quotes` and `claims`): "
                 f"{tally.unannotated}.")
    if tally.layered:
        text += (f" Documents whose gold was made from annotators' layers (`corpus/layers/`): {tally.layered}, "
                 f"of which adjudicated through decisions files (`corpus/decisions/`): {tally.adjudicated}.")
    if tally.unattributed:
        text += (f" Annotated documents without an annotator's layer, so that who annotated them is not recorded: "
                 f"{tally.unattributed}.")
    return text


def annotators_section(stats: Stats) -> list[str]:
    """The annotators as ``annotators.json`` records them and the layers they made: a sentence
    and a table, and where the card's ``annotations_creators`` comes from."""
    kinds = stats.annotators
    creators = annotations_creators(stats)
    source = (f"`annotations_creators` in this card's metadata (`{'`, `'.join(creators)}`) follows from these records: "
              f"{', '.join(f'`{k}` annotators give `{v}`' for k, v in CREATORS.items())}, annotated documents without "
              f"a layer `{UNRECORDED}`, a release without annotations `{NO_ANNOTATION}`.")
    if not kinds:
        return [f"The corpus records no annotators (`corpus/annotators.json`). {source}"]
    humans = sum(1 for k in kinds.values() if k == "human")
    models = len(kinds) - humans
    lead = (f"`corpus/annotators.json` records {count(len(kinds), 'annotator')}: {count(humans, 'person', 'people')} "
            f"(`human`) and {count(models, 'model')} (`model`); {len(layer_annotators(stats))} of them made layers of "
            f"documents in this release. {source}")
    rows = ["| annotator | kind | documents with its layer |", "|---|---|---:|"]
    rows += [f"| `{a}` | {kinds[a]} | {stats.document_tally.layers.get(a, 0)} |" for a in sorted(kinds)]
    return [lead, "\n".join(rows)]


def limitations_sentence(stats: Stats) -> str:
    """The size of the release and the splits it lacks, for the limitations section."""
    held = splits_with_documents(stats)
    empty = [s for s in SPLITS if s not in held]
    names = [f"`{s}`" for s in held]
    where = f"all in {names[0]}" if len(names) == 1 else f"in {', '.join(names[:-1])} and {names[-1]}"
    missing = (f" (no {' or '.join(f'`{s}`' for s in empty)} documents: evaluate on held-out data of your own)"
               if empty else "")
    return (f"This release holds {count(stats.documents_released(), 'document')} of "
            f"{count(len(stats.document_tally.stories), 'story', 'stories')}, {where}{missing}.")


def splits_sentence(stats: Stats) -> str:
    """Documents and stories per split."""
    rows = stats.document_tally.documents
    stories = stories_per_split(stats)
    per = "; ".join(f"`{s}` {count(rows.get(s, 0), 'document')} of {count(stories[s], 'story', 'stories')}" for s in SPLITS)
    return f"Documents per split: {per}."
