"""``newsspans registry``: list, show, add, rename, merge, sort; every reference follows a rename
or merge, in every kind of file, all or nothing; the file stays in its canonical order."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from helpers import read_json, run, tree_bytes, write_json

KINDS = {"entities": ("entity_id", "mention"), "quotes": ("speaker_entity_id", "speaker"), "claims": ("claimant", "claimant")}


def references(corpus: Path) -> Counter:
    """(entity id, kind of use, folder) -> count, found by walking the files here, independently of the library."""
    found: Counter = Counter()

    def items(value, layer, folder):
        name, kind = KINDS[layer]
        for item in value or []:
            v = item.get(name)
            if v is not None and v != "author":
                found[(v, kind, folder)] += 1

    for path in sorted(corpus.rglob("*.json")):
        folder = path.relative_to(corpus).parts[0]
        if folder in ("annotations", "layers", "suggestions"):
            value = read_json(path)
            for layer in KINDS:
                items(value.get(layer), layer, folder)
    for path in sorted(corpus.glob("decisions/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            for options in d["options"].values():
                items(options, d["layer"], "decisions")
            items(d["items"], d["layer"], "decisions")
    return found


def uses_of(found: Counter, entity_id: str) -> Counter:
    return Counter({(kind, folder): n for (e, kind, folder), n in found.items() if e == entity_id})


def most_used(corpus: Path) -> str:
    """The registry id with references in the most kinds of file (then the most references)."""
    found = references(corpus)
    ids = {e for e, _, _ in found}
    return max(sorted(ids), key=lambda e: (len({f for (x, _, f) in found if x == e}), sum(uses_of(found, e).values())))


def entries(corpus: Path) -> list[dict]:
    return read_json(corpus / "registry.json")["entities"]


def validate_ok(corpus: Path) -> bool:
    code, out, err = run("validate", "--corpus", corpus)
    return code == 0


# --- list and show ------------------------------------------------------------------------------


def test_list_prints_every_entry_and_filters_by_type(corpus_copy):
    code, out, err = run("registry", "list", "--corpus", corpus_copy)
    assert code == 0, err
    lines = out.splitlines()
    assert [line.split("\t")[0] for line in lines] == [e["entity_id"] for e in entries(corpus_copy)]
    first = entries(corpus_copy)[0]
    n = len(first["aliases"])
    assert lines[0] == f"{first['entity_id']}\t{first['type']}\t{first['name']}\t{n} alias{'es' * (n != 1)}"
    person = [e for e in entries(corpus_copy) if e["type"] == "PERSON"]
    code, out, err = run("registry", "list", "--type", "PERSON", "--format", "json", "--corpus", corpus_copy)
    assert code == 0 and json.loads(out) == [{"entity_id": e["entity_id"], "type": "PERSON", "name": e["name"],
                                              "alias_count": len(e["aliases"])} for e in person]
    code, out, err = run("registry", "list", "--type", "DATE", "--corpus", corpus_copy)
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "'DATE'" in err


def test_show_counts_and_locates_every_use(corpus_copy):
    entity_id = most_used(corpus_copy)
    expected = uses_of(references(corpus_copy), entity_id)
    code, out, err = run("registry", "show", entity_id, "--format", "json", "--corpus", corpus_copy)
    assert code == 0, err
    shown = json.loads(out)
    folder_of = {"gold": "annotations", "layer": "layers", "suggestions": "suggestions", "decisions": "decisions"}
    got = Counter({(kind, folder_of[source]): n for kind, per in shown["counts"].items() for source, n in per.items()})
    assert got == expected
    for use in shown["uses"]:  # each use is at its line: the line holds the id and the item's text
        line = Path(use["file"]).read_text(encoding="utf-8").split("\n")[use["line"] - 1] if Path(use["file"]).is_absolute() \
            else (corpus_copy.parent / use["file"]).read_text(encoding="utf-8").split("\n")[use["line"] - 1]
        assert f'"{entity_id}"' in line and json.dumps(use["text"], ensure_ascii=False) in line
    code, out, err = run("registry", "show", entity_id, "--corpus", corpus_copy)
    assert code == 0 and out.startswith(f"{entity_id}\t") and f"mentions: {sum(n for (k, _), n in expected.items() if k == 'mention')}" in out


def test_show_refuses_an_unknown_id_in_one_line(corpus_copy):
    code, out, err = run("registry", "show", "no-such-entity", "--corpus", corpus_copy)
    assert code == 2 and out == "" and err.count("\n") == 1 and "no entity 'no-such-entity'" in err


# --- rename -------------------------------------------------------------------------------------


def test_rename_moves_every_reference_in_every_kind_of_file(corpus_copy):
    old = most_used(corpus_copy)
    new = "renamed-" + old
    before_refs = references(corpus_copy)
    before = tree_bytes(corpus_copy)
    valid_before = validate_ok(corpus_copy)
    code, out, err = run("registry", "rename", old, new, "--corpus", corpus_copy)
    assert code == 0, err
    after_refs = references(corpus_copy)
    assert uses_of(after_refs, old) == Counter() and uses_of(after_refs, new) == uses_of(before_refs, old)
    ids = [e["entity_id"] for e in entries(corpus_copy)]
    assert new in ids and old not in ids and ids == sorted(ids)
    after = tree_bytes(corpus_copy)
    assert set(after) == set(before)
    for rel in before:  # only the lines holding the old id changed, and into the new id
        old_lines, new_lines = before[rel].decode().split("\n"), after[rel].decode().split("\n")
        if rel == "registry.json":
            continue
        assert len(old_lines) == len(new_lines), rel
        for a, b in zip(old_lines, new_lines):
            assert a == b or (f'"{old}"' in a and b == a.replace(f'"{old}"', f'"{new}"')), rel
    assert validate_ok(corpus_copy) == valid_before


def test_rename_dry_run_writes_nothing(corpus_copy):
    old = most_used(corpus_copy)
    before = tree_bytes(corpus_copy)
    code, out, err = run("registry", "rename", old, "x-" + old, "--dry-run", "--corpus", corpus_copy)
    assert code == 0 and "would write" in out and tree_bytes(corpus_copy) == before


@pytest.mark.parametrize("new, status, says", [
    ("ingrid-sæther", 2, "does not match the id pattern"),
    ("Ingrid", 2, "does not match the id pattern"),
    ("double--hyphen", 2, "does not match the id pattern"),
    ("author", 2, "reserved"),
])
def test_rename_refuses_a_bad_id_in_one_line(corpus_copy, new, status, says):
    old = most_used(corpus_copy)
    before = tree_bytes(corpus_copy)
    code, out, err = run("registry", "rename", old, new, "--corpus", corpus_copy)
    assert (code, out, err.count("\n")) == (status, "", 1) and says in err
    assert tree_bytes(corpus_copy) == before


def test_rename_refuses_an_unknown_or_existing_id(corpus_copy):
    a, b = [e["entity_id"] for e in entries(corpus_copy)[:2]]
    before = tree_bytes(corpus_copy)
    code, out, err = run("registry", "rename", "no-such-entity", "fresh-id", "--corpus", corpus_copy)
    assert code == 2 and "no entity 'no-such-entity'" in err and err.count("\n") == 1
    code, out, err = run("registry", "rename", a, b, "--corpus", corpus_copy)
    assert code == 1 and f"has an entity {b!r} already" in err and f"merge {a} INTO {b}" in err and err.count("\n") == 1
    assert tree_bytes(corpus_copy) == before


def test_rename_is_all_or_nothing_when_a_file_cannot_be_read_exactly(corpus_copy):
    old = most_used(corpus_copy)
    layer = sorted((corpus_copy / "layers").rglob("*.json"))[-1]
    text = layer.read_text(encoding="utf-8")
    broken = text.replace('"document_id"', '"document_id": "x", "document_id"', 1)  # a key twice: not readable exactly
    layer.write_text(broken + f'\n"{old}"', encoding="utf-8")
    before = tree_bytes(corpus_copy)
    code, out, err = run("registry", "rename", old, "fresh-" + old, "--corpus", corpus_copy)
    assert code == 1 and err.count("\n") == 1 and layer.name in err
    assert tree_bytes(corpus_copy) == before


def test_cluster_ids_are_not_registry_ids_and_stay(corpus_copy):
    old = most_used(corpus_copy)
    gold = sorted((corpus_copy / "annotations").glob("*.json"))[0]
    value = read_json(gold)
    value["quotes"][0]["cluster_id"] = old  # a statement cluster that happens to share the spelling
    write_json(gold, value)
    code, out, err = run("registry", "rename", old, "fresh-" + old, "--corpus", corpus_copy)
    assert code == 0, err
    assert read_json(gold)["quotes"][0]["cluster_id"] == old


# --- merge --------------------------------------------------------------------------------------


def _same_type_pair(corpus: Path) -> tuple[dict, dict]:
    by_type: dict[str, list[dict]] = {}
    for e in entries(corpus):
        by_type.setdefault(e["type"], []).append(e)
    return next(es[:2] for es in by_type.values() if len(es) >= 2)


def test_merge_unites_aliases_repoints_references_and_removes_the_source(corpus_copy):
    a, b = _same_type_pair(corpus_copy)
    value = read_json(corpus_copy / "registry.json")
    for e in value["entities"]:  # the target takes the source's Wikidata id when it has none
        if e["entity_id"] in (a["entity_id"], b["entity_id"]):
            e["wikidata"] = "Q5" if e["entity_id"] == a["entity_id"] else None
    write_json(corpus_copy / "registry.json", value)
    refs = references(corpus_copy)
    expected = uses_of(refs, a["entity_id"]) + uses_of(refs, b["entity_id"])
    code, out, err = run("registry", "merge", a["entity_id"], "INTO", b["entity_id"], "--corpus", corpus_copy)
    assert code == 0, err
    after = {e["entity_id"]: e for e in entries(corpus_copy)}
    assert a["entity_id"] not in after
    merged = after[b["entity_id"]]
    assert merged["aliases"] == sorted(set(a["aliases"]) | set(b["aliases"]))
    assert merged["name"] == b["name"] and merged["wikidata"] == "Q5"
    assert uses_of(references(corpus_copy), b["entity_id"]) == expected
    assert uses_of(references(corpus_copy), a["entity_id"]) == Counter()


def test_merge_refuses_different_types_and_different_wikidata_ids(corpus_copy):
    es = entries(corpus_copy)
    a = es[0]
    other = next(e for e in es if e["type"] != a["type"])
    before = tree_bytes(corpus_copy)
    code, out, err = run("registry", "merge", a["entity_id"], "INTO", other["entity_id"], "--corpus", corpus_copy)
    assert code == 1 and "correct the type" in err and err.count("\n") == 1 and tree_bytes(corpus_copy) == before
    a, b = _same_type_pair(corpus_copy)
    value = read_json(corpus_copy / "registry.json")
    for e in value["entities"]:
        if e["entity_id"] in (a["entity_id"], b["entity_id"]):
            e["wikidata"] = "Q1" if e["entity_id"] == a["entity_id"] else "Q2"
    write_json(corpus_copy / "registry.json", value)
    before = tree_bytes(corpus_copy)
    code, out, err = run("registry", "merge", a["entity_id"], "into", b["entity_id"], "--corpus", corpus_copy)
    assert code == 1 and "Q1" in err and "Q2" in err and tree_bytes(corpus_copy) == before
    code, out, err = run("registry", "merge", a["entity_id"], "WITH", b["entity_id"], "--corpus", corpus_copy)
    assert code == 2 and "INTO" in err


# --- add and sort -------------------------------------------------------------------------------


def test_add_puts_the_entry_in_its_place_with_sorted_aliases(corpus_copy):
    code, out, err = run("registry", "add", "zz-new-agency", "--type", "ORG", "--name", "New Agency", "--alias", "NA",
                         "--alias", "Agency", "--wikidata", "Q42", "--corpus", corpus_copy)
    assert code == 0, err
    es = entries(corpus_copy)
    ids = [e["entity_id"] for e in es]
    assert ids == sorted(ids)
    assert next(e for e in es if e["entity_id"] == "zz-new-agency") == {
        "entity_id": "zz-new-agency", "name": "New Agency", "type": "ORG", "aliases": ["Agency", "NA"], "wikidata": "Q42"}
    code, out, err = run("registry", "sort", "--check", "--corpus", corpus_copy)
    assert code == 0


@pytest.mark.parametrize("args, status, says", [
    (["brussels", "--type", "GPE", "--name", "Brussels"], 1, "already"),
    (["new-one", "--type", "DATE", "--name", "X"], 2, "'DATE' is unknown"),
    (["New_One", "--type", "ORG", "--name", "X"], 2, "id pattern"),
    (["new-one", "--type", "ORG", "--name", ""], 2, "schema"),
    (["new-one", "--type", "ORG", "--name", "X", "--wikidata", "42"], 2, "schema"),
])
def test_add_refuses_in_one_line(corpus_copy, args, status, says):
    if args[0] == "brussels":
        args[0] = entries(corpus_copy)[0]["entity_id"]
    before = tree_bytes(corpus_copy)
    code, out, err = run("registry", "add", *args, "--corpus", corpus_copy)
    assert (code, err.count("\n")) == (status, 1) and says in err and tree_bytes(corpus_copy) == before


def test_sort_puts_a_hand_edited_registry_back_in_order_losing_nothing(corpus_copy):
    value = read_json(corpus_copy / "registry.json")
    original = value["entities"]
    shuffled = [dict(e, aliases=list(reversed(e["aliases"]))) for e in original]
    random.Random(7).shuffle(shuffled)
    write_json(corpus_copy / "registry.json", {"entities": shuffled})
    code, out, err = run("registry", "sort", "--check", "--corpus", corpus_copy)
    assert code == 1 and "registry sort" in err
    code, out, err = run("registry", "sort", "--corpus", corpus_copy)
    assert code == 0, err
    assert entries(corpus_copy) == sorted(original, key=lambda e: e["entity_id"])
    assert all(e["aliases"] == sorted(e["aliases"]) for e in entries(corpus_copy))
    before = tree_bytes(corpus_copy)
    code, out, err = run("registry", "sort", "--corpus", corpus_copy)
    assert code == 0 and "is sorted" in out and tree_bytes(corpus_copy) == before


def test_a_registry_listing_an_id_twice_is_never_rewritten(corpus_copy):
    value = read_json(corpus_copy / "registry.json")
    value["entities"].append(dict(value["entities"][0], name="Another"))
    write_json(corpus_copy / "registry.json", value)
    before = tree_bytes(corpus_copy)
    code, out, err = run("registry", "sort", "--corpus", corpus_copy)
    assert code == 1 and "listed twice" in err and tree_bytes(corpus_copy) == before


def test_a_rename_that_fails_while_writing_leaves_every_file_as_it_was(corpus_copy, monkeypatch):
    import newsspans.atomic as atomic

    old = most_used(corpus_copy)
    real, calls = atomic._write_staged, []

    def failing(path, data, created):
        calls.append(path)
        if len(calls) == 3:  # a full disk, say, with some files of the rename staged already
            raise OSError(28, "No space left on device", str(path))
        return real(path, data, created)

    monkeypatch.setattr(atomic, "_write_staged", failing)
    before = tree_bytes(corpus_copy)
    code, out, err = run("registry", "rename", old, "fresh-" + old, "--corpus", corpus_copy)
    assert code == 1 and "No space left on device" in err and err.count("\n") == 1
    assert tree_bytes(corpus_copy) == before  # no file renamed, no staged file left behind
