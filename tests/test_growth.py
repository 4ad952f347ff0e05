"""zoomcase.growth: parameters, rebased panel and basket, usage, claim dating, event selection, findings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zoomcase import growth
from zoomcase.eventstudy import event_study

TICKERS = ["ZM", "IXIC", "GSPC", "QQQ", "SPY", "RNG", "CSCO", "MSFT", "DOCU", "TEAM", "IGV"]


def params(**overrides) -> growth.Params:
    return growth.validate_params(**({"tickers": TICKERS} | overrides))


# --- parameters ------------------------------------------------------------------------------------


def test_defaults_are_checked_and_typed() -> None:
    p = params(peers=["RNG", "CSCO"])
    assert (p.ticker, p.benchmark, p.peers) == ("ZM", "IXIC", ("RNG", "CSCO"))
    assert p.start == pd.Timestamp("2020-01-01") and p.rebase == pd.Timestamp("2019-12-31")
    assert p.windows == ((-1, 1), (0, 5)) and p.estimation == 120 and p.gap == 10
    assert "market" not in p.categories and p.log_y is False
    assert p.as_table().loc["windows", "value"] == "[-1, +1], [+0, +5]"


def test_papermill_strings_are_accepted_as_lists() -> None:
    p = params(
        peers="['IGV']", categories="privacy, legal", windows="[[0, 1]]", estimation="60", log_y="True"
    )
    assert p.peers == ("IGV",) and p.categories == ("privacy", "legal")
    assert p.windows == ((0, 1),) and p.estimation == 60 and p.log_y is True


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ticker": "XXX"}, "parameter ticker='XXX': unknown ticker; available: CSCO"),
        ({"benchmark": "RNG"}, "parameter benchmark='RNG': choose from IXIC, GSPC, QQQ, SPY"),
        ({"peers": ["RNG", "NOPE"]}, "parameter peers=['RNG', 'NOPE']: unknown ticker(s) ['NOPE']"),
        ({"peers": ["ZM"]}, "parameter peers=['ZM']: ZM is already the ticker or the benchmark"),
        # the default peers hold MSFT: the ticker alone clashes with them, and the message says what to give
        (
            {"ticker": "MSFT"},
            "MSFT is already the ticker or the benchmark (ticker='MSFT', benchmark='IXIC'); "
            "give peers without it, e.g. -p peers '[RNG, CSCO, DOCU, TEAM]'",
        ),
        (
            {"start": "2021-01-01", "end": "2020-01-01"},
            "parameter start=2021-01-01, end=2020-01-01: empty date",
        ),
        ({"start": "last year"}, "parameter start='last year': not a date"),
        ({"rebase": "2022-06-30"}, "parameter rebase=2022-06-30: after end=2021-12-31"),
        (
            {"categories": ["privacy", "gossip"]},
            "parameter categories=['privacy', 'gossip']: unknown value(s)",
        ),
        ({"categories": []}, "parameter categories=[]: empty"),
        ({"windows": [[1, -1]]}, "parameter windows: [1, -1] starts after it ends"),
        ({"windows": [[-20, 1]]}, "parameter windows: [-20, 1] starts before day -gap=-10"),
        ({"windows": [[0, 1.5]]}, "parameter windows=[[0, 1.5]]: expected a list of windows like [[-1, 1]"),
        # one window typed without the outer list: the message shows what to type, not what was typed
        (
            {"windows": "[-1,1]"},
            "expected a list of windows like [[-1, 1], [0, 5]]; each window is a pair of whole days like "
            "[-1, 1]; for the one window [-1, 1] write [[-1, 1]]",
        ),
        ({"windows": [[-1, 1], [0, 5], [-1, 1]]}, "parameter windows: [-1, 1] given more than once"),
        ({"estimation": 2}, "parameter estimation=2: must be at least 3"),
        ({"gap": "ten"}, "parameter gap='ten': expected a whole number"),
        ({"log_y": "yes"}, "parameter log_y='yes': expected True or False"),
    ],
)
def test_bad_parameters_name_the_parameter(overrides, message) -> None:
    with pytest.raises(ValueError) as err:
        params(**overrides)
    assert message in str(err.value)


# --- prices ----------------------------------------------------------------------------------------

DAYS = pd.bdate_range("2019-12-23", "2020-02-28")


def fake_prices() -> dict[str, pd.DataFrame]:
    step = np.arange(len(DAYS), dtype=float)
    closes = {
        "ZM": 50 + step,
        "IXIC": 1000 + 2 * step,
        "RNG": 10 + 0.1 * step,
        "CSCO": 40 - 0.1 * step,
    }
    frames = {t: pd.DataFrame({"close": v}, index=DAYS) for t, v in closes.items()}
    frames["CSCO"] = frames["CSCO"].drop(DAYS[10])  # a holiday the others do not have
    return frames


def loader(ticker: str, until=None) -> pd.DataFrame:
    return fake_prices()[ticker]


def test_peer_basket_is_the_plain_mean_of_rebased_peers() -> None:
    frame = pd.DataFrame({"A": [100.0, 120.0, 90.0], "B": [100.0, 80.0, np.nan]})
    assert growth.peer_basket(frame).tolist() == [100.0, 100.0, 90.0]
    assert growth.peer_basket(frame).name == "peer basket"


def test_price_panel_rebases_and_adds_the_basket() -> None:
    panel = growth.price_panel(
        "ZM", "IXIC", ["RNG", "CSCO"], "2020-01-01", "2020-01-31", "2019-12-31", loader
    )
    assert list(panel.columns) == ["ZM", "IXIC", "RNG", "CSCO", "peer basket"]
    # start is the first day shown; the rebase day before it only sets the level
    assert panel.index[0] == pd.Timestamp("2020-01-01") and panel.index[-1] == pd.Timestamp("2020-01-31")
    assert panel.attrs["on"] == pd.Timestamp("2019-12-31") and panel.attrs["ended"] == {}
    # ZM = 50 + i, i = 6 on 2019-12-31 and 8 on 2020-01-02 (bdate_range counts 1 January)
    assert panel.loc["2020-01-02", "ZM"] == pytest.approx(100 * 58 / 56)
    rng, csco = 100 * (10 + 0.8) / 10.6, 100 * (40 - 0.8) / 39.4
    assert panel.loc["2020-01-02", "peer basket"] == pytest.approx((rng + csco) / 2)
    # the CSCO holiday carries the previous close
    assert panel.loc[DAYS[10], "CSCO"] == panel.loc[DAYS[9], "CSCO"]
    summary = growth.panel_summary(panel)
    assert summary.loc["ZM", "first_day"] == "2020-01-01" and summary.loc["ZM", "high_on"] == "2020-01-31"
    assert summary.loc["ZM", "first"] == pytest.approx(100 * 57 / 56, abs=0.05)


def truncated_loader(cut: dict[str, str]):
    """``loader`` with each named series' file ending on the given day."""

    def load(ticker: str, until=None) -> pd.DataFrame:
        frame = fake_prices()[ticker]
        return frame.loc[: cut.get(ticker, DAYS[-1])]

    return load


def test_price_panel_stops_each_series_where_its_data_stop() -> None:
    load = truncated_loader({"ZM": "2020-02-14", "RNG": "2020-01-31"})
    with pytest.warns(growth.GrowthWarning) as caught:
        panel = growth.price_panel(
            "ZM", "IXIC", ["RNG", "CSCO"], "2020-01-01", "2020-02-28", "2019-12-31", load
        )
    assert str(caught[0].message) == (
        "price data end before end=2020-02-28: ZM on 2020-02-14, RNG on 2020-01-31; their lines stop there "
        "and the peer basket averages the peers still trading"
    )
    assert panel.attrs["ended"] == {"ZM": pd.Timestamp("2020-02-14"), "RNG": pd.Timestamp("2020-01-31")}
    # the benchmark and CSCO run on to end after the ticker stops; no line is drawn flat
    assert panel.index[-1] == pd.Timestamp("2020-02-28") and panel["IXIC"].notna().all()
    assert panel["ZM"].last_valid_index() == pd.Timestamp("2020-02-14")
    assert panel.loc["2020-02-03":, "RNG"].isna().all()
    # from RNG's end the basket is CSCO alone, as peer_basket's docstring says
    assert panel.loc["2020-02-03", "peer basket"] == panel.loc["2020-02-03", "CSCO"]
    summary = growth.panel_summary(panel)
    assert summary.loc["ZM", "last_day"] == "2020-02-14" and summary.loc["RNG", "last_day"] == "2020-01-31"
    assert summary.loc["IXIC", "last_day"] == "2020-02-28"


def test_price_panel_carries_a_close_over_a_holiday_or_two_only() -> None:
    def load(ticker: str, until=None) -> pd.DataFrame:
        frame = fake_prices()[ticker]
        return frame.drop(DAYS[20 : 20 + growth.CARRY_SESSIONS + 1]) if ticker == "RNG" else frame

    panel = growth.price_panel("ZM", "IXIC", ["RNG"], "2020-01-01", "2020-02-28", "2019-12-31", load)
    gap = panel.loc[DAYS[20] : DAYS[20 + growth.CARRY_SESSIONS], "RNG"]
    assert (gap.iloc[:-1] == panel.loc[DAYS[19], "RNG"]).all() and gap.isna().iloc[-1]


def test_price_panel_refuses_a_peer_with_no_close_in_the_range() -> None:
    load = truncated_loader({"RNG": "2019-12-31"})
    with pytest.raises(ValueError, match=r"parameter peers: RNG has no close from 2020-01-02 to 2020-02-28 "):
        growth.price_panel("ZM", "IXIC", ["RNG"], "2020-01-02", "2020-02-28", "2019-12-31", load)


def test_summary_describes_start_to_end_not_the_rebase_stretch() -> None:
    def load(ticker: str, until=None) -> pd.DataFrame:
        frame = fake_prices()[ticker].copy()
        frame.loc[DAYS[3], "close"] = 1000.0 if ticker == "ZM" else frame.loc[DAYS[3], "close"]  # a peak
        return frame

    panel = growth.price_panel("ZM", "IXIC", [], "2020-01-15", "2020-02-28", "2019-12-24", load)
    assert panel.index[0] == pd.Timestamp("2020-01-15") and panel.attrs["on"] == pd.Timestamp("2019-12-24")
    summary = growth.panel_summary(panel)
    assert summary.loc["ZM", "high_on"] == "2020-02-28" and summary.loc["ZM", "high"] < 200


def test_price_panel_errors_name_the_parameter() -> None:
    with pytest.raises(ValueError, match=r"parameter start=2023-01-01, end=2023-02-01: no ZM session"):
        growth.price_panel("ZM", "IXIC", [], "2023-01-01", "2023-02-01", "2020-01-31", loader)
    with pytest.raises(ValueError, match=r"parameter rebase=2019-01-01: before ZM's first session"):
        growth.price_panel("ZM", "IXIC", [], "2020-01-01", "2020-02-01", "2019-01-01", loader)


def test_placed_claims_use_as_of_else_consistent_from() -> None:
    panel = growth.price_panel("ZM", "IXIC", [], "2020-01-01", "2020-02-28", "2019-12-31", loader)
    checked = pd.DataFrame(
        {
            "claim_id": ["a", "b", "c"],
            "metric": ["m", "m", "m"],
            "verdict": ["supported", "misleading", "supported"],
            "as_of": pd.to_datetime(["2020-01-04", None, "2021-01-01"]),
            "consistent_from": pd.to_datetime([None, "2020-01-15", None]),
            "quote": ["q", "q", "q"],
            "gloss_en": [None, None, None],
        }
    )
    placed = growth.placed_claims(checked, panel)
    assert placed["claim_id"].tolist() == ["a", "b"]  # c is outside the panel
    assert placed["placed_by"].tolist() == ["as_of", "consistent_from"]
    assert placed["y"].iloc[0] == panel.loc["2020-01-03", "ZM"]  # Saturday takes Friday's level


def test_zoom_claims_go_on_the_zm_line_only() -> None:
    checked = pd.DataFrame(
        {
            "claim_id": ["a"],
            "metric": ["m"],
            "verdict": ["supported"],
            "as_of": pd.to_datetime(["2020-01-15"]),
            "consistent_from": pd.to_datetime([None]),
            "quote": ["q"],
            "gloss_en": [None],
        }
    )
    panel = growth.price_panel("RNG", "IXIC", ["ZM"], "2020-01-01", "2020-02-28", "2019-12-31", loader)
    placed = growth.placed_claims(checked, panel)
    assert placed["y"].tolist() == [panel.loc["2020-01-15", "ZM"]]  # on ZM, a peer here, not on RNG
    panel = growth.price_panel("RNG", "IXIC", ["CSCO"], "2020-01-01", "2020-02-28", "2019-12-31", loader)
    with pytest.warns(growth.GrowthWarning, match=r"claims are about Zoom and ZM is not charted"):
        placed = growth.placed_claims(checked, panel)
    assert placed.empty and growth.claims_table(placed).empty


# --- usage -----------------------------------------------------------------------------------------


def test_usage_table_keeps_participants_users_and_user_claims() -> None:
    usage = pd.DataFrame(
        {
            "id": ["p1", "u1", "d1"],
            "date": pd.to_datetime(["2019-12-01", "2020-02-26", "2020-03-01"]),
            "metric": ["max_daily_meeting_participants", "monthly_active_users_estimate", "downloads"],
            "value": [10e6, 12.9e6, 2e6],
            "counts": ["meeting_participants", "users", "downloads"],
            "as_stated": ["10 million", "12.9 million", "2 million"],
            "definition": ["joins", "estimate", "downloads"],
        }
    )
    checked = pd.DataFrame(
        {
            "claim_id": ["c1", "c2"],
            "check": ["usage", "usage"],
            "metric": ["daily_users", "schools"],
            "value": [10e6, 9e4],
            "as_of": pd.to_datetime([None, None]),
            "consistent_from": pd.to_datetime(["2019-12-01", "2020-04-01"]),
            "verdict": ["misleading", "supported"],
            "quote": ["10 miljoen gebruikers", "scholen"],
            "gloss_en": ["10 million users", None],
            "explanation": ["", ""],
        }
    )
    table = growth.usage_table(checked, usage, end="2020-12-31")
    assert table["id"].tolist() == ["c1", "p1", "u1"]
    assert table.set_index("id").loc["p1", "who"] == "Zoom"
    assert table.set_index("id").loc["u1", "who"] == "third party"
    assert table.set_index("id").loc["c1", "verdict"] == "misleading"
    assert growth.usage_table(checked, usage, end="2020-01-01")["id"].tolist() == ["c1", "p1"]


def test_business_table_has_quarters_with_revenue_or_customers() -> None:
    table = growth.business_table(end="2021-01-31")
    assert table["period"].tolist()[:2] == ["FY2020 Q4", "FY2021 Q1"]
    assert table.set_index("period").loc["FY2021 Q1", "revenue_usd_m"] == pytest.approx(328.2)
    assert table.set_index("period").loc["FY2021 Q1", "customers_over_10_employees"] == 265400


# --- claim dating ----------------------------------------------------------------------------------


def _doubled_claim(claim_id: str) -> pd.DataFrame:
    """A checked claim that the share price doubled since 1 January, as of 31 March 2020."""
    return pd.DataFrame(
        {
            "claim_id": [claim_id],
            "check": ["price_change"],
            "metric": ["share_price_change_ytd"],
            "value": [2.0],
            "qualifier": [""],
            "as_of": pd.to_datetime(["2020-03-31"]),
            "since": pd.to_datetime(["2020-01-01"]),
            "quote": ["verdubbeld"],
            "gloss_en": ["doubled"],
            "verdict": ["contradicted"],
        }
    )


def test_claim_dating_hand_example() -> None:
    days = pd.bdate_range("2019-12-30", "2020-03-31")
    close = pd.Series(np.linspace(10, 30, len(days)), index=days)  # 2019-12-31 close = base
    base = close.loc["2019-12-31"]
    checked = _doubled_claim("x")
    dating = growth.claim_dating(checked, close=close, financials=pd.DataFrame())
    s = dating.summary.iloc[0]
    ratio = close.loc["2020-01-01":] / base
    inside = ratio[(ratio >= 1.8) & (ratio <= 2.2)]
    assert (s.band_low, s.band_high) == pytest.approx((1.8, 2.2))
    assert s.held_from == inside.index[0] and s.held_to == inside.index[-1]
    assert s.sessions_held == len(inside) and s.stretches == 1
    assert s.on_page_date == pytest.approx(30 / base) and not s.true_on_page_date
    assert dating.series["inside"].sum() == len(inside)


def test_claim_dating_agrees_with_check_claims() -> None:
    from zoomcase import check_claims, extract_claims, load_corpus

    checked = check_claims(extract_claims(load_corpus()))
    dating = growth.claim_dating(checked).summary.set_index("claim_id")
    dated = checked[checked["check"].isin(growth.DATED_CHECKS)].set_index("claim_id")
    assert set(dating.index) == set(dated.index)
    for claim_id, row in dating.iterrows():
        assert row.held_from == dated.loc[claim_id, "consistent_from"]
        assert row.held_to == dated.loc[claim_id, "consistent_to"]


# --- event selection -------------------------------------------------------------------------------


def synthetic_pair() -> tuple[pd.Series, pd.Series]:
    days = pd.bdate_range("2020-01-01", periods=260)
    rm = np.random.default_rng(7).normal(0, 0.01, len(days) - 1)
    rs = 0.2 + 0 * rm
    rs = 0.001 + 1.5 * rm + np.random.default_rng(8).normal(0, 0.005, len(rm))
    market = pd.Series(100 * np.cumprod(np.r_[1, 1 + rm]), days)
    stock = pd.Series(50 * np.cumprod(np.r_[1, 1 + rs]), days)
    return stock, market


def events(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["id", "date", "date_precision", "category", "title"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_study_events_drops_what_the_data_cannot_fill_and_says_why() -> None:
    stock, market = synthetic_pair()
    days = stock.index
    ev = events(
        [
            ("early", days[50], "day", "privacy", "too early for 120 sessions"),
            ("month", days[200], "month", "privacy", "month only"),
            ("weekend", pd.Timestamp("2020-09-05"), "day", "privacy", "a Saturday"),
            ("late", days[-3], "day", "privacy", "too late for day +5"),
            ("other", days[210], "day", "market", "not chosen"),
        ]
    )
    p = params(start="2020-01-01", end="2021-12-31", categories=["privacy"])
    study = growth.study_events(p, ev, stock, market)
    assert study.results["id"].tolist() == ["weekend"]
    assert study.results["day0"].iloc[0] == pd.Timestamp("2020-09-07")  # moved to Monday
    reasons = study.dropped.set_index("id")["reason"]
    assert reasons["early"].startswith("estimation: only")
    assert reasons["month"] == "dated to the month only, so day 0 is unknown"
    assert reasons["late"].startswith("windows: needs returns to day +5")
    # the numbers are event_study's on the same inputs
    direct = event_study(stock, market, ev[ev["id"] == "weekend"])
    assert study.results["car_0_p5"].iloc[0] == pytest.approx(direct["car_0_p5"].iloc[0])
    table = growth.event_table(study)
    assert bool(table.loc["weekend", "moved"]) and list(table.columns[:3]) == ["category", "day0", "moved"]


def test_study_events_with_nothing_left_names_the_parameter() -> None:
    stock, market = synthetic_pair()
    ev = events([("early", stock.index[50], "day", "privacy", "t")])
    with pytest.raises(ValueError, match=r"parameter estimation: the data cannot fill the windows of any"):
        growth.study_events(params(categories=["privacy"]), ev, stock, market)
    with pytest.raises(ValueError, match=r"parameter categories=\['legal'\]: no events from 2020-01-01"):
        growth.study_events(params(categories=["legal"]), ev, stock, market)


def test_study_events_names_gap_when_gap_leaves_no_estimation_window() -> None:
    stock, market = synthetic_pair()
    ev = events([("e", stock.index[200], "day", "privacy", "t")])
    with pytest.raises(
        ValueError, match=r"^parameter gap: the data cannot fill .* first reason: gap: only 0"
    ):
        growth.study_events(params(categories=["privacy"], gap=2000), ev, stock, market)
    # 199 returns before day 0: estimation=150 fits without the gap, and gap=60 would fit a shorter one
    with pytest.raises(ValueError, match=r"^parameter estimation, gap: the data cannot fill"):
        growth.study_events(params(categories=["privacy"], estimation=150, gap=60), ev, stock, market)


def test_study_events_drops_an_event_no_market_model_fits_naming_the_ticker() -> None:
    stock, market = synthetic_pair()
    stock.iloc[:130] = 50.0  # constant closes before the first event: its returns are all 0
    ev = events(
        [("flat", stock.index[135], "day", "privacy", "t"), ("ok", stock.index[250], "day", "privacy", "t")]
    )
    p = params(categories=["privacy"], windows=[[0, 1]])
    study = growth.study_events(p, ev, stock, market)
    assert study.results["id"].tolist() == ["ok"]
    reason = study.dropped.set_index("id").loc["flat", "reason"]
    assert (
        reason.startswith("ZM: returns are an exact linear function of IXIC returns")
        and "sigma is 0" in reason
    )
    with pytest.raises(
        ValueError, match=r"^parameter ticker: the data cannot fill .* first reason: ZM: returns"
    ):
        growth.study_events(p, ev[ev["id"] == "flat"], stock, market)


def test_sessions_summary_counts_shared_sessions_once() -> None:
    stock, market = synthetic_pair()
    d = stock.index[200]
    ev = events([("a", d, "day", "privacy", "t"), ("b", d, "day", "legal", "t")])
    study = growth.study_events(params(categories=["privacy", "legal"]), ev, stock, market)
    summary = growth.sessions_summary(study)
    assert summary.loc["AR day 0", "sessions"] == 1
    assert summary.loc["AR day 0", "mean_%"] == round(100 * study.results["ar_0"].iloc[0], 2)
    assert summary.loc["AR day 0", "literature_%"] == -0.4


# --- findings --------------------------------------------------------------------------------------


def test_findings_are_written_from_the_numbers() -> None:
    from zoomcase import check_claims, extract_claims, load_corpus

    p = growth.validate_params()
    panel = growth.price_panel(p.ticker, p.benchmark, p.peers, p.start, p.end, p.rebase)
    checked = check_claims(extract_claims(load_corpus()))
    usage = growth.usage_table(checked, end=p.end)
    dating = growth.claim_dating(checked)
    study = growth.study_events(p)
    text = growth.findings_markdown(p, panel, usage, dating, study)
    summary = growth.panel_summary(panel)
    assert f"**{summary.loc['ZM', 'last']:.0f}**" in text
    mean0 = study.results.drop_duplicates("day0")["ar_0"].mean()
    assert f"**{mean0:+.1%}**" in text
    assert "Acquisti, Friedman & Telang (2006)" in text and "Anecdotes, not a sample" in text
    assert "000-c01" in text and "no longer true" in text
    caveats = growth.caveats_markdown(p)
    assert "Yahoo Finance" in caveats and "Traded closes (unadjusted): ZM, IXIC" in caveats


LINK, IMG = "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>"


def small_findings(
    ar_0: list[float] | None = None,
    ids=("a", "b"),
    claim_id="x",
    usage_id="u1",
    ticker="ZM",
    peers=("RNG", "CSCO"),
    **cut,
) -> str:
    """findings_markdown over hand-made tables: two events, one dated claim, one usage estimate."""
    p = params(ticker=ticker, peers=list(peers), categories=["privacy"], start="2020-01-01", end="2020-02-28")
    panel = growth.price_panel(ticker, "IXIC", peers, p.start, p.end, p.rebase, truncated_loader(cut))
    usage = pd.DataFrame(
        {
            "id": ["p1", "p2", usage_id],
            "date": pd.to_datetime(["2019-12-01", "2020-04-01", "2020-02-26"]),
            "metric": ["max_daily_meeting_participants"] * 2 + ["monthly_active_users_estimate"],
            "value": [10e6, 300e6, 12.9e6],
            "counts": ["meeting_participants", "meeting_participants", "users"],
            "as_stated": ["10 million", "300 million", "12.9 million"],
            "definition": ["joins", "joins", "estimate"],
        }
    )
    days = pd.bdate_range("2019-12-30", "2020-03-31")
    close = pd.Series(np.linspace(10, 30, len(days)), index=days)
    checked = _doubled_claim(claim_id)
    dating = growth.claim_dating(checked, close=close, financials=pd.DataFrame())
    stock, market = synthetic_pair()
    ev = events([(i, stock.index[200 + 10 * n], "day", "privacy", "t") for n, i in enumerate(ids)])
    study = growth.study_events(params(categories=["privacy"]), ev, stock, market)
    if ar_0 is not None:
        study.results["ar_0"] = ar_0
    return growth.findings_markdown(p, panel, growth.usage_table(None, usage), dating, study)


@pytest.mark.parametrize(
    ("ar_0", "fall", "rise"),
    [
        ([-0.03, 0.02], "The largest day-0 fall was -3.0% (a, ", "The largest day-0 rise was +2.0% (b, "),
        (
            [0.022, 0.03],
            "No event fell on day 0: the lowest abnormal return was +2.2% (a, ",
            "The largest day-0 rise was +3.0% (b, ",
        ),
        (
            [-0.03, -0.01],
            "The largest day-0 fall was -3.0% (a, ",
            "No event rose on day 0: the highest abnormal return was -1.0% (b, ",
        ),
    ],
)
def test_findings_word_the_extremes_by_their_sign(ar_0, fall, rise) -> None:
    text = small_findings(ar_0)
    assert fall in text and rise in text


def test_findings_escape_strings_from_the_data() -> None:
    from zoomcase.views import md_text

    text = small_findings([-0.03, 0.02], ids=(LINK, IMG), claim_id=LINK, usage_id=IMG)
    assert LINK not in text and IMG not in text and "<img" not in text
    assert f"When claim {md_text(LINK)} was true" in text
    assert f"({md_text(LINK)}, " in text and f"({md_text(IMG)}, " in text  # the events and the estimate


def test_findings_say_the_period_and_where_series_stop() -> None:
    with pytest.warns(growth.GrowthWarning):
        text = small_findings(IXIC="2020-02-14", RNG="2020-01-31", CSCO="2020-01-31")
    assert "**Price, 2020-01-01 to 2020-02-28.** With 100 = the close of 2019-12-31, ZM peaked" in text
    assert "ended 2020-02-28 at" in text and "; IXIC ended 2020-02-14 at " in text
    assert "peer basket (RNG, CSCO) ended 2020-01-31 at " in text
    assert (
        "Before 2020-02-28 the price data stop for IXIC (2020-02-14), RNG (2020-01-31), CSCO (2020-01-31): "
        "each line stops there and the figures above are its last close, and the peer basket averages only"
    ) in text


def test_findings_note_claims_left_off_without_a_zm_line() -> None:
    assert "Claims not on the chart" not in small_findings()
    assert "ZM is not charted, so none is placed" in small_findings(ticker="RNG", peers=("CSCO",))


def test_literature_constant_is_sourced() -> None:
    lit = growth.LITERATURE
    assert "Is there a cost to privacy breaches? An event study" in lit["citation"]
    assert lit["url"].startswith("https://") and lit["ar_0"] < 0 and lit["car_0_p1"] < lit["ar_0"]
