"""A corpus document carrying script and HTML payloads reaches a report as text and never runs; so does a
reference table that a user edited (its text reaches notebook 03's tables, charts and findings)."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from zoomcase.paths import data_dir
from zoomcase.reports import NOTEBOOKS, build

pytestmark = pytest.mark.slow
PAYLOADS = (
    "<script>window.__pwned = 'script';</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "<a href=\"javascript:window.__pwned = 'link'\">click</a>",
    "<svg onload=\"window.__pwned = 'svg'\"></svg>",
)
# Markdown's own syntax: findings are Markdown, where a link needs no HTML
MARKDOWN = "[click me](javascript:window.__pwned='md')"
REFERENCE_PAYLOAD = f"<b>bold</b> {MARKDOWN}"


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


@pytest.fixture(scope="module")
def hostile_reference_report(tmp_path_factory, monkeypatch_module) -> Path:
    """Notebook 03 over a copy of data/ whose largest GDPR fine is named by the payloads: the findings
    name that fine."""
    data = tmp_path_factory.mktemp("hostile_data") / "data"
    shutil.copytree(data_dir(), data)
    path = data / "reference" / "gdpr_fines.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0]["case_or_action"] = REFERENCE_PAYLOAD  # short enough not to be clipped in a label
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch_module.setenv("ZOOMCASE_DATA", str(data))
    out = tmp_path_factory.mktemp("reports03")
    result = build([NOTEBOOKS / "03_regulatory_exposure.ipynb"], {}, out, progress=lambda _: None)[0]
    assert result.status == "built", result.error
    return out / "03_regulatory_exposure.html"


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(params=["corpus", "reference"])
def report(request) -> Path:
    return request.getfixturevalue(
        {"corpus": "hostile_report", "reference": "hostile_reference_report"}[request.param]
    )


def test_payloads_are_escaped_in_the_html(hostile_report):
    text = hostile_report.read_text()
    for payload in PAYLOADS:
        assert payload not in text
    assert "&lt;script&gt;window.__pwned = &#x27;script&#x27;;&lt;/script&gt;" in text or (
        "&lt;script&gt;window.__pwned = 'script';&lt;/script&gt;" in text
    )
    assert not re.search(r"<script>\s*window\.__pwned", text)


def test_markdown_links_in_findings_stay_text(hostile_reference_report):
    text = hostile_reference_report.read_text()
    assert "javascript:window.__pwned" in text  # the fine's name is in the report ...
    assert not re.search(r"<a[^>]*href=[\"']?javascript", text)  # ... never as a link


def test_nothing_executes_and_the_text_shows_literally(browser, report, tmp_path):
    page = browser.new_page()
    page.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # give any onerror/onload handler the chance to fire
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    visible = page.inner_text("body")
    for payload in PAYLOADS if report.name.startswith("01") else [REFERENCE_PAYLOAD]:
        assert payload in visible
    assert page.locator("a[href^='javascript']").count() == 0
    page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
