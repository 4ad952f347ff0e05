"""zoomcase.exposure_views: checked parameters, the report's tables and figures, escaping, findings."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import pytest
from frictionless import Resource, Schema
from IPython.display import Markdown

from zoomcase import exposure_views as xv
from zoomcase.corpus import Corpus, load_corpus
from zoomcase.paths import data_dir
from zoomcase.reference import load_reference

DEFAULTS = {
    "jurisdiction": "both",
    "fiscal_year": "FY2021",
    "eur_per_usd": 0.92,
    "seriousness": {},
    "aggravating": 0.0,
    "mitigating": 0.0,
    "practices": [],
}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


def _report(corpus: Corpus, **change: object) -> xv.ExposureReport:
    return xv.ExposureReport.build(xv.check_parameters(**{**DEFAULTS, **change}), corpus)


@pytest.fixture(scope="module")
def report(corpus: Corpus) -> xv.ExposureReport:
    return _report(corpus)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"jurisdiction": "EU+US"}, "parameter jurisdiction='EU+US': choose from"),
        ({"fiscal_year": "2021"}, "parameter fiscal_year='2021': choose a fiscal year"),
        ({"eur_per_usd": -1}, "parameter eur_per_usd=-1: must be a positive exchange rate"),
        ({"eur_per_usd": "0.9"}, "parameter eur_per_usd='0.9': must be a number"),
        (
            {"seriousness": {"prac-x": "high"}},
            "parameter seriousness={'prac-x': 'high'}: unknown practice id(s)",
        ),
        (
            {"seriousness": {"prac-ai-training": "huge"}},
            "level(s) {'prac-ai-training': 'huge'} must be one of",
        ),
        ({"seriousness": "extreme"}, "parameter seriousness='extreme'"),
        ({"aggravating": 1.5}, "parameter aggravating=1.5: must be a fraction"),
        ({"mitigating": -0.1}, "parameter mitigating=-0.1"),
        ({"practices": ["prac-nope"]}, "parameter practices=['prac-nope']: unknown value(s) ['prac-nope']"),
        ({"practices": "prac-ai-training"}, "parameter practices='prac-ai-training': must be a list"),
    ],
)
def test_bad_parameters_are_named(change: dict, message: str) -> None:
    with pytest.raises(ValueError) as err:
        xv.check_parameters(**{**DEFAULTS, **change})
    assert message in str(err.value)


def test_parameters_accept_papermill_strings_and_ints() -> None:
    params = xv.check_parameters(
        **{**DEFAULTS, "seriousness": '{"prac-ai-training": "high"}', "practices": "[]", "eur_per_usd": 1}
    )
    assert params["seriousness"] == {"prac-ai-training": "high"}
    assert params["practices"] == [] and params["eur_per_usd"] == 1.0


def test_default_report_tables(report: xv.ExposureReport) -> None:
    practices = report.practices_table()
    assert set(practices["practice_id"]) == set(report.evidence["practice_id"])
    assert (practices["sentences"] > 0).all()
    evidence = report.evidence_table(width=60)
    assert {"doc_id", "start", "end", "sentence"} <= set(evidence.columns)
    full = report.evidence_table(width=10_000)["sentence"]
    cut = full != evidence["sentence"]
    assert cut.any() and (evidence["sentence"].str.len() <= 60).all()
    assert all(
        f.startswith(c.removesuffix("…")) and c.endswith("…")
        for f, c in zip(full[cut], evidence["sentence"][cut], strict=True)
    )
    reference = pd.read_csv(data_dir() / "reference" / "practice_provisions.csv")
    matrix = report.matrix_table()
    assert set(matrix["rationale"]) <= set(reference["rationale"])  # in full, not cut for display
    steps = report.steps_table()
    assert list(steps["step"]) == [1, 2, 3, 4, 5, 6]
    est = report.scenario.eu_estimate
    assert steps["high_eur_m"].iloc[-1] == pytest.approx(est.high / 1e6, abs=0.01)
    assert est.article == "83(5)" and est.seriousness == "medium"
    grid = report.scenario_grid()
    assert list(grid["fiscal_year"]) == xv.fiscal_years()
    assert grid.loc[grid["fiscal_year"] == "FY2021", "chosen"].item() != ""
    assert isinstance(report.us_table(), pd.DataFrame)
    assert (report.authorities_table()["status"] == "unsourced").any()


def test_sensitivity_sorted_and_covering_assumptions(report: xv.ExposureReport) -> None:
    table = report.sensitivity
    assert set(table["parameter"]) == {
        "fiscal_year",
        "eur_per_usd",
        "seriousness",
        "aggravating",
        "mitigating",
    }
    assert list(table["swing"]) == sorted(table["swing"], reverse=True)


def test_precedents_put_zoom_model_among_real_fines(report: xv.ExposureReport) -> None:
    prec = report.precedents
    assert (prec["kind"] == "GDPR fine (not Zoom)").sum() == 10
    settlement = prec[prec["ref"] == "enf-2021-07-31-85m-settlement"]
    assert settlement["amount_eur_m"].item() == pytest.approx(85 * 0.92, abs=0.01)
    assert prec["ref"].eq("model midpoint").any()
    fines = load_reference("gdpr_fines").set_index("id")["case_or_action"]
    for ref, label in prec.loc[prec["kind"] == "GDPR fine (not Zoom)", ["ref", "label"]].itertuples(
        index=False
    ):
        name = label.rsplit(" (", 1)[0]  # a long name is shortened visibly, never cut mid-word unmarked
        assert name == fines[ref] or (name.endswith("…") and fines[ref].startswith(name[:-1] + " "))


def test_figures_are_drawn_and_deterministic(corpus: Corpus, report: xv.ExposureReport) -> None:
    figures = [report.heatmap(), report.waterfall(), report.tornado(), report.precedents_chart()]
    assert all(isinstance(f, go.Figure) for f in figures)
    again = _report(corpus)
    assert again.heatmap().to_json() == figures[0].to_json()
    assert again.precedents_chart().to_json() == figures[3].to_json()
    assert all(f.layout.template.layout.to_plotly_json() for f in figures)


def test_precedents_axis_is_log(report: xv.ExposureReport) -> None:
    assert report.precedents_chart().layout.xaxis.type == "log"


def test_us_only_skips_the_eu_parts(corpus: Corpus) -> None:
    us = _report(corpus, jurisdiction="US")
    assert us.scenario.eu_estimate is None
    for part in (us.steps_table(), us.waterfall(), us.tornado(), us.scenario_grid(), us.authorities_table()):
        assert isinstance(part, Markdown) and "skipped" in part.data
    assert isinstance(us.heatmap(), go.Figure) and isinstance(us.precedents_chart(), go.Figure)
    assert set(us.matrix_table()["tier"]) == {"US"}
    assert "EU fine model: skipped" in us.findings().data
    assert "The US view maps the chosen practices" in us.findings().data


def test_eu_only_skips_the_us_outcomes(corpus: Corpus) -> None:
    eu = _report(corpus, jurisdiction="EU")
    assert isinstance(eu.us_table(), Markdown)
    assert "US:" not in eu.findings().data


def test_seriousness_override_and_fx(corpus: Corpus) -> None:
    high = _report(corpus, seriousness={"prac-ai-training": "high"}, eur_per_usd=1.0)
    est = high.scenario.eu_estimate
    assert est.seriousness == "high"
    assert est.turnover_eur == pytest.approx(2_651_400_000.0)
    assert "seriousness" not in set(high.sensitivity["parameter"])
    row = high.practices_table().set_index("practice_id").loc["prac-ai-training"]
    assert row["seriousness"] == "high"


def test_hover_text_is_escaped(corpus: Corpus, report: xv.ExposureReport) -> None:
    matrix = report.matrix.copy()
    matrix.loc[0, "rationale"] = "<script>alert(1)</script>"
    fig = xv.heatmap_figure(matrix)
    hover = "".join(c for row in fig.data[0].customdata for c in row)
    assert "<script>" not in hover and "&lt;script&gt;" in hover


def test_findings_are_generated_from_numbers(report: xv.ExposureReport) -> None:
    text = report.findings().data
    est = report.scenario.eu_estimate
    assert f"{est.low / 1e6:,.1f}" in text and f"{est.high / 1e6:,.1f}" in text
    assert "unsourced" in text
    assert (
        "The EU and US view maps the chosen practices" in text
    )  # jurisdiction "both" (it read "The both view")


@pytest.mark.parametrize(
    ("instrument", "provision", "label"),
    [
        ("GDPR (Regulation (EU) 2016/679)", "Art. 6", "GDPR Art. 6"),
        ("ePrivacy Directive 2002/58/EC", "Art. 5(3)", "ePrivacy Art. 5(3)"),
        ("Federal Trade Commission Act", "Section 5 (15 U.S.C. 45)", "FTC Act s.5"),
        ("California Consumer Privacy Act", "Cal. Civ. Code 1798.150", "CCPA 1798.150"),
    ],
)
def test_provision_label(instrument: str, provision: str, label: str) -> None:
    assert xv.provision_label(instrument, provision) == label


def test_authorities_table_is_well_formed() -> None:
    table = xv.load_authorities()
    assert table["id"].is_unique
    assert set(table["status"]) == set(xv.AUTHORITY_STATUS)
    assert (table.loc[table["status"] == "sourced", "source_url"] != "").all()
    corpus_claims = table[table["id"].str.startswith("osp-corpus")]
    assert (corpus_claims["status"] == "unsourced").all()
    resource = Resource(
        path="authorities.csv",
        basepath=str(data_dir() / "reference"),
        schema=Schema.from_descriptor(
            {"fields": [{"name": c, "type": "string"} for c in xv.AUTHORITY_COLUMNS], "primaryKey": ["id"]}
        ),
    )
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])


def test_charts_fit_the_page_and_keep_every_precedent_on_the_axis(report: xv.ExposureReport) -> None:
    # A fixed 1,200-pixel width was wider than a report's column: the largest fine fell off the right edge.
    figures = [report.heatmap(), report.waterfall(), report.tornado(), report.precedents_chart()]
    assert all(fig.layout.width is None for fig in figures)
    chart = report.precedents_chart()
    low, high = chart.layout.xaxis.range
    shown = [x for trace in chart.data for x in trace.x]
    assert 10**low < min(shown) and max(shown) < 10**high


def test_a_number_typed_as_yaml_text_gets_a_hint() -> None:
    # ``-p eur_per_usd 1e-1``: YAML reads 1e-1 as text (no dot), and the user typed a number
    with pytest.raises(ValueError, match=r"eur_per_usd='1e-1'.*got the text '1e-1': write it as 0\.1"):
        xv.check_parameters(**{**DEFAULTS, "eur_per_usd": "1e-1"})


def test_mitigating_factors_cannot_waive_the_fine(corpus: Corpus) -> None:
    # mitigating 1 made the range EUR 0-0, and the precedents chart failed on log10(0)
    with pytest.raises(ValueError, match=r"parameter mitigating=1: .*removes the whole fine"):
        xv.check_parameters(**{**DEFAULTS, "mitigating": 1})
    assert _report(corpus, aggravating=0.5, mitigating=1).scenario.eu_estimate.high > 0
    zero = replace(_report(corpus).scenario.eu_estimate, low=0.0, high=0.0)
    fig = xv.precedents_figure(_report(corpus).precedents, zero)
    assert fig.layout.xaxis.type == "log" and len(fig.layout.xaxis.range) == 2


def test_parts_skipped_say_why(corpus: Corpus) -> None:
    # the jurisdiction includes the EU, but the practice carries no GDPR fine
    none = _report(corpus, practices=["prac-no-lead-authority"])
    assert none.scenario.eu_estimate is None
    why = "none of the chosen practices engages a GDPR provision with a fine"
    for part in (none.basis_table(), none.steps_table(), none.waterfall(), none.tornado()):
        assert isinstance(part, Markdown) and why in part.data and "jurisdiction" not in part.data
    assert f"EU fine model: skipped, because {why}" in none.findings().data
    us = _report(corpus, jurisdiction="US")
    assert "because this run's jurisdiction is `US`" in us.steps_table().data


def test_basis_table_shows_the_one_level_chosen(corpus: Corpus) -> None:
    high = _report(corpus, seriousness="high")
    assert set(high.basis_table()["seriousness_used"]) == {"high"}
    assert high.scenario.eu_estimate.seriousness == "high"


def test_findings_count_only_evidenced_practices(report: xv.ExposureReport) -> None:
    unevidenced = replace(report, evidence=report.evidence.iloc[0:0])
    text = unevidenced.findings().data
    assert f"evidences none of the {len(report.practice_ids)} chosen practices" in text
    assert "most evidenced" not in text
    found = report.evidence["practice_id"].iloc[0]
    one = replace(report, evidence=report.evidence[report.evidence["practice_id"] == found])
    assert f"**1 practice** of the {len(report.practice_ids)} chosen" in one.findings().data


@pytest.mark.parametrize("label", ["<img src=x onerror=alert(1)>Meta", "[click](javascript:alert(1))"])
def test_findings_escape_text_from_the_tables(report: xv.ExposureReport, label: str) -> None:
    prec = report.precedents.copy()
    fines = prec.index[prec["kind"] == "GDPR fine (not Zoom)"]
    prec.loc[fines[0], "label"] = label
    text = replace(report, precedents=prec).findings().data
    assert label not in text and "<img" not in text and not re.search(r"(?<!\\)\]\(javascript", text)
    assert "&lt;img" in text or r"\[click\](javascript:alert(1))" in text
