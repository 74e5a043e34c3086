"""The suggestions an export carries (``--suggestions``): ``corpus/suggestions/<document>.json``
read back as the model's items, each with its source and score (docs/suggestions.md, "In
annotation tools").

Label Studio gets them as ``predictions`` and brat as a folder of its own (``suggestions/``), with
the source and score of each as its annotator note. They are never gold: a Label Studio import
never reads ``predictions``, and a brat import refuses a file that still holds a suggestion nobody
accepted (``undecided``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from ..corpus import SUGGESTIONS, TEXTS, suggestion_documents, suggestions_file
from ..errors import NewsSpansError
from ..labels import ID_PREFIXES
from ..model import Annotations, Claim, Document, EntityMention, Quote
from ..paths import display_path
from ..suggestions import Suggestion, read_suggestions
from .base import FormatError

#: The brat folder of the suggestions, beside the gold's files (or the annotators' folders).
FOLDER = SUGGESTIONS
#: The first line of the suggestions folder's ``annotation.conf``: how an import knows the folder.
CONF_MARKER = "# NewsSpans suggestions (newsspans export brat --suggestions): never gold; not imported as they are."
#: A brat annotator note that records a suggestion's source and score (``gazetteer@1 0.90``); a
#: NewsSpans id (``m4``) never holds a space or an ``@``.
NOTE = re.compile(r"(\S+@\S+) ([01](?:\.[0-9]+)?)")
_ITEMS = {"entities": EntityMention, "quotes": Quote, "claims": Claim}


def score_text(score: float) -> str:
    """A score as a note writes it: two decimals at least (``0.90``), more when it has them."""
    text = f"{score:.6f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"


def note_text(source: str, score: float) -> str:
    """The brat annotator note of a suggestion: ``gazetteer@1 0.90``."""
    return f"{source} {score_text(score)}"


@dataclass(frozen=True)
class Suggested:
    """One document's suggestions as the model's items (ids ``m1``, ``q1``, ... in file order), and
    the ``(source, score)`` of each item by its id."""

    annotations: Annotations
    provenance: dict[str, tuple[str, float]]

    @property
    def count(self) -> int:
        return len(self.provenance)

    @property
    def mean_score(self) -> float:
        """The mean score of the items (Label Studio's prediction ``score``); 0 for none."""
        scores = [score for _, score in self.provenance.values()]
        return round(sum(scores) / len(scores), 6) if scores else 0.0


class SuggestionSource:
    """The suggestions of the documents an export carries, read from ``corpus/suggestions/``.

    ``model_version`` names every source that made a suggestion of the corpus's documents, sorted
    and joined by ``+`` (``gazetteer@1+quotes-direct@1+rules-numeric@1``): one version for the
    whole export, so that Label Studio's prelabeling (which picks the predictions of one model
    version) takes every task's. Finding it reads every suggestions file once before the export."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.documents = [d for d in suggestion_documents(self.root) if (self.root / TEXTS / f"{d}.txt").is_file()]
        if not self.documents:
            raise FormatError(f"{display_path(self.root / SUGGESTIONS)}: no suggestions stored; run `newsspans suggest` "
                              "first, or export without --suggestions")
        found = {s.source for d in self.documents for s in _read(self.root, d)}
        self.model_version = "+".join(sorted(found)) or "none"
        self._has = set(self.documents)

    def of(self, doc: Document) -> Optional[Suggested]:
        """The suggestions of ``doc``, or None when it has no suggestions file. Raises
        ``FormatError`` when a suggestion's text is not the document's (the text changed since
        ``newsspans suggest`` ran)."""
        if doc.id not in self._has:
            return None
        return suggested(doc, _read(self.root, doc.id), file=self.root / suggestions_file(doc.id))


@dataclass
class Tally:
    """How many suggestions, of how many documents, an export carried."""

    items: int = 0
    documents: int = 0
    without: int = 0

    def add(self, suggested: Optional[Suggested]) -> None:
        if suggested is None or not suggested.count:
            self.without += 1
        else:
            self.items += suggested.count
            self.documents += 1

    def note(self, how: str) -> str:
        def n(k: int, what: str) -> str:
            return f"{k} {what}{'s' if k != 1 else ''}"
        return (f"{n(self.items, 'suggestion')} of {n(self.documents, 'document')} carried {how}; "
                f"{n(self.without, 'document')} without suggestions")


def _read(root: Path, doc_id: str) -> list[Suggestion]:
    try:
        return read_suggestions(root, doc_id)
    except NewsSpansError as exc:
        raise FormatError(str(exc)) from None


def suggested(doc: Document, suggestions: Iterable[Suggestion], *, file: Path) -> Suggested:
    """``suggestions`` of ``doc`` as the model's items, numbered per layer in their order."""
    items: dict[str, list] = {layer: [] for layer in _ITEMS}
    provenance: dict[str, tuple[str, float]] = {}
    for s in suggestions:
        local = f"{ID_PREFIXES[s.layer]}{len(items[s.layer]) + 1}"
        item = _ITEMS[s.layer].from_dict({"id": local, **s.item})
        for span in _spans(item):
            if doc.text[span[0]:span[1]] != span[2]:
                raise FormatError(f"{display_path(file)}: suggestion {local} ({s.source}) gives {span[2]!r} at {span[0]}-{span[1]}, "
                                  f"where the text of {doc.id} is {doc.text[span[0]:span[1]]!r}; the text changed since the "
                                  "suggestions were made: run `newsspans suggest` again")
        items[s.layer].append(item)
        provenance[local] = (s.source, float(s.score))
    ann = Annotations(doc.id, tuple(items["entities"]), tuple(items["quotes"]), tuple(items["claims"]))
    return Suggested(ann, provenance)


def _spans(item) -> list[tuple[int, int, str]]:
    if isinstance(item, Quote):
        return [(s.start, s.end, s.text) for s in (item.content, item.speaker, item.cue) if s is not None]
    return [(item.start, item.end, item.text)]


# --- brat: reading back ------------------------------------------------------------------------


def is_suggestions_folder(folder: Path) -> bool:
    """Whether ``folder`` is the suggestions folder of a brat export (its ``annotation.conf`` says so)."""
    conf = folder / "annotation.conf"
    try:
        with conf.open("r", encoding="utf-8") as fh:
            return fh.readline().rstrip("\r\n") == CONF_MARKER
    except (OSError, UnicodeDecodeError):
        return False


_NOTE_LINE = re.compile(r"#[0-9]+\tAnnotatorNotes (\S+)\t(.*)")


def undecided(ann_files: Iterable[Path]) -> list[str]:
    """Each suggestion nobody accepted in ``ann_files``, as ``file:line: T1 gazetteer@1 0.90``: an
    annotation whose note still records a suggestion's source and score."""
    found = []
    for path in ann_files:
        try:
            lines = path.read_bytes().decode("utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            continue  # the import reports it, located
        for number, line in enumerate(lines, 1):
            m = _NOTE_LINE.fullmatch(line.rstrip("\r"))
            if m and NOTE.fullmatch(m.group(2).strip()):
                found.append(f"{display_path(path)}:{number}: {m.group(1)} {m.group(2).strip()}")
    return found


def refuse_undecided(src: Path, ann_files: Iterable[Path]) -> None:
    """Refuse, in one line, an import of brat files that still hold suggestions nobody accepted."""
    found = undecided(ann_files)
    if not found:
        return
    n = len(found)
    more = f" and {n - 1} more" if n > 1 else ""
    raise FormatError(f"{display_path(src)}: {n} suggestion{'s' if n != 1 else ''} nobody accepted ({found[0]}{more}); "
                      "suggestions are never imported: in brat, accept one by deleting its note (source and score), "
                      "reject one by deleting it, then import again")
