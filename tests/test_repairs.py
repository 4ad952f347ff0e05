"""Glued-word and glued-quote repairs: the five scrape errors of the corpus, and nothing else."""

from __future__ import annotations

import dataclasses
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zoomcase.paths import corpus_dir
from zoomcase.repairs import (
    _QUOTE_BETWEEN_LETTERS,
    _SENTENCE_END,
    Repair,
    _quote_between_letters,
    _scan_words,
    _word_repairs,
    find_repairs,
)

LANGS = {"000": "nl", "001": "nl", "002": "en", "003": "fr", "004": "nl"}
GLUED = {
    "Alweerenkele": "Alweer enkele",
    "gebruikersdoorstuurde": "gebruikers doorstuurde",
    "naarbuiten": "naar buiten",
    "debeveiliging": "de beveiliging",
    "opvideo": "op video",
}
# The input contract of find_repairs: NFC, ASCII quotes, no-break spaces as spaces, runs collapsed.
_ASCII_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
_TOKEN = re.compile(r"[^\W\d_]+")


def _normalised(raw: str) -> str:
    return " ".join(unicodedata.normalize("NFC", raw).translate(_ASCII_QUOTES).split())


def _corpus() -> dict[str, str]:
    return {p.name[:3]: _normalised(p.read_text("utf-8")) for p in corpus_dir().glob("*.txt")}


@pytest.fixture(scope="module")
def corpus() -> dict[str, str]:
    texts = _corpus()
    assert set(texts) == set(LANGS)
    return texts


@pytest.fixture(scope="module")
def repairs(corpus: dict[str, str]) -> dict[str, list[Repair]]:
    return {doc: find_repairs(text, LANGS[doc]) for doc, text in corpus.items()}


@pytest.mark.parametrize(("glued", "split"), GLUED.items())
def test_each_glued_word_is_repaired_with_offsets(corpus, repairs, glued, split):
    [rep] = [r for r in repairs["000"] if r.original == glued]
    assert corpus["000"][rep.start : rep.end] == glued
    assert rep.replacement == split
    assert rep.rule == "glued_words"
    assert glued.lower() in rep.evidence


def test_glued_quote_gets_a_space_before_the_opening_quote(corpus, repairs):
    [rep] = [r for r in repairs["004"] if r.rule == "glued_quote"]
    assert corpus["004"][rep.start : rep.end] == rep.original == 'de"Service'
    assert rep.replacement == 'de "Service'


def test_nothing_else_in_the_corpus_is_repaired(repairs):
    found = {(doc, r.original) for doc, reps in repairs.items() for r in reps}
    assert found == {("000", glued) for glued in GLUED} | {("004", 'de"Service')}


def test_no_token_of_the_corpus_is_split_even_on_its_own(corpus):
    """Checked token by token too, so no capitalised compound hides behind the name guard."""
    tokens = {(tok, LANGS[doc]) for doc, text in corpus.items() for tok in _TOKEN.findall(text)}
    split = {tok for tok, lang in tokens if find_repairs(tok, lang)}
    assert len(tokens) > 1000
    assert split == set(GLUED)


@pytest.mark.parametrize(
    "compound",
    [
        "videoconferentie",
        "gegevensbeschermingsautoriteit",
        "Gegevensbeschermingsautoriteiten",
        "klantengegevens",
        "privacygerelateerde",
        "gegevensprivacy",
        "gebruikersuploads",
        "herdistribueren",
        "voorhouden",
    ],
)
def test_dutch_compounds_stay_whole(compound):
    assert find_repairs(f"Dit is {compound} volgens de tekst.", "nl") == []


@pytest.mark.parametrize(
    ("lang", "text", "glued", "split"),
    [
        ("en", "Zoom said the data wassent to Facebook.", "wassent", "was sent"),
        ("en", "They shared it withthe advertisers.", "withthe", "with the"),
        ("fr", "Zoom a partagé lesdonnées avec Facebook.", "lesdonnées", "les données"),
        ("fr", "Ils ont été obligés de travailler àdistance pendantla pandémie.", "pendantla",
         "pendant la"),
    ],
)  # fmt: skip
def test_invented_sentences(lang, text, glued, split):
    [rep] = [r for r in find_repairs(text, lang) if r.original == glued]
    assert text[rep.start : rep.end] == glued
    assert rep.replacement == split


def test_case_is_kept_and_repairs_are_in_order():
    text = "Debeveiliging faalde. Zoom stuurde alles opvideo naar Facebook."
    reps = find_repairs(text, "nl")
    assert [r.replacement for r in reps] == ["De beveiliging", "op video"]
    assert [r.start for r in reps] == sorted(r.start for r in reps)


@pytest.mark.parametrize(
    "text",
    [
        "Zoom-CEO Eric Yuan spoke about covid19-tracking.",  # hyphens, digits
        "De GEGEVENSBESCHERMING en ePrivacy-regels.",  # all caps, inner capitals
        "Volgens Lyonsdown Limited.",  # a name inside a sentence
        "Meer op zoom.us en zoom.com.",  # host names
    ],
)
def test_tokens_outside_the_gate_are_never_split(text):
    assert [r for r in find_repairs(text, "nl") if r.rule == "glued_words"] == []


def test_closing_quote_glued_to_the_next_word():
    text = 'Men noemt het "Service Generated Data"zonder meer.'
    [rep] = find_repairs(text, "nl")
    assert (rep.original, rep.replacement) == ('Data"zonder', 'Data" zonder')


def test_ambiguous_quote_is_left_alone():
    assert find_repairs('Hij zei a"b en verder niets.', "nl") == []


def test_unknown_language_gives_no_word_repairs():
    assert find_repairs("Alweerenkele weken geleden ging het opvideo naarbuiten.", "xx") == []


def test_repair_is_frozen():
    [rep] = find_repairs("Zoom ging opvideo.", "nl")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rep.start = 0  # type: ignore[misc]


_PIECES = [*GLUED, "Debeveiliging", "gegevens", "klantengegevens", "Zoom", "2020", "ePrivacy", "zoom.us"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from([*_PIECES, *" .,-/@('\"", "\n"]), max_size=12), min_size=1, max_size=4)
)
def test_token_screen_never_hides_a_glued_word(texts):
    """The screen of white-space tokens already known to be clean gives what scanning every token gives,
    whatever texts came before (the screen remembers them)."""
    for pieces in texts:
        text = "".join(pieces)
        assert _word_repairs(text, "nl") == _scan_words(text, "nl"), text


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from([*"\"ab 1_é²-'", "\u2019", "Ω"]), max_size=20))
def test_quotes_between_letters_are_found_as_the_regex_finds_them(text):
    assert _quote_between_letters(text) == bool(_QUOTE_BETWEEN_LETTERS.search(text))


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list(".!? \n\"')ab")), max_size=30), st.integers(0, 30))
def test_sentence_ends_before_a_position_are_the_whole_texts_ends_up_to_it(text, at):
    """``_quote_repairs`` finds the sentence ends once and takes those ending by a quote's position: the
    same as searching the text up to that position, as it did for every quote."""
    at = min(at, len(text))
    stops = [m.end() for m in _SENTENCE_END.finditer(text)]
    assert [m.end() for m in _SENTENCE_END.finditer(text, 0, at)] == [e for e in stops if e <= at]
