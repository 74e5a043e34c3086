"""The dataset card tells the truth after every release: its counts and statements about the
documents, annotation, annotators and splits are computed; the hand-written notes state no count
that the release contradicts (and ``build``/``release`` warn when one does); each config's columns
are described for that config; the licence metadata is one the Hub accepts."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml
from helpers import CORPUS, DATA, metadata_of, read_json, run, split_of_document, write_json

from newsspans.dataset import FEATURES, SPLITS, Stats, annotations_creators, column_doc, count_statements, figures, stale_counts

NOTES = ("license_note", "source_note", "annotation_note", "annotators_note", "limitations_note")


def card_of(release):
    text = (release / "README.md").read_text(encoding="utf-8")
    _, meta, body = text.split("---\n", 2)
    return yaml.safe_load(meta), body


def plural(n, one, many):
    return f"{n} {one if n == 1 else many}"


def expected_sentences(corpus):
    """The card's computed sentences, derived here from the corpus files."""
    meta = metadata_of(corpus)
    splits = split_of_document(corpus)
    stories = {m["story_id"] for m in meta.values()}
    anns = {p.stem: read_json(p) for p in (corpus / "annotations").glob("*.json")}
    unannotated = sum(1 for a in anns.values() if not (a["entities"] or a["quotes"] or a["claims"]))
    per_split = []
    for s in SPLITS:
        docs = [d for d in meta if splits[d] == s]
        per_split.append(f"`{s}` {plural(len(docs), 'document', 'documents')} of "
                         f"{plural(len({meta[d]['story_id'] for d in docs}), 'story', 'stories')}")
    layers = Counter(p.parent.name for p in (corpus / "layers").glob("*/*.json")) if (corpus / "layers").is_dir() else Counter()
    return {
        "summary": f"This release holds {plural(len(meta), 'document', 'documents')} of "
                   f"{plural(len(stories), 'story', 'stories')}, ",
        "splits": "Documents per split: " + "; ".join(per_split) + ".",
        "annotated": f"Documents with gold annotations: {len(meta) - unannotated} of {len(meta)}.",
        "unannotated": unannotated,
        "layers": layers,
    }


def check_card(release, corpus):
    meta, body = card_of(release)
    want = expected_sentences(corpus)
    assert want["summary"] in body
    assert body.count(want["splits"]) == 1
    assert want["annotated"] in body
    assert ("Without any yet" in body) == bool(want["unannotated"])
    if want["unannotated"]:
        assert f"`quotes` and `claims`): {want['unannotated']}." in body
    for annotator, n in want["layers"].items():
        assert re.search(rf"^\| `{re.escape(annotator)}` \| \w+ \| {n} \|$", body, flags=re.M), annotator
    dataset = read_json(corpus / "dataset.json")
    for note in NOTES:
        assert dataset[note] in body
    return meta, body


def test_the_projects_notes_state_no_count():
    dataset = read_json(CORPUS / "dataset.json")
    assert {note: count_statements(dataset[note]) for note in NOTES} == {note: [] for note in NOTES}


def test_the_card_follows_a_document_added_to_a_copy_of_the_corpus(corpus_copy, tmp_path):
    code, _, err = run("build", "--corpus", corpus_copy, "--out", tmp_path / "before")
    assert code == 0, err
    before_meta, before = check_card(tmp_path / "before", corpus_copy)
    text = tmp_path / "added.txt"
    text.write_text("Ada Lovelace met Charles Babbage in London on Monday.\n", encoding="utf-8")
    code, _, err = run("add", text, "--story-id", "1833-06-05-lovelace-meets-babbage", "--corpus", corpus_copy)
    assert code == 0, err
    code, _, err = run("build", "--corpus", corpus_copy, "--out", tmp_path / "after")
    assert code == 0, err
    assert "warning" not in err  # the notes state no count, so none is stale
    after_meta, after = check_card(tmp_path / "after", corpus_copy)
    assert after != before
    assert expected_sentences(corpus_copy)["unannotated"] >= 1
    # The metadata still follows the annotators: the added document has no annotation, so no creator is added.
    assert after_meta["annotations_creators"] == before_meta["annotations_creators"]


@pytest.mark.parametrize("configs", ["entities,registry", "registry", "claims,sentences"])
def test_a_build_of_some_configs_states_the_whole_release(tmp_path, configs):
    """Without the ``documents`` config, the card and the build's line still count every document,
    split and item of the release (they once read the documents config's rows, and a build of
    ``entities,registry`` ended in a traceback)."""
    from helpers import layer_counts, registry_entries

    code, out, err = run("build", "--corpus", CORPUS, "--out", tmp_path / "some", "--configs", configs)
    assert code == 0, err
    _, body = check_card(tmp_path / "some", CORPUS)
    counts = layer_counts(CORPUS)
    items = (f"{counts['entities']} entity mentions, {counts['quotes']} quotes, {counts['claims']} claims and "
             f"{len(registry_entries(CORPUS))} registry entities")
    assert items in body
    assert f"{len(metadata_of(CORPUS))} documents, {items.replace(' and ', ', ')}" in out


@pytest.mark.parametrize("text, found", [
    ("Two English news articles about one event", [("Two English news articles", 2, "documents"), ("one event", 1, "stories")]),
    ("Both documents are annotated; both articles agree.", [("Both documents", 2, "documents"), ("both articles", 2, "documents")]),
    ("Three annotators, all language models", [("Three annotators", 3, "annotators")]),
    ("all of them fall into one split (`train`)", [("one split", 1, "splits")]),
    ("12 texts in a single story", [("12 texts", 12, "documents"), ("single story", 1, "stories")]),
    ("one of the articles opens with a dateline", []),       # partitive: "of" ends the window
    ("three layers, the 18 OntoNotes 5.0 types", []),         # not counts the build makes
    ("on 2024-08-06, see section 9 of the guidelines, versions 1.0.0 and 1.1.0 documents", []),
    ("two, documents", []),                                   # punctuation ends the window
    ("two very long winded example documents", []),           # more than three words between
])
def test_count_statements(text, found):
    assert count_statements(text) == found


def test_a_stale_count_is_one_line_with_the_notes_line_and_a_true_count_is_not_reported():
    raw = '{\n  "version": "1.0.0",\n  "source_note": "Two documents of one story.",\n  "limitations_note": "Both texts."\n}\n'
    dataset = {"version": "1.0.0", "source_note": "Two documents of one story.", "limitations_note": "Both texts."}
    stale = stale_counts(dataset, {"documents": 3, "stories": 1, "annotators": 0, "languages": 1, "splits": 1},
                         file="corpus/dataset.json", raw=raw)
    assert [str(s) for s in stale] == [
        "corpus/dataset.json:3: warning: source_note: 'Two documents' states 2, this release has 3 documents; the card "
        "states this count, computed: reword the note without it",
        "corpus/dataset.json:4: warning: limitations_note: 'Both texts' states 2, this release has 3 documents; the card "
        "states this count, computed: reword the note without it",
    ]


def test_build_warns_about_a_note_the_release_contradicts(corpus_copy, tmp_path):
    dataset = read_json(corpus_copy / "dataset.json")
    n = len(metadata_of(corpus_copy))
    dataset["limitations_note"] = f"These {n + 1} documents are a seed. They report {n} documents' worth of nothing."
    write_json(corpus_copy / "dataset.json", dataset)
    code, _, err = run("build", "--corpus", corpus_copy, "--out", tmp_path / "out")
    assert code == 0, err
    warned = [line for line in err.splitlines() if "limitations_note" in line]
    assert len(warned) == 1 and f"'{n + 1} documents' states {n + 1}, this release has {n} documents" in warned[0]


def stats(*, annotators, layers, unattributed=0, unannotated=0, documents=2):
    s = Stats(configs=("documents",))
    s.split_rows = {"documents": {"train": documents}}
    s.document_tally.documents["train"] = documents
    s.annotators = annotators
    s.document_tally.layers.update(layers)
    s.document_tally.unattributed = unattributed
    s.document_tally.unannotated = unannotated
    return s


def test_annotations_creators_follow_the_annotators_who_made_layers():
    models = {"model-a": "model", "tool": "model"}
    assert annotations_creators(stats(annotators=models, layers={"model-a": 2})) == ["machine-generated"]
    people = {"alice": "human", "model-a": "model"}
    assert annotations_creators(stats(annotators=people, layers={"alice": 1})) == ["expert-generated"]
    assert annotations_creators(stats(annotators=people, layers={"alice": 1, "model-a": 1})) == ["expert-generated", "machine-generated"]
    # Gold without a layer: who annotated it is not recorded; nothing annotated at all: no-annotation.
    assert annotations_creators(stats(annotators={}, layers={}, unattributed=2)) == ["other"]
    assert annotations_creators(stats(annotators=people, layers={"alice": 1}, unattributed=1)) == ["expert-generated", "other"]
    assert annotations_creators(stats(annotators={}, layers={}, unannotated=2)) == ["no-annotation"]
    assert figures(stats(annotators=people, layers={"alice": 1}))["annotators"] == 1


def test_the_committed_card_metadata_matches_the_annotators_records():
    meta, body = card_of(DATA)
    kinds = {a["annotator_id"]: a["kind"] for a in read_json(CORPUS / "annotators.json")["annotators"]}
    with_layers = {p.name for p in (CORPUS / "layers").iterdir() if any(p.glob("*.json"))}
    hub = {"human": "expert-generated", "model": "machine-generated"}
    assert set(meta["annotations_creators"]) >= {hub[kinds[a]] for a in with_layers}
    assert f"records {plural(len(kinds), 'annotator', 'annotators')}" in body


# --- Data Fields: each column described once, for its own config -------------------------------

OTHER_CONFIG_PREFIX = re.compile(r"\b(Documents|Spans|Entities|Entity mentions|Quotes|Claims|Registry|Sentences):")


def test_every_column_is_described_for_its_own_config():
    for config, features in FEATURES.items():
        for column in features:
            doc = column_doc(config, column)
            assert doc and not OTHER_CONFIG_PREFIX.search(doc), (config, column, doc)
    # A column whose meaning depends on the config has a description per config.
    assert len({column_doc(c, "id") for c in ("documents", "entities", "quotes", "claims", "tokens")}) == 5
    assert "OntoNotes" not in column_doc("claims", "label") and "UFS" not in column_doc("entities", "label")
    assert "direct" not in column_doc("registry", "type") and "OntoNotes" not in column_doc("quotes", "type")
    assert "statement" not in column_doc("claims", "cluster_id")


def test_the_cards_field_tables_do_not_repeat_another_configs_sentences():
    _, body = card_of(DATA)
    tables = re.findall(r"^#### `(\w+)`\n\n((?:\|.*\n)+)", body, flags=re.M)
    rows = {config: dict(re.findall(r"^\| `(\w+)` \| [^|]* \| (.*) \|$", table, flags=re.M)) for config, table in tables}
    assert set(rows) == set(FEATURES)
    for config, described in rows.items():
        assert list(described) == list(FEATURES[config])
        assert described == {c: column_doc(config, c) for c in FEATURES[config]}


# --- Licence: what the Hub's card template accepts -----------------------------------------------

def test_the_licence_metadata_is_one_the_hub_accepts_and_grants_nothing():
    meta, body = card_of(DATA)
    dataset = read_json(CORPUS / "dataset.json")
    assert meta["license"] == dataset["license"]
    if meta["license"] == "other":  # a licence off the Hub's list: named, and linked only to what exists
        assert meta["license_name"]
    else:
        assert "license_name" not in meta
    link = meta.get("license_link")
    assert link is None or link.startswith("https://") or (DATA / link).is_file()
    section = body.split("## Licensing Information", 1)[1]
    assert f"`license: {meta['license']}`" in section and dataset["license_note"] in section
    if meta["license"] == "unknown":
        assert "**unknown**" in section and "grant none" in section
