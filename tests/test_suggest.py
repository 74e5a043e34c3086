"""Suggestions (issue 13): the gazetteer, the numeric rules, the spaCy source, the suggestions files
and ``newsspans suggest --evaluate``. Invented texts, registries and corpora only; every expected
figure is computed by hand in the test."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

import jsonschema
import pytest
from helpers import ROOT, read_json, run, tree_bytes, write_json
from hypothesis import given, settings
from hypothesis import strategies as st
from test_validate_properties import _replace_somewhere, json_values

from newsspans import atomic
from newsspans.corpus import dumps_canonical
from newsspans.errors import BadInput, NewsSpansError
from newsspans.model import RegistryEntry
from newsspans.suggestions import (CONLL_LABEL_MAP, LABEL_MAP, default_label_map, SPACY_MISSING, Gazetteer, SpacyModel, Suggestion, evaluate_suggestions,
                                   flatten, load_model, suggest, suggest_demonyms, suggest_document,
                                   suggest_gazetteer, suggest_numeric, suggestion_value, SUGGESTER)
from newsspans.validation import SCHEMAS


def entry(entity_id: str, type_: str, *aliases: str, name: str = "") -> RegistryEntry:
    return RegistryEntry(entity_id, name or (aliases[0] if aliases else entity_id), type_, tuple(aliases), None)


REGISTRY = {e.entity_id: e for e in (
    entry("velmora", "GPE", "Velmora"),
    entry("velmorans", "NORP", "Velmoran"),
    entry("velmoran-defence-council", "ORG", "Velmoran Defence Council"),
    entry("idris-kalvane", "PERSON", "Idris Kalvane", "Kalvane"),
    entry("orsk", "GPE", "Orsk"),
    entry("port-arlen", "GPE", "Port Arlen"),
    entry("arlen-bay", "LOC", "Arlen Bay"),
)}


def found(suggestions, text=None):
    return [(s.item["text"], s.item["label"], s.item.get("entity_id")) for s in suggestions]


def spans(suggestions):
    return [(s.item["start"], s.item["end"]) for s in suggestions]


def assert_flat(suggestions):
    ordered = sorted(spans(suggestions))
    assert all(a[1] <= b[0] for a, b in zip(ordered, ordered[1:])), ordered


# --- the gazetteer ---------------------------------------------------------------------------------

def test_the_longest_alias_wins_and_suggestions_never_overlap():
    text = "The Velmoran Defence Council met Idris Kalvane in Port Arlen Bay; Kalvane left Velmora."
    got = suggest_gazetteer(text, registry=REGISTRY)
    assert found(got) == [("Velmoran Defence Council", "ORG", "velmoran-defence-council"),
                          ("Idris Kalvane", "PERSON", "idris-kalvane"), ("Port Arlen", "GPE", "port-arlen"),
                          ("Kalvane", "PERSON", "idris-kalvane"), ("Velmora", "GPE", "velmora")]
    assert_flat(got)
    for s in got:
        assert text[s.item["start"]:s.item["end"]] == s.item["text"] and s.source == "gazetteer@2" and 0 <= s.score <= 1
    # A multi-word alias is surer than a one-word alias.
    assert got[0].score > got[3].score


def test_the_leading_the_stays_outside_and_matching_is_case_sensitive():
    text = "the Velmoran Defence Council and The Orsk delegates; orsk and VELMORA are not names here."
    assert found(suggest_gazetteer(text, registry=REGISTRY)) == [
        ("Velmoran Defence Council", "ORG", "velmoran-defence-council"), ("Orsk", "GPE", "orsk")]


def test_a_name_glued_to_a_function_word_is_cut_out_but_not_out_of_a_demonym():
    registry = {"copenhagen": RegistryEntry("copenhagen", "Copenhagen", "GPE", ("Copenhagen",), None),
                "israel": RegistryEntry("israel", "Israel", "GPE", ("Israel",), None),
                "chile": RegistryEntry("chile", "Chile", "GPE", ("Chile",), None)}
    got = suggest_gazetteer("Shares rose in Copenhagenafter the vote; Israelis and Chilean fans.", registry=registry)
    assert [s.item["text"] for s in got] == ["Copenhagen"]


def test_a_name_is_cut_out_of_a_glued_token_and_a_derived_word_is_skipped():
    registry = {k: v for k, v in REGISTRY.items() if k != "velmorans"}  # no alias "Velmoran"
    text = "presidentIdris Kalvane flew to Velmorawhile the Velmoran and Velmoras envoys stayed; MacKalvane, 5Orsk, Orsk7."
    got = suggest_gazetteer(text, registry=registry)
    assert found(got) == [("Idris Kalvane", "PERSON", "idris-kalvane"), ("Velmora", "GPE", "velmora")]
    plain = suggest_gazetteer("Idris Kalvane flew to Velmora.", registry=registry)
    assert [s.score for s in got] < [s.score for s in plain]  # a glued match is less sure
    # With the demonym in the registry, the longer word is its own mention (guideline 3.4, exception 1).
    assert found(suggest_gazetteer("the Velmoran envoys", registry=REGISTRY)) == [("Velmoran", "NORP", "velmorans")]


def test_an_alias_of_several_entries_takes_the_first_id_of_one_type_and_none_of_several():
    same = {"arlen-north": entry("arlen-north", "GPE", "Arlen"), "arlen-south": entry("arlen-south", "GPE", "Arlen")}
    [s] = suggest_gazetteer("They reached Arlen.", registry=same)
    assert (s.item["entity_id"], s.item["label"]) == ("arlen-north", "GPE")
    [alone] = suggest_gazetteer("They reached Arlen.", registry={"arlen-north": same["arlen-north"]})
    assert s.score < alone.score
    mixed = {**same, "arlen-org": entry("arlen-org", "ORG", "Arlen")}
    assert suggest_gazetteer("They reached Arlen.", registry=mixed) == []


def test_demonyms_are_suggested_for_the_groups_the_registry_has():
    registry = {"ukrainians": entry("ukrainians", "NORP", "Ukrainians", name="Ukrainians")}
    text = "Ukrainian farmers and Georgian wine; Ukrainians."
    assert found(suggest_demonyms(text, registry=registry)) == [("Ukrainian", "NORP", "ukrainians"),
                                                                 ("Ukrainians", "NORP", "ukrainians")]
    assert suggest_demonyms(text, registry={}) == []


def test_flatten_prefers_the_longer_then_the_surer_then_the_registry():
    def s(start, end, source, score, label="GPE"):
        return Suggestion("entities", {"start": start, "end": end, "text": "x" * (end - start), "label": label,
                                       "entity_id": None}, source, score)

    kept = flatten([s(0, 4, "gazetteer@1", 0.9), s(0, 10, "spacy:en_x@1", 0.5), s(12, 16, "spacy:en_x@1", 0.9, "ORG"),
                    s(12, 16, "gazetteer@1", 0.9), s(14, 18, "rules-numeric@1", 0.9), s(20, 24, "gazetteer@1", 0.5),
                    s(21, 25, "rules-numeric@1", 0.95)])
    assert [(k.item["start"], k.item["end"], k.source) for k in kept] == [
        (0, 10, "spacy:en_x@1"), (12, 16, "gazetteer@1"), (21, 25, "rules-numeric@1")]


# --- the numeric rules -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("The talks ended on Tuesday, March 4, 2025 at 7:15:02 PM.", [("Tuesday, March 4, 2025", "DATE"), ("7:15:02 PM", "TIME")]),
    ("Filed 2023-11-30 and again in 2024.", [("2023-11-30", "DATE"), ("2024", "DATE")]),
    ("Over the past few weeks, three ministers resigned.", [("the past few weeks", "DATE"), ("three", "CARDINAL")]),
    ("The 1,250-kilometer pipeline cost $4.5 billion, or 3 million euros per 15 km.",
     [("1,250-kilometer", "QUANTITY"), ("$4.5 billion", "MONEY"), ("3 million euros", "MONEY"), ("15 km", "QUANTITY")]),
    ("Prices rose 7% in May and 4.2 percent in June.",
     [("7%", "PERCENT"), ("May", "DATE"), ("4.2 percent", "PERCENT"), ("June", "DATE")]),
    ("It was the second vote and the 3rd round.", [("second", "ORDINAL"), ("3rd", "ORDINAL")]),
    ("The meeting began at 10 a.m. and lasted two hours.", [("10 a.m.", "TIME"), ("two hours", "TIME")]),
    ("About 300 people came, as many as 40 by bus.", [("About 300", "CARDINAL"), ("as many as 40", "CARDINAL")]),
])
def test_each_numeric_type_with_its_modifiers(text, expected):
    got = suggest_numeric(text)
    assert [(s.item["text"], s.item["label"]) for s in got] == expected
    assert all(s.item["entity_id"] is None and s.source == "rules-numeric@2" for s in got)
    assert_flat(got)


@pytest.mark.parametrize("text, expected", [
    ("Profit was 2.4 billion Danish crowns, after 950,000 zlotys and 30 Hong Kong dollars.",
     [("2.4 billion Danish crowns", "MONEY"), ("950,000 zlotys", "MONEY"), ("30 Hong Kong dollars", "MONEY")]),
    ("It expects between 7 billion and 8 billion crowns, and 8 a.m. to 8 p.m. shifts.",
     [("between 7 billion and 8 billion crowns", "MONEY"), ("8 a.m. to 8 p.m.", "TIME")]),
    ("Temperatures stayed between 9 and 13 degrees Celsius between 2019 and 2022.",
     [("between 9 and 13 degrees Celsius", "QUANTITY"), ("between 2019 and 2022", "DATE")]),
    ("Output rose from 5% to 7% over 1991-2020.", [("5%", "PERCENT"), ("7%", "PERCENT"), ("1991-2020", "DATE")]),
    ("He got four years and six months; she ran 2 hours 19 minutes 52 seconds.",
     [("four years and six months", "DATE"), ("2 hours 19 minutes 52 seconds", "TIME")]),
    ("It broke at about 2:30 a.m. after a four-hour debate, more than a minute ahead.",
     [("about 2:30 a.m.", "TIME"), ("four-hour", "TIME"), ("more than a minute", "TIME")]),
    ("Convicted last March, it opens in the first half of 2026; second-quarter and full-year profit fell.",
     [("last March", "DATE"), ("the first half of 2026", "DATE"), ("second-quarter", "DATE"), ("full-year", "DATE")]),
    ("The panel meets every six months and by the end of the year, this evening or over the weekend.",
     [("every six months", "DATE"), ("the end of the year", "DATE"), ("this evening", "TIME"), ("the weekend", "DATE")]),
    ("Its fleet moved 1.6 million twenty-foot containers.", [("1.6 million", "CARDINAL"), ("twenty-foot", "QUANTITY")]),
])
def test_ranges_currencies_durations_and_periods(text, expected):
    got = suggest_numeric(text)
    assert [(s.item["text"], s.item["label"]) for s in got] == expected
    assert_flat(got)


TEXTS = [ROOT / "corpus" / "texts", ROOT / "tests" / "fixtures" / "devset" / "corpus" / "texts",
         ROOT / "tests" / "fixtures" / "heldout" / "corpus" / "texts"]


@pytest.mark.parametrize("text", [
    *(p.read_text(encoding="utf-8") for folder in TEXTS for p in sorted(folder.glob("*.txt"))),
    "This morning, Over 200 came; US$5, C$7 and A$9. The 1990s and the 21st century; up to 40 km/h.",
    "Earlier this week, as many as 12 and at least a dozen. Every two years. Full-year results, mid-March.",
])
def test_trying_the_rules_only_at_triggers_finds_what_every_position_finds(text):
    """The triggers and the modifier words before them (a speed-up) lose no expression."""
    assert suggest_numeric(text) == suggest_numeric(text, exhaustive=True)


def test_numbers_inside_names_words_and_pronouns_are_not_suggested():
    text = "A Tu-154 and the G7 met at COVID-19 talks; no one came, one another waved, but one of them spoke."
    got = suggest_numeric(text)
    assert [(s.item["text"], s.item["label"], s.item["start"]) for s in got] == [("one", "CARDINAL", text.rindex("one of"))]


def test_a_year_after_a_preposition_is_a_date_and_a_count_is_a_cardinal():
    assert [(s.item["text"], s.item["label"]) for s in suggest_numeric("Since 1998, 1,998 people and 12 boats.")] == [
        ("1998", "DATE"), ("1,998", "CARDINAL"), ("12", "CARDINAL")]


# --- the pipeline and spaCy ------------------------------------------------------------------------

def test_the_pipeline_merges_its_sources_flat_and_suggests_no_claims():
    text = "On Monday Idris Kalvane met two Velmoran envoys."
    got = suggest_document(text, registry=REGISTRY, sources=["gazetteer", "numeric"])
    assert found(got) == [("Monday", "DATE", None), ("Idris Kalvane", "PERSON", "idris-kalvane"),
                          ("two", "CARDINAL", None), ("Velmoran", "NORP", "velmorans")]
    assert {s.layer for s in suggest_document(text, registry=REGISTRY)} <= {"entities", "quotes"}
    with pytest.raises(BadInput, match="unknown source"):
        suggest_document(text, registry=REGISTRY, sources=["claims"])
    with pytest.raises(BadInput, match="--model"):
        suggest_document(text, registry=REGISTRY, sources=["spacy"])


class _Ent:
    """A stand-in for a spaCy entity span: what ``SpacyModel`` reads of one."""

    def __init__(self, text: str, surface: str, label: str):
        self.start_char = text.index(surface)
        self.end_char = self.start_char + len(surface)
        self.label_ = label
        self.text = surface


def test_a_models_labels_are_mapped_and_its_spans_trimmed_without_spacy():
    assert all(LABEL_MAP[label] == label for label in SCHEMAS["annotation"]["$defs"]["entity"]["properties"]["label"]["enum"])
    assert (LABEL_MAP["PER"], LABEL_MAP["MISC"]) == ("PERSON", None)
    assert default_label_map({"PER", "LOC", "ORG", "MISC"}) == CONLL_LABEL_MAP and CONLL_LABEL_MAP["LOC"] == "GPE"
    assert default_label_map({"PERSON", "GPE", "LOC"}) == LABEL_MAP
    text = "Yesterday the Orsk Guild praised Kalvane's crew and \"Velmora\" fans."

    class Doc:
        ents = [_Ent(text, "the Orsk Guild", "ORG"), _Ent(text, "Kalvane's", "PER"), _Ent(text, "\"Velmora\"", "LOC"),
                _Ent(text, "fans", "MISC"), _Ent(text, "Yesterday", "DATE")]

    model = SpacyModel(lambda t: Doc(), "spacy:en_test@1.0.0", CONLL_LABEL_MAP | {"DATE": "DATE"})
    got = model.suggest(text, links=Gazetteer(REGISTRY).targets)
    assert found(got) == [("Orsk Guild", "ORG", None), ("Kalvane", "PERSON", "idris-kalvane"), ("Velmora", "GPE", "velmora"),
                          ("Yesterday", "DATE", None)]
    assert {s.source for s in got} == {"spacy:en_test@1.0.0"} and {s.score for s in got} == {0.5}


def test_without_spacy_a_model_is_one_clear_error(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "spacy", None)  # import spacy fails as if it were not installed
    with pytest.raises(NewsSpansError, match="spaCy is not installed"):
        load_model("en_anything")
    corpus = make_corpus(tmp_path)
    code, out, err = run("suggest", "--corpus", corpus, "--model", "en_anything")
    assert code == 1 and err == f"newsspans suggest: {SPACY_MISSING}\n"


def _pipeline(folder: Path, patterns) -> Path:
    spacy = pytest.importorskip("spacy")  # the extra is installed with [test]; see the test above without it
    nlp = spacy.blank("en")
    if patterns is not None:
        nlp.add_pipe("entity_ruler").add_patterns(patterns)
    nlp.to_disk(folder)
    return folder


def test_a_spacy_pipeline_built_here_suggests_through_the_command(tmp_path):
    corpus = make_corpus(tmp_path)
    model = _pipeline(tmp_path / "ruler", [{"label": "PER", "pattern": "Brannock"}, {"label": "PER", "pattern": "Idris Kalvane"},
                                           {"label": "ORG", "pattern": "Orsk Bay"}])
    (tmp_path / "map.json").write_text(json.dumps({"ORG": "FAC"}), encoding="utf-8")
    code, out, err = run("suggest", "--corpus", corpus, "--docs", "a1", "--sources", "gazetteer,spacy", "--model", model,
                         "--label-map", tmp_path / "map.json")
    assert code == 0, err
    items = read_json(corpus / "suggestions" / "a1.json")["entities"]
    spacy_source = "spacy:en_pipeline@0.0.0"
    assert [(m["text"], m["label"], m["entity_id"], m["source"]) for m in items] == [
        ("Idris Kalvane", "PERSON", "idris-kalvane", "gazetteer@2"),  # the same span: the surer source
        ("Orsk Bay", "FAC", None, spacy_source),  # longer than the gazetteer's Orsk; ORG mapped to FAC by the file
        ("Brannock", "PERSON", None, spacy_source)]  # a name the registry does not know
    assert f"entities  {spacy_source}" in out


def test_a_missing_pipeline_or_one_without_entities_is_a_usage_error(tmp_path):
    corpus = make_corpus(tmp_path)
    code, out, err = run("suggest", "--corpus", corpus, "--model", tmp_path / "nowhere")
    assert code == 2 and err.startswith("newsspans suggest: no spaCy pipeline") and err.count("\n") == 1
    code, out, err = run("suggest", "--corpus", corpus, "--model", _pipeline(tmp_path / "blank", None))
    assert code == 2 and "no component that sets entities" in err
    assert not (corpus / "suggestions").exists()


# --- a tiny invented corpus ----------------------------------------------------------------------

A1 = "Idris Kalvane sailed to Orsk Bay on Monday with two ships. Brannock stayed."
A2 = "“We will return,” the captain said. “Never,” she added."
A3 = "Nothing here is annotated yet, Kalvane says."


def _span(text, surface, occurrence=0):
    start = text.index(surface) if occurrence == 0 else text.rindex(surface)
    return {"start": start, "end": start + len(surface), "text": surface}


def _mention(k, text, surface, label, entity_id):
    return {"id": f"m{k}", **_span(text, surface), "label": label, "entity_id": entity_id}


def _quote(k, text, content, speaker, cue):
    return {"id": f"q{k}", "type": "direct", "content": _span(text, content), "speaker": _span(text, speaker),
            "cue": _span(text, cue), "speaker_entity_id": None, "group_id": None, "cluster_id": None}


GOLD = {
    "a1": {"entities": [_mention(1, A1, "Idris Kalvane", "PERSON", "idris-kalvane"), _mention(2, A1, "Orsk Bay", "LOC", "orsk-bay"),
                        _mention(3, A1, "Monday", "DATE", None), _mention(4, A1, "Brannock", "PERSON", "brannock")],
           "quotes": [], "claims": [{"id": "c1", **_span(A1, "Brannock stayed"), "label": "UFS", "claimant": "author",
                                     "cluster_id": None}]},
    "a2": {"entities": [], "quotes": [_quote(1, A2, "We will return,", "the captain", "said"), _quote(2, A2, "Never,", "she", "added")],
           "claims": []},
    "a3": {"entities": [], "quotes": [], "claims": []},
}
TEXTS = {"a1": A1, "a2": A2, "a3": A3}


def make_corpus(tmp_path: Path) -> Path:
    """Three invented documents (a3 not annotated yet), a registry, and one annotator's layer."""
    root = tmp_path / "corpus"
    for sub in ("texts", "documents", "annotations", "layers/ann-a"):
        (root / sub).mkdir(parents=True)
    write_json(root / "dataset.json", {"version": "1.0.0", "pretty_name": "Invented", "license": "other", "license_name": "none",
                                       "license_note": "Invented.", "source_note": "Invented.", "annotation_note": "Invented.",
                                       "annotators_note": "Invented.", "limitations_note": "Invented."})
    registry = [*(e.to_dict() for e in REGISTRY.values()), entry("orsk-bay", "LOC", "Bay of Orsk").to_dict(),
                entry("brannock", "PERSON", "Tomas Brannock").to_dict()]
    write_json(root / "registry.json", {"entities": sorted(registry, key=lambda e: e["entity_id"])})
    write_json(root / "annotators.json", {"annotators": [{"annotator_id": "ann-a", "kind": "human", "note": None}]})
    for doc_id, text in TEXTS.items():
        (root / "texts" / f"{doc_id}.txt").write_bytes(text.encode("utf-8"))
        write_json(root / "documents" / f"{doc_id}.json", {
            "id": doc_id, "title": None, "published": None, "source": f"{doc_id}.txt", "language": "en",
            "story_id": f"story-{doc_id}", "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()})
        gold = GOLD[doc_id]
        ann = {"document_id": doc_id, "issued": {layer: len(gold[layer]) for layer in ("entities", "quotes", "claims")}, **gold}
        write_json(root / "annotations" / f"{doc_id}.json", ann)
        write_json(root / "layers" / "ann-a" / f"{doc_id}.json", ann)
    return root


SOURCES = ["gazetteer", "numeric"]


def test_the_invented_corpus_is_valid(tmp_path):
    code, out, err = run("validate", "--corpus", make_corpus(tmp_path))
    assert code == 0, out + err


def test_suggest_writes_schema_valid_files_and_touches_nothing_else(tmp_path):
    corpus = make_corpus(tmp_path)
    before = tree_bytes(corpus)
    result = suggest(corpus=corpus, sources=SOURCES)
    after = tree_bytes(corpus)
    written = {k for k in after if k not in before or after[k] != before[k]}
    assert written == {"suggestions/a1.json", "suggestions/a2.json", "suggestions/a3.json", "annotators.json"}
    assert {k: v for k, v in after.items() if k not in written} == {k: v for k, v in before.items() if k not in written}
    assert set(before) - written == set(after) - written  # gold, layers, registry: byte for byte
    # The corpus has annotator layers: the suggestions are attributed to a model annotator, listed.
    listed = read_json(corpus / "annotators.json")["annotators"]
    assert [(a["annotator_id"], a["kind"]) for a in listed] == [("ann-a", "human"), (SUGGESTER, "model")]
    validator = jsonschema.Draft202012Validator(SCHEMAS["suggestion"])
    a1 = read_json(corpus / "suggestions" / "a1.json")
    assert list(a1)[:2] == ["document_id", "annotator"] and a1["annotator"] == SUGGESTER
    written.discard("annotators.json")
    for name in written:
        value = read_json(corpus / name)
        assert list(validator.iter_errors(value)) == [] and dumps_canonical(value).encode("utf-8") == after[name]
    assert [(m["id"], m["text"], m["label"]) for m in a1["entities"]] == [
        ("m1", "Idris Kalvane", "PERSON"), ("m2", "Orsk", "GPE"), ("m3", "Monday", "DATE"), ("m4", "two", "CARDINAL")]
    assert a1["issued"] == {"entities": 4, "quotes": 0, "claims": 0}
    assert list(a1["entities"][0]) == ["id", "start", "end", "text", "label", "entity_id", "source", "score"]
    assert result.counts == {("entities", "gazetteer@2"): 3, ("entities", "rules-numeric@2"): 2}  # Kalvane in a3 too
    assert run("validate", "--corpus", corpus)[0] == 0


def test_suggestions_are_attributed_only_where_the_corpus_has_annotators(tmp_path):
    corpus = make_corpus(tmp_path)
    suggest(corpus=corpus, sources=SOURCES)
    listed = (corpus / "annotators.json").read_bytes()
    assert suggest(corpus=corpus, sources=SOURCES).files == [] and (corpus / "annotators.json").read_bytes() == listed
    # Listed but not as a model: refused in one line, nothing written.
    value = read_json(corpus / "annotators.json")
    value["annotators"][1]["kind"] = "human"
    write_json(corpus / "annotators.json", value)
    before = tree_bytes(corpus)
    code, out, err = run("suggest", "--corpus", corpus, "--sources", "gazetteer,numeric")
    assert code == 2 and "not a model" in err and err.count("\n") == 1 and tree_bytes(corpus) == before
    # An annotators.json that cannot be read whole is never rewritten: one line, nothing written.
    value["annotators"] = value["annotators"][:1] + ["not an entry"]
    write_json(corpus / "annotators.json", value)
    shutil.rmtree(corpus / "suggestions")
    before = tree_bytes(corpus)
    code, out, err = run("suggest", "--corpus", corpus, "--sources", "gazetteer,numeric")
    assert code == 1 and "annotators.json cannot be read as a list of annotators" in err and err.count("\n") == 1
    assert tree_bytes(corpus) == before
    # Without annotators.json (and layers): no annotator named, none added.
    shutil.rmtree(corpus / "layers")
    (corpus / "annotators.json").unlink()
    suggest(corpus=corpus, sources=SOURCES)
    assert "annotator" not in read_json(corpus / "suggestions" / "a1.json")
    assert not (corpus / "annotators.json").exists() and run("validate", "--corpus", corpus)[0] == 0


def test_the_suggest_command_counts_and_a_dry_run_writes_nothing(tmp_path):
    corpus = make_corpus(tmp_path)
    before = tree_bytes(corpus)
    code, out, err = run("suggest", "--corpus", corpus, "--sources", "gazetteer,numeric", "--dry-run")
    assert code == 0 and tree_bytes(corpus) == before
    assert "entities  gazetteer@2" in out and "3 documents: 5 entities" in out and "would write 3 suggestions files" in out
    code, out, err = run("suggest", "--corpus", corpus, "--sources", "gazetteer,numeric", "--docs", "a1")
    assert code == 0 and "wrote 1 suggestions file" in out and sorted(p.name for p in (corpus / "suggestions").iterdir()) == ["a1.json"]
    code, out, err = run("suggest", "--corpus", corpus, "--sources", "gazetteer,numeric", "--docs", "a1")
    assert code == 0 and "up to date" in out
    for args, says in [(["--docs", "zz"], "has no document zz"), (["--sources", "gazetteer,claims"], "unknown source")]:
        code, out, err = run("suggest", "--corpus", corpus, *args)
        assert code == 2 and says in err and err.count("\n") == 1


def test_a_suggest_killed_at_any_change_leaves_everything_as_it_was(tmp_path):
    from test_atomic import count_changes, kill_at

    corpus = make_corpus(tmp_path)
    probe = tmp_path / "probe"
    old = tree_bytes(corpus)
    shutil.copytree(corpus, probe)
    total = count_changes(lambda: suggest(corpus=probe, sources=SOURCES))
    new = tree_bytes(probe)
    assert total > 1 and new != old
    for k in range(total):
        shutil.rmtree(probe)
        shutil.copytree(corpus, probe)
        assert kill_at(k, lambda: suggest(corpus=probe, sources=SOURCES))
        committed = (probe / atomic.JOURNAL).exists()
        atomic.finish_writes(probe)  # what the next write in the corpus does first
        assert tree_bytes(probe) == (new if committed else old), k


def test_the_files_do_not_depend_on_the_number_of_workers(tmp_path, monkeypatch):
    from newsspans.suggestions import _run

    corpus = make_corpus(tmp_path)
    suggest(corpus=corpus, sources=SOURCES, workers=1)
    serial = tree_bytes(corpus / "suggestions")
    shutil.rmtree(corpus / "suggestions")
    monkeypatch.setattr(_run, "PARALLEL_MIN_DOCUMENTS", 1)
    monkeypatch.setattr(_run, "CHUNK_DOCUMENTS", 1)
    suggest(corpus=corpus, sources=SOURCES, workers=2)
    assert tree_bytes(corpus / "suggestions") == serial


def test_a_corpus_with_suggestions_builds_the_same_release(tmp_path):
    corpus = make_corpus(tmp_path)
    assert run("build", "--corpus", corpus, "--out", tmp_path / "before", "--workers", "1")[0] == 0
    suggest(corpus=corpus, sources=SOURCES)
    assert run("build", "--corpus", corpus, "--out", tmp_path / "after", "--workers", "1")[0] == 0
    before, after = tree_bytes(tmp_path / "before"), tree_bytes(tmp_path / "after")
    # Only the card (its Suggestions section), croissant.json (its machine annotation tools and analysis) and the
    # manifest (the source digest, their hashes) change.
    assert before.keys() == after.keys()
    assert {rel for rel in before if before[rel] != after[rel]} == {"README.md", "croissant.json", "manifest.json"}
    parquet = [rel for rel in before if rel.endswith(".parquet")]
    assert parquet and all(before[rel] == after[rel] for rel in parquet)


# --- evaluation against gold -----------------------------------------------------------------------

def rows_by_key(rows):
    return {(r.layer, r.label, r.metric): (r.precision, r.recall, r.f1, r.suggested, r.gold, r.matched) for r in rows}


def test_evaluation_figures_are_the_hand_computed_ones(tmp_path):
    corpus = make_corpus(tmp_path)
    rows = evaluate_suggestions(corpus=corpus, sources=SOURCES)
    assert {r.documents for r in rows} == {2}  # a3 has no gold yet
    got = rows_by_key(rows)
    # Suggested in a1: Idris Kalvane PERSON, Orsk GPE, Monday DATE, two CARDINAL; gold: Idris Kalvane
    # PERSON, Orsk Bay LOC, Monday DATE, Brannock PERSON. Exact typed: 2 of 4 each side.
    assert got["entities", None, "exact_typed"] == (0.5, 0.5, 0.5, 4, 4, 2)
    # Overlap ignores the label over all labels: Orsk / Orsk Bay share 4 of 8 characters (Jaccard 0.5).
    assert got["entities", None, "overlap"] == (0.75, 0.75, 0.75, 4, 4, 3)
    assert got["entities", "PERSON", "exact_typed"] == (1.0, 0.5, round(2 / 3, 6), 1, 2, 1)
    assert got["entities", "GPE", "overlap"] == (0.0, None, 0.0, 1, 0, 0)
    assert got["entities", "LOC", "exact_typed"] == (None, 0.0, 0.0, 0, 1, 0)
    assert got["quotes", None, "overlap"] == (None, 0.0, 0.0, 0, 2, 0)
    assert got["quotes", None, "with_speaker"] == (None, 0.0, 0.0, 0, 2, 0)
    assert got["quotes", None, "speaker_agreement"] == (None, None, None, 0, 0, 0)
    assert got["claims", None, "overlap"] == (None, 0.0, 0.0, 0, 1, 0)


def test_evaluating_stored_suggestions_with_quotes(tmp_path):
    corpus = make_corpus(tmp_path)
    suggest(corpus=corpus, sources=SOURCES)
    stored = read_json(corpus / "suggestions" / "a2.json")
    quotes = [_quote(1, A2, "We will return,", "the captain", "said"), _quote(2, A2, "Never", "she", "added"),
              _quote(3, A2, "the captain", "she", "added")]
    quotes[0]["cue"] = None  # differs from gold's "said"
    stored["quotes"] = [{**q, "source": "quotes@1", "score": 0.8} for q in quotes]
    stored["issued"]["quotes"] = 3
    write_json(corpus / "suggestions" / "a2.json", stored)
    got = rows_by_key(evaluate_suggestions(corpus=corpus, stored=True))
    # Contents: "We will return," equal, "Never" inside "Never," (5 of 6); "the captain" matches nothing.
    assert got["quotes", None, "overlap"] == (round(2 / 3, 6), 1.0, 0.8, 3, 2, 2)
    assert got["quotes", None, "speaker_agreement"] == (1.0, 1.0, 1.0, 2, 2, 2)
    assert got["quotes", None, "with_speaker"] == (round(2 / 3, 6), 1.0, 0.8, 3, 2, 2)
    assert got["quotes", None, "cue_agreement"] == (0.5, 0.5, 0.5, 2, 2, 1)
    # A wrong speaker on a matched quote: still matched in content, no longer attributed.
    stored["quotes"][1]["speaker"] = stored["quotes"][0]["speaker"]
    write_json(corpus / "suggestions" / "a2.json", stored)
    got = rows_by_key(evaluate_suggestions(corpus=corpus, stored=True))
    assert got["quotes", None, "overlap"][5] == 2
    assert got["quotes", None, "with_speaker"] == (round(1 / 3, 6), 0.5, 0.4, 3, 2, 1)
    assert got["quotes", None, "speaker_agreement"] == (0.5, 0.5, 0.5, 2, 2, 1)
    assert got["entities", None, "exact_typed"] == (0.5, 0.5, 0.5, 4, 4, 2)  # the stored entities, as computed
    stored["quotes"][0]["score"] = 1.5
    write_json(corpus / "suggestions" / "a2.json", stored)
    code, out, err = run("suggest", "--corpus", corpus, "--evaluate", "--stored")
    assert code == 1 and "suggestions/a2.json" in err and err.count("\n") == 1


def test_the_evaluate_command_prints_text_json_and_markdown_and_writes_nothing(tmp_path):
    corpus = make_corpus(tmp_path)
    before = tree_bytes(corpus)
    code, out, err = run("suggest", "--corpus", corpus, "--sources", "gazetteer,numeric", "--evaluate", "--format", "json")
    assert code == 0 and tree_bytes(corpus) == before
    rows = json.loads(out)["rows"]
    assert rows == [r.to_dict() for r in evaluate_suggestions(corpus=corpus, sources=SOURCES)]
    code, out, err = run("suggest", "--corpus", corpus, "--sources", "gazetteer,numeric", "--evaluate")
    [line] = [x for x in out.splitlines() if x.split()[:3] == ["entities", "(all)", "exact_typed"]]
    assert line.split()[3:] == ["0.500000", "0.500000", "0.500000", "4", "4", "2", "2"]
    code, out, err = run("suggest", "--corpus", corpus, "--sources", "gazetteer,numeric", "--evaluate", "--format", "markdown")
    assert out.startswith("| layer | label | metric | precision | recall | f1 |") and "| claims | (all) | overlap | - |" in out
    assert run("suggest", "--corpus", corpus, "--stored")[0] == 2


# --- the suggestion schema's fast path -------------------------------------------------------------

_VALID = {"document_id": "a1", "issued": {"entities": 1, "quotes": 1, "claims": 1},
          "entities": [{"id": "m1", "start": 0, "end": 4, "text": "Orsk", "label": "GPE", "entity_id": "orsk",
                        "source": "gazetteer@1", "score": 0.85}],
          "quotes": [{**_quote(1, A2, "Never,", "she", "added"), "source": "quotes@1", "score": 1}],
          "claims": [{"id": "c1", "start": 0, "end": 4, "text": "Orsk", "label": "UFS", "claimant": "author", "cluster_id": None,
                      "source": "x", "score": 0}]}


def test_the_suggestion_schema_takes_the_fast_path_and_refuses_a_bad_score_or_source():
    from newsspans.validation._schemacheck import FAST, VALIDATORS

    assert FAST["suggestion"](_VALID) is True and list(VALIDATORS["suggestion"].iter_errors(_VALID)) == []
    for bad in (1.01, -0.1, "0.5", True, None):
        value = json.loads(json.dumps(_VALID))
        value["entities"][0]["score"] = bad
        assert FAST["suggestion"](value) is False and list(VALIDATORS["suggestion"].iter_errors(value)), bad
        with pytest.raises(NewsSpansError, match="not a number from 0 to 1"):
            suggestion_value("a1", "Orsk", [Suggestion("entities", {k: v for k, v in _VALID["entities"][0].items()
                                                                    if k not in ("id", "source", "score")}, "x", bad)])
    for change in ({"source": ""}, {"extra": 1}):
        value = json.loads(json.dumps(_VALID))
        value["quotes"][0].update(change)
        assert FAST["suggestion"](value) is False and list(VALIDATORS["suggestion"].iter_errors(value)), change
    with pytest.raises(NewsSpansError, match="not a number from 0 to 1"):  # jsonschema lets NaN through; the writer does not
        suggestion_value("a1", "Orsk", [Suggestion("entities", {"start": 0, "end": 4, "text": "Orsk", "label": "GPE",
                                                                "entity_id": None}, "x", float("nan"))])
    value = json.loads(json.dumps(_VALID))
    del value["claims"][0]["score"]
    assert FAST["suggestion"](value) is False


@settings(max_examples=200, deadline=None)
@given(value=json_values, data=st.data())
def test_the_suggestion_fast_path_never_accepts_what_the_detailed_validator_refuses(value, data):
    from newsspans.validation._schemacheck import FAST, VALIDATORS

    if data.draw(st.booleans()):
        value = _replace_somewhere(json.loads(json.dumps(_VALID)), value, data)
    if FAST["suggestion"](value):
        assert list(VALIDATORS["suggestion"].iter_errors(value)) == []
