"""Plotly figures for the notebooks: rebased prices with events and claims, and event-study CARs.

Figures only, no data loading: the caller passes the tables, so a chart cannot show different data
from the table printed beside it. Plotly renders hover text, legend names and tick labels as HTML,
so every corpus or reference string is passed through ``html.escape`` (a quote reading ``<script>``
must show as written, not run). The template, colours and trace order are fixed and no random ids
are used, so a figure serialises to the same JSON on every run and notebook outputs stay stable.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from statistics import NormalDist

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

TEMPLATE = "plotly_white"
STOCK_COLOUR = "#1f3a93"
LINE_COLOURS = ("#7f7f7f", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")
VERDICT_COLOURS = {
    "supported": "#2ca02c",
    "contradicted": "#d62728",
    "misleading": "#ff7f0e",
    "unverifiable": "#7f7f7f",
}
CATEGORY_COLOURS = {
    "privacy": "#d62728",
    "security": "#9467bd",
    "regulatory": "#1f77b4",
    "legal": "#8c564b",
    "corporate_response": "#2ca02c",
    "product": "#17becf",
    "market": "#7f7f7f",
}
OTHER_COLOUR = "#555555"
WINDOW_COLOURS = ("#1f3a93", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b")
WRAP = 80  # hover lines wider than this are wrapped so long quotes stay on screen


def _text(value) -> str:
    """A cell as escaped hover text; missing cells become an empty string."""
    return "" if pd.isna(value) else html.escape(str(value))


def _wrapped(value) -> str:
    """Wrap first, then escape each line, so an entity such as ``&amp;`` is never split."""
    if pd.isna(value):
        return ""
    return "<br>".join(html.escape(line) for line in textwrap.wrap(str(value), WRAP))


def rebased(frame: pd.DataFrame, on) -> pd.DataFrame:
    """Each column ×100 / its last value on or before ``on``, so lines start level at 100.

    A column missing on that session (a close-only file with other holidays) uses its last earlier
    value. The base date is kept in ``attrs["on"]`` for axis titles.
    """
    when = pd.Timestamp(on)
    if frame.empty:
        raise ValueError("frame: no prices to rebase")
    if when < frame.index[0]:
        raise ValueError(f"on={when:%Y-%m-%d}: before the data, which start {frame.index[0]:%Y-%m-%d}")
    base = frame.loc[:when].ffill().iloc[-1]
    if base.isna().any():
        missing = ", ".join(map(str, base.index[base.isna()]))
        raise ValueError(f"on={when:%Y-%m-%d}: no value on or before it for {missing}")
    out = frame / base * 100
    out.attrs["on"] = when
    return out


def _event_hover(events: pd.DataFrame) -> list[str]:
    precision = events.get("date_precision", pd.Series("day", index=events.index)).fillna("day")
    urls = events.get("source_url", pd.Series(pd.NA, index=events.index, dtype=object))
    hover = []
    for when, p, title, url in zip(events["date"], precision, events["title"], urls, strict=True):
        day = f"{when:%Y-%m} (month)" if p == "month" else f"{when:%Y-%m-%d}"
        hover.append(f"<b>{day}</b><br>{_wrapped(title)}<br><i>{_text(url)}</i>")
    return hover


def _claim_hover(claims: pd.DataFrame) -> list[str]:
    """A point's hover: its claim, and how many more it stands for when ``claims`` has a ``count``."""
    counts = claims["count"] if "count" in claims else [1] * len(claims)
    return [
        f"<b>{when:%Y-%m-%d}</b> · {_text(verdict)}<br>“{_wrapped(quote)}”"
        + (f"<br><i>{_wrapped(gloss)}</i>" if not pd.isna(gloss) else "")
        + (f"<br>and {n - 1:,} more {_text(verdict)} claim(s) on this day" if n > 1 else "")
        for when, verdict, quote, gloss, n in zip(
            claims["as_of"], claims["verdict"], claims["quote"], claims["gloss_en"], counts, strict=True
        )
    ]


def price_figure(
    rebased: pd.DataFrame,
    events: pd.DataFrame,
    claims: pd.DataFrame | None = None,
    log_y: bool = False,
    title: str = "",
) -> go.Figure:
    """Rebased lines (first column = the stock, thicker) over a strip of events, one row per category.

    ``events`` needs date and title (category, date_precision and source_url are used when present);
    only events inside the price range are drawn. ``claims`` (as_of, verdict, quote, gloss_en, y) are
    drawn on the price axis at ``y``, coloured by verdict (a ``count`` column: how many claims a point
    stands for). Hovering shows the date, title and source of each event and the quote and gloss of each
    claim, HTML-escaped.
    """
    if rebased.empty:
        raise ValueError("rebased: no prices to draw")
    missing = [c for c in ("date", "title") if c not in events.columns]
    if missing:
        raise ValueError(f"events: missing column(s) {', '.join(missing)}")
    fig = go.Figure()
    for i, column in enumerate(rebased.columns):
        name = html.escape(str(column))
        fig.add_trace(
            go.Scatter(
                x=rebased.index,
                y=rebased[column],
                name=name,
                mode="lines",
                line={
                    "width": 3 if i == 0 else 1.3,
                    "color": STOCK_COLOUR if i == 0 else LINE_COLOURS[(i - 1) % len(LINE_COLOURS)],
                },
                hovertemplate=f"{name} %{{x|%Y-%m-%d}}: %{{y:.1f}}<extra></extra>",
            )
        )
    shown = events[events["date"].between(rebased.index[0], rebased.index[-1])].sort_values(
        "date", kind="stable"
    )
    category = shown["category"].fillna("other") if "category" in shown else pd.Series("event", shown.index)
    order = [c for c in CATEGORY_COLOURS if c in set(category)] + sorted(
        set(category) - set(CATEGORY_COLOURS)
    )
    for name in order:
        part = shown[category == name]
        fig.add_trace(
            go.Scatter(
                x=part["date"],
                y=[html.escape(name)] * len(part),
                yaxis="y2",
                mode="markers",
                name=html.escape(name),
                legendgroup="events",
                legendgrouptitle_text="events",
                marker={
                    "symbol": "line-ns-open",
                    "size": 14,
                    "line": {"width": 2},
                    "color": CATEGORY_COLOURS.get(name, OTHER_COLOUR),
                },
                hovertext=_event_hover(part),
                hoverinfo="text",
            )
        )
    if claims is not None:
        missing = [c for c in ("as_of", "verdict", "quote", "gloss_en", "y") if c not in claims.columns]
        if missing:
            raise ValueError(f"claims: missing column(s) {', '.join(missing)}")
        unknown = sorted(set(claims["verdict"].astype(str)) - set(VERDICT_COLOURS))
        if unknown:
            raise ValueError(f"claims: unknown verdict(s) {unknown}; expected one of {list(VERDICT_COLOURS)}")
        for verdict, colour in VERDICT_COLOURS.items():
            part = claims[claims["verdict"] == verdict]
            if part.empty:
                continue
            fig.add_trace(
                go.Scatter(
                    x=part["as_of"],
                    y=part["y"],
                    mode="markers",
                    name=verdict,
                    legendgroup="claims",
                    legendgrouptitle_text="claims",
                    marker={
                        "symbol": "diamond",
                        "size": 10,
                        "color": colour,
                        "line": {"width": 1, "color": "white"},
                    },
                    hovertext=_claim_hover(part),
                    hoverinfo="text",
                )
            )
    on = rebased.attrs.get("on")
    fig.update_layout(
        template=TEMPLATE,
        title=title,
        hovermode="closest",
        xaxis={"showspikes": True, "spikemode": "across", "spikethickness": 1},
        yaxis={
            "domain": [0, 0.72],
            "type": "log" if log_y else "linear",
            "title": f"index, 100 = {on:%Y-%m-%d}" if on is not None else "rebased price",
        },
        yaxis2={
            "domain": [0.76, 1],
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [html.escape(n) for n in order],
        },
        legend={"groupclick": "toggleitem"},
    )
    return fig


def _window(stem: str) -> tuple[int, int]:
    """Inverse of ``eventstudy.window_name``: ``m1_p1`` -> (-1, 1)."""
    days = [0 if t == "0" else (-1 if t[0] == "m" else 1) * int(t[1:]) for t in stem.split("_")]
    return days[0], days[1]


def event_study_figure(results: pd.DataFrame) -> go.Figure:
    """Grouped bars of CAR per event and window, error bars ±z·sigma·sqrt(L), significant bars solid.

    z is the two-sided normal critical value at ``results.attrs["alpha"]`` (1.96 at the default 0.05),
    the same test as ``event_study``'s t columns; a bar whose band excludes zero is solid and starred,
    others are faded.
    """
    stems = [
        m.group(1) for c in results.columns if (m := re.fullmatch(r"car_((?:0|[mp]\d+)_(?:0|[mp]\d+))", c))
    ]
    if not stems:
        raise ValueError("results: no car_* columns; pass the output of eventstudy.event_study")
    z = NormalDist().inv_cdf(1 - results.attrs.get("alpha", 0.05) / 2)
    labels = [html.escape(str(i)) for i in results["id"]]
    fig = go.Figure()
    for k, stem in enumerate(stems):
        start, end = _window(stem)
        car, t = results[f"car_{stem}"], results[f"t_car_{stem}"]
        band = z * results["sigma"] * math.sqrt(end - start + 1)
        significant = t.abs() > z
        fig.add_trace(
            go.Bar(
                x=labels,
                y=car,
                name=f"CAR [{start:+d}, {end:+d}]",
                marker={
                    "color": WINDOW_COLOURS[k % len(WINDOW_COLOURS)],
                    "opacity": [1.0 if s else 0.35 for s in significant],
                },
                error_y={"type": "data", "array": band.tolist(), "visible": True, "thickness": 1},
                text=["*" if s else "" for s in significant],
                textposition="outside",
                hovertext=[
                    f"<b>{label}</b><br>{_wrapped(title)}<br>day 0 {day0:%Y-%m-%d}<br>"
                    f"CAR [{start:+d}, {end:+d}] = {c:.1%} ± {b:.1%}, t = {tv:.2f}"
                    for label, title, day0, c, b, tv in zip(
                        labels, results["title"], results["day0"], car, band, t, strict=True
                    )
                ],
                hoverinfo="text",
            )
        )
    fig.update_layout(
        template=TEMPLATE,
        barmode="group",
        yaxis={"title": "cumulative abnormal return", "tickformat": ".0%"},
        xaxis={"tickangle": -45},
        title=f"{html.escape(str(results.attrs.get('stock', 'stock')))} against "
        f"{html.escape(str(results.attrs.get('market', 'market')))}: CARs, * = significant at "
        f"{results.attrs.get('alpha', 0.05):g}",
    )
    return fig


USAGE_COLOURS = {
    "Zoom: daily meeting participants (joins)": "#1f3a93",
    "third party: users (estimates)": "#17becf",
}


def usage_figure(usage: pd.DataFrame, business: pd.DataFrame | None = None, title: str = "") -> go.Figure:
    """Usage statements on a log axis (top), and customers and quarterly revenue (bottom) when given.

    ``usage`` (from ``growth.usage_table``) needs date, series, id, value, counts, who, verdict, as_stated,
    note. Zoom's participant counts and third parties' user estimates are lines of markers in their own
    colours; corpus claims are diamonds coloured by verdict, so a "users" claim sitting on the participants
    line shows the mix-up. ``business`` (period, period_end, revenue_usd_m, customers_over_10_employees)
    adds a panel with revenue bars and customers on a second axis.
    """
    missing = [c for c in ("date", "series", "id", "value", "who", "verdict", "as_stated") if c not in usage]
    if missing:
        raise ValueError(f"usage: missing column(s) {', '.join(missing)}")
    rows = 2 if business is not None and not business.empty else 1
    fig = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        row_heights=[0.62, 0.38][:rows],
        specs=[[{}]] + ([[{"secondary_y": True}]] if rows == 2 else []),
        subplot_titles=["usage statements and claims (log scale)"]
        + (["customers with more than 10 employees and quarterly revenue"] if rows == 2 else []),
    )

    def hover(part: pd.DataFrame) -> list[str]:
        return [
            f"<b>{when:%Y-%m-%d}</b> · {_text(i)}<br>{value / 1e6:,.2f} million · {_text(counts)}"
            + (f" · {_text(verdict)}" if not pd.isna(verdict) else "")
            + f"<br>“{_wrapped(stated)}”"
            + (f"<br><i>{_wrapped(note)}</i>" if not pd.isna(note) else "")
            for when, i, value, counts, verdict, stated, note in zip(
                part["date"], part["id"], part["value"], part["counts"], part["verdict"], part["as_stated"],
                part["note"], strict=True,
            )
        ]  # fmt: skip

    for name, colour in USAGE_COLOURS.items():
        part = usage[usage["series"] == name].sort_values("date", kind="stable")
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["date"],
                y=part["value"],
                name=html.escape(name),
                # Zoom's points are one series; third-party estimates measure different things: no line
                mode="lines+markers" if name.startswith("Zoom") else "markers",
                line={"color": colour, "width": 1.5},
                marker={"size": 9, "color": colour},
                hovertext=hover(part),
                hoverinfo="text",
            ),
            row=1,
            col=1,
        )
    claims = usage[usage["who"] == "corpus"]
    for verdict, colour in VERDICT_COLOURS.items():
        part = claims[claims["verdict"] == verdict]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["date"],
                y=part["value"],
                name=f"corpus claim: {verdict}",
                mode="markers",
                marker={"symbol": "diamond-open", "size": 16, "color": colour, "line": {"width": 2.5}},
                hovertext=hover(part),
                hoverinfo="text",
            ),
            row=1,
            col=1,
        )
    fig.update_yaxes(type="log", title_text="count (log)", row=1, col=1)
    if rows == 2:
        fig.add_trace(
            go.Bar(
                x=business["period_end"],
                y=business["revenue_usd_m"],
                name="revenue per quarter (USD m)",
                marker={"color": "#c7c7c7"},
                customdata=[html.escape(str(p)) for p in business["period"]],
                hovertemplate="%{customdata} (to %{x|%Y-%m-%d}): $%{y:,.1f}m<extra></extra>",
            ),
            row=2,
            col=1,
        )
        cust = business.dropna(subset=["customers_over_10_employees"])
        fig.add_trace(
            go.Scatter(
                x=cust["period_end"],
                y=cust["customers_over_10_employees"].astype(float),
                name="customers > 10 employees",
                mode="lines+markers",
                line={"color": "#2ca02c"},
                hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f} customers<extra></extra>",
            ),
            row=2,
            col=1,
            secondary_y=True,
        )
        fig.update_yaxes(title_text="revenue, USD m", row=2, col=1, secondary_y=False)
        fig.update_yaxes(
            title_text="customers", row=2, col=1, secondary_y=True, showgrid=False, rangemode="tozero"
        )
    fig.update_layout(template=TEMPLATE, title=title, hovermode="closest", height=420 + 260 * (rows - 1))
    return fig


def claim_dating_figure(series: pd.DataFrame, summary: pd.DataFrame, title: str = "") -> go.Figure:
    """One panel per claim: the measured value per session, the band the claim implies, the sessions
    inside it, and the stated page date as a vertical line.

    ``series`` (claim_id, date, value, low, high, inside) and ``summary`` (claim_id, measure, page_date,
    quote, gloss_en, verdict) come from ``growth.claim_dating``.
    """
    if summary.empty:
        raise ValueError("summary: no dated price or market-cap claims to draw")
    ids = list(summary["claim_id"])
    fig = make_subplots(
        rows=len(ids),
        cols=1,
        vertical_spacing=0.12,
        subplot_titles=[
            f"{html.escape(str(i))}: {html.escape(str(m))}"
            for i, m in zip(ids, summary["measure"], strict=True)
        ],
    )
    for k, claim in enumerate(summary.itertuples(), start=1):
        part = series[series["claim_id"] == claim.claim_id]
        quote = f"“{_wrapped(claim.quote)}”" + (
            f"<br><i>{_wrapped(claim.gloss_en)}</i>" if not pd.isna(claim.gloss_en) else ""
        )
        high = part["high"].where(part["high"] != math.inf, part["value"].max())
        fig.add_trace(
            go.Scatter(x=part["date"], y=part["low"], mode="lines", line={"width": 0}, showlegend=False,
                       hoverinfo="skip", legendgroup="band"),
            row=k, col=1,
        )  # fmt: skip
        fig.add_trace(
            go.Scatter(
                x=part["date"],
                y=high,
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor="rgba(44,160,44,0.18)",
                name="band the claim implies",
                legendgroup="band",
                showlegend=k == 1,
                hovertext=[
                    f"band {lo:,.2f} to {hi:,.2f}<br>{quote}"
                    for lo, hi in zip(part["low"], part["high"], strict=True)
                ],
                hoverinfo="text",
            ),
            row=k,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=part["date"],
                y=part["value"],
                mode="lines",
                name="measured",
                legendgroup="value",
                showlegend=k == 1,
                line={"color": STOCK_COLOUR, "width": 1.5},
                hovertemplate="%{x|%Y-%m-%d}: %{y:,.2f}<extra></extra>",
            ),
            row=k,
            col=1,
        )
        held = part[part["inside"]]
        fig.add_trace(
            go.Scatter(
                x=held["date"],
                y=held["value"],
                mode="markers",
                name="claim true",
                legendgroup="held",
                showlegend=k == 1,
                marker={"color": VERDICT_COLOURS["supported"], "size": 5},
                hovertemplate="true on %{x|%Y-%m-%d}: %{y:,.2f}<extra></extra>",
            ),
            row=k,
            col=1,
        )
        if not pd.isna(claim.page_date):
            top = float(max(part["value"].max(), part["low"].max()))
            fig.add_trace(
                go.Scatter(
                    x=[claim.page_date, claim.page_date],
                    y=[0, top],
                    mode="lines",
                    name="stated page date",
                    legendgroup="page",
                    showlegend=k == 1,
                    line={
                        "color": VERDICT_COLOURS.get(claim.verdict, OTHER_COLOUR),
                        "dash": "dash",
                        "width": 2,
                    },
                    hovertext=[
                        f"<b>page date {claim.page_date:%Y-%m-%d}</b> · {_text(claim.verdict)}<br>{quote}"
                    ]
                    * 2,
                    hoverinfo="text",
                ),
                row=k,
                col=1,
            )
    fig.update_layout(template=TEMPLATE, title=title, hovermode="closest", height=300 * len(ids) + 120)
    return fig
