"""Add one invented, fully annotated news document to a NewsSpans project, the way an annotator does.

Usage: ``python scripts/add_sample_document.py [PROJECT] [--doc-id ID] [--story-id SLUG] [--no-build]``
(PROJECT: the folder holding ``corpus/`` and ``data/``; default: the current directory).

Steps, each through the ``newsspans`` command:

1. ``newsspans add`` the sample text (written to a temporary file named ``<doc id>.txt``);
2. add the sample's four entities to ``corpus/registry.json`` (the registry is edited by hand);
3. ``newsspans export labelstudio``, then edit the exported ``tasks.json`` as an annotator does in
   Label Studio: new regions with Label Studio-style ids, offsets in UTF-16 code units (the text holds
   a character outside the Basic Multilingual Plane, so they differ from code points), the registry
   ids and quote types in per-region fields, speakers and cues tied to their quote by relations;
4. ``newsspans import labelstudio`` the edited tasks;
5. ``newsspans validate`` (no error and no warning) and ``newsspans build`` (rewrites ``data/``).

Meant for a scratch clone: run it there, then run the whole test suite, which must still pass with a
third document in the corpus. The text and its people, places and organisations are invented.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
from pathlib import Path
from typing import Any, Optional, Sequence

DOC_ID = "005_sample_solar_ferry"
#: Lands in the ``train`` split; ``--story-id 2025-03-15-port-aldwin-solar-ferry`` lands in ``validation``.
STORY_ID = "2025-03-14-port-aldwin-solar-ferry"

TEXT = (
    "Solar ferry starts service between Port Aldwin and Serrenmoor\n"
    "\n"
    "Port Aldwin, March 14, 2025 — The Aldwin Harbour Authority on Friday opened a ferry line powered "
    "entirely by solar panels, linking the old quay of Port Aldwin to the island of Serrenmoor.\n"
    "“This boat will carry 120 passengers at a time without burning a drop of diesel,” said Ines Vallorca, "
    "the authority's director, at the opening ceremony. The authority marked the day online with a photo "
    "of the boat and a ship emoji (🚢).\n"
    "The line cost 4 million euros and replaces a diesel ferry that ran for 31 years.\n"
    "Critics on the town council argued that the fares are too high for island residents. Vallorca said "
    "a discount for islanders would be considered in the autumn.\n"
)

#: The registry entries the sample refers to (added to corpus/registry.json).
REGISTRY = [
    {"entity_id": "aldwin-harbour-authority", "name": "Aldwin Harbour Authority", "type": "ORG",
     "aliases": ["Aldwin Harbour Authority"], "wikidata": None},
    {"entity_id": "ines-vallorca", "name": "Ines Vallorca", "type": "PERSON",
     "aliases": ["Ines Vallorca", "Vallorca"], "wikidata": None},
    {"entity_id": "port-aldwin", "name": "Port Aldwin", "type": "GPE", "aliases": ["Port Aldwin"], "wikidata": None},
    {"entity_id": "serrenmoor", "name": "Serrenmoor", "type": "GPE", "aliases": ["Serrenmoor"], "wikidata": None},
]

# A span is named by its text and, when that text occurs more than once, its occurrence (0-based).
#: Entity mentions: (text, occurrence, label, entity_id).
ENTITIES = [
    ("Port Aldwin", 0, "GPE", "port-aldwin"),
    ("Serrenmoor", 0, "GPE", "serrenmoor"),
    ("Port Aldwin", 1, "GPE", "port-aldwin"),
    ("March 14, 2025", 0, "DATE", None),
    ("Aldwin Harbour Authority", 0, "ORG", "aldwin-harbour-authority"),
    ("Friday", 0, "DATE", None),
    ("Port Aldwin", 2, "GPE", "port-aldwin"),
    ("Serrenmoor", 1, "GPE", "serrenmoor"),
    ("120", 0, "CARDINAL", None),
    ("Ines Vallorca", 0, "PERSON", "ines-vallorca"),
    ("4 million euros", 0, "MONEY", None),
    ("31 years", 0, "DATE", None),
    ("Vallorca", 1, "PERSON", "ines-vallorca"),
    ("the autumn", 0, "DATE", None),
]
#: Quotes: type, content, speaker, cue (each (text, occurrence)), speaker's registry id.
QUOTES = [
    ("direct", ("This boat will carry 120 passengers at a time without burning a drop of diesel,", 0),
     ("Ines Vallorca", 0), ("said", 0), "ines-vallorca"),
    ("indirect", ("the fares are too high for island residents", 0), ("Critics on the town council", 0), ("argued", 0), None),
    ("indirect", ("a discount for islanders would be considered in the autumn", 0), ("Vallorca", 1), ("said", 1), "ines-vallorca"),
]
#: Claims: (text, occurrence, label, claimant).
#: A claim inside a quote is its speaker's; "author" for the author's own voice and for unregistered
#: sources (docs/guidelines.md, 5.3).
CLAIMS = [
    ("The Aldwin Harbour Authority on Friday opened a ferry line powered entirely by solar panels", 0, "CFS", "author"),
    ("This boat will carry 120 passengers at a time without burning a drop of diesel", 0, "CFS", "ines-vallorca"),
    ("The line cost 4 million euros and replaces a diesel ferry that ran for 31 years", 0, "CFS", "author"),
    ("the fares are too high for island residents", 0, "UFS", "author"),
]


def locate(text: str, surface: str, occurrence: int = 0) -> tuple[int, int]:
    """Code-point offsets of the ``occurrence``-th (0-based) occurrence of ``surface`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(surface, start + 1)
        if start < 0:
            raise ValueError(f"{surface!r} does not occur {occurrence + 1} time(s) in the text")
    return start, start + len(surface)


def utf16(text: str, offset: int) -> int:
    """The UTF-16 code-unit offset (what Label Studio's browser counts) of a code-point offset."""
    return len(text[:offset].encode("utf-16-le")) // 2


def label_studio_results(text: str, *, offset_unit: str = "utf-16") -> list[dict[str, Any]]:
    """The result items an annotator adds in Label Studio for the sample: one region per span (ids
    as Label Studio makes them: not NewsSpans ids), per-region fields, and speaker/cue relations."""
    results: list[dict[str, Any]] = []
    counter = iter(range(1, 1000))

    def region(control: str, label: str, span: tuple[str, int]) -> dict[str, Any]:
        start, end = locate(text, *span)
        if offset_unit == "utf-16":
            start, end = utf16(text, start), utf16(text, end)
        item = {"id": f"ls{next(counter):03d}x", "from_name": control, "to_name": "text", "type": "labels",
                "value": {"start": start, "end": end, "text": span[0], "labels": [label]}}
        results.append(item)
        return item

    def field(of: dict[str, Any], name: str, value: Optional[str]) -> None:
        if value is None:
            return
        kind, payload = ("choices", {"choices": [value]}) if name == "quote_type" else ("textarea", {"text": [value]})
        results.append({"id": of["id"], "from_name": name, "to_name": "text", "type": kind,
                        "value": {"start": of["value"]["start"], "end": of["value"]["end"], **payload}})

    for surface, occurrence, label, entity_id in ENTITIES:
        field(region("entity", label, (surface, occurrence)), "entity_id", entity_id)
    for kind, content, speaker, cue, speaker_entity_id in QUOTES:
        quote = region("quote", "Quote", content)
        field(quote, "quote_type", kind)
        field(quote, "speaker_entity_id", speaker_entity_id)
        for part, span, label in (("speaker", speaker, "Speaker"), ("cue", cue, "Cue")):
            tied = region("quote", label, span)
            results.append({"from_id": tied["id"], "to_id": quote["id"], "type": "relation", "direction": "right",
                            "labels": [part]})
    for surface, occurrence, label, claimant in CLAIMS:
        field(region("claim", label, (surface, occurrence)), "claimant", claimant)
    return results


def annotate_tasks(tasks_file: Path, doc_id: str = DOC_ID) -> dict[str, Any]:
    """Edit an exported ``tasks.json`` in place: add the sample's regions to the task of ``doc_id``
    (which must still be unannotated). Returns the edited task."""
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    [task] = [t for t in tasks if t["data"]["document_id"] == doc_id]
    [annotation] = task["annotations"]
    if annotation["result"]:
        raise SystemExit(f"{doc_id} is already annotated in {tasks_file}")
    annotation["result"] = label_studio_results(task["data"]["text"], offset_unit=task["data"]["offset_unit"])
    tasks_file.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return task


def add_registry_entries(corpus: Path) -> list[dict[str, Any]]:
    """Add the sample's entities that ``corpus/registry.json`` lacks (kept sorted by id, canonical
    form); returns those added. An entry of the same id but other fields is refused."""
    from newsspans.corpus import dumps_canonical

    path = corpus / "registry.json"
    registry = json.loads(path.read_text(encoding="utf-8"))
    known = {e["entity_id"]: e for e in registry["entities"]}
    clash = sorted(e["entity_id"] for e in REGISTRY if e["entity_id"] in known and known[e["entity_id"]] != e)
    if clash:
        raise SystemExit(f"{path}: already holds other entities with the ids {', '.join(clash)}")
    added = [e for e in REGISTRY if e["entity_id"] not in known]
    registry["entities"] = sorted(registry["entities"] + added, key=lambda e: e["entity_id"])
    path.write_text(dumps_canonical(registry), encoding="utf-8")
    return added


def newsspans(*argv: object, cwd: Path) -> str:
    """Run ``newsspans ARGV`` in this process in ``cwd``; stop with its message on failure."""
    import os

    from newsspans.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        code = main([str(a) for a in argv], stdout=out, stderr=err)
    finally:
        os.chdir(old)
    if code != 0:
        raise SystemExit(f"newsspans {' '.join(map(str, argv))} failed ({code}):\n{err.getvalue()}{out.getvalue()}")
    return out.getvalue()


def add_sample(root: Path, *, doc_id: str = DOC_ID, story_id: str = STORY_ID, build: bool = True,
               log=print) -> None:
    """Add, annotate (through Label Studio's format), validate and build the sample in ``root``."""
    root = Path(root).resolve()
    if not (root / "corpus" / "registry.json").is_file():
        raise SystemExit(f"{root}: no corpus/registry.json; give the project folder")
    with tempfile.TemporaryDirectory(prefix="newsspans-sample-") as tmp:
        source = Path(tmp) / f"{doc_id}.txt"
        source.write_bytes(TEXT.encode("utf-8"))
        log(newsspans("add", source, "--story-id", story_id, cwd=root).strip() or f"added {doc_id}")
        added = add_registry_entries(root / "corpus")
        log(f"added {len(added)} entities to corpus/registry.json")
        exported = Path(tmp) / "labelstudio"
        log(newsspans("export", "labelstudio", "--out", exported, cwd=root).strip())
        annotate_tasks(exported / "tasks.json", doc_id)
        log(newsspans("import", "labelstudio", exported / "tasks.json", cwd=root).strip())
    report = newsspans("validate", "--corpus", "corpus", cwd=root)
    last = report.strip().splitlines()[-1]
    if "with 0 error(s) and 0 warning(s)" not in last:
        raise SystemExit(f"the sample is not annotated cleanly:\n{report}")
    log(last)
    if build:
        log(newsspans("build", cwd=root).strip())


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", nargs="?", type=Path, default=Path("."), help="project folder (default: .)")
    parser.add_argument("--doc-id", default=DOC_ID, help=f"document id (default: {DOC_ID})")
    parser.add_argument("--story-id", default=STORY_ID, help=f"story id (default: {STORY_ID})")
    parser.add_argument("--no-build", action="store_true", help="leave data/ as it is")
    args = parser.parse_args(argv)
    add_sample(args.project, doc_id=args.doc_id, story_id=args.story_id, build=not args.no_build)
    return 0


if __name__ == "__main__":
    sys.exit(main())
