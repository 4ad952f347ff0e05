"""Every parameter of every notebook is checked by name, before anything is computed.

A value of the wrong type (a string for a number, a number for a list, ``True`` for a number: ``bool`` is an
``int`` in Python) and, where the parameter has a range or a set of choices, a value outside it raise a
``ValueError`` whose message starts ``parameter <name>=...`` and says what is expected: never a silent wrong
result. The checks are the package functions each notebook calls in the cell after its parameters cell; they
are called directly here (fast). ``tests/test_notebooks.py`` proves with real papermill runs that the errors
surface from a headless run.

``CASES`` is compared with the parameters papermill finds in each notebook: a notebook, or a parameter, added
without cases here fails ``test_the_table_covers_every_notebook`` / ``test_every_parameter_has_its_cases``.
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import nbformat
import pandas as pd
import papermill as pm
import pytest

from zoomcase import exposure_views, growth, views
from zoomcase.market import market_sources
from zoomcase.paths import REPO_ROOT

NOTEBOOKS = REPO_ROOT / "notebooks"
TYPE, RANGE = "wrong type", "out of range"


@dataclass(frozen=True)
class Bad:
    """A bad value for one parameter and what the error must say is expected."""

    kind: str  # TYPE or RANGE
    value: object
    expected: str  # a part of the message that says what is expected
    also: dict = field(default_factory=dict)  # other parameters changed with it (e.g. start after end)


def wrong(value: object, expected: str) -> Bad:
    return Bad(TYPE, value, expected)


def out(value: object, expected: str, **also: object) -> Bad:
    return Bad(RANGE, value, expected, also)


# --- 01_corpus.ipynb ------------------------------------------------------------------------------------

FOLDER = 'expected a folder that holds .txt articles, or "" for data/corpus'
LANGUAGE_LIST = "expected a list, e.g. ['nl', 'en']"
CHOOSE_LANGUAGE = "choose from ['de', 'en', 'es', 'fr', 'it', 'nl']"
DOCUMENTS = "expected a whole number of documents"

CORPUS = {
    "corpus_dir": [
        wrong(5, f"not a folder path; {FOLDER}"),
        wrong(True, FOLDER),
        wrong(["data/corpus"], FOLDER),
        wrong([], FOLDER),  # was silently the project's corpus (`[] or None`)
        out("/nonexistent/corpus", f"no such corpus folder; {FOLDER}"),
        out(str(REPO_ROOT / "README.md"), "no such corpus folder"),  # a file, not a folder
        out(str(NOTEBOOKS), f"holds no .txt files; {FOLDER}"),
    ],
    "languages": [
        wrong(5, LANGUAGE_LIST),
        wrong(True, LANGUAGE_LIST),
        wrong(None, LANGUAGE_LIST),
        wrong({"nl": 1}, LANGUAGE_LIST),
        wrong("[nl", "not a list; write e.g. ['nl', 'en']"),
        out(["xx"], f"unknown value(s) ['xx']; {CHOOSE_LANGUAGE}"),
        out(["NL"], CHOOSE_LANGUAGE),
        out([], f"empty; {CHOOSE_LANGUAGE}"),
        out(["nl", "nl"], "repeats ['nl']; list each value once"),
    ],
    "max_documents": [
        wrong("twenty", DOCUMENTS),
        wrong(2.5, DOCUMENTS),
        wrong(20.0, DOCUMENTS),
        wrong(True, DOCUMENTS),
        wrong(None, DOCUMENTS),
        wrong([20], DOCUMENTS),
        out(0, "must be at least 1"),
        out(-5, "must be at least 1"),
    ],
}

# --- 02_growth_and_privacy.ipynb ------------------------------------------------------------------------

SYMBOL = "expected a ticker symbol as text, e.g. 'ZM'"
A_LIST = "expected a list"
DATE = "not a date; write YYYY-MM-DD"
SESSIONS = "expected a whole number of trading sessions"
PAIRS = "each window is a pair of whole days like [-1, 1]"
BOOL = "expected True or False"

GROWTH = {
    "ticker": [
        wrong(5, SYMBOL),
        wrong(True, SYMBOL),
        wrong(None, SYMBOL),
        wrong(["ZM"], SYMBOL),
        out("NOPE", "unknown ticker; available: "),
        out("", "unknown ticker; available: "),
    ],
    "benchmark": [
        wrong(5, SYMBOL),
        wrong(False, SYMBOL),
        wrong(["IXIC"], SYMBOL),
        out("ZM", "choose from IXIC, GSPC, QQQ, SPY"),  # a ticker, but not a market benchmark
        out("NOPE", "choose from IXIC, GSPC, QQQ, SPY"),
    ],
    "peers": [
        wrong(5, A_LIST),
        wrong(True, A_LIST),
        wrong(None, A_LIST),
        wrong({"RNG": 1}, A_LIST),
        wrong([5], "expected ticker symbols as text, e.g. ['RNG', 'CSCO']"),
        wrong("[RNG", "not a list; write e.g. ['RNG', 'CSCO']"),
        out(["RNG", "XX"], "unknown ticker(s) ['XX']; available: "),
        out(["ZM"], "ZM is already the ticker or the benchmark"),
        out(["RNG", "RNG"], "list each ticker once"),
    ],
    "start": [
        wrong(2020, DATE),  # was 1970-01-01 plus 2020 nanoseconds
        wrong(20200101, DATE),
        wrong(2020.5, DATE),
        wrong(True, DATE),
        wrong(None, DATE),
        wrong(["2020-01-01"], DATE),
        wrong(pd.Timestamp("2020-01-01", tz="UTC"), "a date without a time zone"),
        out("2020-13-45", DATE),
        out("2020-02-30", DATE),
        out("01-02-2020", DATE),  # day-first or month-first? refused, not guessed
        out("today", DATE),  # a moving date: refused
        out("last year", DATE),
        out("2022-01-01", "empty date range (start after end)"),
    ],
    "end": [
        wrong(2021, DATE),  # was 1970-01-01, reported as "start after end"
        wrong(False, DATE),
        wrong(None, DATE),
        out("2021-12-32", DATE),
        out("2019-06-30", "empty date range (start after end)"),
    ],
    "rebase": [
        wrong(0, DATE),
        wrong(True, DATE),
        wrong([2019, 12, 31], DATE),
        out("31/12/2019", DATE),
        out("2022-06-01", "after end=2021-12-31; choose a day on or before end"),
    ],
    "categories": [
        wrong(5, A_LIST),
        wrong(None, A_LIST),
        wrong(True, A_LIST),
        wrong({"privacy": 1}, A_LIST),
        wrong("[privacy", "not a list; write e.g. ['privacy', 'legal']"),
        out(["gossip"], "unknown value(s) ['gossip']; choose from ['corporate_response', 'legal', 'market'"),
        out([], "empty; choose from"),
        out(["legal", "legal"], "repeats ['legal']; list each value once"),
    ],
    "estimation": [
        wrong("x", SESSIONS),
        wrong(12.5, SESSIONS),
        wrong(120.0, SESSIONS),
        wrong(True, SESSIONS),
        wrong(None, SESSIONS),
        wrong([120], SESSIONS),
        out(2, "must be at least 3"),
        out(-5, "must be at least 3"),
    ],
    "gap": [
        wrong(1.5, SESSIONS),
        wrong(True, SESSIONS),
        wrong("ten", SESSIONS),
        wrong(None, SESSIONS),
        out(-1, "must be at least 0"),
    ],
    "windows": [
        wrong(5, A_LIST),
        wrong(None, A_LIST),
        wrong({"a": 1}, A_LIST),
        wrong([[True, 1]], PAIRS),  # was read as [1, 1]
        wrong([[0, False]], PAIRS),
        wrong([[-1, 1.5]], PAIRS),
        wrong([[-1, 1, 2]], PAIRS),
        wrong([-1, 1], PAIRS),  # one window, not a list of windows
        wrong("abc", PAIRS),
        out([], "give at least one window like [-1, 1]"),
        out([[1, -1]], "[1, -1] starts after it ends"),
        out([[-20, 0]], "[-20, 0] starts before day -gap=-10; raise gap"),
    ],
    "log_y": [
        wrong(1, BOOL),
        wrong(0, BOOL),
        wrong("yes", BOOL),
        wrong(None, BOOL),
        wrong([True], BOOL),
    ],
}

# --- 03_regulatory_exposure.ipynb -----------------------------------------------------------------------

JURISDICTION = "choose from ['EU', 'US', 'both']"
FISCAL_YEAR = "choose a fiscal year with full-year revenue: ['FY2020', 'FY2021'"
RATE = "must be a number of euros per US dollar, e.g. 0.92"
POSITIVE_RATE = "must be a positive exchange rate in euros per US dollar"
FRACTION = "must be a fraction between 0 and 1 (0.2 = 20%)"
SERIOUSNESS = "a dict practice id -> one of ['low', 'medium', 'high'], or one level for all"
PRACTICES = "must be a list of practice ids (empty = all); choose from ['prac-"


FRACTIONS = [
    wrong("0.2", FRACTION),
    wrong(True, FRACTION),
    wrong(None, FRACTION),
    out(-0.1, FRACTION),
    out(1.5, FRACTION),
    out(math.nan, FRACTION),
]


EXPOSURE = {
    "jurisdiction": [
        wrong(5, JURISDICTION),
        wrong(True, JURISDICTION),
        wrong(None, JURISDICTION),
        wrong(["EU"], JURISDICTION),
        out("EU+US", JURISDICTION),
        out("eu", JURISDICTION),
    ],
    "fiscal_year": [
        wrong(2021, FISCAL_YEAR),
        wrong(True, FISCAL_YEAR),
        wrong(["FY2021"], FISCAL_YEAR),
        out("FY2030", FISCAL_YEAR),
        out("2021", FISCAL_YEAR),
    ],
    "eur_per_usd": [
        wrong("0.92", RATE),
        wrong(True, RATE),
        wrong(None, RATE),
        wrong([0.92], RATE),
        out(0, POSITIVE_RATE),
        out(-1, POSITIVE_RATE),
        out(11, POSITIVE_RATE),
        out(math.nan, POSITIVE_RATE),
        out(math.inf, POSITIVE_RATE),
    ],
    "seriousness": [
        wrong(5, SERIOUSNESS),
        wrong(True, SERIOUSNESS),
        wrong(None, SERIOUSNESS),
        wrong(["high"], SERIOUSNESS),
        wrong("{prac-ai-training: [", 'not readable as YAML/JSON; write e.g. {"prac-ai-training": "high"}'),
        out("extreme", "a level must be one of ['low', 'medium', 'high']"),
        out({"prac-x": "high"}, "unknown practice id(s) ['prac-x']; choose from ['prac-"),
        out({"prac-ai-training": "huge"}, "must be one of ['low', 'medium', 'high']"),
        out({"prac-ai-training": 5}, "must be one of ['low', 'medium', 'high']"),
    ],
    "aggravating": FRACTIONS,
    "mitigating": FRACTIONS,
    "practices": [
        wrong("prac-ai-training", PRACTICES),
        wrong(5, PRACTICES),
        wrong(True, PRACTICES),
        wrong(None, PRACTICES),
        wrong({"prac-ai-training": 1}, PRACTICES),  # was read as its keys
        wrong("[prac-ai-training", 'not readable as YAML/JSON; write e.g. ["prac-ai-training"]'),
        out(["prac-nope"], "unknown value(s) ['prac-nope']; choose from ['prac-"),
        out([5], "unknown value(s) [5]"),
        out(
            ["prac-ai-training", "prac-ai-training"], "repeats ['prac-ai-training']; list each practice once"
        ),
    ],
}


# --- the table ------------------------------------------------------------------------------------------

# ``growth.validate_params`` gets the tickers of data/market_sources.csv, so that these tests do not need the
# market files pulled (the notebook uses the files present in data/market/).
KNOWN_TICKERS = sorted({s.ticker for s in market_sources()})


@dataclass(frozen=True)
class Notebook:
    validator: Callable[..., object] | None  # what the notebook calls with its parameters
    cases: dict[str, list[Bad]]
    no_range: dict[str, str] = field(default_factory=dict)  # parameter -> why it has no out-of-range case


TABLE = {
    "01_corpus.ipynb": Notebook(views.check_corpus_parameters, CORPUS),
    "02_growth_and_privacy.ipynb": Notebook(
        partial(growth.validate_params, tickers=KNOWN_TICKERS),
        GROWTH,
        {"log_y": "a bool has no range: every wrong value is a wrong type"},
    ),
    "03_regulatory_exposure.ipynb": Notebook(exposure_views.check_parameters, EXPOSURE),
    # No parameters cell: its exercises and their checks are about this corpus, so there is nothing to vary
    # (papermill only warns about unknown parameters).
    "classroom/zoom_case_teacher.ipynb": Notebook(None, {}),
    "explorer/zoom_explorer.ipynb": Notebook(views.check_corpus_dir, {"corpus_dir": CORPUS["corpus_dir"]}),
}


def _parameters(name: str) -> dict[str, dict]:
    return pm.inspect_notebook(str(NOTEBOOKS / name))


def _defaults(name: str) -> dict[str, object]:
    return {k: ast.literal_eval(v["default"]) for k, v in _parameters(name).items()}


def _function(validator: Callable) -> Callable:
    return validator.func if isinstance(validator, partial) else validator


def _bad_cases():
    for name, notebook in TABLE.items():
        for parameter, cases in notebook.cases.items():
            for case in cases:
                label = (
                    f"{name.split('/')[-1].split('_')[0]}-{parameter}-{case.kind.split()[0]}-{case.value!r}"
                )
                yield pytest.param(name, parameter, case, id=label)


# --- the table against the notebooks --------------------------------------------------------------------


def test_the_table_covers_every_notebook() -> None:
    found = {
        str(p.relative_to(NOTEBOOKS))
        for p in NOTEBOOKS.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    }
    assert found == set(TABLE), "add each notebook to TABLE in tests/test_parameters.py (or remove it)"


@pytest.mark.parametrize("name", TABLE)
def test_every_parameter_has_its_cases(name: str) -> None:
    """papermill's parameters of the notebook are exactly the table's; each has a wrong type and, unless
    ``no_range`` says why not, an out-of-range value."""
    notebook = TABLE[name]
    declared = set(_parameters(name))
    assert declared == set(notebook.cases), (
        f"{name}: parameters {sorted(declared)} but cases for {sorted(notebook.cases)}; a new parameter "
        "needs a check in the package and cases here"
    )
    for parameter, cases in notebook.cases.items():
        kinds = {case.kind for case in cases}
        assert TYPE in kinds, f"{name}: no wrong-type case for {parameter}"
        assert RANGE in kinds or parameter in notebook.no_range, (
            f"{name}: no out-of-range case for {parameter}"
        )
    if declared:
        assert notebook.validator is not None, f"{name} has parameters but no validation function"


@pytest.mark.parametrize("name", [n for n, nb in TABLE.items() if nb.validator is not None])
def test_the_notebook_passes_every_parameter_to_its_check(name: str) -> None:
    """The first code cell after the parameters cell calls the validator with every parameter."""
    function = _function(TABLE[name].validator)
    cells = nbformat.read(NOTEBOOKS / name, as_version=4).cells
    first = next(i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", []))
    cell = next(c for c in cells[first + 1 :] if c.cell_type == "code").source
    assert f"{function.__name__}(" in cell, f"{name}: the cell after the parameters does not call {function}"
    accepted = inspect.signature(function).parameters
    for parameter in _parameters(name):
        assert re.search(rf"\b{parameter}\b", cell), (
            f"{name}: {parameter} is not passed to {function.__name__}"
        )
        assert parameter in accepted, f"{function.__name__} has no argument {parameter}"


@pytest.mark.parametrize("name", [n for n, nb in TABLE.items() if nb.validator is not None])
def test_the_defaults_pass(name: str) -> None:
    TABLE[name].validator(**_defaults(name))


# --- bad values -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "parameter", "case"), list(_bad_cases()))
def test_a_bad_value_is_refused_by_name(name: str, parameter: str, case: Bad) -> None:
    given = _defaults(name) | case.also | {parameter: case.value}
    with pytest.raises(ValueError) as err:
        TABLE[name].validator(**given)
    message = str(err.value)
    # "parameter gap=-1: ...", or with the parameter it clashes with: "parameter start=..., end=...: ..."
    assert re.match(rf"parameter (\w+=[^,:]+, )?{parameter}\b", message), message
    assert case.expected in message, message
    if case.kind == TYPE:  # the value as given, so the reader sees what was wrong with it
        assert f"{parameter}={case.value!r}" in message, message


# --- what is accepted -----------------------------------------------------------------------------------

# Forms that papermill's ``-p`` (strings) and ``zoomcase build -p`` (YAML: dates, null) produce, and what the
# notebook gets from them.
ACCEPTED = [
    ("01_corpus.ipynb", {"corpus_dir": None}, "corpus_dir", None),
    ("01_corpus.ipynb", {"corpus_dir": "  "}, "corpus_dir", None),
    (
        "01_corpus.ipynb",
        {"corpus_dir": str(REPO_ROOT / "data" / "corpus")},
        "corpus_dir",
        REPO_ROOT / "data" / "corpus",
    ),
    ("01_corpus.ipynb", {"languages": "nl, en"}, "languages", ["nl", "en"]),
    ("01_corpus.ipynb", {"languages": "['fr']"}, "languages", ["fr"]),
    ("01_corpus.ipynb", {"max_documents": " 5 "}, "max_documents", 5),
    ("02_growth_and_privacy.ipynb", {"ticker": "^zm"}, "ticker", "ZM"),
    ("02_growth_and_privacy.ipynb", {"start": dt.date(2020, 3, 2)}, "start", pd.Timestamp("2020-03-02")),
    ("02_growth_and_privacy.ipynb", {"end": " 2020-12-31 "}, "end", pd.Timestamp("2020-12-31")),
    ("02_growth_and_privacy.ipynb", {"peers": "IGV, WCLD"}, "peers", ("IGV", "WCLD")),
    ("02_growth_and_privacy.ipynb", {"peers": []}, "peers", ()),
    ("02_growth_and_privacy.ipynb", {"estimation": "60"}, "estimation", 60),
    ("02_growth_and_privacy.ipynb", {"windows": "[[0, 1]]"}, "windows", ((0, 1),)),
    ("02_growth_and_privacy.ipynb", {"log_y": "True"}, "log_y", True),
    ("03_regulatory_exposure.ipynb", {"seriousness": "high"}, "seriousness", "high"),
    ("03_regulatory_exposure.ipynb", {"practices": "[prac-ai-training]"}, "practices", ["prac-ai-training"]),
    ("03_regulatory_exposure.ipynb", {"eur_per_usd": 1}, "eur_per_usd", 1.0),
]


@pytest.mark.parametrize(("name", "given", "parameter", "expected"), ACCEPTED)
def test_papermill_and_cli_forms_are_accepted(name, given, parameter, expected) -> None:
    checked = TABLE[name].validator(**(_defaults(name) | given))
    value = checked[parameter] if isinstance(checked, dict) else getattr(checked, parameter)
    assert value == expected
