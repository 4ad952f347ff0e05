"""When would a time-dependent claim have been true? Bands around a stated figure, and date windows.

News figures are rounded, so a claim holds on a day when the data fall inside a band around the stated value.
The band depends on the qualifier the writer used:

- ``""``, ``exactly``, ``about``: within ±10% of the stated value ("verdubbeld" holds for ×1.8 to ×2.2);
- ``more_than`` ("ruim", "meer dan", "plus de"): from the value up to 15% above it — writers round down to a
  headline figure, and a figure far above it makes the claim stale rather than true;
- ``at_least``: the value or more, without upper limit;
- ``at_most`` / ``almost`` ("bijna", "nearly"): up to 15% below the value, and not above it.

The bands are parameters (``TOLERANCE``, ``HEADROOM``) so a reader can rerun the checks with other ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

TOLERANCE = 0.10
HEADROOM = 0.15


@dataclass(frozen=True)
class Band:
    """The range of true values in which a claim holds."""

    low: float
    high: float

    def contains(self, values: pd.Series) -> pd.Series:
        return (values >= self.low) & (values <= self.high)

    def describe(self, fmt: str = "{:,.2f}") -> str:
        high = "∞" if np.isinf(self.high) else fmt.format(self.high)
        return f"[{fmt.format(self.low)}, {high}]"


def band(value: float, qualifier: str, tolerance: float = TOLERANCE, headroom: float = HEADROOM) -> Band:
    """The band in which a figure stated with ``qualifier`` holds."""
    match qualifier:
        case "" | "exactly" | "about":
            return Band(value * (1 - tolerance), value * (1 + tolerance))
        case "more_than":
            return Band(value, value * (1 + headroom))
        case "at_least":
            return Band(value, float("inf"))
        case "at_most" | "almost":
            return Band(value * (1 - headroom), value)
    raise ValueError(f"unknown qualifier {qualifier!r}: use '', exactly, about, more_than, at_least, at_most")


def runs(mask: pd.Series) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """Contiguous runs of True in a date-indexed boolean series, as (first, last) dates."""
    if mask.empty:
        return []
    flags = mask.to_numpy(dtype=bool)
    edges = np.flatnonzero(np.diff(np.concatenate(([False], flags, [False])).astype(int)))
    dates = mask.index
    return [(dates[a], dates[b - 1]) for a, b in zip(edges[::2], edges[1::2], strict=True)]


class NoData(ValueError):
    """A series does not reach back to the date asked about (e.g. a claim dated before the stock listed)."""


def ytd_ratio(close: pd.Series, year: int) -> tuple[pd.Series, pd.Timestamp]:
    """Close over the last close of the previous year, for each session of ``year``, and the base date."""
    before = close[close.index < pd.Timestamp(year, 1, 1)]
    if before.empty:
        raise NoData(f"no close before {year}-01-01 to measure a change since the start of {year}")
    session = close[(close.index >= pd.Timestamp(year, 1, 1)) & (close.index < pd.Timestamp(year + 1, 1, 1))]
    return session / before.iloc[-1], before.index[-1]


def step_series(index: pd.DatetimeIndex, points: pd.Series) -> pd.Series:
    """A value known at some dates (``points``) carried forward over ``index``; NaN before the first."""
    points = points.sort_index()
    return points.reindex(index.union(points.index)).ffill().reindex(index)


def value_on(series: pd.Series, day: pd.Timestamp) -> tuple[pd.Timestamp, float]:
    """The last value on or before ``day`` (a non-trading day takes the previous session)."""
    known = series[series.index <= day].dropna()
    if known.empty:
        raise NoData(f"no data on or before {day:%Y-%m-%d}")
    return known.index[-1], float(known.iloc[-1])
