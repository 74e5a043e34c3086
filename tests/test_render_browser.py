"""A real browser opens a review page from disk: headless Chromium (Debian's ``chromium``, which
``.ci/run`` installs when missing) dumps its DOM, which must hold every highlighted span, and
writes a screenshot. No server, no network: the page is a file:// URL."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess

import pytest
from helpers import CORPUS
from render_dom import check_page_against, read_page

from newsspans.review import render
from newsspans.corpus import read_document_lenient

DOC = "000_1936301ef05f6424"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--virtual-time-budget=3000"]


def chromium() -> str:
    for name in (os.environ.get("NEWSSPANS_CHROMIUM"), "chromium", "chromium-browser"):
        if name and shutil.which(name):
            return shutil.which(name)
    pytest.fail("headless Chromium is needed and was not found: `apt-get install chromium` (.ci/run installs it)")


def browse(tmp_path, url: str, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args, url],
                          capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture(scope="module")
def page_url(tmp_path_factory):
    site = tmp_path_factory.mktemp("browser") / "site"
    render(corpus=CORPUS, out=site)
    return (site / "documents" / f"{DOC}.html").resolve().as_uri()


def test_the_browser_dom_holds_every_highlighted_span(page_url, tmp_path):
    r = browse(tmp_path, page_url, "--dump-dom")
    assert r.returncode == 0, r.stderr[-2000:]
    assert "<html" in r.stdout[:200].lower(), r.stdout[:200]
    page = read_page(r.stdout)
    doc = read_document_lenient(CORPUS, DOC).document
    checked = check_page_against(page, doc)
    ann = doc.annotations
    assert checked == len(ann.entities) + len(ann.claims) + sum(len(q.spans()) for q in ann.quotes) > 0
    assert "info" in page.ids  # the details panel the script fills on hover and focus


def test_a_screenshot_is_written(page_url, tmp_path):
    shot = tmp_path / "page.png"
    r = browse(tmp_path, page_url, f"--screenshot={shot}", "--window-size=1280,1200")
    assert r.returncode == 0, r.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 1200)
    assert len(data) > 50_000  # a page full of coloured highlights, not a blank one
