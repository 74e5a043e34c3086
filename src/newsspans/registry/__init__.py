"""The entity registry (``corpus/registry.json``) and the commands on it: list, show where an
entry is used, add, rename, merge, sort.

``_store`` reads the file strictly and writes it in its canonical order (entries by id, aliases
sorted); ``_references`` is the one list of the places a corpus file refers to a registry id;
``_files`` reads the files that can; ``_uses`` finds an entry's uses; ``_edit`` writes, every file
of a rename or merge in one atomic step.
"""

from ._edit import RegistryEdit, add_entity, merge_entities, rename_entity, sort_registry
from ._references import ID_FIELDS, USE_KINDS, annotation_references, decision_references
from ._store import canonical, check_entity_id, check_entity_type, dumps_registry, entry_of, load_registry
from ._uses import EntityUses, Use, entity_uses

__all__ = [
    "EntityUses", "ID_FIELDS", "RegistryEdit", "USE_KINDS", "Use", "add_entity", "annotation_references", "canonical",
    "check_entity_id", "check_entity_type", "decision_references", "dumps_registry", "entity_uses", "entry_of", "load_registry",
    "merge_entities", "rename_entity", "sort_registry",
]
