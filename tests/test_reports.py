"""``zoomcase build``: offline HTML reports, an index, incremental reproducible rebuilds, a real browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from zoomcase.cli import main
from zoomcase.reports import NOTEBOOKS, build, default_notebooks

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """Every notebook built once for this module."""
    out = tmp_path_factory.mktemp("reports")
    results = build(default_notebooks(), {}, out, jobs=2, progress=lambda _: None)
    assert [r.status for r in results] == ["built"] * len(results), [r.error for r in results]
    return out


def test_index_lists_every_report_with_its_provenance(reports):
    index = (reports / "index.html").read_text()
    for nb in default_notebooks():
        assert f'<a href="{nb.stem}.html">{nb.stem}</a>' in index
        assert (reports / f"{nb.stem}.ipynb").is_file()
    assert "corpus/000_e97acd19d424e876.txt" in index
    assert "aa9149401fe7718f63025f2e8edbeebd59bcb9c4e7bc8f2c86136addb54bacdb" in index
    assert re.search(r"commit <code>[0-9a-f]{12}(-dirty)?</code>|commit <code>unknown</code>", index)


def test_reports_load_nothing_from_the_network(reports):
    for page in reports.glob("*.html"):
        text = page.read_text()
        assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", text), page.name
        assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", text), page.name
        assert "@import url(http" not in text
    assert len(list((reports / "assets").glob("plotly-*.min.js"))) == 1


def test_every_plotly_output_becomes_a_figure_div(reports):
    for nb_path in default_notebooks():
        nb = nbformat.read(reports / f"{nb_path.stem}.ipynb", as_version=4)
        outputs = [o for c in nb.cells for o in c.get("outputs", [])]
        figures = sum("application/vnd.plotly.v1+json" in o.get("data", {}) for o in outputs)
        page = (reports / f"{nb_path.stem}.html").read_text()
        assert page.count('class="plotly-graph-div"') == figures, nb_path.stem


def test_saved_notebooks_carry_no_timestamps(reports):
    for nb_path in default_notebooks():
        text = (reports / f"{nb_path.stem}.ipynb").read_text()
        assert '"start_time"' not in text and '"end_time"' not in text and '"duration"' not in text


def test_unchanged_build_is_skipped_and_force_rebuilds_identically(tmp_path):
    nb = default_notebooks()[:1]
    first = build(nb, {}, tmp_path, progress=lambda _: None)
    html_before = (tmp_path / f"{nb[0].stem}.html").read_bytes()
    ipynb_before = (tmp_path / f"{nb[0].stem}.ipynb").read_bytes()
    again = build(nb, {}, tmp_path, progress=lambda _: None)
    forced = build(nb, {}, tmp_path, force=True, progress=lambda _: None)
    assert [r.status for r in (first[0], again[0], forced[0])] == ["built", "skipped", "built"]
    assert (tmp_path / f"{nb[0].stem}.html").read_bytes() == html_before
    assert (tmp_path / f"{nb[0].stem}.ipynb").read_bytes() == ipynb_before


def test_parameters_go_to_the_notebooks_that_declare_them(tmp_path):
    nb = default_notebooks()[:1]
    result = build(nb, {"languages": ["fr"], "not_a_parameter": 1}, tmp_path, progress=lambda _: None)[0]
    assert result.parameters == {"languages": ["fr"]}
    manifest = json.loads((tmp_path / ".zoomcase-build.json").read_text())
    assert manifest[nb[0].stem]["parameters"] == {"languages": ["fr"]}


def test_a_failing_notebook_is_named_kept_and_does_not_stop_the_others(tmp_path, capsys):
    good = tmp_path / "nb" / "00_fine.ipynb"
    good.parent.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")]), good)
    corpus_nb = default_notebooks()[0]
    code = main(["build", str(good), str(corpus_nb), "-p", "languages", "[xx]", "--out", str(tmp_path / "r")])
    assert code == 1
    err = capsys.readouterr().err
    assert f"FAILED {corpus_nb.stem}: cell 3: ValueError: parameter languages=['xx']" in err
    assert (tmp_path / "r" / f"{corpus_nb.stem}.ipynb").is_file()  # partly executed, kept for debugging
    assert (tmp_path / "r" / "00_fine.html").is_file()


def test_reports_render_offline_in_a_real_browser(browser, reports, tmp_path):
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    blocked: list[str] = []
    page.route(re.compile(r"^(?!file:).*"), lambda route: (blocked.append(route.request.url), route.abort()))
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for html_file in sorted(reports.glob("*.html")):
        page.goto(html_file.as_uri())
        page.wait_for_load_state("load")
        divs = page.locator("div.plotly-graph-div")
        for i in range(divs.count()):
            drawn = divs.nth(i).locator("svg.main-svg")
            assert drawn.count() >= 1, f"{html_file.name}: figure {i + 1} did not draw"
            assert divs.nth(i).bounding_box()["height"] > 100
        page.screenshot(path=str(tmp_path / f"{html_file.stem}.png"), full_page=False)
    assert blocked == []
    assert errors == []


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS.rglob("*.ipynb")), ids=lambda p: p.name)
def test_papermill_sees_every_parameter(notebook):
    """papermill silently drops a parameter it cannot parse (a ';' in the comment does it)."""
    import ast

    import papermill as pm

    nb = nbformat.read(notebook, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    if not cells:
        pytest.skip("no parameters cell")
    assert len(cells) == 1, "exactly one cell may be tagged parameters"
    assigned = {t.id for node in ast.parse(cells[0].source).body for t in getattr(node, "targets", [])}
    assert set(pm.inspect_notebook(str(notebook))) == assigned


def test_widgets_degrade_to_a_note_and_the_static_snapshot(reports):
    page = (reports / "zoom_explorer.html").read_text()
    assert "zc-widget-note" in page
    assert "application/vnd.jupyter.widget-view+json" not in page
    assert "Static snapshot (for reports)" in page
    assert page.count('class="plotly-graph-div"') >= 1
