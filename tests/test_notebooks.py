"""Notebooks run headless with papermill under other parameters, and refuse bad ones by name."""

from __future__ import annotations

import json
from pathlib import Path

import papermill as pm
import pytest

from zoomcase.paths import REPO_ROOT

NOTEBOOKS = REPO_ROOT / "notebooks"
pytestmark = pytest.mark.slow


def _run(name: str, tmp_path: Path, **parameters) -> dict:
    out = tmp_path / name
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
        ({"corpus_dir": "/nonexistent/corpus"}, "/nonexistent/corpus: no such corpus folder"),
    ],
)
def test_corpus_notebook_names_the_bad_parameter(tmp_path, parameters, message):
    with pytest.raises(pm.PapermillExecutionError) as err:
        _run("01_corpus.ipynb", tmp_path, **parameters)
    assert message in str(err.value)
