"""``newsspans agree``: agreement between annotators, over ``newsspans.agreement``.

Bad input (a folder that is not a corpus, an unknown document) is one line on stderr and exit
status 2; a file that cannot be read exit status 1. Nothing is written.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from ..model import LAYERS
from ._common import add_corpus_argument, positive


def cmd_agree(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..agreement import format_json, format_markdown, format_text, measure_agreement
    from ..corpus import ANNOTATORS, LAYERS_DIR, layer_documents, read_annotators_lenient

    rows = measure_agreement(args.corpus, documents=args.docs, layers=args.layer, by_document=args.by == "document",
                             workers=args.workers)
    unlisted = sorted(set(layer_documents(args.corpus)) - set(read_annotators_lenient(args.corpus)))
    if unlisted:
        print(f"newsspans agree: warning: {', '.join(f'{LAYERS_DIR}/{a}/' for a in unlisted)} belong to no annotator of "
              f"{ANNOTATORS} and are left out (run `newsspans annotator add`)", file=err)
    if args.format == "json":
        out.write(format_json(rows))
    elif not rows:
        print(f"no annotator layers to compare in {args.corpus}/ (add annotators and their layers: see docs/agreement.md)", file=out)
    else:
        out.write(format_markdown(rows) if args.format == "markdown" else format_text(rows))
    return 0


def add_parsers(sub: "argparse._SubParsersAction") -> None:
    """Add this module's subcommands to the ``newsspans`` parser."""
    p = sub.add_parser("agree", help="agreement between annotators, and of each annotator with gold", description=(
        "Compare the layers of every pair of annotators on the documents both annotated, and each "
        "annotator's layers with gold: F1 and agreement on matched items per layer and label, and "
        "Krippendorff's alpha on tokens (docs/agreement.md defines each metric and the matching "
        "rule). Undefined values (nothing to compare) show as '-' (null in JSON). Nothing is written."))
    add_corpus_argument(p)
    p.add_argument("--docs", nargs="+", metavar="ID", help="only these documents (default: all)")
    p.add_argument("--layer", action="append", choices=LAYERS, help="only this layer (repeat for several; default: all)")
    p.add_argument("--by", choices=("corpus", "document"), default="corpus",
                   help="corpus: counts summed over the documents (default); document: one set of rows per document")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                   help="text (default; an aligned table), json (stable keys) or markdown")
    p.add_argument("--workers", type=positive, metavar="N",
                   help="processes that compare documents (default: one per core; the table does not depend on it)")
    p.set_defaults(func=cmd_agree)
