"""find_dates / parse_page_date on the corpus and on invented sentences."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from zoomcase.dates import DateMention, find_dates, parse_page_date
from zoomcase.paths import corpus_dir
from zoomcase.spans import longest_first

D = dt.date
ANCHOR = D(2020, 10, 20)  # a Tuesday: the page date of 000
LANGS = {"000": "nl", "001": "nl", "002": "en", "003": "fr", "004": "nl"}


def corpus(doc: str) -> str:
    return next(corpus_dir().glob(f"{doc}_*.txt")).read_text(encoding="utf-8")


def by_text(mentions: list[DateMention]) -> dict[str, DateMention]:
    return {m.text: m for m in mentions}


def test_offsets_sorted_and_disjoint_on_corpus() -> None:
    for doc, lang in LANGS.items():
        text = corpus(doc)
        found = find_dates(text, lang, ANCHOR)
        assert found, doc
        for m in found:
            assert text[m.start : m.end] == m.text
            assert m.lang == lang
        assert all(a.end <= b.start for a, b in itertools.pairwise(found))


# doc, text, kind, value, precision, qualifier (with ANCHOR)
REQUIRED = [
    ("004", "In maart 2023", "absolute", D(2023, 3, 1), "month", ""),
    ("004", "eind 2020", "absolute", D(2020, 12, 1), "month", "end"),
    ("004", "in 2021", "absolute", D(2021, 1, 1), "year", ""),
    ("004", "in 2024", "absolute", D(2024, 1, 1), "year", ""),
    ("000", "sinds februari 2020", "absolute", D(2020, 2, 1), "month", ""),
    ("000", "heel 2019", "absolute", D(2019, 1, 1), "year", ""),
    ("000", "sinds het begin van het jaar", "relative", D(2020, 1, 1), "month", "begin"),
    ("001", "Eind 2019", "absolute", D(2019, 12, 1), "month", "end"),
    ("001", "in maart", "relative", D(2020, 3, 1), "month", ""),
    ("003", "En mars 2020", "absolute", D(2020, 3, 1), "month", ""),
    ("003", "Dimanche dernier", "relative", D(2020, 10, 18), "day", ""),
    ("002", "Since February", "relative", D(2020, 2, 1), "month", ""),
    ("002", "between 2019", "absolute", D(2019, 1, 1), "year", ""),
    ("002", "and 2020", "absolute", D(2020, 1, 1), "year", ""),
]


@pytest.mark.parametrize(("doc", "text", "kind", "value", "precision", "qualifier"), REQUIRED)
def test_required_corpus_dates(
    doc: str, text: str, kind: str, value: dt.date, precision: str, qualifier: str
) -> None:
    source = corpus(doc)
    m = by_text(find_dates(source, LANGS[doc], ANCHOR))[text]
    assert source[m.start : m.end] == text
    assert source.index(text) <= m.start
    assert (m.kind, m.value, m.precision, m.qualifier) == (kind, value, precision, qualifier)
    assert m.anchor == (ANCHOR if kind == "relative" else None)


def test_exact_corpus_counts() -> None:
    counts = {doc: len(find_dates(corpus(doc), lang, ANCHOR)) for doc, lang in LANGS.items()}
    assert counts == {"000": 3, "001": 2, "002": 4, "003": 2, "004": 5}


def test_relative_without_anchor_has_no_value() -> None:
    found = by_text(find_dates(corpus("003"), "fr"))
    sunday = found["Dimanche dernier"]
    assert (sunday.kind, sunday.value, sunday.anchor, sunday.precision) == (
        "relative",
        None,
        None,
        "day",
    )
    assert found["En mars 2020"].value == D(2020, 3, 1)  # absolute ones do not need it
    assert by_text(find_dates(corpus("001"), "nl"))["in maart"].value is None


def test_last_weekday_is_strictly_before_anchor() -> None:
    sunday = D(2020, 10, 18)
    (m,) = find_dates("Dimanche dernier, Zoom a accepté.", "fr", sunday)
    assert m.value == D(2020, 10, 11)
    (m,) = find_dates("Zoom komt volgende ZONDAG met een update.", "nl", ANCHOR)
    assert m.value == D(2020, 10, 25)


NEGATIVES = [
    ("nl", "De marktwaarde steeg naar 2,5 miljard dollar."),
    ("nl", "Dagelijks wordt de app meer dan 240.000 maal gedownload."),
    ("nl", "We zullen de komende 90 dagen de middelen inzetten."),
    ("nl", "Dat gebeurt al na 30 seconden."),
    ("fr", "Zoom a accepté de payer 85 millions de dollars."),
    ("nl", "Artikel 5 van deze richtlijn bepaalt dat afluisteren verboden is."),
    ("en", "Phishing rose by 125% last quarter."),
    ("nl", "Na een uitdagend 2023 kijken we vooruit."),
    ("nl", "De FBI waarschuwde onlangs en recentelijk; de afgelopen dagen was het druk."),
    ("en", "Users may join; they march on. The company had 2020 employees."),
    ("fr", "La mission vers Mars de SpaceX, et la semaine de quatre jours."),
]


@pytest.mark.parametrize(("lang", "text"), NEGATIVES)
def test_not_dates(lang: str, text: str) -> None:
    assert find_dates(text, lang, ANCHOR) == []


INVENTED = [
    ("nl", "Op dinsdag 20 oktober 2020.", "dinsdag 20 oktober 2020", D(2020, 10, 20), "day", ""),
    ("nl", "De wet geldt vanaf 1 JANUARI 2021.", "vanaf 1 JANUARI 2021", D(2021, 1, 1), "day", ""),
    ("nl", "Medio 2020 groeide Zoom.", "Medio 2020", D(2020, 7, 1), "month", "mid"),
    ("nl", "Tot begin 2021 bleef het stil.", "Tot begin 2021", D(2021, 1, 1), "month", "begin"),
    ("nl", "Half maart 2020 sloten de scholen.", "Half maart 2020", D(2020, 3, 1), "month", "mid"),
    ("nl", "Het rapport van 20/10/2020 is kort.", "20/10/2020", D(2020, 10, 20), "day", ""),
    ("nl", "In de zomer van 2020 was het druk.", "zomer van 2020", D(2020, 6, 1), "season", ""),
    ("en", "On October 20, 2020 the FTC wrote.", "October 20, 2020", D(2020, 10, 20), "day", ""),
    ("en", "By late 2019 Zoom had grown.", "By late 2019", D(2019, 12, 1), "month", "end"),
    ("en", "Zoom grew in May 2020.", "in May 2020", D(2020, 5, 1), "month", ""),
    ("fr", "Le 1er mars 2020, Zoom a changé.", "Le 1er mars 2020", D(2020, 3, 1), "day", ""),
    ("fr", "Fin 2020, l'accord était signé.", "Fin 2020", D(2020, 12, 1), "month", "end"),
    ("fr", "Depuis la mi-mars 2020 rien.", "Depuis la mi-mars 2020", D(2020, 3, 1), "month", "mid"),
    ("fr", "MARDI 20 OCTOBRE 2020 : annonce.", "MARDI 20 OCTOBRE 2020", D(2020, 10, 20), "day", ""),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "sentence", "text", "value", "precision", "qualifier"), INVENTED)
def test_invented_absolute(
    lang: str, sentence: str, text: str, value: dt.date, precision: str, qualifier: str
) -> None:
    (m,) = find_dates(sentence, lang)
    assert sentence[m.start : m.end] == m.text == text
    assert (m.kind, m.value, m.precision, m.qualifier, m.anchor) == (
        "absolute",
        value,
        precision,
        qualifier,
        None,
    )


RELATIVE = [
    ("nl", "Vorig jaar klaagde de FBI.", "Vorig jaar", D(2019, 1, 1), "year"),
    ("nl", "Dat was drie weken geleden.", "drie weken geleden", D(2020, 9, 28), "week"),
    ("nl", "Gisteren meldde Zoom een lek.", "Gisteren", D(2020, 10, 19), "day"),
    ("nl", "Op 5 mei werd het bekend.", "5 mei", D(2020, 5, 5), "day"),
    ("en", "Last Sunday the FBI warned users.", "Last Sunday", D(2020, 10, 18), "day"),
    ("en", "Zoom settled 3 days ago.", "3 days ago", D(2020, 10, 17), "day"),
    ("fr", "L'an dernier, Zoom a grandi.", "L'an dernier", D(2019, 1, 1), "year"),
    ("fr", "Il y a deux mois, Zoom a payé.", "Il y a deux mois", D(2020, 8, 1), "month"),
    ("fr", "Zoom publiera la semaine prochaine.", "la semaine prochaine", D(2020, 10, 26), "week"),
]


@pytest.mark.parametrize(("lang", "sentence", "text", "value", "precision"), RELATIVE)
def test_invented_relative(lang: str, sentence: str, text: str, value: dt.date, precision: str) -> None:
    (m,) = find_dates(sentence, lang, ANCHOR)
    assert sentence[m.start : m.end] == m.text == text
    assert (m.kind, m.value, m.precision, m.anchor) == ("relative", value, precision, ANCHOR)
    (bare,) = find_dates(sentence, lang)
    assert (bare.value, bare.anchor, bare.text) == (None, None, text)


def test_qualified_relative_year() -> None:
    (m,) = find_dates("Eind vorig jaar kwam de boete.", "nl", ANCHOR)
    assert (m.text, m.value, m.precision, m.qualifier) == (
        "Eind vorig jaar",
        D(2019, 12, 1),
        "month",
        "end",
    )


def test_title_year_and_unknown_language() -> None:
    assert [m.text for m in find_dates("cybersecurity in 2024", "nl")] == ["in 2024"]
    with pytest.raises(ValueError, match="unsupported language 'de'"):
        find_dates("im März 2020", "de")


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        ("Oct Tue 20 2020", (D(2020, 10, 20), "day")),
        ("20 oktober 2020", (D(2020, 10, 20), "day")),
        ("20/10/2020", (D(2020, 10, 20), "day")),
        ("October 20, 2020", (D(2020, 10, 20), "day")),
        ("20 octobre 2020", (D(2020, 10, 20), "day")),
        ("dinsdag 20 oktober 2020", (D(2020, 10, 20), "day")),
        ("2020-10-20", (D(2020, 10, 20), "day")),
        ("oktober 2020", (D(2020, 10, 1), "month")),
        # the first day of the period, as for every other precision (Q2 was 1 June)
        ("Q1 2020", (D(2020, 1, 1), "quarter")),
        ("Q2 2020", (D(2020, 4, 1), "quarter")),
        ("Q4 2020", (D(2020, 10, 1), "quarter")),
    ],
)
def test_parse_page_date(stated: str, expected: tuple[dt.date, str]) -> None:
    assert parse_page_date(stated) == expected


@pytest.mark.parametrize("bad", ["", "gibberish", "20 oktober", "yesterday"])
def test_parse_page_date_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="cannot parse page date") as info:
        parse_page_date(bad)
    assert repr(bad) in str(info.value)


def _every_phrase(lang: str) -> str:
    """Long text with dates at every distance from each other and from the ends."""
    phrases = {
        "nl": ["sinds 12 maart 2020", "eind vorig jaar", "afgelopen dinsdag", "drie weken geleden"],
        "en": ["since March 12, 2020", "at the end of last year", "last Tuesday", "three weeks ago"],
        "fr": ["depuis le 12 mars 2020", "fin de l'année dernière", "mardi dernier", "il y a trois semaines"],
    }[lang]
    filler = "woord " * 30
    return " ".join(f"{filler[: 7 * k]}{p}" for k, p in enumerate(phrases * 6))


@pytest.mark.parametrize("lang", ["nl", "en", "fr"])
def test_screened_patterns_find_what_all_patterns_find(lang: str) -> None:
    """``find_dates`` only runs the patterns ``zoomcase.prefilter`` lets through; nothing may be lost."""
    from zoomcase.dates import _candidates

    texts = [_every_phrase(lang)] + [p.read_text() for p in sorted(corpus_dir().glob("*.txt"))]
    for text in texts:
        full = longest_first(_candidates(text, lang, dt.date(2020, 10, 20), screened=False))
        assert find_dates(text, lang, anchor=dt.date(2020, 10, 20)) == full
    # most of the 24 phrases (a few merge with their neighbour)
    assert len(find_dates(texts[0], lang, anchor=dt.date(2020, 10, 20))) >= 12
