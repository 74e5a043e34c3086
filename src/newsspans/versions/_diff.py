"""``newsspans diff``: what changed between two corpus states, annotation by annotation.

Matching, per document and layer, by stable id only (an id is never reused, so the same id is the
same annotation, and a new id is a new annotation): a pair whose fields differ is *changed* (the
fields are named: label, offsets, text, attributes); an old id gone from the new state is
*removed* and stays removed; a new id is *added*, never paired with a removed annotation by its
offsets, even when it re-creates one. Annotations of added or removed documents count as added or
removed. Registry entries match by ``entity_id``; documents by id, their text by SHA-256 of its
UTF-8 bytes.

Each annotation file records ``issued``, the highest id number issued per layer. Between two
states of a document the counters may only go up: a counter that went *down* means ids may have
been reused, and an added id at or below the old counter (one the old state had issued but no
longer used) *is* a reused id. ``DiffResult`` lists both (``issued_lowered``, ``Change.reused``);
``refusal`` says why no release can be made then, and ``required_bump`` raises ``IdsReused``
with it. (A state that does not record the counters, a release folder or a corpus from before
them, is compared with the highest id numbers it uses.)

``required_bump`` applies the release rule: a label-set or schema change, or a document removed
(its rows and published ids leave the dataset), is major; documents, annotations or registry
entities added are minor; anything else (corrections, annotations or registry entities removed from
a document that stays) is a patch.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from ..errors import NewsSpansError
from ..model import LAYERS, Document, id_number
from ._snapshot import Snapshot

#: How the fields of each layer are grouped in summaries.
_FIELD_GROUPS = {
    "label": "label", "type": "label",
    "start": "offsets", "end": "offsets",
    "text": "text",
    "id": "id",
}
LAYER_NAMES = {"entities": "entity mentions", "quotes": "quotes", "claims": "claims"}


class IdsReused(NewsSpansError):
    """Ids may have been reused between the two states (an ``issued`` counter went down, or an added
    id is one the old state had already issued): no version bump may release that."""


@dataclass
class Change:
    """One annotation added, removed or changed. ``fields`` maps a changed field to (old, new)."""

    document_id: str
    layer: str
    kind: str  # "added" | "removed" | "changed"
    id: str
    old: Optional[dict[str, Any]] = None
    new: Optional[dict[str, Any]] = None
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    matched_by: Optional[str] = None  # "id" for a change (the only matching there is)
    #: For an addition: its id is at or below the old state's ``issued`` counter, an id issued before.
    reused: bool = False

    def groups(self) -> list[str]:
        """Kinds of change: label, offsets, text, attributes, id."""
        found = []
        for name in self.fields:
            if name in ("content", "speaker", "cue"):
                old, new = self.fields[name]
                if (old or {}).get("start") != (new or {}).get("start") or (old or {}).get("end") != (new or {}).get("end"):
                    group = "offsets"
                else:
                    group = "text"
            else:
                group = _FIELD_GROUPS.get(name, "attributes")
            if group not in found:
                found.append(group)
        return found

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"document_id": self.document_id, "layer": self.layer, "change": self.kind, "id": self.id}
        if self.kind == "changed":
            d["matched_by"] = self.matched_by
            d["fields"] = {k: {"old": o, "new": n} for k, (o, n) in self.fields.items()}
        if self.reused:
            d["reused"] = True
        return _with_states(d, self.old, self.new)


@dataclass
class IssuedDrop:
    """An ``issued`` counter of one document's layer that went down between the two states."""

    document_id: str
    layer: str
    old: int
    new: int

    def to_dict(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "layer": self.layer, "old": self.old, "new": self.new}

    def describe(self) -> str:
        return f"{self.document_id} issued.{self.layer} {self.old} -> {self.new}"


def _with_states(d: dict[str, Any], old: Optional[dict[str, Any]], new: Optional[dict[str, Any]]) -> dict[str, Any]:
    """``d`` plus the old and new states of the item, where there are any."""
    if old is not None:
        d["old"] = old
    if new is not None:
        d["new"] = new
    return d


@dataclass
class RegistryChange:
    entity_id: str
    kind: str
    old: Optional[dict[str, Any]] = None
    new: Optional[dict[str, Any]] = None
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"entity_id": self.entity_id, "change": self.kind}
        if self.fields:
            d["fields"] = {k: {"old": o, "new": n} for k, (o, n) in self.fields.items()}
        return _with_states(d, self.old, self.new)


@dataclass
class DiffResult:
    old: Snapshot
    new: Snapshot
    documents_added: list[str] = field(default_factory=list)
    documents_removed: list[str] = field(default_factory=list)
    text_changed: list[str] = field(default_factory=list)
    metadata_changed: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    registry: list[RegistryChange] = field(default_factory=list)
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)  # layer -> {added, removed, reordered}
    schema_changed: Optional[list[str]] = None  # None: not compared (different kinds of source)
    dataset_changed: list[str] = field(default_factory=list)  # dataset.json fields other than the version
    #: ``issued`` counters that went down (only where the new state records them).
    issued_lowered: list[IssuedDrop] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.documents_added or self.documents_removed or self.text_changed or self.metadata_changed
                    or self.changes or self.registry or self.labels or self.schema_changed or self.dataset_changed
                    or self.issued_lowered)

    @property
    def reused(self) -> list[Change]:
        """Additions whose id the old state had already issued."""
        return [c for c in self.changes if c.reused]

    def refusal(self) -> Optional[str]:
        """Why no release may be made of these changes (ids may have been reused), in one line; None
        when there is no such reason."""
        if not self.issued_lowered and not self.reused:
            return None
        parts = []
        if self.issued_lowered:
            shown = "; ".join(d.describe() for d in self.issued_lowered[:5])
            more = f" and {len(self.issued_lowered) - 5} more" if len(self.issued_lowered) > 5 else ""
            parts.append(f"issued lowered ({shown}{more})")
        if self.reused:
            shown = ", ".join(f"{c.document_id} {c.id}" for c in self.reused[:5])
            more = f" and {len(self.reused) - 5} more" if len(self.reused) > 5 else ""
            parts.append(f"ids issued before used again ({shown}{more})")
        fixes = (["put the counters back (issued is never lowered)"] if self.issued_lowered else []) + \
                (["give the added annotations ids above issued (Annotations.next_id)"] if self.reused else [])
        return f"ids may have been reused since {self.old.spec}: {'; '.join(parts)} — {' and '.join(fixes)}"

    def counts(self) -> dict[str, dict[str, int]]:
        """Added/removed/changed per layer, plus documents and registry."""
        table = {"documents": {"added": len(self.documents_added), "removed": len(self.documents_removed),
                               "changed": len(set(self.text_changed) | set(self.metadata_changed))}}
        for layer in LAYERS:
            table[layer] = {k: 0 for k in ("added", "removed", "changed")}
        for c in self.changes:
            table[c.layer][c.kind] += 1
        table["registry"] = {k: sum(1 for r in self.registry if r.kind == k) for k in ("added", "removed", "changed")}
        return table

    def required_bump(self) -> tuple[str, str]:
        """The smallest version bump the release rule allows for these changes, and why. Raises
        ``IdsReused`` (with ``refusal()``) when ids may have been reused: no bump allows that."""
        refusal = self.refusal()
        if refusal is not None:
            raise IdsReused(refusal)
        return self._rule()

    def _bump(self) -> tuple[str, str]:
        """``required_bump`` for reports: ``("refused", why)`` instead of raising."""
        refusal = self.refusal()
        return ("refused", refusal) if refusal is not None else self._rule()

    def _rule(self) -> tuple[str, str]:
        if self.labels:
            return "major", "label set changed: " + "; ".join(_label_phrase(layer, d) for layer, d in self.labels.items())
        if self.schema_changed:
            return "major", "schema changed: " + ", ".join(self.schema_changed)
        if self.documents_removed:
            return "major", _removed_phrase(self.documents_removed)
        counts = self.counts()
        added = [f"{('documents' if k == 'documents' else LAYER_NAMES.get(k, 'registry entities'))} {n}"
                 for k in ("documents", *LAYERS, "registry") if (n := counts[k]["added"])]
        if added:
            return "minor", "added: " + ", ".join(added)
        if self.empty:
            return "none", "nothing changed"
        return "patch", "corrections only (nothing added)"

    def to_dict(self) -> dict[str, Any]:
        bump, reason = self._bump()
        return {
            "old": {"spec": self.old.spec, "kind": self.old.kind, "version": self.old.version},
            "new": {"spec": self.new.spec, "kind": self.new.kind, "version": self.new.version},
            "summary": self.counts(),
            "documents": {"added": self.documents_added, "removed": self.documents_removed, "text_changed": self.text_changed,
                          "metadata_changed": {d: {k: {"old": o, "new": n} for k, (o, n) in f.items()}
                                               for d, f in self.metadata_changed.items()}},
            "annotations": [c.to_dict() for c in self.changes],
            "registry": [r.to_dict() for r in self.registry],
            "labels": self.labels,
            "schema_changed": self.schema_changed,
            "dataset_changed": self.dataset_changed,
            "issued_lowered": [d.to_dict() for d in self.issued_lowered],
            "unreadable": {"old": self.old.unreadable, "new": self.new.unreadable},
            "required_bump": bump,
            "reason": reason,
        }


def _removed_phrase(documents: list[str], shown: int = 5) -> str:
    """Why removed documents take a major bump, naming the first ``shown`` of them."""
    names = ", ".join(documents[:shown]) + (f", … ({len(documents) - shown} more)" if len(documents) > shown else "")
    return (f"documents removed: {len(documents)} ({names}): their rows and published ids leave the dataset, which breaks "
            "whoever refers to them")


def _label_phrase(layer: str, d: dict[str, Any]) -> str:
    parts = []
    if d.get("added"):
        parts.append("+" + ", +".join(d["added"]))
    if d.get("removed"):
        parts.append("-" + ", -".join(d["removed"]))
    if d.get("reordered"):
        parts.append("order changed")
    return f"{layer} {' '.join(parts)}"


def _items(doc: Optional[Document], layer: str) -> list[dict[str, Any]]:
    if doc is None:
        return []
    return [x.to_dict() for x in getattr(doc.annotations, layer)]


def _offsets(layer: str, item: dict[str, Any]) -> tuple[int, int]:
    if layer == "quotes":
        return item["content"]["start"], item["content"]["end"]
    return item["start"], item["end"]


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {k: (old.get(k), new.get(k)) for k in list(old) + [k for k in new if k not in old] if old.get(k) != new.get(k)}


def diff_layer(doc_id: str, layer: str, old_doc: Optional[Document], new_doc: Optional[Document]) -> list[Change]:
    """The changes of one layer of one document, matched by id (see the module docstring)."""
    old_items, new_items = _items(old_doc, layer), _items(new_doc, layer)
    # An added id at or below the old counter was issued before the old state: reused.
    issued = old_doc.annotations.issued[layer] if old_doc is not None else None
    new_by_id = {x["id"]: x for x in new_items}
    changes: list[Change] = []
    matched_new = set()
    for o in old_items:
        n = new_by_id.get(o["id"])
        if n is None or o["id"] in matched_new:
            changes.append(Change(doc_id, layer, "removed", o["id"], old=o))
            continue
        matched_new.add(o["id"])
        fields = _field_changes(o, n)
        if fields:
            changes.append(Change(doc_id, layer, "changed", o["id"], o, n, fields, "id"))
    for n in new_items:
        if n["id"] in matched_new:
            continue
        number = id_number(layer, n["id"])
        reused = issued is not None and number is not None and number <= issued
        changes.append(Change(doc_id, layer, "added", n["id"], new=n, reused=reused))
    order = {"removed": 0, "changed": 1, "added": 2}
    changes.sort(key=lambda c: (_offsets(layer, c.new or c.old), order[c.kind]))
    return changes


def issued_drops(doc_id: str, old_doc: Document, new_doc: Document) -> list[IssuedDrop]:
    """The ``issued`` counters of a document that went down from ``old_doc`` to ``new_doc``; none
    when the new state does not record them (a release folder, a corpus from before them)."""
    if not new_doc.annotations.issued_recorded:
        return []
    old, new = old_doc.annotations.issued, new_doc.annotations.issued
    return [IssuedDrop(doc_id, layer, old[layer], new[layer]) for layer in LAYERS if new[layer] < old[layer]]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: A side of a document pair that has no such document.
_ABSENT = object()


def document_pairs(*, old: Snapshot, new: Snapshot) -> Iterator[tuple[str, Optional[Document], Optional[Document]]]:
    """``(id, old document, new document)`` for every id of either side, in id order, None for the
    side that does not have it; an id that cannot be read on either side is left out. A merge of
    the two walks (``Snapshot.iter_documents``): one document of each side is held at a time."""
    walks = (old.iter_documents(), new.iter_documents())
    a, b = (next(w, None) for w in walks)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            (doc_id, o), n, a = a, _ABSENT, next(walks[0], None)
        elif a is None or b[0] < a[0]:
            (doc_id, n), o, b = b, _ABSENT, next(walks[1], None)
        else:
            (doc_id, o), (_, n) = a, b
            a, b = next(walks[0], None), next(walks[1], None)
        if o is not None and n is not None:
            yield doc_id, None if o is _ABSENT else o, None if n is _ABSENT else n


def diff(*, old: Snapshot, new: Snapshot) -> DiffResult:
    """Compare two snapshots (see the module docstring for the matching rules), a document pair
    at a time (``document_pairs``): what is kept is the changes, not the documents."""
    result = DiffResult(old, new)
    for doc_id, o, n in document_pairs(old=old, new=new):
        if o is None:
            result.documents_added.append(doc_id)
        elif n is None:
            result.documents_removed.append(doc_id)
        else:
            if _sha(o.text) != _sha(n.text):
                result.text_changed.append(doc_id)
            meta = {k: v for k, v in _field_changes(o.meta.to_dict(), n.meta.to_dict()).items() if k != "sha256"}
            if meta:
                result.metadata_changed[doc_id] = meta
            result.issued_lowered.extend(issued_drops(doc_id, o, n))
        for layer in LAYERS:
            result.changes.extend(diff_layer(doc_id, layer, o, n))
    for entity_id in sorted(set(old.registry) | set(new.registry)):
        eo, en = old.registry.get(entity_id), new.registry.get(entity_id)
        if eo is None:
            result.registry.append(RegistryChange(entity_id, "added", new=en.to_dict()))
        elif en is None:
            result.registry.append(RegistryChange(entity_id, "removed", old=eo.to_dict()))
        else:
            fields = _field_changes(eo.to_dict(), en.to_dict())
            if fields:
                result.registry.append(RegistryChange(entity_id, "changed", eo.to_dict(), en.to_dict(), fields))
    if old.labels is not None and new.labels is not None:
        for layer in LAYERS:
            a, b = old.labels.get(layer, ()), new.labels.get(layer, ())
            if a != b:
                entry: dict[str, Any] = {"added": [x for x in b if x not in a], "removed": [x for x in a if x not in b]}
                common_a, common_b = [x for x in a if x in b], [x for x in b if x in a]
                entry["reordered"] = common_a != common_b
                result.labels[layer] = entry
    if old.dataset is not None and new.dataset is not None:
        result.dataset_changed = [k for k in _field_changes(old.dataset, new.dataset) if k != "version"]
    if old.schema is not None and new.schema is not None and old.kind == new.kind:
        keys = sorted(set(old.schema) | set(new.schema))
        result.schema_changed = [k for k in keys if old.schema.get(k) != new.schema.get(k)]
    return result


# ---------------------------------------------------------------------------------------------
# output


def _short(value: Any, limit: int = 60) -> str:
    if isinstance(value, dict) and {"start", "end", "text"} <= set(value):
        return f"{value['start']}-{value['end']} {_short(value['text'], limit)}"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        text = repr(" ".join(value.split()) if len(value) > limit else value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_item(layer: str, item: dict[str, Any]) -> str:
    """One line for an annotation: offsets, label, text and the attributes that matter."""
    if layer == "quotes":
        c = item["content"]
        who = f" speaker {_short(item['speaker']['text'], 30)}" if item.get("speaker") else ""
        return f"{c['start']}-{c['end']} {item['type']} {_short(c['text'])}{who}"
    if layer == "claims":
        return f"{item['start']}-{item['end']} {item['label']} {_short(item['text'])} (claimant {item['claimant']})"
    ref = f" -> {item['entity_id']}" if item.get("entity_id") else ""
    return f"{item['start']}-{item['end']} {item['label']} {_short(item['text'])}{ref}"


def describe_change(c: Change) -> str:
    if c.kind == "added":
        reused = " (reused: an id issued before)" if c.reused else ""
        return f"+ {c.id} {describe_item(c.layer, c.new)}{reused}"
    if c.kind == "removed":
        return f"- {c.id} {describe_item(c.layer, c.old)}"
    fields = "; ".join(f"{k} {_short(o, 40)} -> {_short(n, 40)}" for k, (o, n) in c.fields.items())
    return f"~ {c.id}: {fields}"


def _table(counts: dict[str, dict[str, int]]) -> list[str]:
    lines = [f"{'':<12}{'added':>8}{'removed':>9}{'changed':>9}"]
    for row in ("documents", *LAYERS, "registry"):
        c = counts[row]
        lines.append(f"{row:<12}{c['added']:>8}{c['removed']:>9}{c['changed']:>9}")
    return lines


def format_text(result: DiffResult) -> str:
    """Readable text: a summary table, then every change by document and layer."""
    lines = [f"diff {result.old.describe()} -> {result.new.describe()}", ""]
    lines += _table(result.counts())
    lines.append("")
    if result.empty:
        lines.append("no differences")
        return "\n".join(lines) + "\n"
    for layer, d in result.labels.items():
        lines.append(f"labels: {_label_phrase(layer, d)}")
    if result.schema_changed:
        lines.append(f"schema changed: {', '.join(result.schema_changed)}")
    if result.dataset_changed:
        lines.append(f"dataset.json changed: {', '.join(result.dataset_changed)}")
    if result.issued_lowered:
        lines.append("issued lowered (ids may have been reused): " + "; ".join(d.describe() for d in result.issued_lowered))
    if result.documents_added:
        lines.append("documents added: " + ", ".join(result.documents_added))
    if result.documents_removed:
        lines.append("documents removed: " + ", ".join(result.documents_removed))
    if result.text_changed:
        lines.append("documents whose text changed: " + ", ".join(result.text_changed))
    by_doc: dict[str, dict[str, list[Change]]] = {}
    for c in result.changes:
        by_doc.setdefault(c.document_id, {}).setdefault(c.layer, []).append(c)
    new_docs = set(result.documents_added) | set(result.documents_removed)
    for doc_id in sorted(set(by_doc) | set(result.metadata_changed)):
        if lines[-1]:
            lines.append("")
        lines.append(doc_id + (" (document added)" if doc_id in result.documents_added else
                               " (document removed)" if doc_id in result.documents_removed else ""))
        for k, (o, n) in result.metadata_changed.get(doc_id, {}).items():
            lines.append(f"  metadata {k}: {_short(o)} -> {_short(n)}")
        for layer in LAYERS:
            changes = by_doc.get(doc_id, {}).get(layer, [])
            if not changes:
                continue
            if doc_id in new_docs:
                lines.append(f"  {layer}: {len(changes)} {changes[0].kind}")
                continue
            lines.append(f"  {layer}")
            lines += [f"    {describe_change(c)}" for c in changes]
    if result.registry:
        if lines[-1]:
            lines.append("")
        lines.append("registry")
        for r in result.registry:
            if r.kind == "added":
                lines.append(f"  + {r.entity_id} {r.new['type']} {r.new['name']!r}")
            elif r.kind == "removed":
                lines.append(f"  - {r.entity_id} {r.old['type']} {r.old['name']!r}")
            else:
                fields = "; ".join(f"{k} {_short(o, 50)} -> {_short(n, 50)}" for k, (o, n) in r.fields.items())
                lines.append(f"  ~ {r.entity_id}: {fields}")
    bump, reason = result._bump()
    lines += [""] if lines[-1] else []
    lines += [f"release rule: refused ({reason})" if bump == "refused" else f"release rule: at least a {bump} bump ({reason})"]
    return "\n".join(lines) + "\n"


def format_json(result: DiffResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


def format_markdown(result: DiffResult, *, details: int = 12) -> str:
    """Bullets for a CHANGELOG.md entry: the counts, then the changes per document (at most
    ``details`` lines per document and layer)."""
    counts = result.counts()
    bullets: list[str] = []
    for layer, d in result.labels.items():
        bullets.append(f"- **Label set** of {layer}: {_label_phrase(layer, d).split(' ', 1)[1]}.")
    if result.schema_changed:
        bullets.append(f"- **Schema** changed: {', '.join(f'`{s}`' for s in result.schema_changed)}.")
    docs = []
    if result.documents_added:
        docs.append(f"{len(result.documents_added)} added ({', '.join(f'`{d}`' for d in result.documents_added)})")
    if result.documents_removed:
        docs.append(f"{len(result.documents_removed)} removed ({', '.join(f'`{d}`' for d in result.documents_removed)})")
    if result.text_changed:
        docs.append(f"text changed in {', '.join(f'`{d}`' for d in result.text_changed)}")
    if result.metadata_changed:
        docs.append(f"metadata corrected in {', '.join(f'`{d}`' for d in result.metadata_changed)}")
    if docs:
        bullets.append(f"- Documents: {'; '.join(docs)}.")
    if result.dataset_changed:
        bullets.append(f"- Dataset card notes revised: {', '.join(f'`{k}`' for k in result.dataset_changed)}.")
    if result.issued_lowered:
        bullets.append(f"- **Id counters lowered** (ids may have been reused): "
                       f"{'; '.join(f'`{d.describe()}`' for d in result.issued_lowered)}.")
    for layer in (*LAYERS, "registry"):
        c = counts[layer]
        if not any(c.values()):
            continue
        parts = [f"{c[k]} {k}" for k in ("added", "removed", "changed") if c[k]]
        if layer == "registry":
            bullets.append(f"- Registry entities: {', '.join(parts)}" + _registry_md(result) + ".")
            continue
        kinds: dict[str, int] = {}
        for ch in result.changes:
            if ch.layer == layer and ch.kind == "changed":
                for g in ch.groups():
                    kinds[g] = kinds.get(g, 0) + 1
        detail = f" ({', '.join(f'{g} {n}' for g, n in kinds.items())})" if kinds else ""
        bullets.append(f"- {LAYER_NAMES[layer].capitalize()}: {', '.join(parts)}{detail}.")
    if not bullets:
        return "- No changes to documents, annotations or the registry.\n"
    by_doc: dict[str, dict[str, list[Change]]] = {}
    for ch in result.changes:
        if ch.document_id not in result.documents_added and ch.document_id not in result.documents_removed:
            by_doc.setdefault(ch.document_id, {}).setdefault(ch.layer, []).append(ch)
    for doc_id in sorted(by_doc):
        bullets.append(f"- `{doc_id}`:")
        for layer in LAYERS:
            changes = by_doc[doc_id].get(layer, [])
            if not changes:
                continue
            shown = [f"`{describe_change(ch)}`" for ch in changes[:details]]
            more = f", and {len(changes) - details} more" if len(changes) > details else ""
            bullets.append(f"  - {layer}: {', '.join(shown)}{more}")
    return "\n".join(bullets) + "\n"


def _registry_md(result: DiffResult) -> str:
    parts = []
    for kind, sign in (("added", "+"), ("removed", "-"), ("changed", "~")):
        ids = [r.entity_id for r in result.registry if r.kind == kind]
        if ids:
            parts.append(" ".join(f"{sign}`{i}`" for i in ids[:20]) + (" …" if len(ids) > 20 else ""))
    return f" ({'; '.join(parts)})" if parts else ""
