"""Browser fixtures for the HTML view tests: one headless Chromium per session, one fresh,
fully instrumented page per opened file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LAYOUT_TIMEOUT_MS = 60_000


@dataclass
class OpenedPage:
    """A page opened from a file, with everything it did that a test may want to forbid."""

    page: Any  # playwright.sync_api.Page
    requests: list[str] = field(default_factory=list)  # every URL other than the page itself
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    dialogs: list[str] = field(default_factory=list)  # alert/confirm/prompt messages


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} "
                    "(apt-get install chromium); it is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield instance
        instance.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[[Path], OpenedPage]]:
    """Open an HTML file from file://, wait for its layout to freeze, and record requests,
    console errors and dialogs. Any request but the page itself is recorded and aborted."""
    contexts: list[Any] = []

    def _open(path: Path) -> OpenedPage:
        url = path.resolve().as_uri()
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        page = context.new_page()
        opened = OpenedPage(page)

        def _route(route: Any) -> None:
            if route.request.url == url:
                route.continue_()
            else:
                route.abort()  # recorded by the request listener below

        def _request(request: Any) -> None:
            if request.url != url:
                opened.requests.append(request.url)

        def _dialog(dialog: Any) -> None:
            opened.dialogs.append(dialog.message)
            dialog.dismiss()

        context.route("**/*", _route)
        context.on("request", _request)
        page.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.on("dialog", _dialog)
        page.goto(url)
        # A selector, not wait_for_function: the page's CSP forbids the eval that a string
        # predicate would need.
        page.wait_for_selector("body[data-layout=done]", state="attached",
                               timeout=LAYOUT_TIMEOUT_MS)
        return opened

    yield _open
    for context in contexts:
        context.close()
