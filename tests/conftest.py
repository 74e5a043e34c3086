"""Shared fixtures. Every test runs offline, with a private Hugging Face cache."""

from __future__ import annotations

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

from helpers import CORPUS  # noqa: E402


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the project's corpus, free to break."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest
