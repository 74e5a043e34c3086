"""``newsspans add``, ``newsspans remove``, ``newsspans annotator`` and ``newsspans schema``: the corpus's
texts, its annotators, and the schemas of its files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..errors import BadInput
from ._common import DEFAULT_SCHEMA, add_corpus_argument, add_deprecated_spelling


def cmd_add(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..corpus import DocumentInfo, add_texts

    info = DocumentInfo(title=args.title, published=args.published, url=args.url, source=args.source)
    keep = {kind for kind, flag in (("bom", args.allow_bom), ("nul", args.allow_nul)) if flag}
    # every text is checked first, then all are written in one step: all of them or none
    added = add_texts(list(args.texts), corpus=args.corpus, story_id=args.story_id, language=args.language, info=info,
                      keep=keep)
    for a in added:
        meta = a.meta
        url = f", url: {meta.url}" if meta.url else ""
        print(f"added {meta.id} (title: {meta.title!r}, published: {meta.published}, source: {meta.source!r}{url})", file=out)
        for c in a.kept:
            print(f"newsspans add: warning: {meta.id}: the text holds {c.describe()}, stored byte for byte as asked; "
                  f"newsspans validate reports it (W-TEXT-{c.kind.upper()})", file=err)
    return 0


def cmd_remove(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..corpus import remove_document

    removed = remove_document(corpus=args.corpus, doc_id=args.doc_id)
    print(f"removed {removed.document_id}: {', '.join(removed.files)}", file=out)
    return 0


def cmd_annotator(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..corpus import add_annotator, layer_documents, read_annotators_lenient

    if args.action == "add" and (args.annotator_id is None or args.kind is None):
        print("newsspans annotator: add needs an ID and --kind human|model", file=err)
        return 2
    if args.action == "list" and (args.annotator_id or args.kind or args.note):
        print("newsspans annotator: list takes no ID, --kind or --note", file=err)
        return 2
    if args.action == "add":
        a = add_annotator(corpus=args.corpus, annotator_id=args.annotator_id, kind=args.kind, note=args.note)
        print(f"added annotator {a.annotator_id} ({a.kind})", file=out)
        return 0
    layers = layer_documents(args.corpus)
    for a in read_annotators_lenient(args.corpus).values():
        n = len(layers.get(a.annotator_id, ()))
        print(f"{a.annotator_id}\t{a.kind}\t{n} layer{'s' * (n != 1)}\t{a.note or ''}", file=out)
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


def cmd_pack(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..corpus import SHARD_BYTES, pack

    result = pack(corpus=args.corpus, out=args.out, shard_bytes=args.shard_bytes or SHARD_BYTES)
    print(f"packed {result.documents} document(s) of {args.corpus} into {result.out}: {len(result.shards)} shard(s), "
          f"{result.files} file(s)", file=out)
    return 0


def cmd_unpack(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..corpus import unpack

    if args.corpus is None:
        raise BadInput("give the packed corpus to unpack: --corpus DIR")
    result = unpack(packed=args.corpus, out=args.out)
    print(f"unpacked {result.documents} document(s) of {args.corpus} into {result.out}: {result.files} file(s)", file=out)
    return 0


def add_parsers(sub: "argparse._SubParsersAction") -> None:
    """Add this module's subcommands to the ``newsspans`` parser."""
    p = sub.add_parser("add", help="bring text files into the corpus byte for byte", description=(
        "Copy each text into corpus/texts/ unchanged and write its metadata (title and date parsed "
        "from a dateline where the text has one, or given with --title, --published, --url, --source) and an empty "
        "annotation file. A text that starts with a byte-order mark or holds a NUL character is refused, naming the "
        "offset, unless --allow-bom or --allow-nul keeps it byte for byte (newsspans validate then warns of it). "
        "Every text is checked first; then all are added, or none."))
    p.add_argument("texts", type=Path, nargs="+", metavar="TEXT", help="UTF-8 text file(s); the id is the file's stem")
    p.add_argument("--story-id", required=True, help="slug shared by the documents that report one event")
    p.add_argument("--language", default="en", help="ISO 639 code (default: en)")
    p.add_argument("--title", help="the headline (default: from a dateline, else none); one text only")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date, ISO 8601 (default: from a dateline, else none)")
    p.add_argument("--url", help="where the text was published (an absolute URL); one text only")
    p.add_argument("--source", help="where the text came from: the outlet or archive (default: the file's name)")
    p.add_argument("--allow-bom", action="store_true", help="store a text that starts with a byte-order mark as it is, "
                   "with a warning (refused without it)")
    p.add_argument("--allow-nul", action="store_true", help="store a text holding NUL characters as it is, with a "
                   "warning (refused without it)")
    add_corpus_argument(p)
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("remove", help="take a document and every file of it out of the corpus", description=(
        "Remove the document ID: its text, metadata and annotation file, and, where the corpus has them, every "
        "annotator's layer of it, its adjudication decisions and its suggestions, all in one step or none. The "
        "registry is left as it is (newsspans validate warns of an entry no document uses any more); the next "
        "release counts the removal (a major bump: the document's rows and ids leave the dataset)."))
    p.add_argument("doc_id", metavar="ID", help="the document's id (its text file's stem)")
    add_corpus_argument(p)
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("annotator", help="list the annotators of the corpus's layers, or add one", description=(
        "corpus/annotators.json names who made each layer under corpus/layers/<annotator>/: an id (a "
        "slug; never an e-mail address), a kind (human or model) and an optional note. `list` prints "
        "each with its number of layers; `add` adds one (imports with --annotator need it listed)."))
    p.add_argument("action", choices=("list", "add"), help="list the annotators, or add one")
    p.add_argument("annotator_id", nargs="?", metavar="ID", help="with add: the new annotator's id")
    p.add_argument("--kind", choices=("human", "model"), help="with add: a person or a program")
    p.add_argument("--note", help="with add: who or what, how (no e-mail address)")
    add_corpus_argument(p)
    p.set_defaults(func=cmd_annotator)

    p = sub.add_parser("pack", help="write the corpus as a packed corpus: sharded JSON Lines, one line per document",
                       description=(
        "Write the corpus folder as a packed corpus in the new folder OUT: packed.json (the manifest), dataset.json, "
        "registry.json and annotators.json as they are, and shard-NNNNN.jsonl files holding one line per document "
        "with every file of it (text, metadata, gold, layers, decisions, suggestions), byte for byte. `newsspans "
        "unpack` gives the folder back exactly. A corpus folder holding anything else is refused, naming it."))
    add_corpus_argument(p)
    p.add_argument("--out", type=Path, required=True, help="the packed corpus's folder (new, or empty)")
    p.add_argument("--shard-bytes", type=int, metavar="N", help="cut a shard before it passes N bytes (default: 64 MiB)")
    p.set_defaults(func=cmd_pack)

    p = sub.add_parser("unpack", help="write a packed corpus back as a corpus folder, byte for byte", description=(
        "Write the packed corpus (made by `newsspans pack`) as a corpus folder in the new folder OUT, every "
        "file byte for byte as packed; a shard that was changed is refused, naming it and its line."))
    add_corpus_argument(p, what="the packed corpus's folder (required)", default=None)
    add_deprecated_spelling(p, new="--corpus", new_dest="corpus", type=Path, metavar="PACKED")
    p.add_argument("--out", type=Path, required=True, help="the corpus folder to write (new, or empty)")
    p.set_defaults(func=cmd_unpack)

    p = sub.add_parser("schema", help="write the JSON Schemas (schema/) from the label declarations", description=(
        "Write schema/<kind>.schema.json for every corpus and release file kind, generated from "
        "newsspans.labels; --check fails when the committed files differ."))
    p.add_argument("--out", type=Path, default=DEFAULT_SCHEMA, help="schema folder (default: schema)")
    p.add_argument("--check", action="store_true", help="fail if the files in --out differ from the generated ones")
    p.set_defaults(func=cmd_schema)

