"""Tables, plotly figures and generated findings for notebook 03 (regulatory exposure).

Every number shown comes from ``zoomcase.exposure`` and the reference tables; every corpus or reference string
that reaches a figure's hover text goes through ``html.escape``. Figures use a fixed template and fixed
colours so that a rerun draws the same chart. When the jurisdiction leaves out the EU (or the US), the
functions for that part return a Markdown note saying it was skipped instead of failing.
"""

from __future__ import annotations

import html
import itertools
import json
import math
import re
import textwrap
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import yaml
from IPython.display import Markdown

from zoomcase import exposure
from zoomcase.corpus import Corpus
from zoomcase.paths import data_dir
from zoomcase.reference import load_reference
from zoomcase.views import clip, clip_text, counted, md_text

TEMPLATE = "plotly_white"
COLOURS = {
    "83(5)": "#b2182b",
    "83(4)": "#ef8a62",
    "EU-other": "#92c5de",
    "US": "#2166ac",
    "precedent": "#8c8c8c",
    "zoom-real": "#e08214",
    "zoom-model": "#b2182b",
}
FX_RANGE = (0.80, 1.05)  # EUR per USD tried in the tornado: an illustrative span, not a sourced series
AUTHORITY_COLUMNS = ["id", "question", "statement", "status", "source_url", "note"]
AUTHORITY_STATUS = ("sourced", "unsourced", "inference")


# --- parameters ----------------------------------------------------------------------------------------


def _maybe_parsed(name: str, value: object, example: str) -> object:
    """papermill's ``-p`` passes lists and dicts as strings: read those back as YAML/JSON."""
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            return yaml.safe_load(value)
        except yaml.YAMLError:
            raise _bad(name, value, f"not readable as YAML/JSON; write e.g. {example}") from None
    return value


def fiscal_years() -> list[str]:
    """Fiscal years with a full-year revenue in financials.csv."""
    fin = load_reference("financials")
    full = fin[(fin["period"] == "FY") & fin["revenue_usd"].notna()]
    return sorted(full["fiscal_year"].astype(str))


def _bad(name: str, value: object, expected: str) -> ValueError:
    return ValueError(f"parameter {name}={value!r}: {expected}")


def _not_a_number(name: str, value: object, expected: str) -> ValueError:
    """The error for a value that is not a number; for text that reads as one, why it arrived as text:
    YAML (``-p``) reads ``1e-1`` as a string, as it needs a dot in the mantissa (``1.0e-1``)."""
    if isinstance(value, str):
        with suppress(ValueError):
            expected += f" (got the text {value!r}: write it as {float(value)!r})"
    return _bad(name, value, expected)


def check_parameters(
    *,
    jurisdiction: object,
    fiscal_year: object,
    eur_per_usd: object,
    seriousness: object,
    aggravating: object,
    mitigating: object,
    practices: object,
) -> dict:
    """The notebook's parameters, checked; each error names the parameter and what is allowed."""
    if jurisdiction not in exposure.JURISDICTIONS:
        raise _bad("jurisdiction", jurisdiction, f"choose from {list(exposure.JURISDICTIONS)}")
    years = fiscal_years()
    if fiscal_year not in years:
        raise _bad("fiscal_year", fiscal_year, f"choose a fiscal year with full-year revenue: {years}")
    if isinstance(eur_per_usd, bool) or not isinstance(eur_per_usd, int | float):
        raise _not_a_number("eur_per_usd", eur_per_usd, "must be a number of euros per US dollar, e.g. 0.92")
    if not math.isfinite(eur_per_usd) or not 0 < eur_per_usd < 10:
        raise _bad("eur_per_usd", eur_per_usd, "must be a positive exchange rate in euros per US dollar")
    known = list(exposure.load_table("practices")["id"])
    levels = list(exposure.SERIOUSNESS)
    seriousness = _maybe_parsed("seriousness", seriousness, '{"prac-ai-training": "high"}')
    if isinstance(seriousness, str):
        if seriousness not in levels:
            raise _bad("seriousness", seriousness, f"a level must be one of {levels}")
    elif isinstance(seriousness, Mapping):
        unknown = sorted(str(k) for k in seriousness if k not in known)
        if unknown:
            raise _bad("seriousness", seriousness, f"unknown practice id(s) {unknown}; choose from {known}")
        wrong = {k: v for k, v in seriousness.items() if v not in levels}
        if wrong:
            raise _bad("seriousness", seriousness, f"level(s) {wrong} must be one of {levels}")
        seriousness = dict(seriousness)
    else:
        raise _bad("seriousness", seriousness, f"a dict practice id -> one of {levels}, or one level for all")
    for name, value in (("aggravating", aggravating), ("mitigating", mitigating)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise _not_a_number(name, value, "must be a fraction between 0 and 1 (0.2 = 20%)")
    if mitigating - aggravating >= 1:
        raise _bad(
            "mitigating",
            mitigating,
            f"with aggravating={aggravating} this removes the whole fine; the EDPB "
            "method reduces a fine for mitigating factors, it does not waive it: choose less than "
            f"{1 + aggravating:g}",
        )
    practices = _maybe_parsed("practices", practices, '["prac-ai-training"]')
    if not isinstance(practices, list | tuple):  # not a str, dict or set: a list, in the order given
        raise _bad(
            "practices", practices, f"must be a list of practice ids (empty = all); choose from {known}"
        )
    practices = list(practices)
    unknown = [p for p in practices if p not in known]
    if unknown:
        raise _bad("practices", practices, f"unknown value(s) {unknown}; choose from {known}")
    repeated = sorted({p for p in practices if practices.count(p) > 1})
    if repeated:
        raise _bad("practices", practices, f"repeats {repeated}; list each practice once")
    return {
        "jurisdiction": jurisdiction,
        "fiscal_year": fiscal_year,
        "eur_per_usd": float(eur_per_usd),
        "seriousness": seriousness,
        "aggravating": float(aggravating),
        "mitigating": float(mitigating),
        "practices": practices,
    }


def parameter_table(params: Mapping[str, object]) -> pd.DataFrame:
    """The parameters this run used, one line each."""
    shown = {k: (json.dumps(v) if isinstance(v, dict | list) else v) for k, v in params.items()}
    return pd.DataFrame({"parameter": list(shown), "value": [str(v) for v in shown.values()]})


# --- helpers -------------------------------------------------------------------------------------------


def _m(amount: float | None) -> float | None:
    """EUR (or USD) in millions, rounded for display."""
    return None if amount is None or pd.isna(amount) else round(float(amount) / 1e6, 2)


def _wrap(text: str, width: int = 70) -> str:
    """Escaped text wrapped with <br> for a hover label."""
    return "<br>".join(html.escape(line) for line in textwrap.wrap(str(text), width)) or "&nbsp;"


def _short(practice_id: str) -> str:
    return practice_id.removeprefix("prac-")


def provision_label(instrument: str, provision: str) -> str:
    """A short column label: 'GDPR Art. 6', 'ePrivacy Art. 5(3)', 'FTC Act s.5', 'CCPA 1798.150'."""
    short = {
        "GDPR": "GDPR",
        "ePrivacy": "ePrivacy",
        "Federal Trade Commission Act": "FTC Act",
        "California Consumer Privacy Act": "CCPA",
        "California Invasion of Privacy Act": "CIPA",
    }
    name = next((v for k, v in short.items() if instrument.startswith(k)), instrument)
    if name in ("GDPR", "ePrivacy"):
        return f"{name} {provision}"
    number = re.search(r"\d[\d.]*\d|\d", provision)
    return f"{name} {'s.' if name == 'FTC Act' else ''}{number.group(0) if number else provision}"


def _tier(row: pd.Series) -> str:
    if row["jurisdiction"] != "EU":
        return "US"
    return row["fine_article"] or "EU-other"


def skipped(part: str, reason: str) -> Markdown:
    return Markdown(f"*{part}: skipped, because {reason}.*")


# --- the report ----------------------------------------------------------------------------------------


@dataclass
class ExposureReport:
    """Everything notebook 03 shows, computed once from the checked parameters."""

    params: dict
    evidence: pd.DataFrame
    practice_ids: list[str]
    matrix: pd.DataFrame
    scenario: exposure.Scenario
    sensitivity: pd.DataFrame | None
    precedents: pd.DataFrame
    authorities: pd.DataFrame

    @classmethod
    def build(cls, params: Mapping[str, object], corpus: Corpus) -> ExposureReport:
        params = dict(params)
        evidence = exposure.find_practices(corpus, params["practices"] or None)
        found = list(dict.fromkeys(evidence["practice_id"]))
        chosen = params["practices"] or found
        matrix = exposure.exposure_matrix(params["jurisdiction"])
        matrix = matrix[matrix["practice_id"].isin(chosen)].reset_index(drop=True)
        base = scenario_kwargs(params, chosen)
        scen = exposure.scenario(params["jurisdiction"], **base)
        sens = None
        if scen.eu_estimate is not None:
            sens = exposure.sensitivity(base, sensitivity_ranges(params))
        prec = precedents(scen, params["eur_per_usd"])
        return cls(params, evidence, chosen, matrix, scen, sens, prec, load_authorities())

    @property
    def has_eu(self) -> bool:
        return self.scenario.eu_estimate is not None

    @property
    def has_us(self) -> bool:
        return self.scenario.us_outcomes is not None

    def _not_in_run(self) -> str:
        return f"this run's jurisdiction is `{self.params['jurisdiction']}`"

    def _no_eu(self) -> str:
        """Why there is no EU estimate: the jurisdiction chosen, or practices that carry no GDPR fine."""
        if self.params["jurisdiction"] == "US":
            return self._not_in_run()
        return "none of the chosen practices engages a GDPR provision with a fine"

    # tables
    def practices_table(self) -> pd.DataFrame:
        return practice_summary(self.evidence, self.matrix, self.practice_ids, self.params["seriousness"])

    def evidence_table(self, width: int = 110) -> pd.DataFrame:
        view = self.evidence[self.evidence["practice_id"].isin(self.practice_ids)].copy()
        view["sentence"] = clip(view["sentence"].str.replace("\n", " "), width)
        return view.drop(columns="sent_id").reset_index(drop=True)

    def matrix_table(self) -> pd.DataFrame:
        return matrix_long(self.matrix)

    def basis_table(self) -> pd.DataFrame | Markdown:
        if not self.has_eu:
            return skipped("EU fine basis", self._no_eu())
        return self.scenario.eu_basis.rename(columns={"seriousness": "seriousness_used"})

    def steps_table(self) -> pd.DataFrame | Markdown:
        if not self.has_eu:
            return skipped("EU fine model", self._no_eu())
        return steps_table(self.scenario.eu_estimate)

    def scenario_grid(self) -> pd.DataFrame | Markdown:
        if not self.has_eu:
            return skipped("EU fine ranges by year and seriousness", self._no_eu())
        return scenario_grid(self.params, self.practice_ids)

    def sensitivity_table(self) -> pd.DataFrame | Markdown:
        if self.sensitivity is None:
            return skipped("Sensitivity of the EU estimate", self._no_eu())
        return sensitivity_view(self.sensitivity)

    def us_table(self) -> pd.DataFrame | Markdown:
        if not self.has_us:
            return skipped("US outcomes", self._not_in_run())
        return us_outcomes_view(self.scenario.us_outcomes)

    def precedents_table(self) -> pd.DataFrame:
        return self.precedents.drop(columns=["colour"])

    def authorities_table(self) -> pd.DataFrame | Markdown:
        if self.params["jurisdiction"] == "US":
            return skipped("Who would act in the EU", self._not_in_run())
        return self.authorities[["question", "statement", "status", "source_url"]]

    # figures
    def heatmap(self) -> go.Figure:
        return heatmap_figure(self.matrix)

    def waterfall(self) -> go.Figure | Markdown:
        if not self.has_eu:
            return skipped("Waterfall of the EU fine model", self._no_eu())
        return waterfall_figure(self.scenario.eu_estimate)

    def tornado(self) -> go.Figure | Markdown:
        if self.sensitivity is None:
            return skipped("Tornado of the EU estimate", self._no_eu())
        return tornado_figure(self.sensitivity)

    def precedents_chart(self) -> go.Figure:
        return precedents_figure(self.precedents, self.scenario.eu_estimate)

    def findings(self) -> Markdown:
        return Markdown(exposure_findings(self))


# --- computations --------------------------------------------------------------------------------------


def scenario_kwargs(params: Mapping[str, object], practice_ids: list[str]) -> dict:
    """Keyword arguments of ``exposure.scenario`` (and ``sensitivity``) from the notebook's parameters."""
    seriousness = params["seriousness"]
    return {
        "practice_ids": practice_ids,
        "fiscal_year": params["fiscal_year"],
        "eur_per_usd": params["eur_per_usd"],
        "seriousness": seriousness or None,
        "aggravating": params["aggravating"],
        "mitigating": params["mitigating"],
    }


def sensitivity_ranges(params: Mapping[str, object]) -> dict[str, tuple[object, object]]:
    """The (low, high) values tried one at a time in the tornado."""
    fin = load_reference("financials")
    full = fin[(fin["period"] == "FY") & fin["revenue_usd"].notna()].sort_values("revenue_usd")
    ranges: dict[str, tuple[object, object]] = {
        "fiscal_year": (str(full["fiscal_year"].iloc[0]), str(full["fiscal_year"].iloc[-1])),
        "eur_per_usd": FX_RANGE,
        "aggravating": (0.0, 0.5),
        "mitigating": (0.0, 0.5),
    }
    if not isinstance(params["seriousness"], Mapping) or not params["seriousness"]:
        ranges["seriousness"] = ("low", "high")
    return ranges


def practice_summary(
    evidence: pd.DataFrame, matrix: pd.DataFrame, practice_ids: list[str], seriousness: object
) -> pd.DataFrame:
    """One line per practice: where the corpus evidences it, what it engages, what really happened."""
    practices = exposure.load_table("practices").set_index("id")
    rows = []
    for pid in practice_ids:
        ev = evidence[evidence["practice_id"] == pid]
        mx = matrix[matrix["practice_id"] == pid]
        level = practices.loc[pid, "seriousness"]
        if isinstance(seriousness, str) and seriousness:
            level = seriousness
        elif isinstance(seriousness, Mapping):
            level = seriousness.get(pid, level)
        outcomes = [o for o in dict.fromkeys(mx.loc[mx["outcome_ref"] != "", "outcome_ref"])]
        rows.append(
            {
                "practice_id": pid,
                "sentences": len(ev),
                "documents": " ".join(sorted(ev["doc_id"].unique())),
                "seriousness": level,
                "eu_provisions": int((mx["jurisdiction"] == "EU").sum()),
                "us_provisions": int((mx["jurisdiction"] != "EU").sum()),
                "outcomes_on_record": " | ".join(outcomes) or "none",
            }
        )
    return pd.DataFrame(rows)


def matrix_long(matrix: pd.DataFrame) -> pd.DataFrame:
    """The practice x provision pairs with their fine tier, rationale and real outcome, in full: the
    reasoning is what this table is for."""
    view = pd.DataFrame(
        {
            "practice_id": matrix["practice_id"],
            "provision": [
                provision_label(i, p) for i, p in zip(matrix["instrument"], matrix["provision"], strict=True)
            ],
            "tier": matrix.apply(_tier, axis=1),
            "rationale": matrix["rationale"],
            "outcome": matrix["outcome"],
        }
    )
    return view.reset_index(drop=True)


def steps_table(estimate: exposure.FineEstimate) -> pd.DataFrame:
    table = estimate.table()
    return pd.DataFrame(
        {
            "step": table["step"],
            "name": table["name"],
            "low_eur_m": table["low"].map(_m),
            "high_eur_m": table["high"].map(_m),
            "explanation": table["explanation"],
        }
    )


def scenario_grid(params: Mapping[str, object], practice_ids: list[str]) -> pd.DataFrame:
    """The EU fine range (EUR millions) for each fiscal year and seriousness level, other parameters fixed."""
    rows = []
    for year in fiscal_years():
        kwargs = {**scenario_kwargs(params, practice_ids), "fiscal_year": year}
        row = {"fiscal_year": year}
        for level in exposure.SERIOUSNESS:
            estimate = exposure.scenario("EU", **{**kwargs, "seriousness": level}).eu_estimate
            row["turnover_eur_m"] = _m(estimate.turnover_eur)
            row["legal_max_eur_m"] = _m(estimate.legal_maximum)
            row[f"{level}_eur_m"] = f"{_m(estimate.low):,.1f} - {_m(estimate.high):,.1f}"
        row["chosen"] = "<- this run" if year == params["fiscal_year"] else ""
        rows.append(row)
    return pd.DataFrame(rows)


def sensitivity_view(table: pd.DataFrame) -> pd.DataFrame:
    view = table.copy()
    for column in ("base_midpoint", "midpoint_at_low", "midpoint_at_high", "swing"):
        view[column] = view[column].map(_m)
    view = view.rename(
        columns={c: f"{c}_eur_m" for c in ("base_midpoint", "midpoint_at_low", "midpoint_at_high", "swing")}
    )
    view["low_value"] = view["low_value"].astype(str)
    view["high_value"] = view["high_value"].astype(str)
    return view


def us_outcomes_view(us: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "practice_id": us["practice_id"],
            "provision": [
                provision_label(i, p) for i, p in zip(us["instrument"], us["provision"], strict=True)
            ],
            "outcome": us["outcome"],
            "outcome_ref": us["outcome_ref"],
            "amount_usd_m": us["amount_usd"].map(_m),
            "status": us["status"].fillna(""),
        }
    )


def precedents(scen: exposure.Scenario, eur_per_usd: float, top: int = 10) -> pd.DataFrame:
    """The largest GDPR fines and the Zoom actions with money or an order, in EUR, largest first."""
    fines = load_reference("gdpr_fines").dropna(subset=["amount_eur"])
    fines = fines.sort_values(["amount_eur", "date"], ascending=[False, True]).head(top)
    rows = [
        {
            "label": f"{clip_text(r.case_or_action, 60)} ({r.date:%Y}, {r.jurisdiction})",
            "kind": "GDPR fine (not Zoom)",
            "amount_eur_m": _m(r.amount_eur),
            "amount_usd_m": None,
            "ref": r.id,
            "colour": COLOURS["precedent"],
        }
        for r in fines.itertuples()
    ]
    enforcement = load_reference("enforcement")
    money = enforcement.dropna(subset=["amount_usd"]).sort_values("date").drop_duplicates("amount_usd")
    for r in money.itertuples():
        rows.append(
            {
                "label": f"Zoom: {r.action_type}, {clip_text(r.authority_or_court, 30)} ({r.date:%Y})",
                "kind": "Zoom, US settlement (not a fine)",
                "amount_eur_m": _m(r.amount_usd * eur_per_usd),
                "amount_usd_m": _m(r.amount_usd),
                "ref": r.id,
                "colour": COLOURS["zoom-real"],
            }
        )
    orders = enforcement[(enforcement["action_type"] == "consent_order") & (enforcement["status"] == "final")]
    for r in orders.itertuples():
        rows.append(
            {
                "label": f"Zoom: FTC final order ({r.date:%Y}, {r.jurisdiction})",
                "kind": "Zoom, FTC order (no money: not on the log chart)",
                "amount_eur_m": None,
                "amount_usd_m": None,
                "ref": r.id,
                "colour": COLOURS["zoom-real"],
            }
        )
    if scen.eu_estimate is not None:
        est = scen.eu_estimate
        rows.append(
            {
                "label": f"Zoom: this model, EU ({scen.fiscal_year}, {est.seriousness})",
                "kind": f"model range {_m(est.low):,.1f} - {_m(est.high):,.1f}",
                "amount_eur_m": _m(est.midpoint),
                "amount_usd_m": None,
                "ref": "model midpoint",
                "colour": COLOURS["zoom-model"],
            }
        )
    return pd.DataFrame(rows)


def load_authorities() -> pd.DataFrame:
    """data/reference/authorities.csv: the one-stop-shop facts, each sourced, unsourced or an inference."""
    path = data_dir() / "reference" / "authorities.csv"
    table = pd.read_csv(path, dtype="string", keep_default_na=False, encoding="utf-8")
    if list(table.columns) != AUTHORITY_COLUMNS:
        raise ValueError(f"{path} has columns {list(table.columns)}; expected {AUTHORITY_COLUMNS}")
    bad = sorted(set(table["status"]) - set(AUTHORITY_STATUS))
    if bad:
        raise ValueError(f"{path}: status must be one of {AUTHORITY_STATUS}, found {bad}")
    missing = table[(table["status"] == "sourced") & (table["source_url"] == "")]
    if not missing.empty:
        raise ValueError(f"{path}: sourced row(s) without a source_url: {list(missing['id'])}")
    return table


# --- figures -------------------------------------------------------------------------------------------


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        template=TEMPLATE,
        title={"text": html.escape(title), "x": 0.01},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        font={"family": "Arial, sans-serif", "size": 12},
        hoverlabel={"align": "left"},
    )
    return fig


TIER_CODE = {"": 0, "US": 1, "EU-other": 2, "83(4)": 3, "83(5)": 4}


def heatmap_figure(matrix: pd.DataFrame) -> go.Figure:
    """Practice x provision; colour = penalty regime; hover = rationale and real outcome (escaped)."""
    labels = [provision_label(i, p) for i, p in zip(matrix["instrument"], matrix["provision"], strict=True)]
    cells = matrix.assign(label=labels, tier=matrix.apply(_tier, axis=1) if len(matrix) else [])
    columns = list(dict.fromkeys(labels))
    rows = list(dict.fromkeys(matrix["practice_id"]))
    z = [[0] * len(columns) for _ in rows]
    hover = [["" for _ in columns] for _ in rows]
    for cell in cells.itertuples():
        i, j = rows.index(cell.practice_id), columns.index(cell.label)
        z[i][j] = TIER_CODE[cell.tier]
        hover[i][j] = (
            f"<b>{html.escape(_short(cell.practice_id))} x {html.escape(cell.label)}</b><br>"
            f"{html.escape(cell.provision)} ({html.escape(cell.tier)})<br>"
            f"<i>Why:</i> {_wrap(cell.rationale)}<br><i>Outcome:</i> {_wrap(cell.outcome)}"
        )
    palette = ["#ffffff", COLOURS["US"], COLOURS["EU-other"], COLOURS["83(4)"], COLOURS["83(5)"]]
    scale = []
    for k, colour in enumerate(palette):
        scale += [[k / len(palette), colour], [(k + 1) / len(palette), colour]]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=columns,
            y=[_short(r) for r in rows],
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=scale,
            zmin=-0.5,
            zmax=len(palette) - 0.5,
            xgap=2,
            ygap=2,
            colorbar={
                "tickvals": list(range(len(palette))),
                "ticktext": ["not engaged", "US law", "EU, no GDPR fine tier", "GDPR 83(4)", "GDPR 83(5)"],
                "title": {"text": "penalty regime"},
            },
        )
    )
    fig.update_xaxes(tickangle=-45, side="bottom")
    fig.update_yaxes(autorange="reversed")
    return _layout(
        fig, "Which provisions each practice engages (hover for the reasoning and the outcome)", 520
    )


def waterfall_figure(estimate: exposure.FineEstimate) -> go.Figure:
    """The EDPB steps from the legal maximum to the estimate, for the low and the high end of the range."""
    steps = estimate.steps
    names = [
        "Legal maximum",
        "Seriousness",
        "Size of undertaking",
        "Aggravating / mitigating",
        "Cap at maximum",
    ]
    fig = go.Figure()
    for end, colour in (("low", "#ef8a62"), ("high", "#b2182b")):
        values = [getattr(s, end) / 1e6 for s in steps[:5]]
        deltas = [values[0]] + [b - a for a, b in itertools.pairwise(values)]
        fig.add_trace(
            go.Waterfall(
                name=f"{end} end of the range",
                x=[*names, "Estimate (EDPB step 5 not modelled)"],
                y=[*deltas, 0],
                measure=["absolute", "relative", "relative", "relative", "relative", "total"],
                text=[f"{v:,.1f}" for v in values] + [f"{getattr(steps[-1], end) / 1e6:,.1f}"],
                textposition="outside",
                increasing={"marker": {"color": colour}},
                decreasing={"marker": {"color": "#d9d9d9"}},
                totals={"marker": {"color": colour}},
                connector={"line": {"color": "#969696"}},
                hovertemplate="%{x}: %{text} EUR m<extra>" + end + "</extra>",
            )
        )
    fig.update_layout(waterfallgroupgap=0.15, yaxis_title="EUR millions")
    title = f"EDPB fine steps for Zoom: Art. {estimate.article}, {estimate.seriousness} seriousness"
    return _layout(fig, title, 480)


def tornado_figure(table: pd.DataFrame) -> go.Figure:
    """How far the midpoint of the EU estimate moves when one assumption goes to its low or high value."""
    table = table.iloc[::-1]  # largest swing on top
    base = float(table["base_midpoint"].iloc[0]) / 1e6
    labels = [html.escape(str(p)) for p in table["parameter"]]
    fig = go.Figure()
    for end, colour in (("low", "#92c5de"), ("high", "#b2182b")):
        values = table[f"midpoint_at_{end}"] / 1e6
        fig.add_trace(
            go.Bar(
                name=f"at the {end} value",
                y=labels,
                x=values - base,
                base=base,
                orientation="h",
                marker_color=colour,
                text=[
                    f"{html.escape(str(v))}: {m:,.1f}"
                    for v, m in zip(table[f"{end}_value"], values, strict=True)
                ],
                textposition="auto",
                insidetextanchor="middle",
                hovertemplate="%{y}: %{text} EUR m<extra></extra>",
            )
        )
    fig.add_vline(x=base, line_dash="dot", line_color="#404040")
    ends = [*(table["midpoint_at_low"] / 1e6), *(table["midpoint_at_high"] / 1e6), base]
    fig.update_xaxes(range=[0, max(ends) * 1.1])
    fig.update_yaxes(automargin=True)
    fig.update_layout(barmode="overlay", xaxis_title="midpoint of the EU estimate, EUR millions")
    return _layout(fig, f"What moves the estimate most (base midpoint {base:,.1f} EUR m)", 420)


def precedents_figure(prec: pd.DataFrame, estimate: exposure.FineEstimate | None) -> go.Figure:
    """Largest GDPR fines and Zoom's real outcomes on a log scale, with the model's range for Zoom."""
    shown = prec.dropna(subset=["amount_eur_m"])
    shown = shown[shown["ref"] != "model midpoint"].sort_values("amount_eur_m")
    fig = go.Figure(
        go.Scatter(
            x=shown["amount_eur_m"],
            y=[html.escape(label) for label in shown["label"]],
            mode="markers+text",
            marker={"color": list(shown["colour"]), "size": 14, "line": {"color": "#404040", "width": 1}},
            text=[f"{v:,.1f}" for v in shown["amount_eur_m"]],
            textposition="middle right",
            customdata=[html.escape(k) for k in shown["kind"]],
            hovertemplate="%{y}<br>%{customdata}<br>EUR %{x:,.1f} m<extra></extra>",
            name="on record",
        )
    )
    values = list(shown["amount_eur_m"])
    if estimate is not None:
        low, high = estimate.low / 1e6, estimate.high / 1e6
        label = "Zoom: this model's EU range"
        fig.add_trace(
            go.Scatter(
                x=[max(low, 0.01), high],
                y=[label, label],
                mode="lines+markers",
                line={"color": COLOURS["zoom-model"], "width": 12},
                marker={"size": 14, "symbol": "line-ns-open", "color": COLOURS["zoom-model"]},
                name="model range",
                hovertemplate="model: EUR %{x:,.1f} m<extra></extra>",
            )
        )
        fig.add_vrect(x0=max(low, 0.01), x1=high, fillcolor=COLOURS["zoom-model"], opacity=0.08, line_width=0)
        values += [max(low, 0.01), high]
    values = [v for v in values if v > 0]  # a log axis; a zero range has no place on it
    if values:
        span = (math.log10(min(values)) - 0.3, math.log10(max(values)) + 0.3)
        fig.update_xaxes(range=list(span))
    fig.update_xaxes(type="log", title="EUR millions (log scale; USD converted at this run's rate)")
    fig.update_layout(showlegend=False)
    return _layout(fig, "GDPR precedents, Zoom's real outcomes and the modelled range", 560)


# --- findings ------------------------------------------------------------------------------------------


def _evidenced(report: ExposureReport) -> str:
    """How many of the chosen practices the corpus evidences, and where: a practice chosen by name may
    have no sentence, and the findings must not count it as evidenced."""
    ev = report.evidence[report.evidence["practice_id"].isin(report.practice_ids)]
    counts = ev.groupby("practice_id").size().sort_values(ascending=False, kind="stable")
    chosen = len(report.practice_ids)
    if counts.empty:
        return f"The corpus evidences none of the {counted(chosen, 'chosen practice')}."
    of = "" if len(counts) == chosen else f" of the {chosen} chosen"
    return (
        f"The corpus evidences **{counted(len(counts), 'practice')}**{of} in "
        f"**{counted(len(ev), 'sentence')}** across {counted(ev['doc_id'].nunique(), 'document')}; "
        "most evidenced: "
        + ", ".join(f"{md_text(_short(pid))} ({n})" for pid, n in counts.head(3).items())
        + "."
    )


def exposure_findings(report: ExposureReport) -> str:
    """The notebook's findings as Markdown, every number computed from the report. Text from the tables
    (ids, labels) goes through ``md_text``: Markdown passes HTML through, and a user edits those tables."""
    p = report.params
    provisions = counted(report.matrix["provision_id"].nunique(), "provision")
    lines = [
        f"- {_evidenced(report)} The {'EU and US' if p['jurisdiction'] == 'both' else p['jurisdiction']} "
        f"view maps the chosen practices to **{provisions}** in {counted(len(report.matrix), 'pair')}.",
    ]
    if report.has_eu:
        est = report.scenario.eu_estimate
        lines.append(
            "- EU (hypothetical: no EU authority has fined Zoom): as one unity of action, the gravest "
            f"tier is **Art. {md_text(est.article)}** and the seriousness used is **{est.seriousness}**. "
            f"With Zoom's {report.scenario.fiscal_year} revenue at {p['eur_per_usd']} EUR/USD (turnover EUR "
            f"{_m(est.turnover_eur):,.1f} m) the legal maximum is **EUR {_m(est.legal_maximum):,.1f} m** "
            f"and the EDPB method gives **EUR {_m(est.low):,.1f} m to {_m(est.high):,.1f} m**"
            + ("" if est.band_verified else " (using an unverified size band)")
            + "."
        )
        if report.sensitivity is not None and len(report.sensitivity):
            top = report.sensitivity.iloc[0]
            lines.append(
                f"- The assumption that moves the midpoint most is **{md_text(top['parameter'])}** "
                f"({md_text(top['low_value'])} → {md_text(top['high_value'])}: EUR "
                f"{_m(top['midpoint_at_low']):,.1f} m to "
                f"{_m(top['midpoint_at_high']):,.1f} m, a swing of EUR {_m(top['swing']):,.1f} m)."
            )
        fines = report.precedents[report.precedents["kind"] == "GDPR fine (not Zoom)"]
        if len(fines):
            below = int((fines["amount_eur_m"] > _m(est.high)).sum())
            lines.append(
                f"- Of the {len(fines)} largest GDPR fines on record here, **{below}** exceed the top of the "
                f"modelled range; the largest is {md_text(fines.iloc[0]['label'])} at EUR "
                f"{fines.iloc[0]['amount_eur_m']:,.1f} m."
            )
    else:
        lines.append(f"- EU fine model: skipped, because {report._no_eu()}.")
    if report.has_us:
        us = report.scenario.us_outcomes
        money = us.dropna(subset=["amount_usd"]).drop_duplicates("outcome_ref")
        lines.append(
            f"- US: no fine formula. Of {len(us)} practice x provision pairs, "
            f"{int((us['outcome_ref'] != '').sum())} have an outcome on record; the money on record is "
            + (
                ", ".join(
                    f"USD {_m(a):,.1f} m ({md_text(ref)})"
                    for a, ref in zip(money["amount_usd"], money["outcome_ref"], strict=True)
                )
                if len(money)
                else "none"
            )
            + ", a civil settlement without admission; the FTC order carried no money."
        )
    if p["jurisdiction"] != "US":
        auth = report.authorities["status"].value_counts()
        lines.append(
            f"- Who would act: {auth.get('sourced', 0)} sourced facts, {auth.get('unsourced', 0)} unsourced "
            "claims (including the corpus's Dutch office and lead-authority statements) and "
            f"{auth.get('inference', 0)} inference: no sourced main establishment in the EU, so no lead "
            "authority can be named."
        )
    return "\n".join(lines)
