"""Problems as values: a stable code, a severity and a full location.

Every check yields ``Problem`` values; the build's gate and the CLI print them through the
same ``str()``. ``CODES`` is the catalogue of every code: severity, a one-line title, and how to
fix it; ``docs/checks.md`` is generated from it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Optional

from ..errors import NewsSpansError

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Code:
    code: str
    severity: str
    title: str
    fix: str
    explanation: str = ""


_CODES = (
    # File level
    Code("E-FILE-MISSING", ERROR, "a required corpus file or folder is missing",
         "create it (see the corpus layout in the README)",
         "A corpus folder holds dataset.json, registry.json and the folders texts/, documents/ and "
         "annotations/. Without them nothing else can be checked."),
    Code("E-FILE-SYMLINK", ERROR, "a corpus file or folder is a symbolic link", "replace the link by the file (or folder) itself",
         "A link could lead anywhere: its target would be read, validated, rendered and released as if it were part of "
         "the corpus. No command follows a link inside a corpus (dataset.json, registry.json, annotators.json, the "
         "folders and every document, layer and decisions file); a document with a linked file is not checked further."),
    Code("E-FILE-UTF8", ERROR, "a file is not valid UTF-8", "re-save the file as UTF-8",
         "Every corpus file is UTF-8. The location is the first byte that does not decode."),
    Code("E-FILE-BOM", ERROR, "a JSON file starts with a byte-order mark", "save the file as UTF-8 without a BOM",
         "JSON files must not start with U+FEFF; some editors add it on Windows."),
    Code("E-FILE-JSON", ERROR, "a JSON file does not parse", "fix the JSON syntax at the given line and column",
         "The file is not JSON, so none of its contents can be checked; the other files are still checked. A "
         "decisions file holds one JSON object per line: a line that does not parse, or an empty line, is reported "
         "at its line, and the other lines are still checked."),
    Code("E-FILE-DUPLICATE-KEY", ERROR, "a JSON object has the same key twice",
         "merge the two values into one key, or remove one",
         "A JSON reader keeps one of the values in silence (Python's the last one), so the other one would be lost: "
         "a layer given twice loses its first list. Reported at the later key."),
    Code("E-FILE-KIND", ERROR, "a file where the corpus layout has a folder, or a folder where it has a file",
         "move it out of the corpus, or replace it by the folder (or file) the layout puts there",
         "layers/, each layers/<annotator>/ and decisions/ are folders (layers/ holds only annotator folders); "
         "annotators.json is a file. What is in the way is not read."),
    Code("E-FILE-SURROGATE", ERROR, "a JSON string holds a lone surrogate escape (\\ud800-\\udfff without its pair)",
         "write the character itself, or both halves of its UTF-16 pair",
         "A \\u escape from D800 to DFFF is half of a UTF-16 pair; alone it is no character, and no UTF-8 file, "
         "review page or Parquet column can hold it. It is checked further as U+FFFD."),
    Code("E-PACKED", ERROR, "a packed corpus's manifest or shard is not as newsspans pack writes it",
         "pack the corpus again from its folder (newsspans pack), or unpack it and fix the folder",
         "A packed corpus (packed.json and shard-NNNNN.jsonl files) holds one JSON line per document. A manifest that "
         "does not read, a line that is not a document, documents out of id order, or a shard whose SHA-256 or line "
         "count is not the manifest's is reported at the shard and line; the lines after a damaged one are not read."),
    Code("E-SCHEMA", ERROR, "a JSON value does not match its JSON Schema",
         "change the value at the given JSON path (schemas: schema/*.schema.json)",
         "Each file kind has a JSON Schema in schema/. An item that breaks its schema is left out of "
         "the further checks of its document; a file whose top level breaks it is not checked further."),
    Code("E-DOC-NO-TEXT", ERROR, "metadata or annotations exist for a document that has no text file",
         "add corpus/texts/<id>.txt or remove the orphan files",
         "A document is the triple texts/<id>.txt, documents/<id>.json and annotations/<id>.json."),
    Code("E-DOC-NO-META", ERROR, "a document has no metadata file", "add corpus/documents/<id>.json (newsspans add writes it)"),
    Code("E-DOC-NO-ANNOTATION", ERROR, "a document has no annotation file", "add corpus/annotations/<id>.json (newsspans add writes an empty one)"),
    Code("E-DOC-ID", ERROR, "the id inside a file differs from its file name", "make the id equal the file's stem",
         "The id of documents/<id>.json, and the document_id of annotations/<id>.json, of every layer file "
         "layers/<annotator>/<id>.json and of every suggestions file suggestions/<id>.json, is the file's stem."),
    Code("E-TEXT-SHA256", ERROR, "the text's SHA-256 differs from the one recorded in its metadata",
         "restore the received text, or re-check every span and record the new SHA-256",
         "Texts enter the corpus byte for byte and are never edited: a changed hash means the text "
         "was edited after annotation, and every offset into it may now be wrong."),
    Code("W-TEXT-BOM", WARNING, "a text starts with a byte-order mark (U+FEFF)",
         "remove the mark (and shift every offset by one), or keep it if the received text has it",
         "Windows editors write one; it is the text's first character, counted by every offset and shown by few "
         "tools. newsspans add refuses such a text unless --allow-bom keeps it byte for "
         "byte; a U+FEFF after the start (a zero-width no-break space) is not reported."),
    Code("W-TEXT-NUL", WARNING, "a text holds a NUL character (U+0000)",
         "remove the NUL characters (and re-check the offsets after them), or keep them if the received text has them",
         "A NUL ends a string in C, so a tool built on C strings may cut the text there; it comes from a broken "
         "conversion, not from an author. newsspans add refuses such a text unless --allow-nul keeps it byte for byte. "
         "Reported at the first one, with how many there are."),
    # Span level
    Code("E-SPAN-TYPE", ERROR, "a span's start or end is not an integer", "write offsets as JSON integers (code points)",
         "Offsets are integers: Python code-point indices into the text as stored, end exclusive."),
    Code("E-SPAN-BOUNDS", ERROR, "a span lies outside the text", "correct the offsets (0 <= start < end <= length of the text)"),
    Code("E-SPAN-ORDER", ERROR, "a span has start >= end", "give the span a start before its end (end is exclusive)"),
    Code("E-SPAN-TEXT", ERROR, "a span's stored text differs from the document text at its offsets",
         "correct the offsets or the stored text; the suggested offsets are the nearest exact occurrence",
         "Every span stores its text beside its offsets as a guard: text[start:end] must equal it. "
         "Offsets count Python code points (not bytes, not UTF-16 units) and the end is exclusive."),
    Code("E-SPAN-WHITESPACE", ERROR, "a span starts or ends with whitespace", "trim the span to the suggested offsets",
         "Spans never start or end with whitespace (spaCy rejects such entity spans too)."),
    Code("E-SPAN-DUPLICATE", ERROR, "two items of one layer have the same span", "delete one of them or correct its offsets"),
    Code("E-ID-DUPLICATE", ERROR, "an id is used twice", "give each item its own id; never reuse an id",
         "Ids are written once and never reused, so that they stay stable across versions. Each id is unique in its "
         "file: an item's id in its annotation or layer file, an entity_id in registry.json, an annotator_id in "
         "annotators.json, a decision id in its decisions file."),
    Code("E-ID-ISSUED", ERROR, "an id's number is above the highest the file records as issued for its layer",
         "set issued.<layer> to the highest id number of the layer (the fix names it); never lower it",
         "Each annotation file records in issued the highest id number ever issued per layer, so that a deleted "
         "id is never issued again: a new item takes the number one above it (Annotations.next_id) and the "
         "counter is raised with it. An id above the counter means the file was edited without raising it; a "
         "counter lowered below an id in use is the same error. Reported once per layer, at the highest id. "
         "A counter lowered to no less than the ids in use passes here, but newsspans diff reports it and "
         "newsspans release refuses it."),
    Code("E-ID-PATTERN", ERROR, "an id that must be a lowercase ASCII slug is not one",
         "write the suggested slug: lowercase ASCII letters and digits, words joined by single hyphens",
         "Registry ids (entity_id, speaker_entity_id), claimants, cluster ids, story ids and annotator ids match "
         "^[a-z0-9]+(-[a-z0-9]+)*$, so that they read the same in every tool, file name and URL. The message names each "
         "character the pattern forbids (an upper-case letter, a space, a letter outside ASCII such as \"æ\"); the fix "
         "spells the id in ASCII: the letters Unicode does not decompose by their usual spelling (æ -> ae, ø -> o, "
         "ß -> ss, đ -> d, ł -> l, þ -> th, œ -> oe), the others without their accents, lower case, anything else one "
         "hyphen (\"Ingrid Sæther\" -> \"ingrid-saether\"). A claimant is \"author\" (the article's own voice) or a "
         "registry id: one that names the author (\"the author\") is told \"author\"."),
    Code("W-ID-ORDER", WARNING, "a layer's ids are not numbered m1, m2, … (q…, c…) in order",
         "renumber the layer's ids in text order, unless the document is released",
         "A new annotation file numbers each layer's items 1, 2, … in text order (guidelines 4.7, 5.5 and 7). Ids are "
         "never reused, so a deleted item leaves a gap: ids that increase in text order and skip numbers (none above "
         "the file's `issued`) are in order. A released document that gains an item breaks the order on purpose: keep "
         "its ids and ignore this warning. Reported once per layer, at the first id out of sequence."),
    Code("W-ITEM-ORDER", WARNING, "an item is listed after an item of its layer that starts later",
         "move its line up to its place in text order",
         "Each layer is listed in text order: mentions and claims by start, quotes by content start, so that the "
         "file reads like the text and ids follow it."),
    Code("W-SPAN-PUNCT", WARNING, "a claim or an indirect quote's content ends with sentence punctuation",
         "leave the final . ! or ? out of the span (the suggested offsets)",
         "A claim and an indirect quote's content are clauses without their final sentence punctuation "
         "(guidelines 4.2 and 5.2); an abbreviation's period (\"the U.S.\") may stay."),
    # Entities
    Code("E-ENT-LABEL", ERROR, "an entity mention has an unknown label", "use one of the 18 OntoNotes 5.0 types (the closest is suggested)"),
    Code("E-ENT-OVERLAP", ERROR, "two entity mentions overlap", "keep one mention per stretch of text (mentions are flat)",
         "Entity mentions are flat: they never overlap or nest (the guidelines keep the longer name)."),
    Code("E-ENT-ID-MISSING", ERROR, "a mention of a type that names a referent has no entity_id",
         "add the registry id of the referent",
         "PERSON, NORP, FAC, ORG, GPE, LOC, PRODUCT, EVENT and LAW mentions carry an entity_id. Not checked in "
         "suggestions files: a model may suggest a name the registry does not know (entity_id null), which the "
         "annotator links or adds to the registry."),
    Code("E-ENT-ID-FORBIDDEN", ERROR, "a mention of a numeric or temporal type has an entity_id", "set entity_id to null"),
    Code("E-ENT-REF", ERROR, "a mention's entity_id is not in the registry", "correct the id or add the entity to corpus/registry.json"),
    Code("E-ENT-TYPE", ERROR, "a mention's label differs from its registry entity's type", "use the registry's type, or link another entity"),
    Code("W-ENT-UNANNOTATED", WARNING, "a registry alias occurs in the text without a mention covering it",
         "annotate it, or leave it if the guidelines list the case as an exception",
         "Every occurrence of a registry alias should be covered by an entity mention. An occurrence "
         "inside a longer mention (\"Iran\" in \"Iranian\", \"Russia\" in \"Russian Security Council\") is covered. "
         "Where occurrences overlap (\"Ingrid Sæther\" and its \"Sæther\"), the longest is reported, then the leftmost, "
         "and none that overlaps one reported. Checked in gold's annotation files and in every annotator's layer files, not in suggestions files (a set of "
         "suggestions is not complete by definition)."),
    Code("W-REG-UNUSED", WARNING, "a registry entity is never referred to", "remove the entry or annotate its mentions",
         "A mention, speaker or claimant referring to it in gold or in any annotator's layer counts as a use; a "
         "suggestion does not (the gazetteer suggests every entry's aliases)."),
    Code("W-REG-ORDER", WARNING, "the registry is not sorted by entity_id", "move the entry up to its place in entity_id order",
         "registry.json lists its entries sorted by entity_id (guidelines 3.3), so that a new entry has one place "
         "and diffs stay small."),
    Code("W-REG-ALIAS-MISSING", WARNING, "a mention's text is not among its registry entity's aliases",
         "add the text to the entity's aliases in registry.json",
         "An entity's aliases are every distinct surface form of its mentions in the corpus (guidelines 3.3); the "
         "check of unannotated aliases only finds the forms listed. Reported once per document and form. The aliases "
         "list gold's surface forms: the annotators' layers are not checked for it."),
    Code("W-REG-ALIAS-UNUSED", WARNING, "a registry alias is the text of none of its entity's mentions",
         "remove the alias, or annotate its mentions",
         "The aliases are exactly the surface forms of the entity's gold mentions, over the whole corpus (the "
         "annotators' layers do not count). Not checked for an entity that a gold mention which failed its checks may "
         "belong to, nor when a document could not be read."),
    # Quotes
    Code("E-QUOTE-TYPE", ERROR, "a quote has an unknown type", "use direct, indirect or mixed"),
    Code("E-QUOTE-MARKS", ERROR, "a direct quote's content is not enclosed by quotation marks",
         "make the content exactly the characters between the opening and closing marks, or change the type",
         "The content of a direct quote is exactly the characters between its quotation marks, marks excluded."),
    Code("E-QUOTE-OVERLAP", ERROR, "a quote's speaker or cue overlaps its content", "speaker and cue lie outside the content"),
    Code("E-QUOTE-SPEAKER-REF", ERROR, "a quote's speaker_entity_id is not in the registry", "correct the id, add the entity, or set it to null"),
    Code("E-QUOTE-SPEAKER-MISSING", ERROR, "a quote has a speaker_entity_id but no speaker span",
         "annotate the speaker span (the suggested mention of the entity, if it is the source), or set speaker_entity_id to null",
         "speaker_entity_id resolves the speaker span: the registry id of the source the speaker mention names "
         "(guidelines 4.3). A quote whose source the text does not mention has speaker null, and nothing to resolve, "
         "so its speaker_entity_id is null too. The fix names the mention of the entity nearest the quote's cue (or "
         "content), outside the content, where there is one."),
    Code("W-QUOTE-TYPE-MARKS", WARNING, "the quotation marks inside a quote's content do not fit its type",
         "split a direct quote at the mark, or change the type (mixed with marks, indirect without)",
         "A direct content lies between two marks and holds none (a mark inside means two quoted passages, unless "
         "it quotes inside the quote); an indirect content holds no marks; a mixed content holds the quoted words "
         "with their marks (guidelines 4.2). A ’ between two letters is an apostrophe, not a mark."),
    Code("W-QUOTE-THAT", WARNING, "an indirect quote's content starts with the complementizer 'that'",
         "start the content after 'that' (the suggested offsets)",
         "The content of an indirect quote is the reported clause without its leading complementizer "
         "(guidelines 4.2); a demonstrative \"that\" (\"that was a mistake\") stays."),
    Code("W-QUOTE-GROUP", WARNING, "a group_id is used by a single quote", "give the other parts of the statement the same group_id, or set it to null",
         "A group_id ties the parts of one statement split by an attribution (\"…,\" he said, \"…\")."),
    # Claims
    Code("E-CLAIM-LABEL", ERROR, "a claim has an unknown label", "use CFS or UFS"),
    Code("E-CLAIM-CLAIMANT", ERROR, "a claim's claimant is neither 'author' nor a registry id", "use 'author' or a registry id"),
    # Cross-document
    Code("W-CLUSTER-SINGLE", WARNING, "a cluster_id is used in only one document of the corpus",
         "give the same statement in the other document the same cluster_id, or set it to null",
         "A cluster_id links the same quote or claim reported in several documents; used in one document only "
         "(once or more), it links nothing. Judged per source: gold on its own, and each annotator's layers on "
         "their own. Suggestions files take no part."),
    # Annotators, their layers, adjudication decisions
    Code("E-ANNOTATOR-EMAIL", ERROR, "an annotator's note holds an e-mail address",
         "remove the address; say who or what annotated, and how, without it",
         "The corpus is published and never holds an e-mail address: an annotator is named by a slug id "
         "(annotator-1, model-a) and described by its note."),
    Code("W-ANNOTATOR-ORDER", WARNING, "annotators.json is not sorted by annotator_id",
         "move the entry up to its place in annotator_id order",
         "annotators.json lists its entries sorted by annotator_id (newsspans annotator add keeps it so), so that a "
         "new entry has one place and diffs stay small."),
    Code("E-LAYER-ANNOTATOR", ERROR, "a folder under layers/ names no annotator of annotators.json",
         "add the annotator (newsspans annotator add ID --kind human|model), or rename the folder to its id",
         "An annotator's layers live in layers/<annotator id>/<document id>.json, and every layer is attributed: its "
         "annotator is listed in annotators.json with its kind. A layer file gets every check of gold's annotation "
         "file, against the same text and registry, reported in the layer file; the folder's files are checked even "
         "when its name is wrong."),
    Code("E-LAYER-DOCUMENT", ERROR, "a layer file is for a document the corpus does not have",
         "rename it to the id of the document it annotates, or remove it",
         "layers/<annotator>/<id>.json annotates the document <id> (texts/<id>.txt); without it, its spans cannot be "
         "checked. The cross-document warnings are not checked while one is there (its uses of the registry are unknown)."),
    Code("E-DECISION-DOCUMENT", ERROR, "a decisions file is for a document the corpus does not have",
         "rename it to the id of the document it adjudicates, or remove it"),
    Code("E-DECISION-ANNOTATOR", ERROR, "a decision's options name an annotator not in annotators.json",
         "correct the name, or add the annotator to annotators.json",
         "decisions/<id>.jsonl holds one decision per line on where the annotators' layers of the document disagree: "
         "options gives each annotator's items there, by annotator id."),
    Code("E-DECISION-TAKE", ERROR, "a decision's take is none of null, an annotator of its options, 'neither' and 'edit'",
         "take an annotator of options, 'neither', 'edit' (with items), or null (not decided yet)",
         "take says what the adjudicated gold keeps: null (not decided yet), the items of one annotator of options, "
         "none of them ('neither'), or the decision's own corrected items ('edit'). Whether the options are still what "
         "the layers hold is checked by newsspans adjudicate."),
    Code("E-DECISION-ITEMS", ERROR, "a decision's items are given without take 'edit', or missing with it",
         "with take 'edit' write the corrected items (without ids); otherwise set items to null",
         "items holds the corrected items of a decision that takes 'edit', in the layer's item format without ids "
         "(adjudication gives them their gold ids); with any other take it is null."),
    # Suggestions
    Code("E-SUGGESTION-DOCUMENT", ERROR, "a suggestions file is for a document the corpus does not have",
         "remove it (newsspans suggest writes the suggestions of the corpus's documents), or rename it to its document's id",
         "suggestions/<id>.json holds newsspans suggest's suggestions for the document <id> (texts/<id>.txt): the "
         "annotation file's format, each item with its source and score, checked against the suggestion schema and "
         "then by every check of an annotation file, reported in the suggestions file, except those that do not fit a "
         "suggestion: a mention whose type names a referent may have entity_id null (E-ENT-ID-MISSING), the aliases "
         "are not checked against it (W-ENT-UNANNOTATED, W-REG-ALIAS-MISSING, W-REG-ALIAS-UNUSED), and it takes no part "
         "in the cross-document checks (W-CLUSTER-SINGLE, W-REG-UNUSED)."),
    Code("E-SUGGESTION-ANNOTATOR", ERROR, "a suggestions file is attributed to an annotator not in annotators.json",
         "run newsspans suggest again (it lists its model annotator), or add the annotator "
         "(newsspans annotator add ID --kind model)",
         "In a corpus with annotator layers (annotators.json), newsspans suggest attributes its suggestions to a model "
         "annotator, newsspans-suggest, named by the file's annotator key and listed in annotators.json; the "
         "suggestions still live in suggestions/, apart from gold and from the annotators' layers."),
)

CODES: dict[str, Code] = {c.code: c for c in _CODES}


@dataclass(frozen=True)
class Problem:
    """One problem, located as precisely as the check can: file, line, document, item, offsets."""

    code: str
    message: str
    file: Optional[str] = None
    line: Optional[int] = None
    column: Optional[int] = None
    document_id: Optional[str] = None
    item: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None
    fix: Optional[str] = None

    @property
    def severity(self) -> str:
        return CODES[self.code].severity

    def __str__(self) -> str:
        where = self.file or "<corpus>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [f"{where}: [{self.code}]"]
        if self.item:
            parts.append(self.item)
        if self.start is not None and self.end is not None:
            parts.append(f"{self.start}-{self.end}:")
        elif self.item:
            parts[-1] += ":"
        text = " ".join(parts) + " " + self.message
        if self.fix:
            text += f" — {self.fix}"
        return text

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["severity"] = self.severity
        return d


class CorpusInvalid(NewsSpansError):
    """The corpus has errors; ``problems`` holds every problem found, errors and warnings."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = sum(1 for p in problems if p.severity == ERROR)
        super().__init__(f"the corpus has {errors} error(s)")
