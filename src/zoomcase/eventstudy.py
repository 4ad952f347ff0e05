"""Market-model event study (MacKinlay 1997, "Event Studies in Economics and Finance").

Did ZM move on a privacy or market event by more than the market explains? For each event a market
model R_t = alpha + beta·Rm_t + e_t is fitted by OLS on an estimation window that ends ``gap``
sessions before day 0, so the event cannot leak into its own benchmark; abnormal returns are what
that model does not explain, and cumulative abnormal returns (CARs) sum them over event windows.

Conventions, chosen once here so notebooks cannot drift apart:

* returns are simple (P_t/P_{t-1} − 1), not log, because CARs add daily returns and a simple return is
  what a holder gained or lost that day;
* stock and market are aligned on their common sessions before returns are taken, so both returns
  always span the same interval;
* relative days count trading sessions; an event dated on a weekend, holiday or after the close of
  data moves to the next session (``event_day``);
* t-statistics use the residual sigma only (sigma·sqrt(L) for an L-day CAR) and ignore the
  estimation-error (prediction-error) correction, 1/n plus a leverage term for extreme market days;
  for ZM against IXIC on the 2020–2024 events it would widen the day-0 standard error by 0.4–10%
  (median 0.6%; the 10% is March 2020, when the market moved far outside its calm estimation window);
* significance is two-sided against the standard normal, not Student-t with n−2 df (no scipy; with
  n = 120 the critical values differ in the third digit: 1.960 against 1.980 at alpha = 0.05).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import pandas as pd

Window = tuple[int, int]


class DegenerateFit(ValueError):
    """No market model fits one estimation window (a constant market, or a stock that is an exact line of
    it, e.g. constant closes); the message names the ticker and ``series`` says which ("stock" or
    "market"). A caller studying many events may drop that event and go on."""

    def __init__(self, message: str, series: str) -> None:
        super().__init__(message)
        self.series = series


@dataclass(frozen=True)
class MarketModel:
    """OLS fit of stock on market returns over one estimation window."""

    alpha: float
    beta: float
    sigma: float  # residual standard deviation, ddof=2 (two fitted parameters)
    n: int

    def abnormal(self, stock: pd.Series, market: pd.Series) -> pd.Series:
        """AR_t = R_t − (alpha + beta·Rm_t)."""
        return stock - (self.alpha + self.beta * market)


def returns(close: pd.Series) -> pd.Series:
    """Simple daily returns of a close series; the first session (no previous close) is dropped.

    Missing closes are dropped first, so the return after a gap spans the gap rather than going missing.
    """
    close = close.dropna()
    return (close / close.shift(1) - 1).iloc[1:]


def event_day(index: pd.DatetimeIndex, day) -> pd.Timestamp:
    """The first session in ``index`` on or after ``day``: news on a closed day is priced at the next open."""
    when = pd.Timestamp(day)
    if pd.isna(when):
        raise ValueError("day: no date given (NaT)")
    if len(index) == 0:
        raise ValueError(f"day={when:%Y-%m-%d}: the trading-date index is empty")
    if not (index.is_monotonic_increasing and index.is_unique):
        raise ValueError("index: trading dates must be increasing and unique")
    pos = int(index.searchsorted(when.normalize(), side="left"))
    if pos == len(index):
        raise ValueError(
            f"day={when:%Y-%m-%d}: no trading session on or after it; the data ends {index[-1]:%Y-%m-%d}"
        )
    return index[pos]


def _label(series: pd.Series, default: str) -> str:
    """A name for messages: the ticker ``load_prices`` records, else the series name."""
    name = series.attrs.get("ticker") or series.name
    return str(name) if name not in (None, "close") else default


def aligned_returns(stock: pd.Series, market: pd.Series) -> pd.DataFrame:
    """Returns of both series over their common sessions, columns ``stock`` and ``market``; their names
    for messages (``_label``) in ``attrs``."""
    for name, series in (("stock", stock), ("market", market)):
        if not isinstance(series, pd.Series) or not isinstance(series.index, pd.DatetimeIndex):
            raise ValueError(f"{name}: expected a close-price Series indexed by trading date")
        if series.dropna().empty:
            raise ValueError(f"{name}: the close series is empty")
        if not series.index.is_unique:
            raise ValueError(f"{name}: duplicate trading dates would double-count returns")
    closes = pd.concat({"stock": stock, "market": market}, axis=1, join="inner").dropna().sort_index()
    if len(closes) < 2:
        raise ValueError(
            f"stock and market share {len(closes)} trading date(s) "
            f"({_label(stock, 'stock')} {stock.index.min():%Y-%m-%d}..{stock.index.max():%Y-%m-%d}, "
            f"{_label(market, 'market')} {market.index.min():%Y-%m-%d}..{market.index.max():%Y-%m-%d}); "
            "pass series that cover the same period"
        )
    r = pd.DataFrame({"stock": returns(closes["stock"]), "market": returns(closes["market"])})
    r.attrs = {"stock": _label(stock, "stock"), "market": _label(market, "market")}
    return r


def _check_params(estimation: int, gap: int) -> None:
    if estimation < 3:
        raise ValueError(
            f"estimation={estimation}: needs at least 3 trading days "
            "(two fitted parameters, sigma with ddof=2)"
        )
    if gap < 0:
        raise ValueError(f"gap={gap}: must be 0 or more trading days")


def fit(
    r: pd.DataFrame, p0: int, estimation: int, gap: int, given: pd.Timestamp, event: str = ""
) -> MarketModel:
    """OLS on days [-gap-estimation, -gap-1] relative to position ``p0`` of ``aligned_returns``, by the
    closed-form formulas. Too few sessions is a ValueError naming ``estimation``; a window no model fits is a
    ``DegenerateFit`` naming the ticker."""
    stock, market = r.attrs.get("stock", "stock"), r.attrs.get("market", "market")
    start, end = p0 - gap - estimation, p0 - gap
    if start < 0:
        day0 = r.index[p0]
        moved = "" if day0 == given.normalize() else f"day 0 {day0:%Y-%m-%d}"
        where = ", ".join(filter(None, [event and f"event {event}", moved]))
        raise ValueError(
            f"estimation={estimation}: only {max(end, 0)} trading days of {stock} returns before "
            f"{given:%Y-%m-%d} minus gap={gap}{f' ({where})' if where else ''}; "
            "shorten estimation or pick a later event"
        )
    x = r["market"].iloc[start:end].to_numpy()
    y = r["stock"].iloc[start:end].to_numpy()
    span = f"the {estimation} sessions from {r.index[start]:%Y-%m-%d} to {r.index[end - 1]:%Y-%m-%d}"
    xd = x - x.mean()
    sxx = float(xd @ xd)
    if sxx == 0:
        raise DegenerateFit(
            f"{market}: returns are constant over {span} (before {given:%Y-%m-%d}), so beta cannot be "
            f"estimated; check {market}'s price file",
            "market",
        )
    beta = float(xd @ (y - y.mean())) / sxx
    alpha = float(y.mean() - beta * x.mean())
    resid = y - alpha - beta * x
    sigma = math.sqrt(float(resid @ resid) / (estimation - 2))
    if sigma == 0:
        raise DegenerateFit(
            f"{stock}: returns are an exact linear function of {market} returns over {span} (before "
            f"{given:%Y-%m-%d}; constant closes do that), so sigma is 0 and no t-statistic exists; "
            f"check {stock}'s price file",
            "stock",
        )
    return MarketModel(alpha, beta, sigma, estimation)


def _tag(day: int) -> str:
    return "0" if day == 0 else f"m{-day}" if day < 0 else f"p{day}"


def window_name(window: Window) -> str:
    """Column stem of a window: (-1, 1) -> ``m1_p1``, (0, 5) -> ``0_p5``."""
    return f"{_tag(window[0])}_{_tag(window[1])}"


def _check_windows(windows: Sequence[Window], gap: int) -> list[Window]:
    checked = [(int(a), int(b)) for a, b in windows]
    if not checked:
        raise ValueError("windows: give at least one (start, end) pair")
    for start, end in checked:
        if start > end:
            raise ValueError(f"windows: ({start}, {end}) has start > end; did you mean ({end}, {start})?")
        if start < -gap:
            raise ValueError(
                f"windows: ({start}, {end}) starts before day -gap={-gap} and would overlap the estimation "
                "window; raise gap or start the window later"
            )
    if len(set(checked)) != len(checked):
        raise ValueError(f"windows: {checked} repeats a window")
    return checked


def event_study(
    stock: pd.Series,
    market: pd.Series,
    events: pd.DataFrame,
    estimation: int = 120,
    gap: int = 10,
    windows: Sequence[Window] = ((-1, 1), (0, 5)),
    alpha: float = 0.05,
) -> pd.DataFrame:
    """One row per event: market-model fit, AR on day 0, CAR per window, t-statistics and flags.

    ``stock`` and ``market`` are close series; ``events`` needs ``id``, ``date`` and ``title``. Columns:
    id, title, date (as given), day0, n_est, alpha_hat, beta_hat, sigma, ar_0, t_ar_0, then per window
    ``car_<stem>`` and ``t_car_<stem>`` (see ``window_name``), significant, overlaps,
    estimation_contaminated. t = AR0/sigma and CAR/(sigma·sqrt(L)), without the estimation-error
    correction. ``significant`` is True when day 0 or any window has |t| above the two-sided normal
    critical value at ``alpha``. ``overlaps`` comma-joins the ids of other events whose event window
    (day 0 and all windows, in sessions) shares a session with this one's; ``estimation_contaminated``
    says another event's day 0 falls in this event's estimation window, so its beta and sigma carry
    that news. Parameters are in ``attrs``.
    """
    _check_params(estimation, gap)
    spans = _check_windows(windows, gap)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha={alpha}: must be between 0 and 1")
    missing = [c for c in ("id", "date", "title") if c not in events.columns]
    if missing:
        raise ValueError(f"events: missing column(s) {', '.join(missing)}")
    if events["id"].duplicated().any():
        raise ValueError(f"events: duplicate id(s) {sorted(set(events['id'][events['id'].duplicated()]))}")
    r = aligned_returns(stock, market)
    stems = [window_name(w) for w in spans]
    columns = [
        "id", "title", "date", "day0", "n_est", "alpha_hat", "beta_hat", "sigma", "ar_0", "t_ar_0",
        *[f"{p}_{s}" for s in stems for p in ("car", "t_car")],
        "significant", "overlaps", "estimation_contaminated",
    ]  # fmt: skip
    lo = min(0, *(w[0] for w in spans))
    hi = max(0, *(w[1] for w in spans))
    critical = NormalDist().inv_cdf(1 - alpha / 2)
    rows, positions = [], []
    for event in events.itertuples(index=False):
        if pd.isna(event.date):
            raise ValueError(f"events: event {event.id} has no date")
        day0 = event_day(r.index, event.date)
        p0 = int(r.index.get_loc(day0))
        model = fit(r, p0, estimation, gap, pd.Timestamp(event.date), str(event.id))
        if p0 + hi >= len(r):
            raise ValueError(
                f"windows: event {event.id} (day 0 {day0:%Y-%m-%d}) needs returns to day +{hi}, but the "
                f"data end {r.index[-1]:%Y-%m-%d}, {len(r) - 1 - p0} session(s) after day 0; "
                "drop the event or shorten the windows"
            )
        ar = model.abnormal(r["stock"].iloc[p0 + lo : p0 + hi + 1], r["market"].iloc[p0 + lo : p0 + hi + 1])
        ar.index = range(lo, hi + 1)
        row = {
            "id": event.id,
            "title": event.title,
            "date": event.date,
            "day0": day0,
            "n_est": model.n,
            "alpha_hat": model.alpha,
            "beta_hat": model.beta,
            "sigma": model.sigma,
            "ar_0": float(ar[0]),
            "t_ar_0": float(ar[0]) / model.sigma,
        }
        for (start, end), stem in zip(spans, stems, strict=True):
            car = float(ar.loc[start:end].sum())
            row[f"car_{stem}"] = car
            row[f"t_car_{stem}"] = car / (model.sigma * math.sqrt(end - start + 1))
        row["significant"] = any(abs(row[k]) > critical for k in row if k.startswith("t_"))
        rows.append(row)
        positions.append(p0)
    for row, p0 in zip(rows, positions, strict=True):
        others = [(o["id"], q) for o, q in zip(rows, positions, strict=True) if o["id"] != row["id"]]
        row["overlaps"] = ",".join(str(i) for i, q in others if abs(q - p0) <= hi - lo)
        row["estimation_contaminated"] = any(p0 - gap - estimation <= q < p0 - gap for _, q in others)
    results = pd.DataFrame(rows, columns=columns)
    results.attrs.update(
        stock=r.attrs["stock"],
        market=r.attrs["market"],
        estimation=estimation,
        gap=gap,
        windows=spans,
        alpha=alpha,
    )
    return results


def abnormal_path(
    stock: pd.Series,
    market: pd.Series,
    day0,
    estimation: int = 120,
    gap: int = 10,
    span: Window = (-10, 10),
) -> pd.DataFrame:
    """AR and cumulative AR (from the start of ``span``) per relative day around ``day0``, for charting.

    Indexed by ``rel_day``; columns date, stock, market (returns), expected, ar, car. The market model is
    fitted exactly as in ``event_study``, so the path and the table agree.
    """
    _check_params(estimation, gap)
    if span[0] > span[1]:
        raise ValueError(f"span={span}: start > end")
    r = aligned_returns(stock, market)
    given = pd.Timestamp(day0)
    d0 = event_day(r.index, given)
    p0 = int(r.index.get_loc(d0))
    model = fit(r, p0, estimation, gap, given)
    first, last = p0 + span[0], p0 + span[1]
    if first < 0 or last >= len(r):
        raise ValueError(
            f"span={span}: day 0 {d0:%Y-%m-%d} has {p0} session(s) of returns before it and "
            f"{len(r) - 1 - p0} after; shorten span"
        )
    part = r.iloc[first : last + 1]
    expected = model.alpha + model.beta * part["market"]
    path = pd.DataFrame(
        {
            "date": part.index,
            "stock": part["stock"].to_numpy(),
            "market": part["market"].to_numpy(),
            "expected": expected.to_numpy(),
            "ar": (part["stock"] - expected).to_numpy(),
        },
        index=pd.RangeIndex(span[0], span[1] + 1, name="rel_day"),
    )
    path["car"] = path["ar"].cumsum()
    path.attrs.update(model=model, day0=d0)
    return path
