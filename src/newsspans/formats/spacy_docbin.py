"""spaCy: a ``.spacy`` DocBin per split (spaCy is an optional extra: ``pip install newsspans[spacy]``).

Each document becomes one ``Doc`` whose ``doc.text`` is the document text exactly: the tokens are
those of the ``tokens`` config, a single space after a token is its ``whitespace_``, and any other
whitespace (line breaks, double spaces) is a whitespace token of its own, as spaCy's tokenizer
makes. Sentence starts are set from the ``sentences`` config.

- ``doc.ents``: the entity mentions, ``label_`` the OntoNotes type, ``kb_id_`` the registry id
  (empty when null), ``id_`` the global id (``<document id>:m4``);
- span groups ``quotes_content`` (label: the quote type), ``quotes_speaker`` (label ``speaker``,
  ``kb_id_`` the speaker's registry id), ``quotes_cue`` (label ``cue``) and ``claims`` (label CFS or
  UFS, ``kb_id_`` the claimant), each span's ``id_`` the global id of its quote or claim;
- ``doc.user_data["newsspans"]``: the document id, its split and its annotation record, so that
  group and cluster ids travel too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from ..dataset import global_id
from ..model import Document
from ..tokenize import AlignmentError, segment
from .base import FormatError, Report

INSTALL = "the spacy format needs spaCy, an optional extra: pip install 'newsspans[spacy]'"
SPAN_GROUPS = ("quotes_content", "quotes_speaker", "quotes_cue", "claims")


def require_spacy() -> Any:
    """The ``spacy`` module, or ``FormatError`` saying how to install it."""
    try:
        import spacy
        from spacy.tokens import DocBin  # noqa: F401
    except ImportError:
        raise FormatError(INSTALL) from None
    return spacy


def words_and_spaces(text: str, tokens: Iterable) -> tuple[list[str], list[bool], list[bool]]:
    """spaCy's ``words``/``spaces`` that rebuild ``text`` exactly, and which words are real tokens
    (not whitespace)."""
    words: list[str] = []
    spaces: list[bool] = []
    real: list[bool] = []

    def gap(stretch: str) -> None:
        if not stretch:
            return
        if words and not spaces[-1] and stretch[0] == " ":
            spaces[-1] = True
            stretch = stretch[1:]
        if stretch:
            words.append(stretch)
            spaces.append(False)
            real.append(False)

    pos = 0
    for t in tokens:
        gap(text[pos : t.start])
        words.append(t.text)
        spaces.append(False)
        real.append(True)
        pos = t.end
    gap(text[pos:])
    return words, spaces, real


def to_doc(doc: Document, *, vocab: Any, split: str) -> Any:
    """The spaCy ``Doc`` of one document (see the module docstring)."""
    from spacy.tokens import Doc, Span

    sentences = segment(doc)
    tokens = [t for s in sentences for t in s.tokens]
    words, spaces, real = words_and_spaces(doc.text, tokens)
    firsts = {s.tokens[0].start for s in sentences if s.tokens}
    sent_starts: list[bool] = []
    k, seen_real = 0, False
    for i, is_real in enumerate(real):
        # Leading whitespace belongs to the first sentence; other whitespace to the one before it.
        sent_starts.append(i == 0 or (is_real and seen_real and tokens[k].start in firsts))
        if is_real:
            k, seen_real = k + 1, True
    sd = Doc(vocab, words=words, spaces=spaces, sent_starts=sent_starts)
    if sd.text != doc.text:  # a bug, not a user's mistake
        raise AssertionError(f"{doc.id}: the spaCy Doc does not rebuild the text")

    def span(start: int, end: int, label: str, kb_id: str | None, span_id: str, where: str) -> Any:
        s = sd.char_span(start, end, alignment_mode="strict")
        if s is None:
            raise AlignmentError(f"{doc.id}: {where} {start}-{end} {doc.text[start:end]!r} does not start and end on token boundaries")
        return Span(sd, s.start, s.end, label=label, kb_id=kb_id or "", span_id=span_id)

    ann = doc.annotations
    ents = [span(m.start, m.end, m.label, m.entity_id, global_id(doc.id, m.id), f"entity mention {m.id}") for m in ann.entities]
    try:
        sd.ents = ents
    except ValueError as exc:
        raise FormatError(f"{doc.id}: spaCy refuses the entity mentions as doc.ents (do two overlap?): {exc}") from None
    groups: dict[str, list] = {name: [] for name in SPAN_GROUPS}
    for q in ann.quotes:
        qid = global_id(doc.id, q.id)
        groups["quotes_content"].append(span(q.content.start, q.content.end, q.type, None, qid, f"quote {q.id} content"))
        if q.speaker is not None:
            groups["quotes_speaker"].append(span(q.speaker.start, q.speaker.end, "speaker", q.speaker_entity_id, qid, f"quote {q.id} speaker"))
        if q.cue is not None:
            groups["quotes_cue"].append(span(q.cue.start, q.cue.end, "cue", None, qid, f"quote {q.id} cue"))
    for c in ann.claims:
        groups["claims"].append(span(c.start, c.end, c.label, c.claimant, global_id(doc.id, c.id), f"claim {c.id}"))
    for name, spans in groups.items():
        sd.spans[name] = spans
    sd.user_data["newsspans"] = {"id": doc.id, "split": split, "annotations": ann.to_dict()}
    return sd


def export(documents: Iterable[tuple[str, Document]], *, out: Path, **_: object) -> Report:
    """Write ``<split>.spacy`` per split into the folder ``out``."""
    spacy = require_spacy()
    from spacy.tokens import DocBin

    vocab = spacy.blank("en").vocab
    report = Report()
    bins: dict[str, Any] = {}
    for split, doc in documents:
        if split not in bins:
            bins[split] = DocBin(store_user_data=True)
        bins[split].add(to_doc(doc, vocab=vocab, split=split))
        ann = doc.annotations
        report.add_all(ann)
    for split, docbin in sorted(bins.items()):
        path = out / f"{split}.spacy"
        docbin.to_disk(path)
        report.files.append(path)
    return report
