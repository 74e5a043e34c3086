"""spaCy: a ``.spacy`` DocBin per split (spaCy is an optional extra: ``pip install newsspans[spacy]``).

A split of more than 500 documents (``--docs-per-file N``) is a folder of DocBins instead,
``<split>/<split>-00000.spacy``..., which spaCy's training reader takes as it takes one file; the
export holds one DocBin being filled per split, never the corpus (``_spacy_shards``).

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

Beside the DocBins, ``config.cfg``: spaCy's training config for the splits written, whose corpus
readers keep these tokens (``gold_preproc``), so that no mention inside a glued word is lost to
spaCy's re-tokenization (``_spacy_config``).

**Import** (``newsspans import spacy SRC``, docs/import-spacy.md: a ``.spacy`` file or a folder of
them, its subfolders' too, as the export writes them; the reader is ``_spacy_read``) reads back
exactly that. Each ``Doc`` is one document, whose id is
``user_data["newsspans"]["id"]``, else ``user_data["doc_id"]`` (a DocBin made elsewhere may give it
there), else ``<file stem>-<position from 0>``, and whose text is ``doc.text``: a document of the
corpus must have exactly that text, a new one is created with ``--new-documents``. Offsets are
``start_char``/``end_char`` (code points, as ours).

- ``doc.ents``: entity mentions, ``label_`` through the import's label mapping (without one, only
  the 18 types: a CoNLL-style ``PER`` is refused with the labels found; CoNLL's ``LOC`` and ``ORG``
  are OntoNotes names too, so map them), ``kb_id_`` the registry id (empty: none; an id the
  registry lacks is the validator's error);
- ``quotes_content``: one quote per span, ``label_`` its type; the ``quotes_speaker`` and
  ``quotes_cue`` span with the same ``id_`` are its speaker (``kb_id_``: the speaker's registry id)
  and cue, their labels unread; a part whose ``id_`` names no content span, or a second part of one
  kind, is an error (never guessed from positions);
- ``claims``: one claim per span, ``label_`` CFS or UFS, ``kb_id_`` the claimant (empty: the author);
- ids: a span's ``id_`` ``<document id>:m4`` (``:q2``, ``:c1``) keeps its id; any other ``id_``
  (counted in a note) or none takes a fresh one; group and cluster ids, and the speaker id of a
  quote without a speaker span (which no span carries), come from the record, by id;
- other span groups are not imported (each named in a note), nor are tokens, sentences or tags. A
  layer the DocBin holds nothing of (a pipeline's DocBin with ``doc.ents`` only) keeps the corpus's.
  ``doc.ents`` come in text order, whatever the corpus file's order (``W-ITEM-ORDER``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Optional

from ..dataset import global_id
from ..model import Document, RegistryEntry
from ..tokenize import AlignmentError, segment
from ._spacy_config import CONFIG_FILE, DEV_SPLIT, TRAIN_SPLIT, training_config
from ._spacy_shards import DOCS_PER_FILE, ShardWriter
from .base import FormatError, Report
from .importer import ImportOptions, ImportRun

INSTALL = "the spacy format needs spaCy, an optional extra: pip install 'newsspans[spacy]'"
SPAN_GROUPS = ("quotes_content", "quotes_speaker", "quotes_cue", "claims")
QUOTES_CONTENT, QUOTES_SPEAKER, QUOTES_CUE, CLAIMS = SPAN_GROUPS
#: The ``doc.user_data`` key of the export's record (document id, split, annotation record).
USER_DATA = "newsspans"
#: Where a DocBin not made by the export may give a ``Doc``'s document id.
DOC_ID_KEY = "doc_id"


def require_spacy() -> Any:
    """The ``spacy`` module, or ``FormatError`` saying how to install it."""
    try:
        import spacy
        import spacy.tokens  # DocBin's module
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
    sd.user_data[USER_DATA] = {"id": doc.id, "split": split, "annotations": ann.to_dict()}
    return sd


def export(documents: Iterable[tuple[str, Document]], *, out: Path, docs_per_file: int = DOCS_PER_FILE, **_: object) -> Report:
    """Write each split's DocBin into the folder ``out``: ``<split>.spacy``, or for a split of more
    than ``docs_per_file`` documents the folder ``<split>/`` of ``<split>-00000.spacy``... of
    ``docs_per_file`` documents each (``_spacy_shards``). Documents are converted and added one at
    a time, and a full file is written at once, so memory is bounded by ``docs_per_file``, not by
    the corpus."""
    spacy = require_spacy()
    from spacy.tokens import DocBin

    report = Report()
    writer = ShardWriter(out, per_file=docs_per_file, report=report, new_docbin=lambda: DocBin(store_user_data=True),
                         new_vocab=lambda: spacy.blank("en").vocab)
    for split, doc in documents:
        shard = writer.shard(split)
        shard.add(to_doc(doc, vocab=shard.vocab, split=split))
        report.add_all(doc.annotations)
    writer.close()
    _write_config(out, writer.splits, report)
    return report


def _write_config(out: Path, splits: dict[str, Path], report: Report) -> None:
    """``config.cfg``: spaCy's training config for the splits written, read with ``gold_preproc``
    so that no gold mention is lost to spaCy's re-tokenization (``_spacy_config``)."""
    def relative(split: str) -> Optional[str]:
        return splits[split].relative_to(out).as_posix() if split in splits else None

    train, dev = relative(TRAIN_SPLIT), relative(DEV_SPLIT)
    for key, split, value in (("train", TRAIN_SPLIT, train), ("dev", DEV_SPLIT, dev)):
        if value is None:
            report.notes.append(f"{CONFIG_FILE}: the corpus has no {split} document, so [paths] {key} is null: "
                                f"spacy train needs --paths.{key} FILE")
    path = out / CONFIG_FILE
    path.write_text(training_config(train=train, dev=dev), encoding="utf-8")
    report.files.append(path)


def import_(src: Path, *, corpus: Path, registry: dict[str, RegistryEntry], options: Optional[ImportOptions] = None) -> Report:
    """Read every ``Doc`` of the DocBin ``src`` (or of each ``*.spacy`` file under the folder ``src``)
    into the corpus (see the module docstring), check each by the validator's code path, compare
    the result with the corpus and write it all or nothing (``importer.ImportRun``). Raises
    ``FormatError`` naming the file, ``Doc`` and span of every problem (first of all when spaCy is
    not installed), ``ImportRefused`` for an import that would delete too much."""
    require_spacy()
    from . import _spacy_read as reader  # imported here: it reads this module's names

    src, options = Path(src), options or ImportOptions()
    files = reader.docbin_files(src)
    run = ImportRun(Path(corpus), registry, options)
    for path in files:
        reader.read_file(run, path, options.annotator)
    return run.finish()
