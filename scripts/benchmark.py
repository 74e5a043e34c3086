#!/usr/bin/env python3
"""Benchmark validate + build against what a user would write by hand, the I/O floor and the
physical limit; or (``--commands``) every other command at two sizes.

    python scripts/benchmark.py --docs N [--workdir DIR]
    python scripts/benchmark.py --docs N --commands [--workdir DIR]

Writes a deterministic synthetic corpus of N documents (``newsspans._synth``), then runs, one
after the other in fresh child processes of this one, on the same input:

  ours        ``newsspans build`` of the core configs (documents, entities, quotes, claims,
              registry): what users run, since the build validates every document as its gate in
              its one pass (every error check of ``newsspans validate``; a corpus with an error is
              refused). ``newsspans validate`` alone (which adds the warnings) and the two run one
              after the other are printed too, as is the full build (all configs)
  naive       json per file, jsonschema validation of each annotation file with the project's
              schema, a Python check of each span's text, ``datasets.Dataset.from_list(...).to_parquet``
  naive-fastjsonschema   the same with ``fastjsonschema.compile`` of the same schema
  arrow-peer  a user's pyarrow + fastjsonschema + span-text check pipeline, one process: the
              same rows built as columns and written with ``pyarrow.parquet`` (no ``datasets``)
  floor       read the same files and write the same core rows with pyarrow.parquet, no checks
  limit       read every file, parse its JSON and encode the same output from columnar Arrow
              data, with no Python object per row (``_bench_limit``)

(the peers are in ``_bench_peers``; they need ``fastjsonschema``: ``pip install 'newsspans[bench]'``),
checks that every stage wrote the same rows (``_bench_check``), and prints wall time, CPU time,
documents/s, spans/s and peak RSS (``getrusage`` of each child: its own maximum resident set, and
the largest of its worker processes', as the OS reports them), then tokens/s of the tokenizer
against spaCy's blank English tokenizer plus ``offsets_to_biluo_tags``. The last line is
machine-readable; with ``--workdir`` the run's figures are kept there, and a later run at 10×
the documents in the same folder reports the growth of peak memory (``rss_growth``).

``--commands`` times export (every format), import (of each exported format), render, diff and
validate of a corpus with many problems at N/10 and at N documents (``_bench_commands``).
"""

from __future__ import annotations

import argparse
import importlib.util
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

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the _bench_* modules beside this script

import _bench_check  # noqa: E402
import _bench_commands  # noqa: E402
from _bench_limit import stage_limit, warm as warm_limit  # noqa: E402
from _bench_peers import (CORE, FASTJSONSCHEMA_MISSING, stage_arrow_peer, stage_floor, stage_naive,  # noqa: E402
                          stage_naive_fastjsonschema, write_schemas)

# -- stages (each runs inside its own child process) ----------------------------------------

def stage_ours_validate(corpus: Path, out: Path) -> None:
    from newsspans.cli import main

    code = main(["validate", "--corpus", str(corpus)], stdout=io.StringIO(), stderr=sys.stderr)
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
    from newsspans.tokenize import document_tags, segmentation

    c = Corpus(corpus)
    registry, _ = c.read_registry()
    docs = [doc for _, doc, _ in c.iter_documents(registry) if doc is not None]
    started = time.perf_counter()
    ours = 0
    for doc in docs:  # as the build tags them: every token of the document at once
        segmented = segmentation(doc)
        document_tags(segmented, doc.annotations.entities, document_id=doc.id)
        ours += len(segmented.tokens)
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


STAGES = {
    "ours-validate": stage_ours_validate,
    "ours-build": stage_ours_build,
    "ours-build-all": stage_ours_build_all,
    "naive": stage_naive,
    "naive-fastjsonschema": stage_naive_fastjsonschema,
    "arrow-peer": stage_arrow_peer,
    "floor": stage_floor,
    "limit": stage_limit,
    "tokens": stage_tokens,
}
#: Run before a stage's clock starts: the limit measures the work, not its libraries' imports.
WARM = {"limit": warm_limit}
#: The stages that write the core configs, each checked against the floor's rows.
WRITERS = ("ours-build", "naive", "naive-fastjsonschema", "arrow-peer", "limit")
PEERS = {"naive": "naive", "naive-fastjsonschema": "naive + fastjsonschema", "arrow-peer": "pyarrow + fastjsonschema, 1 core"}


def _cpu_s() -> float:
    """CPU seconds of this process and of its children that have ended (the workers)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def run_stage_here(name: str, corpus: Path, out: Path) -> None:
    """Child side: run one stage, then print its measurements as one JSON line. The ``newsspans``
    package (its labels and schemas, which every stage reads) is imported before the clock starts;
    what a stage imports besides (pyarrow, datasets, fastjsonschema...) is part of its time, except
    for the limit, whose imports are left out too (``WARM``)."""
    import newsspans.labels  # noqa: F401
    import newsspans.validation  # noqa: F401

    if name in WARM:
        WARM[name]()
    cpu_before = _cpu_s()
    start_wall = time.perf_counter()
    STAGES[name](corpus, out)
    wall = time.perf_counter() - start_wall
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "stage": name,
        "wall_s": wall,
        "cpu_s": _cpu_s() - cpu_before,  # over the same span as wall_s
        "peak_rss_mb": me.ru_maxrss / 1024,
        "peak_child_rss_mb": kids.ru_maxrss / 1024,
    }))


# -- parent side ----------------------------------------------------------------------------

def warm_page_cache(corpus: Path) -> None:
    """Read every file of the corpus once, untimed, so that each stage starts from the same warm
    page cache: a stage that runs after large outputs were written would otherwise read from disk
    and lose to the stages before it (measured: up to half of a stage's time at 100k)."""
    for folder, _, names in os.walk(corpus):
        for name in names:
            with open(os.path.join(folder, name), "rb") as f:
                while f.read(1 << 20):
                    pass


def measure(name: str, corpus: Path, out: Path) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    warm_page_cache(corpus)
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
        for derived in workdir.glob(f"corpus-{docs}-*"):  # the commands mode's, made from the old one
            shutil.rmtree(derived, ignore_errors=True)
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


def ours_total(results: dict) -> dict:
    """Ours: the build of the core configs, which validates as its gate (its peak RSS the larger of
    its own and its workers')."""
    build = results["ours-build"]
    return {**build, "peak_rss_mb": max(build["peak_rss_mb"], build["peak_child_rss_mb"])}


def validate_then_build(results: dict) -> dict:
    """``newsspans validate`` then ``newsspans build`` of the core configs (times added)."""
    both = {k: results["ours-validate"][k] + results["ours-build"][k] for k in ("wall_s", "cpu_s", "process_wall_s")}
    both["peak_rss_mb"] = max(results["ours-validate"]["peak_rss_mb"], results["ours-validate"]["peak_child_rss_mb"],
                              results["ours-build"]["peak_rss_mb"], results["ours-build"]["peak_child_rss_mb"])
    return both


def print_table(docs: int, spans: int, results: dict, ours: dict) -> None:
    rows = [("ours (build, core; validates)", ours), ("  validate alone", results["ours-validate"]),
            ("  validate, then build", validate_then_build(results)),
            *((label, results[name]) for name, label in PEERS.items()),
            ("floor", results["floor"]), ("limit (columnar Arrow)", results["limit"]),
            ("ours: build, all configs", results["ours-build-all"])]
    print(f"\n{docs} documents, {spans} spans; python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print(f"{'':34}{'wall s':>9}{'cpu s':>9}{'docs/s':>10}{'spans/s':>11}{'peak RSS MB':>13}")
    for label, r in rows:
        rss = max(r["peak_rss_mb"], r.get("peak_child_rss_mb", 0))
        print(f"{label:34}{r['wall_s']:9.2f}{r['cpu_s']:9.2f}{docs / r['wall_s']:10.0f}{spans / r['wall_s']:11.0f}{rss:13.0f}")


def tokens_line(tokens: dict) -> tuple[str, str]:
    """The tokenizer's line, and ``tokens_over_spacy`` (``na`` without spaCy)."""
    line = f"tokens: ours {tokens['tokens'] / tokens['ours_s']:,.0f} tokens/s ({tokens['tokens']} tokens, 0 misaligned by construction)"
    if "spacy_s" not in tokens:
        return line + f"; spaCy comparison skipped: {tokens['spacy']}", "na"
    ratio = (tokens["tokens"] / tokens["ours_s"]) / (tokens["spacy_tokens"] / tokens["spacy_s"])
    line += (f"; spaCy blank 'en' + offsets_to_biluo_tags {tokens['spacy_tokens'] / tokens['spacy_s']:,.0f} tokens/s "
             f"({tokens['spacy_misaligned_tokens']} tokens of misaligned mentions); ours/spaCy speed = {ratio:.2f}")
    return line, f"{ratio:.2f}"


def rss_growth(workdir: Path, docs: int, peak_mb: float, keep: bool) -> str:
    """Ours's peak RSS over that of a run at ``docs // 10`` kept in ``workdir`` (``na`` without
    one); this run's figure is kept there too when ``keep``."""
    if keep:
        (workdir / f"results-{docs}.json").write_text(json.dumps({"ours_peak_rss_mb": peak_mb}), encoding="utf-8")
    earlier = workdir / f"results-{docs // 10}.json"
    if docs < 10 or not earlier.exists():
        return "na"
    return f"{peak_mb / json.loads(earlier.read_text(encoding='utf-8'))['ours_peak_rss_mb']:.2f}"


def check_outputs(workdir: Path) -> bool:
    """Whether every stage that writes the core configs wrote the floor's rows (printed)."""
    bad = {name: _bench_check.differences(workdir / "out-floor", workdir / f"out-{name}", CORE) for name in WRITERS}
    bad = {name: found for name, found in bad.items() if found}
    if not bad:
        print(f"same rows: {', '.join(WRITERS)} wrote the floor's rows in every core config")
    for name, found in bad.items():
        print(f"DIFFERENT ROWS: {name} differs from the floor in {'; '.join(found)}: its time does not compare")
    return not bad


def run_stages(args: argparse.Namespace, workdir: Path) -> int:
    corpus, spans = corpus_for(workdir, args.docs)
    write_schemas(workdir / "schemas")
    results = {name: measure(name, corpus, workdir / f"out-{name}") for name in STAGES}
    ours = ours_total(results)
    print_table(args.docs, spans, results, ours)
    wall = {name: r["wall_s"] for name, r in results.items()}
    over_floor, naive_over = ours["wall_s"] / wall["floor"], wall["naive"] / ours["wall_s"]
    full_over_floor, over_limit = wall["ours-build-all"] / wall["floor"], ours["wall_s"] / wall["limit"]
    fastest = min(PEERS, key=wall.get)
    peer_over = wall[fastest] / ours["wall_s"]
    print(f"ours/floor = {over_floor:.2f} (validate, then build {validate_then_build(results)['wall_s'] / wall['floor']:.2f}); "
          f"full build/floor = {full_over_floor:.2f}; ours/limit = {over_limit:.2f}")
    print("peer/ours: " + ", ".join(f"{label} {wall[name] / ours['wall_s']:.2f}" for name, label in PEERS.items())
          + f"; fastest peer: {PEERS[fastest]}")
    print("(wall times leave out each child's interpreter start-up and its import of newsspans, and the limit's imports, "
          "which took: "
          + ", ".join(f"{k} {r['process_wall_s'] - r['wall_s']:.2f} s" for k, r in results.items()) + ")")
    line, tokens_over = tokens_line(json.loads((workdir / "out-tokens.json").read_text(encoding="utf-8")))
    print(line)
    same = check_outputs(workdir)
    growth = rss_growth(workdir, args.docs, ours["peak_rss_mb"], keep=args.workdir is not None)
    print(f"docs={args.docs} ours_s={ours['wall_s']:.2f} naive_s={wall['naive']:.2f} "
          f"floor_s={wall['floor']:.2f} ours_over_floor={over_floor:.2f} naive_over_ours={naive_over:.2f} "
          f"ours_peak_rss_mb={ours['peak_rss_mb']:.0f} full_over_floor={full_over_floor:.2f} "
          f"peer_over_ours={peer_over:.2f} ours_over_limit={over_limit:.2f} tokens_over_spacy={tokens_over} "
          f"rss_growth={growth} full_s={wall['ours-build-all']:.2f} naive_fastjsonschema_s={wall['naive-fastjsonschema']:.2f} "
          f"arrow_peer_s={wall['arrow-peer']:.2f} limit_s={wall['limit']:.2f} same_rows={'yes' if same else 'no'}")
    return 0 if same else 1


def main() -> int:
    if sys.argv[1:3] == ["--command", "--"]:  # child side of --commands: one newsspans command
        return _bench_commands.run_command_here(sys.argv[3:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path, default=None, help="where the corpus and outputs go (default: a temporary folder)")
    parser.add_argument("--commands", action="store_true",
                        help="time export, import, render, diff and validate at N/10 and N documents instead")
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        run_stage_here(args.stage, args.corpus, args.out)
        return 0
    if args.docs < (10 if args.commands else 1):
        print(f"benchmark: --docs must be at least {10 if args.commands else 1}", file=sys.stderr)
        return 2
    if not args.commands and importlib.util.find_spec("fastjsonschema") is None:
        print(f"benchmark: {FASTJSONSCHEMA_MISSING}", file=sys.stderr)
        return 2
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="newsspans-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        if args.commands:
            return _bench_commands.run(workdir, args.docs, corpus_for)
        return run_stages(args, workdir)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
