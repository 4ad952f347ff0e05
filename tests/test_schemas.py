"""zoomcase.schemas: the real tables pass; a broken one fails with a message naming table, column and row."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from zoomcase import check_claims, extract_claims, load_corpus
from zoomcase.reference import TABLES, load_reference
from zoomcase.schemas import SCHEMAS, validate, validate_corpus


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def checked(corpus):
    return check_claims(extract_claims(corpus))


def test_real_corpus_tables_pass(corpus):
    validate_corpus(corpus)


def test_real_checked_claims_pass(checked):
    assert validate("claims", checked) is checked


@pytest.mark.parametrize("name", TABLES)
def test_real_reference_tables_pass(name):
    validate(name, load_reference(name))


def test_every_table_has_a_schema():
    assert {"documents", "sentences", "removed", "repairs", "dates", "mentions", "claims", *TABLES} <= set(
        SCHEMAS
    )


def test_validation_does_not_change_the_frame(corpus):
    before = corpus.sentences.copy()
    validate("sentences", corpus.sentences)
    pd.testing.assert_frame_equal(before, corpus.sentences)


def _error(name: str, frame: pd.DataFrame) -> str:
    with pytest.raises(ValueError) as info:
        validate(name, frame)
    return str(info.value)


def test_bad_value_names_table_column_row_and_value(corpus):
    sentences = corpus.sentences.copy()
    sentences.loc[3, "start"] = -1
    sentences["language"] = sentences["language"].cat.add_categories("xx")  # categorical: needs the category
    sentences.loc[7, "language"] = "xx"
    message = _error("sentences", sentences)
    assert message.startswith("table 'sentences': 2 failure(s):")
    assert "column 'start', row 3: value -1 fails greater_than_or_equal_to(0)" in message
    assert "column 'language', row 7: value 'xx' fails isin" in message


def test_start_after_end_names_the_row(corpus):
    removed = corpus.removed.copy()
    removed.loc[2, "end"] = removed.loc[2, "start"]
    message = _error("removed", removed)
    assert re.search(
        r"table 'removed'.*row 2: doc_id=\S+, start=\d+, end=\d+ fails start < end", message, re.S
    )


def test_duplicate_sentence_id_in_a_document(corpus):
    sentences = corpus.sentences.copy()
    sentences.loc[9, "sent_id"] = sentences.loc[8, "sent_id"]
    message = _error("sentences", sentences)
    assert "column 'sent_id', row 9" in message and "uniqueness" in message


def test_missing_column_and_wrong_dtype(checked, corpus):
    assert "missing required column 'verdict'" in _error("claims", checked.drop(columns="verdict"))
    message = _error("sentences", corpus.sentences.astype({"end": "float64"}))
    assert "column 'end': dtype float64 where dtype('int64') is required" in message


def test_verdict_outside_the_vocabulary(checked):
    bad = checked.copy()
    bad.loc[4, "verdict"] = "true"
    assert "table 'claims': 1 failure(s):\n  - column 'verdict', row 4: value 'true' fails isin" in _error(
        "claims", bad
    )


def test_reference_ids_unique_and_urls_http():
    events = load_reference("events")
    events.loc[4, "source_url"] = "ftp://example.org/x"
    events.loc[6, "id"] = events.loc[5, "id"]
    message = _error("events", events)
    assert "column 'source_url', row 4: value 'ftp://example.org/x' fails" in message
    assert "column 'id', row 6" in message and "field_uniqueness" in message


def test_many_failures_are_cut_short(corpus):
    sentences = corpus.sentences.copy()
    sentences["language"] = "xx"
    message = _error("sentences", sentences)
    assert f"… and {len(sentences) - 5} more" in message
    assert message.count("\n  - ") == 5


def test_corpus_links_are_checked(corpus):
    from zoomcase.corpus import Corpus

    frames = {name: getattr(corpus, name).copy() for name in ("documents", "sentences", "removed")}
    frames["removed"].loc[0, "doc_id"] = "999"
    broken = Corpus(corpus.directory, frames["documents"], frames["sentences"], frames["removed"],
                    corpus.repairs, corpus.dates, corpus.mentions)  # fmt: skip
    with pytest.raises(ValueError, match=r"table 'removed', column 'doc_id', row 0: '999' is not in"):
        validate_corpus(broken)
    frames["removed"].loc[0, "doc_id"] = corpus.removed.loc[0, "doc_id"]
    frames["sentences"].loc[1, "end"] = 10**7
    broken = Corpus(corpus.directory, frames["documents"], frames["sentences"], frames["removed"],
                    corpus.repairs, corpus.dates, corpus.mentions)  # fmt: skip
    with pytest.raises(ValueError, match=r"table 'sentences', column 'end', row 1: 10000000 is beyond"):
        validate_corpus(broken)


def test_unknown_table():
    with pytest.raises(ValueError, match="no schema for table 'nope'"):
        validate("nope", pd.DataFrame())


def test_dates_precisions_include_week_and_season():
    """zoomcase.dates gives "week" ("last week") and "season" ("in the spring of 2020") precisions."""
    dates = pd.DataFrame(
        {
            "doc_id": ["000", "000"],
            "start": [0, 20],
            "end": [9, 41],
            "text": ["last week", "in the spring of 2020"],
            "kind": ["relative", "absolute"],
            "value": [pd.Timestamp("2020-10-12"), pd.Timestamp("2020-03-01")],
            "precision": ["week", "season"],
        }
    )
    assert validate("dates", dates) is dates
