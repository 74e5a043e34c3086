"""The README's examples run, and its two commands are the ones CI runs."""

from __future__ import annotations

import contextlib
import io
import json

from helpers import CORPUS, ROOT, annotations_of, read_json, run, split_of_document, write_json

from newsspans.validation import iter_problems

README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(lang):
    """The fenced code blocks of the README with the given info string ("" for none)."""
    found, current, info = [], None, None
    for line in README.splitlines(keepends=True):
        if line.startswith("```"):
            if current is None:
                current, info = [], line[3:].strip()
            else:
                if info == lang:
                    found.append("".join(current))
                current = None
        elif current is not None:
            current.append(line)
    return found


def test_python_examples_run(monkeypatch):
    monkeypatch.chdir(ROOT)
    [example] = blocks("python")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(example, "README.md", "exec"), {})
    # It prints the first three rows of the train split's mentions: documents in id order, each
    # document's mentions in the order of its annotation file.
    train = [(doc_id, m) for doc_id, ann in annotations_of(CORPUS).items() if split_of_document(CORPUS)[doc_id] == "train"
             for m in ann["entities"]]
    assert len(train) >= 3
    assert out.getvalue().splitlines() == [f"{doc_id}:{m['id']} {m['label']} {m['text']!r} {m['entity_id']}"
                                           for doc_id, m in train[:3]]


def test_ci_runs_the_readme_test_command():
    build_cmd, test_cmd = blocks("sh")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd.strip() in ci.splitlines()
    assert "newsspans build" in build_cmd and "pytest" in test_cmd


def test_the_example_annotation_is_real_and_the_example_problem_is_what_the_validator_prints(corpus_copy, monkeypatch):
    [example] = blocks("json")
    real = read_json(corpus_copy / "annotations" / "000_1936301ef05f6424.json")
    layers = {"m": "entities", "q": "quotes", "c": "claims"}
    shown = [json.loads(line.strip().rstrip(",")) for line in example.splitlines() if line.strip().startswith('{"id"')]
    assert len(shown) == 3
    for item in shown:
        [same] = [x for x in real[layers[item["id"][0]]] if x["id"] == item["id"]]
        for key, value in item.items():
            if isinstance(value, dict):
                assert (value["start"], value["end"]) == (same[key]["start"], same[key]["end"])
            elif key != "text" or not value.endswith("…"):
                assert same[key] == value
            else:
                assert same[key].startswith(value[:-1])

    [problem] = [b for b in blocks("") if "[E-SPAN-TEXT]" in b]
    monkeypatch.chdir(corpus_copy.parent)
    m = real["entities"][3]
    m["start"] += 1
    m["end"] += 1
    write_json(corpus_copy / "annotations" / "000_1936301ef05f6424.json", real)
    [p] = list(iter_problems(corpus_copy))
    assert str(p) == problem.strip()


def test_the_diff_example_works_on_a_fresh_clone(tmp_path):
    """`newsspans diff v1.0.0 HEAD`, as the README writes it, in a fresh clone of a scratch repository
    whose 1.0.0 was never tagged (as this project's was not): v1.0.0 is the commit that set it."""
    import re
    import shlex
    import shutil
    import subprocess

    from helpers import git

    [example] = set(re.findall(r"`(newsspans diff v1\.0\.0 HEAD)`", README))
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("corpus", "schema"):
        shutil.copytree(ROOT / name, repo / name)
    dataset = read_json(repo / "corpus" / "dataset.json")
    write_json(repo / "corpus" / "dataset.json", {**dataset, "version": "1.0.0"})
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "1.0.0")
    write_json(repo / "corpus" / "dataset.json", {**dataset, "version": "1.1.0", "limitations_note": "Changed."})
    git(repo, "commit", "-qam", "1.1.0")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True, capture_output=True)
    argv = shlex.split(example)[1:]
    code, out, err = run(*argv, cwd=clone)
    assert code == 0, err
    assert out.startswith("diff v1.0.0 (corpus, version 1.0.0) -> HEAD (corpus, version 1.1.0)")
