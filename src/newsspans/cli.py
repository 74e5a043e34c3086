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
from .problems import CorpusInvalid, Problem

DEFAULT_CORPUS = Path("corpus")
DEFAULT_OUT = Path("data")
DEFAULT_SCHEMA = Path("schema")


def _print_report(problems: list[Problem], err: TextIO) -> None:
    from .report import text_report

    for line in text_report(problems):
        print(line, file=err)


def cmd_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .build import build, check

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
    if configs:
        from .features import CONFIGS

        unknown = sorted(set(configs) - set(CONFIGS))
        if unknown:
            print(f"newsspans build: unknown config(s) {', '.join(unknown)}; the configs are {', '.join(CONFIGS)}", file=err)
            return 2
    try:
        result = build(corpus=args.corpus, out=args.out, configs=configs, workers=args.workers)
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
    import json

    from .corpus import iter_problems
    from .report import checks_table, json_report, resolve_codes, select, text_report

    if args.list_checks:
        out.write(checks_table())
        return 0
    try:
        chosen = resolve_codes(args.select) if args.select else None
        ignored = resolve_codes(args.ignore) if args.ignore else None
    except NewsSpansError as exc:
        print(f"newsspans validate: {exc}", file=err)
        return 2
    if args.max_errors is not None and args.max_errors < 0:
        print("newsspans validate: --max-errors must be 0 or more", file=err)
        return 2
    if not args.corpus.is_dir():
        print(f"newsspans validate: {args.corpus}: no such corpus folder", file=err)
        return 2
    problems = select(iter_problems(args.corpus, workers=args.workers), select=chosen, ignore=ignored, warnings=not args.no_warnings)
    if args.format == "json":
        report = json_report(problems, corpus=str(args.corpus), max_errors=args.max_errors)
        print(json.dumps(report, indent=2, ensure_ascii=False), file=out)
        return 1 if report["errors"] else 0
    failed = False
    for line in text_report(problems, max_errors=args.max_errors):
        print(line, file=out)
        failed = line.startswith("*** FAILED ***")
    return 1 if failed else 0


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


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return value


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
    p.add_argument("--configs", action="append", metavar="NAME", help="write only these configs (repeat or comma-separate; default: all)")
    p.add_argument("--workers", type=_positive, metavar="N", help="processes that read and convert documents (default: one per core; the output does not depend on it)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("validate", help="report every problem of a corpus", description=(
        "Check every file of the corpus and report every problem, one line each (file:line: [CODE] "
        "item offsets: what was found — the fix), then the counts per code and PASSED or FAILED. "
        "Exit 0 when there is no error (warnings allowed), 1 when there are errors, 2 for a usage error. "
        "Nothing is modified."))
    p.add_argument("corpus", type=Path, nargs="?", default=DEFAULT_CORPUS, help="corpus folder (default: corpus)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="text lines (default) or one JSON report")
    p.add_argument("--select", action="append", metavar="CODE", help="report only these codes (repeat, or comma-separate; globs such as 'E-SPAN-*' work)")
    p.add_argument("--ignore", action="append", metavar="CODE", help="do not report these codes")
    p.add_argument("--max-errors", type=int, metavar="N", help="print at most N errors (the summary still counts all)")
    p.add_argument("--no-warnings", action="store_true", help="leave warnings out of the report")
    p.add_argument("--list-checks", action="store_true", help="print the table of every check and exit")
    p.add_argument("--workers", type=_positive, metavar="N", help="processes that check documents (default: one per core; the report does not depend on it)")
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
        if isinstance(exc, CorpusInvalid):
            _print_report(exc.problems, err)  # the corpus's problems, not just their count
        print(f"newsspans {args.command}: {exc}", file=err)
        return 1
    except OSError as exc:
        print(f"newsspans {args.command}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=err)
        return 1
