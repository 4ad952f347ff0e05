"""Verdicts against real prices and sourced reference facts, and dating documents by their own claims."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from zoomcase import check_claims, date_documents, extract_claims, growth, load_corpus
from zoomcase import checks as checks_module
from zoomcase.checks import VERDICTS, load_checks
from zoomcase.claims import load_metrics


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def checked(corpus):
    return check_claims(extract_claims(corpus)).set_index("claim_id")


def _one(checked: pd.DataFrame, doc_id: str, metric: str) -> pd.Series:
    rows = checked[(checked.doc_id == doc_id) & (checked.metric == metric)]
    assert len(rows) >= 1, (doc_id, metric)
    return rows.iloc[0]


def test_every_claim_gets_a_known_verdict_and_an_explanation(checked):
    assert set(checked.verdict) <= set(VERDICTS)
    assert (checked.explanation.str.len() > 0).all()
    supported = checked[checked.verdict == "supported"]
    assert (supported.sources.str.len() > 0).all()


def test_every_metric_has_a_check():
    assert set(load_metrics().metric) <= set(load_checks().metric)


def test_doubling_does_not_hold_on_the_page_date_but_did_in_spring_2020(checked):
    row = _one(checked, "000", "share_price_change_ytd")
    assert row.verdict == "contradicted"
    assert "×7.89" in row.evidence  # 537.02 / 68.04
    assert row.consistent_from == pd.Timestamp("2020-03-05")
    assert row.consistent_to == pd.Timestamp("2020-05-06")
    assert "2020-03-24..2020-03-26" in row.windows


def test_market_cap_does_not_hold_on_the_page_date_but_did_in_spring_2020(checked):
    row = _one(checked, "000", "market_cap_usd")
    assert row.verdict == "contradicted"
    assert "151.5" in row.evidence
    assert "implied price 134.70" in row.evidence  # 38e9 / 282,102,986 shares
    spring = (pd.Timestamp("2020-03-01"), pd.Timestamp("2020-06-30"))
    assert spring[0] <= row.consistent_from <= row.consistent_to <= spring[1]


def test_daily_users_are_meeting_participants(checked):
    row = _one(checked, "001", "daily_users")
    assert row.value == 200e6
    assert row.verdict == "misleading"
    assert "meeting participants" in row.explanation


def test_a_settlement_called_a_fine_is_misleading(checked):
    row = _one(checked, "004", "legal_fine_claimed")
    assert row.verdict == "misleading"
    assert "not a fine" in row.explanation and "85,000,000" in row.explanation


@pytest.mark.parametrize(
    ("doc_id", "metric", "verdict", "phrase"),
    [
        ("003", "settlement_usd", "supported", "USD 85,000,000"),
        ("001", "schools", "supported", "2020-04-01"),
        ("001", "countries", "supported", "20 countries"),
        ("001", "fbi_reports", "supported", "2020-03-30"),
        ("000", "event_motherboard_facebook_report", "supported", "2020-03-26"),
        ("000", "event_ny_ag_letter", "supported", "2020-03-30"),
        ("001", "event_spacex_ban", "supported", "SpaceX"),
        ("004", "event_terms_changed_ai", "supported", "2023-03-01"),
        ("003", "count_of_changes", "unverifiable", "French press"),
        ("004", "legal_no_gdpr_action", "supported", "No EU fine"),
        ("000", "app_downloads_per_day", "unverifiable", "No figure for 2020-10-20"),
    ],
)
def test_verdict_per_claim_type(checked, doc_id, metric, verdict, phrase):
    row = _one(checked, doc_id, metric)
    assert row.verdict == verdict
    assert phrase in f"{row.evidence} {row.explanation}"


def test_date_documents_puts_the_first_article_in_spring_2020(corpus, checked):
    dated = date_documents(corpus, checked.reset_index()).set_index("doc_id")
    first = dated.loc["000"]
    assert first.page_date == pd.Timestamp("2020-10-20")
    assert first.content_from == pd.Timestamp("2020-03-30")  # NY AG letter and class action
    assert first.content_to == pd.Timestamp("2020-05-06")  # last session the doubling held
    assert first.flag == "page date outside the content window"
    settlement = dated.loc["003"]
    assert settlement.content_from == pd.Timestamp("2021-07-31")
    assert settlement.flag == ""


def _checked_text(tmp_path: Path, name: str, text: str) -> pd.DataFrame:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return check_claims(extract_claims(load_corpus(tmp_path))).set_index("metric")


def test_english_month_dated_claims_hold_within_their_month(tmp_path):
    checked = _checked_text(
        tmp_path,
        "en.txt",
        "Zoom shares\n\nIn April 2020 the Zoom share price had doubled since the start of the year, and its "
        "market capitalisation reached more than $38 billion.\n",
    )
    assert checked.loc["share_price_change_ytd", "verdict"] == "supported"
    assert checked.loc["market_cap_usd", "verdict"] == "supported"
    assert "2020-04-01..2020-04-30" in checked.loc["share_price_change_ytd", "evidence"]


def test_dutch_claim_dated_in_october_is_contradicted(tmp_path):
    checked = _checked_text(
        tmp_path,
        "nl.txt",
        "Zoom aandelen\n\nIn oktober 2020 is de koers van het aandeel Zoom sinds het begin van het jaar "
        "verdubbeld.\n",
    )
    assert checked.loc["share_price_change_ytd", "verdict"] == "contradicted"


def test_french_settlement_is_supported(tmp_path):
    checked = _checked_text(
        tmp_path,
        "fr.txt",
        "Zoom paie\n\nEn juillet 2021, Zoom a accepté de payer 85 millions de dollars aux plaignants.\n",
    )
    assert checked.loc["settlement_usd", "verdict"] == "supported"


def test_tolerance_is_a_parameter(corpus):
    claims = extract_claims(corpus)
    doubling = claims[claims.metric == "share_price_change_ytd"]
    wide = check_claims(doubling, tolerance=3.0)  # ×2 ± 300% covers ×7.89
    assert wide.verdict.iloc[0] == "supported"


def test_unknown_metric_is_named(corpus):
    claims = extract_claims(corpus).head(1).assign(metric="made_up_metric")
    with pytest.raises(ValueError, match=r"no check for metric\(s\) \['made_up_metric'\]"):
        check_claims(claims)


def test_a_claim_dated_before_the_market_data_is_unverifiable_not_an_error(corpus):
    """A newsroom corpus quotes old figures too: a market claim dated before ZM listed cannot be checked."""
    claims = extract_claims(corpus)
    market = claims[claims.metric.isin(["market_cap_usd", "share_price_change_ytd"])]
    assert set(market.metric) == {"market_cap_usd", "share_price_change_ytd"}
    early = market.assign(as_of=pd.Timestamp("2018-06-01"), as_of_precision="day", since=pd.NaT)
    checked = check_claims(early)
    assert (checked.verdict == "unverifiable").all()
    assert checked.explanation.str.contains("do not reach back").all()
    assert checked.evidence.str.contains("2018-").all() and (checked.sources.str.len() > 0).all()
    assert check_claims(market).verdict.ne("unverifiable").all()  # the same claims on their own dates
    assert growth.claim_dating(checked).summary.empty  # and the chart of when claims held leaves them out


def test_each_distinct_claim_is_checked_once_and_gets_the_verdict_it_gets_alone(corpus, monkeypatch):
    claims = extract_claims(corpus)
    alone = pd.concat([check_claims(claims.iloc[[i]]) for i in range(len(claims))], ignore_index=True)
    calls = []
    verdict = checks_module._verdict
    monkeypatch.setattr(
        checks_module, "_verdict", lambda claim, *a: calls.append(claim) or verdict(claim, *a)
    )
    again = claims.iloc[::-1].assign(claim_id=claims.claim_id.iloc[::-1] + "-again")
    checked = check_claims(pd.concat([claims, again], ignore_index=True))  # every claim twice
    expected = pd.concat([alone, alone.iloc[::-1].assign(claim_id=again.claim_id)], ignore_index=True)
    pd.testing.assert_frame_equal(checked, expected)
    assert len(calls) == len(claims[checks_module.READS].drop_duplicates()) < len(claims)
    assert claims.value.isna().any() and claims.as_of.isna().any()  # NaN and NaT keys were grouped too


@pytest.mark.parametrize(
    ("precision", "as_of", "first", "last"),
    [
        ("week", "2020-04-06", "2020-04-06", "2020-04-12"),
        ("month", "2020-04-01", "2020-04-01", "2020-04-30"),
        ("quarter", "2020-04-01", "2020-04-01", "2020-06-30"),
        ("season", "2020-03-01", "2020-03-01", "2020-05-31"),
        ("season", "2020-12-01", "2020-12-01", "2021-02-28"),
        ("year", "2020-01-01", "2020-01-01", "2020-12-31"),
    ],
)
def test_a_claim_date_covers_its_whole_period(precision: str, as_of: str, first: str, last: str) -> None:
    # "last week" and "in the spring of 2020" date claims too; they were read as a single day
    days = pd.Series(1.0, index=pd.date_range("2019-12-01", "2021-03-31"))
    claim = pd.Series({"as_of": pd.Timestamp(as_of), "as_of_precision": precision})
    period = checks_module._period(claim, days)
    assert (period.index[0], period.index[-1]) == (pd.Timestamp(first), pd.Timestamp(last))
    assert checks_module._period(
        pd.Series({"as_of": pd.Timestamp(as_of), "as_of_precision": "day"}), days
    ).empty
