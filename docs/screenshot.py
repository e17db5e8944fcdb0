"""Take docs/graph.png: exports/graph.html in headless Chromium, searching for "Alibaba".

Run from the repository root after `make run`: ``python docs/screenshot.py``. It drives
Debian's Chromium (``/usr/bin/chromium``) through playwright, like the browser tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "exports" / "graph.html"
SHOT = ROOT / "docs" / "graph.png"


def main() -> int:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(PAGE.as_uri())
        # The page's CSP forbids eval, so wait on the attribute it sets when the layout is done.
        page.wait_for_selector("body[data-layout=done]", state="attached", timeout=60_000)
        page.fill("#search", "Alibaba")
        page.press("#search", "Enter")
        page.wait_for_timeout(1_500)  # the view's move to the match
        page.screenshot(path=str(SHOT))
        browser.close()
    print(f"wrote {SHOT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
