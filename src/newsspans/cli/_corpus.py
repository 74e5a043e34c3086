"""``newsspans add`` and ``newsspans schema``: the corpus's texts and the schemas of its files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ._common import DEFAULT_CORPUS, DEFAULT_SCHEMA


def cmd_add(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..corpus import add_document

    # every text is checked first, then all are written in one step: all of them or none
    metas = add_document(list(args.texts), corpus=args.corpus, story_id=args.story_id, language=args.language)
    for meta in metas:
        print(f"added {meta.id} (title: {meta.title!r}, published: {meta.published})", file=out)
    return 0


def cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..validation import stale_schemas, write_schemas

    if args.check:
        stale = stale_schemas(args.out)
        if stale:
            print(f"{args.out}/ is stale: {', '.join(stale)}; run `newsspans schema`", file=err)
            return 1
        print(f"{args.out}/ is up to date", file=out)
        return 0
    for path in write_schemas(args.out):
        print(f"wrote {path}", file=out)
    return 0


def add_parsers(sub: "argparse._SubParsersAction") -> None:
    """Add this module's subcommands to the ``newsspans`` parser."""
    p = sub.add_parser("add", help="bring text files into the corpus byte for byte", description=(
        "Copy each text into corpus/texts/ unchanged and write its metadata (title and date parsed "
        "from a dateline where the text has one) and an empty annotation file. Every text is checked "
        "first; then all are added, or none."))
    p.add_argument("texts", type=Path, nargs="+", metavar="TEXT", help="UTF-8 text file(s); the id is the file's stem")
    p.add_argument("--story-id", required=True, help="slug shared by the documents that report one event")
    p.add_argument("--language", default="en", help="ISO 639 code (default: en)")
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder (default: corpus)")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("schema", help="write the JSON Schemas (schema/) from the label declarations", description=(
        "Write schema/<kind>.schema.json for every corpus and release file kind, generated from "
        "newsspans.labels; --check fails when the committed files differ."))
    p.add_argument("--out", type=Path, default=DEFAULT_SCHEMA, help="schema folder (default: schema)")
    p.add_argument("--check", action="store_true", help="fail if the files in --out differ from the generated ones")
    p.set_defaults(func=cmd_schema)
