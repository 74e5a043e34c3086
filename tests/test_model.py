"""The records' ``from_dict`` (which fills a frozen dataclass's fields without its ``__init__``)
makes the same objects as the constructor: equal, with the same hash, repr and fields, and still
frozen."""

from __future__ import annotations

import dataclasses

import pytest

from newsspans.model import Claim, EntityMention, Quote, Span

SPAN = {"start": 3, "end": 7, "text": "Iran"}
RECORDS = [
    (Span, SPAN, Span(3, 7, "Iran")),
    (EntityMention, {"id": "m1", "start": 3, "end": 7, "text": "Iran", "label": "GPE", "entity_id": "iran"},
     EntityMention("m1", 3, 7, "Iran", "GPE", "iran")),
    (Quote, {"id": "q1", "type": "direct", "content": SPAN, "speaker": None, "cue": dict(SPAN, start=3),
             "speaker_entity_id": None, "group_id": "g1", "cluster_id": None},
     Quote("q1", "direct", Span(3, 7, "Iran"), None, Span(3, 7, "Iran"), None, "g1", None)),
    (Claim, {"id": "c1", "start": 3, "end": 7, "text": "Iran", "label": "UFS", "claimant": "author", "cluster_id": "k"},
     Claim("c1", 3, 7, "Iran", "UFS", "author", "k")),
]


@pytest.mark.parametrize("cls, record, made", RECORDS, ids=[r[0].__name__ for r in RECORDS])
def test_from_dict_makes_what_the_constructor_makes(cls, record, made):
    got = cls.from_dict(record)
    assert type(got) is cls
    assert got == made and hash(got) == hash(made) and repr(got) == repr(made)
    assert vars(got) == vars(made) and list(vars(got)) == [f.name for f in dataclasses.fields(cls)]
    assert got.to_dict() == record
    for name in vars(made):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(got, name, None)


def test_a_span_of_none_is_none():
    assert Span.from_dict(None) is None

