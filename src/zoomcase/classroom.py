"""The classroom edition of the Zoom case: answer checks with feedback, and the student edition builder.

Every expected answer is computed from the package (corpus, claims, prices, reference tables, the fine
method), never typed in: if the data change, the checks change with them. A wrong answer gets a diagnosis
where a typical mistake can be recognised (the wrong base close, a percentage instead of a ratio, the page
date instead of the content date, the article's word instead of Zoom's count, ...), else a hint.

The teacher notebook ``notebooks/classroom/zoom_case_teacher.ipynb`` keeps its solutions in cells tagged
``solution``; ``build_student_edition`` removes them (nbconvert's TagRemovePreprocessor, enabled
explicitly), clears every output and writes the student notebook plus a printable offline HTML handout.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from zoomcase.paths import REPO_ROOT

TEACHER_NOTEBOOK = REPO_ROOT / "notebooks" / "classroom" / "zoom_case_teacher.ipynb"
DEFAULT_OUT = REPO_ROOT / "reports" / "classroom"
STUDENT_NAME = "zoom_case_student.ipynb"
HANDOUT_NAME = "zoom_case_handout.html"
SOLUTION_TAG = "solution"

# The exercises' settings: what each exercise asks about, and how close an answer must be.
CLAIM_METRIC = "share_price_change_ytd"  # exercise 1: the claim that the share price doubled
RATIO_TOLERANCE = 0.01  # exercise 2: absolute tolerance on a price ratio (x7.89 +/- 0.01)
DATING_DOC = "000"  # exercise 3: the article to date from its own figures
DATE_TOLERANCE = pd.Timedelta(days=7)  # exercise 3: either end of the content window
MIN_PROVISIONS = 3  # exercise 5: correct EU provisions to name (all of them if fewer are mapped)
FINE_PRACTICE = "prac-ai-training"  # exercise 6: the practice to estimate a fine for
FINE_FISCAL_YEAR = "FY2023"  # exercise 6: a decision in 2023 uses the preceding financial year
EUR_PER_USD = 0.92  # exercise 6: the exchange rate the exercise assumes
FINE_TOLERANCE = 0.02  # exercise 6: relative tolerance on each end of the range
# EDPB Guidelines 04/2022 par. 53-59 and Art. 83(2) GDPR: what a seriousness level must be argued from.
SERIOUSNESS_FACTORS = {
    "nature": ("nature", "kind of processing", "type of processing"),
    "scope": ("scope", "scale", "all users", "every user", "everyone", "million", "number of"),
    "purpose": ("purpose",),
    "people affected": ("data subject", "people", "users", "participants", "customers"),
    "damage": ("damage", "harm", "loss of control"),
    "duration": ("duration", "how long", "months", "weeks", "days"),
    "intent or negligence": ("intent", "negligen", "deliberate", "careless"),
    "categories of data": ("categor", "sensitive", "content", "special"),
    "consent": ("consent", "opt-in", "opt in"),
}
MIN_REASON_WORDS = 8


@dataclass(frozen=True)
class Feedback:
    """The result of a check: ``ok`` and a message that explains, also when the answer is right."""

    ok: bool
    message: str
    exercise: str = ""

    def __bool__(self) -> bool:
        return self.ok

    def _label(self) -> str:
        return ("✓ Correct" if self.ok else "✗ Not yet") + (f" · {self.exercise}" if self.exercise else "")

    def _repr_markdown_(self) -> str:
        return f"**{self._label()}.** {self.message}".replace("$", r"\$")  # no accidental TeX

    def __repr__(self) -> str:
        return f"{self._label()}: {self.message}"


# ---------------------------------------------------------------------------------------------- data


@lru_cache(maxsize=1)
def _corpus():
    from zoomcase.corpus import load_corpus

    return load_corpus()


@lru_cache(maxsize=1)
def _checked() -> pd.DataFrame:
    from zoomcase.checks import check_claims
    from zoomcase.claims import extract_claims

    return check_claims(extract_claims(_corpus()))


@lru_cache(maxsize=1)
def _prices() -> pd.DataFrame:
    from zoomcase.market import load_prices

    return load_prices("ZM")


def _day(ts) -> str:
    return f"{pd.Timestamp(ts):%Y-%m-%d}"


def _missing(value) -> bool:
    return value is ... or value is None or (isinstance(value, str) and not value.strip())


def _no_answer(exercise: str, what: str) -> Feedback:
    return Feedback(False, f"No answer yet: replace `...` with {what}.", exercise)


def _text(value: str) -> str:
    """Text compared loosely: NFC, ASCII quotes, one space between words, case-folded."""
    value = unicodedata.normalize("NFC", str(value))
    value = re.sub(r"[‘’‚‛′]", "'", value)
    value = re.sub(r"[“”„‟″«»]", '"', value)
    return re.sub(r"\s+", " ", value).strip().casefold()


def _date(value, name: str, exercise: str) -> tuple[pd.Timestamp | None, Feedback | None]:
    try:
        day = pd.to_datetime(value, format="ISO8601") if isinstance(value, str) else pd.Timestamp(value)
    except (TypeError, ValueError):
        day = pd.NaT
    if pd.isna(day):
        return None, Feedback(
            False, f"Could not read {name} {value!r} as a date: write it as 'YYYY-MM-DD'.", exercise
        )
    return day.normalize(), None


def _number(value, name: str, exercise: str) -> tuple[float | None, Feedback | None]:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None, Feedback(False, f"{name} must be a number, got {value!r}.", exercise)
    return float(value), None


# ------------------------------------------------------------------------ exercise 1: find the claim


def check_claim_location(doc_id: str, quote: str, metric: str = CLAIM_METRIC) -> Feedback:
    """Exercise 1: which document makes the claim (``metric``), and the words that make it, quoted."""
    exercise = "Exercise 1 · find the claim"
    if _missing(doc_id) or _missing(quote):
        return _no_answer(exercise, "the document id (such as '002') and a quote copied from the text")
    corpus, checked = _corpus(), _checked()
    doc_id = str(doc_id).strip()
    docs = corpus.documents.set_index("doc_id")
    if doc_id not in docs.index:
        return Feedback(
            False,
            f"There is no document {doc_id!r}; the ids are {', '.join(docs.index)} (as strings).",
            exercise,
        )
    claim = checked[checked.metric == metric].iloc[0]
    wanted = _text(quote)
    sentences = corpus.sentences.assign(norm=corpus.sentences.text.map(_text))
    hits = sentences[sentences.norm.str.contains(wanted, regex=False)]
    in_doc = hits[hits.doc_id == doc_id]
    if doc_id != claim.doc_id:
        where = f" Your quote is in document {hits.doc_id.iloc[0]}." if not hits.empty else ""
        lang = docs.loc[claim.doc_id, "language"]
        return Feedback(
            False,
            f"Document {doc_id} does not make this claim.{where} Look in the documents in language "
            f"'{lang}' for the sentence that says how the share price ('koers') moved since the start of "
            "the year.",
            exercise,
        )
    if in_doc.empty:
        return Feedback(
            False,
            f"Your quote is not in document {doc_id} word for word. Copy it from the normalised sentences "
            f"(`corpus.sentences`, document {doc_id}), or quote fewer words; quotes may span one sentence.",
            exercise,
        )
    sentence = in_doc.iloc[0]
    if sentence.sent_id != claim.sent_id:
        return Feedback(
            False,
            f"Right document, wrong sentence: your quote is in sentence {sentence.sent_id}; the claim is in "
            f"sentence {claim.sent_id}.",
            exercise,
        )
    if _text(claim.text) not in wanted:
        mine = checked[(checked.doc_id == doc_id) & (checked.sent_id == claim.sent_id)]
        other = mine[mine.text.map(lambda t: _text(t) in wanted) & (mine.metric != metric)]
        if not other.empty:
            o = other.iloc[0]
            return Feedback(
                False,
                f"Right sentence, but your quote holds another claim: {o.claim_id}, '{o.text}' "
                f"({o.gloss_en}). The claim asked for is about the share price, elsewhere in the same "
                "sentence.",
                exercise,
            )
        return Feedback(
            False,
            "Right sentence, but your quote leaves out the word(s) that make the claim: include the word "
            "that says how much the share price changed.",
            exercise,
        )
    raw = docs.loc[doc_id, "raw"]
    return Feedback(
        True,
        f"Claim {claim.claim_id}: '{claim.text}' ({claim.gloss_en}), sentence {claim.sent_id} of document "
        f"{doc_id}, characters {claim.start}-{claim.end} of the raw file, which reads "
        f"'{raw[claim.start : claim.end]}' there.",
        exercise,
    )


# ----------------------------------------------------------------- exercise 2: the share-price change


def check_price_change(date, ratio) -> Feedback:
    """Exercise 2: the ZM close on ``date`` over the last close of the previous year, as a ratio (x2 = 2)."""
    from zoomcase.windows import band, value_on, ytd_ratio

    exercise = "Exercise 2 · share-price change since 1 January"
    if _missing(date) or _missing(ratio):
        return _no_answer(exercise, "the date (such as '2020-06-30') and your ratio (close / base close)")
    day, problem = _date(date, "the date", exercise)
    if problem is not None:
        return problem
    ratio, problem = _number(ratio, "ratio", exercise)
    if problem is not None:
        return problem
    prices = _prices()
    close = prices.close
    try:
        series, base = ytd_ratio(close, day.year)
        session, expected = value_on(series, day)
    except ValueError as exc:
        return Feedback(False, f"No ratio for {_day(day)}: {exc}.", exercise)
    tol = RATIO_TOLERANCE
    shown = (
        f"{_day(day)}"
        if session == day
        else f"{_day(day)} (no session; the last close before it: {_day(session)})"
    )
    if abs(ratio - expected) <= tol:
        claim = _checked().pipe(lambda c: c[c.metric == CLAIM_METRIC]).iloc[0]
        b = band(claim.value, claim.qualifier)
        holds = b.low <= expected <= b.high
        return Feedback(
            True,
            f"×{expected:.2f} on {shown}: close {close[session]:.2f} over the last close of {day.year - 1}, "
            f"{_day(base)}: {close[base]:.2f} (tolerance ±{tol}). Article {claim.doc_id} claims "
            f"×{claim.value:g} ('{claim.text}'), which holds for ×{b.low:.2f} to ×{b.high:.2f}: "
            f"{'it holds' if holds else 'it does not hold'} on this date; it held between "
            f"{_day(claim.consistent_from)} and {_day(claim.consistent_to)}.",
            exercise,
        )
    year = close[close.index.year == day.year]
    first = year.index[0]
    diagnoses = [
        (
            close[session] / close[first],
            f"You used the close of {first:%-d %B} ({close[first]:.2f}) as the base; 'since the start of "
            f"the year' is measured from the last close of the previous year, {_day(base)}: "
            f"{close[base]:.2f}.",
        ),
        (expected - 1, "You gave the change (close / base - 1); the check wants the ratio close / base."),
        (100 * (expected - 1), "You gave the change in percent; the check wants the ratio close / base."),
        (1 / expected, "Your ratio is upside down: divide the later close by the base close."),
    ]
    diagnoses += [
        (
            prices.loc[session, column] / close[base],
            f"You used the {column} price of {_day(session)}; use its close.",
        )
        for column in ("open", "high", "low")
        if column in prices
    ]
    for value, message in diagnoses:
        if abs(ratio - value) <= tol:
            return Feedback(False, message, exercise)
    near = series[(series.index - session).to_series().abs().dt.days.to_numpy() <= 10]
    close_days = near[(near - ratio).abs() <= tol]
    if not close_days.empty:
        return Feedback(
            False,
            f"Your ratio is the one for {_day(close_days.index[0])}; the date asked for is {shown}.",
            exercise,
        )
    return Feedback(
        False,
        f"Your ratio ×{ratio:.2f} is more than {tol} off. Divide the close of {_day(session)} by the last "
        f"close before 1 January {day.year} (`close[close.index < '{day.year}-01-01'].iloc[-1]`, or "
        "`zoomcase.windows.ytd_ratio`).",
        exercise,
    )


# ----------------------------------------------------------------- exercise 3: date an article


def _dating_basis(doc_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The claims that date a document, as ``zoomcase.checks.date_documents`` uses them."""
    checked = _checked()
    mine = checked[(checked.doc_id == doc_id) & checked.consistent_from.notna()]
    after = mine[(mine.dating == "after") & mine.verdict.isin(["supported", "misleading"])]
    within = mine[(mine.dating == "within") & (mine.verdict != "unverifiable")]
    return after, within


def check_article_dating(start, end, doc_id: str = DATING_DOC) -> Feedback:
    """Exercise 3: the first and last day on which the document's own figures and events fit."""
    from zoomcase.checks import date_documents

    exercise = "Exercise 3 · date an article from its own figures"
    if _missing(start) or _missing(end):
        return _no_answer(exercise, "the first and the last date ('YYYY-MM-DD') the content fits")
    start, problem = _date(start, "start", exercise)
    if problem is not None:
        return problem
    end, problem = _date(end, "end", exercise)
    if problem is not None:
        return problem
    if start > end:
        return Feedback(False, f"start {_day(start)} is after end {_day(end)}: swap them?", exercise)
    row = date_documents(_corpus(), _checked()).set_index("doc_id").loc[doc_id]
    want_from, want_to, page = row.content_from, row.content_to, row.page_date
    after, within = _dating_basis(doc_id)
    everything = pd.concat([after, within])
    first = everything.loc[everything.consistent_from.idxmax()]
    bounded = within.dropna(subset=["consistent_to"])
    last = bounded.loc[bounded.consistent_to.idxmin()] if len(bounded) else None
    tol = DATE_TOLERANCE
    problems = []
    if pd.notna(page) and (start == page or end == page):
        claim = last if last is not None else first
        problems.append(
            f"{_day(page)} is the page date, not the content date. Hold the figures against it: claim "
            f"{claim.claim_id} ('{claim.text}'): {claim.explanation}"
        )
    elif abs(start - want_from) > tol:
        if start < want_from:
            problems.append(
                f"Too early a start: on {_day(start)} the article could not yet report claim "
                f"{first.claim_id} ('{first.text}': {first.gloss_en}), which dates from "
                f"{_day(first.consistent_from)}. Content is written after the latest event it reports and "
                "while its figures hold: take the latest `consistent_from`."
            )
        else:
            problems.append(
                f"Too late a start: by {_day(start)} everything the article reports had happened for some "
                "time. Which claim needs a start that late? Take the latest `consistent_from` of the claims "
                "that date the article (the `dating` column: 'after' and 'within')."
            )
    if not problems and pd.notna(want_to) and abs(end - want_to) > tol:
        if end > want_to:
            problems.append(
                f"Too late an end: after {_day(want_to)} claim {last.claim_id} ('{last.text}': "
                f"{last.gloss_en}) no longer held (it held {last.windows.split('; ')[-1]} last). Take the "
                "earliest `consistent_to` of the figures."
            )
        else:
            problems.append(
                f"Too early an end: on {_day(end)} all the article's figures still held; take the earliest "
                "`consistent_to` of the claims whose `dating` is 'within'."
            )
    if problems:
        return Feedback(False, " ".join(problems), exercise)
    flag = (
        f" The page date {_day(page)} lies outside this window: {row.flag}."
        if pd.notna(page) and row.flag
        else ""
    )
    return Feedback(
        True,
        f"Document {doc_id}'s content fits {_day(want_from)} to {_day(want_to)} (±{tol.days} days accepted): "
        f"not before {first.claim_id} ('{first.text}', {_day(first.consistent_from)}), and not after the "
        f"last day claim {last.claim_id} ('{last.text}') held.{flag}",
        exercise,
    )


# -------------------------------------------------------------- exercise 4: the renamed metric


def _usage_match(claim: pd.Series) -> tuple[pd.DataFrame, str]:
    """The reference rows a usage claim matches, and the count the claim reports (e.g. 'users')."""
    from zoomcase.checks import load_checks
    from zoomcase.reference import load_reference
    from zoomcase.windows import band

    spec = load_checks().set_index("metric").loc[claim.metric]
    refs = [r for r in spec.references.split("|") if r]
    rows = load_reference("usage_metrics").set_index("id").loc[refs]
    b = band(claim.value, claim.qualifier)
    return rows[b.contains(rows.value.astype(float))], spec.claim_counts


def check_renamed_metric(claim_id: str, what_zoom_counted: str) -> Feedback:
    """Exercise 4: the claim that reports Zoom's figure under another name, and what Zoom really counted."""
    exercise = "Exercise 4 · spot the renamed metric"
    if _missing(claim_id) or _missing(what_zoom_counted):
        return _no_answer(
            exercise, "a claim_id (such as '001-c05') and, in words, what Zoom's figure counted"
        )
    checked = _checked().set_index("claim_id")
    claim_id = str(claim_id).strip()
    if claim_id not in checked.index:
        return Feedback(
            False,
            f"There is no claim {claim_id!r}: claim ids look like '001-c05' (see `zoomcase claims` or the "
            "`claim_id` column of the checked claims).",
            exercise,
        )
    claim = checked.loc[claim_id]
    renamed = checked[(checked.check == "usage") & (checked.verdict == "misleading")]
    if claim_id not in renamed.index:
        return Feedback(
            False,
            f"Claim {claim_id} ('{claim.text}': {claim.gloss_en}) is {claim.verdict}: {claim.explanation} "
            f"Look for a usage figure the checks call misleading (there are {len(renamed)}).",
            exercise,
        )
    inside, reported = _usage_match(claim.rename(claim_id))
    counted = sorted(set(inside.counts) - {reported})
    heads = [c.split("_")[-1].rstrip("s") for c in counted]
    answer = _text(what_zoom_counted).replace("_", " ")
    row = inside[inside.counts.isin(counted)].iloc[0]
    if not any(h in answer for h in heads):
        said = reported.rstrip("s")
        why = (
            f"'{what_zoom_counted}' is what the article calls the figure; "
            if said and said in answer
            else f"'{what_zoom_counted}' is not what Zoom's statement counted; "
        )
        return Feedback(
            False,
            f"Right claim. {why}read the `counts` and `definition` columns of the reference row "
            f"{row.name} (`load_reference('usage_metrics')`).",
            exercise,
        )
    return Feedback(
        True,
        f"Claim {claim_id} reports {claim.value:,.0f} {reported} ('{claim.text}'); Zoom's own figure "
        f"({row.name}: '{row.as_stated}') counts {counted[0].replace('_', ' ')}. {row.note}",
        exercise,
    )


# -------------------------------------------------------- exercise 5: map a practice to a provision


def _provision_id(value: str) -> str:
    value = str(value).strip().lower()
    return value if value.startswith("prov-") else f"prov-{value}"


def check_provision(practice_id: str, provision_ids) -> Feedback:
    """Exercise 5: EU provisions (GDPR or ePrivacy) that a practice touches, as ``prov-...`` ids."""
    from zoomcase.exposure import exposure_matrix, load_table

    exercise = "Exercise 5 · map a practice to a provision"
    if _missing(practice_id) or _missing(provision_ids) or provision_ids == [...]:
        return _no_answer(exercise, "the practice id and a list of provision ids such as ['prov-gdpr-art32']")
    if isinstance(provision_ids, str):
        provision_ids = [provision_ids]
    practices = load_table("practices").set_index("id")
    if practice_id not in practices.index:
        return Feedback(
            False, f"No practice {practice_id!r}; the ids are: {', '.join(practices.index)}.", exercise
        )
    provisions = load_table("provisions").set_index("id")
    matrix = exposure_matrix("EU")
    mapped = matrix[matrix.practice_id == practice_id].set_index("provision_id")
    given = list(dict.fromkeys(_provision_id(p) for p in provision_ids))
    unknown = [str(p) for p in provision_ids if _provision_id(p) not in provisions.index]
    if unknown:
        return Feedback(
            False,
            f"Not a provision id: {', '.join(map(repr, unknown))}. Ids look like 'prov-gdpr-art6' or "
            "'prov-eprivacy-art5-1' (see `exposure.load_table('provisions')`).",
            exercise,
        )
    us = [p for p in given if not provisions.loc[p, "jurisdiction"].startswith("EU")]
    wrong = [p for p in given if p not in mapped.index and p not in us]
    right = [p for p in given if p in mapped.index]
    need = min(MIN_PROVISIONS, len(mapped))
    notes = []
    if us:
        notes.append(f"{', '.join(us)}: US law; this exercise asks for EU provisions.")
    for p in wrong:
        notes.append(
            f"{p} ({provisions.loc[p, 'provision']}, {provisions.loc[p, 'title']}) requires: "
            f"{provisions.loc[p, 'requires']} The case file does not connect it with this practice; if you "
            "think it applies, argue it in the discussion."
        )
    if us or wrong or len(right) < need:
        if len(right) < need:
            missing = mapped.drop(index=right)
            by_instrument = missing.instrument.str.extract(r"^(GDPR|ePrivacy Directive)")[0].value_counts()
            notes.append(
                f"{len(right)} right; name at least {need - len(right)} more. The case file connects "
                f"{len(missing)} more with this practice: "
                + ", ".join(f"{n} in the {name}" for name, n in by_instrument.items())
                + ". Ask: on what legal basis, with what consent, for which purpose, told to whom?"
            )
        return Feedback(False, " ".join(notes), exercise)
    short = mapped.instrument.str.extract(r"^(GDPR|ePrivacy)")[0]
    found = "; ".join(
        f"{mapped.loc[p, 'provision']} {short[p]} ({mapped.loc[p, 'rationale']})" for p in right
    )
    rest = mapped.drop(index=right)
    also = (
        " Also touched: "
        + "; ".join(f"{r.provision} {r.instrument.split(' ')[0]}" for r in rest.itertuples())
        + "."
        if len(rest)
        else ""
    )
    return Feedback(True, f"{found}.{also}", exercise)


# ------------------------------------------------------ exercise 6: a fine range and its seriousness


def _fine_article(practice_id: str) -> tuple[str, list[str]]:
    from zoomcase.exposure import GRAVITY, exposure_matrix

    matrix = exposure_matrix("EU")
    fined = matrix[(matrix.practice_id == practice_id) & (matrix.fine_article != "")]
    article = max(fined.fine_article, key=GRAVITY.index)
    return article, list(fined.loc[fined.fine_article == article, "provision"])


def check_fine_range(low, high, seriousness: str, reason: str, practice_id: str = FINE_PRACTICE) -> Feedback:
    """Exercise 6: the EDPB fine range in EUR for ``practice_id`` at the seriousness you defend in ``reason``.

    Assumptions of the exercise: a decision in 2023 (turnover of the preceding financial year,
    ``FINE_FISCAL_YEAR``), ``EUR_PER_USD``, one infringement judged by its gravest article, no aggravating or
    mitigating circumstances.
    """
    from zoomcase.exposure import LEGAL_MAXIMA, SERIOUSNESS, gdpr_fine, load_table, zoom_turnover_eur
    from zoomcase.reference import load_reference

    exercise = "Exercise 6 · estimate a fine range"
    if any(_missing(v) for v in (low, high, seriousness, reason)):
        return _no_answer(exercise, "low and high in EUR, a seriousness level and your reason for it")
    low, problem = _number(low, "low", exercise)
    if problem is not None:
        return problem
    high, problem = _number(high, "high", exercise)
    if problem is not None:
        return problem
    if seriousness not in SERIOUSNESS:
        return Feedback(False, f"seriousness must be one of {', '.join(map(repr, SERIOUSNESS))}.", exercise)
    if low > high:
        return Feedback(False, f"low ({low:,.0f}) is above high ({high:,.0f}): swap them?", exercise)
    article, engaged = _fine_article(practice_id)
    turnover = zoom_turnover_eur(FINE_FISCAL_YEAR, EUR_PER_USD)
    expected = gdpr_fine(turnover, article, seriousness)

    def near(a: float, b: float) -> bool:
        return abs(a - b) <= FINE_TOLERANCE * abs(b)

    def matches(estimate) -> bool:
        return near(low, estimate.low) and near(high, estimate.high)

    if not matches(expected):
        diagnoses = [
            (
                gdpr_fine(turnover, a, seriousness),
                f"You used the Art. {a} maximum; the practice engages "
                f"{', '.join(engaged)}, fined under Art. {article}.",
            )
            for a in LEGAL_MAXIMA
            if LEGAL_MAXIMA[a] != LEGAL_MAXIMA[article]
        ]
        diagnoses += [
            (gdpr_fine(turnover, article, s), f"That is the '{s}' range, but you said '{seriousness}'.")
            for s in SERIOUSNESS
            if s != seriousness
        ]
        diagnoses.append(
            (
                gdpr_fine(turnover / EUR_PER_USD, article, seriousness),
                f"You used the turnover in USD; convert it at {EUR_PER_USD} EUR per USD.",
            )
        )
        fiscal = load_reference("financials")
        for fy in fiscal.loc[(fiscal.period == "FY") & fiscal.revenue_usd.notna(), "fiscal_year"]:
            if fy != FINE_FISCAL_YEAR:
                diagnoses.append(
                    (
                        gdpr_fine(zoom_turnover_eur(fy, EUR_PER_USD), article, seriousness),
                        f"You used the {fy} turnover; a decision in 2023 uses the financial year before it, "
                        f"{FINE_FISCAL_YEAR} (Zoom's fiscal year ends on 31 January).",
                    )
                )
        for estimate, message in diagnoses:
            if matches(estimate):
                return Feedback(False, message, exercise)
        lo, hi = SERIOUSNESS[seriousness]
        if near(high, expected.legal_maximum) or near(low, expected.legal_maximum):
            message = (
                f"{expected.legal_maximum:,.0f} is the legal maximum itself; the starting point is "
                f"{lo:.0%}-{hi:.0%} of it for '{seriousness}' seriousness (EDPB par. 60)."
            )
        else:
            message = (
                f"Not the range the EDPB method gives (±{FINE_TOLERANCE:.0%} accepted). Step by step: the "
                f"legal maximum of Art. {article} is the higher of its fixed amount and its share of the "
                f"{FINE_FISCAL_YEAR} turnover in EUR; '{seriousness}' seriousness starts at "
                f"{lo:.0%}-{hi:.0%} of that maximum; above EUR 500m turnover there is no size adjustment."
            )
        return Feedback(False, message, exercise)
    words = _text(reason).split()
    factors = [name for name, cues in SERIOUSNESS_FACTORS.items() if any(c in " ".join(words) for c in cues)]
    if len(words) < MIN_REASON_WORDS or not factors:
        return Feedback(
            False,
            f"The range is right for '{seriousness}', but defend the level in a sentence or two ("
            f"{MIN_REASON_WORDS} words or more) from the EDPB's factors: "
            + ", ".join(SERIOUSNESS_FACTORS)
            + ".",
            exercise,
        )
    rated = load_table("practices").set_index("id").loc[practice_id, "seriousness"]
    verdict = (
        f"The case file rates this practice '{rated}' too."
        if rated == seriousness
        else f"The case file rates it '{rated}': be ready to defend '{seriousness}' in the discussion."
    )
    return Feedback(
        True,
        f"EUR {expected.low:,.0f} to {expected.high:,.0f}: Art. {article} maximum "
        f"EUR {expected.legal_maximum:,.0f} (the higher of its fixed amount and its share of turnover "
        f"EUR {turnover:,.0f}), {seriousness} seriousness. Your reason weighs: {', '.join(factors)}. "
        f"{verdict} Hypothetical: no EU authority has fined Zoom.",
        exercise,
    )


# -------------------------------------------------------------------------------- student edition


def student_notebook(teacher: Path = TEACHER_NOTEBOOK):
    """The teacher notebook without its ``solution`` cells and with every output cleared."""
    import nbformat
    from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor

    nb = nbformat.read(str(teacher), as_version=4)
    remove = TagRemovePreprocessor(enabled=True, remove_cell_tags={SOLUTION_TAG})
    nb, _ = remove(nb, {})
    nb, _ = ClearOutputPreprocessor(enabled=True)(nb, {})
    left = [i for i, cell in enumerate(nb.cells) if SOLUTION_TAG in cell.metadata.get("tags", [])]
    if left:  # never hand out a solution, whatever nbconvert's defaults become
        raise RuntimeError(f"cells {left} are still tagged {SOLUTION_TAG!r} after removal")
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata.pop("widgets", None)
    return nb


_HANDOUT_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}
<style>
@media print {
  body { font-size: 11pt; }
  .jp-Cell { break-inside: avoid; }
  h2 { break-before: page; }
  h1 + * h2, h2:first-of-type { break-before: auto; }
}
.jp-CodeCell .jp-InputArea { border-left: 3px solid #1f3a93; }
</style>
{% endblock extra_css %}
"""


def handout_html(nb, title: str = "The Zoom case · student handout") -> str:
    """A printable, offline HTML page of the student notebook: no script or font loaded from the network."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        template_file="zoomcase_handout.html.j2",
        extra_loaders=[DictLoader({"zoomcase_handout.html.j2": _HANDOUT_TEMPLATE})],
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    remote = re.findall(r"<script[^>]*\bsrc=[\"']?(?:https?:)?//[^\"' >]+", body)
    if remote:
        raise RuntimeError(f"the handout would load scripts from the network: {remote}")
    return body


def build_student_edition(out: Path = DEFAULT_OUT, teacher: Path = TEACHER_NOTEBOOK) -> tuple[Path, Path]:
    """Write ``zoom_case_student.ipynb`` and ``zoom_case_handout.html`` into ``out``; return both paths."""
    import nbformat

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    nb = student_notebook(teacher)
    notebook_path, handout_path = out / STUDENT_NAME, out / HANDOUT_NAME
    nbformat.write(nb, str(notebook_path))
    handout_path.write_text(handout_html(nb), encoding="utf-8")
    return notebook_path, handout_path
