"""Notebooks run headless with papermill under other parameters, and refuse bad ones by name.

Every parameter's wrong-type and out-of-range values are tested fast, against the validation functions, in
tests/test_parameters.py; the runs here prove that such an error stops a headless run with its message.
"""

from __future__ import annotations

import json
from pathlib import Path

import papermill as pm
import pytest

from zoomcase.paths import REPO_ROOT

NOTEBOOKS = REPO_ROOT / "notebooks"
pytestmark = pytest.mark.slow


def _run(name: str, tmp_path: Path, **parameters) -> dict:
    out = tmp_path / Path(name).name
    pm.execute_notebook(
        str(NOTEBOOKS / name), str(out), parameters=parameters, progress_bar=False, cwd=str(tmp_path)
    )
    return json.loads(out.read_text())


def _text(nb: dict) -> str:
    parts = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts.append("".join(data.get("text/html", data.get("text/plain", ""))))
    return "\n".join(parts)


def test_corpus_notebook_for_the_french_document(tmp_path):
    text = _text(_run("01_corpus.ipynb", tmp_path, languages=["fr"]))
    assert "Dimanche dernier" in text
    assert "Alweerenkele" not in text  # the Dutch repairs table is filtered out


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"languages": ["xx"]}, "parameter languages=['xx']: unknown value(s) ['xx']"),
        (
            {"corpus_dir": "/nonexistent/corpus"},
            "parameter corpus_dir='/nonexistent/corpus': no such corpus folder",
        ),
        ({"corpus_dir": 5}, "parameter corpus_dir=5: not a folder path; expected a folder that holds .txt"),
    ],
)
def test_corpus_notebook_names_the_bad_parameter(tmp_path, parameters, message):
    with pytest.raises(pm.PapermillExecutionError) as err:
        _run("01_corpus.ipynb", tmp_path, **parameters)
    assert message in str(err.value)


def test_explorer_notebook_names_the_bad_parameter(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as err:
        _run("explorer/zoom_explorer.ipynb", tmp_path, corpus_dir="/nonexistent/corpus")
    assert "parameter corpus_dir='/nonexistent/corpus': no such corpus folder" in str(err.value)


def test_explorer_notebook_opens_another_corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    source = next((NOTEBOOKS.parent / "data" / "corpus").glob("003_*.txt"))
    (folder / "french.txt").write_bytes(source.read_bytes())
    nb = _run("explorer/zoom_explorer.ipynb", tmp_path, corpus_dir=str(folder))
    text = json.dumps(nb, ensure_ascii=False)
    assert "french · fr ·" in text  # the document list of the explorer
    assert "002 · en ·" not in text


# --- 03_regulatory_exposure.ipynb ---------------------------------------------------------------------

PLOTLY_MIME = "application/vnd.plotly.v1+json"


def _plotly_outputs(nb: dict) -> int:
    return sum(PLOTLY_MIME in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))


@pytest.mark.parametrize(
    ("parameters", "figures", "present", "absent"),
    [
        (
            {},
            4,
            ["legal_max_eur_m", "midpoint_at_high_eur_m", "enf-2021-07-31-85m-settlement", "unsourced"],
            [],
        ),
        (
            {"jurisdiction": "US"},
            2,
            ["enf-2021-02-ftc-final-order", "EU fine model: skipped"],
            ["legal_max_eur_m", "midpoint_at_high_eur_m"],
        ),
        (
            {
                "seriousness": {"prac-ai-training": "high", "prac-facebook-sdk": "high"},
                "eur_per_usd": 1.0,
                "fiscal_year": "FY2022",
            },
            4,
            ["high seriousness", "FY2022 revenue at 1.0 EUR/USD"],
            [],
        ),
    ],
)
def test_exposure_notebook_parameter_sets(tmp_path, parameters, figures, present, absent):
    nb = _run("03_regulatory_exposure.ipynb", tmp_path, **parameters)
    assert _plotly_outputs(nb) == figures
    text = _text(nb) + "".join(
        "".join(o.get("data", {}).get("text/markdown", "")) for c in nb["cells"] for o in c.get("outputs", [])
    )
    for snippet in present:
        assert snippet in text, snippet
    for snippet in absent:
        assert snippet not in text, snippet


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"jurisdiction": "EU+US"}, "parameter jurisdiction='EU+US': choose from"),
        ({"eur_per_usd": 0}, "parameter eur_per_usd=0: must be a positive exchange rate"),
        (
            {"seriousness": {"prac-x": "high"}},
            "parameter seriousness={'prac-x': 'high'}: unknown practice id(s)",
        ),
        ({"practices": ["prac-nope"]}, "parameter practices=['prac-nope']: unknown value(s)"),
        (
            {"practices": {"prac-ai-training": 1}},
            "parameter practices={'prac-ai-training': 1}: must be a list of practice ids",
        ),
    ],
)
def test_exposure_notebook_names_the_bad_parameter(tmp_path, parameters, message):
    with pytest.raises(pm.PapermillExecutionError) as err:
        _run("03_regulatory_exposure.ipynb", tmp_path, **parameters)
    assert message in str(err.value)


GROWTH = "02_growth_and_privacy.ipynb"
GROWTH_FIGURE = "application/vnd.plotly.v1+json"


def _figures(nb: dict) -> int:
    return sum(GROWTH_FIGURE in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))


def _tables_and_findings(nb: dict) -> str:
    """Table outputs (HTML) and generated Markdown (findings, caveats) of a run."""
    keys = ("text/html", "text/markdown")
    return "\n".join(
        "".join(o.get("data", {}).get(k, "")) for c in nb["cells"] for o in c.get("outputs", []) for k in keys
    )


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        (
            {},
            [
                "IXIC",
                "peer basket",
                "RNG",
                "ev-2020-11-09-ftc-proposed-settlement",
                "Anecdotes, not a sample",
            ],
        ),
        (
            {"benchmark": "GSPC", "start": "2020-01-01", "end": "2020-12-31"},
            ["GSPC", "peer basket", "GSPC ended at", "ev-2020-03-30-ny-ag-letter"],
        ),
        ({"peers": ["IGV", "WCLD", "SKYY"]}, ["IGV", "WCLD", "SKYY", "peer basket (IGV, WCLD, SKYY)"]),
    ],
)
def test_growth_notebook_draws_its_charts_and_tables(tmp_path, parameters, expected):
    nb = _run(GROWTH, tmp_path, **parameters)
    assert _figures(nb) == 4  # prices, usage, claim dating, event study
    text = _tables_and_findings(nb)
    for table_header in ("high_on", "value_m", "sessions_held", "t_ar_0", "literature_%"):
        assert table_header in text
    for word in expected:
        assert word in text
    if "end" in parameters:
        assert "ev-2021-" not in text  # events after the chosen end are not studied


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"ticker": "NOPE"}, "parameter ticker='NOPE': unknown ticker"),
        (
            {"start": "2021-06-01", "end": "2021-01-01"},
            "parameter start=2021-06-01, end=2021-01-01: empty date range",
        ),
        ({"estimation": 800}, "parameter estimation: the data cannot fill the windows of any"),
        ({"peers": ["RNG", "XX"]}, "parameter peers=['RNG', 'XX']: unknown ticker(s) ['XX']"),
        ({"start": 2020}, "parameter start=2020: not a date; write YYYY-MM-DD"),
    ],
)
def test_growth_notebook_names_the_bad_parameter(tmp_path, parameters, message):
    with pytest.raises(pm.PapermillExecutionError) as err:
        _run(GROWTH, tmp_path, **parameters)
    assert message in str(err.value)
