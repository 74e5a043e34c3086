"""Time and peak memory of the Label Studio export and import (issue 16): one long document and
many synthetic ones.

    python scripts/benchmark_labelstudio.py [--docs 1000] [--chars 400000] [--work DIR]

Builds two corpora: ``long``, one document of about ``--chars`` characters made of synthetic
documents joined end to end (their annotations moved along, an emoji opening each part so UTF-16
and code-point offsets differ), and ``many``, ``--docs`` synthetic documents. For each it runs,
as a user does, ``newsspans export labelstudio``, ``newsspans import labelstudio`` of that export
(nothing changes), and the import of the same export with every region id replaced by a random
one, as regions drawn in Label Studio's browser come back (every item takes a fresh id;
``--dry-run --allow-deletions``). Each command is its own process: wall time, CPU time and peak
RSS (``os.wait4``, the command's own) are printed per command, then one JSON line with them all.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsspans._synth import synthetic_corpus, write_synthetic_corpus
from newsspans.corpus import dumps_canonical
from newsspans.model import highest_id_numbers

LEAD = "\U0001F642 "  # opens each part of the long document: one code point, two UTF-16 units


def long_corpus(dest: Path, *, chars: int) -> Path:
    """A corpus of one document of at least ``chars`` characters: synthetic documents joined by a
    blank line, each opened by an emoji, with their annotations moved to where they now stand."""
    top, documents = synthetic_corpus(docs=max(10, chars // 1500))
    for sub in ("texts", "documents", "annotations"):
        (dest / sub).mkdir(parents=True)
    for rel, data in top.items():
        (dest / rel).write_bytes(data)
    text, layers = "", {"entities": [], "quotes": [], "claims": []}
    for doc_id, files in documents:
        if len(text) >= chars:
            break
        part = files[f"texts/{doc_id}.txt"].decode("utf-8")
        ann = json.loads(files[f"annotations/{doc_id}.json"])
        joint = ("\n\n" if text else "") + LEAD
        _move(ann, layers, len(text) + len(joint))
        text += joint + part
    return _write_document(dest, "long", text, layers)


def _move(ann: dict, layers: dict, by: int) -> None:
    """Add ``ann``'s items to ``layers``, ``by`` characters further on, numbered after those there."""
    def span(s):
        return None if s is None else {**s, "start": s["start"] + by, "end": s["end"] + by}
    for m in ann["entities"]:
        layers["entities"].append({**m, "id": f"m{len(layers['entities']) + 1}", "start": m["start"] + by, "end": m["end"] + by})
    for q in ann["quotes"]:
        layers["quotes"].append({**q, "id": f"q{len(layers['quotes']) + 1}", "content": span(q["content"]),
                                 "speaker": span(q["speaker"]), "cue": span(q["cue"])})
    for c in ann["claims"]:
        layers["claims"].append({**c, "id": f"c{len(layers['claims']) + 1}", "start": c["start"] + by, "end": c["end"] + by})


def _write_document(dest: Path, doc_id: str, text: str, layers: dict) -> Path:
    data = text.encode("utf-8")
    meta = {"id": doc_id, "title": None, "published": None, "source": f"{doc_id}.txt", "language": "en",
            "story_id": doc_id, "sha256": hashlib.sha256(data).hexdigest()}
    ann = {"document_id": doc_id, "issued": highest_id_numbers({k: [x["id"] for x in v] for k, v in layers.items()}), **layers}
    (dest / "texts" / f"{doc_id}.txt").write_bytes(data)
    (dest / "documents" / f"{doc_id}.json").write_bytes(dumps_canonical(meta).encode("utf-8"))
    (dest / "annotations" / f"{doc_id}.json").write_bytes(dumps_canonical(ann).encode("utf-8"))
    return dest


def with_browser_ids(src: Path, dest: Path) -> Path:
    """The tasks file ``src`` with every region id random (relations and per-region values kept tied)."""
    tasks = json.loads(src.read_text(encoding="utf-8"))
    rng = random.Random(0)
    for task in tasks:
        for annotation in task.get("annotations", []):
            new: dict[str, str] = {}
            for item in annotation["result"]:
                for key in ("id", "from_id", "to_id"):
                    if key in item:
                        item[key] = new.setdefault(item[key], "".join(rng.choice(string.ascii_letters) for _ in range(10)))
    dest.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    return dest


#: Runs a command and prints its exit code, peak RSS and the end of its stderr. Spawned by this
#: small interpreter, the command's peak RSS is its own: a child of this script itself would
#: report this script's memory at the time of the fork as its peak.
_RUNNER = """import json, os, subprocess, sys
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = proc.stderr.read().decode()
_, status, usage = os.wait4(proc.pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "maxrss_kb": usage.ru_maxrss,
                  "cpu_s": usage.ru_utime + usage.ru_stime, "err": err[-2000:]}))
"""


def measure(*args: object) -> dict[str, float]:
    """Run ``newsspans ARGS`` in its own process: wall and CPU seconds (user + system: less
    sensitive to a busy machine), and peak RSS in MB."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _RUNNER, sys.executable, "-m", "newsspans", *map(str, args)],
                         capture_output=True, text=True, check=True).stdout
    seconds = time.perf_counter() - start
    found = json.loads(out)
    if found["code"] != 0:
        raise SystemExit(f"newsspans {' '.join(map(str, args))} failed ({found['code']}):\n{found['err']}")
    return {"seconds": round(seconds, 2), "cpu_seconds": round(found["cpu_s"], 2), "peak_rss_mb": round(found["maxrss_kb"] / 1024, 1)}


def run_corpus(name: str, corpus: Path, work: Path) -> dict[str, dict[str, float]]:
    out = work / f"{name}-ls"
    figures = {"export": measure("export", "labelstudio", "--corpus", corpus, "--out", out)}
    copy = work / f"{name}-copy"
    shutil.copytree(corpus, copy)
    figures["import"] = measure("import", "labelstudio", out, "--corpus", copy)
    browser = with_browser_ids(out / "tasks.json", work / f"{name}-browser.json")
    figures["import_browser_ids"] = measure("import", "labelstudio", browser, "--corpus", copy, "--dry-run", "--allow-deletions")
    for step, f in figures.items():
        print(f"{name:5} {step:19} {f['seconds']:8.2f} s {f['cpu_seconds']:8.2f} s CPU {f['peak_rss_mb']:8.1f} MB", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--chars", type=int, default=400_000)
    parser.add_argument("--work", type=Path, help="a new folder for the corpora (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsspans-bench-ls-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        long = long_corpus(work / "long", chars=args.chars)
        chars = len((long / "texts" / "long.txt").read_text(encoding="utf-8"))
        regions = sum(len(v) for k, v in json.loads((long / "annotations" / "long.json").read_text()).items()
                      if k in ("entities", "quotes", "claims"))
        print(f"long: one document of {chars} characters, {regions} items; many: {args.docs} documents", flush=True)
        result = {"long_chars": chars, "long_items": regions, "docs": args.docs,
                  "long": run_corpus("long", long, work),
                  "many": run_corpus("many", write_synthetic_corpus(work / "many", docs=args.docs), work)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
