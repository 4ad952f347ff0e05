"""Bands and date windows for time-dependent claims, on hand-checked small series."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from zoomcase.windows import band, runs, step_series, value_on, ytd_ratio


@pytest.mark.parametrize(
    ("qualifier", "low", "high"),
    [("", 1.8, 2.2), ("about", 1.8, 2.2), ("more_than", 2.0, 2.3), ("at_least", 2.0, math.inf),
     ("at_most", 1.7, 2.0)],
)  # fmt: skip
def test_band_per_qualifier(qualifier, low, high):
    b = band(2.0, qualifier)
    assert b.low == pytest.approx(low) and b.high == pytest.approx(high)


def test_band_refuses_an_unknown_qualifier():
    with pytest.raises(ValueError, match="unknown qualifier 'roughly'"):
        band(1.0, "roughly")


def test_runs_finds_contiguous_true_stretches():
    idx = pd.bdate_range("2020-03-02", periods=8)
    mask = pd.Series([False, True, True, False, True, False, True, True], index=idx)
    assert runs(mask) == [(idx[1], idx[2]), (idx[4], idx[4]), (idx[6], idx[7])]
    assert runs(mask & False) == []


def test_ytd_ratio_uses_the_last_close_of_the_previous_year():
    close = pd.Series(
        [50.0, 68.0, 136.0, 204.0],
        index=pd.to_datetime(["2019-12-30", "2019-12-31", "2020-01-02", "2020-06-01"]),
    )
    ratio, base = ytd_ratio(close, 2020)
    assert base == pd.Timestamp("2019-12-31")
    assert list(ratio) == [2.0, 3.0]
    with pytest.raises(ValueError, match="no close before 2019-01-01"):
        ytd_ratio(close, 2019)


def test_step_series_and_value_on():
    idx = pd.bdate_range("2020-03-02", periods=5)
    counts = pd.Series([100.0, 120.0], index=pd.to_datetime(["2020-03-03", "2020-03-05"]))
    stepped = step_series(idx, counts)
    assert stepped.isna().tolist() == [True, False, False, False, False]
    assert stepped.tolist()[1:] == [100.0, 100.0, 120.0, 120.0]
    assert value_on(stepped, pd.Timestamp("2020-03-08")) == (idx[-1], 120.0)  # a Sunday takes Friday
    with pytest.raises(ValueError, match="no data on or before 2020-03-01"):
        value_on(stepped, pd.Timestamp("2020-03-01"))
