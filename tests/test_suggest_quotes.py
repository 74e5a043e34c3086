"""The quote suggester (``suggestions._quotes``): direct quotes from quotation marks, indirect and
mixed quotes from reliable patterns, with cue, speaker and groups. Every text here is invented."""

from __future__ import annotations

import json

import pytest

from helpers import CORPUS, document_ids, read_json
from newsspans.model import RegistryEntry
from newsspans.suggestions import Suggestion
from newsspans.suggestions import QUOTE_SCORES as SCORES
from newsspans.suggestions import SOURCE_DIRECT, SOURCE_INDIRECT, suggest_quotes
from newsspans.validation import ERROR, check_annotation_file

REGISTRY = {
    "ada-quill": RegistryEntry("ada-quill", "Ada Quill", "PERSON", ("Ada Quill", "Quill"), None),
    "ben-oduya": RegistryEntry("ben-oduya", "Ben Oduya", "PERSON", ("Ben Oduya", "Oduya"), None),
    "harbour-board": RegistryEntry("harbour-board", "Harbour Board", "ORG", ("Harbour Board",), None),
    "lee-park": RegistryEntry("lee-park", "Lee Park", "PERSON", ("Lee",), None),
    "lee-varga": RegistryEntry("lee-varga", "Lee Varga", "PERSON", ("Lee",), None),
    "norvale": RegistryEntry("norvale", "Norvale", "GPE", ("Norvale",), None),
}
NAMES = {"Ada Quill": ("PERSON", "ada-quill"), "Ben Oduya": ("PERSON", "ben-oduya"),
         "Harbour Board": ("ORG", "harbour-board"), "Norvale": ("GPE", "norvale")}


def mentions(text: str, names=NAMES) -> list[Suggestion]:
    """Entity suggestions for every occurrence of the given names (what a gazetteer would give)."""
    out = []
    for name, (label, entity_id) in names.items():
        i = text.find(name)
        while i != -1:
            item = {"start": i, "end": i + len(name), "text": name, "label": label, "entity_id": entity_id}
            out.append(Suggestion("entities", item, "test@1", 1.0))
            i = text.find(name, i + 1)
    return out


def quotes(text: str, names=NAMES, registry=REGISTRY) -> list[Suggestion]:
    return suggest_quotes(text, registry=registry, mentions=mentions(text, names))


def span(text: str, snippet: str, occurrence: int = 0) -> dict:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(snippet, start + 1)
    return {"start": start, "end": start + len(snippet), "text": snippet}


def only(text: str, **kwargs) -> Suggestion:
    found = quotes(text, **kwargs)
    assert len(found) == 1, [s.item for s in found]
    return found[0]


def check_invariants(text: str, found: list[Suggestion]) -> None:
    """Spans exact and trimmed, contents never overlapping and in text order, items complete."""
    keys = {"type", "content", "speaker", "cue", "speaker_entity_id", "group_id", "cluster_id"}
    previous_end = -1
    for s in found:
        assert s.layer == "quotes" and set(s.item) == keys and 0 <= s.score <= 1
        assert s.source in (SOURCE_DIRECT, SOURCE_INDIRECT)
        for part in ("content", "speaker", "cue"):
            sp = s.item[part]
            if sp is not None:
                assert text[sp["start"]:sp["end"]] == sp["text"] == sp["text"].strip() != ""
        content = s.item["content"]
        assert content["start"] >= previous_end
        previous_end = content["end"]
        assert s.item["cluster_id"] is None


# -- direct quotes ------------------------------------------------------------------------------


def test_curly_quote_with_the_attribution_after_it():
    text = "Storms closed the port.\n“The pier will reopen in the spring,” Ada Quill said on Friday."
    s = only(text)
    assert s.item["type"] == "direct" and s.source == SOURCE_DIRECT
    assert s.item["content"] == span(text, "The pier will reopen in the spring,")  # marks out, comma kept
    assert s.item["speaker"] == span(text, "Ada Quill") and s.item["speaker_entity_id"] == "ada-quill"
    assert s.item["cue"] == span(text, "said")
    assert s.score == SCORES["direct-after"]


def test_straight_quote_with_the_speaker_after_the_cue_and_the_title_dropped():
    text = '"Harbour fees will double next year," said Transport Minister Ben Oduya.'
    s = only(text)
    assert s.item["content"] == span(text, "Harbour fees will double next year,")
    assert s.item["cue"] == span(text, "said")
    assert s.item["speaker"] == span(text, "Ben Oduya") and s.item["speaker_entity_id"] == "ben-oduya"


def test_marks_glued_to_the_cue_and_to_a_pronoun():
    text = ("Ada Quill spoke at the dock. “Prices are far too high for families”says Ada Quill. "
            "“We have no plan to close the market”she added.")
    first, second = quotes(text)
    assert first.item["content"] == span(text, "Prices are far too high for families")
    assert first.item["cue"] == span(text, "says") and first.item["speaker"] == span(text, "Ada Quill", 1)
    assert second.item["content"] == span(text, "We have no plan to close the market")
    assert second.item["speaker"] == span(text, "she") and second.item["cue"] == span(text, "added")
    assert second.item["speaker_entity_id"] == "ada-quill"  # the nearest PERSON before the pronoun


def test_quote_introduced_by_a_colon_or_a_comma():
    text = ("Ben Oduya told the council: “The market must stay open all year.” "
            "Ada Quill replied, “Nobody has asked the traders.”")
    first, second = quotes(text)
    assert first.item["type"] == second.item["type"] == "direct"
    assert first.item["content"] == span(text, "The market must stay open all year.")
    assert first.item["cue"] == span(text, "told") and first.item["speaker"] == span(text, "Ben Oduya")
    assert second.item["cue"] == span(text, "replied") and second.item["speaker"] == span(text, "Ada Quill")


def test_colon_after_a_speech_act_and_a_colon_without_one():
    text = ("Ada Quill criticised the board: “Nobody read the safety report before the vote.”\n"
            "Ben Oduya at the dock: “Every boat must be checked twice a year.”")
    first, second = quotes(text)
    assert first.item["cue"] == span(text, "criticised") and first.item["speaker"] == span(text, "Ada Quill")
    assert second.item["cue"] is None and second.item["speaker"] == span(text, "Ben Oduya")
    assert second.score < first.score


def test_accusation_frame_is_direct():
    text = 'Ada Quill accused the board of "hiding the real cost of the new pier."'
    s = only(text)
    assert s.item["type"] == "direct"
    assert s.item["content"] == span(text, "hiding the real cost of the new pier.")
    assert s.item["cue"] == span(text, "accused") and s.item["speaker"] == span(text, "Ada Quill")


def test_question_with_the_attribution_in_the_next_sentence():
    text = "“Who will pay for the repairs?” Ben Oduya asked. The hall fell silent."
    s = only(text)
    assert s.item["content"] == span(text, "Who will pay for the repairs?")
    assert s.item["cue"] == span(text, "asked") and s.item["speaker"] == span(text, "Ben Oduya")


def test_a_quoted_sentence_continues_the_previous_quote():
    text = '"The water rose in minutes," said Ada Quill. "We opened every shelter we had."'
    first, second = quotes(text)
    assert second.item["type"] == "direct" and second.item["content"] == span(text, "We opened every shelter we had.")
    assert second.item["speaker"] == first.item["speaker"] and second.item["cue"] is None
    assert second.item["group_id"] is None and second.score < first.score


# -- what is not a direct quote -------------------------------------------------------------------


def test_scare_quotes_names_and_one_word_quotes_are_skipped():
    text = ('The navy bought the "Sea-Hawk," which is faster. Critics call the deal a “gift”. '
            'The so-called "harbour tax" ended in 2019. “Never,” Ada Quill said.')
    assert quotes(text) == []


def test_a_passage_in_the_middle_of_a_clause_is_mixed_not_direct():
    text = "The board agreed to“review” the harbour fees, a clerk said."
    s = only(text)
    assert s.item["type"] == "mixed"
    assert s.item["content"] == span(text, "The board agreed to“review” the harbour fees")
    assert s.item["speaker"] == span(text, "a clerk") and s.item["cue"] == span(text, "said")


def test_quoted_words_before_an_attribution_make_a_mixed_quote_ending_at_the_mark():
    text = 'The mayor called the plan "a disaster for small shops," a spokesman said.'
    s = only(text)
    assert s.item["type"] == "mixed"
    assert s.item["content"] == span(text, 'The mayor called the plan "a disaster for small shops,"')


@pytest.mark.parametrize("text", [
    "Ada Quill said the “old pier was unsafe and closed it.",      # an opening mark alone
    'Ada Quill said the old pier" was unsafe and closed it.',      # a straight mark alone
    "Ada Quill said the old pier” was unsafe and closed it.",      # a closing mark alone
])
def test_unbalanced_marks_give_no_quote_holding_them(text):
    found = quotes(text)
    check_invariants(text, found)
    for s in found:
        content = s.item["content"]["text"]
        assert not any(mark in content for mark in '"“”')


def test_straight_marks_paired_across_a_stray_one_are_skipped():
    text = 'He is 6\'2" tall. "We won the final at home," Ada Quill said.'
    found = quotes(text)
    check_invariants(text, found)
    assert all(s.item["content"]["text"] != " tall. " and "tall" not in s.item["content"]["text"] for s in found)


# -- groups -----------------------------------------------------------------------------------------


def test_a_statement_split_by_its_attribution_is_one_group():
    text = ("“The tunnel is finished,” Ben Oduya said, “and it cost less than planned.” "
            "“Traffic will fall,” Ada Quill added, “at least in the old town.” "
            "“We are ready,” she said.")
    found = quotes(text)
    assert [s.item["group_id"] for s in found] == ["g1", "g1", "g2", "g2", None]
    a, b = found[0].item, found[1].item
    assert a["content"] == span(text, "The tunnel is finished,")
    assert b["content"] == span(text, "and it cost less than planned.")
    assert a["speaker"] == b["speaker"] == span(text, "Ben Oduya") and a["cue"] == b["cue"] == span(text, "said")
    assert b["type"] == "direct"


def test_two_quotes_in_two_sentences_are_not_grouped():
    text = '"We won," Ada Quill said. "They lost," she added.'
    assert [s.item["group_id"] for s in quotes(text)] == [None, None]


# -- speakers -----------------------------------------------------------------------------------------


def test_pronoun_speaker_takes_the_nearest_person_before_it():
    text = ("Ben Oduya met Ada Quill at the dock. Ada Quill was late. "
            "“The cranes are older than the pier,” she said. “They should go,” they said.")
    first, second = quotes(text)
    assert first.item["speaker"] == span(text, "she") and first.item["speaker_entity_id"] == "ada-quill"
    assert second.item["speaker"] == span(text, "they") and second.item["speaker_entity_id"] is None


@pytest.mark.parametrize("text, speaker", [
    ("“The ferry will run all winter,” the transport minister said.", "the transport minister"),
    ("“The ferry will run all winter,” said a spokeswoman for the ministry.", "a spokeswoman"),
    ("“The ferry will run all winter,” a spokeswoman for the Harbour Board told reporters.",
     "a spokeswoman for the Harbour Board"),
    ("The report said that the ferry would run all winter.", "The report"),
])
def test_description_speakers(text, speaker):
    s = only(text)
    assert s.item["speaker"] == span(text, speaker) and s.item["speaker_entity_id"] is None
    assert s.score < SCORES["direct-after"] or s.item["type"] != "direct"


def test_registry_alias_speaker_without_mentions():
    text = "“Fees will not rise this year,” Quill said. “The pier stays open,” Lee said."
    first, second = quotes(text, names={})
    assert first.item["speaker"] == span(text, "Quill") and first.item["speaker_entity_id"] == "ada-quill"
    assert second.item["speaker"] == span(text, "Lee") and second.item["speaker_entity_id"] is None  # two entries


def test_mention_ids_unknown_to_the_registry_are_dropped():
    text = "“Fees will not rise this year,” Mara Tell said."
    s = only(text, names={"Mara Tell": ("PERSON", "mara-tell")})
    assert s.item["speaker"] == span(text, "Mara Tell") and s.item["speaker_entity_id"] is None


def test_appositive_name_and_parenthetical():
    text = ("Norvale's port chief, Ben Oduya, said that the cranes would be replaced. "
            "Ada Quill, on her part, insisted that the cranes were safe.")
    first, second = quotes(text)
    assert first.item["speaker"] == span(text, "Ben Oduya")
    assert second.item["speaker"] == span(text, "Ada Quill") and second.item["cue"] == span(text, "insisted")


def test_coordinated_speakers_are_kept_whole():
    text = ("Ada Quill and Ben Oduya announced that the market would move. "
            "The Harbour Board and its members have called for a new survey of the pier.")
    first, second = quotes(text)
    assert first.item["speaker"] == span(text, "Ada Quill and Ben Oduya") and first.item["speaker_entity_id"] is None
    assert second.item["speaker"] == span(text, "The Harbour Board and its members")
    assert second.item["speaker_entity_id"] == "harbour-board"


# -- indirect and mixed ---------------------------------------------------------------------------


def test_indirect_that_clause():
    text = "Ben Oduya said on Tuesday that the ferry service would resume in June."
    s = only(text)
    assert s.item["type"] == "indirect" and s.source == SOURCE_INDIRECT
    assert s.item["content"] == span(text, "the ferry service would resume in June")  # no "that", no period
    assert s.item["cue"] == span(text, "said") and s.item["speaker"] == span(text, "Ben Oduya")
    assert s.score < SCORES["direct-after"]


def test_that_clause_with_quoted_words_is_mixed_and_ends_at_the_mark():
    text = 'Ada Quill argued that the fees were "simply unfair to fishermen."\nThe vote is in May.'
    s = only(text)
    assert s.item["type"] == "mixed"
    assert s.item["content"] == span(text, 'the fees were "simply unfair to fishermen."')


def test_that_clause_stops_at_a_relayed_source_and_a_semicolon():
    text = ("Ada Quill warned that the pier could collapse, according to a local paper. "
            "Ben Oduya confirmed that the survey was late; the board denied it.")
    first, second = quotes(text)
    assert first.item["content"] == span(text, "the pier could collapse")
    assert first.item["speaker"] == span(text, "Ada Quill")
    assert second.item["content"] == span(text, "the survey was late")


def test_negated_and_impersonal_reports_are_not_quotes():
    text = "Ben Oduya did not say that the ferry would stop. It was said that the pier would close."
    assert quotes(text) == []


@pytest.mark.parametrize("text, content, speaker", [
    ("According to the harbour office, the pier lost a third of its boats.", "the pier lost a third of its boats",
     "the harbour office"),
    ("The pier lost a third of its boats, according to the harbour office.", "The pier lost a third of its boats",
     "the harbour office"),
    ("The pier lost a third of its boats this year, the harbour office said.", "The pier lost a third of its boats this year",
     "the harbour office"),
])
def test_clause_with_its_source_before_or_after(text, content, speaker):
    s = only(text)
    assert s.item["type"] == "indirect"
    assert s.item["content"] == span(text, content) and s.item["speaker"] == span(text, speaker)


def test_described_as_frame_and_called_for():
    text = ("Ben Oduya described the plan as “a gift to developers”. "
            "The Harbour Board has repeatedly called for calm on the quays.")
    first, second = quotes(text)
    assert first.item["type"] == "mixed" and first.item["content"] == span(text, "the plan as “a gift to developers”")
    assert first.item["cue"] == span(text, "described")
    assert second.item["type"] == "indirect" and second.item["content"] == span(text, "calm on the quays")
    assert second.item["cue"] == span(text, "called for") and second.item["speaker"] == span(text, "Harbour Board")


def test_participle_takes_the_speaker_of_its_clause():
    text = '"We are ready to sign," said Ben Oduya, adding that the text was final.'
    first, second = quotes(text)
    assert second.item["content"] == span(text, "the text was final") and second.item["cue"] == span(text, "adding")
    assert second.item["speaker"] == first.item["speaker"] == span(text, "Ben Oduya")


# -- the whole ------------------------------------------------------------------------------------


ARTICLE = """Storm floods Norvale's old port
Heavy rain flooded the old port of Norvale on Sunday, forcing hundreds from their homes.
"The water rose faster than anyone expected," said Ada Quill, the harbour master. "We opened every shelter."
Ada Quill said the army had been called in to help. Emergency services warned that more rain was expected.
Residents described the response as "slow and chaotic," and several complained about the lack of boats.
According to the weather office, the storm was the strongest in fifty years.
Ben Oduya accused the Harbour Board of “ignoring every warning for a decade.”
“We are doing everything we can,” a spokeswoman for the Harbour Board told reporters, “and more.”
The board has called for an independent inquiry into the flood walls.
The so-called "flood tax" ended in 2019. It is unclear whether the walls will hold, officials said.
"""


def test_an_article_gives_exact_spans_without_overlaps_and_the_same_result_twice():
    found = quotes(ARTICLE)
    check_invariants(ARTICLE, found)
    assert len(found) >= 8
    assert quotes(ARTICLE) == found
    contents = [s.item["content"]["text"] for s in found]
    assert "flood tax" not in contents


def test_mentions_of_other_layers_and_types_are_ignored():
    text = "“The pier will reopen in the spring,” Norvale said."
    s = only(text)
    assert s.item["speaker_entity_id"] == "norvale"  # a GPE can speak
    claim = Suggestion("claims", {"start": 38, "end": 45, "text": "Norvale", "label": "UFS", "claimant": "author",
                                  "cluster_id": None}, "test@1", 1.0)
    date = Suggestion("entities", {"start": 38, "end": 45, "text": "Norvale", "label": "DATE", "entity_id": None},
                      "test@1", 1.0)
    [s] = suggest_quotes(text, registry={}, mentions=[claim, date])
    assert s.item["speaker"] == span(text, "Norvale") and s.item["speaker_entity_id"] is None  # a bare description


@pytest.mark.parametrize("doc_id", document_ids())
def test_seed_suggestions_pass_the_validator(doc_id):
    """The suggestions for a seed text, given its gold mentions, make a valid annotation file
    (no figure of accuracy is asserted here: scripts measure it)."""
    gold = read_json(CORPUS / "annotations" / f"{doc_id}.json")
    text = (CORPUS / "texts" / f"{doc_id}.txt").read_bytes().decode("utf-8")
    registry = {e["entity_id"]: RegistryEntry.from_dict(e) for e in read_json(CORPUS / "registry.json")["entities"]}
    given = [Suggestion("entities", {k: v for k, v in m.items() if k != "id"}, "gold", 1.0) for m in gold["entities"]]
    found = suggest_quotes(text, registry=registry, mentions=given)
    check_invariants(text, found)
    assert found
    items = [{"id": f"q{k}", **s.item} for k, s in enumerate(found, start=1)]
    annotation = {**gold, "issued": {**gold["issued"], "quotes": max(len(items), gold["issued"]["quotes"])}, "quotes": items}
    problems = check_annotation_file(json.dumps(annotation, ensure_ascii=False).encode("utf-8"),
                                     path=f"corpus/annotations/{doc_id}.json", text=text, document_id=doc_id,
                                     registry=registry)
    assert [str(p) for p in problems if p.severity == ERROR] == []


# -- patterns added while tuning on the development set -------------------------------------------

def test_a_statement_split_by_an_attribution_with_an_object_and_an_adjunct_is_one_group():
    text = "“The tunnel is finished,” Ben Oduya told reporters after the ceremony, “and it cost less than planned.”"
    first, second = quotes(text)
    assert first.item["group_id"] == second.item["group_id"] == "g1"
    assert second.item["content"] == span(text, "and it cost less than planned.")
    assert first.item["speaker"] == second.item["speaker"] == span(text, "Ben Oduya")
    assert first.item["cue"] == second.item["cue"] == span(text, "told")


def test_the_name_in_apposition_to_a_description_is_the_speaker():
    text = "“The plan,” said her coach, Ben Oduya, “was to stay with the leaders.”"
    found = quotes(text)
    assert [s.item["speaker"] for s in found] == [span(text, "Ben Oduya")] * 2


@pytest.mark.parametrize("text, speaker", [
    ('"We saw strong demand all year," chief executive Ada Quill told analysts.', "Ada Quill"),
    ('"We saw strong demand all year," and analysts at Harbour Board said.', None),
])
def test_lower_case_title_words_before_a_name_but_not_a_phrase(text, speaker):
    found = quotes(text)
    if speaker is None:
        assert all(s.item["speaker"] != span(text, "Harbour Board") for s in found)
    else:
        assert only(text).item["speaker"] == span(text, speaker)


def test_called_frame_and_the_phrase_after_an_as_frame():
    text = ("Ben Oduya called the numbers “solid but not spectacular” and left. "
            "Ada Quill described the visit as “a new chapter” in relations between the two towns. "
            "The Harbour Board called on the mayor to “act now” today.")
    found = quotes(text)
    assert [(s.item["type"], s.item["content"]["text"]) for s in found] == [
        ("mixed", "the numbers “solid but not spectacular”"),
        ("mixed", "the visit as “a new chapter” in relations between the two towns")]
    assert [s.item["cue"]["text"] for s in found] == ["called", "described"]


def test_a_dateline_is_no_part_of_a_reported_clause():
    text = "NORVALE, Oct. 3, 2025 — At least 12 people have died in the floods, the Harbour Board said on Friday."
    found = only(text)
    assert found.item["content"] == span(text, "At least 12 people have died in the floods")
    assert found.item["speaker"] == span(text, "Harbour Board")
