"""A deterministic synthetic corpus in the real corpus format, for benchmarks and scale tests.

``write_synthetic_corpus(dest, docs=N)`` writes N news-length documents (about 1,500-2,500
characters, curly and straight quotes, a few non-ASCII characters), each with about 10 entity
mentions, 2 quotes and 3 claims, and a registry of a few thousand entities, all valid: the real
``validate`` and ``build`` run on it unchanged. The same arguments always give the same bytes.

``write_synthetic_packed(dest, docs=N)`` writes the same corpus as a packed corpus (``newsspans
pack`` of the folder, byte for byte, for the same ``shard_bytes``) without writing any
per-document file: the documents are streamed into ``corpus.write_packed``, so memory does not
grow with N (a million documents is one run).
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any, Iterator, Optional

from .atomic import refuse_unless_new, staged_dir
from .errors import BadInput
from .model import highest_id_numbers
from .corpus import ANNOTATIONS, DATASET, DOCUMENTS, REGISTRY, SHARD_BYTES, TEXTS, dumps_canonical, write_packed

_SYLLABLES = ("ba", "ko", "ri", "ta", "ve", "lo", "mi", "sa", "du", "ne", "pa", "zo", "ki", "ru", "fe", "lu", "do", "va")
_FILLER = (
    "Officials in the region described the talks as long and detailed.",
    "Analysts in Zürich and São Paulo said the outcome remained uncertain — for now.",
    "The meeting took place behind closed doors, and few details were released.",
    "Local café owners near the venue said security had been unusually tight.",
    "Observers noted that the agenda had been agreed weeks in advance.",
    "The delegations exchanged documents before the formal session began.",
    "Reporters waited outside for several hours as the discussions went on.",
    "Earlier statements had hinted at a broader agreement on trade and energy.",
)
_CLAUSES = (
    "the negotiations would continue next month",
    "both sides had agreed to expand cooperation",
    "the new rules would take effect in the spring",
    "the budget had been approved by parliament",
)
_QUOTES = (
    "We are ready to work together on every issue that matters to our people",
    "This agreement opens a new chapter in our relations",
    "Nobody should doubt our commitment to peace and stability in the region",
    "The talks were frank, constructive and very useful",
)
_DATES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NUMBERS = ("two", "three", "four", "12", "150", "several hundred")


def _name(rng: random.Random, index: int, words: int) -> str:
    """A made-up capitalised name; the index makes it unique."""
    parts = []
    n = index
    for w in range(words):
        syl = [rng.choice(_SYLLABLES) for _ in range(2)] + [_SYLLABLES[n % len(_SYLLABLES)]]
        n //= len(_SYLLABLES)
        parts.append("".join(syl).capitalize())
    return " ".join(parts) + ("" if index < len(_SYLLABLES) ** words else f" {index}")


def make_registry(rng: random.Random, size: int) -> list[dict[str, Any]]:
    entries = []
    kinds = (("PERSON", 2, ""), ("ORG", 2, " Institute"), ("GPE", 1, "ia"))
    for i in range(size):
        label, words, suffix = kinds[i % 3]
        name = _name(rng, i, words) + suffix
        entity_id = f"e{i:05d}-" + "-".join(name.lower().split())
        entries.append({"entity_id": entity_id, "name": name, "type": label, "aliases": [name], "wikidata": None})
    return sorted(entries, key=lambda e: e["entity_id"])


class _Doc:
    def __init__(self) -> None:
        self.text = ""
        self.entities: list[dict[str, Any]] = []
        self.quotes: list[dict[str, Any]] = []
        self.claims: list[dict[str, Any]] = []

    def add(self, s: str) -> tuple[int, int]:
        start = len(self.text)
        self.text += s
        return start, len(self.text)

    def mention(self, s: str, label: str, entity_id: Any) -> tuple[int, int]:
        start, end = self.add(s)
        self.entities.append({"id": f"m{len(self.entities) + 1}", "start": start, "end": end, "text": s,
                              "label": label, "entity_id": entity_id})
        return start, end

    def span(self, start: int, end: int) -> dict[str, Any]:
        return {"start": start, "end": end, "text": self.text[start:end]}

    def claim(self, start: int, end: int, label: str, claimant: str) -> None:
        self.claims.append({"id": f"c{len(self.claims) + 1}", **self.span(start, end), "label": label,
                            "claimant": claimant, "cluster_id": None})

    def quote(self, type_: str, content: tuple[int, int], speaker: tuple[int, int], cue: tuple[int, int], speaker_id: str) -> None:
        self.quotes.append({"id": f"q{len(self.quotes) + 1}", "type": type_, "content": self.span(*content),
                            "speaker": self.span(*speaker), "cue": self.span(*cue), "speaker_entity_id": speaker_id,
                            "group_id": None, "cluster_id": None})


def registry_by_type(registry: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The registry's entries by type, in registry order."""
    by_type: dict[str, list[dict[str, Any]]] = {"PERSON": [], "ORG": [], "GPE": []}
    for e in registry:
        by_type[e["type"]].append(e)
    return by_type


def make_document(rng: random.Random, registry: list[dict[str, Any]], first: int,
                  by_type: Optional[dict[str, list[dict[str, Any]]]] = None) -> _Doc:
    """One document; ``first`` is the registry index the document must mention (so that every
    registry entry is used somewhere). ``by_type`` is ``registry_by_type(registry)``, made once by
    a caller writing many documents (the same document either way)."""
    by_type = by_type if by_type is not None else registry_by_type(registry)
    d = _Doc()

    def pick(label: str) -> dict[str, Any]:
        return rng.choice(by_type[label])

    def sentence_meeting(person: dict, other: dict, place: dict) -> None:
        s = len(d.text)
        d.mention(person["name"], "PERSON", person["entity_id"])
        d.add(" met ")
        d.mention(other["name"], "PERSON", other["entity_id"])
        d.add(" in ")
        d.mention(place["name"], "GPE", place["entity_id"])
        d.add(" on ")
        d.mention(rng.choice(_DATES), "DATE", None)
        d.claim(s, len(d.text), "CFS", "author")
        d.add(". ")

    forced = registry[first]
    if forced["type"] == "PERSON":
        sentence_meeting(forced, pick("PERSON"), pick("GPE"))
    elif forced["type"] == "GPE":
        sentence_meeting(pick("PERSON"), pick("PERSON"), forced)
    else:
        s = len(d.text)
        d.mention(forced["name"], "ORG", forced["entity_id"])
        d.add(" signed ")
        d.mention(rng.choice(_NUMBERS), "CARDINAL", None)
        d.add(" agreements with ")
        g = pick("GPE")
        d.mention(g["name"], "GPE", g["entity_id"])
        d.claim(s, len(d.text), "CFS", "author")
        d.add(". ")
    while len(d.text) < rng.randint(1500, 2300):
        kind = rng.random()
        if kind < 0.55:
            d.add(rng.choice(_FILLER) + " ")
        elif kind < 0.7 and len(d.quotes) < 3:
            speaker = pick("PERSON")
            straight = rng.random() < 0.4
            open_, close = ('"', '"') if straight else ("“", "”")
            d.add(open_)
            content = d.add(rng.choice(_QUOTES) + ",")
            d.add(close + " ")
            sp = d.mention(speaker["name"], "PERSON", speaker["entity_id"])
            d.add(" ")
            cue = d.add("said")
            d.add(". ")
            d.quote("direct", content, sp, cue, speaker["entity_id"])
            if rng.random() < 0.5:
                d.claim(content[0], content[1] - 1, "UFS", speaker["entity_id"])
        elif kind < 0.85 and len(d.quotes) < 3:
            speaker = pick("PERSON")
            sp = d.mention(speaker["name"], "PERSON", speaker["entity_id"])
            d.add(" ")
            cue = d.add("said")
            d.add(" that ")
            content = d.add(rng.choice(_CLAUSES))
            d.add(". ")
            d.quote("indirect", content, sp, cue, speaker["entity_id"])
        elif len(d.claims) < 4:
            s = len(d.text)
            org = pick("ORG")
            d.mention(org["name"], "ORG", org["entity_id"])
            d.add(" employs ")
            d.mention(rng.choice(_NUMBERS), "CARDINAL", None)
            d.add(" people in ")
            g = pick("GPE")
            d.mention(g["name"], "GPE", g["entity_id"])
            d.claim(s, len(d.text), "UFS", "author")
            d.add(". ")
        else:
            d.add(rng.choice(_FILLER) + " ")
    d.text = d.text.rstrip(" ")
    d.quotes.sort(key=lambda q: q["content"]["start"])
    for i, q in enumerate(d.quotes, 1):
        q["id"] = f"q{i}"
    d.claims.sort(key=lambda c: c["start"])
    for i, c in enumerate(d.claims, 1):
        c["id"] = f"c{i}"
    return d


#: The folders of a synthetic corpus, sorted (as ``pack`` records them).
FOLDERS = sorted((TEXTS, DOCUMENTS, ANNOTATIONS))
_DATASET = {"version": "0.0.1", "pretty_name": "NewsSpans synthetic", "license": "other", "license_name": "synthetic",
            "license_note": "Synthetic text generated for benchmarks.", "source_note": "Generated by newsspans.synth.",
            "annotation_note": "Generated with the text.", "annotators_note": "None: generated.",
            "limitations_note": "Not real news."}


def synthetic_corpus(*, docs: int, registry_size: int = 3000,
                     seed: int = 0) -> tuple[dict[str, bytes], Iterator[tuple[str, dict[str, bytes]]]]:
    """The synthetic corpus of ``docs`` documents: its corpus-level files (path -> bytes) and a
    generator of its documents in id order, each its id and its files (path -> bytes). The one
    source of both forms: ``write_synthetic_corpus`` writes the files, ``write_synthetic_packed``
    packs them. The documents are made one at a time as the generator is read."""
    rng = random.Random(seed)
    registry = make_registry(rng, min(registry_size, max(3, docs)))
    top = {DATASET: dumps_canonical(_DATASET).encode("utf-8"),
           REGISTRY: dumps_canonical({"entities": registry}).encode("utf-8")}
    return top, _documents(rng, registry, docs)


def _documents(rng: random.Random, registry: list[dict[str, Any]], docs: int) -> Iterator[tuple[str, dict[str, bytes]]]:
    by_type = registry_by_type(registry)
    width = len(str(docs))
    for i in range(docs):
        doc_id = f"syn{i:0{width}d}"  # zero-padded: generation order is id order
        d = make_document(rng, registry, i % len(registry), by_type)
        data = d.text.encode("utf-8")
        meta = {"id": doc_id, "title": None, "published": None, "source": f"{doc_id}.txt", "language": "en",
                "story_id": f"story-{i // 2}", "sha256": hashlib.sha256(data).hexdigest()}
        layers = {"entities": d.entities, "quotes": d.quotes, "claims": d.claims}
        ann = {"document_id": doc_id, "issued": highest_id_numbers({k: [x["id"] for x in v] for k, v in layers.items()}), **layers}
        yield doc_id, {f"{TEXTS}/{doc_id}.txt": data,
                       f"{DOCUMENTS}/{doc_id}.json": dumps_canonical(meta).encode("utf-8"),
                       f"{ANNOTATIONS}/{doc_id}.json": dumps_canonical(ann).encode("utf-8")}


def write_synthetic_corpus(dest: Path, *, docs: int, registry_size: int = 3000, seed: int = 0) -> Path:
    """Write a synthetic corpus of ``docs`` documents into the empty or new folder ``dest``."""
    dest = Path(dest)
    top, documents = synthetic_corpus(docs=docs, registry_size=registry_size, seed=seed)
    for sub in FOLDERS:
        (dest / sub).mkdir(parents=True, exist_ok=True)
    for rel in (DATASET, REGISTRY):
        (dest / rel).write_bytes(top[rel])
    for _doc_id, files in documents:
        for rel, data in files.items():
            (dest / rel).write_bytes(data)
    return dest


def write_synthetic_packed(dest: Path, *, docs: int, registry_size: int = 3000, seed: int = 0,
                           shard_bytes: int = SHARD_BYTES) -> Path:
    """Write the synthetic corpus of ``write_synthetic_corpus(dest, docs=..., registry_size=...,
    seed=...)`` as a packed corpus into the new (or empty) folder ``dest``: the bytes ``newsspans
    pack --shard-bytes shard_bytes`` writes for that folder, whole or not at all, without any
    per-document file and in memory that does not grow with ``docs``. ``BadInput`` for a ``dest``
    that is not new, a shard bound below 1."""
    dest = Path(dest)
    if shard_bytes < 1:
        raise BadInput(f"shard_bytes must be at least 1, got {shard_bytes}")
    refuse_unless_new(dest, BadInput)
    top, documents = synthetic_corpus(docs=docs, registry_size=registry_size, seed=seed)
    with staged_dir(dest, purpose="pack") as tmp:
        write_packed(tmp, top=top, folders=FOLDERS, documents=documents, shard_bytes=shard_bytes)
    return dest


if __name__ == "__main__":  # pragma: no cover - a convenience for manual runs
    import sys

    if len(sys.argv) > 3 and sys.argv[3] == "--packed":
        write_synthetic_packed(Path(sys.argv[1]), docs=int(sys.argv[2]))
    else:
        write_synthetic_corpus(Path(sys.argv[1]), docs=int(sys.argv[2]))
    print(json.dumps({"written": sys.argv[1]}))
