"""Hold every claim against evidence: real prices, Zoom's own statements, dated events, enforcement actions.

Which evidence a claim's metric is checked against is data, not code: ``data/vocab/claim_checks.csv`` names a
check kind and the reference rows for each metric. Every verdict carries the numbers compared (``evidence``),
a one-line ``explanation``, the ``sources`` used, and for time-dependent claims the dates between which the
claim would have held (``consistent_from`` / ``consistent_to``), with the bands of ``zoomcase.windows``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cached_property

import pandas as pd

from zoomcase.market import load_prices, market_sources
from zoomcase.numbers import find_quantities
from zoomcase.reference import load_reference
from zoomcase.schemas import validate
from zoomcase.vocab import read_vocab
from zoomcase.windows import HEADROOM, TOLERANCE, Band, NoData, band, runs, step_series, value_on, ytd_ratio

CHECK_COLUMNS = ("metric", "check", "references", "claim_counts", "dating", "note")
VERDICTS = ("supported", "contradicted", "misleading", "unverifiable")
# A dated usage figure still describes a day this close to its date.
USAGE_SPAN = pd.Timedelta(days=31)
# "Recently under pressure": the close this far below its highest close of the last FALL_SESSIONS sessions.
FALL_DEPTH, FALL_SESSIONS = 0.05, 10
# The fields of a claim that its verdict depends on.
READS = ["metric", "value", "qualifier", "as_of", "as_of_precision", "since"]


@dataclass(frozen=True)
class Verdict:
    verdict: str
    evidence: str
    explanation: str
    sources: str
    consistent_from: pd.Timestamp | None = None
    consistent_to: pd.Timestamp | None = None
    windows: str = ""


@dataclass(frozen=True)
class Spec:
    """What ``claim_checks.csv`` says about a metric: the reference rows, and what the claim's words count."""

    refs: list[str]
    counts: str = ""


@dataclass
class Evidence:
    """The data a check may consult, loaded once per ``check_claims`` call."""

    ticker: str = "ZM"
    tolerance: float = TOLERANCE
    headroom: float = HEADROOM
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame:
        if name not in self.tables:
            self.tables[name] = load_reference(name)
        return self.tables[name]

    @cached_property
    def close(self) -> pd.Series:
        return load_prices(self.ticker).close

    @cached_property
    def price_source(self) -> str:
        rows = [s for s in market_sources() if s.ticker == self.ticker and s.columns == "ohlcv"]
        return f"{self.ticker} daily closes ({rows[0].upstream})" if rows else f"{self.ticker} daily closes"

    def rows(self, table: str, ids: list[str]) -> pd.DataFrame:
        frame = self.table(table).set_index("id")
        missing = [i for i in ids if i not in frame.index]
        if missing:
            raise ValueError(f"claim_checks.csv names {missing}, which are not in data/reference/{table}.csv")
        return frame.loc[ids].sort_values("date")

    def band(self, claim: pd.Series) -> Band:
        return band(claim.value, claim.qualifier, self.tolerance, self.headroom)


def load_checks() -> pd.DataFrame:
    """The metric → check mapping (``data/vocab/claim_checks.csv``)."""
    return read_vocab("claim_checks.csv", CHECK_COLUMNS)


def _day(ts: pd.Timestamp) -> str:
    return f"{ts:%Y-%m-%d}"


def _sources(rows: pd.DataFrame, table: str) -> str:
    return "; ".join(f"{table}:{i} <{url}>" for i, url in rows.source_url.items())


def _windows_text(windows: list[tuple[pd.Timestamp, pd.Timestamp]]) -> str:
    if not windows:
        return "on no day in the data"
    return f"on {len(windows)} stretch(es) between {_day(windows[0][0])} and {_day(windows[-1][1])}"


def _series_verdict(claim: pd.Series, series: pd.Series, b: Band, what: str, fmt: str, src: str) -> Verdict:
    """Verdict for a claim about a daily series: does it hold on its date, and when did it hold?"""
    windows = runs(b.contains(series))
    span = (windows[0][0], windows[-1][1]) if windows else (None, None)
    listed = "; ".join(_day(a) if a == e else f"{_day(a)}..{_day(e)}" for a, e in windows)
    if pd.isna(claim.as_of):
        verdict = "supported" if windows else "contradicted"
        return Verdict(
            verdict,
            f"band {b.describe(fmt)}; held {_windows_text(windows)}",
            f"The claim gives no date; {what} was within the claimed range {_windows_text(windows)}.",
            src,
            *span,
            listed,
        )
    period = _period(claim, series)
    if len(period) > 1:  # "in April 2020": the claim holds if it held on any session of the period
        holds = bool(b.contains(period).any())
        label = f"{_day(period.index[0])}..{_day(period.index[-1])}"
        seen = f"{fmt.format(period.min())} to {fmt.format(period.max())}"
    else:
        day, actual = value_on(series, claim.as_of)
        holds, label, seen = b.low <= actual <= b.high, _day(day), fmt.format(actual)
    return Verdict(
        "supported" if holds else "contradicted",
        f"{what} on {label}: {seen}; band {b.describe(fmt)}",
        f"{'Holds' if holds else 'Does not hold'} on {label} ({what} {seen}); "
        f"the claimed range held {_windows_text(windows)}.",
        src,
        *span,
        listed,
    )


# How far a date of each precision reaches past its first day (a week's date is its Monday, a season's
# the first day of its first month: see zoomcase.dates).
_REACH = {
    "week": pd.DateOffset(days=6),
    "month": pd.offsets.MonthEnd(0),
    "quarter": pd.offsets.QuarterEnd(0),
    "season": pd.DateOffset(months=3, days=-1),
    "year": pd.offsets.YearEnd(0),
}


def _period(claim: pd.Series, series: pd.Series) -> pd.Series:
    """The sessions a claim's date covers: its week, month, quarter, season or year for a date of that
    precision (none for a day-precise date)."""
    reach = _REACH.get(claim.get("as_of_precision", "day"))
    if reach is None:
        return series.iloc[0:0]
    return series[(series.index >= claim.as_of) & (series.index <= claim.as_of + reach)]


def _price_change(claim: pd.Series, ev: Evidence, spec: Spec) -> Verdict:
    day = claim.as_of if pd.notna(claim.as_of) else claim.since
    if pd.isna(day):
        return Verdict(
            "unverifiable", "", "Neither the claim nor its document gives a year.", ev.price_source
        )
    ratio, base = ytd_ratio(ev.close, day.year)
    what = f"the {ev.ticker} close over its {_day(base)} close ({ev.close[base]:.2f})"
    return _series_verdict(claim, ratio, ev.band(claim), what, "×{:.2f}", ev.price_source)


def _market_cap(claim: pd.Series, ev: Evidence, spec: Spec) -> Verdict:
    fin = ev.table("financials").dropna(subset=["shares_outstanding", "shares_asof_date"])
    shares = step_series(
        ev.close.index, fin.set_index("shares_asof_date").shares_outstanding.astype(float)
    ).dropna()
    cap = (ev.close.reindex(shares.index) * shares) / 1e9
    if pd.notna(claim.as_of):  # a market value is news in the year it is written about
        cap = cap[cap.index.year == claim.as_of.year]
    b = band(claim.value / 1e9, claim.qualifier, ev.tolerance, ev.headroom)
    src = f"{ev.price_source}; financials: share counts <{'>, <'.join(fin.shares_source_url.unique())}>"
    verdict = _series_verdict(claim, cap, b, f"{ev.ticker} market cap (USD bn)", "{:,.1f}", src)
    if pd.notna(claim.as_of):
        _, count = value_on(shares, claim.as_of)
        implied = claim.value / count
        verdict = Verdict(
            verdict.verdict,
            f"{verdict.evidence}; implied price {implied:.2f} at {count:,.0f} shares",
            verdict.explanation,
            verdict.sources,
            verdict.consistent_from,
            verdict.consistent_to,
            verdict.windows,
        )
    return verdict


def _price_fall(claim: pd.Series, ev: Evidence, spec: Spec) -> Verdict:
    peak = ev.close.rolling(FALL_SESSIONS + 1, min_periods=1).max()
    drawdown = ev.close / peak - 1
    b = Band(-1.0, -FALL_DEPTH)
    what = f"{ev.ticker} close against its {FALL_SESSIONS}-session high"
    if pd.isna(claim.as_of):
        return Verdict(
            "unverifiable",
            f"falls of {FALL_DEPTH:.0%} or more occur {_windows_text(runs(b.contains(drawdown)))}",
            "A fall 'in recent days' cannot be checked without a date.",
            ev.price_source,
        )
    return _series_verdict(claim, drawdown, b, what, "{:+.1%}", ev.price_source)


def _usage(claim: pd.Series, ev: Evidence, spec: Spec) -> Verdict:
    rows = ev.rows("usage_metrics", spec.refs)
    b = ev.band(claim)
    inside = rows[b.contains(rows.value.astype(float))]
    listing = "; ".join(f"{r.metric} {r.value:,.0f} ({_day(r.date)})" for r in rows.itertuples())
    src = _sources(rows, "usage_metrics")
    if not inside.empty:
        window = (inside.date.min(), max(_period_end(r) for r in inside.itertuples()) + USAGE_SPAN)
    else:
        below, above = rows[rows.value < b.low], rows[rows.value > b.high]
        crossing = not below.empty and not above.empty and below.date.max() < above.date.min()
        if not crossing:
            return Verdict(
                "contradicted", listing, f"No reference figure lies in {b.describe('{:,.0f}')}.", src
            )
        window = (below.date.max(), above.date.min())
    counts = spec.counts
    renamed = sorted(set(rows.loc[inside.index if not inside.empty else rows.index, "counts"]) - {counts})
    span = f"{_day(window[0])} to {_day(window[1])}"
    if renamed:
        return Verdict(
            "misleading",
            listing,
            f"The figure matches Zoom's count of {', '.join(renamed).replace('_', ' ')}, reported as "
            f"{counts}: not the same thing.",
            src,
            *window,
        )
    if pd.isna(claim.as_of) or window[0] - USAGE_SPAN <= claim.as_of <= window[1]:
        return Verdict(
            "supported", listing, f"Consistent with the reference figures for {span}.", src, *window
        )
    return Verdict(
        "unverifiable",
        listing,
        f"No figure for {_day(claim.as_of)}; the claim fits the figures for {span}.",
        src,
        *window,
    )


def _period_end(row) -> pd.Timestamp:
    """Last day of the period a reference figure describes (its date is the period's first day)."""
    offsets = {
        "month": pd.offsets.MonthEnd(0),
        "quarter": pd.offsets.QuarterEnd(0),
        "year": pd.offsets.YearEnd(0),
    }
    return row.date + offsets[row.date_precision] if row.date_precision in offsets else row.date


def _reference_text(claim: pd.Series, ev: Evidence, spec: Spec) -> Verdict:
    table = "usage_metrics" if spec.refs[0].startswith("um-") else "events"
    rows = ev.rows(table, spec.refs)
    text_cols = [c for c in ("title", "summary", "as_stated") if c in rows]
    b = ev.band(claim)
    for rid, row in rows.iterrows():
        text = " ".join(str(row[c]) for c in text_cols)
        found = [q for q in find_quantities(text, "en") if not q.is_year and b.low <= q.value <= b.high]
        if found:
            q = found[0]
            context = text[max(0, q.start - 40) : q.end + 40].strip()
            return Verdict(
                "supported",
                f"{table}:{rid} says '…{context}…'",
                f"The reference record of {_day(row.date)} states the same figure.",
                _sources(rows.loc[[rid]], table),
                row.date,
                None,
            )
    return Verdict(
        "unverifiable", "", "The reference records state no matching figure.", _sources(rows, table)
    )


def _amount(claim: pd.Series, ev: Evidence, spec: Spec) -> Verdict:
    rows = ev.rows("enforcement", spec.refs)
    b = ev.band(claim)
    row = rows.iloc[0]
    holds = b.low <= float(row.amount_usd) <= b.high
    return Verdict(
        "supported" if holds else "contradicted",
        f"{rows.index[0]}: USD {row.amount_usd:,.0f}",
        f"{row.case_or_action} ({_day(row.date)}): USD {row.amount_usd:,.0f}.",
        _sources(rows, "enforcement"),
        row.date,
        None,
    )


def _event(claim: pd.Series, ev: Evidence, spec: Spec) -> Verdict:
    rows = ev.rows("events", spec.refs)
    first = rows.iloc[0]
    return Verdict(
        "supported",
        "; ".join(f"{i} ({_day(r.date)})" for i, r in rows.iterrows()),
        f"Matches '{first.title}' ({_day(first.date)}).",
        _sources(rows, "events"),
        first.date,
        None,
    )


def _between(claim: pd.Series, ev: Evidence, spec: Spec) -> Verdict:
    rows = ev.rows("enforcement", spec.refs)
    start, end = rows.date.iloc[0], rows.date.iloc[-1]
    inside = pd.isna(claim.as_of) or start <= claim.as_of < end
    return Verdict(
        "supported" if inside else "contradicted",
        f"{rows.index[0]} ({_day(start)}) to {rows.index[-1]} ({_day(end)})",
        f"True from {_day(start)} until {_day(end)}" + ("." if inside else f", not on {_day(claim.as_of)}."),
        _sources(rows, "enforcement"),
        start,
        end,
    )


def _zoom_actions(ev: Evidence) -> pd.DataFrame:
    table = ev.table("enforcement")
    return table[table.subject.str.fullmatch("Zoom")].set_index("id")


def _fine_claim(claim: pd.Series, ev: Evidence, spec: Spec) -> Verdict:
    if pd.isna(claim.as_of):
        return Verdict("unverifiable", "", "The claim gives no year.", "")
    year = claim.as_of.year
    actions = _zoom_actions(ev)
    in_year = actions[actions.date.dt.year == year]
    fines = in_year[in_year.action_type == "fine"]
    if not fines.empty:
        return Verdict("supported", ", ".join(fines.index), "An authority fined Zoom that year.", "")
    settled = in_year[in_year.action_type == "settlement"]
    listing = "; ".join(f"{i}: {r.action_type}" for i, r in in_year.iterrows())
    if settled.empty:
        return Verdict(
            "contradicted", listing, f"No fine against Zoom in {year}.", _sources(in_year, "enforcement")
        )
    first = settled.iloc[0]
    return Verdict(
        "misleading",
        listing,
        f"No authority fined Zoom in {year}; the {year} payment was a civil class-action settlement "
        f"(USD {first.amount_usd:,.0f}, {_day(first.date)}), not a fine.",
        _sources(settled, "enforcement"),
    )


def _no_eu_fine(claim: pd.Series, ev: Evidence, spec: Spec) -> Verdict:
    actions = _zoom_actions(ev)
    eu = actions[~actions.jurisdiction.str.startswith("US")]
    penal = eu[eu.action_type.isin(["fine", "order", "consent_order"])]
    until = _day(ev.table("enforcement").date.max())
    listing = "; ".join(f"{i}: {a}" for i, a in eu.action_type.items())
    if penal.empty:
        return Verdict(
            "supported",
            listing,
            f"No EU fine or order against Zoom in the data (to {until}); EU actions on record: {len(eu)}.",
            _sources(eu, "enforcement"),
        )
    return Verdict(
        "contradicted", listing, "EU authorities did act against Zoom.", _sources(penal, "enforcement")
    )


def _none(claim: pd.Series, ev: Evidence, spec: Spec) -> Verdict:
    return Verdict("unverifiable", "", "", "")


CHECKS: dict[str, Callable[[pd.Series, Evidence, Spec], Verdict]] = {
    "price_change": _price_change,
    "market_cap": _market_cap,
    "price_fall": _price_fall,
    "usage": _usage,
    "reference_text": _reference_text,
    "amount": _amount,
    "event": _event,
    "between": _between,
    "fine_claim": _fine_claim,
    "no_eu_fine": _no_eu_fine,
    "none": _none,
}


def _verdict(claim: tuple, checks: pd.DataFrame, ev: Evidence) -> dict:
    spec = checks.loc[claim.metric]
    refs = [r for r in spec.references.split("|") if r]
    try:
        verdict = CHECKS[spec.check](pd.Series(claim._asdict()), ev, Spec(refs, spec.claim_counts))
    except NoData as exc:  # only market data is looked up by date
        verdict = Verdict(
            "unverifiable",
            str(exc),
            "The market data do not reach back to the claim's date.",
            ev.price_source,
        )
    if not verdict.explanation:
        verdict = Verdict(verdict.verdict, verdict.evidence, spec.note, verdict.sources)
    return {**verdict.__dict__, "check": spec.check, "dating": spec.dating}


def check_claims(
    claims: pd.DataFrame, ticker: str = "ZM", tolerance: float = TOLERANCE, headroom: float = HEADROOM
) -> pd.DataFrame:
    """The claims with verdict, evidence, explanation, sources, consistent_from/to, check and dating."""
    ev = Evidence(ticker=ticker, tolerance=tolerance, headroom=headroom)
    checks = load_checks().set_index("metric")
    unknown = sorted(set(claims.metric) - set(checks.index))
    if unknown:
        raise ValueError(f"no check for metric(s) {unknown}: add them to data/vocab/claim_checks.csv")
    # A verdict depends on these fields only, so each distinct claim is checked once: a newsroom corpus
    # repeats its figures thousands of times. The checks see nothing else (a test would catch one that tried).
    reads = claims[READS].reset_index(drop=True)
    group = reads.groupby(READS, dropna=False).ngroup().to_numpy()  # 0..k-1, NaN and NaT equal to themselves
    first = pd.Series(range(len(reads))).groupby(group).min().to_numpy()  # a row of each group, by number
    distinct = [_verdict(claim, checks, ev) for claim in reads.iloc[first].itertuples(index=False)]
    verdicts = [distinct[g] for g in group]
    # columns named and typed, so that a corpus without claims gives an empty table, not a KeyError
    columns = [*(f.name for f in fields(Verdict)), "check", "dating"]
    dates = ("consistent_from", "consistent_to")
    found = pd.DataFrame(verdicts, columns=columns).astype({c: "str" for c in columns if c not in dates})
    out = pd.concat([claims.reset_index(drop=True), found], axis=1)
    for column in dates:
        out[column] = pd.to_datetime(out[column])
    validate("claims", out)
    return out


def date_documents(corpus, checked: pd.DataFrame) -> pd.DataFrame:
    """Per document, the content-date window its own claims imply, beside the stated page date.

    A claim that reports an event ('after') puts the content on or after the event; a figure that held only
    for a while ('within') puts it inside the stretch in which it held, even when it no longer held on the
    page date: that is how a figure dates an article. Unverifiable claims do not count. Disagreement with
    the page date is flagged.
    """
    dated = checked[checked.consistent_from.notna()]
    after = dated[(dated.dating == "after") & dated.verdict.isin(["supported", "misleading"])]
    within = dated[(dated.dating == "within") & (dated.verdict != "unverifiable")]
    basis = pd.concat([after, within])  # grouped once, not filtered per document (quadratic at scale)
    ids = corpus.documents.doc_id
    starts = basis.groupby("doc_id").consistent_from.max().reindex(ids)
    ends = within.groupby("doc_id").consistent_to.min().reindex(ids)
    named = basis.groupby("doc_id").claim_id.agg(", ".join).reindex(ids, fill_value="")
    rows = []
    for doc_id, page, start, end, claim_ids in zip(
        ids, corpus.documents.published, starts, ends, named, strict=True
    ):
        conflict = pd.notna(start) and pd.notna(end) and start > end
        outside = pd.notna(page) and (
            (pd.notna(start) and page < start) or (pd.notna(end) and page > end + USAGE_SPAN)
        )
        rows.append(
            {
                "doc_id": doc_id,
                "page_date": page,
                "content_from": start,
                "content_to": end,
                "basis": claim_ids,
                "flag": "claims disagree with each other"
                if conflict
                else "page date outside the content window"
                if outside
                else "",
            }
        )
    return pd.DataFrame(rows)
