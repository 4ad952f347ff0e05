"""extract_claims on the corpus and on small invented corpora; the metrics vocabulary (data/vocab)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from zoomcase import claims as claims_module
from zoomcase import load_corpus
from zoomcase.claims import COLUMNS, KINDS, VOCAB_COLUMNS, extract_claims, load_metrics
from zoomcase.normalise import normalise
from zoomcase.numbers import find_quantities

# doc_id, metric, value, unit, qualifier, number text that the raw span must contain
QUANTITIES = [
    ("000", "share_price_change_ytd", 2, "times", "", "verdubbeld"),
    ("000", "market_cap_usd", 38e9, "USD", "more_than", "38"),
    ("000", "app_downloads_per_day", 240_000, "", "more_than", "240.000"),
    ("000", "users_growth_since", math.nan, "", "more_than", "groei"),
    ("000", "duration_seconds", 30, "seconds", "", "30"),
    ("001", "daily_users", 2e8, "", "more_than", "200"),
    ("001", "daily_users_record_before", 1e7, "", "about", "10"),
    ("001", "daily_users_record_before", 1e7, "", "", "10"),
    ("001", "schools", 90_000, "", "more_than", "90.000"),
    ("001", "countries", 20, "", "", "twintig"),
    ("001", "fbi_reports", 2, "", "", "twee"),
    ("001", "duration_days", 90, "days", "", "90"),
    ("003", "settlement_usd", 85e6, "USD", "", "85"),
    ("003", "settlement_usd", 85e6, "USD", "", "85"),
    ("003", "count_of_changes", 12, "", "about", "douzaine"),
]
EVENTS_AND_LEGAL = {
    ("000", "event", "event_share_price_fall"),
    ("000", "event", "event_motherboard_facebook_report"),
    ("000", "event", "event_attention_tracking"),
    ("000", "event", "event_ny_ag_letter"),
    ("000", "legal", "legal_class_action"),
    ("001", "event", "event_fbi_warning"),
    ("001", "event", "event_spacex_ban"),
    ("001", "event", "event_share_price_fall"),
    ("002", "event", "event_data_sharing_alleged"),
    ("002", "event", "event_zoom_denies_selling_data"),
    ("003", "event", "event_settlement_agreed"),
    ("003", "event", "event_data_sharing_alleged"),
    ("003", "legal", "legal_class_action"),
    ("003", "legal", "legal_settlement_pending_approval"),
    ("004", "event", "event_terms_changed_ai"),
    ("004", "event", "event_terms_revised"),
    ("004", "legal", "legal_eprivacy_eecc_extension"),
    ("004", "legal", "legal_prior_lawsuits"),
    ("004", "legal", "legal_fine_claimed"),
    ("004", "legal", "legal_no_gdpr_action"),
    ("004", "legal", "legal_no_lead_authority"),
}


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def claims(corpus) -> pd.DataFrame:
    return extract_claims(corpus, cache=False)


def _key(value: float) -> float:
    return -1.0 if math.isnan(value) else value


def test_columns_and_ids(claims: pd.DataFrame) -> None:
    assert list(claims.columns) == COLUMNS
    assert claims.claim_id.is_unique
    assert claims.claim_id.str.fullmatch(r"\d{3}-c\d{2,}").all()
    assert (claims.claim_id.str[:3] == claims.doc_id).all()
    assert set(claims.kind) <= KINDS


def test_quantity_claims_are_exactly_the_expected_rows(corpus, claims: pd.DataFrame) -> None:
    rows = claims[claims.kind == "quantity"]
    got = sorted((r.doc_id, r.metric, _key(r.value), r.unit, r.qualifier) for r in rows.itertuples())
    want = sorted((d, m, _key(v), u, q) for d, m, v, u, q, _ in QUANTITIES)
    assert got == want
    for doc, metric, _, _, _, number in QUANTITIES:
        spans = rows[(rows.doc_id == doc) & (rows.metric == metric)]
        assert all(number in corpus.raw_span(doc, r.start, r.end) for r in spans.itertuples()), metric


def test_event_and_legal_claims(claims: pd.DataFrame) -> None:
    rows = claims[claims.kind != "quantity"]
    assert set(zip(rows.doc_id, rows.kind, rows.metric, strict=True)) == EVENTS_AND_LEGAL
    assert rows.value.isna().all()
    assert (rows[rows.doc_id == "003"].metric == "legal_class_action").sum() == 2  # heading + sentence


def test_spans_point_into_the_raw_text_inside_their_sentence(corpus, claims: pd.DataFrame) -> None:
    sentences = corpus.sentences.set_index(["doc_id", "sent_id"])
    for r in claims.itertuples():
        s = sentences.loc[(r.doc_id, r.sent_id)]
        assert s.start <= r.start < r.end <= s.end
        assert r.quote == s.text
        raw = corpus.raw_span(r.doc_id, r.start, r.end)
        assert " ".join(raw.replace("’", "'").split()) == r.text


def test_no_claim_overlaps_removed_furniture(corpus, claims: pd.DataFrame) -> None:
    for r in corpus.removed.itertuples():
        doc = claims[claims.doc_id == r.doc_id]
        assert not ((doc.start < r.end) & (r.start < doc.end)).any(), r.rule
    assert not claims.quote.str.contains("125%").any()
    assert "125%" in corpus.raw("002")  # the 'Top Articles' block is there, and excluded


def test_no_year_or_article_number_becomes_a_quantity(corpus, claims: pd.DataFrame) -> None:
    quantities = claims[claims.kind == "quantity"]
    assert not quantities.value.between(1900, 2100).any()
    assert not quantities.text.str.contains(r"\b(?:19|20)\d\d\b|Artikel", regex=True).any()
    article = corpus.sentences[corpus.sentences.text.str.startswith("Artikel 5")]
    assert len(article) == 1
    assert not claims.sent_id[claims.doc_id == "004"].isin(article.sent_id).any()


def test_every_quantity_in_the_corpus_is_claimed_or_known_not_to_be(corpus, claims: pd.DataFrame) -> None:
    """Completeness: the only numbers left out are years, 'op één dag' (part of the cue 'gebruikers op
    één dag') and the idiom 'les quatre coins du monde'."""
    left_out = []
    for s in corpus.sentences.itertuples():
        mine = claims[(claims.doc_id == s.doc_id) & (claims.sent_id == s.sent_id)]
        for q in find_quantities(s.text, s.language):
            if not q.is_year and not mine.text.str.contains(q.text, regex=False).any():
                left_out.append((s.doc_id, q.text))
    assert left_out == [("001", "één dag"), ("003", "quatre")]


def test_dating(claims: pd.DataFrame) -> None:
    by_metric = claims.set_index("metric")
    ytd = by_metric.loc["share_price_change_ytd"]
    assert (ytd.as_of, ytd.as_of_source, ytd.since) == (
        pd.Timestamp("2020-10-20"),
        "document",
        pd.Timestamp("2020-01-01"),
    )
    assert pd.isna(by_metric.loc["market_cap_usd"].since)  # a level, not a change since a date
    fine = by_metric.loc["legal_fine_claimed"]
    assert (fine.as_of, fine.as_of_precision, fine.as_of_source) == (
        pd.Timestamp("2021-01-01"),
        "year",
        "sentence",
    )
    record = claims[(claims.metric == "daily_users_record_before") & (claims.as_of_source == "sentence")]
    assert record.as_of.tolist() == [pd.Timestamp("2019-12-01")]
    undated = claims[claims.doc_id == "003"]
    assert set(undated.as_of_source) == {"none", "sentence"}  # no page date; "En mars 2020" in one sentence
    assert (claims.as_of_source == "none").eq(claims.as_of.isna()).all()


def test_glosses(claims: pd.DataFrame) -> None:
    gloss = dict(zip(claims.claim_id, claims.gloss_en, strict=True))
    assert "share price doubled since the start of the year" in gloss.values()
    assert "market cap more than $38 billion" in gloss.values()
    assert "about 12 changes to its privacy and security practices" in gloss.values()
    assert "Zoom was fined in 2021" in gloss.values()
    assert all(g and "{" not in g for g in gloss.values())


def _tiny_corpus(folder: Path, texts: dict[str, str]) -> pd.DataFrame:
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return extract_claims(load_corpus(folder), cache=False)


def _rows(claims: pd.DataFrame) -> set[tuple[str, str, float, str, str]]:
    q = claims[claims.kind == "quantity"]
    return {(r.doc_id, r.metric, r.value, r.unit, r.qualifier) for r in q.itertuples()}


def test_invented_sentences_in_three_languages(tmp_path: Path) -> None:
    claims = _tiny_corpus(
        tmp_path,
        {
            "nl": "Het aantal dagelijkse gebruikers van Zoom is gestegen tot ongeveer 300 miljoen. De "
            "marktkapitalisatie van het bedrijf bedraagt minstens 1,5 miljard dollar. Volgens het bedrijf "
            "gebruiken bijna 2.500 scholen de dienst, verspreid over vijftien verschillende landen. "
            "Artikel 5 van de richtlijn geldt sinds 2020 voor alle diensten in Nederland.",
            "en": "Zoom agreed to pay $85 million to settle the lawsuit over its privacy practices. The "
            "company now counts more than 300 million daily users around the world. Its share price has "
            "tripled since the start of the year, according to the analysts who follow the company.",
            "fr": "Zoom a accepté de payer près de 85 millions de dollars aux plaignants de cette affaire. "
            "L'entreprise compte désormais plus de 300 millions d'utilisateurs quotidiens dans le monde. Le "
            "cours de l'action a doublé depuis le début de l'année selon les analystes.",
        },
    )
    assert _rows(claims) == {
        ("nl", "daily_users", 3e8, "", "about"),
        ("nl", "market_cap_usd", 1.5e9, "USD", "at_least"),
        ("nl", "schools", 2500, "", "about"),
        ("nl", "countries", 15, "", ""),
        ("en", "settlement_usd", 85e6, "USD", ""),
        ("en", "daily_users", 3e8, "", "more_than"),
        ("en", "share_price_change_ytd", 3, "times", ""),
        ("fr", "settlement_usd", 85e6, "USD", "about"),
        ("fr", "daily_users", 3e8, "", "more_than"),
        ("fr", "share_price_change_ytd", 2, "times", ""),
    }
    assert {"en", "fr"} == set(claims[claims.metric == "event_settlement_agreed"].doc_id)
    assert (claims.as_of_source == "none").all()  # no dates stated, no page date


def test_a_sentence_date_dates_the_claim(tmp_path: Path) -> None:
    claims = _tiny_corpus(
        tmp_path,
        {
            "x": "In maart 2020 passeerde Zoom de grens: het aantal dagelijkse gebruikers bereikte toen "
            "200 miljoen, zo meldde het bedrijf aan zijn aandeelhouders in een uitgebreide brief."
        },
    )
    row = claims[claims.metric == "daily_users"].iloc[0]
    assert (row.value, row.as_of, row.as_of_precision, row.as_of_source) == (
        2e8, pd.Timestamp("2020-03-01"), "month", "sentence"
    )  # fmt: skip


def test_metrics_vocabulary() -> None:
    vocab = load_metrics()
    assert list(vocab.columns) == VOCAB_COLUMNS
    assert set(vocab.kind) <= KINDS
    assert (vocab.description != "").all() and (vocab.gloss_en != "").all()
    assert not vocab.duplicated(["metric", "lang"]).any()
    assert vocab.groupby("metric").kind.nunique().eq(1).all()
    for metric in ["share_price_change_ytd", "market_cap_usd", "settlement_usd", "legal_class_action"]:
        assert metric in set(vocab.metric)


def test_bad_vocabulary_is_refused(corpus) -> None:
    vocab = load_metrics()
    broken = vocab.assign(cue_words=vocab.cue_words.where(vocab.index != 0, "(unclosed"))
    with pytest.raises(ValueError, match="bad pattern"):
        extract_claims(corpus, broken)


class _Extracted(Exception):
    """Raised instead of extracting: the claims did not come from the cache."""


def test_claims_come_back_from_the_cache_until_anything_they_read_changes(
    corpus, claims, tmp_path, monkeypatch
):
    monkeypatch.setenv("ZOOMCASE_CACHE", str(tmp_path))
    pd.testing.assert_frame_equal(extract_claims(corpus), claims, check_exact=True)  # a miss: stored

    def extract(*args):
        raise _Extracted

    monkeypatch.setattr(claims_module, "map_shards", extract)
    pd.testing.assert_frame_equal(extract_claims(corpus), claims, check_exact=True)
    # Tables and columns the claims do not read leave the key alone.
    unread = replace(corpus, mentions=corpus.mentions.head(0), removed=corpus.removed.head(0))
    pd.testing.assert_frame_equal(extract_claims(unread), claims, check_exact=True)
    first_date = corpus.dates.index[corpus.dates.kind != "page"][0]
    vocab = load_metrics()
    changed = {
        "one sentence's text": replace(
            corpus,
            sentences=corpus.sentences.assign(
                text=corpus.sentences.text.where(corpus.sentences.index != 0, "x")
            ),
        ),
        "one date's value": replace(
            corpus,
            dates=corpus.dates.assign(
                value=corpus.dates.value.where(corpus.dates.index != first_date, dt.date(1999, 1, 1))
            ),
        ),
        "a document's publication date": replace(
            corpus,
            documents=corpus.documents.assign(published=corpus.documents.published + pd.Timedelta(days=1)),
        ),
    }
    for what, other in changed.items():
        with pytest.raises(_Extracted):
            extract_claims(other)
            pytest.fail(f"{what}: changed, but the cache was hit")
    with pytest.raises(_Extracted):
        extract_claims(corpus, vocab.assign(gloss_en=vocab.gloss_en.where(vocab.index != 0, "changed")))
    with pytest.raises(_Extracted):
        extract_claims(corpus, cache=False)


def test_the_key_reads_text_by_its_values_not_by_how_arrow_holds_them():
    """Text is hashed from its arrow buffers: chunks and slices must not change the digest, and the bounds
    between values, a missing value and every character must."""
    values = ["ab", "c", None, "", "é", "zoom"]
    one = pd.Series(values, dtype="str")
    chunked = pd.concat([one.iloc[:2], one.iloc[2:]], ignore_index=True)
    assert pa.array(chunked.array).num_chunks == 2
    digest = claims_module._digest
    assert digest(one) == digest(chunked) == digest(pd.Series(values, dtype="str"))
    assert digest(one.iloc[1:]) == digest(pd.Series(values[1:], dtype="str"))  # a slice of a buffer
    others = [
        ["a", "bc", None, "", "é", "zoom"],
        ["ab", "c", "", "", "é", "zoom"],
        ["ab", "c", None, "", "e", "zoom"],
    ]
    assert len({digest(one), *(digest(pd.Series(v, dtype="str")) for v in others)}) == 4


def test_the_key_hashes_a_column_the_same_in_any_slices(corpus):
    """The key is hashed a slice of rows at a time (memory); the slicing must not change it."""
    for name, columns in claims_module.READS.items():
        for column in columns:
            values = getattr(corpus, name)[column]
            assert claims_module._digest(values, 3) == claims_module._digest(values, len(values) + 1)


def test_claim_ids_number_each_documents_claims_in_order():
    doc_ids = pd.Series(["000"] * 101 + ["001"] + ["002"] * 2, dtype="str")
    ids = claims_module._claim_ids(doc_ids).tolist()
    assert ids[:2] == ["000-c01", "000-c02"] and ids[99:] == [
        "000-c100",
        "000-c101",
        "001-c01",
        "002-c01",
        "002-c02",
    ]
    assert claims_module._claim_ids(pd.Series([], dtype="str")).tolist() == []


def test_text_without_sentence_stops_is_read_in_bounded_time_and_memory(monkeypatch):
    """A pasted table: one "sentence" of many numbers. A cue claims only numbers near it, and each claim
    quotes the text around it, not all of it (a copy per claim grew with the square of the length)."""
    rules = claims_module._default_rules()
    row = "Zoom had 300 million daily users and 20 million meetings, "
    found = claims_module.find_claims(row * 40, "en", rules)
    assert len(found) == 80 and {f.rule.metric for f in found} == {"daily_users"}
    monkeypatch.setattr(claims_module, "MAX_CUE_GAP", 5)
    near, far = "Zoom had 300 million daily users.", "Zoom had 300 million, so it is said, daily users."
    assert [f.rule.metric for f in claims_module.find_claims(near, "en", rules)] == ["daily_users"]
    assert claims_module.find_claims(far, "en", rules) == []
    monkeypatch.setattr(claims_module, "MAX_QUOTE", 40)
    long = "x" * 100 + " 300 million " + "y" * 100
    f = replace(found[0], start=101, end=112)
    quote = claims_module._quote(long, f)
    assert quote.startswith("…") and quote.endswith("…") and "300 million" in quote and len(quote) <= 42
    assert claims_module._quote(near, f) == near


def _maps(norm) -> list[tuple[int, int]]:
    return [norm.raw_span(i, i + 1) for i in range(len(norm.text))]


def test_a_sentence_whose_raw_span_is_its_text_maps_one_to_one(corpus, monkeypatch) -> None:
    """``_normalised`` skips normalising a sentence whose raw span is its text: on every corpus sentence it
    gives normalise's text and map, and the claims are those found with every sentence normalised."""
    raws = dict(zip(corpus.documents.doc_id, corpus.documents.raw, strict=True))
    langs = dict(zip(corpus.documents.doc_id, corpus.documents.language, strict=True))
    verbatim = 0
    for s in corpus.sentences.itertuples():
        raw, lang = raws[s.doc_id], langs[s.doc_id]
        full = normalise(raw[s.start : s.end], lang, offset=s.start)
        quick = claims_module._normalised(raw, s.start, s.end, s.text, lang)
        assert (quick.text, _maps(quick)) == (full.text, _maps(full))
        verbatim += raw[s.start : s.end] == s.text
    assert 0 < verbatim < len(corpus.sentences)  # both ways are taken
    # A combining mark's cluster maps back as one ("q" with a dot above has no composed form).
    raw = "Zoq\u0307 had 300 million users."
    assert _maps(claims_module._normalised(raw, 0, len(raw), raw, "en")) == _maps(normalise(raw, "en"))
    fast = extract_claims(corpus, workers=1, cache=False)
    monkeypatch.setattr(claims_module, "has_combining_marks", lambda text: True)  # always normalise
    pd.testing.assert_frame_equal(fast, extract_claims(corpus, workers=1, cache=False))


@pytest.mark.parametrize(
    ("precision", "day", "text"),
    [
        ("day", "2020-04-06", "6 April 2020"),
        ("week", "2020-04-06", "the week of 6 April 2020"),
        ("month", "2020-04-01", "April 2020"),
        ("quarter", "2020-04-01", "Q2 2020"),
        ("season", "2020-03-01", "spring 2020"),
        ("season", "2020-09-01", "autumn 2020"),
        ("year", "2020-01-01", "2020"),
    ],
)
def test_glosses_name_the_period_of_the_date(precision: str, day: str, text: str) -> None:
    assert claims_module._date_en(pd.Timestamp(day), precision) == text
