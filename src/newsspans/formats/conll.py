"""CoNLL-2003-style columns: one token per line, IOB2 tags, ``-DOCSTART-`` before each document.

**Export.** Each line is ``TOKEN -X- -X- TAG`` (CoNLL-2003's four columns; we have no part-of-speech
or chunk tags, so those hold ``-X-`` as on CoNLL-2003's own ``-DOCSTART-`` lines). A blank line ends a
sentence. Tokens and sentences are those of the ``tokens`` config. The format carries entity
mentions only; with ``label_map="conll"`` the tags use the four CoNLL-2003 classes
(``labels.ONTONOTES_TO_CONLL``) and mentions of the types that have none (dates, numbers) become
``O``: that is the published map's limit, and the report counts them. Each ``-DOCSTART-`` line
carries its document's id in the part-of-speech column (``-DOCSTART- 000_x -X- O``; readers that
skip lines starting with ``-DOCSTART-`` are unaffected), so an export imports back unchanged.

**Import** (``import_``; ``docs/import-conll.md``). A file, or a folder's ``*.conll`` and ``*.txt``
files, read by ``_conll_read``: UTF-8 with or without a byte-order mark, LF or CRLF, columns
separated by spaces or tabs, the tag in the last column, ``-DOCSTART-`` documents, blank-line
sentences, IOB1, IOB2, BIOES or BILOU tags (detected per file). A file is read twice from disk and
never held: once whole for its scheme and document count, then one document at a time, each
imported before the next is read, so memory does not grow with the file. Each document's id is
the id its ``-DOCSTART-`` line carries, else the file's name without ``.conll``/``.txt`` for a file
of one document, else ``<name>-<n>`` (n from 1, zero-padded to the width of the file's document
count).

- A document of the corpus: its tokens are aligned to its text in order, each at the text's next
  non-space character, exactly (``-LRB-`` for ``(``, or a token the text does not have, is an
  error naming the line and what the text has there, never a guess), and must cover the text.
- Any other document is created (``--new-documents``) from a text rebuilt by ``SPACING_RULE``.

Entity labels go through the run's mapping (``--mapping``). A mention at exactly the offsets and
with the type of a mention the target file holds keeps that mention's id and ``entity_id`` (CoNLL
carries neither), so a corpus exported and imported back is unchanged; any other mention gets a
fresh id and no ``entity_id``. Each mention's source is the line of its first token. Other columns
(part of speech, chunks) are not imported, and the report says so.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

from ..corpus import TEXTS
from ..labels import ONTONOTES_TO_CONLL, OUTSIDE
from ..model import Annotations, Document, EntityMention, RegistryEntry
from ..paths import display_path
from ..tokenize import bio_tags, segment
from ._conll_read import DOCSTART_TOKEN, Block, Chunk, Row, Scanned, chunks, file_blocks, read, scan_file
from .base import FormatError, Report, SplitFiles
from .importer import ImportOptions, ImportRun, KnownItems, Parsed, Source, SourceMap

DOCSTART = "-DOCSTART- -X- -X- O"
FILLER = "-X-"
LABEL_MAPS = ("ontonotes", "conll")


def _mapped(tag: str, label_map: str) -> str:
    if tag == OUTSIDE or label_map == "ontonotes":
        return tag
    prefix, label = tag.split("-", 1)
    conll = ONTONOTES_TO_CONLL[label]
    return OUTSIDE if conll is None else f"{prefix}-{conll}"


def document_lines(doc: Document, *, label_map: str = "ontonotes", report: Optional[Report] = None) -> Iterator[str]:
    """The lines of one document, ``-DOCSTART- <id> -X- O`` first, each sentence followed by a blank line."""
    yield f"{DOCSTART_TOKEN} {doc.id} {FILLER} {OUTSIDE}"
    yield ""
    for sentence in segment(doc):
        tags = bio_tags(sentence, doc.annotations.entities, document_id=doc.id)
        for token, tag in zip(sentence.tokens, tags):
            yield f"{token.text} {FILLER} {FILLER} {_mapped(tag, label_map)}"
        yield ""
    if report is not None:
        kept = sum(1 for m in doc.annotations.entities if label_map == "ontonotes" or ONTONOTES_TO_CONLL[m.label])
        report.add("entity mentions", kept)
        report.lose("entity mentions", len(doc.annotations.entities) - kept)


def export(documents: Iterable[tuple[str, Document]], *, out: Path, label_map: str = "ontonotes", **_: object) -> Report:
    """Write ``<split>.conll`` per split into the folder ``out``."""
    if label_map not in LABEL_MAPS:
        raise FormatError(f"unknown label map {label_map!r}; choose one of {', '.join(LABEL_MAPS)}")
    report = Report()
    with SplitFiles(out, ".conll", report) as files:
        for split, doc in documents:
            fh = files[split]
            for line in document_lines(doc, label_map=label_map, report=report):
                fh.write(line + "\n")
    report.notes.append("CoNLL columns carry entity mentions only; quotes and claims travel in brat, labelstudio, spacy and jsonl")
    if report.lost.get("entity mentions"):
        dropped = sorted(k for k, v in ONTONOTES_TO_CONLL.items() if v is None)
        report.notes.append(f"--label-map conll: types without a CoNLL-2003 class ({', '.join(dropped)}) are tagged O")
    return report


def parse(text: str, *, file: str = "<conll>") -> list[list[list[tuple[str, str]]]]:
    """Read CoNLL columns back (``_conll_read.read``): documents, of sentences, of ``(token, tag)``.
    Raises ``FormatError`` naming the file and line of a line that has no token and tag."""
    return [[[(row.token, row.tag) for row in sentence] for sentence in block.sentences] for block in read(text, name=file).blocks]


# --- import -------------------------------------------------------------------------------------

#: The file names a folder's import reads (a file given by name is read whatever its name).
SUFFIXES = (".conll", ".txt")
#: Tokens glued to the token before them in a rebuilt text: those made only of these characters...
CLOSING = frozenset(",.;:!?)]}\u2019'\u201d")
#: ...and the clitics (``'s``, ``’re``, ``n't``: the tokenizer's, ``newsspans.tokenize``).
CLITIC = re.compile(r"['\u2019](?:[sSdDmM]|re|RE|ve|VE|ll|LL)|[nN]['\u2019][tT]")
#: Tokens the next token is glued to: those made only of these characters.
OPENING = frozenset("([{\u2018\u201c")

#: How the text of a new document is rebuilt from its tokens (Markdown; docs/import-conll.md).
SPACING_RULE = (
    "Each sentence is one line, ending in a line feed; its tokens are joined by one space, except that no "
    "space comes before a token made only of `, . ; : ! ? ) ] }`, `’`, `'` and `”` (such as `,`, `...`, `).`) "
    "or before a clitic (`'s`, `’re`, `'ve`, `'ll`, `'d`, `'m`, `n't`), and none after a token made only of "
    "`( [ { ‘ “`. Nothing else is changed: the tokens are the text's, character for character."
)


def rebuild(sentences: Sequence[Sequence[Row]]) -> tuple[str, list[list[tuple[int, int]]]]:
    """The text of a new document by ``SPACING_RULE``, and each token's ``(start, end)`` in it, by sentence."""
    parts: list[str] = []
    offsets: list[list[tuple[int, int]]] = []
    pos = 0
    for sentence in sentences:
        spans = []
        for i, row in enumerate(sentence):
            if i and not (set(row.token) <= CLOSING or CLITIC.fullmatch(row.token) or set(sentence[i - 1].token) <= OPENING):
                parts.append(" ")
                pos += 1
            spans.append((pos, pos + len(row.token)))
            parts.append(row.token)
            pos += len(row.token)
        parts.append("\n")
        pos += 1
        offsets.append(spans)
    return "".join(parts), offsets


def align(sentences: Sequence[Sequence[Row]], text: str, *, name: str, doc_id: str,
          shown_text: str) -> list[list[tuple[int, int]]]:
    """Each token's ``(start, end)`` in ``text``: at the next non-space character, exactly. Raises
    ``FormatError`` at the line of a token that is not there, naming what the text has there, or
    at the last token when the text goes on after it."""
    offsets: list[list[tuple[int, int]]] = []
    pos = 0
    last_line = 0
    for sentence in sentences:
        spans = []
        for row in sentence:
            while pos < len(text) and text[pos].isspace():
                pos += 1
            if not text.startswith(row.token, pos):
                there = f"has {text[pos:pos + len(row.token)]!r}" if pos < len(text) else "has ended"
                raise FormatError(f"{name}:{row.line}: token {row.token!r} does not align with document {doc_id}: at offset "
                                  f"{pos} of {shown_text} the text {there}; each token must be the text's next non-space "
                                  "characters, exactly (texts are never edited)")
            spans.append((pos, pos + len(row.token)))
            pos += len(row.token)
            last_line = row.line
        offsets.append(spans)
    rest = text[pos:]
    if rest.strip():
        at = pos + len(rest) - len(rest.lstrip())
        raise FormatError(f"{name}:{last_line}: document {doc_id} ends here, but its text goes on at offset {at} of "
                          f"{shown_text} ({text[at:at + 30]!r}); a document's tokens cover its whole text")
    return offsets


def document_id(block: Block, n: int, *, count: int, stem: str) -> str:
    """The id of the ``n``-th document (from 1) of a file of ``count``: its ``-DOCSTART-`` line's, else
    ``stem`` for a file of one document, else ``<stem>-<n>`` (zero-padded to the width of ``count``)."""
    return block.id or (stem if count == 1 else f"{stem}-{n:0{len(str(count))}d}")


def import_(src: Path, *, corpus: Path, registry: dict[str, RegistryEntry], options: Optional[ImportOptions] = None) -> Report:
    """Import the CoNLL file ``src``, or every ``*.conll`` and ``*.txt`` file of the folder ``src``
    (see the module docstring): the entity mentions of each document into the gold (or
    ``options.annotator``'s layer), documents the corpus lacks created with ``new_documents``; all
    or nothing (``ImportRun``). Raises ``FormatError`` naming the file and line of every problem.

    Each file is read twice and never held (``_conll_read``): once whole for its scheme and document
    count, then one document at a time, each imported before the next is read."""
    src, corpus = Path(src), Path(corpus)
    run = ImportRun(corpus, registry, options or ImportOptions())
    tag_column = run.options.tag_column
    for path in _source_files(src):
        scanned: Optional[Scanned] = None
        with run.document():
            scanned = scan_file(path, name=display_path(path), tag_column=tag_column)
        if scanned is None:
            continue
        _note_file(run.report, scanned, tag_column)
        with run.document():  # the second reading fails only when the file changed since the first
            _import_file(run, path, scanned)
    return run.finish()


def _import_file(run: ImportRun, path: Path, scanned: Scanned) -> None:
    """Every document of the file ``scanned`` read, one at a time; each one's errors kept by the run."""
    stem = path.stem if path.suffix.lower() in SUFFIXES else path.name
    for n, block in enumerate(file_blocks(path, scanned, tag_column=run.options.tag_column), start=1):
        doc_id = document_id(block, n, count=scanned.documents, stem=stem)
        if not block.sentences:
            run.report.ignore("empty documents", f"{scanned.name}:{block.line}")
            run.report.notes.append(f"{scanned.name}:{block.line}: document {doc_id} has no tokens; nothing imported")
            continue
        with run.document():
            _import_document(run, path, scanned, block, doc_id, chunks(block.sentences, scanned.scheme))


def _source_files(src: Path) -> list[Path]:
    if src.is_file():
        return [src]
    if not src.is_dir():
        raise FormatError(f"{display_path(src)}: no such file or folder")
    files = sorted(p for p in src.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith(".") and p.is_file())
    if not files:
        raise FormatError(f"{display_path(src)}: no {' or '.join(SUFFIXES)} files")
    return files


def _note_file(report: Report, found: Scanned, tag_column: Optional[int] = None) -> None:
    n = found.documents
    what = f"tags read as {found.scheme}" if found.entities else "no entity tags"
    tag = tag_column or found.columns
    unread = [str(c) for c in range(2, found.columns + 1) if c != tag]
    other = "" if not unread else (f"; columns 2 to {found.columns - 1} (part of speech, chunks) are not imported"
                                   if tag == found.columns and len(unread) > 1 else
                                   f"; column{'s' if len(unread) > 1 else ''} {', '.join(unread)} (not the tags) not imported")
    report.notes.append(f"{found.name}: {n} document{'s' if n != 1 else ''}, {what}{other}")


def _import_document(run: ImportRun, path: Path, found: Scanned, block: Block, doc_id: str, tagged: list[Chunk]) -> None:
    """One document of a CoNLL file: its text aligned (a corpus document) or rebuilt and created
    (a new one), then its mentions checked and kept for writing."""
    annotator = run.options.annotator
    part = found.name if found.documents == 1 else f"{found.name}:{block.line}"
    source = Source(found.name, block.line, f"document {doc_id}")
    if doc_id in run.text_ids():
        doc_id = run.document_id(doc_id, source, part, annotator=annotator)
        text = run.text(doc_id, path)
        offsets = align(block.sentences, text, name=found.name, doc_id=doc_id,
                        shown_text=display_path(run.corpus / TEXTS / f"{doc_id}.txt"))
    else:
        built, offsets = rebuild(block.sentences)
        doc_id = run.new_document(doc_id, built.encode("utf-8"), source, part)
        text = run.text(doc_id, path)
    run.accept(_parsed(run, found, block, doc_id, text, offsets, tagged), text, annotator=annotator)


def _parsed(run: ImportRun, found: Scanned, block: Block, doc_id: str, text: str,
            offsets: list[list[tuple[int, int]]], tagged: list[Chunk]) -> Parsed:
    """The mentions of one document, each mapped by the run's labels (None: not imported) and
    located at the line of its first token; a mention the target file holds at the same offsets
    with the same type keeps its id and ``entity_id``, any other takes a fresh id."""
    known = KnownItems.of_document(run, doc_id, run.options.annotator)
    context = f"document {doc_id}" if found.documents > 1 else ""
    sources = SourceMap(Source(found.name, block.line, context=context))
    mentions: list[EntityMention] = []
    for chunk in tagged:
        start, end = offsets[chunk.sentence][chunk.first][0], offsets[chunk.sentence][chunk.last][1]
        row = block.sentences[chunk.sentence][chunk.first]
        whole = f" ({text[start:end]})" if chunk.last > chunk.first else ""
        source = Source(found.name, row.line, f"{row.tag} {row.token}{whole}", context)
        label = run.labels.map(chunk.label, source)
        if label is None:
            continue
        sources.add("entities", len(mentions), source)
        mentions.append(known.mention(start, end, text, label))
    return Parsed(Annotations(doc_id, entities=tuple(mentions)), sources)
