"""The commands mode of ``benchmark.py`` (``--commands``): each command a user runs, timed at two
sizes, N/10 and N documents, with its peak memory, and the growth from one to the other.

For each size the synthetic corpus ("old") gets two derived corpora, made once and reused:

  new   every 10th document changed: its first claim's label flipped, its last claim removed
        (when it has two or more), its first DATE mention made a TIME: the second state of ``diff``,
        and the corpus the exports are made from, so that each import writes those documents back
  bad   every 10th document's first mention with a wrong stored text (an error each), and 0.8×N
        unused registry entries (a warning each): the corpus of ``validate`` with many problems

The commands: ``export FORMAT`` of "new" for every format; ``import FORMAT`` of each importable
export into a fresh copy of "old" (made before the timing starts); ``render`` of "old"; ``diff
old new``; ``validate bad``. Each runs in a fresh child process (``benchmark.py --command``),
which imports the command's modules first and then times the command alone, so that the growth
ratio is not blurred by the fixed cost of starting Python; that cost is shown apart. Peak memory
is the child's maximum resident set (including its worker processes), from ``wait4``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

FORMATS = ("conll", "spacy", "brat", "labelstudio", "jsonl")
IMPORTABLE = ("conll", "spacy", "brat", "labelstudio")  # jsonl (Prodigy / GLiNER) has no importer
WARM = ("newsspans.cli", "newsspans.formats", "newsspans.review", "newsspans.versions", "newsspans.validation")


# -- the derived corpora ---------------------------------------------------------------------

def _rewrite(path: Path, change) -> None:
    from newsspans.corpus import dumps_canonical

    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(dumps_canonical(data), encoding="utf-8")


def _changed(ann: dict) -> None:
    claims = ann["claims"]
    claims[0]["label"] = "UFS" if claims[0]["label"] == "CFS" else "CFS"
    if len(claims) > 1:
        claims.pop()
    dates = [m for m in ann["entities"] if m["label"] == "DATE"]
    if dates:
        dates[0]["label"] = "TIME"


def _broken(ann: dict) -> None:
    ann["entities"][0]["text"] += "x"


def _add_unused(registry: dict, count: int) -> None:
    width = len(str(count))
    registry["entities"] += [{"entity_id": f"zz-unused-{i:0{width}d}", "name": f"Unused Entity {i}", "type": "ORG",
                              "aliases": [f"Unused Entity {i}"], "wikidata": None} for i in range(count)]


def derived(old: Path, name: str, docs: int) -> Path:
    """The corpus ``name`` ("new" or "bad") derived from ``old`` (see the module docstring)."""
    dest = old.parent / f"{old.name}-{name}"
    marker = dest / ".complete"
    if marker.exists():
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(old, dest)
    ids = sorted(n[:-5] for n in os.listdir(dest / "annotations"))
    for doc_id in ids[::10]:
        _rewrite(dest / "annotations" / f"{doc_id}.json", _changed if name == "new" else _broken)
    if name == "bad":
        _rewrite(dest / "registry.json", lambda reg: _add_unused(reg, docs * 8 // 10))
    marker.write_text("", encoding="utf-8")
    return dest


# -- one command in a child ------------------------------------------------------------------

def run_command_here(argv: list[str]) -> int:
    """Child side: import the command's modules, run it, print its time and status as JSON."""
    import importlib

    for module in WARM + (("spacy",) if "spacy" in argv else ()):
        importlib.import_module(module)
    from newsspans.cli import main

    started = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        code = main(argv, stdout=sink, stderr=sys.stderr)
    print(json.dumps({"s": time.perf_counter() - started, "code": code}))
    return 0


def timed(argv: list[str], log: Path) -> dict:
    """Run ``newsspans argv`` in a child of ``benchmark.py --command``: its time, exit status,
    process wall time and peak RSS (MB; of the child and its workers)."""
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as err:
        child = subprocess.Popen([sys.executable, str(Path(__file__).with_name("benchmark.py")), "--command", "--", *argv],
                                 stdout=subprocess.PIPE, stderr=err, env=env, text=True)
        output = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    lines = output.strip().splitlines()
    if child.returncode != 0 or not lines:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
        raise SystemExit(f"newsspans {' '.join(argv)} failed (exit {child.returncode}): {' / '.join(tail)}")
    result = json.loads(lines[-1])
    return {**result, "process_s": wall, "rss_mb": usage.ru_maxrss / 1024}


# -- the plan and the run --------------------------------------------------------------------

def plan(old: Path, new: Path, bad: Path, work: Path) -> list[tuple[str, list[str], object]]:
    """(name, argv, preparation) of every command, in order; a preparation runs untimed first."""
    def fresh(path: Path):
        return lambda: shutil.rmtree(path, ignore_errors=True)

    def copy_of_old(path: Path):
        return lambda: (shutil.rmtree(path, ignore_errors=True), shutil.copytree(old, path))

    steps = []
    for fmt in FORMATS:
        steps.append((f"export {fmt}", ["export", fmt, "--corpus", str(new), "--out", str(work / f"export-{fmt}")],
                      fresh(work / f"export-{fmt}")))
    for fmt in IMPORTABLE:
        target = work / f"import-{fmt}"
        steps.append((f"import {fmt}", ["import", fmt, str(work / f"export-{fmt}"), "--corpus", str(target)], copy_of_old(target)))
    steps.append(("render", ["render", "--corpus", str(old), "--out", str(work / "render")], fresh(work / "render")))
    steps.append(("diff", ["diff", str(old), str(new)], None))
    steps.append(("validate (many problems)", ["validate", "--corpus", str(bad)], None))
    return steps


def run_size(corpus: Path, docs: int, work: Path, *, spacy: bool) -> dict:
    """Every command on the corpus of ``docs`` documents: name -> measurements."""
    new, bad = derived(corpus, "new", docs), derived(corpus, "bad", docs)
    work.mkdir(parents=True, exist_ok=True)
    results = {}
    for name, argv, prepare in plan(corpus, new, bad, work):
        if "spacy" in argv and not spacy:
            continue
        if prepare:
            prepare()
        results[name] = timed(argv, work / "stderr.log")
        expected = 1 if name.startswith("validate") else 0
        if results[name]["code"] != expected:
            raise SystemExit(f"newsspans {' '.join(argv)} exited {results[name]['code']}, expected {expected}: "
                             f"see {work / 'stderr.log'}")
        print(f"  {docs:>7} docs  {name:26}{results[name]['s']:9.2f} s{results[name]['rss_mb']:9.0f} MB", flush=True)
    return results


def startup_s() -> float:
    """The fixed cost of a command's child: Python, the harness and the command's imports."""
    from_here = [sys.executable, "-c", "import " + ", ".join(WARM)]
    started = time.perf_counter()
    subprocess.run(from_here, check=True, capture_output=True)
    return time.perf_counter() - started


def key(name: str) -> str:
    return name.split(" (")[0].replace(" ", "_")


def report(docs: int, small: dict, large: dict, startup: float) -> None:
    """The table of both sizes, the growth ratios, and the machine-readable last line."""
    tenth = docs // 10
    print(f"\ncommands at {tenth} and {docs} documents (time: the command alone, after its imports; a child's start "
          f"and imports take {startup:.2f} s on top, shown in 'process s')")
    print(f"{'':26}{f's @{tenth}':>10}{f's @{docs}':>10}{'growth':>8}{f'process s @{docs}':>18}"
          f"{f'MB @{tenth}':>10}{f'MB @{docs}':>10}{'RSS growth':>12}")
    fields = [f"mode=commands docs={docs} small_docs={tenth}"]
    growth, rss = {}, {}
    for name, big in large.items():
        little = small[name]
        growth[name] = big["s"] / little["s"]
        rss[name] = big["rss_mb"] / little["rss_mb"]
        print(f"{name:26}{little['s']:10.2f}{big['s']:10.2f}{growth[name]:8.2f}{big['process_s']:18.2f}"
              f"{little['rss_mb']:10.0f}{big['rss_mb']:10.0f}{rss[name]:12.2f}")
        fields.append(f"{key(name)}_s={big['s']:.2f} {key(name)}_growth={growth[name]:.2f} "
                      f"{key(name)}_rss_mb={big['rss_mb']:.0f} {key(name)}_rss_growth={rss[name]:.2f}")
    worst, fattest = max(growth, key=growth.get), max(rss, key=rss.get)
    print(f"growth (time at {docs} / time at {tenth}; about 10 for linear): largest {growth[worst]:.2f} ({worst}); "
          f"peak RSS growth: largest {rss[fattest]:.2f} ({fattest}); "
          f"largest peak RSS {max(r['rss_mb'] for r in large.values()):.0f} MB")
    fields.append(f"growth_max={growth[worst]:.2f} rss_growth={rss[fattest]:.2f} "
                  f"peak_rss_mb={max(r['rss_mb'] for r in large.values()):.0f}")
    print(" ".join(fields))


def run(workdir: Path, docs: int, corpus_for) -> int:
    """The commands mode: both sizes, then the report."""
    try:
        import spacy  # noqa: F401
    except ImportError:
        spacy_ok = False
        print("note: spaCy is not installed: export spacy and import spacy are left out (pip install 'newsspans[spacy]')")
    else:
        spacy_ok = True
    measured = {}
    for n in (docs // 10, docs):
        corpus, _ = corpus_for(workdir, n)
        measured[n] = run_size(corpus, n, workdir / f"commands-{n}", spacy=spacy_ok)
    report(docs, measured[docs // 10], measured[docs], startup_s())
    return 0
