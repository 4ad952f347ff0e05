"""Fixtures shared by the browser tests: Debian's Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# As the workplace runs Chromium: no sandbox as root, no background traffic on a closed network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture
def browser():
    """A headless Chromium, closed after the test; the test is skipped where Chromium is missing."""
    if CHROMIUM is None:
        pytest.skip("Debian chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
