"""Daily market prices for the Zoom case: pull third-party files locally, then load them strictly.

The price files are third-party data (see ``../shared/data/market/PROVENANCE.md``) and are never
committed: ``pull`` copies them into the git-ignored ``data/market/`` and records where every byte
came from. The committed ``data/market_sources.csv`` is our own description of those files (hash,
adjustment, provisional rows, Stooq fallback symbol), so a copy can be checked and a missing
snapshot replaced. ``load_prices`` refuses anything that would silently bend a return series
(duplicate dates, bad closes).

Two more checks guard the return series:

- **Stock splits.** In a file that market_sources.csv marks as *not* adjusted, a one-day close ratio within
  ``SPLIT_TOLERANCE`` (2%) of a common split ratio (N-for-1: ×1/2, ×1/3, ×1/4, ×1/5, ×1/8, ×1/10, ×1/20;
  reverse 1-for-N: ×2 … ×20) is taken for an unadjusted split: ``load_prices`` raises a MarketDataError
  naming the file, the date and the ratio, and says to use split-adjusted data. ``splits="adjust"``
  instead divides the prices before the split (and multiplies the volumes) by the nominal ratio and records
  each adjustment in ``attrs["split_adjustments"]`` (the key is absent when nothing was adjusted). Files
  marked adjusted are not checked (their jumps are real moves; ZM's +40.8% on 2020-06-03 is far from any
  ratio).
- **Gaps.** More than ``MAX_GAP_SESSIONS`` (5) weekdays missing between two rows inside the series is
  warned about (MarketDataWarning naming the file and both dates) and listed in ``attrs["gaps"]`` (absent
  when there is none). Known exchange closures (``KNOWN_CLOSURES``: the 1933 bank holiday, September 2001,
  Hurricane Sandy) are listed but not warned about.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import math
import os
import tempfile
import urllib.request
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from zoomcase.paths import REPO_ROOT, market_dir, shared_market_dir

SOURCES_CSV = REPO_ROOT / "data" / "market_sources.csv"
STOOQ_URL = "https://stooq.com/q/d/l/?s={symbol}&i=d"
OHLCV = ("date", "open", "high", "low", "close", "volume")
PRICE_COLUMNS = OHLCV[1:]
SOURCE_CHOICES = ("auto", "ohlcv", "closes")
SPLIT_CHOICES = ("error", "adjust")
SPLIT_RATIOS = (2, 3, 4, 5, 8, 10, 20)
SPLIT_TOLERANCE = 0.02
MAX_GAP_SESSIONS = 5
# Multi-day closures of the US exchanges (first and last weekday closed) that are not data errors.
KNOWN_CLOSURES: tuple[tuple[date, date, str], ...] = (
    (date(1933, 3, 6), date(1933, 3, 14), "1933 bank holiday"),
    (date(2001, 9, 11), date(2001, 9, 14), "September 11 attacks"),
    (date(2012, 10, 29), date(2012, 10, 30), "Hurricane Sandy"),
)


class MarketDataError(ValueError):
    """Market data is missing or malformed; the message names the file and what to do."""


class MarketDataWarning(UserWarning):
    """Market data was usable but not as documented (hash mismatch, unsorted dates)."""


@dataclass(frozen=True)
class MarketSource:
    """One row of ``data/market_sources.csv``."""

    ticker: str
    path: str
    name: str
    kind: str
    columns: str
    adjusted: bool
    provisional_last_rows: tuple[str, ...]
    upstream: str
    stooq_symbol: str
    expected_sha256: str


@dataclass(frozen=True)
class PulledFile:
    """One row of ``PROVENANCE.json``: what was written, from where, and whether it checks out."""

    path: str
    ticker: str
    source: str
    sha256: str
    rows: int
    first_date: str
    last_date: str
    pulled_at: str
    verified: bool
    warning: str | None


def market_sources(table: Path = SOURCES_CSV) -> list[MarketSource]:
    """The committed description of every market file, in table order."""
    with table.open(newline="", encoding="utf-8") as fh:
        return [
            MarketSource(
                ticker=row["ticker"],
                path=row["path"],
                name=row["name"],
                kind=row["kind"],
                columns=row["columns"],
                adjusted=row["adjusted"] == "true",
                provisional_last_rows=tuple(filter(None, row["provisional_last_rows"].split(";"))),
                upstream=row["upstream"],
                stooq_symbol=row["stooq_symbol"],
                expected_sha256=row["expected_sha256"],
            )
            for row in csv.DictReader(fh)
        ]


# --- pull -----------------------------------------------------------------------------------------


def _urllib_fetch(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "zoomcase (research notebooks)"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def _stooq_to_ohlcv(payload: bytes, src: MarketSource, url: str) -> bytes:
    """Stooq's ``Date,Open,High,Low,Close,Volume`` in our lower-case layout, values kept as sent.

    Stooq answers an unknown symbol or an exhausted quota with HTTP 200 and a line of text, so the
    header is checked rather than trusting the status.
    """
    text = payload.decode("utf-8-sig", errors="replace")
    rows = list(csv.reader(io.StringIO(text)))
    header = [h.strip().lower() for h in rows[0]] if rows else []
    if not {"date", "open", "high", "low", "close"} <= set(header) or len(rows) < 2:
        first = text.strip().splitlines()[0][:120] if text.strip() else "(empty response)"
        raise MarketDataError(
            f"{src.path} ({src.ticker}): Stooq sent no price table for {src.stooq_symbol!r} at "
            f"{url}; it answered {first!r}. Check the symbol in data/market_sources.csv or copy "
            "the CSV into data/market/ by hand."
        )
    index = [header.index(c) if c in header else None for c in OHLCV]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OHLCV)
    for row in rows[1:]:
        if row:
            writer.writerow([row[i] if i is not None and i < len(row) else "" for i in index])
    return out.getvalue().encode()


def _describe(data: bytes) -> tuple[int, str, str]:
    """Data rows and first/last trading date of a price CSV (dates are the first 10 characters)."""
    lines = [line for line in data.decode("utf-8").splitlines()[1:] if line.strip()]
    if not lines:
        return 0, "", ""
    return len(lines), lines[0][:10], lines[-1][:10]


def _write_atomic(target: Path, data: bytes) -> None:
    """Write via a temporary file so an interrupted pull never leaves half a CSV behind."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _obtain(
    src: MarketSource, shared: Path, fetch: Callable[[str], bytes]
) -> tuple[bytes, str, bool, str | None]:
    """The file's bytes, their origin, whether they match the snapshot hash, and any warning."""
    shared_file = shared / src.path
    if shared_file.is_file():
        data = shared_file.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest == src.expected_sha256:
            return data, str(shared_file), True, None
        warning = (
            f"{shared_file}: sha256 {digest} differs from {src.expected_sha256} in "
            "data/market_sources.csv; the shared snapshot changed, so check its PROVENANCE.md "
            "before relying on this file"
        )
        return data, str(shared_file), False, warning
    url = STOOQ_URL.format(symbol=src.stooq_symbol)
    try:
        payload = fetch(url)
    except Exception as exc:
        where = f"no {shared_file}" if shared.is_dir() else f"no shared snapshot at {shared}"
        raise MarketDataError(
            f"{src.path} ({src.ticker}): {where} and the Stooq download failed ({url}: {exc}). "
            f"Put the snapshot at {shared} (or set ZOOMCASE_SHARED_MARKET), retry when Stooq is "
            "reachable, or copy the CSVs into data/market/ by hand."
        ) from exc
    warning = (
        f"downloaded from Stooq ({src.stooq_symbol}), not the documented snapshot: levels, "
        "adjustment and the newest row may differ from PROVENANCE.md"
    )
    return _stooq_to_ohlcv(payload, src, url), url, False, warning


def pull(
    dest: Path | None = None,
    shared: Path | None = None,
    fetch: Callable[[str], bytes] | None = None,
    now: Callable[[], datetime] | None = None,
) -> pd.DataFrame:
    """Fill ``dest`` with every file of market_sources.csv and write ``dest/PROVENANCE.json``.

    Each file is copied byte for byte from the shared snapshot when it is there, otherwise
    downloaded from Stooq. A snapshot file whose hash differs, and any Stooq download, is still
    written but marked unverified and warned about: a changed upstream file is a finding to look
    at, not a reason to stop.
    """
    dest = market_dir() if dest is None else dest
    shared = shared_market_dir() if shared is None else shared
    fetch = _urllib_fetch if fetch is None else fetch
    pulled_at = (now or (lambda: datetime.now(UTC)))().astimezone(UTC).isoformat(timespec="seconds")
    # Obtain everything before writing anything, so a failed download leaves the previous pull
    # and its PROVENANCE.json consistent.
    obtained = [(src, *_obtain(src, shared, fetch)) for src in market_sources()]
    records = []
    for src, data, origin, verified, warning in obtained:
        if warning:
            warnings.warn(warning, MarketDataWarning, stacklevel=2)
        _write_atomic(dest / src.path, data)
        rows, first, last = _describe(data)
        records.append(
            PulledFile(
                path=src.path,
                ticker=src.ticker,
                source=origin,
                sha256=hashlib.sha256(data).hexdigest(),
                rows=rows,
                first_date=first,
                last_date=last,
                pulled_at=pulled_at,
                verified=verified,
                warning=warning,
            )
        )
    table = [asdict(r) for r in records]
    _write_atomic(dest / "PROVENANCE.json", (json.dumps(table, indent=2) + "\n").encode())
    return pd.DataFrame(table, columns=list(PulledFile.__dataclass_fields__))


# --- load -----------------------------------------------------------------------------------------


def _normalise_ticker(ticker: str) -> str:
    return ticker.strip().lstrip("^").upper()


def _present(directory: Path) -> list[MarketSource]:
    """Sources whose file exists in ``directory``; a missing folder means nothing was pulled yet."""
    if not directory.is_dir():
        raise MarketDataError(
            f"no market data folder at {directory}: run `zoomcase data pull` to copy the shared "
            "snapshot (or download from Stooq)"
        )
    return [s for s in market_sources() if (directory / s.path).is_file()]


def available_tickers(directory: Path | None = None) -> list[str]:
    """Tickers of market_sources.csv with a file in ``directory`` (default ``data/market/``)."""
    return sorted({s.ticker for s in _present(market_dir() if directory is None else directory)})


def _choose(ticker: str, directory: Path, source: str) -> MarketSource:
    """The file to load: the OHLCV file first (``auto``), else the close-only one.

    The choice does not depend on the dates a caller needs: a ticker's series (its source, its adjustment)
    stays the same whatever range is asked for, so results for the same day never change with ``end``.
    When the OHLCV file stops early, ``load_prices(until=...)`` warns about the longer close-only file.
    """
    if source not in SOURCE_CHOICES:
        raise MarketDataError(f"source must be one of {', '.join(SOURCE_CHOICES)}, not {source!r}")
    present = _present(directory)
    known = [s for s in market_sources() if s.ticker == ticker]
    if not known:
        listed = ", ".join(sorted({s.ticker for s in present})) or "none (folder is empty)"
        raise MarketDataError(
            f"unknown ticker {ticker!r}: not in data/market_sources.csv. Available in {directory}: {listed}"
        )
    wanted = {"auto": ("ohlcv", "close"), "ohlcv": ("ohlcv",), "closes": ("close",)}[source]
    for layout in wanted:
        for s in present:
            if s.ticker == ticker and s.columns == layout:
                return s
    expected = ", ".join(s.path for s in known if s.columns in wanted) or "none"
    raise MarketDataError(
        f"no {source} file for {ticker} in {directory} (expected: {expected}): "
        + ("use source='auto'" if expected == "none" else "run `zoomcase data pull`")
    )


def _number(text: str, column: str, where: str) -> float:
    if not text.strip():
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise MarketDataError(
            f"{where}: {column} {text!r} is not a number; fix or re-pull the file"
        ) from None


def _read(path: Path) -> tuple[list[str], list[date], dict[str, list[float]]]:
    """Parse a price CSV strictly with line numbers, so every complaint points at a line."""
    try:
        return _parse(path)
    except UnicodeDecodeError as err:  # e.g. a spreadsheet's "Unicode text" (UTF-16)
        utf16 = path.read_bytes()[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        raise MarketDataError(
            f"{path}: {'UTF-16 text' if utf16 else 'not UTF-8 text'} (byte {err.start}: {err.reason}); save "
            "it as CSV UTF-8, or re-pull with `zoomcase data pull`"
        ) from None


def _parse(path: Path) -> tuple[list[str], list[date], dict[str, list[float]]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:  # -sig: a spreadsheet's "CSV UTF-8" has a BOM
        reader = csv.reader(fh)
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in ("date", "close") if c not in header]
        if missing and len(header) == 1 and ";" in header[0]:
            raise MarketDataError(
                f"{path}, line 1: columns separated by ';' (a spreadsheet's regional setting); save it as "
                "CSV with commas between columns, or re-pull with `zoomcase data pull`"
            )
        if missing:
            raise MarketDataError(
                f"{path}, line 1: no {' or '.join(missing)} column (header: {','.join(header)}); "
                "expected date,open,high,low,close,volume or Date,Close — re-pull with "
                "`zoomcase data pull`"
            )
        keep = [c for c in PRICE_COLUMNS if c in header]
        at = {c: header.index(c) for c in ("date", *keep)}
        dates: list[date] = []
        lines: list[int] = []
        values: dict[str, list[float]] = {c: [] for c in keep}
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            where = f"{path}, line {reader.line_num}"
            if len(row) != len(header):
                raise MarketDataError(
                    f"{where}: {len(row)} fields where the header has {len(header)}; fix or re-pull"
                )
            raw_date = row[at["date"]].strip()
            try:
                dates.append(date.fromisoformat(raw_date[:10]))
            except ValueError:
                raise MarketDataError(
                    f"{where}: date {raw_date!r} is not YYYY-MM-DD; fix or re-pull the file"
                ) from None
            lines.append(reader.line_num)
            for c in keep:
                values[c].append(_number(row[at[c]], c, where))
            close = values["close"][-1]
            if not (math.isfinite(close) and close > 0):
                raise MarketDataError(
                    f"{where}: close {row[at['close']]!r} is not a positive number; fix or re-pull the file"
                )
    if not dates:
        raise MarketDataError(f"{path}: no price rows under the header; re-pull the file")
    seen: dict[date, int] = {}
    for d, line in zip(dates, lines, strict=True):
        if d in seen:
            raise MarketDataError(
                f"{path}, lines {seen[d]} and {line}: date {d} appears twice; a duplicate session "
                "would double-count a return, so remove one row (or re-pull the file)"
            )
        seen[d] = line
    return keep, dates, values


def _split_ratio(ratio: float) -> tuple[str, float] | None:
    """("N-for-1" or "1-for-N", nominal close ratio) if a close ratio looks like a split."""
    for n in SPLIT_RATIOS:
        for nominal, label in ((1 / n, f"{n}-for-1 split"), (float(n), f"1-for-{n} reverse split")):
            if abs(ratio / nominal - 1) <= SPLIT_TOLERANCE:
                return label, nominal
    return None


def _splits(frame: pd.DataFrame, path: Path, mode: str) -> tuple[pd.DataFrame, list[dict]]:
    """Refuse (``error``) or back-adjust (``adjust``) split-like one-day moves of an unadjusted file."""
    closes = frame["close"].to_numpy()
    adjustments: list[dict] = []
    for i in range(1, len(closes)):
        ratio = closes[i] / closes[i - 1]
        found = _split_ratio(ratio)
        if found is None:
            continue
        label, nominal = found
        day, before = frame.index[i].date(), frame.index[i - 1].date()
        if mode == "error":
            raise MarketDataError(
                f"{path}: close went from {closes[i - 1]:g} on {before} to {closes[i]:g} on {day} "
                f"(ratio {ratio:.4f}), within {SPLIT_TOLERANCE:.0%} of a {label} (×{nominal:g}); the file "
                "is not split-adjusted (market_sources.csv: adjusted=false), so returns across that day "
                "would be wrong. Use split-adjusted data, or load_prices(..., splits='adjust') to adjust "
                "and record it"
            )
        adjustments.append(
            {"date": str(day), "split": label, "observed_ratio": round(float(ratio), 6), "factor": nominal}
        )
    if adjustments:
        frame = frame.copy()
        for adj in adjustments:
            before_split = frame.index < pd.Timestamp(adj["date"])
            for column in ("open", "high", "low", "close"):
                if column in frame:
                    frame.loc[before_split, column] *= adj["factor"]
            if "volume" in frame:
                frame.loc[before_split, "volume"] /= adj["factor"]
    return frame, adjustments


def _gaps(frame: pd.DataFrame, path: Path) -> list[dict]:
    """Stretches of more than MAX_GAP_SESSIONS missing weekdays between two rows, warned about unless a
    known exchange closure explains them."""
    days = frame.index.to_numpy().astype("datetime64[D]")
    if len(days) < 2:
        return []
    missing = np.busday_count(days[:-1] + 1, days[1:])
    gaps = []
    for i in np.flatnonzero(missing > MAX_GAP_SESSIONS):
        first, last = frame.index[i].date(), frame.index[i + 1].date()
        known = next((why for a, b, why in KNOWN_CLOSURES if a < last and b > first), None)
        gaps.append({"after": str(first), "before": str(last), "missing_weekdays": int(missing[i]),
                     "known_closure": known})  # fmt: skip
        if known is None:
            warnings.warn(
                f"{path}: {int(missing[i])} weekdays missing between {first} and {last} (more than "
                f"{MAX_GAP_SESSIONS}); returns across the gap span several sessions. Check or re-pull "
                "the file.",
                MarketDataWarning,
                stacklevel=3,
            )
    return gaps


def _final_rows(src: MarketSource, dates: list[date]) -> list[date]:
    """The dates, sorted, without the provisional last rows: only while they are still the newest, since a
    later download has them as final closes."""
    provisional = {date.fromisoformat(d) for d in src.provisional_last_rows}
    kept = sorted(dates)
    while kept and kept[-1] in provisional:
        kept.pop()
    return kept


def _longer_file(src: MarketSource, directory: Path, last: date, until: date) -> None:
    """Warn when ``src`` ends before ``until`` and another file of the same ticker runs further."""
    for other in _present(directory):
        if other.ticker != src.ticker or other.path == src.path:
            continue
        try:
            other_dates = _final_rows(other, _read(directory / other.path)[1])
        except MarketDataError:  # a broken spare file: the chosen one still loads
            continue
        if other_dates and other_dates[-1] > last:
            warnings.warn(
                f"{directory / src.path} ends {last}, before {until}, but {directory / other.path} runs to "
                f"{other_dates[-1]} ({'adjusted' if other.adjusted else 'traded'} closes); "
                f"load_prices({src.ticker!r}, source={'closes' if other.columns == 'close' else 'ohlcv'!r}) "
                f"reads it, or end the range by {last}",
                MarketDataWarning,
                stacklevel=3,
            )


def load_prices(
    ticker: str,
    directory: Path | None = None,
    *,
    source: str = "auto",
    splits: str = "error",
    until=None,
) -> pd.DataFrame:
    """Daily prices for ``ticker`` indexed by trading date, provisional last rows dropped.

    ``source="auto"`` takes the OHLCV file when there is one and the close-only file otherwise (see
    ``_choose``); ``"ohlcv"`` and ``"closes"`` force one of them. ``^GSPC`` and ``gspc`` both mean GSPC.
    ``until`` is the last day the caller needs: when the file ends before it and another file of the
    ticker runs further, a MarketDataWarning names both, so a short series is never cut silently.
    ``splits="error"`` refuses a split-like jump in an unadjusted file; ``"adjust"`` adjusts for it and
    records it in ``attrs["split_adjustments"]``. Long gaps are warned about and listed in ``attrs["gaps"]``.
    """
    if splits not in SPLIT_CHOICES:
        raise MarketDataError(f"splits must be one of {', '.join(SPLIT_CHOICES)}, not {splits!r}")
    directory = market_dir() if directory is None else directory
    src = _choose(_normalise_ticker(ticker), directory, source)
    path = directory / src.path
    columns, dates, values = _read(path)
    final = _final_rows(src, dates)
    if until is not None and final and final[-1] < pd.Timestamp(until).date():
        _longer_file(src, directory, final[-1], pd.Timestamp(until).date())
    frame = pd.DataFrame(values, index=pd.DatetimeIndex(dates, name="date").as_unit("ns"), columns=columns)
    if not frame.index.is_monotonic_increasing:
        warnings.warn(
            f"{path}: dates are not in increasing order; sorted them. Check the file's origin.",
            MarketDataWarning,
            stacklevel=2,
        )
        frame = frame.sort_index()
    frame = frame.iloc[: len(final)]  # the provisional last rows dropped, as counted by _final_rows
    adjustments: list[dict] = []
    if not src.adjusted:
        frame, adjustments = _splits(frame, path, splits)
    gaps = _gaps(frame, path)
    frame.attrs.update(
        ticker=src.ticker,
        path=str(path),
        adjusted=src.adjusted,
        columns="ohlcv" if {"open", "high", "low"} <= set(columns) else "close",
    )
    # Only when there is something to record, so the attrs of a clean file stay as they were.
    if adjustments:
        frame.attrs["split_adjustments"] = adjustments
    if gaps:
        frame.attrs["gaps"] = gaps
    return frame
