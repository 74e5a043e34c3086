"""Checks of parsed corpus records: spans against the text, ids, layers, references.

Each function returns problems as values (see ``newsspans.problems``). They run only on items
that passed their JSON Schema, and each check runs only on what the checks it depends on
accepted: a span whose offsets are wrong takes no part in the overlap, duplicate, quotation-mark,
order or alias checks, so one mistake gives one problem, not a cascade.
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence, Union

from ..corpus import text_controls
from ..labels import AUTHOR_CLAIMANT, ENTITY_ID_LABELS, GOLD
from ..model import LAYERS, Annotations, DocumentMeta, Quote, RegistryEntry, Span, id_number
from ..paths import display_path
from ._jsonloc import line_of
from ._problems import Problem

PathItem = Union[str, int]


QUOTATION_MARKS = "\"“”„‟‘’‚‛«»‹›"
#: Final punctuation a clause span (a claim, an indirect quote's content) leaves out.
SENTENCE_END = ".!?"
#: The id prefix of each layer's items (the schema's id patterns): m1, q1, c1.
ID_PREFIX = {"entities": "m", "quotes": "q", "claims": "c"}
_ID_LABELS = frozenset(ENTITY_ID_LABELS)


_MARK = re.compile(f"[{re.escape(QUOTATION_MARKS)}]")
_THAT = re.compile(r"that\s+")
_EXPECTED_IDS: dict[str, list[str]] = {prefix: [] for prefix in ID_PREFIX.values()}


def quotation_marks_in(text: str, start: int, end: int) -> list[int]:
    """Positions of the quotation marks in ``text[start:end]``. A ’ (or ‘) between two letters or
    digits is an apostrophe ("Iran’s", "don’t"), not a mark."""
    if _MARK.search(text, start, end) is None:
        return []  # the common case
    found = []
    for match in _MARK.finditer(text, start, end):
        i = match.start()
        if text[i] in "’‘" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
            continue
        found.append(i)
    return found


def expected_ids(prefix: str, n: int) -> list[str]:
    """``[prefix1, …, prefixN]``, the ids of a layer of ``n`` items numbered in order."""
    ids = _EXPECTED_IDS[prefix]
    while len(ids) < n:
        ids.append(f"{prefix}{len(ids) + 1}")
    return ids[:n]


def descents(keys: Sequence[tuple[int, object]]) -> Iterator[tuple[int, int]]:
    """``(k, j)`` for each position ``k`` (given as ``(k, key)`` pairs in file order) whose key is
    less than a key listed above it; ``j`` is the first such earlier position, before which it belongs."""
    maxes: list = []
    owners: list[int] = []
    for k, key in keys:
        if maxes and key < maxes[-1]:
            yield k, owners[bisect.bisect_right(maxes, key)]
            maxes.append(maxes[-1])
            owners.append(owners[-1])
        else:
            maxes.append(key)
            owners.append(k)


def nearest_occurrence(text: str, needle: str, near: int) -> Optional[int]:
    """Start of the occurrence of ``needle`` in ``text`` closest to ``near``, or None."""
    best = None
    i = text.find(needle)
    while i != -1:
        if best is None or abs(i - near) < abs(best - near):
            best = i
        if i > near:
            break
        i = text.find(needle, i + 1)
    return best


def check_span(text: str, span: Span) -> Optional[tuple[str, str, Optional[str]]]:
    """The first thing wrong with ``span`` in ``text`` as (code, message, fix), or None."""
    if span.start >= span.end:
        return "E-SPAN-ORDER", f"start {span.start} is not before end {span.end}", None
    if span.end > len(text):
        return "E-SPAN-BOUNDS", f"end {span.end} is past the end of the text ({len(text)} code points)", None
    found = text[span.start : span.end]
    if found != span.text:
        fix = None
        at = nearest_occurrence(text, span.text, span.start)
        if at is not None:
            fix = f"did you mean {at}-{at + len(span.text)}?"
        return "E-SPAN-TEXT", f"stored text {span.text!r} != document text {found!r}", fix
    stripped = found.strip()
    if stripped != found:
        if not stripped:
            return "E-SPAN-WHITESPACE", f"the span {found!r} is only whitespace", None
        start = span.start + (len(found) - len(found.lstrip()))
        return "E-SPAN-WHITESPACE", f"{found!r} starts or ends with whitespace", f"did you mean {start}-{start + len(stripped)}?"
    return None


class AliasIndex:
    """Finds every registry alias in a text with one regular expression (a trie of the aliases,
    so its cost hardly grows with the registry), reporting the longest alias at each position."""

    #: The deepest nesting of groups the trie may have: each alias that is a prefix of another, and
    #: each branching, nests one more group, and Python's regex compiler recurses once per group.
    #: A registry beyond it (hundreds of aliases, each a prefix of the next) gets a flat alternation.
    MAX_NESTING = 100

    def __init__(self, registry: dict[str, RegistryEntry]):
        self.owners: dict[str, list[str]] = defaultdict(list)
        for entry in registry.values():
            for alias in entry.aliases:
                self.owners[alias].append(entry.entity_id)
        pattern, nesting = self._trie_pattern(self.owners)
        if nesting > self.MAX_NESTING:
            # Longest first: an alternation takes the first alternative that matches.
            pattern = "(?:" + "|".join(re.escape(a) for a in sorted(self.owners, key=lambda a: (-len(a), a))) + ")"
        self.regex = re.compile(f"(?=({pattern}))") if self.owners else None

    @staticmethod
    def _trie_pattern(words: Iterable[str]) -> tuple[str, int]:
        """The trie of ``words`` as a pattern, and how deep its groups nest. Written without
        recursion (an alias may be thousands of characters long) and in time linear in the
        aliases' total length."""
        trie: dict = {}
        for word in words:
            node = trie
            for ch in word:
                node = node.setdefault(ch, {})
            node[""] = {}

        out: list[str] = []
        depth = nesting = 0
        # The pattern of a node: its branches, each an escaped character and the child's pattern,
        # in "(?:...|...)" when there are several, and all in "(?:...)?" when a word ends there.
        work: list = [trie]
        while work:
            item = work.pop()
            if isinstance(item, str):
                out.append(item)
                depth -= item.count(")")
                continue
            branches = [(ch, child) for ch, child in sorted(item.items()) if ch]
            if not branches:
                continue
            opens = ["(?:"] * (("" in item) + (len(branches) > 1))
            closes = ([")"] if len(branches) > 1 else []) + ([")?"] if "" in item else [])
            out.extend(opens)
            depth += len(opens)
            nesting = max(nesting, depth)
            todo: list = []
            for i, (ch, child) in enumerate(branches):
                todo += ["|" + re.escape(ch) if i else re.escape(ch), child]
            todo += closes
            work.extend(reversed(todo))
        return "".join(out), nesting

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """``(start, end, alias)`` at each position where an alias starts, the longest alias there,
        in text order; matches at different positions may overlap ("Ingrid Sæther", "Sæther")."""
        if self.regex is None:
            return
        for match in self.regex.finditer(text):
            alias = match.group(1)
            yield match.start(), match.start() + len(alias), alias

    def find_flat(self, text: str) -> list[tuple[int, int, str]]:
        """The matches of ``find`` that no longer one overlaps, in text order: the longest first,
        then the leftmost, each kept unless it overlaps one kept before it. "Sæther" inside
        "Ingrid Sæther" is not kept, and neither is "New York" before "York Times Company"."""
        found = list(self.find(text))
        if all(a[1] <= b[0] for a, b in zip(found, found[1:])):
            return found  # the common case: no two overlap
        starts: list[int] = []  # the kept matches, sorted by start (they never overlap, so ends are sorted too)
        kept: list[tuple[int, int, str]] = []
        for s, e, alias in sorted(found, key=lambda m: (m[0] - m[1], m[0])):
            i = bisect.bisect_left(starts, s)
            if (i < len(kept) and kept[i][0] < e) or (i > 0 and kept[i - 1][1] > s):
                continue
            starts.insert(i, s)
            kept.insert(i, (s, e, alias))
        return kept


@dataclass
class Tally:
    """What the cross-document checks need, gathered document by document."""

    #: The uses of each (source, layer, cluster_id): (file, document id, path of the item's cluster_id).
    #: The source is ``gold`` or an annotator id: clusters are judged per source.
    clusters: dict[tuple[str, str, str], list[tuple[str, str, list[PathItem]]]] = field(default_factory=lambda: defaultdict(list))
    #: The registry ids referred to by a mention, a speaker or a claimant, in gold or any annotator's layer.
    used_entities: set[str] = field(default_factory=set)
    #: The surface forms of each registry id's gold mentions (for the alias check, which is about gold only).
    entity_forms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: Ids whose forms are not known for certain: a mention of theirs (or one that may be theirs,
    #: with a missing or unknown entity_id) failed its checks.
    unsure_entities: set[str] = field(default_factory=set)

    def merge(self, other: "Tally") -> None:
        """Add a worker's tally (``_reader.map_documents``): the same as having gathered it here."""
        for key, uses in other.clusters.items():
            self.clusters[key].extend(uses)
        self.used_entities |= other.used_entities
        for entity_id, forms in other.entity_forms.items():
            self.entity_forms[entity_id] |= forms
        self.unsure_entities |= other.unsure_entities


@dataclass
class DocumentInput:
    """One document's parsed files, as far as they could be read."""

    doc_id: str
    text: str
    text_sha256: str
    meta: Optional[DocumentMeta]
    meta_path: Union[str, Path]
    meta_raw: Optional[str]
    annotations: Optional[Annotations]
    indices: dict[str, list[int]]  # position in the file of each kept item, per layer
    ann_path: Union[str, Path]
    ann_raw: Optional[str]
    broken_layers: frozenset[str] = frozenset()  # layers with items left out for breaking their schema

    @property
    def meta_file(self) -> str:
        return display_path(self.meta_path)

    @property
    def ann_file(self) -> str:
        return display_path(self.ann_path)


def check_text(text: str, *, file: str, document_id: str) -> list[Problem]:
    """W-TEXT-BOM and W-TEXT-NUL: a byte-order mark at the start of a document's text, NUL
    characters in it (``corpus.text_controls``, what ``add`` refuses without ``--allow-bom`` or
    ``--allow-nul``), located at the first one."""
    return [Problem(f"W-TEXT-{c.kind.upper()}", f"the text holds {c.describe()}", file=file, line=c.line,
                    document_id=document_id, start=c.offset, end=c.offset + 1)
            for c in text_controls(text)]


def check_document(doc: DocumentInput, *, registry: Optional[dict[str, RegistryEntry]],
                   aliases: Optional[AliasIndex], tally: Optional[Tally], source: str = GOLD,
                   suggested: bool = False) -> list[Problem]:
    """Every problem of one document whose files decoded and parsed. ``source`` is whose annotation
    file ``doc`` holds: ``gold`` (``annotations/``) or an annotator's layer (``layers/<source>/``),
    which gets every check of gold's file but the alias checks (the registry's aliases are gold's
    surface forms) and has its clusters judged on their own. ``suggested``: ``doc`` holds a
    suggestions file (``suggestions/``, not gold's), whose mentions may lack an entity_id
    (E-ENT-ID-MISSING is not checked); its caller passes no ``aliases`` and no ``tally`` (a set of
    suggestions is not complete, and takes no part in the cross-document checks)."""
    problems: list[Problem] = []
    doc_id = doc.doc_id
    if doc.meta is not None and doc.meta_raw is not None:
        if doc.meta.id != doc_id:
            problems.append(Problem("E-DOC-ID", f"id {doc.meta.id!r} differs from the file name's {doc_id!r}",
                                    file=doc.meta_file, line=line_of(doc.meta_raw, ["id"]), document_id=doc_id))
        if doc.meta.sha256 != doc.text_sha256:
            problems.append(Problem("E-TEXT-SHA256", f"recorded SHA-256 {doc.meta.sha256} != text file's {doc.text_sha256}",
                                    file=doc.meta_file, line=line_of(doc.meta_raw, ["sha256"]), document_id=doc_id))
    if doc.annotations is not None and doc.ann_raw is not None:
        problems += _LayerChecks(doc, registry, aliases, tally, source, suggested).run()
    return problems


class _LayerChecks:
    def __init__(self, doc: DocumentInput, registry: Optional[dict[str, RegistryEntry]],
                 aliases: Optional[AliasIndex], tally: Optional[Tally], source: str = GOLD, suggested: bool = False):
        self.doc = doc
        self.source = source
        self.gold = source == GOLD and not suggested
        self.suggested = suggested
        self.ann = doc.annotations
        self.raw = doc.ann_raw
        self.registry = registry
        self.aliases = aliases
        self.tally = tally
        self.problems: list[Problem] = []
        self.bad_spans: set[tuple[str, int]] = set()  # (layer, kept position) whose offsets failed

    def path(self, layer: str, k: int, *rest: PathItem) -> list[PathItem]:
        return [layer, self.doc.indices[layer][k], *rest]

    def report(self, code: str, message: str, path: list[PathItem], span: Optional[Span] = None, fix: Optional[str] = None) -> None:
        item = f"{path[0]}[{path[1]}]" + "".join(f".{p}" for p in path[2:])
        self.problems.append(Problem(
            code, message, file=self.doc.ann_file, line=line_of(self.raw, path), document_id=self.doc.doc_id,
            item=item, start=None if span is None else span.start, end=None if span is None else span.end, fix=fix))

    def run(self) -> list[Problem]:
        ann = self.ann
        if ann.document_id != self.doc.doc_id:
            self.problems.append(Problem("E-DOC-ID", f"document_id {ann.document_id!r} differs from the file name's {self.doc.doc_id!r}",
                                         file=self.doc.ann_file, line=line_of(self.raw, ["document_id"]), document_id=self.doc.doc_id))
        self.spans()
        self.ids()
        self.entities()
        self.quotes()
        self.claims()
        self.order()
        self.unannotated_aliases()
        return self.problems

    # -- spans and ids -------------------------------------------------------------------
    def _all_spans(self) -> Iterator[tuple[str, int, Optional[str], Span]]:
        for k, m in enumerate(self.ann.entities):
            yield "entities", k, None, m.span
        for k, q in enumerate(self.ann.quotes):
            for part, span in q.spans().items():
                yield "quotes", k, part, span
        for k, c in enumerate(self.ann.claims):
            yield "claims", k, None, c.span

    def spans(self) -> None:
        text = self.doc.text
        n = len(text)
        for layer, k, part, span in self._all_spans():
            # The common case inline (a valid span); check_span explains anything else.
            if 0 <= span.start < span.end <= n and text[span.start : span.end] == span.text \
                    and not span.text[0].isspace() and not span.text[-1].isspace():
                continue
            wrong = check_span(text, span)
            if wrong is not None:
                code, message, fix = wrong
                path = self.path(layer, k) if part is None else self.path(layer, k, part)
                self.report(code, message, path, span, fix)
                self.bad_spans.add((layer, k))

    def ids(self) -> None:
        seen: dict[str, list[PathItem]] = {}
        issued = self._issued()
        for layer in LAYERS:
            items = getattr(self.ann, layer)
            ids = [x.id for x in items]
            expected = expected_ids(ID_PREFIX[layer], len(ids))
            in_sequence = ids == expected
            if issued is not None and (not in_sequence or len(ids) > issued[layer]):  # in sequence: the highest is len(ids)
                self._id_issued(layer, items, issued[layer])
            if in_sequence:
                continue  # the common case: unique, and in sequence (the schema gives each layer its own prefix)
            duplicate = False
            for k, x in enumerate(items):
                if x.id in seen:
                    self.report("E-ID-DUPLICATE", f"id {x.id!r} is already used at line {line_of(self.raw, seen[x.id])}",
                                self.path(layer, k))
                    duplicate = True
                else:
                    seen[x.id] = self.path(layer, k)
            if not duplicate and layer not in self.doc.broken_layers and not self._gaps_only(layer, ids, issued):
                self._id_sequence(layer, items, ids, expected)  # (else positions or ids are already wrong)

    @staticmethod
    def _gaps_only(layer: str, ids: list[str], issued: Optional[dict[str, int]]) -> bool:
        """Whether the ids, in text order, only skip numbers: increasing, none above ``issued``. With
        the counter recorded, a gap is a deleted item's id (never issued again), not a mistake."""
        if issued is None:
            return False
        numbers = [id_number(layer, i) for i in ids]
        return (all(n is not None for n in numbers) and all(a < b for a, b in zip(numbers, numbers[1:]))
                and (not numbers or numbers[-1] <= issued[layer]))

    def _issued(self) -> Optional[dict[str, int]]:
        """The file's ``issued`` counters per layer, as the reader took them from the file (the value
        passed the schema); None for annotations that did not come from a file."""
        return dict(self.ann.issued) if self.ann.issued_recorded else None

    def _id_issued(self, layer: str, items: Sequence, limit: int) -> None:
        """E-ID-ISSUED: no id of the layer is numbered above ``issued[layer]``; reported once per
        layer, at the highest id."""
        cut = len(ID_PREFIX[layer])
        above = sorted((int(x.id[cut:]), k) for k, x in enumerate(items) if x.id[cut:].isdigit() and int(x.id[cut:]) > limit)
        if not above:
            return
        highest, k = above[-1]
        more = f" ({len(above) - 1} more id(s) of this layer above it)" if len(above) > 1 else ""
        self.report("E-ID-ISSUED", f"id {items[k].id!r} is above issued.{layer} = {limit}, the highest number the file "
                    f"records as issued for {layer}{more}", self.path(layer, k, "id"),
                    fix=f"set issued.{layer} to {highest}")

    def _id_sequence(self, layer: str, items: Sequence, ids: list[str], expected: list[str]) -> None:
        """W-ID-ORDER: the k-th item of the layer has the id m<k> (q<k>, c<k>); reported once per layer."""
        prefix = ID_PREFIX[layer]
        wrong = [k for k, (found, wanted) in enumerate(zip(ids, expected)) if found != wanted]
        k = wrong[0]
        more = f" ({len(wrong) - 1} more id(s) of this layer out of sequence)" if len(wrong) > 1 else ""
        self.report("W-ID-ORDER", f"id {items[k].id!r} where the numbering {prefix}1, {prefix}2, … in text order gives "
                    f"{prefix}{k + 1}{more}", self.path(layer, k, "id"),
                    fix=f"renumber the ids {prefix}1…{prefix}{len(items)} in text order, unless the document is released "
                        "(ids are never reused: then keep them)")

    def _duplicates(self, layer: str, spans: Sequence[tuple[int, Span]]) -> set[int]:
        first: dict[tuple[int, int], int] = {}
        dup = set()
        for k, span in spans:
            key = (span.start, span.end)
            if key in first:
                other = self.doc.indices[layer][first[key]]
                self.report("E-SPAN-DUPLICATE", f"same span as {layer}[{other}]", self.path(layer, k), span)
                dup.add(k)
            else:
                first[key] = k
        return dup

    # -- layers --------------------------------------------------------------------------
    def entities(self) -> None:
        good = [(k, m.span) for k, m in enumerate(self.ann.entities) if ("entities", k) not in self.bad_spans]
        dup = self._duplicates("entities", good)
        last_k, last_end = None, -1
        for k, span in sorted(((k, s) for k, s in good if k not in dup), key=lambda x: (x[1].start, x[1].end)):
            if last_k is not None and span.start < last_end:
                other = self.ann.entities[last_k]
                self.report("E-ENT-OVERLAP", f"overlaps entities[{self.doc.indices['entities'][last_k]}] "
                            f"{other.start}-{other.end} {other.text!r}", self.path("entities", k), span)
                self.bad_spans.add(("entities", k))
            if span.end > last_end:
                last_k, last_end = k, span.end
        missing_aliases: set[tuple[str, str]] = set()  # reported once per document
        bad = self.bad_spans
        registry = self.registry
        tally = self.tally
        for k, m in enumerate(self.ann.entities):
            entity_id = m.entity_id
            linked = m.label in _ID_LABELS
            if entity_id is None:
                if linked and not self.suggested:
                    self.report("E-ENT-ID-MISSING", f"a {m.label} mention needs an entity_id", self.path("entities", k, "entity_id"),
                                m.span, self._suggest_entity(m.text))
                    self._unsure_of(m.text)  # whichever entity it should link to lost a form
                continue
            if not linked:
                self.report("E-ENT-ID-FORBIDDEN", f"a {m.label} mention carries no entity_id, got {entity_id!r}",
                            self.path("entities", k, "entity_id"), m.span, "set it to null")
            if tally is not None:
                tally.used_entities.add(entity_id)
            if registry is None:
                continue
            entry = registry.get(entity_id)
            if entry is None:
                self.report("E-ENT-REF", f"{entity_id!r} is not in the registry", self.path("entities", k, "entity_id"), m.span,
                            self._suggest_entity(m.text, entity_id))
                self._unsure_of(m.text)
                continue
            if not linked:
                continue  # E-ENT-ID-FORBIDDEN: its text is no form of the entity
            good = not bad or ("entities", k) not in bad
            if entry.type != m.label:
                self.report("E-ENT-TYPE", f"label {m.label} != registry type {entry.type} of {entity_id!r}",
                            self.path("entities", k, "label"), m.span, f"did you mean {entry.type!r}?")
            elif self.gold and good and m.text not in entry.aliases and (entity_id, m.text) not in missing_aliases:
                missing_aliases.add((entity_id, m.text))
                self.report("W-REG-ALIAS-MISSING", f"{m.text!r} is not among the aliases of {entity_id!r}",
                            self.path("entities", k, "text"), m.span,
                            f"add {m.text!r} to the aliases of {entity_id!r} in registry.json (in sorted order)")
            if tally is not None and self.gold:
                if good:
                    tally.entity_forms[entity_id].add(m.text)
                else:
                    tally.unsure_entities.add(entity_id)

    def quotes(self) -> None:
        text = self.doc.text
        good = [(k, q.content) for k, q in enumerate(self.ann.quotes) if ("quotes", k) not in self.bad_spans]
        self._duplicates("quotes", good)
        groups: dict[str, list[int]] = defaultdict(list)
        for k, q in enumerate(self.ann.quotes):
            if q.group_id is not None:
                groups[q.group_id].append(k)
            if q.cluster_id is not None and self.tally is not None:
                self.tally.clusters[(self.source, "quotes", q.cluster_id)].append((self.doc.ann_file, self.doc.doc_id, self.path("quotes", k, "cluster_id")))
            if q.speaker_entity_id is not None:
                self._use(q.speaker_entity_id)
                if self.registry is not None and q.speaker_entity_id not in self.registry:
                    speaker_text = q.speaker.text if q.speaker else ""
                    self.report("E-QUOTE-SPEAKER-REF", f"{q.speaker_entity_id!r} is not in the registry",
                                self.path("quotes", k, "speaker_entity_id"), q.speaker,
                                self._suggest_entity(speaker_text, q.speaker_entity_id))
                if q.speaker is None:
                    self._speaker_missing(k, q)
            if ("quotes", k) in self.bad_spans:
                continue
            c = q.content
            enclosed = True
            if q.type == "direct":
                before = text[c.start - 1] if c.start > 0 else ""
                after = text[c.end] if c.end < len(text) else ""
                if not before or before not in QUOTATION_MARKS or not after or after not in QUOTATION_MARKS:
                    enclosed = False
                    self.report("E-QUOTE-MARKS", f"direct content is preceded by {before!r} and followed by {after!r}, "
                                "not by quotation marks", self.path("quotes", k, "content"), c, self._suggest_marks(c))
            if enclosed:
                self._quote_content(k, q.type, c)
            for part in ("speaker", "cue"):
                s = getattr(q, part)
                if s is not None and s.start < c.end and c.start < s.end:
                    self.report("E-QUOTE-OVERLAP", f"the {part} {s.start}-{s.end} {s.text!r} overlaps the content {c.start}-{c.end}",
                                self.path("quotes", k, part), s)
        for group_id, members in sorted(groups.items()):
            if len(members) == 1:
                self.report("W-QUOTE-GROUP", f"group_id {group_id!r} has a single member", self.path("quotes", members[0], "group_id"))

    def _speaker_missing(self, k: int, q: Quote) -> None:
        """E-QUOTE-SPEAKER-MISSING: a speaker_entity_id resolves a speaker span, so a quote without one
        has none. The fix names the mention of that entity nearest the cue (else the content), outside
        the content: the speaker span it may have lost."""
        entity_id, c = q.speaker_entity_id, q.content
        near = q.cue.start if q.cue is not None else c.start
        found = [(min(abs(m.start - near), abs(m.end - near)), k2, m) for k2, m in enumerate(self.ann.entities)
                 if m.entity_id == entity_id and ("entities", k2) not in self.bad_spans and (m.end <= c.start or c.end <= m.start)]
        fix = "annotate the speaker span, or set speaker_entity_id to null"
        if found:
            _, k2, m = min(found, key=lambda x: (x[0], x[2].start))
            fix = (f"annotate the speaker span (the nearest mention of {entity_id!r} is {m.text!r} at {m.start}-{m.end}, "
                   f"entities[{self.doc.indices['entities'][k2]}]), or set speaker_entity_id to null")
        self.report("E-QUOTE-SPEAKER-MISSING", f"speaker_entity_id {entity_id!r} is set, but the speaker is null",
                    self.path("quotes", k, "speaker_entity_id"), c, fix)

    def _quote_content(self, k: int, type_: str, c: Span) -> None:
        """The guidelines' content rules (4.2) that the text can show: quotation marks that do
        not fit the type, and an indirect content's leading "that" and final punctuation."""
        text = self.doc.text
        marks = quotation_marks_in(text, c.start, c.end)
        wrong = None  # (message, fix)
        if type_ == "direct" and marks:
            wrong = (f"the direct content holds the quotation mark {text[marks[0]]!r} at {marks[0]}",
                     f"end the content at {marks[0]} and make the rest a quote of its own with the same group_id, "
                     "unless it is a quote inside the quote")
        elif type_ == "indirect" and marks:
            wrong = (f"the indirect content holds the quotation mark {text[marks[0]]!r} at {marks[0]}",
                     "make it a mixed quote if the marks quote the speaker's words")
        elif type_ == "mixed" and not marks:
            wrong = ("the mixed content holds no quotation mark", "make it an indirect quote, or extend the content to the quoted words")
        if wrong is not None:
            self.report("W-QUOTE-TYPE-MARKS", wrong[0], self.path("quotes", k, "content"), c, wrong[1])
        if type_ != "indirect":
            return
        lead = _THAT.match(c.text)
        if lead and lead.end() < len(c.text):
            self.report("W-QUOTE-THAT", "the indirect content starts with the complementizer 'that'",
                        self.path("quotes", k, "content"), c, f"did you mean {c.start + lead.end()}-{c.end}?")
        if c.text[-1] in SENTENCE_END:
            self._sentence_end(self.path("quotes", k, "content"), c)

    def _sentence_end(self, path: list[PathItem], span: Span) -> None:
        if span.text[-1] not in SENTENCE_END:
            return
        kept = span.text.rstrip(SENTENCE_END).rstrip()
        fix = f"did you mean {span.start}-{span.start + len(kept)}?" if kept else None
        self.report("W-SPAN-PUNCT", f"the span ends with the sentence punctuation {span.text[-1]!r}", path, span, fix)

    def claims(self) -> None:
        good = [(k, c.span) for k, c in enumerate(self.ann.claims) if ("claims", k) not in self.bad_spans]
        self._duplicates("claims", good)
        for k, span in good:
            if span.text[-1] in SENTENCE_END:
                self._sentence_end(self.path("claims", k), span)
        for k, c in enumerate(self.ann.claims):
            if c.cluster_id is not None and self.tally is not None:
                self.tally.clusters[(self.source, "claims", c.cluster_id)].append((self.doc.ann_file, self.doc.doc_id, self.path("claims", k, "cluster_id")))
            if c.claimant == AUTHOR_CLAIMANT:
                continue
            self._use(c.claimant)
            if self.registry is not None and c.claimant not in self.registry:
                author = AUTHOR_CLAIMANT in c.claimant.split("-")  # "the-author": the article's own voice
                self.report("E-CLAIM-CLAIMANT", f"{c.claimant!r} is neither {AUTHOR_CLAIMANT!r} nor a registry id",
                            self.path("claims", k, "claimant"), c.span,
                            f"did you mean {AUTHOR_CLAIMANT!r}?" if author else self._suggest_entity("", c.claimant))

    def order(self) -> None:
        """W-ITEM-ORDER: each layer is listed in text order (by start; quotes by content start).
        Items whose offsets failed take no part."""
        bad = self.bad_spans
        for layer in LAYERS:
            items = getattr(self.ann, layer)
            if len(items) < 2:
                continue
            starts = [x.content.start for x in items] if layer == "quotes" else [x.start for x in items]
            keyed = [(k, s) for k, s in enumerate(starts) if (layer, k) not in bad] if bad else None
            kept = starts if keyed is None else [s for _, s in keyed]
            if kept == sorted(kept):
                continue  # the common case
            for k, j in descents(keyed if keyed is not None else list(enumerate(starts))):
                span = items[k].content if layer == "quotes" else items[k].span
                other = self.doc.indices[layer][j]
                self.report("W-ITEM-ORDER", f"starts at {starts[k]}, before {items[j].id} (at {starts[j]}), "
                            "which is listed above it", self.path(layer, k), span, f"move it up, before {layer}[{other}]")

    def unannotated_aliases(self) -> None:
        if self.aliases is None or self.registry is None:
            return
        if "entities" in self.doc.broken_layers or any(layer == "entities" for layer, _ in self.bad_spans):
            return  # broken mentions cannot tell what is covered
        mentions = sorted((m.start, m.end) for m in self.ann.entities)
        starts = [s for s, _ in mentions]
        for s, e, alias in self.aliases.find_flat(self.doc.text):  # the longest only, never overlapping
            i = bisect.bisect_right(starts, s) - 1
            if i >= 0 and mentions[i][1] >= e:
                continue  # inside a mention (flat mentions: only the nearest one can cover it)
            owners = self.aliases.owners[alias]
            entry = self.registry[owners[0]]
            self.problems.append(Problem(
                "W-ENT-UNANNOTATED", f"{alias!r}, an alias of {', '.join(repr(o) for o in owners)}, is not covered by a mention",
                file=self.doc.ann_file, line=line_of(self.raw, ["entities"]), document_id=self.doc.doc_id,
                item="text", start=s, end=e, fix=f"annotate {s}-{e} as {entry.type} with entity_id {entry.entity_id!r}"))

    # -- helpers -------------------------------------------------------------------------
    def _use(self, entity_id: str) -> None:
        if self.tally is not None:
            self.tally.used_entities.add(entity_id)

    def _unsure_of(self, surface: str) -> None:
        """A broken link: the entities having ``surface`` as an alias may have lost a use of it."""
        if self.tally is not None and self.aliases is not None and self.gold:
            self.tally.unsure_entities.update(self.aliases.owners.get(surface, ()))

    def _suggest_entity(self, surface: str, wrong_id: Optional[str] = None) -> Optional[str]:
        if self.registry is None:
            return None
        if surface:
            having = [e.entity_id for e in self.registry.values() if surface in e.aliases]
            if len(having) == 1:
                return f"the registry id with that alias is {having[0]!r}"
            if having:
                return f"the registry ids with that alias are {', '.join(map(repr, having))}"
        if wrong_id:
            close = difflib.get_close_matches(wrong_id, list(self.registry), n=1, cutoff=0.6)
            if close:
                return f"did you mean {close[0]!r}?"
        return None

    def _suggest_marks(self, c: Span) -> Optional[str]:
        text = self.doc.text
        i, j = c.start, c.end
        while i < j and text[i] in QUOTATION_MARKS:
            i += 1
        while j > i and text[j - 1] in QUOTATION_MARKS:
            j -= 1
        if (i, j) != (c.start, c.end) and i > 0 and j < len(text) and text[i - 1] in QUOTATION_MARKS and text[j] in QUOTATION_MARKS:
            return f"did you mean {i}-{j} (inside the marks)?"
        return None


def check_registry(entries: Sequence[RegistryEntry], raw: str, file: str) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for i, e in enumerate(entries):
        if e.entity_id in seen:
            first = line_of(raw, ["entities", seen[e.entity_id]])
            problems.append(Problem("E-ID-DUPLICATE", f"entity_id {e.entity_id!r} is already defined at line {first}",
                                    file=file, line=line_of(raw, ["entities", i]), item=f"entities[{i}]"))
        else:
            seen[e.entity_id] = i
    for i, j in descents([(i, e.entity_id) for i, e in enumerate(entries)]):
        problems.append(Problem("W-REG-ORDER", f"{entries[i].entity_id!r} is listed after {entries[j].entity_id!r}",
                                file=file, line=line_of(raw, ["entities", i]), item=f"entities[{i}]",
                                fix=f"move it up, before entities[{j}] (the entries are sorted by entity_id)"))
    return problems


def cross_document_problems(tally: Tally, registry_ids: Optional[list[str]], registry_raw: Optional[str],
                            registry_file: str, read_raw) -> list[Problem]:
    """Warnings that need the whole corpus: clusters in one document only (of gold, or of one
    annotator's layers), registry entries never used (by gold or any layer), aliases no gold mention
    uses. ``read_raw(file)`` gives a file's text again, to locate the few items reported."""
    problems = []
    single = []
    for (source, layer, cluster_id), uses in sorted(tally.clusters.items(), key=lambda x: (x[0][0] != GOLD, x[0])):
        if len({doc_id for _, doc_id, _ in uses}) == 1:
            file, doc_id, path = uses[0]
            message = (f"cluster_id {cluster_id!r} is used by this {layer[:-1]} only" if len(uses) == 1 else
                       f"cluster_id {cluster_id!r} is used in this document only (by {len(uses)} {layer})")
            if source != GOLD:
                message += f", among the layers of {source!r}"
            single.append((file, path, doc_id, message))
    # Located file by file, each file read once (its problems come in cluster order, not file order).
    lines: list[int] = [0] * len(single)
    raw, raw_file = "", None
    for k in sorted(range(len(single)), key=lambda k: single[k][0]):
        file, path = single[k][:2]
        if file != raw_file:
            raw, raw_file = read_raw(file), file
        lines[k] = line_of(raw, path)
    for k, (file, path, doc_id, message) in enumerate(single):
        problems.append(Problem("W-CLUSTER-SINGLE", message, file=file, line=lines[k], document_id=doc_id,
                                item=f"{path[0]}[{path[1]}].cluster_id"))
    if registry_ids is not None and registry_raw is not None:
        uses = tally.used_entities
        entries = None
        for i, entity_id in enumerate(registry_ids):
            if entity_id not in uses:
                problems.append(Problem("W-REG-UNUSED", f"{entity_id!r} is never referred to by a mention, speaker or claimant",
                                        file=registry_file, line=line_of(registry_raw, ["entities", i]), item=f"entities[{i}]"))
                continue
            if entity_id in tally.unsure_entities:
                continue  # a mention that may be its own failed its checks
            if entries is None:
                entries = json.loads(registry_raw)["entities"]  # the aliases, once (the registry passed its schema)
            forms = tally.entity_forms.get(entity_id, set())
            for a, alias in enumerate(entries[i]["aliases"]):
                if alias not in forms:
                    problems.append(Problem(
                        "W-REG-ALIAS-UNUSED", f"alias {alias!r} of {entity_id!r} is the text of none of its mentions",
                        file=registry_file, line=line_of(registry_raw, ["entities", i, "aliases", a]),
                        item=f"entities[{i}].aliases[{a}]", fix="remove it from the aliases, or annotate its mentions"))
    return problems
