"""zoomcase.eventstudy: the market model by hand, against numpy least squares, and on real ZM data."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

from zoomcase.eventstudy import DegenerateFit, abnormal_path, event_day, event_study, returns, window_name
from zoomcase.market import MarketDataError, available_tickers, load_prices

A, B = 0.001, 1.5  # the synthetic stock's true alpha and beta
SESSIONS = pd.bdate_range("2021-01-04", periods=401)  # 400 returns; no holidays, so weekends are the gaps
SHOCKS = {300: 0.05, 301: -0.02, 304: 0.01}  # return position -> abnormal return added


def synthetic(shocks: dict[int, float] = SHOCKS, noise: float = 1e-12) -> tuple[pd.Series, pd.Series]:
    """Closes of a market and of a stock whose returns are A + B·Rm + shocks (+ a negligible wobble)."""
    rm = np.random.default_rng(7).normal(0, 0.01, len(SESSIONS) - 1)
    rs = A + B * rm + noise * (-1.0) ** np.arange(len(rm))
    for pos, shock in shocks.items():
        rs[pos] += shock
    market = pd.Series(100 * np.cumprod(np.r_[1, 1 + rm]), SESSIONS, name="MKT")
    stock = pd.Series(50 * np.cumprod(np.r_[1, 1 + rs]), SESSIONS, name="ZM")
    return stock, market


def ret_day(pos: int) -> pd.Timestamp:
    """Date of return number ``pos`` (returns start on the second session)."""
    return SESSIONS[pos + 1]


def events(*rows: tuple[str, object]) -> pd.DataFrame:
    return pd.DataFrame(
        {"id": [i for i, _ in rows], "date": [pd.Timestamp(d) for _, d in rows], "title": "t"}
    )


# --- hand-checked ---------------------------------------------------------------------------------


def test_returns_are_simple_and_skip_missing_closes() -> None:
    close = pd.Series([100.0, 110.0, np.nan, 99.0], pd.bdate_range("2021-01-04", periods=4))
    r = returns(close)
    assert list(r.index) == [close.index[1], close.index[3]]
    assert r.tolist() == pytest.approx([0.10, -0.10])


def test_market_model_recovers_alpha_beta_and_the_shocks() -> None:
    stock, market = synthetic()
    row = event_study(stock, market, events(("e", ret_day(300)))).iloc[0]
    assert row["day0"] == ret_day(300)
    assert row["n_est"] == 120
    assert row["alpha_hat"] == pytest.approx(A, abs=1e-9)
    assert row["beta_hat"] == pytest.approx(B, abs=1e-9)
    assert row["sigma"] < 1e-9
    assert row["ar_0"] == pytest.approx(0.05, abs=1e-9)
    assert row["car_m1_p1"] == pytest.approx(0.05 - 0.02, abs=1e-9)  # days -1, 0, +1
    assert row["car_0_p5"] == pytest.approx(0.05 - 0.02 + 0.01, abs=1e-9)  # days 0..+5
    assert bool(row["significant"])
    assert row["overlaps"] == ""
    assert not row["estimation_contaminated"]


def test_t_statistics_use_sigma_sqrt_l() -> None:
    stock, market = synthetic(noise=0.01)  # alternating ±1% residuals, so sigma is about 0.01
    row = event_study(stock, market, events(("e", ret_day(300)))).iloc[0]
    assert row["t_ar_0"] == pytest.approx(row["ar_0"] / row["sigma"], rel=1e-12)
    assert row["t_car_m1_p1"] == pytest.approx(row["car_m1_p1"] / (row["sigma"] * math.sqrt(3)), rel=1e-12)
    assert row["t_car_0_p5"] == pytest.approx(row["car_0_p5"] / (row["sigma"] * math.sqrt(6)), rel=1e-12)
    assert row["significant"] == any(abs(row[c]) > 1.959964 for c in row.index if c.startswith("t_"))


def test_abnormal_path_matches_the_table() -> None:
    stock, market = synthetic(noise=0.01)
    row = event_study(stock, market, events(("e", ret_day(300)))).iloc[0]
    path = abnormal_path(stock, market, ret_day(300), span=(-1, 5))
    assert list(path.index) == list(range(-1, 6))
    assert path.loc[0, "date"] == ret_day(300)
    assert path.loc[0, "ar"] == pytest.approx(row["ar_0"], abs=1e-15)
    assert path.loc[1, "car"] == pytest.approx(row["car_m1_p1"], abs=1e-15)
    assert path.loc[5, "car"] - path.loc[-1, "car"] == pytest.approx(row["car_0_p5"], abs=1e-15)


def test_window_names_and_columns() -> None:
    assert window_name((-1, 1)) == "m1_p1"
    assert window_name((0, 5)) == "0_p5"
    assert window_name((-10, -2)) == "m10_m2"
    stock, market = synthetic()
    out = event_study(stock, market, events(("e", ret_day(300))), windows=[(-2, 0), (1, 3)])
    assert list(out.columns) == [
        "id", "title", "date", "day0", "n_est", "alpha_hat", "beta_hat", "sigma", "ar_0", "t_ar_0",
        "car_m2_0", "t_car_m2_0", "car_p1_p3", "t_car_p1_p3",
        "significant", "overlaps", "estimation_contaminated",
    ]  # fmt: skip
    assert out.attrs["windows"] == [(-2, 0), (1, 3)]


# --- dates, overlaps, contamination ---------------------------------------------------------------


def test_weekend_event_moves_to_monday() -> None:
    saturday = pd.Timestamp("2021-01-09")
    assert event_day(SESSIONS, saturday) == pd.Timestamp("2021-01-11")
    assert event_day(SESSIONS, "2021-01-11 15:30") == pd.Timestamp("2021-01-11")  # a time of day is ignored
    stock, market = synthetic()
    weekend = ret_day(300) + pd.offsets.Week(weekday=5)  # the Saturday after return 300
    row = event_study(stock, market, events(("e", weekend))).iloc[0]
    assert row["date"] == weekend
    assert row["day0"] == weekend + pd.Timedelta(days=2)


def test_event_after_the_last_session_raises() -> None:
    with pytest.raises(ValueError, match=r"day=2030-01-01: no trading session on or after it; the data end"):
        event_day(SESSIONS, "2030-01-01")


def test_overlap_and_contamination_flags() -> None:
    stock, market = synthetic()
    out = event_study(
        stock,
        market,
        events(("a", ret_day(250)), ("b", ret_day(300)), ("c", ret_day(306)), ("d", ret_day(313))),
    ).set_index("id")
    # event windows span days -1..+5: 6 sessions apart still share a session, 7 apart do not
    assert out["overlaps"].to_dict() == {"a": "", "b": "c", "c": "b", "d": ""}
    # estimation windows are days -130..-11: a's day 0 is 50 sessions before b, 56 before c, 63 before d
    assert out["estimation_contaminated"].to_dict() == {"a": False, "b": True, "c": True, "d": True}
    # 8 sessions apart: no shared session, and the earlier day 0 sits in the gap, not the estimation window
    in_gap = event_study(stock, market, events(("b", ret_day(300)), ("e", ret_day(308))))
    assert in_gap["overlaps"].tolist() == ["", ""]
    assert in_gap["estimation_contaminated"].tolist() == [False, False]


def test_same_day_events_overlap_each_other() -> None:
    stock, market = synthetic()
    out = event_study(stock, market, events(("x", ret_day(300)), ("y", ret_day(300)), ("z", ret_day(200))))
    assert out["overlaps"].tolist() == ["y", "x", ""]


# --- errors ---------------------------------------------------------------------------------------


def test_estimation_longer_than_the_data_names_the_parameter() -> None:
    stock, market = synthetic()
    saturday = pd.Timestamp("2021-03-06")  # returns start 2021-01-05; day 0 is Monday 2021-03-08
    before = int((SESSIONS[1:] < pd.Timestamp("2021-03-08")).sum())
    expected = (
        f"estimation=120: only {before - 10} trading days of ZM returns before 2021-03-06 minus gap=10 "
        "(event early, day 0 2021-03-08); shorten estimation or pick a later event"
    )
    with pytest.raises(ValueError, match=re.escape(expected)):
        event_study(stock, market, events(("early", saturday)))
    with pytest.raises(ValueError, match=r"^estimation=120: only \d+ trading days of ZM returns"):
        abnormal_path(stock, market, saturday)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"estimation": 0}, r"estimation=0: needs at least 3 trading days"),
        ({"estimation": -5}, r"estimation=-5: needs at least 3"),
        ({"gap": -1}, r"gap=-1: must be 0 or more"),
        ({"windows": [(3, 1)]}, r"windows: \(3, 1\) has start > end"),
        ({"windows": [(-12, 0)]}, r"windows: \(-12, 0\) starts before day -gap=-10"),
        ({"windows": []}, r"windows: give at least one"),
        ({"windows": [(0, 1), (0, 1)]}, r"windows: .* repeats a window"),
        ({"alpha": 1.5}, r"alpha=1.5: must be between 0 and 1"),
    ],
)
def test_bad_parameters_are_named(kwargs: dict, message: str) -> None:
    stock, market = synthetic()
    with pytest.raises(ValueError, match=message):
        event_study(stock, market, events(("e", ret_day(300))), **kwargs)


def test_event_window_past_the_end_of_data() -> None:
    stock, market = synthetic()
    with pytest.raises(
        ValueError, match=r"windows: event late \(day 0 .*\) needs returns to day \+5, .* 2 session"
    ):
        event_study(stock, market, events(("late", ret_day(397))))
    with pytest.raises(ValueError, match=r"span=\(-10, 10\): day 0 .* 2 after; shorten span"):
        abnormal_path(stock, market, ret_day(397))


def test_mismatched_and_empty_series() -> None:
    stock, market = synthetic()
    later = market.copy()
    later.index = later.index + pd.DateOffset(years=5)
    with pytest.raises(ValueError, match=r"stock and market share 0 trading date\(s\) \(ZM 2021-01-04\.\."):
        event_study(stock, later, events(("e", ret_day(300))))
    with pytest.raises(ValueError, match=r"stock: the close series is empty"):
        event_study(stock.iloc[:0], market, events(("e", ret_day(300))))
    with pytest.raises(ValueError, match=r"market: expected a close-price Series"):
        event_study(stock, market.to_numpy(), events(("e", ret_day(300))))


def test_bad_events_table() -> None:
    stock, market = synthetic()
    with pytest.raises(ValueError, match=r"events: missing column\(s\) title"):
        event_study(stock, market, events(("e", ret_day(300))).drop(columns="title"))
    with pytest.raises(ValueError, match=r"events: duplicate id"):
        event_study(stock, market, events(("e", ret_day(300)), ("e", ret_day(310))))
    with pytest.raises(ValueError, match=r"events: event e has no date"):
        event_study(stock, market, events(("e", pd.NaT)))


def test_perfect_fit_has_no_t_statistic_and_names_the_tickers() -> None:
    _, market = synthetic()
    flat = pd.Series(50.0, index=SESSIONS, name="ZM")  # constant closes: returns all 0 = 0 + 0·Rm
    with pytest.raises(
        DegenerateFit, match=r"^ZM: returns are an exact linear function of MKT .* sigma is 0"
    ) as err:
        event_study(flat, market, events(("e", ret_day(300))))
    assert err.value.series == "stock"
    with pytest.raises(DegenerateFit, match=r"^MKT: returns are constant over the 120 sessions") as err:
        event_study(market.rename("ZM"), flat.rename("MKT"), events(("e", ret_day(300))))
    assert err.value.series == "market"


# --- real data ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zm_ixic() -> tuple[pd.Series, pd.Series]:
    try:
        present = set(available_tickers())
    except MarketDataError as exc:
        pytest.skip(str(exc))
    if not {"ZM", "IXIC"} <= present:
        pytest.skip("ZM or IXIC price file missing: run `zoomcase data pull`")
    return load_prices("ZM")["close"], load_prices("IXIC")["close"]


def test_agrees_with_numpy_least_squares(zm_ixic: tuple[pd.Series, pd.Series]) -> None:
    zm, ixic = zm_ixic
    row = event_study(zm, ixic, events(("ftc", "2020-11-09"))).iloc[0]
    both = pd.concat([zm, ixic], axis=1, join="inner", keys=["zm", "ixic"])
    rets = both.pct_change().iloc[1:]
    p0 = rets.index.get_loc(pd.Timestamp("2020-11-09"))
    window = rets.iloc[p0 - 130 : p0 - 10]
    assert window.index[-1] < pd.Timestamp("2020-10-26")  # 10 sessions of gap before day 0
    design = np.column_stack([np.ones(len(window)), window["ixic"].to_numpy()])
    (alpha, beta), ss, *_ = np.linalg.lstsq(design, window["zm"].to_numpy(), rcond=None)
    assert row["alpha_hat"] == pytest.approx(alpha, abs=1e-10)
    assert row["beta_hat"] == pytest.approx(beta, abs=1e-10)
    assert row["sigma"] == pytest.approx(math.sqrt(ss[0] / (len(window) - 2)), abs=1e-10)
    ar0 = rets.loc["2020-11-09", "zm"] - alpha - beta * rets.loc["2020-11-09", "ixic"]
    assert row["ar_0"] == pytest.approx(ar0, abs=1e-10)


def test_ftc_pfizer_day_is_a_large_negative_abnormal_return(zm_ixic: tuple[pd.Series, pd.Series]) -> None:
    zm, ixic = zm_ixic
    row = event_study(zm, ixic, events(("ftc", "2020-11-09"))).iloc[0]
    assert returns(zm).loc["2020-11-09"] == pytest.approx(-0.174, abs=0.001)
    assert row["ar_0"] < -0.15
    assert row["t_ar_0"] < -3
    assert bool(row["significant"])


def test_holiday_event_moves_to_next_session(zm_ixic: tuple[pd.Series, pd.Series]) -> None:
    zm, _ = zm_ixic
    assert event_day(zm.index, "2020-07-03") == pd.Timestamp("2020-07-06")  # Independence Day observed
