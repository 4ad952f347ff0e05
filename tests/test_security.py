"""A corpus document carrying script and HTML payloads reaches a report as text and never runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zoomcase.reports import NOTEBOOKS, build

pytestmark = pytest.mark.slow
PAYLOADS = (
    "<script>window.__pwned = 'script';</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "<a href=\"javascript:window.__pwned = 'link'\">click</a>",
    "<svg onload=\"window.__pwned = 'svg'\"></svg>",
)


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("hostile_corpus")
    (corpus / "hostile.txt").write_text(
        "Zoom <b>bold</b> headline " + PAYLOADS[0] + "\n\n"
        "Zoom said on Monday that nothing had changed. " + " ".join(PAYLOADS) + " The company repeated "
        "that it does not sell personal data.\n",
        encoding="utf-8",
    )
    out = tmp_path_factory.mktemp("reports")
    result = build(
        [NOTEBOOKS / "01_corpus.ipynb"], {"corpus_dir": str(corpus)}, out, progress=lambda _: None
    )[0]
    assert result.status == "built", result.error
    return out / "01_corpus.html"


def test_payloads_are_escaped_in_the_html(hostile_report):
    text = hostile_report.read_text()
    for payload in PAYLOADS:
        assert payload not in text
    assert "&lt;script&gt;window.__pwned = &#x27;script&#x27;;&lt;/script&gt;" in text or (
        "&lt;script&gt;window.__pwned = 'script';&lt;/script&gt;" in text
    )
    assert not re.search(r"<script>\s*window\.__pwned", text)


def test_nothing_executes_and_the_text_shows_literally(browser, hostile_report, tmp_path):
    page = browser.new_page()
    page.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_report.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # give any onerror/onload handler the chance to fire
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    visible = page.inner_text("body")
    for payload in PAYLOADS:
        assert payload in visible
    page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
