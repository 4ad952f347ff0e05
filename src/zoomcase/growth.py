"""Growth and privacy: the tables behind ``notebooks/02_growth_and_privacy.ipynb``.

Pure functions over DataFrames (the loaders are called at the edges, so tests can pass their own frames):
parameter validation that names the bad parameter, a rebased price panel with an equal-weight peer basket,
Zoom's usage statements beside the corpus's usage claims, when each price or market-cap claim was true,
the event study over the chosen reference events, and findings written from the numbers.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from zoomcase.charts import rebased
from zoomcase.eventstudy import DegenerateFit, aligned_returns, event_day, event_study, fit, window_name
from zoomcase.market import available_tickers, load_prices, market_sources
from zoomcase.reference import load_reference
from zoomcase.views import as_list, check_choice, check_int, is_whole, md_text
from zoomcase.windows import HEADROOM, TOLERANCE, band, runs, step_series, value_on, ytd_ratio

BENCHMARKS = ("IXIC", "GSPC", "QQQ", "SPY")
CATEGORIES = ("privacy", "security", "regulatory", "legal", "corporate_response", "product", "market")
DEFAULT_CATEGORIES = ("privacy", "security", "regulatory", "legal", "corporate_response", "product")
DATED_CHECKS = ("price_change", "market_cap")  # claims whose truth moves with the price
ZOOM = "ZM"  # the corpus's claims are about Zoom: they go on this line only
# A close is carried over at most this many sessions on which its series has none (another exchange's
# holiday or two); longer gaps, and the days after a series' data end, stay empty rather than drawn flat.
CARRY_SESSIONS = 2


class GrowthWarning(UserWarning):
    """A chart or finding leaves something out (a series ends early, claims with no ZM line); says what."""


# The comparison point for the event study. The draft presented at WEIS 2006 (79 privacy breaches, 2000-2006)
# found an abnormal return of about -0.4% on the announcement day and a cumulative one of nearly -0.6% by the
# next day, gone within five days; the figures are as summarised by Law Journal Newsletters (11 July 2006),
# not read from the paper's tables, hence "about".
LITERATURE = {
    "citation": (
        'Acquisti, A., Friedman, A. & Telang, R. (2006). "Is there a cost to privacy breaches? An event '
        'study." Proceedings of the 27th International Conference on Information Systems (ICIS 2006), '
        "Milwaukee, paper 94"
    ),
    "url": "https://aisel.aisnet.org/icis2006/94",
    "summary_url": (
        "https://www.lawjournalnewsletters.com/2006/07/11/"
        "online-exclusive-study-finds-weak-link-between-privacy-breach-stock-price-slippage"
    ),
    "n_events": 79,
    "ar_0": -0.004,  # about -0.4% on the announcement day
    "car_0_p1": -0.006,  # nearly -0.6% over the announcement day and the next
}


@dataclass(frozen=True)
class Params:
    """The notebook's parameters, checked and converted."""

    ticker: str
    benchmark: str
    peers: tuple[str, ...]
    start: pd.Timestamp
    end: pd.Timestamp
    rebase: pd.Timestamp
    categories: tuple[str, ...]
    estimation: int
    gap: int
    windows: tuple[tuple[int, int], ...]
    log_y: bool
    alpha: float = 0.05

    def as_table(self) -> pd.DataFrame:
        """One row per parameter, as the notebook shows it."""
        rows = {
            "ticker": self.ticker,
            "benchmark": self.benchmark,
            "peers": ", ".join(self.peers) or "(none)",
            "start": f"{self.start:%Y-%m-%d}",
            "end": f"{self.end:%Y-%m-%d}",
            "rebase": f"{self.rebase:%Y-%m-%d}",
            "categories": ", ".join(self.categories),
            "estimation": f"{self.estimation} sessions",
            "gap": f"{self.gap} sessions",
            "windows": ", ".join(f"[{a:+d}, {b:+d}]" for a, b in self.windows),
            "log_y": str(self.log_y),
            "alpha": f"{self.alpha:g}",
        }
        return pd.DataFrame({"value": rows}).rename_axis("parameter")


def _as_list(name: str, value) -> list:
    """A list parameter as given in Python, or as the string papermill's ``-p`` makes of it."""
    return as_list(name, value, "['RNG', 'CSCO']" if name == "peers" else "['privacy', 'legal']")


def _symbol(name: str, value, known: Sequence[str]) -> str:
    """A ticker symbol given as text ('ZM', '^IXIC', 'zm'); anything else is refused by name."""
    if not isinstance(value, str):
        raise ValueError(
            f"parameter {name}={value!r}: expected a ticker symbol as text, e.g. 'ZM'; available: "
            + ", ".join(known)
        )
    return value.strip().lstrip("^").upper()


# A date as text: YYYY-MM-DD, optionally with a time of day; no words ('today') and no day-first orders.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?")


def _date(name: str, value) -> pd.Timestamp:
    """A day given as 'YYYY-MM-DD' text, a ``datetime.date``/``datetime`` or a Timestamp (no time zone).

    Numbers are refused: ``pd.Timestamp(2020)`` would be 1970-01-01 plus 2020 nanoseconds.
    """
    problem = "not a date; write YYYY-MM-DD"
    if isinstance(value, str):
        if not _ISO_DATE.fullmatch(value.strip()):
            raise ValueError(f"parameter {name}={value!r}: {problem}")
        value = value.strip()
    elif not isinstance(value, dt.date | np.datetime64):
        raise ValueError(f"parameter {name}={value!r}: {problem}")
    try:
        when = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ValueError(f"parameter {name}={value!r}: {problem}") from None
    if pd.isna(when):
        raise ValueError(f"parameter {name}={value!r}: {problem}")
    if when.tz is not None:
        raise ValueError(f"parameter {name}={value!r}: a date without a time zone; write YYYY-MM-DD")
    return when.normalize()


SESSIONS = "a whole number of trading sessions"
PAIRS = "a list of windows like [[-1, 1], [0, 5]]; each window is a pair of whole days like [-1, 1]"


def _windows(windows) -> list[tuple[int, int]]:
    """The event windows as (first, last) day pairs; a single pair typed without the outer list is named."""
    given = _as_list("windows", windows)
    if len(given) == 2 and all(is_whole(d) for d in given):  # -p windows '[-1, 1]'
        raise ValueError(
            f"parameter windows={windows!r}: expected {PAIRS}; for the one window {given} write [{given}]"
        )
    if not given:
        raise ValueError("parameter windows=[]: give at least one window like [-1, 1], as [[-1, 1]]")
    for pair in given:
        if not isinstance(pair, list | tuple) or len(pair) != 2 or not all(is_whole(d) for d in pair):
            raise ValueError(f"parameter windows={windows!r}: expected {PAIRS}")
    return [(int(a), int(b)) for a, b in given]


def _bool(name: str, value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError(f"parameter {name}={value!r}: expected True or False")


def validate_params(
    ticker: str = "ZM",
    benchmark: str = "IXIC",
    peers: Iterable[str] | str = ("RNG", "CSCO", "MSFT", "DOCU", "TEAM"),
    start="2020-01-01",
    end="2021-12-31",
    rebase="2019-12-31",
    categories: Iterable[str] | str = DEFAULT_CATEGORIES,
    estimation: int = 120,
    gap: int = 10,
    windows: Sequence[Sequence[int]] | str = ((-1, 1), (0, 5)),
    log_y: bool = False,
    alpha: float = 0.05,
    tickers: Iterable[str] | None = None,
) -> Params:
    """Check every parameter against the data; a ValueError names the parameter and what is allowed.

    ``tickers`` (default: the files in ``data/market/``) is what ``ticker``, ``benchmark`` and ``peers``
    may name. Lists may come as strings (papermill ``-p``). Whether the data can fill the windows is
    checked per event by ``study_events``.
    """
    known = sorted(available_tickers() if tickers is None else tickers)
    ticker = _symbol("ticker", ticker, known)
    if ticker not in known:
        raise ValueError(f"parameter ticker={ticker!r}: unknown ticker; available: {', '.join(known)}")
    allowed = [b for b in BENCHMARKS if b in known]
    benchmark = _symbol("benchmark", benchmark, allowed)
    if benchmark not in allowed:
        raise ValueError(f"parameter benchmark={benchmark!r}: choose from {', '.join(allowed)}")
    peer_list = _as_list("peers", peers)
    if not all(isinstance(p, str) for p in peer_list):
        raise ValueError(
            f"parameter peers={peer_list!r}: expected ticker symbols as text, e.g. ['RNG', 'CSCO']; "
            f"available: {', '.join(known)}"
        )
    peer_list = [p.strip().lstrip("^").upper() for p in peer_list]
    unknown = [p for p in peer_list if p not in known]
    if unknown:
        raise ValueError(
            f"parameter peers={peer_list!r}: unknown ticker(s) {unknown}; available: {', '.join(known)}"
        )
    clash = [p for p in peer_list if p in (ticker, benchmark)]
    if clash:  # the default peers hold MSFT: -p ticker MSFT alone clashes with them
        raise ValueError(
            f"parameter peers={peer_list!r}: {', '.join(clash)} is already the ticker or the benchmark "
            f"(ticker={ticker!r}, benchmark={benchmark!r}); give peers without it, e.g. -p peers "
            f"'[{', '.join(p for p in peer_list if p not in clash)}]'"
        )
    if len(set(peer_list)) != len(peer_list):
        raise ValueError(f"parameter peers={peer_list!r}: repeats a ticker; list each ticker once")
    first, last = _date("start", start), _date("end", end)
    if first > last:
        raise ValueError(
            f"parameter start={first:%Y-%m-%d}, end={last:%Y-%m-%d}: empty date range (start after end)"
        )
    base = _date("rebase", rebase)
    if base > last:
        raise ValueError(
            f"parameter rebase={base:%Y-%m-%d}: after end={last:%Y-%m-%d}; choose a day on or before end"
        )
    cats = check_choice("categories", _as_list("categories", categories), CATEGORIES)
    spans = _windows(windows)
    gap_n = check_int("gap", gap, 0, SESSIONS)
    for a, b in spans:
        if a > b:
            raise ValueError(f"parameter windows: [{a}, {b}] starts after it ends")
        if a < -gap_n:
            raise ValueError(f"parameter windows: [{a}, {b}] starts before day -gap={-gap_n}; raise gap")
    repeated = sorted({w for w in spans if spans.count(w) > 1})
    if repeated:  # the event study names its columns after the windows: a repeat would clash
        raise ValueError(
            f"parameter windows: {', '.join(f'[{a}, {b}]' for a, b in repeated)} given more than once; "
            "list each window once"
        )
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not 0 < alpha < 1:
        raise ValueError(f"parameter alpha={alpha!r}: must be a number between 0 and 1 (exclusive)")
    return Params(
        ticker=ticker,
        benchmark=benchmark,
        peers=tuple(peer_list),
        start=first,
        end=last,
        rebase=base,
        categories=tuple(cats),
        estimation=check_int("estimation", estimation, 3, SESSIONS),
        gap=gap_n,
        windows=tuple(spans),
        log_y=_bool("log_y", log_y),
        alpha=float(alpha),
    )


# --- prices ----------------------------------------------------------------------------------------


def peer_basket(rebased_peers: pd.DataFrame) -> pd.Series:
    """Equal-weight basket: the plain mean of peers already rebased to 100 on the same day.

    That is a portfolio putting equal money in each peer on the rebase day and then holding it (weights
    drift with prices), not one rebalanced daily. A peer missing on a day is left out of that day's mean.
    """
    if rebased_peers.shape[1] == 0:
        raise ValueError("rebased_peers: no peer columns")
    basket = rebased_peers.mean(axis=1, skipna=True)
    basket.name = "peer basket"
    return basket


def _closes(tickers: Sequence[str], until: pd.Timestamp, loader=load_prices) -> pd.DataFrame:
    return pd.concat({t: loader(t, until=until)["close"] for t in tickers}, axis=1, sort=True)


def _ended_early(panel: pd.DataFrame, end: pd.Timestamp) -> dict[str, pd.Timestamp]:
    """Series whose last close lies more than CARRY_SESSIONS weekdays before ``end``, with its date."""
    last = {c: panel[c].last_valid_index() for c in panel.columns}
    return {
        c: day
        for c, day in last.items()
        if np.busday_count((day + pd.Timedelta(days=1)).date(), (end + pd.Timedelta(days=1)).date())
        > CARRY_SESSIONS
    }


def price_panel(
    ticker: str,
    benchmark: str,
    peers: Sequence[str],
    start,
    end,
    rebase=None,
    loader=load_prices,
) -> pd.DataFrame:
    """Closes of ticker, benchmark and peers from ``start`` to ``end``, rebased to 100 on ``rebase``.

    Columns: ticker, benchmark, each peer, then ``peer basket`` (equal weight, see ``peer_basket``) when
    there are peers. Rows are the ticker's sessions, then the benchmark's after the ticker's data end, so
    that the other lines are not cut short with it. The rebase day may lie before ``start``: it sets the
    level (``attrs["on"]``) without being shown, so that the summary and findings describe start..end only.
    A series missing on a session (another exchange's holiday) carries its last close for at most
    ``CARRY_SESSIONS`` sessions, and only between two closes: a series stops where its data stop, and a
    GrowthWarning names each one that stops before ``end`` (also in ``attrs["ended"]``). Raises ValueError
    naming ``start``/``end`` when the ticker has no session in the range, ``rebase`` when it has none on or
    before, and the ``benchmark`` or ``peers`` parameter for a series with no close in the range.
    """
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    base = first if rebase is None else pd.Timestamp(rebase)
    closes = _closes([ticker, benchmark, *peers], last, loader)
    own = closes[ticker].dropna().index
    if base < own[0]:
        raise ValueError(
            f"parameter rebase={base:%Y-%m-%d}: before {ticker}'s first session {own[0]:%Y-%m-%d}"
        )
    if not ((own >= first) & (own <= last)).any():
        raise ValueError(
            f"parameter start={first:%Y-%m-%d}, end={last:%Y-%m-%d}: no {ticker} session in the range "
            f"(the data run {own[0]:%Y-%m-%d} to {own[-1]:%Y-%m-%d})"
        )
    market = closes[benchmark].dropna().index
    sessions = own.union(market[market > own[-1]])
    aligned = closes.ffill(limit=CARRY_SESSIONS, limit_area="inside").reindex(sessions).loc[:last]
    try:
        out = rebased(aligned, base)
    except ValueError as err:  # a peer or benchmark with no close on or before the rebase day
        raise ValueError(f"parameter rebase={base:%Y-%m-%d}: {err}") from None
    out = out.loc[first:]
    for column, role in [(benchmark, "benchmark"), *((peer, "peers") for peer in peers)]:
        if out[column].isna().all():
            known = closes[column].dropna().index
            raise ValueError(
                f"parameter {role}: {column} has no close from {first:%Y-%m-%d} to {last:%Y-%m-%d} (its data "
                f"run {known[0]:%Y-%m-%d} to {known[-1]:%Y-%m-%d}); choose another {role} or other dates"
            )
    ended = _ended_early(out, last)
    if ended:
        listed = ", ".join(f"{c} on {day:%Y-%m-%d}" for c, day in ended.items())
        basket = " and the peer basket averages the peers still trading" if set(ended) & set(peers) else ""
        warnings.warn(
            f"price data end before end={last:%Y-%m-%d}: {listed}; their lines stop there{basket}",
            GrowthWarning,
            stacklevel=2,
        )
    if peers:
        out["peer basket"] = peer_basket(out[list(peers)])
    out.attrs = {
        "on": base,
        "ticker": ticker,
        "benchmark": benchmark,
        "peers": tuple(peers),
        "ended": ended,
    }
    return out


def panel_summary(panel: pd.DataFrame) -> pd.DataFrame:
    """The numbers behind the price chart: per line, first and last level, high and low with their dates.

    Each line's own first and last close: a series whose data stop early reports where it stopped.
    """
    rows = []
    for column in panel.columns:
        s = panel[column].dropna()
        rows.append(
            {
                "series": column,
                "first_day": f"{s.index[0]:%Y-%m-%d}",
                "first": round(float(s.iloc[0]), 1),
                "high": round(float(s.max()), 1),
                "high_on": f"{s.idxmax():%Y-%m-%d}",
                "low": round(float(s.min()), 1),
                "low_on": f"{s.idxmin():%Y-%m-%d}",
                "last_day": f"{s.index[-1]:%Y-%m-%d}",
                "last": round(float(s.iloc[-1]), 1),
            }
        )
    return pd.DataFrame(rows).set_index("series")


def chosen_events(categories: Sequence[str], start, end, events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Reference events of the chosen categories dated from ``start`` to ``end``, by date."""
    events = load_reference("events") if events is None else events
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    keep = events["category"].isin(list(categories)) & events["date"].between(first, last)
    return events[keep].sort_values(["date", "id"], kind="stable").reset_index(drop=True)


def events_summary(events: pd.DataFrame) -> pd.DataFrame:
    """Events on the chart, counted per category with the first and last date."""
    grouped = events.groupby("category", sort=False)["date"]
    table = pd.DataFrame({"events": grouped.size(), "first": grouped.min(), "last": grouped.max()})
    order = [c for c in CATEGORIES if c in table.index]
    table = table.loc[order]
    for column in ("first", "last"):
        table[column] = table[column].dt.strftime("%Y-%m-%d")
    return table


def placed_claims(checked: pd.DataFrame, panel: pd.DataFrame) -> pd.DataFrame:
    """Claims dated while the panel's ZM line runs, placed on that line for the price chart.

    The corpus's claims are about Zoom, so they go on the ZM line whether ZM is the ticker or a peer; when
    ZM is not charted none is placed and a GrowthWarning says so. A claim goes at its ``as_of`` date; a
    claim without one goes at ``consistent_from`` (the first day its figure or event was true), which the
    ``placed_by`` column says. ``y`` is ZM's rebased level on that day (the previous session for a closed
    day).
    """
    if ZOOM not in panel.columns:
        warnings.warn(
            f"the corpus's claims are about Zoom and {ZOOM} is not charted ({', '.join(panel.columns)}), "
            f"so none is placed on the chart; add {ZOOM} as ticker or peer to see them",
            GrowthWarning,
            stacklevel=2,
        )
    line = (
        panel[ZOOM].dropna() if ZOOM in panel.columns else pd.Series(index=pd.DatetimeIndex([]), dtype=float)
    )
    where = checked["as_of"].where(checked["as_of"].notna(), checked["consistent_from"])
    out = checked.assign(
        placed=where,
        placed_by=["as_of" if pd.notna(a) else "consistent_from" for a in checked["as_of"]],
    )
    out = out[out["placed"].between(line.index.min(), line.index.max())].copy()
    out["y"] = [value_on(line, day)[1] for day in out["placed"]]
    out["as_of"] = out["placed"]
    return out.reset_index(drop=True)


def claims_table(placed: pd.DataFrame) -> pd.DataFrame:
    """The claims drawn on the price chart, one line each."""
    view = placed[["claim_id", "metric", "verdict", "placed", "placed_by", "y"]].copy()
    view["placed"] = view["placed"].dt.strftime("%Y-%m-%d")
    view["y"] = view["y"].round(1)
    return view.rename(columns={"y": "level"}).set_index("claim_id")


# --- usage -------------------------------------------------------------------------------------------

_KIND = {
    "meeting_participants": "Zoom: daily meeting participants (joins)",
    "users": "third party: users (estimates)",
}


def usage_table(
    checked: pd.DataFrame | None = None, usage: pd.DataFrame | None = None, end=None
) -> pd.DataFrame:
    """Zoom's participant counts and third parties' user estimates, with the corpus's usage claims.

    One row per point: date, series, id, value, counts (what is counted), who (Zoom / third party / corpus),
    verdict (claims only), as_stated (the wording) and note. Claims without a stated date are placed at
    ``consistent_from``, the date of the statement they match. Points after ``end`` are left out; earlier
    ones stay whatever the first day shown: the statements are few, and the first (December 2019) is the
    yardstick of every growth claim.
    """
    usage = load_reference("usage_metrics") if usage is None else usage
    part = usage[usage["counts"].isin(list(_KIND))]
    rows = [
        {
            "date": r.date,
            "series": _KIND[r.counts],
            "id": r.id,
            "value": float(r.value),
            "counts": r.counts,
            "who": "third party" if str(r.metric).endswith("_estimate") else "Zoom",
            "verdict": pd.NA,
            "as_stated": r.as_stated,
            "note": r.definition,
        }
        for r in part.itertuples()
    ]
    if checked is not None:
        claims = checked[(checked["check"] == "usage") & checked["metric"].str.contains("users")]
        for c in claims.itertuples():
            when = c.as_of if pd.notna(c.as_of) else c.consistent_from
            if pd.isna(when) or pd.isna(c.value):
                continue
            rows.append(
                {
                    "date": when,
                    "series": "corpus: claims about 'users'",
                    "id": c.claim_id,
                    "value": float(c.value),
                    "counts": "users (as written)",
                    "who": "corpus",
                    "verdict": c.verdict,
                    "as_stated": c.quote,
                    "note": c.gloss_en if pd.notna(c.gloss_en) else c.explanation,
                }
            )
    table = pd.DataFrame(rows)
    if end is not None:
        table = table[table["date"] <= pd.Timestamp(end)]
    return table.sort_values(["date", "id"], kind="stable").reset_index(drop=True)


def business_table(financials: pd.DataFrame | None = None, end=None) -> pd.DataFrame:
    """Quarterly revenue and customers with more than 10 employees, where the reference data have them."""
    fin = load_reference("financials") if financials is None else financials
    quarters = fin[fin["period"].str.startswith("Q")]
    table = pd.DataFrame(
        {
            "period": quarters["fiscal_year"] + " " + quarters["period"],
            "period_end": quarters["period_end"],
            "revenue_usd_m": quarters["revenue_usd"].astype("Float64") / 1e6,
            "customers_over_10_employees": quarters["customers_over_10_employees"],
        }
    )
    table = table.dropna(subset=["revenue_usd_m", "customers_over_10_employees"], how="all")
    if end is not None:
        table = table[table["period_end"] <= pd.Timestamp(end)]
    return table.sort_values("period_end").reset_index(drop=True)


def usage_view(usage: pd.DataFrame) -> pd.DataFrame:
    """The usage points as the notebook prints them (values in millions)."""
    view = usage[["date", "id", "who", "counts", "value", "verdict"]].copy()
    view["date"] = view["date"].dt.strftime("%Y-%m-%d")
    view["value_m"] = (view.pop("value") / 1e6).round(2)
    view["verdict"] = view["verdict"].fillna("")
    return view.set_index("id")


# --- claim dating ------------------------------------------------------------------------------------


@dataclass
class ClaimDating:
    """Per dated price or market-cap claim, the daily series, its band, and when it held."""

    series: pd.DataFrame  # claim_id, date, value, low, high, inside
    summary: pd.DataFrame  # one row per claim
    meta: dict = field(default_factory=dict)


def _cap_series(close: pd.Series, financials: pd.DataFrame) -> pd.Series:
    fin = financials.dropna(subset=["shares_outstanding", "shares_asof_date"])
    shares = step_series(close.index, fin.set_index("shares_asof_date")["shares_outstanding"].astype(float))
    return (close * shares / 1e9).dropna()


def claim_dating(
    checked: pd.DataFrame,
    close: pd.Series | None = None,
    financials: pd.DataFrame | None = None,
    tolerance: float = TOLERANCE,
    headroom: float = HEADROOM,
) -> ClaimDating:
    """For each price-change or market-cap claim, the measured value per session, the claim's band, and
    the stretches in which it held — computed as ``check_claims`` does (change since the previous year's
    last close; close × latest filed share count, in the year the claim speaks of). Claims the market data
    cannot check (``unverifiable``: no date, or a date before the data begin) are left out.
    """
    close = load_prices("ZM")["close"] if close is None else close
    financials = load_reference("financials") if financials is None else financials
    chosen = checked[checked["check"].isin(DATED_CHECKS) & (checked["verdict"] != "unverifiable")]
    series, summary = [], []
    for c in chosen.itertuples():
        day = c.as_of if pd.notna(c.as_of) else c.since
        if pd.isna(day) or pd.isna(c.value):
            continue
        if c.check == "price_change":
            values, base = ytd_ratio(close, day.year)
            b = band(c.value, c.qualifier, tolerance, headroom)
            measure, unit = f"close as a multiple of the {base:%Y-%m-%d} close", "×"
        else:
            values = _cap_series(close, financials)
            values = values[values.index.year == day.year]
            b = band(c.value / 1e9, c.qualifier, tolerance, headroom)
            measure, unit = "market cap in USD bn", "USD bn"
        inside = b.contains(values)
        series.append(
            pd.DataFrame(
                {
                    "claim_id": c.claim_id,
                    "date": values.index,
                    "value": values.to_numpy(),
                    "low": b.low,
                    "high": b.high,
                    "inside": inside.to_numpy(),
                }
            )
        )
        stretches = runs(inside)
        on_day = value_on(values, c.as_of)[1] if pd.notna(c.as_of) else math.nan
        summary.append(
            {
                "claim_id": c.claim_id,
                "metric": c.metric,
                "measure": measure,
                "unit": unit,
                "claimed": c.value if c.check == "price_change" else c.value / 1e9,
                "qualifier": c.qualifier or "(plain)",
                "band_low": b.low,
                "band_high": b.high,
                "page_date": c.as_of,
                "on_page_date": on_day,
                "held_from": stretches[0][0] if stretches else pd.NaT,
                "held_to": stretches[-1][1] if stretches else pd.NaT,
                "sessions_held": int(inside.sum()),
                "stretches": len(stretches),
                "true_on_page_date": bool(b.low <= on_day <= b.high) if not math.isnan(on_day) else pd.NA,
                "quote": c.quote,
                "gloss_en": c.gloss_en,
                "verdict": c.verdict,
            }
        )
    frame = (
        pd.concat(series, ignore_index=True)
        if series
        else pd.DataFrame(columns=["claim_id", "date", "value", "low", "high", "inside"])
    )
    return ClaimDating(frame, pd.DataFrame(summary), {"tolerance": tolerance, "headroom": headroom})


def dating_view(dating: ClaimDating) -> pd.DataFrame:
    """The claim-dating summary as the notebook prints it."""
    s = dating.summary
    if s.empty:
        return pd.DataFrame(columns=["claim_id"]).set_index("claim_id")
    view = s[["claim_id", "measure", "claimed", "qualifier", "band_low", "band_high"]].copy()
    for column in ("claimed", "band_low", "band_high"):
        view[column] = view[column].round(2)
    view["page_date"] = s["page_date"].dt.strftime("%Y-%m-%d")
    view["on_page_date"] = s["on_page_date"].round(2)
    view["held_from"] = s["held_from"].dt.strftime("%Y-%m-%d")
    view["held_to"] = s["held_to"].dt.strftime("%Y-%m-%d")
    view["sessions_held"] = s["sessions_held"]
    view["true_on_page_date"] = s["true_on_page_date"]
    return view.set_index("claim_id")


# --- event study -------------------------------------------------------------------------------------


def _why_dropped(event, r: pd.DataFrame, params: Params) -> tuple[str, str]:
    """(the parameter(s) to change, the reason) for an event the data cannot study; ("", "") when they can.

    A month-only date blames no parameter: no choice of them places it on a session.
    """
    if event.date_precision != "day":
        return "", f"dated to the {event.date_precision} only, so day 0 is unknown"
    if event.date > r.index[-1]:
        return "end", f"after the last session with both prices ({r.index[-1]:%Y-%m-%d})"
    p0 = int(r.index.get_loc(event_day(r.index, event.date)))
    est, gap = params.estimation, params.gap
    if p0 - gap - est < 0:
        # Name what must change: estimation when it does not fit even without a gap, gap when it leaves fewer
        # sessions than the least estimation (3); both when lowering either would do.
        forced = [name for name, short in (("estimation", p0 < est), ("gap", p0 - gap < 3)) if short]
        blame = ", ".join(forced or ["estimation", "gap"])
        return blame, (
            f"{blame}: only {max(p0 - gap, 0)} sessions of returns before day 0 minus gap={gap}, "
            f"needs estimation={est}"
        )
    hi = max(0, *(b for _, b in params.windows))
    if p0 + hi >= len(r):
        return "windows", f"windows: needs returns to day +{hi}; the data end {r.index[-1]:%Y-%m-%d}"
    try:
        fit(r, p0, est, gap, event.date, str(event.id))
    except DegenerateFit as err:
        return {"stock": "ticker", "market": "benchmark"}[err.series], str(err)
    return "", ""


@dataclass
class Study:
    """The event study's results, the events left out and why, and the parameters."""

    results: pd.DataFrame
    dropped: pd.DataFrame
    params: dict


def study_events(
    params: Params,
    events: pd.DataFrame | None = None,
    stock: pd.Series | None = None,
    market: pd.Series | None = None,
) -> Study:
    """Event study of ``params.ticker`` against ``params.benchmark`` for the chosen events.

    Events dated only to a month cannot be placed on a session and are dropped; so are events whose
    estimation window (``estimation`` sessions ending ``gap`` sessions before day 0) or event windows run
    past the data, or whose estimation window no market model fits (``DegenerateFit``, e.g. constant
    closes). ``dropped`` lists them with the reason. When no event is left, the ValueError names the
    parameter(s) to change. Events on closed days move to the next session (``day0``).
    """
    chosen = chosen_events(params.categories, params.start, params.end, events)
    stock = load_prices(params.ticker, until=params.end)["close"] if stock is None else stock.copy()
    market = load_prices(params.benchmark, until=params.end)["close"] if market is None else market.copy()
    stock.attrs["ticker"], market.attrs["ticker"] = params.ticker, params.benchmark
    r = aligned_returns(stock, market)
    keep, dropped, blamed = [], [], []
    for e in chosen.itertuples():
        blame, reason = _why_dropped(e, r, params)
        if reason:
            dropped.append({"id": e.id, "date": e.date, "category": e.category, "reason": reason})
            blamed.append(blame)
        else:
            keep.append(e.Index)
    dropped = pd.DataFrame(dropped, columns=["id", "date", "category", "reason"])
    if not keep:
        if chosen.empty:
            raise ValueError(
                f"parameter categories={list(params.categories)!r}: no events from {params.start:%Y-%m-%d} "
                f"to {params.end:%Y-%m-%d}; widen start/end or choose other categories"
            )
        names = list(dict.fromkeys(b for b in blamed if b)) or ["categories"]
        first = next(
            (r for b, r in zip(blamed, dropped["reason"], strict=True) if b), dropped["reason"].iloc[0]
        )
        raise ValueError(
            f"parameter {', '.join(names)}: the data cannot fill the windows of any of the {len(chosen)} "
            f"chosen event(s); first reason: {first}"
        )
    kept = chosen.loc[keep]
    results = event_study(stock, market, kept, params.estimation, params.gap, params.windows, params.alpha)
    results.insert(2, "category", kept["category"].to_numpy())
    results.attrs.update(stock=params.ticker, market=params.benchmark)
    return Study(
        results,
        dropped,
        {
            "estimation": params.estimation,
            "gap": params.gap,
            "windows": params.windows,
            "alpha": params.alpha,
        },
    )


def event_table(study: Study) -> pd.DataFrame:
    """The event study as the notebook prints it: returns in percent, t rounded, overlaps as a count."""
    res = study.results
    stems = [window_name(w) for w in study.params["windows"]]
    view = pd.DataFrame(
        {
            "id": res["id"],
            "category": res["category"],
            "day0": res["day0"].dt.strftime("%Y-%m-%d"),
            "moved": res["day0"] != res["date"],
            "beta": res["beta_hat"].round(2),
            "ar_0_%": (100 * res["ar_0"]).round(2),
            "t_ar_0": res["t_ar_0"].round(2),
        }
    )
    for stem in stems:
        view[f"car_{stem}_%"] = (100 * res[f"car_{stem}"]).round(2)
        view[f"t_{stem}"] = res[f"t_car_{stem}"].round(2)
    view["significant"] = res["significant"]
    view["overlaps"] = res["overlaps"].map(lambda s: len(s.split(",")) if s else 0)
    view["est_contaminated"] = res["estimation_contaminated"]
    return view.set_index("id")


def sessions_summary(study: Study) -> pd.DataFrame:
    """Averages over distinct day-0 sessions (events sharing a session count once), beside the literature."""
    res = study.results.drop_duplicates("day0")
    rows = {"AR day 0": res["ar_0"]} | {
        f"CAR [{a:+d}, {b:+d}]": res[f"car_{window_name((a, b))}"] for a, b in study.params["windows"]
    }
    table = pd.DataFrame(
        {
            "sessions": {k: len(v) for k, v in rows.items()},
            "mean_%": {k: round(100 * float(v.mean()), 2) for k, v in rows.items()},
            "median_%": {k: round(100 * float(v.median()), 2) for k, v in rows.items()},
            "negative": {k: int((v < 0).sum()) for k, v in rows.items()},
        }
    )
    lit = {"AR day 0": LITERATURE["ar_0"], "CAR [-1, +1]": None, "CAR [+0, +1]": LITERATURE["car_0_p1"]}
    table["literature_%"] = [round(100 * lit[k], 1) if lit.get(k) is not None else pd.NA for k in table.index]
    return table


# --- findings ----------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{x:+.1%}"


def _ended(s: pd.DataFrame, series: str, day: str) -> str:
    """ "ended at 162", or "ended 2021-06-30 at 162" when the series stopped on another day than ``day``."""
    on = "" if s.loc[series, "last_day"] == day else f" {s.loc[series, 'last_day']}"
    return f"ended{on} at {s.loc[series, 'last']:.0f}"


def _extreme(row: pd.Series, direction: str) -> str:
    """The day-0 fall or rise of one event, worded by its sign: the lowest return need not be a fall."""
    moved = row["ar_0"] < 0 if direction == "fall" else row["ar_0"] > 0
    where = f"({md_text(row['id'])}, {row['day0']:%Y-%m-%d}, t = {row['t_ar_0']:.1f})"
    if moved:
        return f"The largest day-0 {direction} was {_pct(row['ar_0'])} {where}."
    verb, least = ("fell", "lowest") if direction == "fall" else ("rose", "highest")
    return f"No event {verb} on day 0: the {least} abnormal return was {_pct(row['ar_0'])} {where}."


def findings_markdown(
    params: Params, panel: pd.DataFrame, usage: pd.DataFrame, dating: ClaimDating, study: Study
) -> str:
    """The notebook's findings, every number computed from the tables above.

    Markdown passes HTML through, and claim, event and usage ids come from editable data files, so every
    string from the data goes through ``md_text``.
    """
    t, bm = params.ticker, params.benchmark
    s = panel_summary(panel)
    day = s.loc[t, "last_day"]
    lines = [
        f"- **Price, {panel.index[0]:%Y-%m-%d} to {panel.index[-1]:%Y-%m-%d}.** With 100 = the close of "
        f"{panel.attrs['on']:%Y-%m-%d}, {t} peaked at **{s.loc[t, 'high']:.0f}** on {s.loc[t, 'high_on']} "
        f"and ended {day} at **{s.loc[t, 'last']:.0f}**; {bm} {_ended(s, bm, day)}"
        + (
            f" and the equal-weight peer basket ({', '.join(params.peers)}) {_ended(s, 'peer basket', day)} "
            f"(its high: {s.loc['peer basket', 'high']:.0f})."
            if params.peers
            else "."
        )
    ]
    ended = panel.attrs.get("ended", {})
    if ended:
        basket = (
            ", and the peer basket averages only the peers still trading"
            if set(ended) & set(params.peers)
            else ""
        )
        lines.append(
            f"- **Data end early.** Before {params.end:%Y-%m-%d} the price data stop for "
            + ", ".join(f"{c} ({d:%Y-%m-%d})" for c, d in ended.items())
            + f": each line stops there and the figures above are its last close{basket}."
        )
    if ZOOM not in panel.columns:
        lines.append(
            f"- **Claims not on the chart.** The corpus's claims are about Zoom and {ZOOM} is not charted, "
            "so none is placed on the price chart; the claim dating below uses ZM's own prices."
        )
    zoom = usage[(usage["who"] == "Zoom") & (usage["counts"] == "meeting_participants")]
    users = usage[usage["counts"] == "users"]
    claims = usage[usage["who"] == "corpus"]
    if not zoom.empty:
        top = zoom.loc[zoom["value"].idxmax()]
        low = zoom.loc[zoom["value"].idxmin()]
        est = users[users["who"] == "third party"]
        text = (
            f"- **Users or participants.** Zoom's own figures count daily *meeting participants* (every join "
            f"counts once): {low['value'] / 1e6:,.0f}M ({low['date']:%Y-%m}) rising to "
            f"{top['value'] / 1e6:,.0f}M ({top['date']:%Y-%m-%d}), ×{top['value'] / low['value']:.0f}."
        )
        if not est.empty:
            big = est.loc[est["value"].idxmax()]
            text += (
                f" The largest third-party estimate of *users* is {big['value'] / 1e6:,.2f}M "
                f"({md_text(big['id'])}), "
                f"{top['value'] / big['value']:.0f} times smaller than the peak participant count."
            )
        if not claims.empty:
            counts = claims["verdict"].value_counts()
            text += (
                f" The corpus reports {len(claims)} of these figures as *users*: "
                + ", ".join(f"{n} {md_text(v)}" for v, n in counts.items())
                + "."
            )
        lines.append(text)
    for row in dating.summary.itertuples():
        fmt = "×{:.2f}" if row.unit == "×" else "${:,.1f}bn"
        held = (
            f"held on {row.sessions_held} session(s) in {row.stretches} stretch(es) between "
            f"{row.held_from:%Y-%m-%d} and {row.held_to:%Y-%m-%d}"
            if row.sessions_held
            else "held on no session"
        )
        on_page = (
            f"; on the page date {row.page_date:%Y-%m-%d} the figure was {fmt.format(row.on_page_date)}, "
            f"so the claim was {'true' if row.true_on_page_date else 'no longer true'} then"
            if pd.notna(row.page_date)
            else ""
        )
        lines.append(
            f"- **When claim {md_text(row.claim_id)} was true.** It puts the {row.measure} at "
            f"{fmt.format(row.claimed)} (band {fmt.format(row.band_low)} to {fmt.format(row.band_high)}); "
            f"that {held}{on_page}."
        )
    res = study.results
    distinct = res.drop_duplicates("day0")
    sig = res[res["significant"]]
    lit = LITERATURE
    mean0 = float(distinct["ar_0"].mean())
    side = (
        "more negative than"
        if mean0 < lit["ar_0"]
        else "not as negative as"
        if mean0 < 0
        else "opposite in sign to"
    )
    lines.append(
        f"- **Event study.** {len(res)} event(s) on {len(distinct)} distinct session(s) "
        f"({len(study.dropped)} left out, listed above); {len(sig)} significant at {params.alpha:g} "
        f"on day 0 or a window. The mean day-0 abnormal return over distinct sessions is **{_pct(mean0)}**, "
        f"{side} the "
        f"about {lit['ar_0']:.1%} on the announcement day (and nearly {lit['car_0_p1']:.1%} over two days) "
        f"that Acquisti, Friedman & Telang (2006) found over {lit['n_events']} privacy breaches. "
        f"{_extreme(res.loc[res['ar_0'].idxmin()], 'fall')} {_extreme(res.loc[res['ar_0'].idxmax()], 'rise')}"
    )
    overlapping = int((res["overlaps"] != "").sum())
    lines.append(
        f"- **Anecdotes, not a sample.** These are {len(distinct)} sessions of one firm; {overlapping} "
        f"of the {len(res)} events share event-window sessions with another, so their returns are not "
        "independent observations, and a mean over them does not estimate what privacy news costs a firm. "
        "The literature's figure averages many firms' single announcements; set ours beside it, not "
        "against it."
    )
    return "\n".join(lines)


def caveats_markdown(params: Params) -> str:
    """Caveats for the chosen series: where the prices come from and which are adjusted."""
    sources = {s.ticker: s for s in market_sources() if s.columns == "ohlcv"}
    sources |= {s.ticker: s for s in market_sources() if s.columns == "close" and s.ticker not in sources}
    shown = [params.ticker, params.benchmark, *params.peers]
    adjusted = [t for t in shown if t in sources and sources[t].adjusted]
    traded = [t for t in shown if t in sources and not sources[t].adjusted]
    lines = [
        "- **Source.** All prices are third-party Yahoo Finance downloads kept in public repositories "
        "(see `data/market/PROVENANCE.json`), not an exchange feed; a provisional last row may still "
        "change.",
        f"- **Adjusted versus traded.** Traded closes (unadjusted): {', '.join(traded) or 'none'}. "
        f"Adjusted closes (dividends and splits folded in): {', '.join(adjusted) or 'none'}. Rebased lines "
        "of adjusted series include dividends, traded ones do not"
        + (
            "; ZM paid no dividend and did not split in these years, so its traded close is its total return."
            if params.ticker == "ZM"
            else "."
        ),
        "- **2020 was the pandemic.** Lockdowns, not privacy news, drove Zoom's growth and its share price "
        f"in 2020; a market model estimated on {params.estimation} sessions before March 2020 misjudges "
        "March's swings, so abnormal returns around the privacy stories mix both.",
        "- **Usage figures** are Zoom's own statements (participants, not people) and third-party "
        "app-store estimates (users, downloads); they measure different things and cover only a few dates.",
    ]
    return "\n".join(lines)
