"""Exchange formats: export the corpus for training and annotation tools, import tools' files back.

``EXPORTERS`` and ``IMPORTERS`` are the registries the ``newsspans export`` and ``newsspans import``
commands take their choices from: to add a format, write its module (a serializer, and a parser
where a tool edits the files) and add an entry here.

Every exporter takes ``(documents, *, out, registry, **options)``: ``documents`` yields
``(split, Document)`` pairs of a valid corpus, ``out`` is an empty folder. Every importer takes
``(src, *, corpus, registry, options)``, parses the tool's files into the model, checks the result
by the validator's own code path, compares it with the corpus (``newsspans.versions.diff``) and
writes the changed corpus annotation files all or nothing (``importer.ImportRun``: dry runs, the
layers a source leaves out, the deletion limit); its ``FormatError`` names every problem at its
place in the tool's file. Both return a
``Report`` of what they carried; a span a format cannot hold raises ``FormatError`` (or is counted
as lost where that is the format's documented limit, such as CoNLL-2003's four classes): nothing
is dropped silently.

Suggestions (``corpus/suggestions/``) travel in both too, as suggestions (``suggestions``,
``_suggestions``): Label Studio ``predictions``, a brat folder ``suggestions/`` noted with sources and
scores; neither is ever imported as an annotation.

Annotators' layers (``corpus/layers/<annotator>/<document>.json``) travel in brat and Label Studio:
an export carries those chosen (``layers``, ``annotators``; ``_layers.LayerSource``), and an import
writes an annotator's layer instead of the gold (``annotator``, a Label Studio ``UserMap``, brat
``layers``; see ``importer``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from typing import Optional, Sequence, Union

from ..errors import BadInput
from . import brat, conll, doccano, jsonl, labelstudio, spacy_docbin
from ._layers import LayerSource, choose_annotators
from ._mapping import MAPPING_SCHEMA, LabelMapper, Mapping, load_mapping
from ._suggestions import SuggestionSource
from ._users import UserMap
from .base import FormatError, OutputFolder, Report, open_corpus
from .importer import DEFAULT_MAX_DELETIONS, ImportOptions, ImportRefused

EXPORTERS: dict[str, Callable[..., Report]] = {
    "conll": conll.export,
    "spacy": spacy_docbin.export,
    "brat": brat.export,
    "labelstudio": labelstudio.export,
    "jsonl": jsonl.export,
}

IMPORTERS: dict[str, Callable[..., Report]] = {
    "brat": brat.import_,
    "conll": conll.import_,
    "doccano": doccano.import_,
    "labelstudio": labelstudio.import_,
    "spacy": spacy_docbin.import_,
}

#: The options of one format only (``export(..., **options)``): its format and the command's flag.
FORMAT_OPTIONS: dict[str, tuple[str, str]] = {
    "label_map": ("conll", "--label-map"),
    "offset_unit": ("labelstudio", "--offsets"),
    "docs_per_file": ("spacy", "--docs-per-file"),
}

#: The formats that carry annotators' layers (``export(..., layers=True)``).
LAYERED = ("brat", "labelstudio")

DESCRIPTIONS: dict[str, str] = {
    "conll": "CoNLL-2003-style IOB2 columns, <split>.conll (entity mentions)",
    "spacy": "spaCy DocBin, <split>.spacy (a split of more than --docs-per-file documents: <split>/<split>-00000.spacy, ...): "
             "doc.ents and span groups for quotes and claims, and config.cfg for spacy train (needs newsspans[spacy])",
    "brat": "brat standoff, <id>.txt + <id>.ann and annotation.conf (every layer, suggestions; importable)",
    "labelstudio": "Label Studio tasks.json + labeling-config.xml (every layer, suggestions as predictions; importable)",
    "jsonl": "JSON Lines, <split>.jsonl: Prodigy tokens/spans and GLiNER tokenized_text/ner, with quotes and claims",
}


def export(fmt: str, *, corpus: Path, out: Path, layers: bool = False, annotators: Sequence[str] = (),
           users: Optional[UserMap] = None, suggestions: bool = False, gold: bool = True, force: bool = False,
           **options: Any) -> Report:
    """Export the valid corpus at ``corpus`` in format ``fmt`` into the new folder ``out`` (with
    ``force``, replacing the folder ``out`` whole, in one step, when the export is complete); nothing
    is left behind when it fails.

    With ``layers`` (every annotator of ``annotators.json``) and/or ``annotators`` (those named;
    ``gold`` among them adds the gold as a layer of its own), brat and labelstudio carry those
    annotators' layers instead of the gold; ``users`` gives Label Studio user ids to annotators.
    With ``suggestions``, they carry ``corpus/suggestions/`` as suggestions too (Label Studio
    ``predictions``, a brat folder ``suggestions/``); ``gold=False`` leaves the gold out.
    ``options`` are those of ``fmt`` (``FORMAT_OPTIONS``): one of another format is refused
    (``BadInput``), never ignored."""
    if fmt not in EXPORTERS:
        raise FormatError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORTERS)}")
    _check_options(fmt, options)
    if (layers or annotators) and fmt not in LAYERED:
        raise FormatError(f"{fmt} carries the gold only; annotators' layers travel in {' and '.join(LAYERED)}")
    if suggestions and fmt not in LAYERED:
        raise FormatError(f"{fmt} carries the gold only; suggestions travel in {' and '.join(LAYERED)} (--suggestions)")
    if not gold and not suggestions:
        raise FormatError("--no-gold leaves the gold out of an export of suggestions; add --suggestions")
    if not gold and (layers or annotators):
        raise FormatError("--no-gold exports the suggestions alone; leave out --layers and --annotators")
    if users and (fmt != "labelstudio" or not (layers or annotators)):
        raise FormatError("--annotator-map and --map-annotator give Label Studio user ids to the layers of a labelstudio "
                          "export with --layers or --annotators")
    if fmt == "spacy":
        spacy_docbin.require_spacy()  # before reading anything: say how to install it
    view = open_corpus(Path(corpus))
    if suggestions:
        options["suggestions"] = SuggestionSource(view.root)
    if not gold:
        options["gold"] = False
    if layers or annotators:
        options["layers"] = LayerSource(view.root, choose_annotators(view.root, every=layers, named=annotators), view.registry)
        if fmt == "labelstudio":
            options["users"] = users
    folder = OutputFolder(Path(out), force=force, keep=(view.root,))
    with folder as tmp:
        report = EXPORTERS[fmt](view.documents(), out=tmp, registry=view.registry, **options)
    report.files = folder.final(report.files)
    return report


def _check_options(fmt: str, options: dict[str, Any]) -> None:
    """Refuse an export option that is unknown or belongs to another format than ``fmt``."""
    for name in options:
        if name not in FORMAT_OPTIONS:
            raise BadInput(f"export has no option {name!r}; the options of one format are {', '.join(FORMAT_OPTIONS)}")
        owner, flag = FORMAT_OPTIONS[name]
        if owner != fmt:
            raise BadInput(f"{flag} ({name}) applies to the {owner} format only")


def import_(fmt: str, *, src: Path, corpus: Path, dry_run: bool = False, allow_deletions: bool = False,
            max_deletions: float = DEFAULT_MAX_DELETIONS, annotator: Optional[str] = None,
            users: Optional[UserMap] = None, layers: bool = False, mapping: Union[None, str, Path, Mapping] = None,
            new_documents: bool = False, story_id: Optional[str] = None, language: str = "en", trim: bool = False,
            create_entities: bool = False, tag_column: Optional[int] = None) -> Report:
    """Import the tool files at ``src`` (format ``fmt``) into the corpus annotation files.

    The report says what the import changes, per document and layer (``Report.changes``); with
    ``dry_run`` nothing is written. A layer the source holds nothing of keeps the corpus's
    annotations; a document layer that would lose all its annotations, or more than
    ``max_deletions`` of them, refuses the whole import (``ImportRefused``) unless
    ``allow_deletions``, which also takes the source as the whole truth (an absent layer is emptied).

    Whose annotations they are (by default: the gold's): ``annotator``, that annotator's layer;
    ``users`` (labelstudio), the layer of the annotator each annotation's user is mapped to;
    ``layers`` (brat), ``src/<annotator>/`` into each annotator's layer. An annotator must be
    listed in ``annotators.json``.

    ``mapping`` (a ``Mapping`` or its file) says what the source's labels are (``_mapping``);
    without one only the 18 types are taken. ``new_documents`` creates the documents the source
    brings with their texts, as ``add`` does (``story_id``, default each its own; ``language``).
    ``trim`` trims span edges that break the guidelines; ``create_entities`` links or creates the
    registry entries of mentions without an id (``_repair``); each change is listed."""
    if fmt not in IMPORTERS:
        raise FormatError(f"cannot import {fmt!r}; importable formats: {', '.join(IMPORTERS)}")
    if users and fmt != "labelstudio":
        raise FormatError("--annotator-map and --map-annotator map Label Studio users (labelstudio imports); "
                          f"a {fmt} import takes --annotator ID" + (" or --layers" if fmt == "brat" else ""))
    if layers and fmt != "brat":
        raise FormatError("--layers reads one brat folder per annotator; a labelstudio import maps each annotation's user "
                          "to an annotator with --annotator-map FILE or --map-annotator USER=ID")
    if tag_column is not None and fmt != "conll":
        raise FormatError(f"--tag-column names the column of CoNLL's tags; a {fmt} import has none")
    if (story_id is not None or language != "en") and not new_documents:
        raise FormatError("--story-id and --language describe new documents: give --new-documents too")
    options = ImportOptions(dry_run=dry_run, allow_deletions=allow_deletions, max_deletions=max_deletions,
                            annotator=annotator, users=users, layers=layers,
                            mapping=mapping if mapping is None or isinstance(mapping, Mapping) else load_mapping(mapping),
                            new_documents=new_documents, story_id=story_id, language=language, trim=trim,
                            create_entities=create_entities, tag_column=tag_column)
    if fmt == "spacy":
        spacy_docbin.require_spacy()  # the install message first, as for an export
    view = open_corpus(Path(corpus))
    return IMPORTERS[fmt](Path(src), corpus=Path(corpus), registry=view.registry, options=options)


__all__ = ["DEFAULT_MAX_DELETIONS", "DESCRIPTIONS", "EXPORTERS", "IMPORTERS", "LAYERED", "MAPPING_SCHEMA", "FormatError",
           "ImportOptions", "ImportRefused", "LabelMapper", "Mapping", "Report", "UserMap", "export", "import_", "load_mapping"]
