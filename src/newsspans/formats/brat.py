"""brat standoff: ``<id>.txt`` + ``<id>.ann`` per document and one ``annotation.conf``.

Offsets are Python code points, end exclusive (brat's own unit: it reads the text as Unicode).
The ``.ann`` lines, in the order of the corpus annotation file:

- an entity mention: ``T1<TAB>PERSON 79 96<TAB>Masoud Pezeshkian``; its registry id as a
  normalization ``N1<TAB>Reference T1 NewsSpans:masoud-pezeshkian<TAB>Masoud Pezeshkian`` and, where
  the registry has one, its Wikidata id ``N2<TAB>Reference T1 Wikidata:Q794<TAB>Iran`` (read back
  only to check it against the registry, which is where Wikidata ids are edited);
- a quote: an event ``E1<TAB>Quote:T5 Speaker:T6 Cue:T7`` whose trigger ``T5`` (type ``Quote``) is
  the content, with ``Speaker`` and ``Cue`` text-bound arguments (each optional); attributes
  ``QuoteType`` (direct, indirect, mixed), ``Group`` and ``Cluster`` on the event; the speaker's
  registry id as a ``NewsSpans`` normalization of the speaker (of the event when there is no
  speaker span);
- a claim: ``T9<TAB>Claim 0 117<TAB>…`` with attributes ``ClaimLabel`` (CFS, UFS) and ``Cluster``;
  its claimant as a ``NewsSpans`` normalization, none meaning the author;
- the NewsSpans id of each mention, quote (on its event) and claim as its annotator note
  ``#1<TAB>AnnotatorNotes T1<TAB>m4``. An annotation added in brat has no note and gets a fresh id.

The import parses each ``.ann`` into the model, checking the brat side (line syntax, event roles,
references between annotations), then checks the result by the validator's own code path
(``importer.check``): every problem is reported at the ``.ann`` line it came from.

**Layers a file leaves out.** brat has no marker saying which layers a file holds, so a layer is
*absent* from a ``.ann`` file when the file holds no annotation of it: no text-bound annotation of
an entity type (entity mentions), no ``Quote`` event (quotes), no ``Claim`` (claims). An absent
layer keeps the corpus's annotations: an annotator who only corrected quotes may hand back a file
of quotes, and an empty file changes nothing (a note says what was kept). To delete every quote of
a document on purpose, delete them in brat and import with ``--allow-deletions``, which takes each
``.ann`` as the whole truth about its document. The document id is the file's stem, and must be
the id of a document of the corpus.

**Annotators' folders.** An export with layers (``--layers``, ``--annotators ID ...``) writes one
folder per annotator, ``<out>/<annotator>/`` with the ``.txt`` and ``.ann`` of every document it
has a layer of and its own ``annotation.conf`` (``<out>/gold/`` holds the gold, when asked). An
import reads one annotator's folder into that annotator's layer (``--annotator ID``), or, with
``--layers``, a folder holding one such folder per annotator (``gold/`` goes to the gold), all in
one write; each folder is imported exactly as a gold folder is, against that annotator's layer.

**Suggestions.** ``--suggestions`` writes the suggestions into ``<out>/suggestions/`` (``.txt``,
``.ann``, an ``annotation.conf`` whose first line marks the folder), each noted with its source and
score instead of an id (``#1<TAB>AnnotatorNotes T1<TAB>gazetteer@1 0.90``). An import never takes a
suggestion: it leaves a marked subfolder out with a note (``import brat OUT``, ``--layers``), and
refuses, in one line, files that still hold a note of a source and score. An annotator reviewing
them in brat accepts a suggestion by deleting its note and rejects one by deleting it; the files
then import as the annotator's (``--annotator ID``), each accepted item with a fresh id.

**Corpora with a schema of their own.** With a mapping that has a ``brat`` section (``--mapping
FILE``), every ``.ann`` is read in brat's general syntax instead, as a corpus with its own entity
types and attribution events (Source, Cue, Content): ``_brat_attribution`` says what becomes what
(docs/import-brat.md). Both readers share the line loop of ``_brat_read``.

**Registry ids in brat.** The export writes ``tools.conf`` (a ``[normalization]`` entry ``NewsSpans``)
and ``NewsSpans.tsv`` (the registry as brat's ``tools/norm_db_init.py`` reads it) at the top of ``out``;
once the DB is built, an annotator links a mention to a registry entry in brat's normalization
dialog, and the ``N`` line brat writes is read back as the ``entity_id`` (docs/import-brat.md).

Limits, reported at export and never silent: brat's line format cannot hold a span whose text
contains a line break, and such a corpus is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Iterable, Mapping, Optional

from .. import progress
from ..corpus import TEXTS
from ..labels import AUTHOR_CLAIMANT, CLAIM_LABELS, ENTITY_LABELS, GOLD, ID_PREFIXES, QUOTE_TYPES
from ..model import Annotations, Claim, Document, EntityMention, Quote, RegistryEntry, Span
from ..paths import display_path
from ._brat_attribution import Scheme, parse_attribution
from ._brat_read import OFFSET, Line, Malformed, read_lines
from ._layers import LayerSource, check_option_annotator
from ._suggestions import CONF_MARKER, SuggestionSource, Tally, is_suggestions_folder, note_text, refuse_undecided
from ._suggestions import FOLDER as SUGGESTIONS_FOLDER
from .base import FormatError, Report
from ._mapping import LabelMapper
from .importer import ErrorList, FreshIds, ImportOptions, ImportRun, Parsed, Source, SourceMap

CONF = "annotation.conf"
QUOTE, SPEAKER, CUE, CLAIM = "Quote", "Speaker", "Cue", "Claim"
DB, WIKIDATA = "NewsSpans", "Wikidata"
NOTE = "AnnotatorNotes"
#: brat's tool configuration, and the registry as the data its ``tools/norm_db_init.py`` builds the
#: normalization DB ``NewsSpans`` from (named after the DB: the script names the DB after the file).
TOOLS_CONF = "tools.conf"
NORM_DATA = f"{DB}.tsv"


def tools_conf() -> str:
    """brat's ``tools.conf`` for an export: the ``[normalization]`` section naming the registry's
    database, so that an annotator sets a mention's registry id in brat (the normalization dialog
    searches the names and aliases); brat requires a ``<URL>`` for each database and the registry
    has none, hence ``about:blank``. The other sections are brat's defaults."""
    return "\n".join([
        "# NewsSpans tools for brat (generated by `newsspans export brat`).",
        "[options]",
        "Validation\tvalidate:all",
        "Tokens\ttokenizer:whitespace",
        "Sentences\tsplitter:regex",
        "Annotation-log\tlogfile:<NONE>",
        "",
        "[search]",
        "",
        "[annotators]",
        "",
        "[disambiguators]",
        "",
        "[normalization]",
        f"# {DB}: the entity registry. Build its DB once, in brat's folder: python tools/norm_db_init.py PATH/{NORM_DATA}",
        f"{DB}\t<URL>:about:blank",
        "",
    ])


def norm_data(registry: Mapping[str, RegistryEntry]) -> str:
    """The registry as ``norm_db_init.py`` reads it: one line per entry, sorted by id,
    ``ID<TAB>name:Name:<name><TAB>name:Alias:<alias>...<TAB>attr:Type:<TYPE>[<TAB>info:Wikidata:<Q…>]``
    (the canonical name first: brat shows an id by its first name). ``FormatError`` for a name or
    alias holding a tab or a line break, which the line format cannot."""
    lines = []
    for entity_id in sorted(registry):
        e = registry[entity_id]
        for value in (e.name, *e.aliases):
            if any(c in value for c in "\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"):
                raise FormatError(f"registry entry {entity_id!r}: {value!r} holds a tab or a line break, which brat's "
                                  "normalization data cannot; correct it in registry.json")
        fields = [f"name:Name:{e.name}", *[f"name:Alias:{a}" for a in e.aliases if a != e.name], f"attr:Type:{e.type}"]
        if e.wikidata:
            fields.append(f"info:Wikidata:{e.wikidata}")
        lines.append("\t".join([entity_id, *fields]))
    return "".join(line + "\n" for line in lines)


def annotation_conf(*, groups: Iterable[str] = (), clusters: Iterable[str] = (), suggestions: bool = False) -> str:
    """The brat type configuration, generated from ``newsspans.labels``; the ``Group`` and
    ``Cluster`` attribute values are those in use (a brat attribute lists its values). A
    suggestions folder's starts with ``_suggestions.CONF_MARKER``."""
    extra = []
    if groups:
        extra.append(f"Group\tArg:{QUOTE}, Value:{'|'.join(sorted(set(groups), key=lambda g: int(g[1:])))}")
    if clusters:
        extra.append(f"Cluster\tArg:{QUOTE}|{CLAIM}, Value:{'|'.join(sorted(set(clusters)))}")
    return "\n".join([
        *[CONF_MARKER] * suggestions,
        "# NewsSpans types for brat (generated by `newsspans export brat`; offsets are code points).",
        "[entities]",
        *ENTITY_LABELS,
        SPEAKER,
        CUE,
        CLAIM,
        "",
        "[relations]",
        "<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>",
        "",
        "[events]",
        f"{QUOTE}\t{SPEAKER}?:{SPEAKER}, {CUE}?:{CUE}",
        "",
        "[attributes]",
        f"QuoteType\tArg:{QUOTE}, Value:{'|'.join(QUOTE_TYPES)}",
        f"ClaimLabel\tArg:{CLAIM}, Value:{'|'.join(CLAIM_LABELS)}",
        *extra,
        "",
    ])


# --- writing ----------------------------------------------------------------------------------


class _Writer:
    """The lines of one ``.ann`` file, each kind of annotation numbered from 1 in writing order."""

    def __init__(self, doc: Document, registry: dict[str, RegistryEntry],
                 provenance: Optional[Mapping[str, tuple[str, float]]] = None):
        self.doc, self.registry, self.provenance = doc, registry, provenance
        self.lines: list[str] = []
        self.counters = {"T": 0, "E": 0, "A": 0, "N": 0, "#": 0}

    def new(self, prefix: str) -> str:
        self.counters[prefix] += 1
        return f"{prefix}{self.counters[prefix]}"

    def textbound(self, kind: str, span: Span, where: str) -> str:
        if "\n" in span.text or "\r" in span.text:
            raise FormatError(f"{self.doc.id}: {where} {span.start}-{span.end} holds a line break, which a brat .ann line cannot")
        tid = self.new("T")
        self.lines.append(f"{tid}\t{kind} {span.start} {span.end}\t{span.text}")
        return tid

    def norm(self, target: str, db: str, value: str, name: Optional[str] = None) -> None:
        if name is None:
            name = self.registry[value].name if value in self.registry else value
        self.lines.append(f"{self.new('N')}\tReference {target} {db}:{value}\t{name}")

    def attr(self, name: str, target: str, value: Optional[str]) -> None:
        if value is not None:
            self.lines.append(f"{self.new('A')}\t{name} {target} {value}")

    def note(self, target: str, local_id: str) -> None:
        """The item's NewsSpans id; a suggestion's source and score instead (``gazetteer@1 0.90``)."""
        text = local_id if self.provenance is None else note_text(*self.provenance[local_id])
        self.lines.append(f"{self.new('#')}\t{NOTE} {target}\t{text}")

    def entity(self, m: EntityMention) -> None:
        tid = self.textbound(m.label, m.span, f"entity mention {m.id}")
        if m.entity_id is not None:
            self.norm(tid, DB, m.entity_id)
            entry = self.registry.get(m.entity_id)
            if entry is not None and entry.wikidata:
                self.norm(tid, WIKIDATA, entry.wikidata, entry.name)
        self.note(tid, m.id)

    def quote(self, q: Quote) -> None:
        content = self.textbound(QUOTE, q.content, f"quote {q.id} content")
        speaker = self.textbound(SPEAKER, q.speaker, f"quote {q.id} speaker") if q.speaker else None
        cue = self.textbound(CUE, q.cue, f"quote {q.id} cue") if q.cue else None
        eid = self.new("E")
        args = [f"{QUOTE}:{content}"] + ([f"{SPEAKER}:{speaker}"] if speaker else []) + ([f"{CUE}:{cue}"] if cue else [])
        self.lines.append(f"{eid}\t{' '.join(args)}")
        self.attr("QuoteType", eid, q.type)
        self.attr("Group", eid, q.group_id)
        self.attr("Cluster", eid, q.cluster_id)
        if q.speaker_entity_id is not None:
            self.norm(speaker or eid, DB, q.speaker_entity_id)
        self.note(eid, q.id)

    def claim(self, c: Claim) -> None:
        tid = self.textbound(CLAIM, c.span, f"claim {c.id}")
        self.attr("ClaimLabel", tid, c.label)
        self.attr("Cluster", tid, c.cluster_id)
        if c.claimant != AUTHOR_CLAIMANT:
            self.norm(tid, DB, c.claimant)
        self.note(tid, c.id)


def serialize(doc: Document, *, registry: dict[str, RegistryEntry],
              provenance: Optional[Mapping[str, tuple[str, float]]] = None) -> str:
    """The ``.ann`` text of one document. Raises ``FormatError`` for a span brat cannot hold. With
    ``provenance`` (item id -> source and score), the items are suggestions, noted with those."""
    writer = _Writer(doc, registry, provenance)
    for m in doc.annotations.entities:
        writer.entity(m)
    for q in doc.annotations.quotes:
        writer.quote(q)
    for c in doc.annotations.claims:
        writer.claim(c)
    return "".join(line + "\n" for line in writer.lines)


class _Folder:
    """One brat folder being written: ``<id>.txt`` and ``<id>.ann`` per document, then its
    ``annotation.conf`` with the group and cluster values in use."""

    def __init__(self, path: Path, registry: dict[str, RegistryEntry], report: Report, *, suggestions: bool = False):
        self.path, self.registry, self.report, self.suggestions = path, registry, report, suggestions
        self.groups: set[str] = set()
        self.clusters: set[str] = set()
        path.mkdir(exist_ok=True)

    def add(self, doc: Document, provenance: Optional[Mapping[str, tuple[str, float]]] = None) -> None:
        ann_text = serialize(doc, registry=self.registry, provenance=provenance)
        self.groups.update(q.group_id for q in doc.annotations.quotes if q.group_id)
        self.clusters.update(x.cluster_id for x in (*doc.annotations.quotes, *doc.annotations.claims) if x.cluster_id)
        (self.path / f"{doc.id}.txt").write_bytes(doc.text.encode("utf-8"))
        (self.path / f"{doc.id}.ann").write_bytes(ann_text.encode("utf-8"))
        self.report.files += [self.path / f"{doc.id}.txt", self.path / f"{doc.id}.ann"]
        if not self.suggestions:
            self.report.add_all(doc.annotations)

    def close(self) -> None:
        conf = annotation_conf(groups=self.groups, clusters=self.clusters, suggestions=self.suggestions)
        (self.path / CONF).write_text(conf, encoding="utf-8", newline="\n")
        self.report.files.append(self.path / CONF)


def export(documents: Iterable[tuple[str, Document]], *, out: Path, registry: dict[str, RegistryEntry],
           layers: Optional[LayerSource] = None, suggestions: Optional[SuggestionSource] = None, gold: bool = True,
           **_: object) -> Report:
    """Write ``<id>.txt`` and ``<id>.ann`` per document and ``annotation.conf`` into ``out``; with
    ``layers``, into ``out/<annotator>/`` for each annotator chosen, the documents it has a layer of.
    With ``suggestions``, the suggestions of each document that has some into ``out/suggestions/``,
    each noted with its source and score; without ``gold``, only those."""
    report = Report()
    if layers is not None and SUGGESTIONS_FOLDER in layers.annotators and suggestions is not None:
        raise FormatError(f"annotator {SUGGESTIONS_FOLDER!r} would share its folder with the suggestions; "
                          "export its layer and the suggestions separately")
    folders: dict[Optional[str], _Folder] = {}
    if gold:
        folders = {None: _Folder(out, registry, report)} if layers is None else \
            {a: _Folder(out / a, registry, report) for a in layers.annotators}
    suggested_folder = _Folder(out / SUGGESTIONS_FOLDER, registry, report, suggestions=True) if suggestions else None
    tally = Tally()
    for _split, doc in documents:
        if gold and layers is None:
            folders[None].add(doc)
        elif gold:
            for layer in layers.of(doc):
                folders[layer.annotator].add(replace(doc, annotations=layer.annotations))
        if suggestions is not None:
            found = suggestions.of(doc)
            tally.add(found)
            if found is not None and found.count:
                suggested_folder.add(replace(doc, annotations=found.annotations), found.provenance)
    for folder in [*folders.values(), *[suggested_folder] * bool(suggested_folder)]:
        folder.close()
    _write_normalization(out, registry, report)
    if suggestions is not None:
        report.notes.append(tally.note(f"in {SUGGESTIONS_FOLDER}/, each noted with its source and score"))
    return report


def _write_normalization(out: Path, registry: Mapping[str, RegistryEntry], report: Report) -> None:
    """``tools.conf`` and the registry's normalization data at the top of the export (brat reads
    ``tools.conf`` from a document's folder or the nearest folder above, so it serves every
    annotator's folder too); the import reads ``.ann`` files only and leaves both alone."""
    (out / TOOLS_CONF).write_text(tools_conf(), encoding="utf-8", newline="\n")
    (out / NORM_DATA).write_text(norm_data(registry), encoding="utf-8", newline="\n")
    report.files += [out / TOOLS_CONF, out / NORM_DATA]
    report.notes.append(f"{TOOLS_CONF} and {NORM_DATA}: to set registry ids in brat, build the {DB} normalization DB once "
                        f"in brat's folder with `python tools/norm_db_init.py PATH/{NORM_DATA}` (see docs/import-brat.md)")


# --- reading ----------------------------------------------------------------------------------

#: The kind of an ``E`` annotation (a text-bound type has no space, so this cannot be one).
EVENT = f"{QUOTE} event"
#: Text-bound types that are parts of a quote event; any other type but ``Claim`` is an entity label.
_PARTS = (QUOTE, SPEAKER, CUE)
_NOT_ENTITY = {*_PARTS, CLAIM, EVENT}
#: Each attribute, the kinds of annotation it goes on, and how a message names them.
_ATTRIBUTES = {"QuoteType": ((EVENT,), "event"), "Group": ((EVENT,), "event"),
               "Cluster": ((EVENT, CLAIM), "event or claim"), "ClaimLabel": ((CLAIM,), "claim")}


@dataclass
class _Ann:
    """The annotations of one ``.ann`` file by kind, as read line by line."""

    file: str
    textbound: dict[str, tuple[Line, str, Span]] = field(default_factory=dict)  # id -> (line, type, span)
    events: dict[str, tuple[Line, dict[str, str]]] = field(default_factory=dict)  # id -> (line, role -> T id)
    attributes: dict[str, dict[str, tuple[Line, Optional[str]]]] = field(default_factory=dict)  # target -> name -> value
    norms: dict[str, dict[str, tuple[Line, str]]] = field(default_factory=dict)  # target -> db -> id
    notes: dict[str, tuple[Line, str]] = field(default_factory=dict)  # target -> note
    order: list[str] = field(default_factory=list)  # T and E ids in file order

    def source(self, line: Line) -> Source:
        return Source(self.file, line.number, line.label, name=line.id)

    def kind(self, aid: str) -> Optional[str]:
        """``EVENT`` for an event, the type of a text-bound annotation, None for anything else."""
        if aid in self.events:
            return EVENT
        if aid in self.textbound:
            return self.textbound[aid][1]
        return None

    def line(self, aid: str) -> Line:
        return self.events[aid][0] if aid in self.events else self.textbound[aid][0]


def parse(ann_text: str, *, document_id: str, registry: dict[str, RegistryEntry], file: str = "<ann>",
          used_ids: Iterable[str] = (), labels: Optional[LabelMapper] = None) -> Parsed:
    """The annotations of one ``.ann`` file, with the line each item and field came from.

    Checks the brat side only, stage by stage (line syntax, references between annotations, the
    items they make) and raises ``FormatError`` with every problem of the first stage that has
    any, each naming the file and line; what the validator checks is left to ``importer.check``.
    ``used_ids`` are ids that a new annotation must not take (those of the corpus file it replaces).
    ``labels`` maps the entity types (``--mapping``; an entity it does not import is left out and
    counted there); without it the types are taken as they are, for the validator to judge."""
    ann = _read_lines(ann_text, file)
    role_of = _check_references(ann)
    return _Assembly(ann, role_of, registry=registry, used_ids=set(used_ids), labels=labels).build(document_id)


# -- stage 1: line syntax --


def _read_lines(ann_text: str, file: str) -> _Ann:
    ann = _Ann(file)
    read_lines(ann_text, readers={kind: partial(reader, ann=ann) for kind, reader in _READERS.items()}, source=ann.source,
               unknown=lambda line: f"annotation {line.id!r} is of a kind NewsSpans does not use (T, E, A, N and # only)")
    return ann


def _read_textbound(line: Line, ann: _Ann) -> None:
    fields = line.fields
    if len(fields) != 3:
        raise Malformed(f"expected 'T<n><TAB>TYPE START END<TAB>TEXT', got {line.raw!r}")
    head = fields[1]
    if ";" in head:
        raise Malformed(f"{line.id} is discontinuous ({head!r}); NewsSpans spans are contiguous")
    parts = head.split()
    if len(parts) != 3 or not all(OFFSET.fullmatch(p) for p in parts[1:]):
        raise Malformed(f"expected 'TYPE START END' (offsets in ASCII digits), got {head!r}")
    kind, start, end = parts[0], int(parts[1]), int(parts[2])
    line.label = f"{line.id} {kind} {start}-{end}"
    ann.textbound[line.id] = (line, kind, Span(start, end, fields[2]))
    ann.order.append(line.id)


def _read_event(line: Line, ann: _Ann) -> None:
    if len(line.fields) != 2 or not line.fields[1].strip():
        raise Malformed(f"expected 'E<n><TAB>Quote:T<n> [Speaker:T<n>] [Cue:T<n>]', got {line.raw!r}")
    roles: dict[str, str] = {}
    for k, arg in enumerate(line.fields[1].split()):
        role, _, target = arg.partition(":")
        if not target:
            raise Malformed(f"argument {arg!r} is not ROLE:ID")
        if k == 0 and role != QUOTE:
            raise Malformed(f"unknown event type {role!r}: NewsSpans has only {QUOTE} events")
        if k > 0 and role not in (SPEAKER, CUE):
            raise Malformed(f"unknown argument {role!r} of a {QUOTE} event: use {SPEAKER} and {CUE}, at most one each")
        if role in roles:
            raise Malformed(f"a {QUOTE} event has at most one {role}")
        roles[role] = target
    line.label = f"{line.id} {EVENT}"
    ann.events[line.id] = (line, roles)
    ann.order.append(line.id)


def _read_attribute(line: Line, ann: _Ann) -> None:
    parts = line.fields[1].split() if len(line.fields) >= 2 else []
    if len(line.fields) != 2 or len(parts) not in (2, 3):
        raise Malformed(f"expected 'A<n><TAB>NAME TARGET VALUE', got {line.raw!r}")
    name, target = parts[0], parts[1]
    if name not in _ATTRIBUTES:
        raise Malformed(f"unknown attribute {name!r}: NewsSpans uses {', '.join(_ATTRIBUTES)}")
    if name in ann.attributes.get(target, {}):
        raise Malformed(f"{target} already has a {name} (line {ann.attributes[target][name][0].number})")
    line.label = f"{line.id} {name} {target}"
    ann.attributes.setdefault(target, {})[name] = (line, parts[2] if len(parts) == 3 else None)


def _read_normalization(line: Line, ann: _Ann) -> None:
    parts = line.fields[1].split() if len(line.fields) >= 2 else []
    if len(line.fields) not in (2, 3) or len(parts) != 3 or parts[0] != "Reference" or ":" not in parts[2]:
        raise Malformed(f"expected 'N<n><TAB>Reference TARGET DB:ID<TAB>NAME', got {line.raw!r}")
    target = parts[1]
    db, _, value = parts[2].partition(":")
    if db not in (DB, WIKIDATA):
        raise Malformed(f"unknown normalization database {db!r}: use {DB} (registry ids) or {WIKIDATA}")
    if db in ann.norms.get(target, {}):
        raise Malformed(f"{target} already has a {db} normalization (line {ann.norms[target][db][0].number})")
    line.label = f"{line.id} Reference {target} {parts[2]}"
    ann.norms.setdefault(target, {})[db] = (line, value)


def _read_note(line: Line, ann: _Ann) -> None:
    parts = line.fields[1].split() if len(line.fields) >= 2 else []
    if len(line.fields) != 3 or len(parts) != 2 or parts[0] != NOTE:
        raise Malformed(f"expected '#<n><TAB>{NOTE} TARGET<TAB>ID', got {line.raw!r}")
    if parts[1] in ann.notes:
        raise Malformed(f"{parts[1]} already has a note (line {ann.notes[parts[1]][0].number}); its NewsSpans id is noted once")
    line.label = f"{line.id} {NOTE} {parts[1]}"
    ann.notes[parts[1]] = (line, line.fields[2].strip())


_READERS = {"T": _read_textbound, "E": _read_event, "A": _read_attribute, "M": _read_attribute,
            "N": _read_normalization, "#": _read_note}


# -- stage 2: references between annotations --


def _check_references(ann: _Ann) -> dict[str, str]:
    """Every reference resolves to an annotation of the right kind; returns the event that uses
    each quote part (T id -> E id)."""
    errors = ErrorList()
    for target, attrs in ann.attributes.items():
        for name, (line, _) in attrs.items():
            kind = ann.kind(target)
            kinds, place = _ATTRIBUTES[name]
            if kind not in kinds:
                errors.add(ann.source(line), f"attribute {name} cannot be on {target} ({kind or 'no such annotation'}); it goes on a {place}")
    for target, norms in ann.norms.items():
        for db, (line, _) in norms.items():
            problem = _misplaced_normalization(db, target, ann.kind(target))
            if problem:
                errors.add(ann.source(line), problem)
    for target, (line, _) in ann.notes.items():
        if ann.kind(target) is None:
            errors.add(ann.source(line), f"note on {target}: no such annotation")
    role_of = _event_arguments(ann, errors)
    errors.raise_if_any()
    return role_of


def _misplaced_normalization(db: str, target: str, kind: Optional[str]) -> Optional[str]:
    if kind is None:
        return f"normalization of {target}: no such annotation"
    if db == DB and kind in (QUOTE, CUE):
        return f"a registry id belongs on an entity mention, a speaker, a quote event or a claim, not on {target} ({kind})"
    if db == WIKIDATA and kind in _NOT_ENTITY:
        return f"a {WIKIDATA} id belongs on an entity mention, not on {target} ({kind})"
    return None


def _event_arguments(ann: _Ann, errors: ErrorList) -> dict[str, str]:
    role_of: dict[str, str] = {}
    for eid, (line, roles) in ann.events.items():
        for role, tid in roles.items():
            if tid not in ann.textbound:
                errors.add(ann.source(line), f"{role} argument {tid}: no such text-bound annotation")
            elif ann.kind(tid) != role:
                errors.add(ann.source(line), f"{role} argument {tid} is a {ann.kind(tid)}, not a {role}")
            elif tid in role_of:
                errors.add(ann.source(line), f"{tid} is already an argument of {role_of[tid]}; each quote has its own {role} span")
            else:
                role_of[tid] = eid
    return role_of


# -- stage 3: the items --


class _Assembly:
    """The model's items made of the annotations of one ``.ann`` file, and their sources."""

    def __init__(self, ann: _Ann, role_of: dict[str, str], *, registry: dict[str, RegistryEntry], used_ids: set[str],
                 labels: Optional[LabelMapper] = None):
        self.ann, self.role_of, self.registry, self.labels = ann, role_of, registry, labels
        self.errors = ErrorList()
        self.sources = SourceMap(Source(ann.file, None))
        self.local = self._local_ids(used_ids)

    def build(self, document_id: str) -> Parsed:
        entities: list[EntityMention] = []
        quotes: list[Quote] = []
        claims: list[Claim] = []
        for aid in self.ann.order:
            kind = self.ann.kind(aid)
            if kind == EVENT:
                quotes.append(self.quote(aid, len(quotes)))
            elif kind == CLAIM:
                claims.append(self.claim(aid, len(claims)))
            elif kind in _PARTS:
                self.check_part(aid)
            else:
                label = kind if self.labels is None else self.labels.map(kind, self.ann.source(self.ann.textbound[aid][0]))
                if label is not None:
                    entities.append(self.entity(aid, len(entities), label))
        self.errors.raise_if_any()
        return Parsed(Annotations(document_id, tuple(entities), tuple(quotes), tuple(claims)), self.sources)

    def _local_ids(self, used_ids: set[str]) -> dict[str, str]:
        """The NewsSpans id of each mention, event and claim: its note, else a fresh one."""
        prefixes: dict[str, str] = {}
        for aid in self.ann.order:
            kind = self.ann.kind(aid)
            note = self.ann.notes.get(aid)
            if kind in _PARTS:
                if note is not None:
                    self.errors.add(self.ann.source(note[0]), f"a note on {aid} ({kind}): the ids of quotes are noted on their event")
                continue
            layer = "quotes" if kind == EVENT else "claims" if kind == CLAIM else "entities"
            prefixes[aid] = ID_PREFIXES[layer]
        local = {aid: self.ann.notes[aid][1] for aid in prefixes if aid in self.ann.notes}
        ids = FreshIds(used_ids | set(local.values()))
        for aid, prefix in prefixes.items():
            if aid not in local:
                local[aid] = ids.fresh(prefix)
        return local

    def source(self, line: Optional[Line]) -> Optional[Source]:
        return None if line is None else self.ann.source(line)

    def note_source(self, aid: str) -> Optional[Source]:
        note = self.ann.notes.get(aid)
        return None if note is None else self.ann.source(note[0])

    def attr(self, target: str, name: str, *, required: bool = False) -> tuple[Optional[str], Optional[Source]]:
        """The value of attribute ``name`` of ``target``, and its source."""
        found = self.ann.attributes.get(target, {}).get(name)
        if found is None:
            if required:
                self.errors.add(self.ann.source(self.ann.line(target)), f"{target} has no {name} attribute")
            return None, None
        line, value = found
        if value is None:
            self.errors.add(self.ann.source(line), f"{name} of {target} has no value")
        return value, self.ann.source(line)

    def db_id(self, target: str) -> tuple[Optional[str], Optional[Source]]:
        """The registry id normalizing ``target``, and its source."""
        found = self.ann.norms.get(target, {}).get(DB)
        return (None, None) if found is None else (found[1], self.ann.source(found[0]))

    def entity(self, tid: str, position: int, label: str) -> EntityMention:
        line, _, span = self.ann.textbound[tid]
        entity_id, id_source = self.db_id(tid)
        self.check_wikidata(tid, entity_id)
        source = self.ann.source(line)
        self.sources.add("entities", position, source, label=source, entity_id=id_source, id=self.note_source(tid))
        return EntityMention(self.local[tid], span.start, span.end, span.text, label, entity_id)

    def check_wikidata(self, tid: str, entity_id: Optional[str]) -> None:
        """A Wikidata normalization is read back only to be compared with the registry's."""
        found = self.ann.norms.get(tid, {}).get(WIKIDATA)
        if found is None or (entity_id is not None and entity_id not in self.registry):
            return  # an unknown registry id is the validator's to report
        line, wikidata = found
        expected = self.registry[entity_id].wikidata if entity_id is not None else None
        if wikidata != expected:
            self.errors.add(self.ann.source(line), f"{WIKIDATA} id {wikidata} of {tid} differs from the registry's "
                                                   f"({expected or 'none'} for {entity_id or 'no registry id'}); "
                                                   "Wikidata ids are edited in corpus/registry.json")

    def quote(self, eid: str, position: int) -> Quote:
        line, roles = self.ann.events[eid]
        spans = {role: self.ann.textbound[tid] for role, tid in roles.items()}
        speaker_id, speaker_id_source = self.db_id(roles[SPEAKER]) if SPEAKER in roles else (None, None)
        on_event, on_event_source = self.db_id(eid)
        if speaker_id is not None and on_event is not None:
            self.errors.add(on_event_source, f"the speaker of {eid} has a registry id on both the event and the speaker span")
        quote_type, type_source = self.attr(eid, "QuoteType", required=True)
        group_id, group_source = self.attr(eid, "Group")
        cluster_id, cluster_source = self.attr(eid, "Cluster")
        part = {name: self.source(spans[role][0]) if role in spans else None
                for name, role in (("content", QUOTE), ("speaker", SPEAKER), ("cue", CUE))}
        self.sources.add("quotes", position, self.ann.source(line), **part, type=type_source,
                         speaker_entity_id=speaker_id_source or on_event_source, group_id=group_source,
                         cluster_id=cluster_source, id=self.note_source(eid))
        return Quote(self.local[eid], quote_type, spans[QUOTE][2],
                     spans[SPEAKER][2] if SPEAKER in spans else None, spans[CUE][2] if CUE in spans else None,
                     speaker_id if speaker_id is not None else on_event, group_id, cluster_id)

    def claim(self, tid: str, position: int) -> Claim:
        line, _, span = self.ann.textbound[tid]
        label, label_source = self.attr(tid, "ClaimLabel", required=True)
        claimant, claimant_source = self.db_id(tid)
        cluster_id, cluster_source = self.attr(tid, "Cluster")
        self.sources.add("claims", position, self.ann.source(line), label=label_source, claimant=claimant_source,
                         cluster_id=cluster_source, id=self.note_source(tid))
        return Claim(self.local[tid], span.start, span.end, span.text, label, claimant or AUTHOR_CLAIMANT, cluster_id)

    def check_part(self, tid: str) -> None:
        """A Quote, Speaker or Cue span must be used by an event (stage 2 made sure: by one only)."""
        line, label, _ = self.ann.textbound[tid]
        if tid not in self.role_of:
            self.errors.add(self.ann.source(line), f"{tid} ({label}) is not part of any {QUOTE} event" if label != QUOTE
                            else f"{tid} ({QUOTE}) is the trigger of no {QUOTE} event; brat makes one when you annotate a quote")


# -- the import --


def import_(src: Path, *, corpus: Path, registry: dict[str, RegistryEntry], options: Optional[ImportOptions] = None) -> Report:
    """Read every ``<id>.ann`` in ``src`` (with its ``<id>.txt``), check each by the validator's code
    path, compare the result with the corpus and write the changed annotation files, all or
    nothing (see ``ImportOptions``): the gold, ``options.annotator``'s layer, or with
    ``options.layers`` each annotator's layer from ``src/<annotator>/``. Raises ``FormatError``
    naming the file and line of every problem, ``ImportRefused`` for an import that would delete
    too much."""
    src, corpus = Path(src), Path(corpus)
    options = options or ImportOptions()
    if not src.is_dir():
        raise FormatError(f"{display_path(src)}: no such folder")
    folders = _annotator_folders(src) if options.layers else [(options.annotator, src)]
    left_out = _suggestion_folders(src)
    ann_files = {folder: sorted(p for p in folder.glob("*.ann") if p.is_file()) for _, folder in folders}
    if not any(ann_files.values()):
        why = f" (suggestions, in {display_path(left_out[0])}/, are never imported)" if left_out else ""
        raise FormatError(f"{display_path(src)}: no .ann files" + (" in its annotators' folders" if options.layers else "") + why)
    refuse_undecided(src, [p for files in ann_files.values() for p in files])
    run = ImportRun(corpus, registry, options)
    progress.stage(sum(len(files) for files in ann_files.values()))
    for folder in left_out:
        run.report.ignore("suggestions folders", display_path(folder))
        run.report.notes.append(f"{display_path(folder)}: suggestions (newsspans export brat --suggestions), not imported; "
                                "an annotator who reviewed them in brat imports their own copy")
    for annotator, folder in folders:
        run.check_annotator(annotator)
        if not ann_files[folder]:
            run.report.notes.append(f"{display_path(folder)}: no .ann files; nothing imported for {annotator or GOLD}")
        for ann_file in ann_files[folder]:
            with run.document():
                _import_file(run, ann_file, annotator)
    return run.finish()


def _annotator_folders(src: Path) -> list[tuple[Optional[str], Path]]:
    """The folders of ``--layers``: ``src/<annotator>/`` (``src/gold/``: None, the gold), by name."""
    if any(p.is_file() for p in src.glob("*.ann")):
        raise FormatError(f"{display_path(src)}: holds .ann files of its own; with --layers, each annotator's files are "
                          f"in {display_path(src)}/<annotator>/ (or import this folder with --annotator ID)")
    found: list[tuple[Optional[str], Path]] = []
    for folder in sorted(p for p in src.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if is_suggestions_folder(folder):
            continue  # noted by ``import_``
        if folder.name == GOLD:
            found.append((None, folder))
            continue
        try:
            check_option_annotator(folder.name)
        except FormatError:
            shown = "a folder named by an e-mail address" if "@" in folder.name else display_path(folder)
            raise FormatError(f"{display_path(src)}: {shown} is not named by an annotator id (a lowercase slug) or {GOLD}; "
                              "with --layers, each subfolder holds one annotator's files") from None
        found.append((folder.name, folder))
    if not found:
        raise FormatError(f"{display_path(src)}: no annotator folders; with --layers it holds one folder per annotator, "
                          f"{display_path(src)}/<annotator>/<document>.ann")
    return found


def _suggestion_folders(src: Path) -> list[Path]:
    """The suggestions folders of a brat export inside ``src``, which an import leaves out."""
    return [p for p in sorted(src.iterdir()) if p.is_dir() and not p.name.startswith(".") and is_suggestions_folder(p)]


def _import_file(run: ImportRun, ann_file: Path, annotator: Optional[str] = None) -> None:
    shown = display_path(ann_file)
    txt = ann_file.with_suffix(".txt")
    new = ann_file.stem not in run.text_ids() and txt.is_file()
    if new:  # the .txt is the new document's text, compared with nothing
        doc_id = run.new_document(ann_file.stem, _read_bytes(txt), Source(display_path(txt), None), display_path(txt),
                                  annotator=annotator)
    else:
        doc_id = run.document_id(ann_file.stem, Source(shown, None), shown, annotator=annotator)
    text = run.text(doc_id, ann_file)
    try:
        if not new and txt.is_file() and txt.read_bytes() != text.encode("utf-8"):
            raise FormatError(f"{display_path(txt)}: differs from {display_path(run.corpus / TEXTS / (doc_id + '.txt'))}; "
                              "texts are never edited, and offsets refer to the corpus text")
        ann_text = ann_file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{shown}: byte {exc.start} is not UTF-8") from None
    except OSError as exc:
        raise FormatError(f"{display_path(exc.filename or ann_file)}: cannot be read: {exc.strerror or exc}") from None
    scheme = Scheme.of(run.options.mapping)
    if scheme is None:
        parsed = parse(ann_text, document_id=doc_id, registry=run.registry, file=shown, used_ids=run.used_ids(doc_id, annotator),
                       labels=run.labels)
    else:  # a corpus with an attribution schema of its own
        groups = {q.group_id for q in run.corpus_state(doc_id, annotator).annotations.quotes if q.group_id is not None}
        parsed = parse_attribution(ann_text, document_id=doc_id, text=text, scheme=scheme, labels=run.labels,
                                   report=run.report, file=shown, used_ids=run.used_ids(doc_id, annotator), used_groups=groups)
    run.accept(parsed, text, annotator=annotator)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FormatError(f"{display_path(path)}: cannot be read: {exc.strerror or exc}") from None
