"""Nothing outside the corpus is read, any bad input is one clear line (never a traceback), and the
patterns match whole strings: one test per reproduction of issue 11, then a fuzzer that mutates a
copy of the corpus and runs validate, build, render and diff on it.

``NEWSSPANS_FUZZ_EXAMPLES=5000 pytest tests/test_robust.py -k fuzz`` runs the fuzzer longer (the
suite runs a few examples, to stay fast).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from helpers import CORPUS, document_ids, git, read_json, run, write_json
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from newsspans import labels
from newsspans.cli import main
from newsspans.corpus import read_document_files
from newsspans.validation import iter_problems

DOC = document_ids(CORPUS)[0]
ANN = f"annotations/{DOC}.json"
META = f"documents/{DOC}.json"
SECRET = "root:x:0:0:not-in-the-corpus"


def codes(corpus: Path) -> list[str]:
    return [p.code for p in iter_problems(corpus, workers=1)]


def outside_file(tmp_path: Path) -> Path:
    """A file outside the corpus, standing for /etc/passwd."""
    path = tmp_path / "outside" / "passwd"
    path.parent.mkdir(exist_ok=True)
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def one_line(err: str) -> bool:
    return len(err.strip().splitlines()) == 1 and "Traceback" not in err


# ------------------------------------------------------------------------------ symlinks


def test_a_linked_text_is_refused_at_the_link_and_never_read(corpus_copy, tmp_path):
    link = corpus_copy / "texts" / "leak.txt"
    link.symlink_to(outside_file(tmp_path))
    problems = list(iter_problems(corpus_copy, workers=1))
    linked = [p for p in problems if p.code == "E-FILE-SYMLINK"]
    assert len(linked) == 1 and linked[0].file.endswith("texts/leak.txt") and linked[0].document_id == "leak"
    assert read_document_files(corpus_copy, "leak").links == ("texts/leak.txt",)
    assert read_document_files(corpus_copy, "leak").text is None

    code, _, err = run("render", "--corpus", corpus_copy, "--out", tmp_path / "review")
    assert code == 0, err
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "review").rglob("*.html"))
    assert SECRET not in pages and "E-FILE-SYMLINK" in pages
    code, _, err = run("build", "--corpus", corpus_copy, "--out", tmp_path / "data")
    assert code == 1 and "[E-FILE-SYMLINK]" in err and not (tmp_path / "data").exists()
    code, _, err = run("export", "jsonl", "--corpus", corpus_copy, "--out", tmp_path / "jsonl")
    assert code == 1 and "E-FILE-SYMLINK" in err
    assert not any(SECRET in p.read_text(errors="replace") for p in tmp_path.joinpath("jsonl").rglob("*") if p.is_file())


@pytest.mark.parametrize("name", [f"texts/{DOC}.txt", META, ANN])
def test_a_linked_document_file_is_refused(corpus_copy, tmp_path, name):
    path = corpus_copy / name
    kept = tmp_path / "kept" / path.name
    kept.parent.mkdir()
    path.rename(kept)
    path.symlink_to(kept)  # the very same bytes, through a link
    problems = [p for p in iter_problems(corpus_copy, workers=1) if p.severity == "error"]
    assert [(p.code, Path(p.file).as_posix().endswith(name)) for p in problems] == [("E-FILE-SYMLINK", True)]
    code, out, err = run("diff", CORPUS, corpus_copy)
    assert code == 0 and "Traceback" not in err
    if name != META:  # without its text or annotations a document cannot be compared (its metadata can be missed)
        assert f"could not be read and are left out: {DOC}" in err


@pytest.mark.parametrize("part", ["registry.json", "dataset.json", "texts", "documents", "annotations"])
def test_a_linked_corpus_part_is_refused(corpus_copy, tmp_path, part):
    kept = tmp_path / "kept"
    kept.mkdir()
    (corpus_copy / part).rename(kept / part)
    (corpus_copy / part).symlink_to(kept / part)
    problems = list(iter_problems(corpus_copy, workers=1))
    assert [p.code for p in problems] == ["E-FILE-SYMLINK"] and problems[0].file.endswith(part)
    for argv in (["render", "--corpus", corpus_copy, "--out", tmp_path / "review"], ["diff", CORPUS, corpus_copy]):
        code, out, err = run(*argv)
        assert code == 2 and one_line(err) and "symbolic link" in err, argv
    code, _, err = run("build", "--corpus", corpus_copy, "--out", tmp_path / "data")
    assert code == 1 and "[E-FILE-SYMLINK]" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_in_place_of_a_file_is_no_file_and_never_waited_on(corpus_copy, tmp_path):
    import signal

    (corpus_copy / "texts" / f"{DOC}.txt").unlink()
    os.mkfifo(corpus_copy / "texts" / f"{DOC}.txt")  # opening it to read would wait for a writer forever
    (corpus_copy / "registry.json").unlink()
    os.mkfifo(corpus_copy / "registry.json")
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("a FIFO was opened and waited on"))
    signal.alarm(60)
    try:
        assert [p.code for p in iter_problems(corpus_copy, workers=1)] == ["E-FILE-MISSING"]
        (corpus_copy / "registry.json").unlink()
        shutil.copy(CORPUS / "registry.json", corpus_copy / "registry.json")
        assert "E-DOC-NO-TEXT" in codes(corpus_copy)
        for argv in (["render", "--corpus", corpus_copy, "--out", tmp_path / "review"], ["diff", CORPUS, corpus_copy]):
            assert run(*argv)[0] == 0, argv
    finally:
        signal.alarm(0)


def test_diff_of_a_revision_holding_a_link_that_points_outside(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(CORPUS, repo / "corpus")
    (repo / "corpus" / "texts" / "leak.txt").symlink_to(outside_file(tmp_path))
    (repo / "corpus" / "texts" / "abs.txt").symlink_to("/etc/passwd")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "links")
    monkeypatch.chdir(repo)
    code, out, err = run("diff", "HEAD", "corpus")
    assert code == 0 and "Traceback" not in err and "no differences" in out
    assert "leak" in err and SECRET not in out + err  # listed as unreadable, never read
    # A corpus folder that is itself a link in the revision is refused in one line.
    shutil.move(repo / "corpus", repo / "real")
    (repo / "corpus").symlink_to(tmp_path / "outside")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "corpus is a link")
    code, out, err = run("diff", "HEAD~1", "HEAD")
    assert code == 2 and one_line(err) and "symbolic link" in err


# ------------------------------------------------------------------------------ patterns


@pytest.mark.parametrize("pattern", [labels.SLUG, labels.DOCUMENT_ID, labels.local_id_pattern("m")])
def test_the_patterns_match_whole_strings_in_python(pattern):
    good = {"": "", labels.SLUG: "abc", labels.DOCUMENT_ID: "abc", labels.local_id_pattern("m"): "m1"}[pattern]
    assert re.match(pattern, good) and re.search(pattern, good)
    for bad in (good + "\n", good + "\r\n", good + "\n\n"):
        assert not re.match(pattern, bad) and not re.search(pattern, bad) and not re.fullmatch(pattern, bad)


def test_a_trailing_newline_fails_the_fast_path_and_the_detailed_validator():
    from newsspans.validation._fastcheck import ecma_regex
    from newsspans.validation._schemacheck import FAST, VALIDATORS

    registry = read_json(CORPUS / "registry.json")
    registry["entities"][0]["entity_id"] += "\n"
    meta = read_json(CORPUS / META)
    meta["sha256"] += "\n"  # a pattern of the schema module itself, with its $
    for kind, value in (("registry", registry), ("document", meta)):
        assert not FAST[kind](value)
        assert [e.validator for e in VALIDATORS[kind].iter_errors(value)] == ["pattern"]
    assert ecma_regex(r"^[0-9a-f]{64}$").search("a" * 64) and not ecma_regex(r"^[0-9a-f]{64}$").search("a" * 64 + "\n")


def test_a_trailing_newline_fails_validate(corpus_copy):
    registry = read_json(corpus_copy / "registry.json")
    registry["entities"][0]["entity_id"] += "\n"
    write_json(corpus_copy / "registry.json", registry)
    problems = list(iter_problems(corpus_copy, workers=1))
    assert [p.code for p in problems] == ["E-ID-PATTERN"] and '"\\n" (U+000A)' in problems[0].message
    ann = read_json(corpus_copy / ANN)
    ann["entities"][0]["id"] += "\n"
    write_json(corpus_copy / ANN, ann)
    assert "entities[0].id" in {p.item for p in iter_problems(corpus_copy, workers=1)}


def test_add_refuses_a_document_id_or_story_id_with_a_newline(corpus_copy, tmp_path):
    text = tmp_path / "abc\n.txt"
    text.write_text("A text.", encoding="utf-8")
    code, out, err = run("add", text, "--story-id", "s", "--corpus", corpus_copy)
    assert code == 1 and one_line(err) and not (corpus_copy / "texts" / "abc\n.txt").exists()
    plain = tmp_path / "abc.txt"
    plain.write_text("A text.", encoding="utf-8")
    code, out, err = run("add", plain, "--story-id", "s\n", "--corpus", corpus_copy)
    assert code == 1 and one_line(err) and not (corpus_copy / "texts" / "abc.txt").exists()


# ------------------------------------------------------------------------------ one line, not a traceback


def _raw_replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _with_surrogate(corpus: Path, name: str, change) -> None:
    value = read_json(corpus / name)
    change(value)
    # json.dumps writes a lone surrogate as its escape, as a careless tool would.
    (corpus / name).write_text(json.dumps(value, indent=1), encoding="utf-8")


def _title(corpus: Path) -> None:
    _with_surrogate(corpus, META, lambda meta: meta.update(title="Talks \ud83c"))


def _label(corpus: Path) -> None:
    _with_surrogate(corpus, ANN, lambda ann: ann["claims"][0].update(label="\ud800"))


def _name(corpus: Path) -> None:
    _with_surrogate(corpus, "registry.json", lambda registry: registry["entities"][0].update(name="Brus\udc00sels"))


def _pretty_name(corpus: Path) -> None:
    _with_surrogate(corpus, "dataset.json", lambda dataset: dataset.update(pretty_name="News\udfffSpans"))


@pytest.mark.parametrize("breakage", [_title, _label, _name, _pretty_name], ids=lambda f: f.__name__[1:])
def test_a_lone_surrogate_is_reported_and_refused_by_the_build_and_shown_by_render(corpus_copy, tmp_path, breakage):
    breakage(corpus_copy)
    problems = list(iter_problems(corpus_copy, workers=1))
    assert "E-FILE-SURROGATE" in [p.code for p in problems]
    surrogate = next(p for p in problems if p.code == "E-FILE-SURROGATE")
    assert surrogate.line is not None and surrogate.item and "\\ud" in surrogate.message
    code, out, err = run("validate", "--corpus", corpus_copy)
    assert code == 1 and "[E-FILE-SURROGATE]" in out
    code, _, err = run("build", "--corpus", corpus_copy, "--out", tmp_path / "data")
    assert code == 1 and "[E-FILE-SURROGATE]" in err and "Traceback" not in err
    code, _, err = run("render", "--corpus", corpus_copy, "--out", tmp_path / "review")
    assert code == 0, err
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "review").rglob("*.html"))
    assert "E-FILE-SURROGATE" in pages
    code, out, err = run("diff", CORPUS, corpus_copy)
    assert code == 0 and "Traceback" not in err


def test_a_number_of_5000_digits_is_one_problem(corpus_copy, tmp_path):
    _raw_replace(corpus_copy / ANN, '"start": ', '"start": ' + "9" * 5000 + ', "x": ')
    problems = list(iter_problems(corpus_copy, workers=1))
    assert [p.code for p in problems] == ["E-FILE-JSON"]
    assert "5000" in problems[0].message and problems[0].line is not None and problems[0].column is not None
    assert run("build", "--corpus", corpus_copy, "--out", tmp_path / "data")[0] == 1
    assert run("render", "--corpus", corpus_copy, "--out", tmp_path / "review")[0] == 0
    code, _, err = run("diff", CORPUS, corpus_copy)
    assert code == 0 and DOC in err


@pytest.mark.parametrize("depth", [70, 900, 100_000])
@pytest.mark.parametrize("name", [ANN, "registry.json", "dataset.json"])
def test_deep_nesting_is_one_problem(corpus_copy, tmp_path, name, depth):
    path = corpus_copy / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(": ", ": " + "[" * depth + "]" * depth + ', "deep": ', 1), encoding="utf-8")
    problems = [p for p in iter_problems(corpus_copy, workers=1) if p.severity == "error"]
    assert [p.code for p in problems] == ["E-FILE-JSON"] and problems[0].file.endswith(name)
    for argv in (["validate", "--corpus", corpus_copy], ["build", "--corpus", corpus_copy, "--out", tmp_path / "data"],
                 ["render", "--corpus", corpus_copy, "--out", tmp_path / "review"], ["diff", CORPUS, corpus_copy],
                 ["diff", corpus_copy, CORPUS, "--format", "json"]):
        code, out, err = run(*argv)
        assert code in (0, 1) and "Traceback" not in err, argv


def test_a_deeply_nested_annotation_file_is_refused_by_the_importers_check():
    from newsspans.validation import check_annotation_file

    data = ('{"document_id": "' + DOC + '", "entities": ' + "[" * 100_000 + "]" * 100_000 + "}").encode("utf-8")
    problems = check_annotation_file(data, path=ANN, text="text", document_id=DOC, registry=None)
    assert [p.code for p in problems] == ["E-FILE-JSON"]


def test_a_registry_alias_of_thousands_of_characters(corpus_copy):
    registry = read_json(corpus_copy / "registry.json")
    registry["entities"][0]["aliases"].append("a" * 5000)
    write_json(corpus_copy / "registry.json", registry)
    assert codes(corpus_copy) == ["W-REG-ALIAS-UNUSED"]


def test_hundreds_of_aliases_each_a_prefix_of_the_next():
    from newsspans.model import RegistryEntry
    from newsspans.validation._checks import AliasIndex

    registry = {"x": RegistryEntry("x", "X", "ORG", tuple("a" * k for k in range(1, 800)), None),
                "y": RegistryEntry("y", "Y", "ORG", ("ab", "b", "ba"), None)}
    index = AliasIndex(registry)
    assert [(s, e) for s, e, _ in index.find("caaaba")] == [(1, 4), (2, 4), (3, 5), (4, 6), (5, 6)]


def test_the_flat_alternation_finds_what_the_trie_finds(monkeypatch):
    from newsspans.corpus import read_registry_lenient
    from newsspans.validation._checks import AliasIndex

    registry = read_registry_lenient(CORPUS)
    text = (CORPUS / "texts" / f"{DOC}.txt").read_text(encoding="utf-8")
    trie = list(AliasIndex(registry).find(text))
    monkeypatch.setattr(AliasIndex, "MAX_NESTING", 0)
    assert list(AliasIndex(registry).find(text)) == trie and trie


@pytest.mark.skipif(os.name != "posix", reason="file names of any bytes")
def test_a_file_name_that_is_not_utf8_is_printed_and_rendered(corpus_copy, tmp_path):
    for folder, suffix in (("texts", ".txt"), ("documents", ".json"), ("annotations", ".json")):
        source = os.fsencode(corpus_copy / folder / f"{DOC}{suffix}")
        shutil.copyfile(source, os.fsencode(corpus_copy / folder) + b"/caf\xe9" + suffix.encode())
    for argv in (["validate", "--corpus", corpus_copy], ["validate", "--corpus", corpus_copy, "--format", "json"],
                 ["build", "--corpus", corpus_copy, "--out", tmp_path / "data"],
                 ["render", "--corpus", corpus_copy, "--out", tmp_path / "review"]):
        code, out, err = run(*argv)
        assert code in (0, 1) and "Traceback" not in err, argv
        (out + err).encode("utf-8")  # printable in UTF-8 as it is, whatever the stream's error handler
    assert "caf\\udce9" in run("validate", "--corpus", corpus_copy)[1]
    code, out, err = run("diff", CORPUS, corpus_copy)  # prints the id as the OS gave it (surrogate escapes)
    assert code == 0 and "Traceback" not in err


@pytest.mark.parametrize("field, value", [("content", None), ("type", ["direct"]), ("speaker", [1, 2]),
                                          ("group_id", {"g": 1}), ("speaker_entity_id", 7)])
def test_a_quote_of_the_wrong_shape_is_listed_with_its_problem_not_drawn(corpus_copy, tmp_path, field, value):
    ann = read_json(corpus_copy / ANN)
    ann["quotes"][0][field] = value
    write_json(corpus_copy / ANN, ann)
    code, _, err = run("render", "--corpus", corpus_copy, "--out", tmp_path / "review")
    assert code == 0, err
    page = (tmp_path / "review" / "documents" / f"{DOC}.html").read_text(encoding="utf-8")
    assert "quotes[0]" in page and 'id="q0-content"' not in page


@pytest.mark.parametrize("field, value", [("id", None), ("title", 5), ("published", ["2024-01-01"])])
def test_metadata_of_the_wrong_shape_is_not_shown(corpus_copy, tmp_path, field, value):
    meta = read_json(corpus_copy / META)
    meta[field] = value
    write_json(corpus_copy / META, meta)
    code, _, err = run("render", "--corpus", corpus_copy, "--out", tmp_path / "review")
    assert code == 0, err
    code, _, err = run("diff", CORPUS, corpus_copy)
    assert code == 0, err


# ------------------------------------------------------------------------------ duplicate keys


def test_a_layer_given_twice_is_reported_at_its_second_key(corpus_copy, tmp_path):
    path = corpus_copy / ANN
    first_quote = json.dumps(read_json(path)["quotes"][0], ensure_ascii=False)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    second = lines.index('  "quotes": [') + 4  # after the inserted key, its one quote and its closing bracket
    _raw_replace(path, '  "quotes": [', f'  "quotes": [\n    {first_quote}\n  ],\n  "quotes": [')
    problems = [p for p in iter_problems(corpus_copy, workers=1) if p.severity == "error"]
    assert [(p.code, p.line, p.item) for p in problems] == [("E-FILE-DUPLICATE-KEY", second, "quotes")]
    assert f"first on line {second - 3}" in problems[0].message
    code, _, err = run("build", "--corpus", corpus_copy, "--out", tmp_path / "data")
    assert code == 1 and "[E-FILE-DUPLICATE-KEY]" in err


def test_duplicate_keys_in_every_kind_of_file(corpus_copy):
    _raw_replace(corpus_copy / "dataset.json", '"license": ', '"license": "x", "license": ')
    _raw_replace(corpus_copy / "registry.json", '"wikidata": ', '"wikidata": null, "wikidata": ')
    _raw_replace(corpus_copy / META, '"source": ', '"language": "en", "source": ')
    found = [(p.code, Path(p.file).name) for p in iter_problems(corpus_copy, workers=1)]
    assert found == [("E-FILE-DUPLICATE-KEY", "dataset.json"), ("E-FILE-DUPLICATE-KEY", "registry.json"),
                     ("E-FILE-DUPLICATE-KEY", f"{DOC}.json")]


# ------------------------------------------------------------------------------ the fuzzer

FILES = ["dataset.json", "registry.json"] + [f"{folder}/{d}{suffix}" for d in document_ids(CORPUS)
                                              for folder, suffix in (("texts", ".txt"), ("documents", ".json"),
                                                                     ("annotations", ".json"))]
FOLDERS = ["texts", "documents", "annotations"]
SENTINEL = "\x00fuzz\x00"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
#: Raw JSON that Python takes badly, or that a careless reader mistakes.
raw_values = st.sampled_from([
    "9" * 5000, "-" + "9" * 4400, "9" * 4300, "1e999", "-1e999", "NaN", "Infinity", "1.5", "0", "-1", "true",
    "[" * 70 + "]" * 70, "[" * 1000 + "]" * 1000, "[" * 100_000 + "]" * 100_000, '{"a": ' * 500 + "1" + "}" * 500,
    '"\\ud800"', '"x\\udfffy"', '"\\ud83d\\ude00"', '"\\udc00\\ud800"', '"' + "a" * 700 + '"', '"abc\\n"', '"m1\\n"',
    '"author\\n"', '""', '" "', '"\\u0000"', '"PERSON"', '"CFS"', '"direct"', "[]", "{}", '[""]', '{"": null}',
])


def _paths(value, path=()):
    yield list(path)
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*path, i))


def _objects(value):
    return [p for p in _paths(value) if isinstance(_at(value, p), dict) and _at(value, p)]


def _at(value, path):
    for step in path:
        value = value[step]
    return value


def _dump_with(value, path, raw: str) -> str:
    """``value`` as canonical-looking JSON with the value at ``path`` written as the raw text ``raw``."""
    if not path:
        return raw
    parent = _at(value, path[:-1])
    parent[path[-1]] = SENTINEL
    text = json.dumps(value, indent=1, ensure_ascii=False)
    return text.replace(json.dumps(SENTINEL), raw, 1)


@st.composite
def mutations(draw):
    """One change to one corpus file or folder, as (kind, target, detail)."""
    kind = draw(st.sampled_from(["json", "json", "json", "bytes", "symlink", "other"]))
    if kind == "symlink":
        target = draw(st.sampled_from(FILES + FOLDERS))
        to = draw(st.sampled_from(["outside", "sibling", "dangling", "self", "root-folder"]))
        return kind, target, to
    target = draw(st.sampled_from(FILES))
    if kind == "bytes":
        how = draw(st.sampled_from(["replace", "flip", "insert", "truncate"]))
        return kind, target, (how, draw(st.binary(max_size=40)), draw(st.integers(0, 100_000)))
    if kind == "other":
        return kind, target, draw(st.sampled_from(["remove", "folder", "fifo", "empty"]))
    how = draw(st.sampled_from(["value", "raw", "raw", "delete", "duplicate", "append", "rename"]))
    return kind, target, (how, draw(st.randoms(use_true_random=False)), draw(json_values), draw(raw_values))


def apply(corpus: Path, scratch: Path, mutation) -> None:
    kind, target, detail = mutation
    path = corpus / target
    if path.parent != corpus and (path.parent.is_symlink() or not path.parent.is_dir()):
        return  # its folder is gone or a link already (an earlier change): never write through it
    if kind == "symlink":
        outside = scratch / "outside.txt"
        outside.write_text(SECRET, encoding="utf-8")
        link_to = {"outside": outside, "sibling": corpus / "registry.json", "dangling": scratch / "nowhere",
                   "self": path, "root-folder": Path("/")}[detail]
        if path.is_dir() and not path.is_symlink():
            moved = Path(tempfile.mkdtemp(dir=scratch)) / path.name
            shutil.move(path, moved)
            link_to = moved if detail == "sibling" else link_to
        elif path.is_symlink() or path.exists():
            path.unlink()
        path.symlink_to(link_to)
        return
    if kind == "other":
        if not path.is_file():
            return
        path.unlink()
        if detail == "folder":
            path.mkdir()
        elif detail == "fifo" and hasattr(os, "mkfifo"):
            os.mkfifo(path)
        elif detail == "empty":
            path.write_bytes(b"")
        return
    if not path.is_file():
        return
    data = path.read_bytes()
    if kind == "bytes":
        how, chunk, at = detail
        at = at % (len(data) + 1)
        data = {"replace": chunk, "flip": data[:at] + chunk + data[at + len(chunk):], "insert": data[:at] + chunk + data[at:],
                "truncate": data[:at]}[how]
        path.write_bytes(data)
        return
    how, rnd, value, raw = detail
    try:
        _change_json(path, json.loads(data), how, rnd, value, raw)
    except (ValueError, RecursionError):  # not JSON (an earlier change), or too deep for this harness
        return


def _change_json(path: Path, parsed, how: str, rnd, value, raw: str) -> None:
    paths = list(_paths(parsed))
    where = rnd.choice(paths)
    if how == "value":
        text = _dump_with(parsed, where, json.dumps(value))
    elif how == "raw":
        text = _dump_with(parsed, where, raw)
    elif how == "delete" and where:
        del _at(parsed, where[:-1])[where[-1]]
        text = json.dumps(parsed, indent=1)
    elif how == "duplicate" and _objects(parsed):
        obj_path = rnd.choice(_objects(parsed))
        obj = _at(parsed, obj_path)
        key = rnd.choice(list(obj))
        items = [f"{json.dumps(k)}: {json.dumps(v)}" for k, v in obj.items()] + [f"{json.dumps(key)}: {json.dumps(value)}"]
        text = _dump_with(parsed, obj_path, "{" + ", ".join(items) + "}")
    elif how == "append" and isinstance(_at(parsed, where), list):
        node = _at(parsed, where)
        node.append(rnd.choice(node) if node else value)  # a duplicate item, or something new
        text = json.dumps(parsed, indent=1)
    elif how == "rename" and where and isinstance(where[-1], str):
        parent = _at(parsed, where[:-1])
        parent[where[-1] + rnd.choice(["\n", "_", "\ud800", ""])] = parent.pop(where[-1])
        text = json.dumps(parsed, indent=1)
    else:
        text = _dump_with(parsed, where, raw)
    path.write_bytes(text.encode("utf-8", "surrogatepass"))


def _main(*argv) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], stdout=out, stderr=err)
    return code, out.getvalue() + err.getvalue()


FUZZ = settings(max_examples=int(os.environ.get("NEWSSPANS_FUZZ_EXAMPLES", "40")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])


@FUZZ
@given(changes=st.lists(mutations(), min_size=1, max_size=3), diff_format=st.sampled_from(["text", "json", "markdown"]))
def test_fuzz_a_mutated_corpus_never_gives_a_traceback(changes, diff_format):
    with tempfile.TemporaryDirectory(prefix="newsspans-fuzz-") as tmp:
        scratch = Path(tmp)
        corpus = scratch / "corpus"
        shutil.copytree(CORPUS, corpus, symlinks=True)
        for change in changes:
            apply(corpus, scratch, change)
        results = {
            "validate": _main("validate", "--corpus", corpus, "--workers", "1"),
            "build": _main("build", "--corpus", corpus, "--out", scratch / "data", "--workers", "1"),
            "render": _main("render", "--corpus", corpus, "--out", scratch / "review"),
            "diff": _main("diff", CORPUS, corpus, "--format", diff_format),
        }
        for command, (code, output) in results.items():
            event(f"{command} exits {code}")  # shown by --hypothesis-show-statistics
            assert code in (0, 1, 2), (command, code, output[-2000:])
            assert "Traceback" not in output, (command, output[-2000:])
        if results["validate"][0] == 1:
            assert results["build"][0] != 0, "the build must refuse a corpus that validate fails"
        for page in (scratch / "review").rglob("*.html"):
            assert SECRET not in page.read_text(encoding="utf-8"), page
        for path in (scratch / "data").rglob("*"):
            assert not path.is_file() or SECRET.encode() not in path.read_bytes(), path
