"""``newsspans build``: the release folder, over ``newsspans.dataset``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..validation import CorpusInvalid
from ._common import DEFAULT_OUT, add_corpus_argument, add_engine_options, add_quiet_option, positive, print_report


def cmd_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..dataset import UnknownConfig, build, check

    if args.standoff is not None:
        return _build_standoff(args, out, err)
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
    for p in [*result.problems, *result.stale_notes]:
        print(str(p), file=err)
    s = result.stats
    print(
        f"built {args.out}/ (version {s.version}): {s.documents_released()} documents, "
        f"{s.items('entities')} entity mentions, {s.items('quotes')} quotes, {s.items('claims')} claims, "
        f"{s.items('registry')} registry entities",
        file=out,
    )
    return 0


def _build_standoff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..dataset import build_standoff

    if args.check or args.configs:
        print("newsspans build: --standoff writes every config and cannot be combined with --check or --configs", file=err)
        return 2
    try:
        result = build_standoff(corpus=args.corpus, out=args.standoff, workers=args.workers, engine=args.engine,
                                scheduler=args.scheduler)
    except CorpusInvalid as exc:
        print_report(exc.problems, err)
        print(f"build refused: {args.corpus}/ has errors; {args.standoff}/ was left unchanged", file=err)
        return 1
    for p in result.problems:
        print(str(p), file=err)
    s = result.stats
    print(f"built {args.standoff}/ (version {s.version}) without the texts: {s.documents_released()} documents, "
          f"{s.items('entities')} entity mentions, {s.items('quotes')} quotes, {s.items('claims')} claims; "
          f"`newsspans hydrate {args.standoff} --texts DIR` restores the full release", file=out)
    return 0


def cmd_hydrate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..dataset import TextsRefused, hydrate

    try:
        result = hydrate(standoff=args.standoff, texts=args.texts, out=args.out)
    except TextsRefused as exc:
        for line in exc.lines:
            print(line, file=err)
        print(f"newsspans hydrate: {exc}", file=err)
        return 1
    print(f"hydrated {args.out}/ from {args.standoff}/ and {args.texts}/: {result.documents} documents, "
          f"{result.files} files, each equal to the release's manifest", file=out)
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
    p.add_argument("--standoff", type=Path, metavar="OUT", help="write only OUT: the release without the document "
                   "texts (offsets, labels and each text's SHA-256), for `newsspans hydrate`")
    add_engine_options(p, "read, check and convert the documents")
    add_quiet_option(p)
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("hydrate", help="restore a release's texts from your own copies (after build --standoff)",
                       description=(
        "Write the full release from a standoff release (newsspans build --standoff) and a folder of the texts "
        "(<id>.txt, byte for byte): a text whose SHA-256 differs from the release's is refused, every span is checked "
        "against its text, and every file written equals the release's manifest. The output folder is replaced only "
        "when all of it succeeds."))
    p.add_argument("standoff", type=Path, metavar="STANDOFF", help="the standoff release folder")
    p.add_argument("--texts", type=Path, required=True, metavar="DIR", help="folder of the texts, <id>.txt (as corpus/texts/)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="release folder to write (default: data)")
    p.set_defaults(func=cmd_hydrate)
