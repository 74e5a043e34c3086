"""``newsspans build``: the release folder, over ``newsspans.dataset``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..validation import CorpusInvalid
from ._common import DEFAULT_OUT, add_corpus_argument, add_engine_options, add_quiet_option, positive, print_report


def cmd_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..dataset import UnknownConfig, build, check

    if args.check:
        result = check(corpus=args.corpus, out=args.out, workers=args.workers)
        for p in result.problems:
            print(str(p), file=err)
        if not result.stale:
            print(f"{args.out}/ is up to date with {args.corpus}/", file=out)
            return 0
        print(f"{args.out}/ is stale: a fresh build of {args.corpus}/ differs in {len(result.stale)} file(s):", file=err)
        for line in result.stale:
            print(f"  {line}", file=err)
        differing = {k: (v, result.current.get(k)) for k, v in result.committed_with.items() if result.current.get(k) != v}
        if differing:
            tools = ", ".join(f"{k} {old} (now {new})" for k, (old, new) in sorted(differing.items()))
            print(f"note: {args.out}/ was built with {tools}; install the locked versions (README) to compare like with like", file=err)
        print(f"run `newsspans build` and commit {args.out}/", file=err)
        return 1
    configs = [c.strip() for item in args.configs for c in item.split(",") if c.strip()] if args.configs else None
    try:
        result = build(corpus=args.corpus, out=args.out, configs=configs, workers=args.workers, engine=args.engine,
                       scheduler=args.scheduler)
    except UnknownConfig as exc:
        print(f"newsspans build: {exc}", file=err)
        return 2
    except CorpusInvalid as exc:
        print_report(exc.problems, err)
        print(f"build refused: {args.corpus}/ has errors; {args.out}/ was left unchanged", file=err)
        return 1
    for p in result.problems:
        print(str(p), file=err)
    s = result.stats
    print(
        f"built {args.out}/ (version {s.version}): {s.total('documents')} documents, "
        f"{s.total('entities')} entity mentions, {s.total('quotes')} quotes, {s.total('claims')} claims, "
        f"{s.total('registry')} registry entities",
        file=out,
    )
    return 0


def add_parsers(sub: "argparse._SubParsersAction") -> None:
    """Add this module's subcommands to the ``newsspans`` parser."""
    p = sub.add_parser("build", help="build the release folder (data/) from the corpus", description=(
        "Validate the corpus and write the release folder: Parquet per config and split, the dataset "
        "card (README.md) and manifest.json. A corpus with errors writes nothing and leaves the "
        "output folder unchanged."))
    add_corpus_argument(p, packed=True)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="release folder (default: data)")
    p.add_argument("--check", action="store_true", help="rebuild in a temporary folder and fail, listing the files, if --out is stale")
    p.add_argument("--configs", action="append", metavar="NAME", help="write only these configs (repeat or comma-separate; default: all)")
    p.add_argument("--workers", type=positive, metavar="N", help="processes that read and convert documents (default: one per core; the output does not depend on it)")
    add_engine_options(p, "read, check and convert the documents")
    add_quiet_option(p)
    p.set_defaults(func=cmd_build)
