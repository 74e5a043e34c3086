#!/usr/bin/env python3
"""Benchmark the suggesters: documents per second of the gazetteer and the numeric rules (and the
quote suggester when it is installed) on a synthetic corpus.

    python scripts/benchmark_suggest.py [--docs N] [--workdir DIR] [--keep]

Writes a deterministic synthetic corpus of N documents (default 10,000; ``newsspans._synth``,
a registry of up to 3,000 entities), then measures, in this process:

  compute   ``Suggester.suggest`` over every text already in memory (the suggesters alone), per
            source set: gazetteer, numeric, gazetteer+numeric, and +quotes
  suggest   ``newsspans.suggestions.suggest`` end to end, with gazetteer+numeric and with the default
            sources: read the texts and the registry, suggest, write the N suggestions files in one
            atomic write (each file fsynced)

and prints wall time and documents/s for each. The last line is machine-readable JSON.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _rate(docs: int, seconds: float) -> float:
    return docs / seconds if seconds > 0 else float("inf")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, help="where to write the corpus (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the corpus")
    args = parser.parse_args()

    from newsspans._synth import write_synthetic_corpus
    from newsspans.corpus import TEXTS, read_registry_lenient
    from newsspans.suggestions import Suggester, suggest

    work = Path(tempfile.mkdtemp(prefix="bench-suggest-", dir=args.workdir))
    corpus = work / "corpus"
    try:
        t0 = time.perf_counter()
        write_synthetic_corpus(corpus, docs=args.docs)
        print(f"synthetic corpus: {args.docs} documents in {time.perf_counter() - t0:.1f} s", flush=True)
        registry = read_registry_lenient(corpus)
        texts = [p.read_text(encoding="utf-8") for p in sorted((corpus / TEXTS).glob("*.txt"))]
        print(f"registry: {len(registry)} entities; text: {sum(map(len, texts)) / len(texts):.0f} characters per document")
        sets = [("gazetteer",), ("numeric",), ("gazetteer", "numeric")]
        sets.append(("gazetteer", "numeric", "quotes"))
        figures = {}
        for sources in sets:
            suggester = Suggester(registry=registry, sources=sources)
            t0 = time.perf_counter()
            items = sum(len(suggester.suggest(text)) for text in texts)
            seconds = time.perf_counter() - t0
            name = "+".join(sources)
            figures[f"compute:{name}"] = round(_rate(len(texts), seconds), 1)
            print(f"compute  {name:<26} {seconds:8.2f} s  {_rate(len(texts), seconds):9.0f} documents/s  {items} suggestions")
        for sources in (("gazetteer", "numeric"), None):
            shutil.rmtree(corpus / "suggestions", ignore_errors=True)
            t0 = time.perf_counter()
            result = suggest(corpus=corpus, sources=sources)
            seconds = time.perf_counter() - t0
            name = "+".join(Suggester(registry={}, sources=sources).sources)
            figures[f"suggest:{name}"] = round(_rate(len(result.documents), seconds), 1)
            print(f"suggest  {name:<26} {seconds:8.2f} s  {_rate(len(result.documents), seconds):9.0f} documents/s  "
                  f"{len(result.files)} files written")
        print(json.dumps({"docs": args.docs, "documents_per_second": figures}))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {corpus}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
