"""Shared fixtures. Every test runs offline, with a private Hugging Face cache."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

# Before anything imports `datasets`: no network, no progress bars, no shared cache.
_HF_HOME = tempfile.mkdtemp(prefix="newsspans-test-hf-")
os.environ.update(
    {
        "HF_DATASETS_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
        "HF_HOME": _HF_HOME,
        "HF_DATASETS_DISABLE_PROGRESS_BARS": "1",
    }
)

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# CI (CI=true) replays the same examples every run, so that a red build is reproducible and never
# a coin toss; a developer's run explores new examples each time (and remembers failures).
settings.register_profile("ci", derandomize=True, database=None)
settings.load_profile("ci" if os.environ.get("CI") else "default")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = ROOT / "data"


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the project's corpus, free to break."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, value) -> None:
    from newsspans.corpus import dumps_canonical

    path.write_text(dumps_canonical(value), encoding="utf-8")


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def first_doc(corpus: Path) -> str:
    return sorted(p.stem for p in (corpus / "texts").glob("*.txt"))[0]
