"""Label Studio's offset conversion (UTF-16 code units <-> code points) costs O(log n) per offset:
export and import of a document grow linearly with its size, never with size x regions.

Work is counted, never timed: the text is scanned once per document, a conversion reads nothing
of the text, and the characters read for a text 4x longer (with 4x the regions) are about 4x,
not 16x. Likewise the fresh ids of regions drawn in Label Studio (random region ids) look at
each id in use a bounded number of times, not once per region."""

from __future__ import annotations

import json
import random
import re
import string
from dataclasses import replace

from docgen import REGISTRY
from hypothesis import given, settings
from hypothesis import strategies as st

from newsspans.corpus import dumps_canonical
from newsspans.formats import labelstudio as ls
from newsspans.formats.importer import FreshIds, check
from newsspans.model import Annotations, Claim, Document, DocumentMeta, EntityMention, Quote, Span


def big_document(chars: int) -> Document:
    """A document of about ``chars`` characters, an emoji or a clef (outside the BMP) in every
    sentence, and every layer: two mentions, a quote with speaker and cue, and a claim per sentence."""
    text, entities, quotes, claims = [], [], [], []
    n = k = 0
    while n < chars:
        k += 1
        lead = "\U0001F600 " if k % 2 else "\U0001D11E "
        sentence = f"{lead}Iran said \u201cwe agree\u201d to Russia on day {k}. "
        base = n + len(lead)
        iran = Span(base, base + 4, "Iran")
        cue = Span(base + 5, base + 9, "said")
        content = Span(base + 11, base + 19, "we agree")
        russia_at = base + sentence[len(lead):].index("Russia")
        entities += [EntityMention(f"m{2 * k - 1}", iran.start, iran.end, "Iran", "GPE", "iran"),
                     EntityMention(f"m{2 * k}", russia_at, russia_at + 6, "Russia", "GPE", "russia")]
        quotes.append(Quote(f"q{k}", "direct", content, iran, cue, "iran", None, None))
        claim_text = sentence[len(lead):].rstrip()
        claims.append(Claim(f"c{k}", base, base + len(claim_text), claim_text, "UFS", "iran", None))
        text.append(sentence)
        n += len(sentence)
    body = "".join(text)
    meta = DocumentMeta("big", None, None, "big.txt", "en", "s", "0" * 64)
    return Document(meta, body, Annotations("big", tuple(entities), tuple(quotes), tuple(claims)))


def export_and_import(doc: Document) -> Annotations:
    """What ``newsspans export labelstudio`` then ``import labelstudio`` do with one document:
    the task, its JSON text, the task parsed back, and the validator's check of the result."""
    raw = json.dumps([ls.task(doc)], ensure_ascii=False, indent=1)
    [task] = json.loads(raw)
    parsed = ls.parse_task(task, text=doc.text, document_id=doc.id, where=ls.TaskLocation("tasks.json", raw, 0))
    check(parsed, text=doc.text, registry=REGISTRY)
    return parsed.annotations


def test_the_round_trip_of_a_large_document_is_exact():
    doc = big_document(20_000)
    assert any(ord(ch) > 0xFFFF for ch in doc.text)
    back = export_and_import(doc)
    assert dumps_canonical(back.to_dict()) == dumps_canonical(doc.annotations.to_dict())


def test_the_text_is_scanned_once_per_document_not_per_region(monkeypatch):
    scans = []

    class Counting(ls.Offsets):
        def __init__(self, text):
            scans.append(len(text))
            super().__init__(text)

    monkeypatch.setattr(ls, "Offsets", Counting)
    doc = big_document(20_000)
    regions = len(doc.annotations.entities) + 3 * len(doc.annotations.quotes) + len(doc.annotations.claims)
    assert regions > 1000
    export_and_import(doc)
    assert scans == [len(doc.text), len(doc.text)]  # one scan to export, one to import


class CountingText(str):
    """A document text that counts the characters read out of it in Python (slices, encodings,
    iteration, searches): what a conversion that re-reads the text from its start per offset costs."""

    read = 0

    def __getitem__(self, key):
        out = str.__getitem__(self, key)
        CountingText.read += len(out)
        return out

    def __iter__(self):
        CountingText.read += len(self)
        return str.__iter__(self)

    def encode(self, *args, **kwargs):
        CountingText.read += len(self)
        return str.encode(self, *args, **kwargs)

    def count(self, *args):
        CountingText.read += len(self)
        return str.count(self, *args)

    def find(self, *args):
        CountingText.read += len(self)
        return str.find(self, *args)


class CountingPattern:
    """``labelstudio._ASTRAL`` counting the characters each of its searches is given."""

    def __init__(self, pattern):
        self.pattern = pattern

    def __getattr__(self, name):
        method = getattr(self.pattern, name)

        def counted(string, *args, **kwargs):
            CountingText.read += len(string)
            return method(string, *args, **kwargs)
        return counted


def characters_read(doc: Document) -> int:
    """The characters of the text read to export the document's task and read the task back
    (code points to UTF-16 and back), with the validator's check of what was read."""
    CountingText.read = 0
    counted = replace(doc, text=CountingText(doc.text))
    raw = json.dumps([ls.task(counted)], ensure_ascii=False, indent=1)
    [task] = json.loads(raw)
    parsed = ls.parse_task(task, text=counted.text, document_id=doc.id, where=ls.TaskLocation("tasks.json", raw, 0))
    check(parsed, text=counted.text, registry=REGISTRY)
    assert dumps_canonical(parsed.annotations.to_dict()) == dumps_canonical(doc.annotations.to_dict())
    return CountingText.read


def test_the_offsets_of_every_region_cost_a_bounded_read_of_the_text(monkeypatch):
    """Reading the text from its start for each offset (slicing or encoding ``text[:offset]``,
    counting astral characters before it) reads about regions x length characters: 16x more for a
    text 4x longer with 4x the regions. One index per document reads each character a bounded
    number of times: about 4x."""
    monkeypatch.setattr(ls, "_ASTRAL", CountingPattern(ls._ASTRAL))
    small, large = big_document(5_000), big_document(20_000)
    read_small, read_large = characters_read(small), characters_read(large)
    assert read_small >= 2 * len(small.text)  # the counting sees the scans of export and import
    assert read_large / read_small < 5, f"4x the text read {read_large / read_small:.1f}x the characters (linear: 4x)"
    assert read_large < 20 * len(large.text)


def test_a_conversion_reads_nothing_of_the_text():
    """After its one scan, an index converts offsets without the text: any offset, both ways."""
    doc = big_document(2_000)
    index = ls.Offsets(doc.text)
    expected = [len(doc.text[:i].encode("utf-16-le")) // 2 for i in range(len(doc.text) + 1)]
    index.text = None  # type: ignore[assignment]  # a conversion that reads it fails
    assert [index.to_utf16(i) for i in range(len(doc.text) + 1)] == expected
    assert [index.from_utf16(u) for u in expected] == list(range(len(doc.text) + 1))
    inside = [u + 1 for i, u in enumerate(expected[:-1]) if expected[i + 1] - u == 2]
    assert inside and all(index.from_utf16(u) is None for u in inside)


class CountingId(str):
    """An id in use that counts how often an id allocator looks at it."""

    looked = 0

    def startswith(self, *args):
        CountingId.looked += 1
        return str.startswith(self, *args)

    def __getitem__(self, key):
        CountingId.looked += 1
        return str.__getitem__(self, key)


def with_browser_ids(task: dict) -> dict:
    """The task as regions drawn in Label Studio's browser come back: every region id random."""
    rng = random.Random(7)
    new: dict[str, str] = {}
    for item in task["annotations"][0]["result"]:
        for key in ("id", "from_id", "to_id"):
            if key in item:
                item[key] = new.setdefault(item[key], "".join(rng.choice(string.ascii_letters) for _ in range(10)))
    return task


def test_fresh_ids_look_at_each_id_in_use_a_bounded_number_of_times():
    """A task whose regions all need a fresh id: one past the highest in use, then counting up,
    without reading every id in use again for every region (regions x ids: quadratic)."""
    doc = big_document(20_000)
    task = with_browser_ids(json.loads(json.dumps(ls.task(doc))))
    used = [CountingId(x.id) for layer in ("entities", "quotes", "claims") for x in getattr(doc.annotations, layer)]
    regions = len(doc.annotations.entities) + len(doc.annotations.quotes) + len(doc.annotations.claims)
    assert regions > 1000
    CountingId.looked = 0
    parsed = ls.parse_task(task, text=doc.text, document_id=doc.id, used_ids=used)
    assert CountingId.looked <= 6 * len(used), f"{CountingId.looked} looks at {len(used)} ids in use"
    top = {layer: len(getattr(doc.annotations, layer)) for layer in ("entities", "quotes", "claims")}
    for layer, prefix in (("entities", "m"), ("quotes", "q"), ("claims", "c")):
        ids = [x.id for x in getattr(parsed.annotations, layer)]
        assert ids == [f"{prefix}{top[layer] + k}" for k in range(1, len(ids) + 1)]


@settings(deadline=None)  # timing is not what is tested; a busy machine is slow
@given(st.lists(st.one_of(st.tuples(st.just("take"), st.from_regex(r"[mqcg](0|[1-9][0-9]{0,3}|x|²)", fullmatch=True)),
                          st.tuples(st.just("fresh"), st.sampled_from("mqcg"))), max_size=40),
       st.sets(st.from_regex(r"[mqcg][0-9]{1,3}", fullmatch=True), max_size=10))
def test_fresh_ids_are_one_past_the_highest_number_in_use(steps, used):
    def next_id(prefix: str, used: set[str]) -> str:  # the rule, by a pass over every id in use
        numbers = [int(i[1:]) for i in used if i[:1] == prefix and re.fullmatch("[0-9]+", i[1:])]
        return f"{prefix}{max(numbers, default=0) + 1}"

    ids, reference = FreshIds(used), set(used)
    for op, arg in steps:
        if op == "take":
            ids.take(arg)
            reference.add(arg)
        else:
            expected = next_id(arg, reference)
            reference.add(expected)
            assert ids.fresh(arg) == expected
    assert ids.used == reference
