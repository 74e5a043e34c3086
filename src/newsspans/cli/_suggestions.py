"""``newsspans suggest``: pre-annotation into ``corpus/suggestions/``, and its evaluation against
gold (``--evaluate``), over ``newsspans.suggestions``.

Bad input (a folder that is not a corpus, an unknown document or source, a missing spaCy pipeline)
is one line on stderr and exit status 2; spaCy not installed or a file that cannot be read, exit
status 1. Gold and the annotators' layers are never written.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..errors import BadInput
from ._common import add_corpus_argument, add_quiet_option, positive


def _sources(text: str) -> list[str]:
    return [s.strip() for s in text.split(",") if s.strip()]


def _print_counts(result, out: TextIO) -> None:
    for (layer, source), n in result.counts.items():
        print(f"{layer:<9} {source:<24} {n:>7}", file=out)
    layers: dict[str, int] = {}
    for (layer, _), n in result.counts.items():
        layers[layer] = layers.get(layer, 0) + n
    total = ", ".join(f"{n} {layer}" for layer, n in layers.items()) or "nothing"
    docs = len(result.documents)
    print(f"{docs} document{'s' * (docs != 1)}: {total}", file=out)


def _evaluate(args: argparse.Namespace, out: TextIO) -> None:
    from ..suggestions import evaluate_suggestions, format_json, format_markdown, format_text

    rows = evaluate_suggestions(corpus=args.corpus, documents=args.docs, sources=args.sources, model=args.model,
                                stored=args.stored, label_map=args.label_map)
    if args.format == "json":
        out.write(format_json(rows))
    elif rows and rows[0].documents == 0:
        print(f"no document of {args.corpus}/ has gold annotations to compare with", file=out)
    else:
        out.write(format_markdown(rows) if args.format == "markdown" else format_text(rows))


def cmd_suggest(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..suggestions import suggest

    if args.stored and not args.evaluate:
        raise BadInput("--stored reads the stored suggestions for --evaluate: give --evaluate too")
    if args.evaluate:
        _evaluate(args, out)
        return 0
    result = suggest(corpus=args.corpus, documents=args.docs, sources=args.sources, model=args.model,
                     dry_run=args.dry_run, label_map=args.label_map, workers=args.workers)
    for note in result.notes:
        print(f"note: {note}", file=err)
    _print_counts(result, out)
    n, same = len(result.files), len(result.unchanged)
    files = f"{n} suggestions file{'s' * (n != 1)}" + (f" ({same} unchanged)" if same else "")
    if args.dry_run:
        print(f"dry run: would write {files}; nothing was written", file=out)
    else:
        print(f"wrote {files}" if n else f"nothing to write: the {same} suggestions files are up to date", file=out)
    return 0


def add_parsers(sub: "argparse._SubParsersAction") -> None:
    """Add this module's subcommands to the ``newsspans`` parser."""
    p = sub.add_parser("suggest", help="pre-annotate documents into corpus/suggestions/, or measure the suggestions against gold",
                       description=(
        "Suggest entity mentions (registry aliases, nationality adjectives, dates, times and numbers, and "
        "optionally an installed spaCy pipeline) and quotes for the chosen documents, and write them to "
        "corpus/suggestions/<id>.json (the annotation format, each item with its source and score), all files in "
        "one step, or none. Gold and the annotators' layers are never written. --evaluate prints precision, "
        "recall and F1 against gold instead, per layer and label. See docs/suggestions.md."))
    add_corpus_argument(p)
    p.add_argument("--docs", nargs="+", metavar="ID", help="only these documents (default: all)")
    p.add_argument("--sources", type=_sources, metavar="LIST",
                   help="comma-separated, among gazetteer, numeric, quotes, spacy (default: gazetteer,numeric,quotes, "
                        "and spacy with --model)")
    p.add_argument("--model", metavar="NAME_OR_PATH",
                   help="an installed spaCy pipeline (package name or folder) with an NER component; never downloaded; "
                        "needs pip install 'newsspans[spacy]'")
    p.add_argument("--label-map", type=Path, metavar="FILE",
                   help="JSON object mapping the pipeline's labels to the 18 types (or null to drop), over the default map")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="print the counts and write nothing")
    mode.add_argument("--evaluate", action="store_true",
                   help="write nothing; print precision, recall and F1 of the suggestions against gold, for the documents "
                        "with gold")
    p.add_argument("--stored", action="store_true",
                   help="with --evaluate: evaluate the suggestions stored in corpus/suggestions/ instead of computing them")
    p.add_argument("--workers", type=positive, metavar="N",
                   help="processes that suggest (default: one per core; the files do not depend on it)")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                   help="of --evaluate: text (default; an aligned table), json (stable keys) or markdown")
    add_quiet_option(p)
    p.set_defaults(func=cmd_suggest)
