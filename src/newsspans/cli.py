"""The ``newsspans`` command: a thin layer over the library functions.

Exit status: 0 success, 1 failure (invalid corpus, stale release, refused operation), 2 usage
error. A user's mistake is one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional, Sequence, TextIO

from . import __version__
from .errors import NewsSpansError
from .problems import ERROR, CorpusInvalid, Problem, summary

DEFAULT_CORPUS = Path("corpus")
DEFAULT_OUT = Path("data")
DEFAULT_SCHEMA = Path("schema")


def _print_report(problems: list[Problem], err: TextIO) -> None:
    for p in problems:
        print(str(p), file=err)
    print(summary(problems), file=err)


def cmd_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .build import build, check

    if args.check:
        result = check(corpus=args.corpus, out=args.out)
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
    try:
        result = build(corpus=args.corpus, out=args.out)
    except CorpusInvalid as exc:
        _print_report(exc.problems, err)
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


def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .corpus import iter_problems

    problems = list(iter_problems(args.corpus))
    for p in problems:
        print(str(p), file=out)
    print(summary(problems), file=out)
    return 1 if any(p.severity == ERROR for p in problems) else 0


def cmd_add(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .ingest import add_document

    for text_file in args.texts:
        meta = add_document(text_file, corpus=args.corpus, story_id=args.story_id, language=args.language)
        print(f"added {meta.id} (title: {meta.title!r}, published: {meta.published})", file=out)
    return 0


def cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .schemas import stale_schemas, write_schemas

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


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsspans", description="Build, check and load the NewsSpans corpus of labeled spans in news.")
    parser.add_argument("--version", action="version", version=f"newsspans {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("build", help="build the release folder (data/) from the corpus", description=(
        "Validate the corpus and write the release folder: Parquet per config and split, the dataset "
        "card (README.md) and manifest.json. A corpus with errors writes nothing and leaves the "
        "output folder unchanged."))
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder (default: corpus)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="release folder (default: data)")
    p.add_argument("--check", action="store_true", help="rebuild in a temporary folder and fail, listing the files, if --out is stale")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("validate", help="report every problem of a corpus", description=(
        "Check every file of the corpus and report every problem, one line each, then a summary. "
        "Exit 0 when there is no error, 1 otherwise."))
    p.add_argument("corpus", type=Path, nargs="?", default=DEFAULT_CORPUS, help="corpus folder (default: corpus)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("add", help="bring text files into the corpus byte for byte", description=(
        "Copy each text into corpus/texts/ unchanged and write its metadata (title and date parsed "
        "from a dateline where the text has one) and an empty annotation file."))
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

    from . import cli_formats, cli_review

    cli_formats.add_parsers(sub)
    cli_review.add_parsers(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None, stdout: Optional[TextIO] = None, stderr: Optional[TextIO] = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version (0) or a usage error (2)
        return int(exc.code or 0)
    try:
        return args.func(args, out, err)
    except NewsSpansError as exc:
        print(f"newsspans {args.command}: {exc}", file=err)
        return 1
    except OSError as exc:
        print(f"newsspans {args.command}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=err)
        return 1
