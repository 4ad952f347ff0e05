"""zoomcase.market: pulling the third-party price files and loading them strictly (no network)."""

from __future__ import annotations

import hashlib
import json
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from frictionless import Resource, Schema

from zoomcase.market import (
    MarketDataError,
    MarketDataWarning,
    available_tickers,
    load_prices,
    market_sources,
    pull,
)
from zoomcase.paths import REPO_ROOT, shared_market_dir

Pulled = tuple[Path, pd.DataFrame]  # the pull destination and what pull returned
FIXED_NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
STOOQ_CSV = (
    b"Date,Open,High,Low,Close,Volume\n"
    b"2020-03-20,150.0,155.0,140.0,150.5,1000\n"
    b"2020-03-23,142.0,165.0,137.25,159.56,2000\n"
)


@pytest.fixture(scope="module")
def shared() -> Path:
    folder = shared_market_dir()
    if not folder.is_dir():
        pytest.skip(f"shared market snapshot not found at {folder} (set ZOOMCASE_SHARED_MARKET)")
    return folder


@pytest.fixture(scope="module")
def pulled(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Pulled:
    dest = tmp_path_factory.mktemp("market")
    return dest, pull(dest, shared, fetch=_no_network, now=lambda: FIXED_NOW)


def _no_network(url: str) -> bytes:
    raise AssertionError(f"unexpected download of {url}")


def _write(folder: Path, relative: str, text: str) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- the committed metadata table -----------------------------------------------------------------


def _validate_sources(folder: Path) -> list[list[object]]:
    schema = json.loads((REPO_ROOT / "data" / "market_sources.schema.json").read_text())
    resource = Resource(
        path="market_sources.csv", basepath=str(folder), schema=Schema.from_descriptor(schema)
    )
    return resource.validate().flatten(["rowNumber", "fieldName", "type"])


def test_sources_table_matches_its_schema() -> None:
    assert _validate_sources(REPO_ROOT / "data") == []


def test_schema_catches_a_bad_row(tmp_path: Path) -> None:
    table = (REPO_ROOT / "data" / "market_sources.csv").read_text()
    (tmp_path / "market_sources.csv").write_text(table.replace(",index,", ",bond,", 1))
    assert _validate_sources(tmp_path) == [[3, "kind", "constraint-error"]]


def test_sources_table_describes_every_shared_file(shared: Path) -> None:
    on_disk = sorted(p.relative_to(shared).as_posix() for p in shared.rglob("*.csv"))
    assert sorted(s.path for s in market_sources()) == on_disk


# --- pull -----------------------------------------------------------------------------------------


def test_pull_copies_and_verifies_the_snapshot(shared: Path, pulled: Pulled) -> None:
    dest, provenance = pulled
    assert len(provenance) == len(market_sources())
    assert provenance["verified"].all()
    assert provenance["warning"].isna().all()
    for row in provenance.itertuples():
        copied = (dest / row.path).read_bytes()
        assert copied == (shared / row.path).read_bytes()
        assert row.sha256 == hashlib.sha256(copied).hexdigest()
        assert row.source == str(shared / row.path)
        assert row.pulled_at == "2026-09-01T12:00:00+00:00"
    zm = provenance.set_index("path").loc["ZM.csv"]
    assert (zm.rows, zm.first_date, zm.last_date) == (1463, "2019-04-18", "2025-02-11")
    rng = provenance.set_index("path").loc["closes/RNG.csv"]
    assert (rng.rows, rng.first_date, rng.last_date) == (3230, "2013-09-27", "2026-08-03")
    assert json.loads((dest / "PROVENANCE.json").read_text()) == provenance.to_dict("records")


def test_pull_is_idempotent(shared: Path, pulled: Pulled) -> None:
    dest, _ = pulled
    before = {p: p.read_bytes() for p in dest.rglob("*") if p.is_file()}
    pull(dest, shared, fetch=_no_network, now=lambda: FIXED_NOW)
    assert {p: p.read_bytes() for p in dest.rglob("*") if p.is_file()} == before


def test_pull_flags_a_changed_snapshot_file(shared: Path, tmp_path: Path) -> None:
    fake_shared = tmp_path / "shared"
    for src in market_sources():
        _write(fake_shared, src.path, (shared / src.path).read_text())
    _write(fake_shared, "closes/RNG.csv", "Date,Close\n2020-01-02,10.0\n")
    with pytest.warns(MarketDataWarning, match=r"closes/RNG\.csv: sha256 .* differs"):
        provenance = pull(tmp_path / "dest", fake_shared, fetch=_no_network, now=lambda: FIXED_NOW)
    rng = provenance.set_index("path").loc["closes/RNG.csv"]
    assert not rng.verified
    assert "PROVENANCE.md" in rng.warning
    assert provenance["verified"].sum() == len(provenance) - 1


def test_pull_falls_back_to_stooq(tmp_path: Path) -> None:
    urls: list[str] = []

    def fetch(url: str) -> bytes:
        urls.append(url)
        return STOOQ_CSV

    with pytest.warns(MarketDataWarning, match="downloaded from Stooq"):
        provenance = pull(tmp_path / "dest", tmp_path / "absent", fetch=fetch, now=lambda: FIXED_NOW)
    assert "https://stooq.com/q/d/l/?s=^spx&i=d" in urls
    assert len(urls) == len(market_sources())
    assert not provenance["verified"].any()
    assert provenance["source"].str.startswith("https://stooq.com/").all()
    written = (tmp_path / "dest" / "closes" / "RNG.csv").read_text()
    assert written.splitlines()[0] == "date,open,high,low,close,volume"
    assert (provenance["rows"] == 2).all()
    rng = load_prices("RNG", tmp_path / "dest")
    assert rng.attrs["columns"] == "ohlcv"
    assert rng.loc["2020-03-23", "close"] == 159.56


def test_pull_fails_clearly_when_no_source_works(tmp_path: Path) -> None:
    def unreachable(url: str) -> bytes:
        raise OSError("Name or service not known")

    with pytest.raises(MarketDataError) as info:
        pull(tmp_path / "dest", tmp_path / "absent", fetch=unreachable, now=lambda: FIXED_NOW)
    message = str(info.value)
    assert "ZM.csv (ZM)" in message
    assert "no shared snapshot at" in message
    assert "https://stooq.com/q/d/l/?s=zm.us&i=d" in message
    assert "Name or service not known" in message
    assert "copy the CSVs into data/market/ by hand" in message


def test_pull_names_the_missing_file_when_the_snapshot_is_incomplete(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    with pytest.raises(MarketDataError, match=r"ZM\.csv \(ZM\): no .*shared/ZM\.csv and the Stooq"):
        pull(tmp_path / "dest", tmp_path / "shared", _no_network, lambda: FIXED_NOW)


def test_pull_rejects_a_stooq_answer_without_prices(tmp_path: Path) -> None:
    with pytest.raises(MarketDataError, match=r"Stooq sent no price table for 'zm\.us'.*'No data'"):
        pull(
            tmp_path / "dest",
            tmp_path / "absent",
            fetch=lambda url: b"No data",
            now=lambda: FIXED_NOW,
        )


# --- load_prices on the real files ----------------------------------------------------------------


def test_load_zm_ohlcv(pulled: Pulled) -> None:
    zm = load_prices("ZM", pulled[0])
    assert list(zm.columns) == ["open", "high", "low", "close", "volume"]
    assert zm.index.name == "date"
    assert isinstance(zm.index, pd.DatetimeIndex) and zm.index.tz is None
    assert zm.index.is_monotonic_increasing and zm.index.is_unique
    assert zm.loc["2019-04-18", "close"] == 62.0
    assert zm.loc["2020-03-23", "close"] == pytest.approx(159.56)
    assert len(zm) == 1463
    assert zm.attrs == {
        "ticker": "ZM",
        "path": str(pulled[0] / "ZM.csv"),
        "adjusted": False,
        "columns": "ohlcv",
    }


def test_load_index_by_yahoo_symbol(pulled: Pulled) -> None:
    gspc = load_prices("^gspc", pulled[0])
    assert gspc.attrs["ticker"] == "GSPC"
    assert gspc.loc["2020-03-23", "close"] == pytest.approx(2237.40, abs=0.005)
    assert gspc.index[-1] == pd.Timestamp("2026-08-20")  # preliminary 2026-08-21 dropped


@pytest.mark.parametrize("ticker", ["RNG", "DOCU", "TEAM", "FIVN", "BAND", "IGV", "WCLD", "SKYY"])
def test_close_only_tickers_load_from_closes(pulled: Pulled, ticker: str) -> None:
    prices = load_prices(ticker, pulled[0])
    assert list(prices.columns) == ["close"]
    assert prices.attrs["path"].endswith(f"closes/{ticker}.csv")
    assert prices.attrs["adjusted"] is True
    assert prices.index[-1] == pd.Timestamp("2026-07-31")
    assert pd.Timestamp("2026-08-03") not in prices.index


def test_closes_source_forces_the_close_only_file(pulled: Pulled) -> None:
    zm = load_prices("zm", pulled[0], source="closes")
    assert list(zm.columns) == ["close"]
    assert zm.loc["2020-03-23", "close"] == pytest.approx(159.56)
    assert pd.Timestamp("2026-08-03") not in zm.index
    assert zm.index[-1] == pd.Timestamp("2026-07-31")


def test_available_tickers(pulled: Pulled) -> None:
    tickers = available_tickers(pulled[0])
    assert tickers == sorted(set(tickers))
    assert {"ZM", "GSPC", "IXIC", "RNG", "WCLD"} <= set(tickers)


# --- load_prices on bad input ---------------------------------------------------------------------


def test_provisional_row_is_kept_once_it_is_no_longer_last(tmp_path: Path) -> None:
    _write(tmp_path, "closes/RNG.csv", "Date,Close\n2026-08-03,57.0\n2026-08-04,58.0\n")
    assert list(load_prices("RNG", tmp_path)["close"]) == [57.0, 58.0]


def test_missing_folder_says_to_pull(tmp_path: Path) -> None:
    with pytest.raises(MarketDataError, match=r"no market data folder at .*run `zoomcase data pull`"):
        load_prices("ZM", tmp_path / "nowhere")


def test_unknown_ticker_lists_the_available_ones(tmp_path: Path) -> None:
    _write(tmp_path, "ZM.csv", "date,close\n2020-01-02,68.72\n")
    _write(tmp_path, "closes/RNG.csv", "Date,Close\n2020-01-02,170.0\n")
    with pytest.raises(MarketDataError, match=r"unknown ticker 'AAPL'.*Available in .*: RNG, ZM$"):
        load_prices("AAPL", tmp_path)


def test_listed_ticker_without_file_says_to_pull(tmp_path: Path) -> None:
    _write(tmp_path, "ZM.csv", "date,close\n2020-01-02,68.72\n")
    with pytest.raises(MarketDataError, match=r"no auto file for DOCU .*closes/DOCU\.csv.*data pull"):
        load_prices("DOCU", tmp_path)
    with pytest.raises(MarketDataError, match=r"no closes file for GSPC .*none.*source='auto'"):
        load_prices("GSPC", tmp_path, source="closes")


def test_unknown_source_choice(tmp_path: Path) -> None:
    with pytest.raises(MarketDataError, match="source must be one of auto, ohlcv, closes"):
        load_prices("ZM", tmp_path, source="yahoo")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("date,open\n2020-01-02,1.0\n", r"ZM\.csv, line 1: no close column"),
        ("open,close\n1.0,2.0\n", r"ZM\.csv, line 1: no date column"),
        ("date,close\n2020-01-02,68.7\n2020-01-03,n/a\n", r"line 3: close 'n/a' is not a number"),
        (
            "date,close\n2020-01-02,68.7\n2020-01-03,0\n",
            r"line 3: close '0' is not a positive number",
        ),
        ("date,close\n2020-01-02,-1.5\n", r"line 2: close '-1.5' is not a positive number"),
        ("date,close\n2020-01-02,\n", r"line 2: close '' is not a positive number"),
        ("date,close\n02/01/2020,68.7\n", r"line 2: date '02/01/2020' is not YYYY-MM-DD"),
        ("date,close\n2020-01-02,68.7,1\n", r"line 2: 3 fields where the header has 2"),
        ("date,close\n\n", r"ZM\.csv: no price rows under the header"),
        (
            "date,close\n2020-01-02,68.7\n2020-01-03,69.0\n2020-01-02,70.0\n",
            r"lines 2 and 4: date 2020-01-02 appears twice",
        ),
    ],
)
def test_bad_files_are_refused_with_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    _write(tmp_path, "ZM.csv", text)
    with pytest.raises(MarketDataError, match=message):
        load_prices("ZM", tmp_path)


def test_utf16_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "ZM.csv").write_text(
        "date,close\n2020-01-02,68.72\n", encoding="utf-16"
    )  # as iconv -t utf-16
    with pytest.raises(MarketDataError, match=r"ZM\.csv: UTF-16 text .*save it as CSV UTF-8"):
        load_prices("ZM", tmp_path)
    (tmp_path / "ZM.csv").write_bytes(b"date,close\n2020-01-02,68.72\xe9\n")  # Latin-1, no BOM
    with pytest.raises(MarketDataError, match=r"ZM\.csv: not UTF-8 text .*save it as CSV UTF-8"):
        load_prices("ZM", tmp_path)


def test_short_ohlcv_file_warns_about_a_longer_close_file(tmp_path: Path) -> None:
    row = "2020-01-0{d},1.0,1.0,1.0,{c},100\n"
    _write(
        tmp_path,
        "ZM.csv",
        "date,open,high,low,close,volume\n" + row.format(d=2, c=68.0) + row.format(d=3, c=69.0),
    )
    _write(tmp_path, "closes/ZM.csv", "Date,Close\n2020-01-02,68.0\n2020-01-03,69.0\n2020-01-06,70.0\n")
    with pytest.warns(MarketDataWarning) as caught:
        prices = load_prices("ZM", tmp_path, until="2020-01-31")
    assert str(caught[0].message).startswith(
        f"{tmp_path / 'ZM.csv'} ends 2020-01-03, before 2020-01-31, but "
    )
    assert f"{tmp_path / 'closes/ZM.csv'} runs to 2020-01-06" in str(caught[0].message)
    assert prices.attrs["columns"] == "ohlcv" and prices.index[-1] == pd.Timestamp(
        "2020-01-03"
    )  # as documented
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_prices("ZM", tmp_path, until="2020-01-03")  # covered: nothing to say
        load_prices("ZM", tmp_path)  # no range asked for


def test_unsorted_dates_are_sorted_with_a_warning(tmp_path: Path) -> None:
    _write(tmp_path, "closes/RNG.csv", "Date,Close\n2020-01-03,2.0\n2020-01-02,1.0\n")
    with pytest.warns(MarketDataWarning, match=r"RNG\.csv: dates are not in increasing order"):
        prices = load_prices("RNG", tmp_path)
    assert list(prices["close"]) == [1.0, 2.0]
    assert prices.index.is_monotonic_increasing


def test_yfinance_history_dates_keep_the_trading_day(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "ZM.csv",
        "Date,Open,High,Low,Close,Volume,Dividends,Stock Splits\n"
        "2020-03-23 00:00:00-04:00,142.0,164.94,137.25,159.56,27681500,0.0,0.0\n",
    )
    prices = load_prices("ZM", tmp_path)
    assert list(prices.index) == [pd.Timestamp("2020-03-23")]
    assert list(prices.columns) == ["open", "high", "low", "close", "volume"]


def test_error_is_a_value_error() -> None:
    assert issubclass(MarketDataError, ValueError)
