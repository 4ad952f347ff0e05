"""What the accused practices could cost Zoom: GDPR fine ranges by the EDPB method, and US outcomes.

``gdpr_fine`` follows EDPB Guidelines 04/2022 (final v2.1, 24 May 2023) step by step so that every number in
an estimate can be traced to a rule; the corpus speculates about "hoge boetes" and this is the yardstick.
The calculation is deliberately mechanical, which the EDPB warns it is not ("no mere mathematical
exercise"): its step 5 (effectiveness, dissuasiveness, proportionality) is a judgement and is left out.

Size-adjustment bands (EDPB par. 65-66), checked with the search tool on the stored public material:

- <= EUR 2m -> 0.2-0.4 % of the starting amount, and no adjustment above EUR 500m: VERIFIED against the
  phrases quoted from the v2.1 PDF ("annual turnover of <= EUR 2m", "between 0.2% and 0.4% of the
  identified starting amount", "annual turnover above EUR 500m") in capazme/mcp-legal-it,
  tests/unit/test_fonte_edpb_garante_live.py (commit 3d39367f).
- EUR 2-10m (0.3-2 %), 10-50m (1.5-10 %), 50-100m (8-20 %), 100-250m (15-50 %), 250-500m (40-100 %):
  UNVERIFIED. They come from /work/shared/reference/gdpr_fine_method.md (from memory); no stored copy of
  par. 65 was found. Estimates that use them say so in ``FineEstimate.note`` and ``band_verified``.

US law has no fine formula comparable to Art. 83 GDPR, so ``scenario`` reports the real US outcomes
(FTC order, the $85M class settlement) instead of inventing a number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import pandas as pd

from zoomcase.corpus import Corpus
from zoomcase.reference import load_reference, read_cells, revenue

LEGAL_MAXIMA = {"83(4)": (10_000_000.0, 0.02), "83(5)": (20_000_000.0, 0.04), "83(6)": (20_000_000.0, 0.04)}
SERIOUSNESS = {"low": (0.0, 0.10), "medium": (0.10, 0.20), "high": (0.20, 1.00)}  # EDPB par. 60
GRAVITY = ("83(4)", "83(5)", "83(6)")  # ascending; 83(5) and 83(6) share the same maximum
JURISDICTIONS = ("EU", "US", "both")
TABLES = ("provisions", "practices", "practice_provisions")


@dataclass(frozen=True)
class SizeBand:
    """EDPB par. 65-66: the share of the starting amount an undertaking up to ``upper_eur`` turnover pays."""

    upper_eur: float
    low: float
    high: float
    verified: bool


SIZE_BANDS = (
    SizeBand(2e6, 0.002, 0.004, True),
    SizeBand(10e6, 0.003, 0.02, False),
    SizeBand(50e6, 0.015, 0.10, False),
    SizeBand(100e6, 0.08, 0.20, False),
    SizeBand(250e6, 0.15, 0.50, False),
    SizeBand(500e6, 0.40, 1.00, False),
    SizeBand(math.inf, 1.0, 1.0, True),  # above EUR 500m: no adjustment
)


@dataclass(frozen=True)
class Step:
    """One step of the calculation: the range after it and why."""

    step: int
    name: str
    low: float
    high: float
    explanation: str


@dataclass(frozen=True)
class FineEstimate:
    """A GDPR fine range in EUR with the steps that produced it."""

    low: float
    high: float
    legal_maximum: float
    article: str
    seriousness: str
    turnover_eur: float
    band_verified: bool
    note: str
    steps: tuple[Step, ...]

    @property
    def midpoint(self) -> float:
        return (self.low + self.high) / 2

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([vars(step) for step in self.steps])


def _fraction(name: str, value: float) -> float:
    if not isinstance(value, int | float) or not 0.0 <= value <= 1.0:  # also rejects NaN
        raise ValueError(f"{name} must be a fraction between 0 and 1 (0.2 = 20%), got {value!r}")
    return float(value)


def _one_of(name: str, value: str, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}, got {value!r}")
    return value


def _eur(amount: float) -> str:
    return f"EUR {amount:,.0f}"


def size_band(turnover_eur: float) -> SizeBand:
    return next(band for band in SIZE_BANDS if turnover_eur <= band.upper_eur)


def gdpr_fine(
    turnover_eur: float,
    article: str,
    seriousness: str,
    aggravating: float = 0.0,
    mitigating: float = 0.0,
    size_adjustment: bool = True,
) -> FineEstimate:
    """The EDPB fine range for one infringement (or one unity of action, judged by its gravest part).

    ``turnover_eur`` is the undertaking's worldwide turnover of the financial year preceding the decision;
    ``aggravating``/``mitigating`` are net fractional adjustments (0.2 = +/-20%) of the range (EDPB step 3).
    """
    if not isinstance(turnover_eur, int | float) or not math.isfinite(turnover_eur) or turnover_eur < 0:
        raise ValueError(f"turnover_eur must be a finite amount >= 0 in EUR, got {turnover_eur!r}")
    _one_of("article", article, LEGAL_MAXIMA)
    _one_of("seriousness", seriousness, SERIOUSNESS)
    factor = 1.0 + _fraction("aggravating", aggravating) - _fraction("mitigating", mitigating)

    static, share = LEGAL_MAXIMA[article]
    maximum = max(static, share * turnover_eur)
    kind = "dynamic" if share * turnover_eur > static else "static"
    steps = [
        Step(
            1,
            "Legal maximum (Art. 83(4)-(6); EDPB steps 2a and 4)",
            maximum,
            maximum,
            f"Art. {article}: {_eur(static)} or {share:.0%} of turnover {_eur(turnover_eur)} "
            f"({_eur(share * turnover_eur)}), whichever is higher: the {kind} maximum applies.",
        ),
    ]
    lo, hi = SERIOUSNESS[seriousness]
    low, high = lo * maximum, hi * maximum
    steps.append(
        Step(
            2,
            "Starting point by seriousness (EDPB step 2b, par. 60)",
            low,
            high,
            f"{seriousness} seriousness: {lo:.0%}-{hi:.0%} of the legal maximum.",
        )
    )
    band = size_band(turnover_eur)
    if not size_adjustment:
        explanation = "Not applied (size_adjustment=False)."
    elif math.isinf(band.upper_eur):
        explanation = "Turnover above EUR 500m: no adjustment (par. 66; the dynamic maximum already scales)."
    else:
        low, high = low * band.low, high * band.high
        status = "verified" if band.verified else "UNVERIFIED band"
        explanation = (
            f"Turnover up to {_eur(band.upper_eur)}: {band.low:.1%}-{band.high:.1%} of the starting amount "
            f"(par. 65; {status})."
        )
    steps.append(Step(3, "Size of the undertaking (EDPB step 2c, par. 65-66)", low, high, explanation))
    low, high = low * factor, high * factor
    steps.append(
        Step(
            4,
            "Aggravating and mitigating circumstances (EDPB step 3)",
            low,
            high,
            f"+{aggravating:.0%} aggravating, -{mitigating:.0%} mitigating: x{factor:.2f}.",
        )
    )
    capped = high > maximum
    low, high = min(low, maximum), min(high, maximum)
    steps.append(
        Step(
            5,
            "Cap at the legal maximum (EDPB step 4)",
            low,
            high,
            "Capped at the legal maximum." if capped else "Below the legal maximum: unchanged.",
        )
    )
    steps.append(
        Step(
            6,
            "Effectiveness, dissuasiveness, proportionality (EDPB step 5)",
            low,
            high,
            "Not modelled: a judgement of the authority on the whole case.",
        )
    )
    band_verified = band.verified or not size_adjustment
    note = (
        "" if band_verified else "The size band used is not verified against the EDPB text (see module doc)."
    )
    return FineEstimate(
        low, high, maximum, article, seriousness, float(turnover_eur), band_verified, note, tuple(steps)
    )


def zoom_turnover_eur(fiscal_year: str, eur_per_usd: float) -> float:
    """Zoom's revenue for ``fiscal_year`` (FY ends 31 January: FY2021 = Feb 2020-Jan 2021) in EUR."""
    if not isinstance(eur_per_usd, int | float) or not math.isfinite(eur_per_usd) or eur_per_usd <= 0:
        raise ValueError(f"eur_per_usd must be a positive exchange rate, got {eur_per_usd!r}")
    return revenue(fiscal_year) * eur_per_usd


def load_table(name: str) -> pd.DataFrame:
    """One of this module's tables as strings ("" where empty), checked against its schema in the
    datapackage (``reference.read_cells``); practices' evidence patterns must compile, as find_practices
    runs them on every sentence."""
    _one_of("name", name, TABLES)
    cells = read_cells(name)
    if name == "practices":
        for position, pattern in enumerate(cells.frame["evidence_pattern"]):
            try:
                re.compile(pattern)
            except re.error as exc:
                problem = f"{pattern!r} is not a valid Python regular expression ({exc}): correct it"
                raise cells.error(position, "evidence_pattern", problem) from None
    return cells.frame


def find_practices(corpus: Corpus, practice_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Sentences that evidence each practice; ``start``/``end`` are the sentence's offsets in the raw text."""
    practices = load_table("practices")
    if practice_ids is not None:
        practice_ids = list(practice_ids)
        unknown = sorted(set(practice_ids) - set(practices["id"]))
        if unknown:
            raise ValueError(f"unknown practice id(s) {unknown}; known: {', '.join(practices['id'])}")
        practices = practices[practices["id"].isin(practice_ids)]
    rows = []
    for practice in practices.itertuples():
        pattern = re.compile(practice.evidence_pattern)
        for sentence in corpus.sentences.itertuples():
            found = pattern.search(sentence.text)
            if found:
                rows.append(
                    {
                        "practice_id": practice.id,
                        "doc_id": sentence.doc_id,
                        "sent_id": sentence.sent_id,
                        "start": sentence.start,
                        "end": sentence.end,
                        "match": found.group(0),
                        "sentence": sentence.text,
                    }
                )
    columns = ["practice_id", "doc_id", "sent_id", "start", "end", "match", "sentence"]
    return pd.DataFrame(rows, columns=columns).astype({"start": "int64", "end": "int64"})


def exposure_matrix(jurisdiction: str = "both") -> pd.DataFrame:
    """Long table practice x provision with the rationale and the real outcome, EU and/or US rows."""
    _one_of("jurisdiction", jurisdiction, JURISDICTIONS)
    provisions = load_table("provisions").rename(columns={"id": "provision_id", "note": "provision_note"})
    practices = load_table("practices")[["id", "practice", "seriousness"]].rename(
        columns={"id": "practice_id"}
    )
    matrix = (
        load_table("practice_provisions")
        .merge(practices, on="practice_id")
        .merge(provisions, on="provision_id")
    )
    if jurisdiction != "both":
        matrix = matrix[matrix["jurisdiction"].str.startswith(jurisdiction)]
    columns = [
        "practice_id",
        "practice",
        "seriousness",
        "provision_id",
        "jurisdiction",
        "instrument",
        "provision",
        "fine_article",
        "rationale",
        "outcome",
        "outcome_ref",
    ]
    return matrix[columns].reset_index(drop=True)


@dataclass(frozen=True)
class Scenario:
    """An exposure scenario: the EU fine estimate (unity of action) and/or the US outcomes on record."""

    jurisdiction: str
    fiscal_year: str
    eur_per_usd: float
    eu_estimate: FineEstimate | None
    eu_basis: pd.DataFrame | None
    us_outcomes: pd.DataFrame | None
    note: str


def _gravest(articles: Iterable[str]) -> str:
    return max(articles, key=GRAVITY.index)


def _gravest_seriousness(levels: Iterable[str]) -> str:
    return max(levels, key=list(SERIOUSNESS).index)


def scenario(
    jurisdiction: str = "both",
    *,
    practice_ids: Iterable[str] | None = None,
    fiscal_year: str = "FY2021",
    eur_per_usd: float = 0.92,
    seriousness: str | Mapping[str, str] | None = None,
    aggravating: float = 0.0,
    mitigating: float = 0.0,
) -> Scenario:
    """Exposure for the chosen practices (default: all) as one unity of action (Art. 83(3) GDPR).

    EU: one fine, capped at the maximum for the gravest infringement, at the gravest seriousness among the
    practices. ``seriousness`` overrides practices.csv: one level for all practices, or a mapping
    practice id -> level for some of them. US: no formula, only the outcomes on record.
    """
    _one_of("jurisdiction", jurisdiction, JURISDICTIONS)
    matrix = exposure_matrix()
    if isinstance(seriousness, Mapping):
        unknown = sorted(set(seriousness) - set(matrix["practice_id"]))
        if unknown:
            raise ValueError(f"seriousness names unknown practice id(s) {unknown}")
        for practice_id, level in seriousness.items():
            _one_of(f"seriousness[{practice_id!r}]", level, SERIOUSNESS)
    elif seriousness is not None:
        _one_of("seriousness", seriousness, SERIOUSNESS)
    if practice_ids is not None:
        practice_ids = list(practice_ids)
        unknown = sorted(set(practice_ids) - set(matrix["practice_id"]))
        if unknown:
            raise ValueError(
                f"unknown practice id(s) {unknown}; known: {', '.join(matrix['practice_id'].unique())}"
            )
        matrix = matrix[matrix["practice_id"].isin(practice_ids)]
    eu_estimate = eu_basis = us_outcomes = None
    notes = []
    if jurisdiction in ("EU", "both"):
        fined = matrix[(matrix["jurisdiction"] == "EU") & (matrix["fine_article"] != "")]
        if fined.empty:
            notes.append("EU: none of the chosen practices engages a GDPR provision with a fine.")
        else:
            eu_basis = (
                fined.groupby(["practice_id", "seriousness"], as_index=False)
                .agg(gravest_article=("fine_article", _gravest), provisions=("provision", " | ".join))
                .sort_values("practice_id", ignore_index=True)
            )
            if isinstance(seriousness, Mapping):
                eu_basis["seriousness"] = [
                    seriousness.get(pid, level)
                    for pid, level in zip(eu_basis["practice_id"], eu_basis["seriousness"], strict=True)
                ]
            elif seriousness:  # one level for every practice: the basis shows what the estimate used
                eu_basis["seriousness"] = seriousness
            level = _gravest_seriousness(eu_basis["seriousness"])
            eu_estimate = gdpr_fine(
                zoom_turnover_eur(fiscal_year, eur_per_usd),
                _gravest(eu_basis["gravest_article"]),
                level,
                aggravating,
                mitigating,
            )
            context = (
                f"Hypothetical: no EU authority has fined Zoom. Unity of action assumed for {len(eu_basis)} "
                f"practice(s); turnover = Zoom revenue {fiscal_year} x {eur_per_usd} EUR/USD."
            )
            eu_estimate = replace(eu_estimate, note=f"{eu_estimate.note} {context}".strip())
    if jurisdiction in ("US", "both"):
        us_outcomes = matrix[matrix["jurisdiction"].str.startswith("US")].reset_index(drop=True)
        enforcement = load_reference("enforcement")[["id", "amount_usd", "status"]]
        us_outcomes = us_outcomes.merge(enforcement, left_on="outcome_ref", right_on="id", how="left").drop(
            columns="id"
        )
        notes.append(
            "US: no fine formula; outcomes on record are the FTC consent order (no money) and the $85M class "
            "settlement (a civil settlement, not a fine)."
        )
    return Scenario(
        jurisdiction, fiscal_year, eur_per_usd, eu_estimate, eu_basis, us_outcomes, " ".join(notes)
    )


def sensitivity(
    base_params: Mapping[str, object], ranges: Mapping[str, tuple[object, object]]
) -> pd.DataFrame:
    """One-at-a-time swings of the EU estimate's midpoint, for a tornado chart, largest swing first.

    ``base_params`` are keyword arguments of ``scenario`` (e.g. fiscal_year, eur_per_usd, seriousness,
    aggravating, mitigating); ``ranges`` maps some of them to (low, high) values tried one at a time.
    """
    unknown = sorted(set(ranges) - {"fiscal_year", "eur_per_usd", "seriousness", "aggravating", "mitigating"})
    if unknown:
        raise ValueError(f"ranges has unknown parameter(s) {unknown}")

    def midpoint(**change: object) -> float:
        estimate = scenario("EU", **{**base_params, **change}).eu_estimate
        if estimate is None:
            raise ValueError("the chosen practices give no EU fine estimate to vary")
        return estimate.midpoint

    base = midpoint()
    rows = [
        {
            "parameter": name,
            "low_value": low,
            "high_value": high,
            "base_midpoint": base,
            "midpoint_at_low": midpoint(**{name: low}),
            "midpoint_at_high": midpoint(**{name: high}),
        }
        for name, (low, high) in ranges.items()
    ]
    table = pd.DataFrame(
        rows,
        columns=[
            "parameter",
            "low_value",
            "high_value",
            "base_midpoint",
            "midpoint_at_low",
            "midpoint_at_high",
        ],
    )
    table["swing"] = (table["midpoint_at_high"] - table["midpoint_at_low"]).abs()
    return table.sort_values("swing", ascending=False, ignore_index=True)
