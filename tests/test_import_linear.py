"""Label Studio's offset conversion (UTF-16 code units <-> code points) costs O(log n) per offset:
export and import of a document grow linearly with its size, never with size x regions.

No timing threshold that a slow machine could cross: the text is scanned once per document
(counted), and the time at 4N characters is compared with the time at N (quadratic growth would
give 16x; linear gives 4x; the bound is 8x)."""

from __future__ import annotations

import gc
import json
import time

from docgen import REGISTRY

from newsspans.corpus import dumps_canonical
from newsspans.formats import labelstudio as ls
from newsspans.formats.importer import check
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


def convert(doc: Document) -> None:
    """The conversions under test: the task (code points to UTF-16) and the task read back."""
    task = ls.task(doc)
    ls.parse_task(task, text=doc.text, document_id=doc.id)


def best_times(docs: list[Document], runs: int = 3) -> list[float]:
    """The best of ``runs`` timings of ``convert`` per document, the documents taking turns (so a
    machine busy for a while slows each alike), with the garbage collector held off."""
    best = [float("inf")] * len(docs)
    gc.collect()
    gc.disable()
    try:
        for _ in range(runs):
            for k, doc in enumerate(docs):
                start = time.perf_counter()
                convert(doc)
                best[k] = min(best[k], time.perf_counter() - start)
    finally:
        gc.enable()
    return best


def test_export_and_import_grow_linearly_with_the_document():
    small, large = big_document(20_000), big_document(80_000)
    assert 3.9 < len(large.text) / len(small.text) < 4.1
    convert(small)  # warm up
    t_small, t_large = best_times([small, large])
    ratio = t_large / t_small
    assert ratio < 8, f"4x the text took {ratio:.1f}x the time (linear: about 4x, quadratic: 16x)"
