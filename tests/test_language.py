"""Language detection: the function-word screen decides the easy cases, lingua the rest."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zoomcase import language, load_corpus
from zoomcase.language import (
    _WORDS,
    CANDIDATES,
    MIN_SENTENCE_CHARS,
    detect_document,
    detect_sentence,
    function_word_votes,
    function_words,
)


@pytest.fixture(scope="module")
def sentences():
    corpus = load_corpus()
    docs = corpus.documents[["doc_id", "language"]].rename(columns={"language": "doc_language"})
    return corpus.sentences.merge(docs, on="doc_id")


def test_screen_words_belong_to_one_language_each():
    table = function_words()
    assert set(table.values()) == set(CANDIDATES)
    for word in ("de", "en", "in", "la"):  # shared by several candidates: no evidence
        assert word not in table
    assert table["het"] == "nl" and table["with"] == "en" and table["est"] == "fr"


def test_screen_decides_most_sentences_and_never_overrides_the_document(sentences):
    screened = sentences[sentences.language_method == "function_words"]
    assert len(screened) >= 0.8 * len(sentences)
    assert (screened.language == screened.doc_language).all()
    inherited = sentences[sentences.language_method == "document"]
    assert (inherited.language == inherited.doc_language).all()


def test_the_english_quotation_in_the_dutch_article_goes_to_lingua(sentences):
    foreign = sentences[sentences.language != sentences.doc_language]
    assert list(zip(foreign.doc_id, foreign.language, foreign.language_method, strict=True)) == [
        ("004", "en", "lingua")
    ]
    assert foreign.text.iloc[0].startswith('"Notwithstanding the above')


def test_documents_are_decided_by_their_function_words():
    corpus = load_corpus()
    assert list(corpus.documents.language_method) == ["function_words"] * 5
    assert (corpus.documents.language_confidence >= 0.9).all()


def test_a_german_document_and_mixed_or_short_sentences():
    german = (
        "Die Datenschutzbehörde hat nicht reagiert, aber sie wird das Verfahren auch nach dem Urteil prüfen."
    )
    assert detect_document(german * 2).language == "de"
    english_in_dutch = detect_sentence("The company said it will not sell the data of its users.", "nl")
    assert (english_in_dutch.language, english_in_dutch.method) == ("en", "lingua")
    short = detect_sentence("Conclusie", "nl")
    assert (short.language, short.confidence, short.method) == ("nl", 0.0, "document")
    assert len("Conclusie") < MIN_SENTENCE_CHARS
    assert detect_document("12345 67890") is None
    assert function_word_votes("het is niet de bedoeling") == {
        "nl": 2
    }  # "het", "niet"; "is" and "de" are shared


def _votes_by_regex(text: str) -> Counter[str]:
    """The definition the Latin-1 fast path must keep: function words among the regex's words."""
    votes = Counter(function_words().get(w) for w in _WORDS.findall(text.lower()))
    votes.pop(None, None)
    return votes


# Function words and their pieces, Latin-1 letters that count as letters ("ª", "²"), others that do not
# ("×", "÷"), and text outside Latin-1 (letters, "€", "?" as the encoder's replacement).
_PIECES = st.sampled_from(
    ["het", "niet", "with", "the", "est", "très", "où", "ÉTÉ", "Über", "dass", "ª", "²", "µ", "×", "÷",
     "ÿ", " ", "\n", "\xa0", "?", "-", "'", "1", "_", "€", "ł", "Ω", "İ", "\u2019", "ſ", "ǅ"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_latin1_words_are_the_regex_words(text):
    assert function_word_votes(text) == _votes_by_regex(text)


def test_latin1_words_on_every_latin1_character_and_the_corpus():
    every = " ".join(chr(b) + "het" + chr(b) for b in range(256))
    assert function_word_votes(every) == _votes_by_regex(every)
    for text in load_corpus().sentences.text:
        assert function_word_votes(text) == _votes_by_regex(text), text


def test_a_function_word_beyond_latin1_falls_back_to_the_regex(monkeypatch):
    """Were a function word not Latin-1 ("łaska"), the bytes could not stand for it: the regex decides."""
    monkeypatch.setattr(language, "function_words", lambda: {"łaska": "pl", "het": "nl"})
    language._latin1_function_words.cache_clear()
    try:
        assert language._latin1_function_words() is None
        assert function_word_votes("Łaska, het łaska!") == {"pl": 2, "nl": 1}
    finally:
        language._latin1_function_words.cache_clear()
