"""zoomcase.charts: rebasing, trace layout, HTML-escaped hover text and byte-stable JSON."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zoomcase.charts import claim_dating_figure, event_study_figure, price_figure, rebased, usage_figure
from zoomcase.eventstudy import event_study

DAYS = pd.bdate_range("2020-10-01", "2020-11-30")


def prices() -> pd.DataFrame:
    step = np.arange(len(DAYS), dtype=float)
    return pd.DataFrame({"ZM": 500 - 2 * step, "IXIC": 11000 + 10 * step}, index=DAYS)


EVENTS = pd.DataFrame(
    {
        "id": ["ev-ftc", "ev-drop", "ev-old"],
        "date": pd.to_datetime(["2020-11-09", "2020-11-09", "2019-07-08"]),
        "date_precision": ["day", "day", "day"],
        "category": ["regulatory", "market", "security"],
        "title": ["FTC announces a proposed settlement with Zoom", "ZM falls <b>17.4%</b>", "old"],
        "source_url": ["https://www.ftc.gov/news?a=1&b=2", None, "https://example.org"],
    }
)
CLAIMS = pd.DataFrame(
    {
        "as_of": pd.to_datetime(["2020-10-15", "2020-11-10"]),
        "verdict": ["supported", "misleading"],
        "quote": ["Zoom has 300 million users", "<script>alert(1)</script> end-to-end"],
        "gloss_en": [None, 'Zoom said "E2E" & meant TLS'],
        "y": [95.0, 80.0],
    }
)


def build() -> str:
    return price_figure(rebased(prices(), "2020-10-03"), EVENTS, CLAIMS, title="ZM").to_json()


def test_rebased_divides_by_the_last_session_on_or_before() -> None:
    frame = prices()
    out = rebased(frame, "2020-10-03")  # a Saturday: the base is Friday 2 October
    assert out.loc["2020-10-02"].tolist() == [100.0, 100.0]
    assert out.loc["2020-10-05", "ZM"] == pytest.approx(100 * 496 / 498)
    assert out.loc["2020-10-01", "IXIC"] == pytest.approx(100 * 11000 / 11010)
    assert out.attrs["on"] == pd.Timestamp("2020-10-03")


def test_rebased_uses_a_column_s_last_value_when_it_has_a_gap() -> None:
    frame = prices()
    frame.loc["2020-10-02", "IXIC"] = np.nan
    assert rebased(frame, "2020-10-02").loc["2020-10-01", "IXIC"] == 100.0


def test_rebased_before_the_data_names_on() -> None:
    with pytest.raises(ValueError, match=r"on=2020-09-01: before the data, which start 2020-10-01"):
        rebased(prices(), "2020-09-01")
    frame = prices()
    frame.loc[:"2020-10-05", "IXIC"] = np.nan
    with pytest.raises(ValueError, match=r"on=2020-10-02: no value on or before it for IXIC"):
        rebased(frame, "2020-10-02")


def test_traces_present_and_named() -> None:
    fig = price_figure(rebased(prices(), "2020-10-01"), EVENTS, CLAIMS, log_y=True)
    assert [t.name for t in fig.data] == ["ZM", "IXIC", "regulatory", "market", "supported", "misleading"]
    assert fig.data[0].line.width > fig.data[1].line.width
    assert fig.data[2].yaxis == "y2" and fig.data[4].yaxis is None  # events on the strip, claims on prices
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.yaxis.title.text == "index, 100 = 2020-10-01"
    assert fig.data[4].marker.color == "#2ca02c" and fig.data[5].marker.color == "#ff7f0e"


def test_event_hover_shows_date_title_and_escaped_source() -> None:
    fig = price_figure(rebased(prices(), "2020-10-01"), EVENTS)
    regulatory, market = fig.data[2], fig.data[3]
    assert "2020-11-09" in regulatory.hovertext[0]
    assert "FTC announces a proposed settlement with Zoom" in regulatory.hovertext[0]
    assert "https://www.ftc.gov/news?a=1&amp;b=2" in regulatory.hovertext[0]
    assert "ZM falls &lt;b&gt;17.4%&lt;/b&gt;" in market.hovertext[0]
    assert all("old" not in text for t in fig.data[2:] for text in t.hovertext)  # outside the price range


def test_claim_quote_is_html_escaped_in_the_json() -> None:
    fig = price_figure(rebased(prices(), "2020-10-01"), EVENTS, CLAIMS)
    hover = fig.data[-1].hovertext[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; end-to-end" in hover
    assert "Zoom said &quot;E2E&quot; &amp; meant TLS" in hover
    js = fig.to_json()
    assert "&lt;script&gt;alert(1)&lt;" in js
    assert "<script" not in js and "\\u003cscript" not in js  # plotly writes a raw "<" as \u003c


def test_unknown_verdict_is_refused() -> None:
    claims = CLAIMS.assign(verdict=["supported", "partly true"])
    with pytest.raises(ValueError, match=r"claims: unknown verdict\(s\) \['partly true'\]"):
        price_figure(rebased(prices(), "2020-10-01"), EVENTS, claims)


def test_price_figure_json_is_identical_across_builds() -> None:
    assert build() == build()


def results() -> pd.DataFrame:
    """An event study on a synthetic pair where only the second event has a large shock."""
    days = pd.bdate_range("2021-01-04", periods=300)
    rm = np.random.default_rng(3).normal(0, 0.01, len(days) - 1)
    rs = 0.5 * rm + 0.002 * (-1.0) ** np.arange(len(rm))
    rs[250] += 0.08
    market = pd.Series(100 * np.cumprod(np.r_[1, 1 + rm]), days)
    stock = pd.Series(100 * np.cumprod(np.r_[1, 1 + rs]), days, name="ZM")
    events = pd.DataFrame({"id": ["calm", "<shock>"], "date": days[[201, 251]], "title": ["a", "b & c"]})
    return event_study(stock, market, events)


def test_event_study_figure_bars_error_bars_and_significance() -> None:
    res = results()
    fig = event_study_figure(res)
    assert [t.name for t in fig.data] == ["CAR [-1, +1]", "CAR [+0, +5]"]
    assert list(fig.data[0].x) == ["calm", "&lt;shock&gt;"]
    assert list(fig.data[1].y) == pytest.approx(res["car_0_p5"].tolist())
    assert list(fig.data[0].error_y.array) == pytest.approx((1.959964 * res["sigma"] * 3**0.5).tolist())
    assert list(fig.data[1].text) == ["", "*"]
    assert list(fig.data[1].marker.opacity) == [0.35, 1.0]
    assert "b &amp; c" in fig.data[0].hovertext[1]
    assert event_study_figure(res).to_json() == fig.to_json()


def test_event_study_figure_needs_car_columns() -> None:
    with pytest.raises(ValueError, match=r"results: no car_\* columns"):
        event_study_figure(pd.DataFrame({"id": ["x"]}))


USAGE = pd.DataFrame(
    {
        "date": pd.to_datetime(["2019-12-01", "2019-12-01", "2020-02-26"]),
        "series": [
            "Zoom: daily meeting participants (joins)",
            "corpus: claims about 'users'",
            "third party: users (estimates)",
        ],
        "id": ["um-10m", "001-c02", "um-mau"],
        "value": [10e6, 10e6, 12.92e6],
        "counts": ["meeting_participants", "users (as written)", "users"],
        "who": ["Zoom", "corpus", "third party"],
        "verdict": [pd.NA, "misleading", pd.NA],
        "as_stated": ["10 million daily meeting participants", "<b>10 miljoen</b> gebruikers", "12.92M MAU"],
        "note": ["every join counts", "10 million users & more", pd.NA],
    }
)
BUSINESS = pd.DataFrame(
    {
        "period": ["FY2021 Q1", "FY2021 Q2"],
        "period_end": pd.to_datetime(["2020-04-30", "2020-07-31"]),
        "revenue_usd_m": [328.2, 663.5],
        "customers_over_10_employees": pd.array([265400, 370200], dtype="Int64"),
    }
)


def test_usage_figure_log_axis_claims_by_verdict_and_escaped_hover() -> None:
    fig = usage_figure(USAGE, BUSINESS)
    names = [t.name for t in fig.data]
    assert names == [
        "Zoom: daily meeting participants (joins)",
        "third party: users (estimates)",
        "corpus claim: misleading",
        "revenue per quarter (USD m)",
        "customers &gt; 10 employees",
    ] or names[:3] == [
        "Zoom: daily meeting participants (joins)",
        "third party: users (estimates)",
        "corpus claim: misleading",
    ]
    assert fig.layout.yaxis.type == "log"
    claim = fig.data[2]
    assert claim.marker.color == "#ff7f0e"
    assert "&lt;b&gt;10 miljoen&lt;/b&gt; gebruikers" in claim.hovertext[0]
    assert "10 million users &amp; more" in claim.hovertext[0]
    assert list(fig.data[3].y) == [328.2, 663.5]
    assert usage_figure(USAGE, BUSINESS).to_json() == fig.to_json()
    assert len(usage_figure(USAGE).data) == 3  # without business data, one panel


def test_usage_figure_needs_its_columns() -> None:
    with pytest.raises(ValueError, match=r"usage: missing column\(s\) verdict"):
        usage_figure(USAGE.drop(columns="verdict"))


def dating() -> tuple[pd.DataFrame, pd.DataFrame]:
    days = pd.bdate_range("2020-01-02", periods=6)
    series = pd.DataFrame(
        {
            "claim_id": "000-c01",
            "date": days,
            "value": [1.0, 1.5, 1.9, 2.1, 2.5, 3.0],
            "low": 1.8,
            "high": 2.2,
            "inside": [False, False, True, True, False, False],
        }
    )
    summary = pd.DataFrame(
        {
            "claim_id": ["000-c01"],
            "measure": ["close as a multiple of the 2019-12-31 close"],
            "page_date": pd.to_datetime(["2020-01-08"]),
            "quote": ["<i>verdubbeld</i>"],
            "gloss_en": ["doubled"],
            "verdict": ["contradicted"],
        }
    )
    return series, summary


def test_claim_dating_figure_band_true_sessions_and_page_date() -> None:
    series, summary = dating()
    fig = claim_dating_figure(series, summary)
    low, high, measured, held, page = fig.data
    assert list(low.y) == [1.8] * 6 and high.fill == "tonexty" and list(high.y) == [2.2] * 6
    assert list(measured.y) == series["value"].tolist()
    assert [str(x)[:10] for x in held.x] == ["2020-01-06", "2020-01-07"]
    assert str(page.x[0])[:10] == "2020-01-08" and page.line.dash == "dash"
    assert page.line.color == "#d62728"  # contradicted
    assert "&lt;i&gt;verdubbeld&lt;/i&gt;" in page.hovertext[0]
    assert claim_dating_figure(series, summary).to_json() == fig.to_json()


def test_claim_dating_figure_needs_claims() -> None:
    series, summary = dating()
    with pytest.raises(ValueError, match="summary: no dated price or market-cap claims"):
        claim_dating_figure(series, summary.iloc[0:0])
