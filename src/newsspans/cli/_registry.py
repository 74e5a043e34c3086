"""``newsspans registry``: list the entity registry, show where an entry is used, add, rename,
merge and sort entries (a thin layer over ``newsspans.registry``)."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from ._common import add_corpus_argument

#: How many uses of each kind ``show`` prints (all of them with --format json).
SHOWN_USES = 5
_KIND_TITLES = {"mention": "mentions", "speaker": "quote speakers", "claimant": "claimants"}
_SOURCE_TITLES = {"layer": "layers"}


def cmd_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..corpus import corpus_folder
    from ..registry import check_entity_type, load_registry

    if args.type is not None:
        check_entity_type(args.type)
    entries = [e for e in load_registry(corpus_folder(args.corpus)) if args.type in (None, e.type)]
    if args.format == "json":
        rows = [{"entity_id": e.entity_id, "type": e.type, "name": e.name, "alias_count": len(e.aliases)} for e in entries]
        print(json.dumps(rows, ensure_ascii=False, indent=1), file=out)
        return 0
    for e in entries:
        n = len(e.aliases)
        print(f"{e.entity_id}\t{e.type}\t{e.name}\t{n} alias{'es' * (n != 1)}", file=out)
    return 0


def cmd_show(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..corpus import corpus_folder
    from ..registry import entity_uses, entry_of, load_registry

    corpus = corpus_folder(args.corpus)
    entry = entry_of(load_registry(corpus), args.entity_id, corpus)
    found = entity_uses(corpus=corpus, entity_id=entry.entity_id)
    if args.format == "json":
        value = {**entry.to_dict(), "documents": found.documents(), "counts": found.counts(), "clusters": found.clusters(),
                 "uses": [u.to_dict() for u in found.uses]}
        print(json.dumps(value, ensure_ascii=False, indent=1), file=out)
        return 0
    print(f"{entry.entity_id}\t{entry.type}\t{entry.name}", file=out)
    print(f"  aliases: {' | '.join(entry.aliases) or 'none'}", file=out)
    print(f"  wikidata: {entry.wikidata or 'none'}", file=out)
    docs = found.documents()
    print(f"  documents (gold): {len(docs)}" + (f": {', '.join(docs)}" if docs else ""), file=out)
    counts = found.counts()
    for kind, title in _KIND_TITLES.items():
        per_source = counts.get(kind, {})
        detail = ", ".join(f"{_SOURCE_TITLES.get(source, source)} {n}" for source, n in per_source.items())
        print(f"  {title}: {sum(per_source.values())}" + (f" ({detail})" if detail else ""), file=out)
        uses = [u for u in found.uses if u.kind == kind]
        for u in uses[:SHOWN_USES]:
            print(f"    {u.file}:{u.line} {u.item} {u.text!r}", file=out)
        if len(uses) > SHOWN_USES:
            print(f"    … and {len(uses) - SHOWN_USES} more (--format json lists every one)", file=out)
    clusters = found.clusters()
    print(f"  clusters of its gold quotes and claims: {', '.join(clusters) or 'none'}", file=out)
    return 0


def cmd_add(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..registry import add_entity

    edit = add_entity(corpus=args.corpus, entity_id=args.entity_id, entity_type=args.type, name=args.name,
                      aliases=args.alias or (), wikidata=args.wikidata)
    e = edit.entry
    print(f"added {e.entity_id} ({e.type} {e.name!r}, {len(e.aliases)} alias{'es' * (len(e.aliases) != 1)})", file=out)
    return 0


def _print_edit(edit, what: str, out: TextIO, dry_run: bool) -> None:
    verb = "would write" if dry_run else "wrote"
    kinds = ", ".join(f"{n} {_KIND_TITLES[k] if n != 1 else k}" for k, n in sorted(edit.repointed.items())) or "no references"
    print(f"{what}: {kinds} repointed; {verb} {len(edit.files)} file(s)", file=out)
    for rel in edit.files:
        print(f"  {rel}", file=out)
    if not dry_run:
        print("run `newsspans validate` and `newsspans build` to bring data/ up to date", file=out)


def cmd_rename(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..registry import rename_entity

    edit = rename_entity(corpus=args.corpus, old=args.old, new=args.new, dry_run=args.dry_run)
    _print_edit(edit, f"renamed {args.old} to {args.new}", out, args.dry_run)
    return 0


def cmd_merge(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..registry import merge_entities

    if args.into.upper() != "INTO":
        print(f"newsspans registry merge: expected `merge A INTO B`, got {args.into!r} between the two ids", file=err)
        return 2
    edit = merge_entities(corpus=args.corpus, source=args.source, target=args.target, dry_run=args.dry_run)
    _print_edit(edit, f"merged {args.source} into {args.target}", out, args.dry_run)
    return 0


def cmd_sort(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..registry import sort_registry

    edit = sort_registry(corpus=args.corpus, check=args.check)
    if not edit.changed:
        print("the registry is sorted", file=out)
        return 0
    if args.check:
        print("the registry is not in its canonical order; run `newsspans registry sort`", file=err)
        return 1
    print("sorted the registry (entries by entity_id, aliases sorted)", file=out)
    return 0


def add_parsers(sub: "argparse._SubParsersAction") -> None:
    """Add ``newsspans registry`` and its subcommands to the ``newsspans`` parser."""
    top = sub.add_parser("registry", help="list, show, add, rename, merge and sort the entities of corpus/registry.json",
                         description=(
        "The entity registry, corpus/registry.json: one entry per referent (entity_id, name, type, aliases, Wikidata id), "
        "kept sorted by entity_id with sorted aliases. rename and merge repoint every mention, quote speaker and claimant "
        "that refers to the entry, in gold, the annotators' layers, the suggestions and the decisions files, and write "
        "every file in one atomic step."))
    actions = top.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True

    p = actions.add_parser("list", help="every entry: id, type, name, number of aliases")
    p.add_argument("--type", help="only the entries of this type (PERSON, ORG, ...)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_corpus_argument(p)
    p.set_defaults(func=cmd_list)

    p = actions.add_parser("show", help="an entry and where it is used (mentions, quote speakers, claimants, clusters)")
    p.add_argument("entity_id", metavar="ID")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_corpus_argument(p)
    p.set_defaults(func=cmd_show)

    p = actions.add_parser("add", help="add an entry, in its place in the sorted file")
    p.add_argument("entity_id", metavar="ID", help="a lowercase slug: words of a-z and 0-9 joined by hyphens")
    p.add_argument("--type", required=True, help="PERSON, NORP, FAC, ORG, GPE, LOC, PRODUCT, EVENT or LAW")
    p.add_argument("--name", required=True, help="the canonical name")
    p.add_argument("--alias", action="append", metavar="A", help="a surface form (repeat for several)")
    p.add_argument("--wikidata", metavar="QID", help="its Wikidata id (Q…)")
    add_corpus_argument(p)
    p.set_defaults(func=cmd_add)

    p = actions.add_parser("rename", help="give an entry a new id; every reference to it follows")
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")
    add_corpus_argument(p)
    p.set_defaults(func=cmd_rename)

    p = actions.add_parser("merge", help="merge entry A into B (`merge A INTO B`): aliases united, references repointed, A removed")
    p.add_argument("source", metavar="A")
    p.add_argument("into", metavar="INTO")
    p.add_argument("target", metavar="B")
    p.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")
    add_corpus_argument(p)
    p.set_defaults(func=cmd_merge)

    p = actions.add_parser("sort", help="write the registry in its canonical order (entries by id, aliases sorted)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 when the file is not sorted")
    add_corpus_argument(p)
    p.set_defaults(func=cmd_sort)
