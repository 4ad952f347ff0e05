"""``zoomcase build``: offline HTML reports, an index, incremental reproducible rebuilds, a real browser."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from zoomcase import reports as reports_module
from zoomcase.cli import main
from zoomcase.paths import REPO_ROOT
from zoomcase.reports import (
    LOCK,
    MANIFEST,
    NOTEBOOKS,
    VOLATILE,
    BuildError,
    build,
    default_notebooks,
    failed_notebook,
    mask_volatile,
    notebook_title,
    parameter_inputs,
    plotly_asset,
    report_order,
)

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
        assert f"<td>{html.escape(notebook_title(nb))}</td>" in index and notebook_title(nb)
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


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its path relative to it."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _first_difference(a: str, b: str) -> str:
    return next(
        (
            f"line {n}: {x[:200]!r} != {y[:200]!r}"
            for n, (x, y) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False), start=1)
            if x != y
        ),
        "lengths differ",
    )


def test_unchanged_build_is_skipped_and_force_rebuilds_identically(reports, tmp_path):
    """The module's build copied elsewhere: an unchanged rebuild skips every notebook; a forced one, in that
    other folder, writes every file again byte for byte apart from the declared VOLATILE fields."""
    notebooks = default_notebooks()
    other = tmp_path / "elsewhere"
    shutil.copytree(reports, other)
    again = build(notebooks, {}, other, jobs=2, progress=lambda _: None)
    changed = "the inputs (notebooks, code or data) changed between the two builds"
    assert [r.status for r in again] == ["skipped"] * len(notebooks), changed
    assert (other / MANIFEST).read_bytes() == (reports / MANIFEST).read_bytes()
    shutil.rmtree(other / "assets")  # so that the forced build writes plotly.js again too
    forced = build(notebooks, {}, other, jobs=2, force=True, progress=lambda _: None)
    assert [r.status for r in forced] == ["built"] * len(notebooks), [r.error for r in forced]

    first, second = _files(reports), _files(other)
    expected = {f"{nb.stem}{ext}" for nb in notebooks for ext in (".ipynb", ".html")}
    assert set(first) == set(second) == expected | {"index.html", MANIFEST, LOCK, plotly_asset()}
    keys = [
        {name: entry["key"] for name, entry in json.loads(files[MANIFEST]).items()}
        for files in (first, second)
    ]
    assert keys[0] == keys[1], changed
    for name in sorted(first):
        a, b = first[name].decode(), second[name].decode()
        if name not in VOLATILE:
            assert mask_volatile(name, a) == a
            assert a == b, f"{name}: {_first_difference(a, b)}"
        assert mask_volatile(name, a) == mask_volatile(name, b), f"{name}: {_first_difference(a, b)}"
        for folder in (reports, other):  # no absolute path of either output folder or of the checkout
            assert str(folder) not in a and str(folder) not in b, name
        if not name.startswith("assets/"):
            assert str(REPO_ROOT) not in b, name


STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"
VOLATILE_VALUE = rf'(?:"{STAMP}"|{STAMP}|\d[\d.e+-]*)'  # a build time or a number of seconds


def test_mask_volatile_masks_only_the_declared_fields(reports):
    n = len(default_notebooks())
    counts = {"index.html": {"written-at": 1, "built-at": n}, MANIFEST: {"built_at": n, "seconds": n}}
    other_change = {
        "index.html": ("<td>built</td>", "<td>failed</td>"),
        MANIFEST: (': "built"', ': "failed"'),
    }
    assert {file: set(fields) for file, fields in VOLATILE.items()} == {f: set(c) for f, c in counts.items()}
    for file, fields in counts.items():
        text = (reports / file).read_text()
        masked = mask_volatile(file, text)
        assert {field: masked.count(f"<{field}>") for field in fields} == fields, file
        # The original is the masked text with a build time or a number of seconds where each mark stands.
        parts = re.split("<(?:" + "|".join(map(re.escape, fields)) + ")>", masked)
        assert re.fullmatch(VOLATILE_VALUE.join(map(re.escape, parts)), text), file
        # Other build times and durations do not show; any other change does.
        later = re.sub(
            STAMP, "2099-12-31 23:59:59 UTC", re.sub(r'("seconds": )[0-9.e-]+', r"\g<1>99.5", text)
        )
        assert later != text and mask_volatile(file, later) == masked
        old, new = other_change[file]
        assert old in text and mask_volatile(file, text.replace(old, new, 1)) != masked
    page = (reports / "01_corpus.html").read_text()
    assert mask_volatile("01_corpus.html", page) == page


def test_parameters_go_to_the_notebooks_that_declare_them(tmp_path):
    plain = tmp_path / "nb" / "00_plain.ipynb"  # declares no parameters
    plain.parent.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")]), plain)
    nb = [plain, default_notebooks()[0]]
    results = build(nb, {"languages": ["fr"]}, tmp_path / "r", progress=lambda _: None)
    assert [r.parameters for r in results] == [{}, {"languages": ["fr"]}]
    manifest = json.loads((tmp_path / "r" / ".zoomcase-build.json").read_text())
    assert manifest[nb[1].stem]["parameters"] == {"languages": ["fr"]}


def test_a_date_given_as_yaml_reaches_the_notebook_as_iso_text(tmp_path):
    """``-p start 2020-01-15`` is a date in YAML; papermill writes parameters into the notebook as JSON,
    which a date stopped with a TypeError before any cell ran."""
    growth_nb = default_notebooks()[1]
    code = main(["build", str(growth_nb), "-p", "start", "2020-01-15", "--out", str(tmp_path)])
    assert code == 0
    manifest = json.loads((tmp_path / ".zoomcase-build.json").read_text())
    assert manifest[growth_nb.stem]["parameters"] == {"start": "2020-01-15"}


def test_a_parameter_no_notebook_declares_is_refused_by_name(tmp_path, capsys):
    """A misspelt name would otherwise be dropped and the reports built with the default."""
    corpus_nb = default_notebooks()[0]
    code = main(["build", str(corpus_nb), "-p", "language", "[fr]", "--out", str(tmp_path)])
    assert code == 2 and not (tmp_path / f"{corpus_nb.stem}.html").exists()
    err = capsys.readouterr().err
    assert "parameter(s) language: declared by none of the notebooks built (01_corpus: corpus_dir" in err
    assert "languages" in err and "Check the spelling" in err


def test_a_failing_notebook_is_named_kept_and_does_not_stop_the_others(tmp_path, capsys):
    good = tmp_path / "nb" / "00_fine.ipynb"
    good.parent.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")]), good)
    corpus_nb = default_notebooks()[0]
    code = main(["build", str(good), str(corpus_nb), "-p", "languages", "[xx]", "--out", str(tmp_path / "r")])
    assert code == 1
    err = capsys.readouterr().err
    assert f"FAILED {corpus_nb.stem}: cell 3: ValueError: parameter languages=['xx']" in err
    kept = failed_notebook(tmp_path / "r", corpus_nb.stem)
    assert f"partly executed notebook kept as {kept}" in err and kept.is_file()  # for debugging
    assert not (tmp_path / "r" / f"{corpus_nb.stem}.ipynb").exists()  # never in a report's place
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


FIGURE_SIZES = """() => [...document.querySelectorAll('.plotly-graph-div')].map(d => {
    const svg = d.querySelector('.main-svg');
    const width = (e) => e.getBoundingClientRect().width;
    return [d.id, svg ? width(svg) : -1, width(d.closest('.jp-OutputArea-output') || d.parentElement)];
})"""


def test_every_figure_is_drawn_within_its_column(browser, reports):
    # A figure wider than its output area is cut off at the area's edge, the rest behind a scroll bar (a
    # fixed 1,200-pixel width once hid the largest fine of the precedents chart): reports opened narrower.
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    drawn = 0
    for report in sorted(reports.glob("*.html")):
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        sizes = page.evaluate(FIGURE_SIZES)
        assert all(svg > 0 for _, svg, _ in sizes), (report.name, sizes)  # plotly.js drew every figure
        assert [s for s in sizes if s[1] > s[2] + 1] == [], report.name
        drawn += len(sizes)
    outputs = [
        o
        for nb in reports.glob("*.ipynb")
        for c in nbformat.read(nb, as_version=4).cells
        for o in c.get("outputs", [])
    ]
    assert drawn == sum("application/vnd.plotly.v1+json" in o.get("data", {}) for o in outputs) > 0


def _notebook(path: Path, *cells: str, parameters: str = "") -> Path:
    """A tiny notebook at ``path``: a ``parameters`` cell when given, then code cells (a kernel start, no
    corpus: seconds). papermill needs its kernel named to read the parameters."""
    tagged = [nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]})] if parameters else []
    code = [nbformat.v4.new_code_cell(source) for source in cells]
    path.parent.mkdir(parents=True, exist_ok=True)
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=tagged + code, metadata=kernel), path)
    return path


@pytest.fixture
def steady_code(monkeypatch):
    """The package's code hashed to a constant: these tests check skips, and others may be editing it."""
    monkeypatch.setattr(reports_module, "code_digest", lambda: "code")


def _quiet(*args, **kwargs):
    return build(*args, progress=lambda _: None, **kwargs)


def test_a_failed_run_never_replaces_the_report_and_the_next_run_finds_it_intact(tmp_path, steady_code):
    nb = _notebook(tmp_path / "nb" / "00_checked.ipynb", "assert x > 0, f'x={x}'", parameters="x = 1")
    out = tmp_path / "r"
    assert [r.status for r in _quiet([nb], {}, out)] == ["built"]
    good = {ext: (out / f"00_checked{ext}").read_bytes() for ext in (".ipynb", ".html")}
    failed = _quiet([nb], {"x": -1}, out)
    assert [r.status for r in failed] == ["failed"] and "x=-1" in failed[0].error
    assert {ext: (out / f"00_checked{ext}").read_bytes() for ext in good} == good
    assert "x = -1" in failed_notebook(out, "00_checked").read_text()  # kept beside it, for debugging
    index = (out / "index.html").read_text()
    assert '<a href="00_checked.html">' in index and "the report linked is the last good build" in index
    assert [r.status for r in _quiet([nb], {}, out)] == ["skipped"]
    assert {ext: (out / f"00_checked{ext}").read_bytes() for ext in good} == good
    assert [r.status for r in _quiet([nb], {}, out, force=True)] == ["built"]
    assert not failed_notebook(out, "00_checked").exists()  # a good build supersedes the failure
    assert not [p.name for p in out.iterdir() if p.name.startswith((".building-", f".{MANIFEST}"))]


def test_the_index_lists_every_report_in_the_folder_in_notebook_order(tmp_path, steady_code):
    out = tmp_path / "r"
    later, earlier = (_notebook(tmp_path / "nb" / f"{n}.ipynb", "print(1)") for n in ("00_b", "00_a"))
    _quiet([later], {}, out)
    _quiet([earlier], {}, out)
    index = (out / "index.html").read_text()
    assert index.index('<a href="00_a.html">') < index.index('<a href="00_b.html">')
    assert "<td>built</td>" in index and "<td>not in this build</td>" in index
    (out / "00_b.html").unlink()  # a report whose page is gone is not listed
    _quiet([earlier], {}, out)
    assert "00_b" not in (out / "index.html").read_text()


def test_reports_are_listed_in_notebook_order_then_by_name():
    names = ["zz_extra", "zoom_explorer", "03_regulatory_exposure", "00_extra", "01_corpus"]
    expected = ["01_corpus", "03_regulatory_exposure", "zoom_explorer", "00_extra", "zz_extra"]
    assert report_order([*names, "01_corpus"]) == expected


def test_a_build_finishing_beside_another_keeps_its_manifest_entries(tmp_path, steady_code):
    """Another build records a report while this one runs (here: the notebook itself does, as the other
    build would); this build merges its own entry into that manifest rather than its copy from the start."""
    out = tmp_path / "r"
    other = {"other": {"key": "k", "parameters": {}, "built_at": "", "seconds": 1.0, "status": "built"}}
    record = f"import json, pathlib; pathlib.Path({str(out / MANIFEST)!r}).write_text(json.dumps({other!r}))"
    nb = _notebook(tmp_path / "nb" / "00_slow.ipynb", record)
    (out / "other.html").parent.mkdir(parents=True)
    (out / "other.html").write_text("<p>other</p>")
    assert [r.status for r in _quiet([nb], {}, out)] == ["built"]
    assert sorted(json.loads((out / MANIFEST).read_text())) == ["00_slow", "other"]
    assert '<a href="other.html">' in (out / "index.html").read_text()


def test_an_out_folder_that_is_a_file_is_refused_by_name(tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("")
    nb = str(default_notebooks()[0])
    assert main(["build", nb, "--out", str(afile)]) == 2
    assert (
        f"zoomcase: --out {afile}: that is a file, not a folder. Choose a folder" in capsys.readouterr().err
    )
    assert main(["build", nb, "--out", str(afile / "sub")]) == 2
    assert f"--out {afile / 'sub'}: {afile} is a file, not a folder" in capsys.readouterr().err
    assert main(["classroom", "--out", str(afile)]) == 2
    assert f"zoomcase: --out {afile}: that is a file" in capsys.readouterr().err


def test_a_damaged_manifest_is_named_and_force_replaces_it(tmp_path, capsys, steady_code):
    nb = _notebook(tmp_path / "nb" / "00_plain.ipynb", "print(1)")
    out = tmp_path / "r"
    out.mkdir()
    (out / MANIFEST).write_text('{"03_regulatory')
    assert main(["build", str(nb), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"zoomcase: {out / MANIFEST}: this build record is damaged (Unterminated string" in err
    assert "Delete it" in err and "--force" in err
    (out / MANIFEST).write_text("[]")  # JSON, but not a record of reports
    with pytest.raises(BuildError, match="not an object of one object per report"):
        _quiet([nb], {}, out)
    assert main(["build", str(nb), "--out", str(out), "--force"]) == 0
    assert list(json.loads((out / MANIFEST).read_text())) == ["00_plain"]


def test_a_notebook_named_twice_is_built_once(tmp_path, monkeypatch, steady_code):
    nb = _notebook(tmp_path / "nb" / "00_twice.ipynb", "print(1)")
    monkeypatch.chdir(tmp_path)
    results = _quiet([nb, Path("./nb/../nb/00_twice.ipynb")], {}, tmp_path / "r")
    assert [r.name for r in results] == ["00_twice"]
    assert (tmp_path / "r" / "index.html").read_text().count('<a href="00_twice.html">') == 1
    namesake = _notebook(tmp_path / "elsewhere" / "00_twice.ipynb", "print(2)")
    with pytest.raises(BuildError, match="both would be the report 00_twice"):
        _quiet([nb, namesake], {}, tmp_path / "r")


def test_a_relative_corpus_dir_is_the_users_and_its_files_are_in_the_build_key(
    tmp_path, monkeypatch, steady_code
):
    """papermill runs a notebook in its own folder: ``-p corpus_dir h2`` must mean ./h2 of the user. A file
    added to or changed in that folder rebuilds the report, and the index lists the folder's files."""
    nb = _notebook(
        tmp_path / "nb" / "00_corpus.ipynb",
        "import pathlib; assert pathlib.Path(corpus_dir).is_dir(), corpus_dir",
        parameters='corpus_dir = ""',
    )
    corpus = tmp_path.resolve() / "h2"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Zoom grew.")
    (corpus / "notes.md").write_text("not an article")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "r"
    first = _quiet([nb], {"corpus_dir": "h2"}, out)
    assert [(r.status, r.parameters) for r in first] == [("built", {"corpus_dir": str(corpus)})], first
    assert list(parameter_inputs({"corpus_dir": str(corpus)})) == [str(corpus / "a.txt")]
    assert str(corpus / "a.txt") in (out / "index.html").read_text()
    assert [r.status for r in _quiet([nb], {"corpus_dir": "h2"}, out)] == ["skipped"]
    (corpus / "B.TXT").write_text("Zoom fell.")
    assert [r.status for r in _quiet([nb], {"corpus_dir": "h2"}, out)] == ["built"]
    assert str(corpus / "B.TXT") in (out / "index.html").read_text()
    (corpus / "a.txt").write_text("Zoom grew fast.")
    assert [r.status for r in _quiet([nb], {"corpus_dir": str(corpus)}, out)] == ["built"]
