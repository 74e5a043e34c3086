"""The corpus on disk: its layout, canonical JSON writing, lenient reading, and ``add``."""

from ._add import add_document, parse_dateline
from ._canonical import dumps_canonical
from ._layout import (
    ANNOTATIONS,
    CORPUS_PARTS,
    DATASET,
    DOCUMENT_FOLDERS,
    DOCUMENTS,
    REGISTRY,
    TEXTS,
    document_ids,
    is_corpus,
)
from ._read import (
    DocumentFiles,
    LenientDocument,
    lenient_document,
    load_json,
    read_document_files,
    read_document_lenient,
    read_registry_lenient,
)

__all__ = [
    "ANNOTATIONS", "CORPUS_PARTS", "DATASET", "DOCUMENT_FOLDERS", "DOCUMENTS", "REGISTRY", "TEXTS",
    "DocumentFiles", "LenientDocument", "add_document", "lenient_document", "read_document_files", "document_ids", "dumps_canonical", "is_corpus", "load_json",
    "parse_dateline", "read_document_lenient", "read_registry_lenient",
]
