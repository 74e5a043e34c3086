"""Reading spaCy DocBins back into the corpus: the reader behind ``newsspans import spacy``
(``spacy_docbin.import_``; what is read, and from where, is in ``spacy_docbin``'s docstring).

Each ``Doc`` is one document: ``read_doc`` finds its id, gives its text to the core
(``ImportRun.new_document``: an existing document must have exactly that text, a new one is
created with ``--new-documents``), reads ``doc.ents`` and the four span groups into the model and
hands the result to ``ImportRun.accept``. A DocBin has no lines, so every ``Source`` names the file,
the ``Doc``'s position in it (from 0) and the span: ``train.spacy: doc 3 (a1): ent 2 PER 0-9``.
Nothing is guessed: a quote part that no content span claims, or two parts of one kind claiming
the same quote, is an error at that span.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from ..labels import AUTHOR_CLAIMANT, ID_PREFIXES
from ..model import Annotations, Claim, EntityMention, Quote, Span, id_number
from ..paths import display_path
from ._mapping import LabelMapper
from .base import FormatError
from .importer import ErrorList, FreshIds, ImportRun, Parsed, Source, SourceMap
from .spacy_docbin import CLAIMS, DOC_ID_KEY, QUOTES_CONTENT, QUOTES_CUE, QUOTES_SPEAKER, SPAN_GROUPS, USER_DATA


@dataclass(frozen=True)
class DocPlace:
    """Where one ``Doc`` is: its DocBin file (as shown), its position in it, and once known the
    document id it carries."""

    file: str
    index: int
    stem: str
    doc_id: Optional[str] = None

    @property
    def name(self) -> str:
        """``doc 3 (a1)``, or ``doc 3`` before its id is known."""
        return f"doc {self.index}" + (f" ({self.doc_id})" if self.doc_id else "")

    @property
    def part(self) -> str:
        """How the import names this part of the source (``data/train.spacy doc 3``)."""
        return f"{self.file} doc {self.index}"

    def source(self, label: str = "") -> Source:
        return Source(self.file, None, label, context=self.name)


def docbin_files(src: Path) -> list[Path]:
    """The DocBins of ``src``: the file itself, or the ``*.spacy`` files under a folder, its
    subfolders' too (an export's split of many documents is a folder of them), in path order;
    names starting with a dot are skipped, as spaCy's own reader skips them."""
    if src.is_file():
        return [src]
    if src.is_dir():
        files = sorted(p for p in src.rglob("*.spacy")
                       if p.is_file() and not any(part.startswith(".") for part in p.relative_to(src).parts))
        if not files:
            raise FormatError(f"{display_path(src)}: no .spacy files (a DocBin per file, as `newsspans export spacy` writes them)")
        return files
    raise FormatError(f"{display_path(src)}: no such file or folder")


def load_docs(path: Path, vocab: Any) -> list[Any]:
    """Every ``Doc`` of the DocBin at ``path``, in order; ``FormatError`` when it is not one."""
    from spacy.tokens import DocBin

    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError(f"{shown}: cannot be read: {exc.strerror or exc}") from None
    try:
        return list(DocBin().from_bytes(data).get_docs(vocab))
    except Exception as exc:  # zlib's, msgpack's and spaCy's own errors all mean the same here
        why = (str(exc).splitlines() or [""])[0][:200]
        raise FormatError(f"{shown}: not a spaCy DocBin ({type(exc).__name__}: {why}); give a .spacy file written by "
                          "DocBin.to_disk, or a folder of them") from None


def read_file(run: ImportRun, path: Path, annotator: Optional[str] = None) -> None:
    """Import every ``Doc`` of the DocBin at ``path`` into ``run``, each error kept by the run.

    The file's Docs are made with a vocabulary of its own, and each Doc is dropped once read, the
    vocabulary with the last: a vocabulary keeps every string it has seen, so one shared by every
    file would grow with the source (about 10 KB a document) and the import's memory with it."""
    from spacy.vocab import Vocab

    docs: list[Any] = []
    with run.document():
        docs = load_docs(path, Vocab())
    shown = display_path(path)
    for n in range(len(docs)):
        doc, docs[n] = docs[n], None
        with run.document():
            read_doc(run, doc, DocPlace(shown, n, path.stem), annotator)


def document_id(doc: Any, place: DocPlace) -> object:
    """The document id of ``doc``: the export's record (``user_data["newsspans"]["id"]``), else
    ``user_data["doc_id"]``, else ``<file stem>-<position>``."""
    record = doc.user_data.get(USER_DATA)
    if record is not None:
        if not isinstance(record, dict) or "id" not in record:
            raise FormatError(place.source().error(f"user_data[{USER_DATA!r}] is not the record `newsspans export spacy` "
                                                   "writes (a dict with the document's 'id'); remove it, or give the id "
                                                   f"as user_data[{DOC_ID_KEY!r}]"))
        return record["id"]
    if DOC_ID_KEY in doc.user_data:
        return doc.user_data[DOC_ID_KEY]
    return f"{place.stem}-{place.index}"


def read_doc(run: ImportRun, doc: Any, place: DocPlace, annotator: Optional[str] = None) -> None:
    """Import one ``Doc`` into ``run`` (the gold, or ``annotator``'s layer); raises ``FormatError``."""
    whole = place.source()
    try:
        data = doc.text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise FormatError(whole.error(f"the text holds a lone surrogate at character {exc.start}; texts are UTF-8")) from None
    doc_id = run.new_document(document_id(doc, place), data, whole, place.part)
    place = DocPlace(place.file, place.index, place.stem, doc_id)
    text = run.text(doc_id, Path(place.file))
    reader = _DocReader(doc, place, run.labels, run.used_ids(doc_id, annotator))
    parsed = reader.build()
    for name in doc.spans:
        if name not in SPAN_GROUPS:
            n = len(doc.spans[name])
            what = f"{place.part}: span group {name!r} ({n} span{'s' if n != 1 else ''})"
            run.report.ignore("other span groups", what)
            run.report.notes.append(f"{what} not imported: only {', '.join(SPAN_GROUPS)} are read")
    if reader.foreign:
        run.report.notes.append(place.source().error(
            f"{reader.foreign} span id(s) (id_) are not ids of {doc_id} as `newsspans export spacy` writes them "
            f"({doc_id}:m1, {doc_id}:q1, {doc_id}:c1); those items were given fresh ids"))
    run.accept(parsed, text, annotator=annotator)


class _DocReader:
    """The model's items made of one ``Doc``'s spans, with their sources and ids."""

    def __init__(self, doc: Any, place: DocPlace, labels: LabelMapper, used: set[str]):
        self.doc, self.place, self.labels = doc, place, labels
        self.errors = ErrorList()
        self.sources = SourceMap(place.source())
        self.record = self._record()
        self.foreign = 0
        # Every id the Doc's spans carry is taken before any fresh id is given.
        taken = set(used)
        for layer, spans in (("entities", doc.ents), ("quotes", self.group(QUOTES_CONTENT)), ("claims", self.group(CLAIMS))):
            taken.update(i for i in (self.own_id(s, layer) for s in spans) if i is not None)
        self.ids = FreshIds(taken)

    def build(self) -> Parsed:
        entities, quotes, claims = self.entities(), self.quotes(), self.claims()
        self.errors.raise_if_any()
        assert self.place.doc_id is not None
        return Parsed(Annotations(self.place.doc_id, tuple(entities), tuple(quotes), tuple(claims)), self.sources)

    def group(self, name: str) -> list[Any]:
        return list(self.doc.spans[name]) if name in self.doc.spans else []

    def _record(self) -> dict[tuple[str, str], dict]:
        """The quotes and claims of the export's annotation record (``user_data["newsspans"]
        ["annotations"]``) by ``(layer, id)``: where their group and cluster ids travel (msgpack
        gives its lists back as tuples)."""
        record = self.doc.user_data.get(USER_DATA)
        ann = record.get("annotations") if isinstance(record, dict) else None
        if ann is None:
            return {}
        if not isinstance(ann, dict) or not all(isinstance(ann.get(layer, []), (list, tuple)) for layer in ("quotes", "claims")):
            self.errors.add(self.place.source(), f"user_data[{USER_DATA!r}]['annotations'] is not the annotation record "
                                                 "`newsspans export spacy` writes")
            return {}
        return {(layer, x["id"]): x for layer in ("quotes", "claims") for x in ann.get(layer, [])
                if isinstance(x, dict) and isinstance(x.get("id"), str)}

    def own_id(self, span: Any, layer: str) -> Optional[str]:
        """The local id in the span's ``id_`` when it is ``<this document>:<id of the layer>``."""
        prefix = f"{self.place.doc_id}:"
        local = span.id_[len(prefix):] if span.id_.startswith(prefix) else None
        return local if id_number(layer, local) is not None else None

    def id_of(self, span: Any, layer: str) -> str:
        """The span's own id, else a fresh one (counting an ``id_`` that is not ours)."""
        local = self.own_id(span, layer)
        if local is None:
            self.foreign += bool(span.id_)
            local = self.ids.fresh(ID_PREFIXES[layer])
        return local

    def extra(self, span: Any, layer: str) -> tuple[dict, Optional[Source]]:
        """The record's item of the span's quote or claim, and where it is."""
        local = self.own_id(span, layer)
        item = self.record.get((layer, local)) if local is not None else None
        if item is None:
            return {}, None
        return item, self.place.source(f"user_data[{USER_DATA!r}] {layer} {local}")

    def span(self, s: Any) -> Span:
        return Span(s.start_char, s.end_char, self.doc.text[s.start_char:s.end_char])

    def where(self, group: str, k: int, s: Any) -> Source:
        return self.place.source(f"{group} {k} {s.label_} {s.start_char}-{s.end_char}")

    def entities(self) -> list[EntityMention]:
        out: list[EntityMention] = []
        for k, ent in enumerate(self.doc.ents):
            src = self.where("ent", k, ent)
            label = self.labels.map(ent.label_, src)
            if label is None:  # dropped, skipped or unknown: counted by the mapper
                continue
            self.sources.add("entities", len(out), src, label=src, entity_id=src, id=src)
            out.append(EntityMention(self.id_of(ent, "entities"), ent.start_char, ent.end_char, self.span(ent).text, label,
                                     ent.kb_id_ or None))
        return out

    def parts(self, group: str, contents: dict[str, int]) -> dict[str, tuple[Any, Source]]:
        """The speaker or cue spans of ``group`` by the ``id_`` of the content span they belong to."""
        found: dict[str, tuple[Any, Source]] = {}
        part = group.removeprefix("quotes_")
        for k, s in enumerate(self.group(group)):
            src = self.where(group, k, s)
            if s.id_ not in contents:
                self.errors.add(src, f"belongs to no quote: its id_ {s.id_!r} is the id_ of no span of {QUOTES_CONTENT} "
                                     f"(the parts of a quote share its id_, as `newsspans export spacy` writes them)")
            elif s.id_ in found:
                self.errors.add(src, f"a second {part} of the quote whose id_ is {s.id_!r} (the first is "
                                     f"{found[s.id_][1].label}); a quote has one {part}")
            else:
                found[s.id_] = (s, src)
        return found

    def quotes(self) -> list[Quote]:
        contents = self.group(QUOTES_CONTENT)
        keys: dict[str, int] = {}
        for k, c in enumerate(contents):
            if c.id_ in keys:
                self.errors.add(self.where(QUOTES_CONTENT, k, c), f"its id_ {c.id_!r} is also the id_ of {QUOTES_CONTENT} "
                                                                  f"{keys[c.id_]}: which quote would a speaker or cue join?")
            elif c.id_:
                keys[c.id_] = k
        speakers, cues = self.parts(QUOTES_SPEAKER, keys), self.parts(QUOTES_CUE, keys)
        out: list[Quote] = []
        for k, c in enumerate(contents):
            src = self.where(QUOTES_CONTENT, k, c)
            speaker, speaker_src = speakers.get(c.id_, (None, None)) if c.id_ else (None, None)
            cue, cue_src = cues.get(c.id_, (None, None)) if c.id_ else (None, None)
            extra, extra_src = self.extra(c, "quotes")
            if speaker is not None:
                speaker_id, speaker_id_src = speaker.kb_id_ or None, speaker_src
            else:  # a speaker known by id alone has no span to carry it: the record does, when it has no speaker either
                speaker_id = extra.get("speaker_entity_id") if extra.get("speaker") is None else None
                speaker_id_src = extra_src
            self.sources.add("quotes", k, src, content=src, type=src, id=src, speaker=speaker_src,
                             speaker_entity_id=speaker_id_src, cue=cue_src, group_id=extra_src, cluster_id=extra_src)
            out.append(Quote(self.id_of(c, "quotes"), c.label_, self.span(c), None if speaker is None else self.span(speaker),
                             None if cue is None else self.span(cue), speaker_id, extra.get("group_id"), extra.get("cluster_id")))
        return out

    def claims(self) -> list[Claim]:
        out: list[Claim] = []
        for k, c in enumerate(self.group(CLAIMS)):
            src = self.where(CLAIMS, k, c)
            extra, extra_src = self.extra(c, "claims")
            self.sources.add("claims", k, src, label=src, claimant=src, id=src, cluster_id=extra_src)
            out.append(Claim(self.id_of(c, "claims"), c.start_char, c.end_char, self.span(c).text, c.label_,
                             c.kb_id_ or AUTHOR_CLAIMANT, extra.get("cluster_id")))
        return out
