"""The corpus on disk: its layout, canonical JSON writing, lenient reading, ``add`` and ``remove``."""

from ._add import KEEP_FLAGS, Added, DocumentInfo, add_document, add_texts, new_document_meta, parse_dateline
from ._controls import KINDS as CONTROL_KINDS, TextControl, text_controls
from ._remove import Removed, files_of_document, remove_document
from ._packed import (BLOCK_DOCUMENTS, MANIFEST, SHARD_BYTES, block_documents, check_blocks, PackedReader, PackResult, document_of, is_packed, is_url, iter_documents, pack,
                      read_manifest, unpack, write_packed)
from ._annotators import add_annotator, annotators_with, check_annotator_id, dumps_annotators
from ._canonical import dumps_canonical
from ._layout import (
    ANNOTATIONS,
    ANNOTATORS,
    DECISIONS,
    chosen_documents,
    corpus_folder,
    LAYERS_DIR,
    decision_documents,
    decisions_file,
    layer_documents,
    layer_file,
    CORPUS_PARTS,
    DATASET,
    DOCUMENT_FOLDERS,
    DOCUMENTS,
    REGISTRY,
    SUGGESTIONS,
    TEXTS,
    document_ids,
    is_corpus,
    suggestion_documents,
    suggestions_file,
    symlinked_parts,
)
from ._read import (
    MAX_DEPTH,
    DocumentFiles,
    LenientDocument,
    SymlinkRefused,
    lenient_document,
    load_json,
    may_hold_surrogates,
    parse_json_leniently,
    read_document_files,
    read_annotators_lenient,
    read_document_lenient,
    read_file,
    read_layer_lenient,
    read_registry_lenient,
    registry_lenient,
    replace_surrogates,
    too_deep,
)

__all__ = [
    "chosen_documents", "corpus_folder", "ANNOTATORS", "DECISIONS", "LAYERS_DIR", "add_annotator", "annotators_with", "check_annotator_id", "decision_documents",
    "decisions_file", "dumps_annotators", "layer_documents", "layer_file", "read_annotators_lenient",
    "read_layer_lenient", "SUGGESTIONS", "suggestion_documents", "suggestions_file",
    "ANNOTATIONS", "CORPUS_PARTS", "DATASET", "DOCUMENT_FOLDERS", "DOCUMENTS", "MAX_DEPTH", "REGISTRY", "TEXTS",
    "DocumentFiles", "LenientDocument", "SymlinkRefused", "add_document", "new_document_meta", "lenient_document", "read_document_files",
    "document_ids", "dumps_canonical", "is_corpus", "load_json", "may_hold_surrogates", "parse_dateline",
    "parse_json_leniently", "read_document_lenient", "read_file", "read_registry_lenient", "registry_lenient", "replace_surrogates",
    "symlinked_parts", "too_deep", "MANIFEST", "SHARD_BYTES", "PackResult", "iter_documents", "pack", "read_manifest",
    "unpack", "write_packed", "Removed", "files_of_document", "remove_document",
    "KEEP_FLAGS", "Added", "DocumentInfo", "add_texts", "CONTROL_KINDS", "TextControl", "text_controls", "BLOCK_DOCUMENTS", "block_documents", "check_blocks", "PackedReader", "document_of", "is_packed", "is_url",
]
