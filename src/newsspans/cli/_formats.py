"""CLI commands for the exchange formats (``export``, ``import``): a thin layer over
``newsspans.formats``, whose registries give the format choices."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ._common import add_corpus_argument, add_quiet_option, positive


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..formats import export

    given = {"label_map": args.label_map, "offset_unit": args.offsets, "docs_per_file": args.docs_per_file}
    options = {name: value for name, value in given.items() if value is not None}  # the library checks their format
    report = export(args.format, corpus=args.corpus, out=args.out, layers=args.layers, annotators=args.annotators or (),
                    users=_user_map(args), suggestions=args.suggestions, gold=not args.no_gold, force=args.force,
                    **options)
    for note in report.notes:
        print(f"note: {note}", file=err)
    print(f"exported {args.format} to {args.out}/ ({len(report.files)} files): {report.summary()}", file=out)
    return 0


def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..formats import ImportRefused, import_

    try:
        report = import_(args.format, src=args.src, corpus=args.corpus, dry_run=args.dry_run,
                         allow_deletions=args.allow_deletions, max_deletions=args.max_deletions,
                         annotator=args.annotator, users=_user_map(args), layers=args.layers, mapping=args.mapping,
                         new_documents=args.new_documents, story_id=args.story_id, language=args.language,
                         trim=args.trim, create_entities=args.create_entities, tag_column=args.tag_column)
    except ImportRefused as exc:  # what it would change, then why it is refused
        _print_changes(exc.report, out, err)
        print(f"newsspans import: {exc}", file=err)
        return 1
    _print_changes(report, out, err)
    read = report.read_summary()
    files = f"{len(report.files)} annotation file{'s' if len(report.files) != 1 else ''}"
    if args.dry_run:
        print(f"dry run: importing {args.format} from {args.src} would write {files} ({read}); nothing was written: "
              f"{report.summary()}", file=out)
    elif not report.files:
        print(f"imported {args.format} from {args.src}: nothing changed ({read}, all as in the corpus); nothing was written: "
              f"{report.summary()}", file=out)
    else:
        print(f"imported {args.format} from {args.src} into {files} ({read}): {report.summary()}", file=out)
    return 0


def _user_map(args: argparse.Namespace):
    """The Label Studio user -> annotator map of ``--annotator-map`` and ``--map-annotator``, if any."""
    from ..formats import UserMap

    if args.annotator_map is None and not args.map_annotator:
        return None
    return UserMap.read(file=args.annotator_map, pairs=args.map_annotator or ())


def _user_map_options(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--annotator-map", type=Path, metavar="FILE", help=(
        f"labelstudio: a JSON object mapping Label Studio users (user id as a string, or e-mail address) to annotator ids; {what}"))
    p.add_argument("--map-annotator", action="append", metavar="USER=ID", help="labelstudio: one entry of the map (repeatable)")


def _print_changes(report, out: TextIO, err: TextIO) -> None:
    for note in report.notes:
        print(f"note: {note}", file=err)
    for line in report.change_lines():
        print(line, file=out)


def share(text: str) -> float:
    """A share of 0 to 1: ``0.5`` or ``50%``."""
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a share from 0 to 1 (such as 0.5 or 50%), got {text!r}")
    return value


def add_parsers(sub: "argparse._SubParsersAction") -> None:
    """Add this module's subcommands to the ``newsspans`` parser."""
    from ..formats import DEFAULT_MAX_DELETIONS, DESCRIPTIONS, EXPORTERS, IMPORTERS
    from ..formats.conll import LABEL_MAPS
    from ..formats.labelstudio import OFFSET_UNITS
    from ..formats.spacy_docbin import DOCS_PER_FILE

    formats = "; ".join(f"{name}: {DESCRIPTIONS[name]}" for name in EXPORTERS)
    p = sub.add_parser("export", help="write the corpus in a training or annotation-tool format", description=(
        "Write the corpus (which must be valid) in FORMAT into the new or empty folder --out (--force: replace it). "
        f"Formats: {formats}. Offsets are code points except where a format says otherwise "
        "(labelstudio: UTF-16 code units by default). A span the format cannot hold fails the export."))
    p.add_argument("format", choices=sorted(EXPORTERS), metavar="FORMAT", help=", ".join(EXPORTERS))
    p.add_argument("--out", type=Path, required=True, help="output folder (new or empty; see --force)")
    p.add_argument("--force", action="store_true", help="replace a non-empty --out whole (in one step, once the export is "
                   "complete), unless it overlaps the corpus or holds the working directory")
    add_corpus_argument(p)
    p.add_argument("--label-map", choices=LABEL_MAPS, default=None,
                   help="conll only: ontonotes (18 types, default) or conll (PER/ORG/LOC/MISC, the map in the card)")
    p.add_argument("--offsets", choices=OFFSET_UNITS, default=None,
                   help="labelstudio only: offset unit, utf-16 (default; what Label Studio's browser counts) or codepoints")
    p.add_argument("--docs-per-file", type=positive, default=None, metavar="N", help=(
        f"spacy only: the most documents one .spacy file holds (default: {DOCS_PER_FILE:,}); a split of more is the "
        "folder OUT/<split>/ of <split>-00000.spacy, ... (spacy train --paths.train OUT/<split> reads it whole), and "
        "the export's memory grows with N, not with the corpus"))
    p.add_argument("--layers", action="store_true", help=(
        "brat and labelstudio: carry every annotator's layer (corpus/annotators.json) instead of the gold: brat, one "
        "folder per annotator; labelstudio, one annotation per annotator on a task, and annotator-map.json"))
    p.add_argument("--annotators", nargs="+", metavar="ID", help=(
        "as --layers, for these annotators only; the id gold adds the gold as a layer of its own"))
    p.add_argument("--suggestions", action="store_true", help=(
        "brat and labelstudio: carry corpus/suggestions/ as suggestions, never as annotations: labelstudio, each task's "
        "predictions (model_version, score, a score per region); brat, OUT/suggestions/ with each suggestion's source and "
        "score as its annotator note. A document without suggestions gets none"))
    p.add_argument("--no-gold", action="store_true", help=(
        "with --suggestions: leave the gold out (labelstudio tasks hold predictions only; brat writes OUT/suggestions/ only)"))
    _user_map_options(p, "with --layers, each annotator's completed_by is its user id in the map (default: 1, 2, ...)")
    add_quiet_option(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="bring annotation-tool files back into the corpus", description=(
        "Read an annotator's files in FORMAT (brat: a folder of <id>.ann with their <id>.txt; labelstudio: "
        "a JSON export of tasks, of `newsspans export labelstudio` or, with --mapping FILE, of any project; conll, "
        "doccano, spacy: files of those tools; a label set of the source's own goes through --mapping FILE, "
        "docs/import-mapping.md), print what they add, remove and change "
        "per document and layer, and rewrite the corpus annotation files that change. All or nothing: a malformed "
        "or inconsistent file is reported with its file and line, and nothing is written. A layer of which the "
        "source holds nothing (a .ann file with no quote events, a task with no region of the quote labels) keeps "
        "the corpus's annotations. Drafts, region notes and predictions are never imported (a note names each). "
        "With --annotator, --layers (brat) or an annotator map (labelstudio), annotators' layers are written "
        "instead of the gold, by the same rules against each layer's own file."))
    p.add_argument("format", choices=sorted(IMPORTERS), metavar="FORMAT", help=", ".join(IMPORTERS))
    p.add_argument("src", type=Path, metavar="SRC", help=(
        "brat: a folder of <id>.ann (and <id>.txt); labelstudio: a JSON export (or a folder holding tasks.json); conll: "
        "a CoNLL file or a folder of them; doccano: a .jsonl export or a folder of them; spacy: a .spacy DocBin or a "
        "folder of them, subfolders too (an export's split of many documents is a folder)"))
    add_corpus_argument(p)
    p.add_argument("--dry-run", action="store_true", help="print what the import would change and write nothing")
    p.add_argument("--max-deletions", type=share, default=DEFAULT_MAX_DELETIONS, metavar="SHARE",
                   help="refuse the import when a document layer would lose more than this share of its annotations, "
                        f"or all of them (default: {DEFAULT_MAX_DELETIONS:g}; 0.5 or 50%%)")
    p.add_argument("--allow-deletions", action="store_true",
                   help="import whatever it deletes, and take the source as the whole truth about each document it holds: "
                        "a layer it holds nothing of is emptied (how to delete all of a document's quotes, say)")
    p.add_argument("--annotator", metavar="ID", help=(
        "import into this annotator's layer (corpus/layers/ID/<doc>.json) instead of the gold; the annotator must be "
        "listed (newsspans annotator add ID --kind human|model)"))
    p.add_argument("--layers", action="store_true", help=(
        "brat: SRC holds one folder per annotator, SRC/<annotator>/<doc>.ann, each imported into that annotator's "
        "layer (SRC/gold/ into the gold), in one write"))
    _user_map_options(p, "each annotation is imported into the layer of its user's annotator (gold: the gold); "
                         "a task may then hold one annotation per annotator")
    p.add_argument("--mapping", type=Path, metavar="FILE", help=(
        "a JSON or YAML file saying what the source's labels are in NewsSpans ({\"entities\": {\"PER\": \"PERSON\", "
        "\"LOC\": \"GPE\", \"MISC\": \"drop\"}, \"unknown\": \"refuse\"|\"skip\"}; schema/mapping.schema.json, "
        "docs/import-mapping.md); without one, only the 18 OntoNotes types are imported and a foreign label set is "
        "refused with the labels found"))
    p.add_argument("--new-documents", action="store_true", help=(
        "create the documents the source brings with their texts that the corpus does not have (every format: brat's "
        ".txt, Label Studio's data.text, CoNLL tokens, doccano and spaCy texts), "
        "as `newsspans add` does, in the same write"))
    p.add_argument("--story-id", metavar="SLUG", help="with --new-documents: the story of every new document "
                   "(default: each its own story, its id as a slug)")
    p.add_argument("--language", default="en", help="with --new-documents: their language (default: en)")
    p.add_argument("--tag-column", type=int, metavar="N", help=(
        "conll: the column of the entity tags, 1 being the token's (default: the last column)"))
    p.add_argument("--trim", action="store_true", help=(
        "trim span edges that break the guidelines: leading and trailing whitespace (no-break spaces too), and the "
        "quotation marks at a direct quote's content edges; every trim is listed"))
    p.add_argument("--create-entities", action="store_true", help=(
        "give each mention of a type that names a referent and has no entity_id the registry entry of its type with "
        "its text as an alias, or a new entry (id from the text, name and alias the text), written to registry.json "
        "in the same write and listed for review"))
    add_quiet_option(p)
    p.set_defaults(func=cmd_import)
