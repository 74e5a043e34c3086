"""Regenerate docs/images/review-000.png, the README's screenshot of a seed document's review page.

Run from the repository root: ``.venv/bin/python scripts/review_screenshot.py``. Needs Debian's
``chromium`` (headless, no network: every flag below keeps it off the network).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from newsspans.review import render

ROOT = Path(__file__).resolve().parent.parent
DOC = "000_1936301ef05f6424"
OUT = ROOT / "docs" / "images" / "review-000.png"


def main() -> int:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        render(corpus=ROOT / "corpus", out=site)
        OUT.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--hide-scrollbars", f"--user-data-dir={Path(tmp) / 'profile'}", "--window-size=1200,1000",
                        f"--screenshot={OUT}", (site / "documents" / f"{DOC}.html").as_uri()],
                       check=True, capture_output=True, timeout=180)
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
