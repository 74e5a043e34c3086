#!/usr/bin/env python3
"""Benchmark validate + build against what a user would write by hand and against the I/O floor.

    python scripts/benchmark.py --docs N [--workdir DIR] [--keep]

Writes a deterministic synthetic corpus of N documents (``newsspans.synth``), then runs, one
after the other in fresh child processes of this one, on the same input:

  ours   ``newsspans validate`` then ``newsspans build`` of the core configs (documents,
         entities, quotes, claims, registry); the full build (plus tokens and sentences) is
         measured and printed too
  naive  json per file, jsonschema validation of each annotation file with the project's
         schema, a Python check of each span's text, ``datasets.Dataset.from_list(...).to_parquet``
  floor  read the same files and write the same core rows with pyarrow.parquet, no checks

and prints wall time, CPU time, documents/s, spans/s and peak RSS (``getrusage`` of each child:
its own maximum resident set, and the largest of its worker processes', as the OS reports them),
then tokens/s of the tokenizer against spaCy's blank English tokenizer plus
``offsets_to_biluo_tags``. The last line is machine-readable.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ("documents", "entities", "quotes", "claims", "registry")


# -- stages (each runs inside its own child process) ----------------------------------------

def stage_ours_validate(corpus: Path, out: Path) -> None:
    from newsspans.cli import main

    code = main(["validate", str(corpus)], stdout=io.StringIO(), stderr=sys.stderr)
    if code != 0:
        raise SystemExit(f"validate failed with {code}")


def stage_ours_build(corpus: Path, out: Path) -> None:
    """The build of the core configs: what naive and floor write too."""
    from newsspans.cli import main

    code = main(["build", "--corpus", str(corpus), "--out", str(out), "--configs", ",".join(CORE)],
                stdout=io.StringIO(), stderr=sys.stderr)
    if code != 0:
        raise SystemExit(f"build failed with {code}")


def stage_ours_build_all(corpus: Path, out: Path) -> None:
    """The full build: the core configs plus the tokens and sentences views."""
    from newsspans.cli import main

    code = main(["build", "--corpus", str(corpus), "--out", str(out)], stdout=io.StringIO(), stderr=sys.stderr)
    if code != 0:
        raise SystemExit(f"build failed with {code}")


def stage_tokens(corpus: Path, out: Path) -> None:
    """Tokens/s of our tokenizer + IOB2 tags, and of spaCy's blank English tokenizer +
    offsets_to_biluo_tags on the same documents (single process, documents already in memory)."""
    from newsspans.validation import Corpus
    from newsspans.dataset._rows import _touching
    from newsspans.tokenize import bio_tags, segment

    c = Corpus(corpus)
    registry, _ = c.read_registry()
    docs = [doc for _, doc, _ in c.iter_documents(registry) if doc is not None]
    started = time.perf_counter()
    ours = 0
    for doc in docs:
        for sentence in segment(doc):
            bio_tags(sentence, _touching(doc.annotations.entities, sentence), document_id=doc.id)
            ours += len(sentence.tokens)
    ours_s = time.perf_counter() - started
    result = {"tokens": ours, "ours_s": ours_s}
    try:
        import spacy
        from spacy.training import offsets_to_biluo_tags
    except ImportError:
        result["spacy"] = "not installed: pip install 'newsspans[spacy]' to compare"
    else:
        nlp = spacy.blank("en")
        started = time.perf_counter()
        theirs = misaligned = 0
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # W030 for misaligned spans: counted below instead
            for doc in docs:
                sdoc = nlp.make_doc(doc.text)
                tags = offsets_to_biluo_tags(sdoc, [(m.start, m.end, m.label) for m in doc.annotations.entities])
                theirs += len(sdoc)
                misaligned += tags.count("-")
        result.update(spacy_tokens=theirs, spacy_s=time.perf_counter() - started, spacy_misaligned_tokens=misaligned)
    (out.parent / f"{out.name}.json").write_text(json.dumps(result), encoding="utf-8")


def _read_all(corpus: Path):
    """Yield (doc_id, text, meta, annotations) for every document, plus nothing else."""
    for name in sorted(os.listdir(corpus / "texts")):
        doc_id = name[:-4]
        text = (corpus / "texts" / name).read_text(encoding="utf-8")
        meta = json.loads((corpus / "documents" / f"{doc_id}.json").read_text(encoding="utf-8"))
        ann = json.loads((corpus / "annotations" / f"{doc_id}.json").read_text(encoding="utf-8"))
        yield doc_id, text, meta, ann


def _rows(doc_id, text, meta, ann, labels):
    """The core rows of one document, as plain dicts (the release's columns)."""
    ent, qt, cl = labels
    gid = lambda x: None if x is None else f"{doc_id}:{x}"  # noqa: E731
    entities = [{"id": gid(m["id"]), "document_id": doc_id, "start": m["start"], "end": m["end"], "text": m["text"],
                 "label": ent[m["label"]], "entity_id": m["entity_id"]} for m in ann["entities"]]
    quotes = [{"id": gid(q["id"]), "document_id": doc_id, "type": qt[q["type"]], "content": q["content"],
               "speaker": q["speaker"], "cue": q["cue"], "speaker_entity_id": q["speaker_entity_id"],
               "group_id": gid(q["group_id"]), "cluster_id": q["cluster_id"]} for q in ann["quotes"]]
    claims = [{"id": gid(c["id"]), "document_id": doc_id, "start": c["start"], "end": c["end"], "text": c["text"],
               "label": cl[c["label"]], "claimant": c["claimant"], "cluster_id": c["cluster_id"]} for c in ann["claims"]]
    strip = lambda rows: [{k: v for k, v in r.items() if k != "document_id"} for r in rows]  # noqa: E731
    document = {**{k: meta[k] for k in ("title", "published", "source", "language", "story_id", "sha256")},
                "id": doc_id, "text": text, "entities": strip(entities), "quotes": strip(quotes), "claims": strip(claims)}
    return {"documents": [document], "entities": entities, "quotes": quotes, "claims": claims}


def _label_maps():
    from newsspans.labels import CLAIM_LABELS, ENTITY_LABELS, QUOTE_TYPES

    return tuple({n: i for i, n in enumerate(names)} for names in (ENTITY_LABELS, QUOTE_TYPES, CLAIM_LABELS))


def _registry_rows(corpus: Path, ent):
    reg = json.loads((corpus / "registry.json").read_text(encoding="utf-8"))["entities"]
    return [{**e, "type": ent[e["type"]]} for e in reg]


def stage_naive(corpus: Path, out: Path) -> None:
    import datasets
    import jsonschema

    from newsspans.dataset import FEATURES
    from newsspans.validation import SCHEMAS

    datasets.disable_progress_bars()
    validator = jsonschema.Draft202012Validator(SCHEMAS["annotation"])
    labels = _label_maps()
    tables = {c: [] for c in CORE}
    for doc_id, text, meta, ann in _read_all(corpus):
        errors = list(validator.iter_errors(ann))
        if errors:
            raise SystemExit(f"{doc_id}: {errors[0].message}")
        spans = [*ann["entities"], *ann["claims"]] + [q[p] for q in ann["quotes"] for p in ("content", "speaker", "cue") if q[p]]
        for s in spans:
            if text[s["start"]:s["end"]] != s["text"]:
                raise SystemExit(f"{doc_id}: bad span {s}")
        for config, rows in _rows(doc_id, text, meta, ann, labels).items():
            tables[config].extend(rows)
    tables["registry"] = _registry_rows(corpus, labels[0])
    out.mkdir(parents=True, exist_ok=True)
    for config, rows in tables.items():
        datasets.Dataset.from_list(rows, features=FEATURES[config]).to_parquet(str(out / f"{config}.parquet"))


def stage_floor(corpus: Path, out: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsspans.dataset import FEATURES

    labels = _label_maps()
    out.mkdir(parents=True, exist_ok=True)
    schemas = {c: FEATURES[c].arrow_schema for c in CORE}
    writers = {c: pq.ParquetWriter(out / f"{c}.parquet", schemas[c], compression="zstd") for c in CORE}
    buffers = {c: [] for c in CORE}
    limits = {"documents": 1_000, "entities": 50_000, "quotes": 50_000, "claims": 50_000}
    for doc_id, text, meta, ann in _read_all(corpus):
        for config, rows in _rows(doc_id, text, meta, ann, labels).items():
            buffers[config].extend(rows)
            if len(buffers[config]) >= limits[config]:
                writers[config].write_table(pa.Table.from_pylist(buffers[config], schema=schemas[config]))
                buffers[config] = []
    buffers["registry"] = _registry_rows(corpus, labels[0])
    for config, rows in buffers.items():
        if rows:
            writers[config].write_table(pa.Table.from_pylist(rows, schema=schemas[config]))
        writers[config].close()


STAGES = {
    "ours-validate": stage_ours_validate,
    "ours-build": stage_ours_build,
    "ours-build-all": stage_ours_build_all,
    "naive": stage_naive,
    "floor": stage_floor,
    "tokens": stage_tokens,
}


def run_stage_here(name: str, corpus: Path, out: Path) -> None:
    """Child side: run one stage, then print its measurements as one JSON line."""
    start_wall = time.perf_counter()
    STAGES[name](corpus, out)
    wall = time.perf_counter() - start_wall
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "stage": name,
        "wall_s": wall,
        "cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
        "peak_rss_mb": me.ru_maxrss / 1024,
        "peak_child_rss_mb": kids.ru_maxrss / 1024,
    }))


# -- parent side ----------------------------------------------------------------------------

def measure(name: str, corpus: Path, out: Path) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_DATASETS_DISABLE_PROGRESS_BARS": "1"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--stage", name, "--corpus", str(corpus), "--out", str(out)],
                          capture_output=True, text=True, env=env)
    process_wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"stage {name} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_wall_s"] = process_wall  # including interpreter start and imports
    return result


def corpus_for(workdir: Path, docs: int) -> tuple[Path, int]:
    """The synthetic corpus of ``docs`` documents (made once, reused), and its span count."""
    from newsspans._synth import write_synthetic_corpus

    corpus = workdir / f"corpus-{docs}"
    marker = corpus / ".complete"
    if not marker.exists():
        shutil.rmtree(corpus, ignore_errors=True)
        started = time.perf_counter()
        write_synthetic_corpus(corpus, docs=docs)
        spans = 0
        for name in os.listdir(corpus / "annotations"):
            ann = json.loads((corpus / "annotations" / name).read_text(encoding="utf-8"))
            spans += len(ann["entities"]) + len(ann["claims"]) + sum(
                1 for q in ann["quotes"] for p in ("content", "speaker", "cue") if q[p])
        marker.write_text(json.dumps({"spans": spans}), encoding="utf-8")
        print(f"generated {docs} documents ({spans} spans) in {time.perf_counter() - started:.1f} s", flush=True)
    return corpus, json.loads(marker.read_text(encoding="utf-8"))["spans"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, default=None, help="where the corpus and outputs go (default: a temporary folder)")
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        run_stage_here(args.stage, args.corpus, args.out)
        return 0

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="newsspans-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    corpus, spans = corpus_for(workdir, args.docs)
    results = {name: measure(name, corpus, workdir / f"out-{name}") for name in STAGES}

    ours = {k: results["ours-validate"][k] + results["ours-build"][k] for k in ("wall_s", "cpu_s", "process_wall_s")}
    ours["peak_rss_mb"] = max(results["ours-validate"]["peak_rss_mb"], results["ours-build"]["peak_rss_mb"],
                              results["ours-build"]["peak_child_rss_mb"], results["ours-validate"]["peak_child_rss_mb"])
    rows = [("ours (validate + build)", ours), ("  ours: validate", results["ours-validate"]),
            ("  ours: build (core)", results["ours-build"]), ("naive", results["naive"]), ("floor", results["floor"]),
            ("ours: build, all configs", results["ours-build-all"])]
    print(f"\n{args.docs} documents, {spans} spans; python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print(f"{'':26}{'wall s':>9}{'cpu s':>9}{'docs/s':>10}{'spans/s':>11}{'peak RSS MB':>13}")
    for label, r in rows:
        rss = max(r["peak_rss_mb"], r.get("peak_child_rss_mb", 0))
        print(f"{label:26}{r['wall_s']:9.2f}{r['cpu_s']:9.2f}{args.docs / r['wall_s']:10.0f}{spans / r['wall_s']:11.0f}{rss:13.0f}")
    over_floor = ours["wall_s"] / results["floor"]["wall_s"]
    naive_over = results["naive"]["wall_s"] / ours["wall_s"]
    build_over_floor = results["ours-build"]["wall_s"] / results["floor"]["wall_s"]
    print(f"ours/floor = {over_floor:.2f} (build alone {build_over_floor:.2f}); naive/ours = {naive_over:.2f}")
    print("(wall times exclude interpreter start-up and imports, which the child reports separately: "
          + ", ".join(f"{k} {r['process_wall_s'] - r['wall_s']:.2f} s" for k, r in results.items()) + ")")
    tokens = json.loads((workdir / "out-tokens.json").read_text(encoding="utf-8"))
    line = f"tokens: ours {tokens['tokens'] / tokens['ours_s']:,.0f} tokens/s ({tokens['tokens']} tokens, 0 misaligned by construction)"
    if "spacy_s" in tokens:
        ratio = (tokens["tokens"] / tokens["ours_s"]) / (tokens["spacy_tokens"] / tokens["spacy_s"])
        line += (f"; spaCy blank 'en' + offsets_to_biluo_tags {tokens['spacy_tokens'] / tokens['spacy_s']:,.0f} tokens/s "
                 f"({tokens['spacy_misaligned_tokens']} tokens of misaligned mentions); ours/spaCy speed = {ratio:.2f}")
    else:
        line += f"; spaCy comparison skipped: {tokens['spacy']}"
    print(line)
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"docs={args.docs} ours_s={ours['wall_s']:.2f} naive_s={results['naive']['wall_s']:.2f} "
          f"floor_s={results['floor']['wall_s']:.2f} ours_over_floor={over_floor:.2f} naive_over_ours={naive_over:.2f} "
          f"ours_peak_rss_mb={ours['peak_rss_mb']:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
