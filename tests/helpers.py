"""What the tests share: the project's paths, the CLI run in-process, git in a scratch repository,
and reading and writing corpus files. Every test module imports from here (``conftest.py`` holds
only the session setup and fixtures)."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = ROOT / "data"


def run(*argv, cwd: Optional[Path] = None) -> tuple[int, str, str]:
    """``newsspans ARGV`` in this process (in ``cwd`` when given): (exit status, stdout, stderr)."""
    from newsspans.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd or old)
    try:
        code = main([str(a) for a in argv], stdout=out, stderr=err)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def git(repo: Path, *args: str) -> str:
    """``git -C repo ARGS`` with a test identity; raises on failure, returns stdout."""
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          check=True, capture_output=True, text=True).stdout


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, value) -> None:
    from newsspans.corpus import dumps_canonical

    path.write_text(dumps_canonical(value), encoding="utf-8")


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def annotation_files(corpus: Path = CORPUS) -> dict[str, bytes]:
    return tree_bytes(corpus / "annotations")


def document_ids(corpus: Path = CORPUS) -> list[str]:
    return sorted(p.stem for p in (corpus / "texts").glob("*.txt"))


def first_doc(corpus: Path) -> str:
    return document_ids(corpus)[0]


# --- what the corpus holds, derived from its files (no test may assume today's counts) ----------

LAYERS = ("entities", "quotes", "claims")


def annotations_of(corpus: Path = CORPUS) -> dict[str, dict]:
    """Every annotation file's content, by document id, in document id order."""
    return {p.stem: read_json(p) for p in sorted((corpus / "annotations").glob("*.json"))}


def metadata_of(corpus: Path = CORPUS) -> dict[str, dict]:
    """Every metadata file's content, by document id, in document id order."""
    return {p.stem: read_json(p) for p in sorted((corpus / "documents").glob("*.json"))}


def split_of_document(corpus: Path = CORPUS) -> dict[str, str]:
    """The split of every document (by its story id, the build's rule)."""
    from newsspans.dataset import split_of

    return {doc_id: split_of(meta["story_id"]) for doc_id, meta in metadata_of(corpus).items()}


def layer_counts(corpus: Path = CORPUS) -> dict[str, int]:
    """How many entity mentions, quotes and claims the corpus holds."""
    anns = annotations_of(corpus).values()
    return {layer: sum(len(a[layer]) for a in anns) for layer in LAYERS}


def registry_entries(corpus: Path = CORPUS) -> list[dict]:
    """The entries of ``corpus/registry.json``, in file order."""
    return read_json(corpus / "registry.json")["entities"]


def expected_rows(corpus: Path = CORPUS) -> dict[str, dict[str, int]]:
    """The rows every config of the release of ``corpus`` must hold, per split (a split with no rows
    is absent), counted from the corpus files (sentences by the project's splitter)."""
    from newsspans.dataset._build import REGISTRY_SPLIT
    from newsspans.tokenize import segment
    from newsspans.validation import Corpus

    rows: dict[str, dict[str, int]] = {c: {} for c in ("documents", *LAYERS, "tokens", "sentences")}
    splits = split_of_document(corpus)
    anns = annotations_of(corpus)

    def add(config: str, split: str, n: int) -> None:
        if n:
            rows[config][split] = rows[config].get(split, 0) + n

    for doc_id, ann in anns.items():
        add("documents", splits[doc_id], 1)
        for layer in LAYERS:
            add(layer, splits[doc_id], len(ann[layer]))
    reader = Corpus(corpus)
    registry, _ = reader.read_registry()
    for _, doc, _ in reader.iter_documents(registry):
        n = len(segment(doc))
        add("tokens", splits[doc.id], n)
        add("sentences", splits[doc.id], n)
    rows["registry"] = {REGISTRY_SPLIT: len(registry_entries(corpus))}
    return rows


def registry_rows_expected(corpus: Path = CORPUS) -> list[dict]:
    """The rows the ``registry`` config must hold for ``corpus/registry.json``: every entity with every
    field of its entry (the type as its label name), sorted by entity id."""
    return sorted((dict(e) for e in registry_entries(corpus)), key=lambda r: r["entity_id"])


def registry_rows_released(release: Path) -> list[dict]:
    """The rows of a release folder's ``registry`` config, with the type as its label name."""
    import pyarrow.parquet as pq

    from newsspans.labels import ENTITY_LABELS

    rows = [row for path in sorted((release / "registry").glob("*.parquet")) for row in pq.read_table(path).to_pylist()]
    return [{**row, "type": ENTITY_LABELS[row["type"]]} for row in rows]


def unannotated_word(text: str, ann: dict) -> tuple[int, int]:
    """The offsets of the first word of ``text`` (letters only) that no entity mention touches."""
    import re

    taken = [(m["start"], m["end"]) for m in ann["entities"]]
    for match in re.finditer(r"[^\W\d_]+", text):
        if not any(s < match.end() and match.start() < e for s, e in taken):
            return match.start(), match.end()
    raise AssertionError("every word of the text is inside a mention")


def fresh_id(ann: dict, prefix: str, *, skip: int = 0) -> str:
    """An id with ``prefix`` (``m``, ``q``, ``c``) that no item of ``ann`` uses: one past the highest,
    plus ``skip``."""
    used = [int(item["id"][len(prefix):]) for layer in LAYERS for item in ann[layer]
            if item["id"].startswith(prefix) and item["id"][len(prefix):].isdigit()]
    return f"{prefix}{max(used, default=0) + 1 + skip}"


def corpus_summary(corpus: Path = CORPUS) -> str:
    """An import's summary of the whole corpus (``Report.summary``), counted from its annotation files."""
    n = layer_counts(corpus)
    return f"{n['entities']} entity mentions, {n['quotes']} quotes, {n['claims']} claims"


def released_project(root: Path) -> Path:
    """A copy of the project (corpus, schemas, release, CHANGELOG) at ``root``, in a git
    repository whose one commit released the corpus's current version."""
    import shutil

    root.mkdir()
    for name in ("corpus", "schema", "data"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "CHANGELOG.md", root / "CHANGELOG.md")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "release")
    return root


def expected_release_rows(corpus: Path = CORPUS) -> dict[str, dict[str, int]]:
    """``expected_rows`` and the ``agreement`` config's: every corpus-level agreement row (by
    ``newsspans.agreement.measure_agreement``) in split ``train``; none (``{}``) without annotator layers."""
    from newsspans.agreement import measure_agreement

    rows = expected_rows(corpus)
    n = len(measure_agreement(corpus))
    rows["agreement"] = {"train": n} if n else {}
    return rows


def gold_only(corpus: Path) -> Path:
    """``corpus`` without its annotators, layers, decisions and stored suggestions (the project's
    corpus may have them; suggestions name an annotator): for a test that invents its own annotators."""
    import shutil

    from newsspans.corpus import ANNOTATORS, DECISIONS, LAYERS_DIR, SUGGESTIONS

    for name in (LAYERS_DIR, DECISIONS, SUGGESTIONS):
        shutil.rmtree(corpus / name, ignore_errors=True)
    (corpus / ANNOTATORS).unlink(missing_ok=True)
    return corpus


def source_digest_after_reading(root: Path, *, workers: int = 1, suggestions: bool = False) -> str:
    """The validator's source digest of the corpus at ``root`` after reading it as the build does
    (every document, then the cross-document checks); ``suggestions`` reads those files too."""
    from newsspans.validation import Corpus

    corpus = Corpus(root, warnings=False, suggestions=suggestions)
    corpus.read_dataset()
    registry, _ = corpus.read_registry()
    for _ in corpus.iter_documents(registry, workers=workers, keep_documents=False):
        pass
    corpus.cross_document_problems(registry)
    return corpus.source_digest()


def invented_corpus(root: Path, *, registry: list[dict], texts: dict[str, str], story_id: str,
                    gold: Optional[dict] = None) -> Path:
    """A valid corpus at ``root`` made of invented ``texts`` (id -> text, added as ``newsspans add``
    adds them), the project's dataset card, ``registry`` (entry dicts) and ``gold`` (id ->
    ``model.Annotations``) for the documents annotated; checked by ``newsspans validate``."""
    import shutil
    import tempfile

    from newsspans.corpus import add_document, dumps_canonical

    for part in ("texts", "documents", "annotations"):
        (root / part).mkdir(parents=True)
    shutil.copy(CORPUS / "dataset.json", root / "dataset.json")
    (root / "registry.json").write_text(dumps_canonical({"entities": registry}), encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        for doc_id, text in texts.items():
            (Path(tmp) / f"{doc_id}.txt").write_bytes(text.encode("utf-8"))
            add_document(Path(tmp) / f"{doc_id}.txt", corpus=root, story_id=story_id)
    for doc_id, ann in (gold or {}).items():
        (root / "annotations" / f"{doc_id}.json").write_text(dumps_canonical(ann.to_dict()), encoding="utf-8")
    code, out, err = run("validate", "--corpus", root)
    assert code == 0, out + err
    return root
