"""``newsspans adjudicate``: the layers of two annotators compared unit by unit, agreement taken into
gold, each disagreement one line of ``corpus/decisions/<id>.jsonl``, the decisions applied with
stable gold ids, all in one atomic write.

Every corpus here is the seed corpus copied to a temporary folder, with an annotator list and two
layers of one document invented by the test (spans found in the text, entity ids looked up in the
registry): nothing depends on today's gold.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import gold_only, read_json, run, tree_bytes, write_json

from newsspans import atomic
from newsspans.adjudication import AdjudicationRefused, adjudicate
from newsspans.labels import ENTITY_ID_LABELS
from newsspans.model import id_number

DOC = "000_1936301ef05f6424"
A, B = "ann-a", "ann-b"


# --- building layers ------------------------------------------------------------------------------

def text_of(corpus: Path) -> str:
    return (corpus / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")


def span(corpus: Path, surface: str, nth: int = 0) -> dict:
    text, at = text_of(corpus), -1
    for _ in range(nth + 1):
        at = text.index(surface, at + 1)
    return {"start": at, "end": at + len(surface), "text": surface}


def mention(corpus: Path, surface: str, label: str, nth: int = 0, entity: str | None = None) -> dict:
    if label in ENTITY_ID_LABELS and entity is None:
        entries = read_json(corpus / "registry.json")["entities"]
        entity = next(e["entity_id"] for e in entries if surface in e["aliases"] and e["type"] == label)
    return {**span(corpus, surface, nth), "label": label, "entity_id": entity if label in ENTITY_ID_LABELS else None}


def claim(corpus: Path, surface: str, label: str = "CFS") -> dict:
    return {**span(corpus, surface), "label": label, "claimant": "author", "cluster_id": None}


def quote(corpus: Path, surface: str, group: str | None = None) -> dict:
    return {"type": "indirect", "content": span(corpus, surface), "speaker": None, "cue": None,
            "speaker_entity_id": None, "group_id": group, "cluster_id": None}


PREFIX = {"entities": "m", "quotes": "q", "claims": "c"}


def start_of(item: dict) -> int:
    return (item["content"] if "content" in item else item)["start"]


def write_layer(corpus: Path, annotator: str, *, first_id: int = 1, **layers: list) -> dict:
    """Annotator's layer of DOC: items numbered in text order from ``first_id``; returns it."""
    value = {"document_id": DOC, "issued": {}}
    for layer, prefix in PREFIX.items():
        items = sorted(layers.get(layer, []), key=start_of)
        value[layer] = [{"id": f"{prefix}{first_id + k}", **x} for k, x in enumerate(items)]
        value["issued"][layer] = first_id - 1 + len(items)
    folder = corpus / "layers" / annotator
    folder.mkdir(parents=True, exist_ok=True)
    write_json(folder / f"{DOC}.json", value)
    return value


@pytest.fixture
def corpus_copy(corpus_copy):
    """The seed corpus copied without its own annotators, layers and decisions: these tests invent theirs."""
    return gold_only(corpus_copy)


@pytest.fixture
def corpus(corpus_copy: Path) -> Path:
    """The seed corpus with two annotators, and DOC's gold emptied (issued kept: ids are never reused)."""
    write_json(corpus_copy / "annotators.json", {"annotators": [
        {"annotator_id": A, "kind": "model", "note": None}, {"annotator_id": B, "kind": "human", "note": None}]})
    gold = read_json(corpus_copy / "annotations" / f"{DOC}.json")
    write_json(corpus_copy / "annotations" / f"{DOC}.json", {**gold, "entities": [], "quotes": [], "claims": []})
    return corpus_copy


def gold(corpus: Path) -> dict:
    return read_json(corpus / "annotations" / f"{DOC}.json")


def bare(items: list) -> list:
    return [{k: v for k, v in x.items() if k != "id"} for x in items]


def decisions(corpus: Path) -> list[dict]:
    path = corpus / "decisions" / f"{DOC}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def decide(corpus: Path, decision: str, take, items=None, reason=None) -> int:
    """Set a decision's take (as a person does in an editor); returns its line number."""
    lines = decisions(corpus)
    k = next(i for i, d in enumerate(lines) if d["decision"] == decision)
    lines[k].update(take=take, items=items, reason=reason)
    (corpus / "decisions" / f"{DOC}.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in lines),
                                                       encoding="utf-8")
    return k + 1


def adjudicated(corpus: Path, *args) -> tuple[int, str, str]:
    return run("adjudicate", "--corpus", corpus, *args)


# --- units and decisions ----------------------------------------------------------------------------

def test_what_all_annotators_agree_on_goes_to_gold_without_a_decision(corpus):
    agreed = [mention(corpus, "Tehran", "GPE"), mention(corpus, "Tuesday", "DATE")]
    write_layer(corpus, A, entities=agreed, claims=[claim(corpus, "Iran supplied Russia with Shahed drones")])
    write_layer(corpus, B, first_id=7, entities=agreed, claims=[claim(corpus, "Iran supplied Russia with Shahed drones")])
    code, out, err = adjudicated(corpus)
    assert code == 0, err
    assert not (corpus / "decisions" / f"{DOC}.jsonl").exists()
    g = gold(corpus)
    assert bare(g["entities"]) == sorted(agreed, key=start_of)
    assert bare(g["claims"]) == [claim(corpus, "Iran supplied Russia with Shahed drones")]
    assert f"{DOC}: 3 agreed, decisions 0 open / 0 made" in out and "3 added" in out


def test_each_disagreement_is_one_decision_line_in_text_order(corpus):
    text = text_of(corpus)
    a = write_layer(corpus, A, entities=[mention(corpus, "Tehran", "GPE"), mention(corpus, "Sergei", "PERSON", entity="sergei-shoigu"),
                                         mention(corpus, "Shoigu", "PERSON", entity="sergei-shoigu")],
                    claims=[claim(corpus, "Iran supplied Russia with Shahed drones", "CFS")])
    b = write_layer(corpus, B, entities=[mention(corpus, "Tehran", "GPE"), mention(corpus, "Sergei Shoigu", "PERSON"),
                                         mention(corpus, "Tuesday", "DATE")],
                    claims=[claim(corpus, "Iran supplied Russia with Shahed drones", "UFS")])
    before = gold(corpus)
    code, out, err = adjudicated(corpus)
    assert code == 0, err
    lines = decisions(corpus)
    by_id = {x["id"]: x for layer in ("entities", "claims") for x in a[layer]}
    by_id_b = {x["id"]: x for layer in ("entities", "claims") for x in b[layer]}
    sergei, shoigu = (next(x for x in a["entities"] if x["text"] == s) for s in ("Sergei", "Shoigu"))
    full = next(x for x in b["entities"] if x["text"] == "Sergei Shoigu")
    tuesday = next(x for x in b["entities"] if x["text"] == "Tuesday")
    expected = [  # the two-mention unit, the mention only B has, the claim: by start in the text
        ("entities", {A: [sergei, shoigu], B: [full]}, full["start"]),
        ("entities", {A: [], B: [tuesday]}, tuesday["start"]),
        ("claims", {A: [a["claims"][0]], B: [b["claims"][0]]}, a["claims"][0]["start"]),
    ]
    expected.sort(key=lambda e: e[2])
    assert [d["decision"] for d in lines] == ["d1", "d2", "d3"]
    assert [(d["layer"], d["options"]) for d in lines] == [(layer, options) for layer, options, _ in expected]
    assert all(d["take"] is None and d["items"] is None and d["reason"] is None for d in lines)
    assert all(x["id"] in (by_id if k == A else by_id_b) for d in lines for k, xs in d["options"].items() for x in xs)
    assert gold(corpus) == before  # nothing decided: the gold is not written
    assert f"decisions/{DOC}.jsonl: 3 open, first at line 1" in out and "1 agreed" in out
    assert text[full["start"]:full["end"]] == "Sergei Shoigu"


def disagreeing_layers(corpus: Path) -> None:
    """Four disagreements: an entity only A has, a claim label, a span, a quote only B has."""
    write_layer(corpus, A, entities=[mention(corpus, "Tehran", "GPE"), mention(corpus, "Tuesday", "DATE")],
                claims=[claim(corpus, "Iran supplied Russia with Shahed drones", "CFS"),
                        claim(corpus, "Masoud Pezeshkian also spoke about the conflict in Gaza", "UFS")])
    write_layer(corpus, B, entities=[mention(corpus, "Tehran", "GPE")],
                claims=[claim(corpus, "Iran supplied Russia with Shahed drones", "UFS"),
                        claim(corpus, "Masoud Pezeshkian also spoke about the conflict", "UFS")],
                quotes=[quote(corpus, "Relations between the two countries are developing in all sectors")])


def unit_of(corpus: Path, layer: str, who: str, surface: str) -> str:
    """The id of the decision whose options hold ``who``'s item of ``layer`` with ``surface``."""
    def text(x):
        return (x["content"] if layer == "quotes" else x)["text"]
    return next(d["decision"] for d in decisions(corpus) if d["layer"] == layer and any(text(x) == surface for x in d["options"][who]))


def test_a_rerun_keeps_what_was_decided_and_the_decision_ids(corpus):
    disagreeing_layers(corpus)
    assert adjudicated(corpus)[0] == 0
    first = decisions(corpus)
    label = unit_of(corpus, "claims", A, "Iran supplied Russia with Shahed drones")
    decide(corpus, label, A, reason="a delivery is checkable")
    # B now agrees on Tuesday (that undecided line goes) and adds Russia (a new line, id above the highest)
    write_layer(corpus, B, entities=[mention(corpus, "Tehran", "GPE"), mention(corpus, "Tuesday", "DATE"), mention(corpus, "Russia", "GPE")],
                claims=[claim(corpus, "Iran supplied Russia with Shahed drones", "UFS"),
                        claim(corpus, "Masoud Pezeshkian also spoke about the conflict", "UFS")],
                quotes=[quote(corpus, "Relations between the two countries are developing in all sectors")])
    tuesday = unit_of(corpus, "entities", A, "Tuesday")
    code, out, err = adjudicated(corpus)
    assert code == 0, err
    second = {d["decision"]: d for d in decisions(corpus)}
    assert second[label]["take"] == A and second[label]["reason"] == "a delivery is checkable"
    assert second[label]["options"] == next(d for d in first if d["decision"] == label)["options"]
    assert tuesday not in second
    highest = max(int(d["decision"][1:]) for d in first)
    [new] = [d for d in second if d not in {x["decision"] for x in first}]
    assert int(new[1:]) == highest + 1 and second[new]["options"][A] == []
    assert {d for d in second} - {new} == {x["decision"] for x in first} - {tuesday}
    assert "1 new, 1 dropped" in out
    starts = [min(start_of(x) for xs in d["options"].values() for x in xs) for d in decisions(corpus)]
    assert starts == sorted(starts)


def test_each_take_gives_its_gold(corpus):
    disagreeing_layers(corpus)
    adjudicated(corpus)
    edited = claim(corpus, "Masoud Pezeshkian also spoke about the conflict in Gaza", "CFS")
    decide(corpus, unit_of(corpus, "entities", A, "Tuesday"), A)
    decide(corpus, unit_of(corpus, "claims", A, "Iran supplied Russia with Shahed drones"), B, reason="an assessment")
    decide(corpus, unit_of(corpus, "claims", A, "Masoud Pezeshkian also spoke about the conflict in Gaza"), "edit", items=[edited])
    decide(corpus, unit_of(corpus, "quotes", B, "Relations between the two countries are developing in all sectors"), "neither")
    code, out, err = adjudicated(corpus)
    assert code == 0, err
    g = gold(corpus)
    assert bare(g["entities"]) == [mention(corpus, "Tehran", "GPE"), mention(corpus, "Tuesday", "DATE")]  # agreed + A
    assert bare(g["claims"]) == [claim(corpus, "Iran supplied Russia with Shahed drones", "UFS"), edited]  # B, edit
    assert g["quotes"] == []  # neither
    assert "decisions 0 open / 4 made" in out and "gold written" in out
    assert adjudicated(corpus, "--check")[0] == 0


# --- gold ids -----------------------------------------------------------------------------------------

def test_gold_ids_are_stable_and_never_reused(corpus):
    tehran, tuesday, russia = mention(corpus, "Tehran", "GPE"), mention(corpus, "Tuesday", "DATE"), mention(corpus, "Russia", "GPE")
    g = gold(corpus)
    issued = g["issued"]["entities"]
    survivor = f"m{issued - 2}"  # an id of the current gold, below the counter
    write_json(corpus / "annotations" / f"{DOC}.json", {**g, "entities": [{"id": survivor, **tehran}]})
    write_layer(corpus, A, entities=[tehran, tuesday])
    write_layer(corpus, B, entities=[tehran, russia])
    adjudicated(corpus)
    d_tuesday, d_russia = unit_of(corpus, "entities", A, "Tuesday"), unit_of(corpus, "entities", B, "Russia")
    decide(corpus, d_tuesday, A)
    decide(corpus, d_russia, "neither")
    assert adjudicated(corpus)[0] == 0
    ids = {x["text"]: x["id"] for x in gold(corpus)["entities"]}
    assert ids["Tehran"] == survivor  # equal to an item of the gold: keeps its id
    assert id_number("entities", ids["Tuesday"]) == issued + 1  # new: above issued
    assert gold(corpus)["issued"]["entities"] == issued + 1
    decide(corpus, d_tuesday, "neither")
    decide(corpus, d_russia, B)
    code, out, err = adjudicated(corpus)
    assert code == 0, err
    assert f"- {ids['Tuesday']} " in out and f"+ m{issued + 2} " in out
    decide(corpus, d_tuesday, A)  # back again: a new id, never the removed one
    adjudicated(corpus)
    again = {x["text"]: x["id"] for x in gold(corpus)["entities"]}
    assert again == {"Tehran": survivor, "Russia": f"m{issued + 2}", "Tuesday": f"m{issued + 3}"}
    assert gold(corpus)["issued"]["entities"] == issued + 3


def test_an_item_whose_attribute_changed_keeps_its_gold_id_and_a_moved_span_gets_a_new_one(corpus):
    g = gold(corpus)
    issued = g["issued"]["entities"]
    iran, tehran = mention(corpus, "Iran", "GPE"), mention(corpus, "Tehran", "GPE")
    write_json(corpus / "annotations" / f"{DOC}.json", {**g, "entities": [{"id": "m1", **iran}, {"id": "m2", **tehran}]})
    relabelled = {**iran, "label": "NORP", "entity_id": "iranians"}  # same span, another label and id
    moved = {**mention(corpus, "Tehran", "GPE", nth=1)}  # the same surface elsewhere: another annotation
    write_layer(corpus, A, entities=[relabelled, moved])
    write_layer(corpus, B, entities=[iran, tehran])
    adjudicated(corpus)
    decide(corpus, unit_of(corpus, "entities", A, "Iran"), A)
    decide(corpus, unit_of(corpus, "entities", A, "Tehran"), A)
    decide(corpus, unit_of(corpus, "entities", B, "Tehran"), "neither")
    code, out, err = adjudicated(corpus)
    assert code == 0, err
    by_start = {x["start"]: x for x in gold(corpus)["entities"]}
    assert by_start[iran["start"]]["id"] == "m1" and by_start[iran["start"]]["label"] == "NORP"  # changed, same id
    assert by_start[moved["start"]]["id"] == f"m{issued + 1}"  # a new span: a new id, above issued
    assert tehran["start"] not in by_start


def test_quote_groups_of_different_annotators_never_collide(corpus):
    s = ["Sergei Shoigu met with Iran’s new President Masoud Pezeshkian in Tehran on Tuesday",
         "Iran supplied Russia with Shahed drones to support its Assault",
         "Relations between the two countries are developing in all sectors",
         "Masoud Pezeshkian also spoke about the conflict in Gaza"]
    write_layer(corpus, A, quotes=[quote(corpus, s[0], "g1"), quote(corpus, s[1], "g1")])
    write_layer(corpus, B, quotes=[quote(corpus, s[2], "g1"), quote(corpus, s[3], "g1")])
    adjudicated(corpus)
    for k in range(4):
        decide(corpus, unit_of(corpus, "quotes", A if k < 2 else B, s[k]), A if k < 2 else B)
    code, out, err = adjudicated(corpus)
    assert code == 0, err
    groups = [q["group_id"] for q in gold(corpus)["quotes"]]
    assert groups[0] == groups[1] and groups[2] == groups[3] and groups[0] != groups[2]
    before = tree_bytes(corpus)
    assert "gold unchanged" in adjudicated(corpus)[1] and tree_bytes(corpus) == before  # names and ids stay


def test_an_agreed_quote_joins_the_groups_of_the_annotators(corpus):
    s = ["Sergei Shoigu met with Iran’s new President Masoud Pezeshkian in Tehran on Tuesday",
         "Iran supplied Russia with Shahed drones to support its Assault",
         "Relations between the two countries are developing in all sectors"]
    write_layer(corpus, A, quotes=[quote(corpus, s[0], "g1"), quote(corpus, s[1], "g1")])
    write_layer(corpus, B, quotes=[quote(corpus, s[0], "g1"), quote(corpus, s[2], "g1")])  # s[0] agreed
    adjudicated(corpus)
    decide(corpus, unit_of(corpus, "quotes", A, s[1]), A)
    decide(corpus, unit_of(corpus, "quotes", B, s[2]), B)
    assert adjudicated(corpus)[0] == 0
    assert len({q["group_id"] for q in gold(corpus)["quotes"]} - {None}) == 1 and len(gold(corpus)["quotes"]) == 3


# --- refusals -------------------------------------------------------------------------------------------

def test_a_decided_line_whose_layers_changed_is_refused_and_nothing_is_written(corpus):
    disagreeing_layers(corpus)
    adjudicated(corpus)
    label = unit_of(corpus, "claims", A, "Iran supplied Russia with Shahed drones")
    line = decide(corpus, label, B)
    write_layer(corpus, B, entities=[mention(corpus, "Tehran", "GPE")],  # B's claim label changes: the decision is stale
                claims=[claim(corpus, "Iran supplied Russia with Shahed drones", "CFS")])
    before = tree_bytes(corpus)
    code, out, err = adjudicated(corpus)
    assert code == 1 and tree_bytes(corpus) == before
    assert f"decisions/{DOC}.jsonl:{line}: {label} (claims, take '{B}')" in err
    assert "delete the line" in err and "restore the layers" in err and "nothing was written" in err
    with pytest.raises(AdjudicationRefused) as refused:
        adjudicate(corpus=corpus)
    assert len(refused.value.errors) == 1 and tree_bytes(corpus) == before


def test_an_invalid_edit_is_refused_at_its_line(corpus):
    disagreeing_layers(corpus)
    adjudicated(corpus)
    wrong = {**claim(corpus, "Iran supplied Russia with Shahed drones")}
    wrong["start"] += 1
    d = unit_of(corpus, "claims", A, "Iran supplied Russia with Shahed drones")
    line = decide(corpus, d, "edit", items=[wrong])
    before = tree_bytes(corpus)
    code, out, err = adjudicated(corpus)
    assert code == 1 and tree_bytes(corpus) == before
    assert f"decisions/{DOC}.jsonl:{line}: {d} items[0] {wrong['start']}-{wrong['end']}: [E-SPAN-TEXT]" in err
    assert f"did you mean {wrong['start'] - 1}-{wrong['end']}" in err


@pytest.mark.parametrize("take, items, says", [
    ("nobody", None, "[E-DECISION-TAKE]"),
    (A, [], "[E-DECISION-ITEMS]"),
    ("edit", None, "[E-DECISION-ITEMS]"),
])
def test_a_take_that_cannot_be_applied_is_refused(corpus, take, items, says):
    disagreeing_layers(corpus)
    adjudicated(corpus)
    line = decide(corpus, "d1", take, items=items)
    before = tree_bytes(corpus)
    code, out, err = adjudicated(corpus)
    assert code == 1 and tree_bytes(corpus) == before
    assert f"decisions/{DOC}.jsonl:{line}: {says}" in err


def test_a_layer_with_errors_is_refused_where_the_error_is(corpus):
    write_layer(corpus, A, entities=[mention(corpus, "Tehran", "GPE")])
    broken = write_layer(corpus, B, entities=[mention(corpus, "Tehran", "GPE")])
    broken["entities"][0]["text"] = "Tehra"
    write_json(corpus / "layers" / B / f"{DOC}.json", broken)
    code, out, err = adjudicated(corpus)
    assert code == 1 and f"layers/{B}/{DOC}.json:" in err and "[E-SPAN-TEXT]" in err


def test_a_gold_the_validator_refuses_is_located_at_the_decision(corpus):
    write_layer(corpus, A, entities=[mention(corpus, "Tehran", "GPE")])
    write_layer(corpus, B, entities=[])
    adjudicated(corpus)
    wrong = {**mention(corpus, "Tehran", "GPE"), "label": "ORG"}
    line = decide(corpus, "d1", "edit", items=[wrong])
    code, out, err = adjudicated(corpus)
    assert code == 1 and f"decisions/{DOC}.jsonl:{line}: d1 items[0]" in err and "[E-ENT-TYPE]" in err


# --- modes, the command and the write -----------------------------------------------------------------

def test_check_fails_on_open_decisions_and_on_a_stale_gold_and_writes_nothing(corpus):
    disagreeing_layers(corpus)
    before = tree_bytes(corpus)
    code, out, err = adjudicated(corpus, "--check")
    assert code == 1 and tree_bytes(corpus) == before and "4 open, first at line 1" in err
    adjudicated(corpus)
    for d in decisions(corpus):
        decide(corpus, d["decision"], "neither")
    before = tree_bytes(corpus)
    code, out, err = adjudicated(corpus, "--check")  # every decision made, but the gold lacks the agreed mention
    assert code == 1 and tree_bytes(corpus) == before and "differs from what the layers and decisions give" in err
    assert adjudicated(corpus)[0] == 0 and adjudicated(corpus, "--check")[0] == 0
    decide(corpus, unit_of(corpus, "entities", A, "Tuesday"), A)
    code, out, err = adjudicated(corpus, "--check")
    assert code == 1 and "differs from what the layers and decisions give" in err
    assert adjudicated(corpus)[0] == 0 and adjudicated(corpus, "--check")[0] == 0


def test_a_dry_run_writes_nothing(corpus):
    disagreeing_layers(corpus)
    before = tree_bytes(corpus)
    code, out, err = adjudicated(corpus, "--dry-run")
    assert code == 0 and tree_bytes(corpus) == before and "dry run: would write 1 file; nothing was written" in out
    result = adjudicate(corpus=corpus, dry_run=True)
    assert result.files == [corpus / "decisions" / f"{DOC}.jsonl"] and result.open == 4 and tree_bytes(corpus) == before


def test_the_library_is_keyword_only_and_reports_per_document(corpus):
    disagreeing_layers(corpus)
    with pytest.raises(TypeError):
        adjudicate(corpus)  # type: ignore[misc]
    result = adjudicate(corpus=corpus, documents=[DOC], annotators=[A, B])
    [doc] = result.documents
    assert (doc.document_id, doc.annotators, doc.agreed, doc.open, doc.made) == (DOC, [A, B], 1, 4, 0)
    assert doc.gold is None and doc.first_open_line == 1


def test_a_layer_folder_of_no_listed_annotator_is_left_out_with_a_note(corpus):
    disagreeing_layers(corpus)
    write_layer(corpus, "stranger", entities=[mention(corpus, "Russia", "GPE")])
    code, out, err = adjudicated(corpus)
    assert code == 0 and "'stranger' is not in" in err and "left out" in err
    assert all(set(d["options"]) == {A, B} for d in decisions(corpus))


@pytest.mark.parametrize("args, says", [
    (["--annotators", A], "two or more"),
    (["--docs", "../texts"], "not a document id"),
    (["--annotators", A, "nobody"], "no annotator 'nobody'"),
    (["--docs", "no-such-doc"], "no document 'no-such-doc'"),
])
def test_naming_what_cannot_be_adjudicated_is_a_usage_error(corpus, args, says):
    disagreeing_layers(corpus)
    code, out, err = adjudicated(corpus, *args)
    assert code == 2 and says in err


def test_a_document_with_one_layer_is_not_adjudicated(corpus):
    write_layer(corpus, A, entities=[mention(corpus, "Tehran", "GPE")])
    before = tree_bytes(corpus)
    code, out, err = adjudicated(corpus)
    assert code == 0 and "nothing to adjudicate" in out and tree_bytes(corpus) == before
    assert adjudicated(corpus, "--docs", DOC)[0] == 2


def test_an_adjudication_killed_at_any_change_leaves_everything_as_it_was(corpus, tmp_path):
    from test_atomic import count_changes, kill_at

    disagreeing_layers(corpus)
    adjudicated(corpus)
    tuesday = unit_of(corpus, "entities", A, "Tuesday")
    for d in decisions(corpus):
        if d["decision"] != tuesday:
            decide(corpus, d["decision"], A)
    layer = read_json(corpus / "layers" / B / f"{DOC}.json")  # B now agrees on Tuesday: its open line is dropped
    write_layer(corpus, B, entities=[*bare(layer["entities"]), mention(corpus, "Tuesday", "DATE")],
                claims=bare(layer["claims"]), quotes=bare(layer["quotes"]))
    old = tree_bytes(corpus)
    probe = tmp_path / "probe"
    shutil.copytree(corpus, probe)
    total = count_changes(lambda: adjudicate(corpus=probe))
    new = tree_bytes(probe)
    changed = {p for p in new if new[p] != old.get(p)}
    assert changed == {f"decisions/{DOC}.jsonl", f"annotations/{DOC}.json"}
    for k in range(total):
        shutil.rmtree(probe)
        shutil.copytree(corpus, probe)
        assert kill_at(k, lambda: adjudicate(corpus=probe))
        committed = (probe / atomic.JOURNAL).exists()
        atomic.finish_writes(probe)  # what the next write in the corpus does first
        assert tree_bytes(probe) == (new if committed else old), k
