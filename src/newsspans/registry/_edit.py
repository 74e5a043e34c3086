"""The registry commands that write: add an entry, rename one, merge two, sort the file.

Each reads the registry strictly (``_store.load_registry``), checks what it is asked, then writes
``registry.json`` in its canonical order and, for rename and merge, every corpus file that refers
to the old id (``_files``: gold, layers, suggestions, decisions), all in one ``write_files``: all
of them or, refused or interrupted, none.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping, Optional, Sequence

from ..atomic import write_files
from ..corpus import REGISTRY, corpus_folder, dumps_canonical, read_file
from ..errors import BadInput, NewsSpansError
from ..model import RegistryEntry
from ..paths import display_path
from ._files import DECISIONS, ReadFile, read_exactly, referring_files
from ._references import repoint
from ._store import canonical, check_entity_id, check_entity_type, entry_of, load_registry, registry_bytes


@dataclass
class RegistryEdit:
    """What a registry command did (or, with ``dry_run``, would do): the entry it leaves (None for
    ``sort``), the references it repointed per kind of use, and the files written, relative to the corpus."""

    entry: Optional[RegistryEntry] = None
    repointed: Counter = field(default_factory=Counter)
    files: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.files)


def add_entity(*, corpus: Path, entity_id: str, entity_type: str, name: str, aliases: Sequence[str] = (),
               wikidata: Optional[str] = None) -> RegistryEdit:
    """Add the entry ``entity_id`` to the registry, in its place in the canonical order.
    ``BadInput`` for an id that breaks the pattern, an unknown type or what else the registry's
    schema refuses (an empty name or alias, a malformed Wikidata id); ``NewsSpansError`` for an id
    the registry has already."""
    corpus = corpus_folder(corpus)
    check_entity_id(entity_id)
    check_entity_type(entity_type)
    entries = load_registry(corpus)
    if any(e.entity_id == entity_id for e in entries):
        raise NewsSpansError(f"{display_path(corpus / REGISTRY)} has an entity {entity_id!r} already; nothing was written")
    entry = RegistryEntry(entity_id, name, entity_type, tuple(aliases), wikidata)
    data = registry_bytes(corpus, [*entries, entry])
    write_files(corpus, {REGISTRY: data})
    return RegistryEdit(canonical([entry])[0], files=[REGISTRY])


def sort_registry(*, corpus: Path, check: bool = False) -> RegistryEdit:
    """Write the registry in its canonical order (entries by id, aliases sorted); nothing when it
    is already. With ``check``, write nothing: ``files`` says whether it would be rewritten."""
    corpus = corpus_folder(corpus)
    data = registry_bytes(corpus, load_registry(corpus))
    if read_file(corpus / REGISTRY) == data:
        return RegistryEdit()
    if not check:
        write_files(corpus, {REGISTRY: data})
    return RegistryEdit(files=[REGISTRY])


def rename_entity(*, corpus: Path, old: str, new: str, dry_run: bool = False) -> RegistryEdit:
    """Give the entry ``old`` the id ``new``, and every mention, quote speaker and claimant that
    refers to it (in gold, the layers, the suggestions and the decisions) the new id, in one write."""
    corpus = corpus_folder(corpus)
    check_entity_id(new)
    entries = load_registry(corpus)
    entry = entry_of(entries, old, corpus)
    if old == new:
        raise BadInput(f"{old!r} is its own id already; nothing to rename")
    if any(e.entity_id == new for e in entries):
        raise NewsSpansError(f"{display_path(corpus / REGISTRY)} has an entity {new!r} already; to join the two, "
                             f"run `newsspans registry merge {old} INTO {new}`")
    renamed = replace(entry, entity_id=new)
    rest = [e for e in entries if e.entity_id != old]
    return _write(corpus, [*rest, renamed], renamed, {old: new}, dry_run)


def merge_entities(*, corpus: Path, source: str, target: str, dry_run: bool = False) -> RegistryEdit:
    """Merge the entry ``source`` into ``target``: ``target`` takes the aliases of both (its name
    stays; ``source``'s goes with it, as an alias is a surface form of the mentions, not a name) and
    ``source``'s Wikidata id when it has none; every reference to ``source`` is repointed to ``target``; ``source`` is removed. Refused
    (``NewsSpansError``) when the two differ in type (their mentions would then carry a label
    other than their entity's type) or have different Wikidata ids (they name two things)."""
    corpus = corpus_folder(corpus)
    entries = load_registry(corpus)
    a, b = entry_of(entries, source, corpus), entry_of(entries, target, corpus)
    if source == target:
        raise BadInput(f"cannot merge {source!r} into itself")
    if a.type != b.type:
        raise NewsSpansError(f"{source!r} is {a.type} and {target!r} is {b.type}: merged, the mentions of one would carry "
                             "another type than their entity's; correct the type of one first")
    if a.wikidata and b.wikidata and a.wikidata != b.wikidata:
        raise NewsSpansError(f"{source!r} is Wikidata {a.wikidata} and {target!r} is {b.wikidata}: two different things; "
                             "correct the Wikidata id of one first")
    merged = replace(b, aliases=tuple(sorted({*a.aliases, *b.aliases})), wikidata=b.wikidata or a.wikidata)
    rest = [e for e in entries if e.entity_id not in (source, target)]
    return _write(corpus, [*rest, merged], merged, {source: target}, dry_run)


def _write(corpus: Path, entries: list[RegistryEntry], entry: RegistryEntry, renamed: Mapping[str, str],
           dry_run: bool) -> RegistryEdit:
    """Repoint every reference ``renamed`` maps in the corpus's files, and write them with the
    registry holding ``entries``, in one step (none with ``dry_run``)."""
    edit = RegistryEdit(canonical([entry])[0])
    files = {REGISTRY: registry_bytes(corpus, entries)}
    for file in referring_files(corpus):
        read = read_exactly(corpus, file, holding=list(renamed))
        if read is None:
            continue
        counts: Counter = Counter()
        for unit in read.units:
            counts.update(ref.kind for ref in unit.references if ref.entity_id in renamed)
            unit.changed = repoint(unit.references, renamed) > 0
        if counts:
            files[file.rel] = _dumps(read)
            edit.repointed.update(counts)
    if not dry_run:
        write_files(corpus, files)
    edit.files = [REGISTRY, *sorted(rel for rel in files if rel != REGISTRY)]
    return edit


def _dumps(read: ReadFile) -> bytes:
    """The file's new bytes: a JSON file in canonical form, a decisions file one decision per line
    (the lines without a change kept byte for byte)."""
    if read.file.kind != DECISIONS:
        text = dumps_canonical(read.units[0].value)
    else:
        lines = read.text.split("\n")
        for unit in read.units:
            if unit.changed:
                lines[unit.line - 1] = json.dumps(unit.value, ensure_ascii=False, separators=(", ", ": "))
        text = "\n".join(lines)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise NewsSpansError(f"{display_path(read.path)}: holds a lone surrogate (a \\uD8xx escape), which no UTF-8 file "
                             "can; fix it first (newsspans validate)") from None
