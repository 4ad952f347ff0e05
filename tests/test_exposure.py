"""zoomcase.exposure: the EDPB fine method from the guideline's own rules, the tables, the corpus search."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from frictionless import validate

from zoomcase.corpus import Corpus, load_corpus
from zoomcase.exposure import (
    exposure_matrix,
    find_practices,
    gdpr_fine,
    load_table,
    scenario,
    sensitivity,
    zoom_turnover_eur,
)
from zoomcase.paths import data_dir

REQUIRED_PROVISIONS = {
    ("EU", "Art. 5(1)(a)"), ("EU", "Art. 5(1)(b)"), ("EU", "Art. 5(1)(c)"), ("EU", "Art. 6"),
    ("EU", "Art. 7"), ("EU", "Art. 12"), ("EU", "Art. 13"), ("EU", "Art. 14"), ("EU", "Art. 25"),
    ("EU", "Art. 28"),
    ("EU", "Art. 32"), ("EU", "Art. 44"), ("EU", "Art. 45"), ("EU", "Art. 46"), ("EU", "Art. 5(1)"),
    ("EU", "Art. 5(3)"), ("US-federal", "Section 5 (15 U.S.C. 45)"), ("US-CA", "Cal. Civ. Code 1798.100 ff."),
    ("US-CA", "Cal. Civ. Code 1798.150"), ("US-CA", "Cal. Penal Code 630 ff. (631, 632, 637.2)"),
}  # fmt: skip


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


# --- gdpr_fine: step 1 / EDPB step 4, the legal maximum --------------------------------------------------


@pytest.mark.parametrize(
    ("turnover", "article", "maximum"),
    [
        (100e6, "83(5)", 20e6),  # static: 4% = 4m < 20m
        (10e9, "83(5)", 400e6),  # dynamic: 4% of 10bn
        (500e6, "83(5)", 20e6),  # boundary: 4% = 20m exactly
        (500e6, "83(4)", 10e6),  # boundary: 2% = 10m exactly
        (10e9, "83(4)", 200e6),
        (10e9, "83(6)", 400e6),
    ],
)
def test_legal_maximum(turnover: float, article: str, maximum: float) -> None:
    assert gdpr_fine(turnover, article, "high").legal_maximum == pytest.approx(maximum)


@pytest.mark.parametrize(
    ("level", "low", "high"), [("low", 0.0, 0.10), ("medium", 0.10, 0.20), ("high", 0.20, 1.0)]
)
def test_starting_point_per_seriousness(level: str, low: float, high: float) -> None:
    estimate = gdpr_fine(10e9, "83(5)", level)  # above EUR 500m: no size adjustment
    assert (estimate.low, estimate.high) == pytest.approx((low * 400e6, high * 400e6))
    assert estimate.table().loc[1, ["low", "high"]].tolist() == pytest.approx([low * 400e6, high * 400e6])


def test_small_undertaking_band_is_verified() -> None:
    estimate = gdpr_fine(1.5e6, "83(5)", "high")  # max 20m, start 4m-20m, x 0.2%-0.4%
    assert (estimate.low, estimate.high) == pytest.approx((4e6 * 0.002, 20e6 * 0.004))
    assert estimate.band_verified and estimate.note == ""


@pytest.mark.parametrize(
    ("turnover", "band"),
    [(30e6, (0.015, 0.10)), (100e6, (0.08, 0.20)), (200e6, (0.15, 0.50))],
)
def test_mid_sized_bands_bite_and_are_flagged(turnover: float, band: tuple[float, float]) -> None:
    estimate = gdpr_fine(turnover, "83(5)", "medium")  # static 20m, start 2m-4m
    assert (estimate.low, estimate.high) == pytest.approx((2e6 * band[0], 4e6 * band[1]))
    assert not estimate.band_verified and "not verified" in estimate.note
    assert "UNVERIFIED" in estimate.table().loc[2, "explanation"]


def test_size_adjustment_can_be_switched_off() -> None:
    estimate = gdpr_fine(30e6, "83(5)", "medium", size_adjustment=False)
    assert (estimate.low, estimate.high) == pytest.approx((2e6, 4e6))
    assert estimate.band_verified


def test_factors_scale_the_range() -> None:
    base = gdpr_fine(10e9, "83(5)", "medium")
    worse = gdpr_fine(10e9, "83(5)", "medium", aggravating=0.2)
    better = gdpr_fine(10e9, "83(5)", "medium", aggravating=0.2, mitigating=0.5)
    assert (worse.low, worse.high) == pytest.approx((base.low * 1.2, base.high * 1.2))
    assert (better.low, better.high) == pytest.approx((base.low * 0.7, base.high * 0.7))


def test_cap_at_legal_maximum() -> None:
    estimate = gdpr_fine(10e9, "83(5)", "high", aggravating=0.5)
    assert estimate.high == estimate.legal_maximum == pytest.approx(400e6)
    assert estimate.low == pytest.approx(80e6 * 1.5)
    assert "Capped" in estimate.table().loc[4, "explanation"]


def test_step_table() -> None:
    table = gdpr_fine(1e9, "83(4)", "low").table()
    assert list(table.columns) == ["step", "name", "low", "high", "explanation"]
    assert table["step"].tolist() == [1, 2, 3, 4, 5, 6]
    assert "dynamic" in table.loc[0, "explanation"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"turnover_eur": -1.0}, r"turnover_eur must be a finite amount >= 0 in EUR, got -1\.0"),
        ({"turnover_eur": math.nan}, r"turnover_eur must be .* got nan"),
        ({"turnover_eur": math.inf}, r"turnover_eur must be .* got inf"),
        ({"article": "83(7)"}, r"article must be one of '83\(4\)', '83\(5\)', '83\(6\)', got '83\(7\)'"),
        ({"seriousness": "severe"}, r"seriousness must be one of 'low', 'medium', 'high', got 'severe'"),
        ({"aggravating": 1.5}, r"aggravating must be a fraction between 0 and 1 .* got 1\.5"),
        ({"mitigating": -0.1}, r"mitigating must be a fraction between 0 and 1 .* got -0\.1"),
        ({"mitigating": math.nan}, r"mitigating must be a fraction .* got nan"),
    ],
)
def test_invalid_input(kwargs: dict, message: str) -> None:
    arguments = {"turnover_eur": 1e9, "article": "83(5)", "seriousness": "medium", **kwargs}
    with pytest.raises(ValueError, match=message):
        gdpr_fine(**arguments)


# --- Zoom's turnover and the scenario ---------------------------------------------------------------------


def test_zoom_turnover_eur() -> None:
    assert zoom_turnover_eur("FY2021", 0.92) == pytest.approx(2_651_400_000 * 0.92)
    with pytest.raises(ValueError, match=r"no full-year revenue for fiscal year 'FY2019'"):
        zoom_turnover_eur("FY2019", 0.92)
    for rate in (0.0, -0.9, math.nan):
        with pytest.raises(ValueError, match=r"eur_per_usd must be a positive exchange rate"):
            zoom_turnover_eur("FY2021", rate)


def test_zoom_fy2021_medium() -> None:
    estimate = gdpr_fine(zoom_turnover_eur("FY2021", 0.92), "83(5)", "medium")
    assert estimate.legal_maximum == pytest.approx(97_571_520)
    assert (estimate.low, estimate.high) == pytest.approx((9_757_152, 19_514_304))


def test_scenario_unity_of_action() -> None:
    result = scenario("both")
    assert result.eu_estimate is not None and result.eu_estimate.article == "83(5)"
    assert result.eu_estimate.seriousness == "medium"  # gravest level among the practices
    assert "Hypothetical" in result.eu_estimate.note
    assert {"enf-2021-07-31-85m-settlement", "enf-2021-02-ftc-final-order"} <= set(
        result.us_outcomes["outcome_ref"]
    )
    only_security = scenario("EU", practice_ids=["prac-meeting-security"])
    assert only_security.eu_estimate.article == "83(4)" and only_security.us_outcomes is None
    us = scenario("US")
    assert us.eu_estimate is None and "no fine formula" in us.note
    with pytest.raises(ValueError, match=r"unknown practice id\(s\) \['prac-x'\]"):
        scenario(practice_ids=["prac-x"])


def test_sensitivity() -> None:
    ranges = {"seriousness": ("low", "high"), "eur_per_usd": (0.85, 1.0), "fiscal_year": ("FY2020", "FY2022")}
    table = sensitivity({"fiscal_year": "FY2021", "eur_per_usd": 0.92}, ranges)
    assert table["parameter"].iloc[0] == "seriousness" and set(table["parameter"]) == set(ranges)
    assert table["base_midpoint"].tolist() == pytest.approx([(9_757_152 + 19_514_304) / 2] * 3)
    with pytest.raises(ValueError, match=r"unknown parameter\(s\) \['rate'\]"):
        sensitivity({}, {"rate": (1, 2)})


# --- the corpus ---------------------------------------------------------------------------------------------


def test_find_practices(corpus: Corpus) -> None:
    found = find_practices(corpus)
    facebook = found[(found["practice_id"] == "prac-facebook-sdk") & (found["doc_id"] == "000")]
    ai = found[(found["practice_id"] == "prac-ai-training") & (found["doc_id"] == "004")]
    assert not facebook.empty and not ai.empty
    for row in pd.concat([facebook, ai]).itertuples():
        assert row.match in corpus.raw_span(row.doc_id, row.start, row.end)
    assert "Facebook" in corpus.raw_span("000", *facebook.iloc[0][["start", "end"]])
    assert any("train our artificial" in corpus.raw_span("004", r.start, r.end) for r in ai.itertuples())


def test_every_practice_has_evidence(corpus: Corpus) -> None:
    assert set(find_practices(corpus)["practice_id"]) == set(load_table("practices")["id"])


# --- the tables ------------------------------------------------------------------------------------------


def test_provisions_complete_and_sourced() -> None:
    provisions = load_table("provisions")
    listed = set(zip(provisions["jurisdiction"], provisions["provision"], strict=True))
    assert listed.issuperset(REQUIRED_PROVISIONS)
    assert provisions["source_url"].str.startswith("http").all()
    gdpr = provisions[provisions["instrument"].str.startswith("GDPR")].set_index("provision")
    assert gdpr.loc["Art. 32", "fine_article"] == "83(4)" and gdpr.loc["Art. 6", "fine_article"] == "83(5)"
    assert (provisions.loc[~provisions["instrument"].str.startswith("GDPR"), "fine_article"] == "").all()


def test_exposure_matrix_links_resolve() -> None:
    matrix = exposure_matrix()
    assert len(matrix) == len(load_table("practice_provisions"))
    assert set(exposure_matrix("US")["jurisdiction"]) == {"US-federal", "US-CA"}
    assert (exposure_matrix("EU")["jurisdiction"] == "EU").all()
    assert matrix["rationale"].str.len().gt(0).all()


def test_datapackage_validates() -> None:
    report = validate(data_dir() / "reference" / "datapackage.json")
    assert report.valid, report.flatten(["type", "rowNumber", "fieldName", "message"])


def test_scenario_seriousness_per_practice() -> None:
    base = scenario("EU")
    assert base.eu_estimate.seriousness == "medium"
    raised = scenario("EU", seriousness={"prac-attention-tracking": "high"})
    assert raised.eu_estimate.seriousness == "high"
    basis = raised.eu_basis.set_index("practice_id")
    assert basis.loc["prac-attention-tracking", "seriousness"] == "high"
    assert raised.eu_estimate.high > base.eu_estimate.high


@pytest.mark.parametrize(
    ("seriousness", "message"),
    [
        ({"prac-nope": "high"}, r"seriousness names unknown practice id\(s\) \['prac-nope'\]"),
        ({"prac-ai-training": "huge"}, r"seriousness\['prac-ai-training'\] must be one of"),
        ("huge", r"seriousness must be one of"),
    ],
)
def test_scenario_rejects_bad_seriousness(seriousness: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        scenario("EU", seriousness=seriousness)


# --- a user's edited copy: a bad edit stops at load, naming the table, file, row and column -----------------


@pytest.fixture
def reference_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/reference/ that ZOOMCASE_DATA points at, to break on purpose."""
    copy = Path(shutil.copytree(data_dir() / "reference", tmp_path / "reference"))
    monkeypatch.setenv("ZOOMCASE_DATA", str(tmp_path))
    return copy


def _edit(path: Path, row_id: str, column: str, value: str) -> int:
    """Set one cell of the row with id ``row_id``; return that row's number (1 = first under the header)."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[table["id"] == row_id, column] = value
    table.to_csv(path, index=False)
    return int((table["id"] == row_id).to_numpy().argmax()) + 1


@pytest.mark.parametrize(
    ("table", "row_id", "column", "value", "problem"),
    [
        # foreign keys: an inner join used to drop the row, a left join to give a NaN amount
        (
            "practice_provisions",
            "pp-facebook-sdk--gdpr-art6",
            "provision_id",
            "prov-gdpr-art6x",
            r"'prov-gdpr-art6x' is not in column 'id' of reference table 'provisions' \(.*provisions\.csv\)",
        ),
        (
            "practice_provisions",
            "pp-facebook-sdk--gdpr-art6",
            "practice_id",
            "prac-facebook",
            r"'prac-facebook' is not in column 'id' of reference table 'practices'",
        ),
        (
            "practice_provisions",
            "pp-meeting-security--us-ftc-act-s5",
            "outcome_ref",
            "enf-2021-02-ftc-final-ordr",
            r"'enf-2021-02-ftc-final-ordr' is not in column 'id' of reference table 'enforcement'",
        ),
        # enums: used to fail later as "'High' is not in list" or "tuple.index(x): x not in tuple"
        (
            "practices",
            "prac-ai-training",
            "seriousness",
            "High",
            r"'High' is not one of 'low', 'medium', 'high'",
        ),
        ("practices", "prac-ai-training", "seriousness", "", r"required value is empty"),
        (
            "provisions",
            "prov-gdpr-art6",
            "fine_article",
            "Art. 83(5)",
            r"'Art. 83\(5\)' is not one of '83\(4\)'",
        ),
        # a pattern matches the whole value: 'EU-NL' begins like 'EU' and was counted as US
        ("provisions", "prov-gdpr-art6", "jurisdiction", "EU-NL", r"'EU-NL' does not match the pattern"),
        (
            "practices",
            "prac-attention-tracking",
            "evidence_pattern",
            "(?i)attention(tracking",
            r"'\(\?i\)attention\(tracking' is not a valid Python regular expression \(missing \)",
        ),
    ],
)
def test_bad_edit_stops_at_load(
    reference_copy: Path, table: str, row_id: str, column: str, value: str, problem: str
) -> None:
    path = reference_copy / f"{table}.csv"
    row = _edit(path, row_id, column, value)
    where = rf"reference table '{table}' \({re.escape(str(path))}; row 1 is the first under the header\), "
    with pytest.raises(
        ValueError, match=rf"^{where}row {row} \(id '{row_id}'\), column '{column}': {problem}"
    ):
        exposure_matrix()


def test_repeated_practice_row_stops_at_load(reference_copy: Path) -> None:
    path = reference_copy / "practices.csv"
    practices = pd.read_csv(path, dtype=str, keep_default_na=False)
    pd.concat([practices, practices.iloc[[3]]]).to_csv(path, index=False)
    repeat = rf"row {len(practices) + 1} \(id 'prac-ai-training'\), column 'id': 'prac-ai-training' is also"
    with pytest.raises(ValueError, match=rf"reference table 'practices' .*{repeat} in row 4\b"):
        exposure_matrix()


def test_tables_read_as_strings_empty_as_blank() -> None:
    for name in ("provisions", "practices", "practice_provisions"):
        table = load_table(name)
        assert all(isinstance(table[column].dtype, pd.StringDtype) for column in table), name
        assert not table.isna().any().any(), name
