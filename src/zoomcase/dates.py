"""Date mentions in normalised nl/en/fr news text, and the stated date of a page.

Dates are found only where a date-like pattern matches (month names, weekdays, years behind a
temporal marker, relative markers); dateparser then reads just the matched words with the
language forced. Letting dateparser search free text instead turns "240.000", "90 dagen" or
"Artikel 5" into dates, and guessing the language turns Dutch "mei" or French "mars" into noise.

Conventions (the value is always the first day of the period named, at the stated precision):

- ``precision`` is "day", "week" (value: that week's Monday), "month" (the 1st), "year" (1 Jan)
  or "season" (the 1st of the season's first month: spring Mar, summer Jun, autumn Sep,
  winter Dec of the named year); a page date may also be a "quarter" (the 1st of its first month).
- ``qualifier`` is "begin", "mid" or "end" ("begin 2021", "mid-March", "fin 2020"), else "".
  A qualified *year* is narrowed to the month at that position at precision "month":
  "eind 2020" -> 2020-12-01, "begin 2021" -> 2021-01-01, "medio 2020" -> 2020-07-01. Qualified
  months, weeks and seasons keep their precision and value; the qualifier carries the position.
- ``kind`` is "relative" whenever the value depends on the anchor: "Dimanche dernier", "vorig
  jaar", "3 days ago", but also a month or day without a year ("in maart", "20 oktober"), whose
  year is taken from the anchor. Without an anchor such mentions are still reported, with
  ``value=None``. Everything else is "absolute" and ``anchor`` is then None.
- A leading temporal marker ("in", "sinds", "Since", "En", "between"...) belongs to the span:
  it is what made a bare month or year a date, and "since"/"until" change its meaning. A year
  joined to a previous year ("between 2019 and 2020") is found as "and 2020".
- Vague expressions are left out on purpose, because they have no value to resolve: "onlangs",
  "recentelijk", "recently", "afgelopen dagen", "de komende 90 dagen", "enkele weken geleden",
  "the past year". So are bare weekdays without a direction ("on Tuesday", "ce mardi"),
  decades ("the 1990s") and dash ranges ("2019-2020" gives only its first year if marked).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from dateparser.date import DateDataParser

from zoomcase.prefilter import Guided, Prefilter, guided, prefilter
from zoomcase.spans import longest_first

__all__ = ["DateMention", "find_dates", "parse_page_date"]

Kind = Literal["absolute", "relative"]
LANGS = ("nl", "en", "fr")


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date expression: ``text == source[start:end]``; see the module doc for conventions."""

    start: int
    end: int
    text: str
    kind: Kind
    value: dt.date | None
    precision: str
    qualifier: str
    anchor: dt.date | None
    lang: str


# --- lexicon ---------------------------------------------------------------------------------
# Each alternation is a regex fragment; the patterns below are compiled with IGNORECASE, so a
# fragment that must keep its case (English "May", "March") says so with a scoped (?-i:...).

_APOS = "['’]"
_FULL_MONTHS = {
    "nl": r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november"
    r"|december",
    "en": r"January|February|(?-i:March|May)|April|June|July|August|September|October"
    r"|November|December",
    "fr": r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre"
    r"|d[ée]cembre",
}
# Abbreviations only next to a day or a year: "jan", "sept" alone are too often not months.
_MONTHS = {
    "nl": _FULL_MONTHS["nl"] + r"|jan|feb|mrt|apr|jun|jul|aug|sept|sep|okt|nov|dec",
    "en": _FULL_MONTHS["en"] + r"|Jan|Feb|(?-i:Mar)|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec",
    "fr": _FULL_MONTHS["fr"] + r"|janv|f[ée]vr|avr|juil|sept|oct|nov|d[ée]c",
}
_WEEKDAYS = {
    "nl": r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag",
    "en": r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday",
    "fr": r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche",
}
_MARKERS = {
    "nl": r"in|sinds|sedert|vanaf|tot\s+en\s+met|tot|voor|na|tussen|rond|omstreeks|per|heel"
    r"|gedurende|tijdens|uit",
    "en": r"in|since|from|until|till|by|before|after|between|during|throughout|around|as\s+of",
    "fr": rf"en|depuis|d[èe]s|jusqu{_APOS}en|jusqu{_APOS}[àa]|avant|apr[èe]s|entre|pendant"
    rf"|courant|[àa]\s+partir\s+de|au\s+mois\s+de|d{_APOS}ici",
}
# Second half of a range: a connector counts as a marker only right after a year.
_CONNECTORS = {"nl": r"en|tot", "en": r"and|to|through", "fr": r"et|[àa]|au"}
# Qualifier fragments include their trailing separator ("fin de ", "mi-"); first word decides.
_QUALIFIERS = {
    "nl": r"(?:(?:aan\s+)?het\s+)?(?:begin|eind|einde|midden)(?:\s+van)?\s+|medio\s+|half\s+"
    r"|halverwege\s+",
    "en": r"(?:(?:at\s+)?the\s+)?(?:end|beginning|start|middle)\s+of\s+|early\s+|late\s+"
    r"|mid-?\s*",
    "fr": rf"(?:[àa]\s+la\s+|au\s+)?(?:fin|d[ée]but|milieu)\s+(?:de\s+|d{_APOS}|du\s+)?"
    rf"|(?:(?:[àa]\s+)?la\s+)?mi-",
}
_QUALIFIER_WORDS = {
    "begin": "begin",
    "beginning": "begin",
    "start": "begin",
    "early": "begin",
    "début": "begin",
    "debut": "begin",
    "eind": "end",
    "einde": "end",
    "end": "end",
    "late": "end",
    "fin": "end",
    "midden": "mid",
    "medio": "mid",
    "half": "mid",
    "halverwege": "mid",
    "middle": "mid",
    "mid": "mid",
    "milieu": "mid",
    "mi": "mid",
}
_SEASONS = {
    "nl": {"lente": 3, "voorjaar": 3, "zomer": 6, "herfst": 9, "najaar": 9, "winter": 12},
    "en": {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12},
    "fr": {"printemps": 3, "été": 6, "ete": 6, "automne": 9, "hiver": 12},
}
_SEASON_LINK = {"nl": r"(?:\s+van)?", "en": r"(?:\s+of)?", "fr": r""}
_SEASON_ARTICLE = {"nl": r"", "en": r"", "fr": rf"(?:l{_APOS}|le\s+)?"}
# Relative periods: (regex with groups dir + unit, {dir word: direction}, canonical phrases).
_PERIODS = {
    "nl": (
        r"(?P<dir>dit|deze|het|vorig|vorige|afgelopen|volgend|volgende|komend|komende)"
        r"\s+(?P<unit>jaar|maand|week)",
        {"dit": "this", "deze": "this", "het": "the", "vorig": "last", "vorige": "last"}
        | {"afgelopen": "last", "volgend": "next", "volgende": "next"}
        | {"komend": "next", "komende": "next"},
        {
            "this": {"year": "dit jaar", "month": "deze maand", "week": "deze week"},
            "last": {"year": "vorig jaar", "month": "vorige maand", "week": "vorige week"},
            "next": {"year": "volgend jaar", "month": "volgende maand", "week": "volgende week"},
        },
    ),
    "en": (
        r"(?P<dir>this|last|next|the)\s+(?P<unit>year|month|week)",
        {"this": "this", "last": "last", "next": "next", "the": "the"},
        {
            "this": {"year": "this year", "month": "this month", "week": "this week"},
            "last": {"year": "last year", "month": "last month", "week": "last week"},
            "next": {"year": "next year", "month": "next month", "week": "next week"},
        },
    ),
    "fr": (
        rf"(?P<dir>(?:cette|ce|la|le)\s+|l{_APOS})(?P<unit>ann[ée]e|an|mois|semaine)"
        r"(?:-ci)?(?:\s+(?P<dir2>derni[èe]re?|pass[ée]e?|prochaine?))?",
        {"cette": "this", "ce": "this", "dernier": "last", "derniere": "last"}
        | {"dernière": "last", "passé": "last", "passe": "last", "passée": "last"}
        | {"passee": "last", "prochain": "next", "prochaine": "next"},
        {
            "this": {"year": "cette année", "month": "ce mois-ci", "week": "cette semaine"},
            "last": {"year": "l'année dernière", "month": "le mois dernier"}
            | {"week": "la semaine dernière"},
            "next": {"year": "l'année prochaine", "month": "le mois prochain"}
            | {"week": "la semaine prochaine"},
        },
    ),
}
_UNITS = {
    "jaar": "year",
    "jaren": "year",
    "maand": "month",
    "maanden": "month",
    "week": "week",
    "weken": "week",
    "dag": "day",
    "dagen": "day",
    "year": "year",
    "years": "year",
    "month": "month",
    "months": "month",
    "weeks": "week",
    "day": "day",
    "days": "day",
    "année": "year",
    "annee": "year",
    "années": "year",
    "an": "year",
    "ans": "year",
    "mois": "month",
    "semaine": "week",
    "semaines": "week",
    "jour": "day",
    "jours": "day",
}
_NL_NUMBERS = {"een": "1", "één": "1", "twee": "2", "drie": "3", "vier": "4", "vijf": "5"} | {
    "zes": "6",
    "zeven": "7",
    "acht": "8",
    "negen": "9",
    "tien": "10",
    "elf": "11",
    "twaalf": "12",
}
_AGO = {
    "nl": rf"(?P<n>\d{{1,3}}|{'|'.join(_NL_NUMBERS)})\s+"
    r"(?P<unit>dagen|dag|weken|week|maanden|maand|jaren|jaar)\s+geleden",
    "en": r"(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"\s+(?P<unit>days?|weeks?|months?|years?)\s+ago",
    "fr": r"il\s+y\s+a\s+(?P<n>\d{1,3}|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix"
    r"|onze|douze)\s+(?P<unit>jours?|semaines?|mois|ans?|ann[ée]es?)",
}
_DAY_WORDS = {
    "nl": r"eergisteren|gisteren|vandaag(?!\s+de\s+dag)|overmorgen|(?<!de\s)morgen",
    "en": r"yesterday|today|tomorrow",
    "fr": rf"avant-hier|hier|aujourd{_APOS}hui|apr[èe]s-demain|demain",
}
# Weekday with a direction: (regex with groups wd + dir, {dir word: "past" | "future"}).
_WEEKDAY_REL = {
    "nl": (
        rf"(?P<dir>afgelopen|vorige|jongstleden|komende|volgende)\s+(?P<wd>{_WEEKDAYS['nl']})"
        rf"|(?P<wd2>{_WEEKDAYS['nl']})\s+(?P<dir2>jongstleden|jl\.|j\.l\.)",
        {"afgelopen": "past", "vorige": "past", "jongstleden": "past", "jl.": "past"}
        | {"j.l.": "past", "komende": "future", "volgende": "future"},
    ),
    "en": (
        rf"(?P<dir>last|this\s+past|next|this\s+coming)\s+(?P<wd>{_WEEKDAYS['en']})",
        {"last": "past", "this past": "past", "next": "future", "this coming": "future"},
    ),
    "fr": (
        rf"(?P<wd>{_WEEKDAYS['fr']})\s+(?P<dir>dernier|pass[ée]|prochain)",
        {"dernier": "past", "passé": "past", "passe": "past", "prochain": "future"},
    ),
}

_YEAR = r"(?<![\d.,])(?P<year>(?:1[89]|20)\d\d)\b(?!\s?%|[.,]\d)"
_DAY = r"(?P<day>[0-3]?\d)"


def _prefix(lang: str, qualified: bool) -> str:
    """Optional marker (+ qualifier) in front of a core date, both captured."""
    mark = rf"(?:(?P<mark>{_MARKERS[lang]}|(?<=\b(?:1[89]|20)\d\d\s)(?:{_CONNECTORS[lang]}))\s+)?"
    return mark + (rf"(?P<qual>{_QUALIFIERS[lang]})?" if qualified else "")


def _build(lang: str) -> list[tuple[str, re.Pattern[str]]]:
    """The (core kind, regex) pairs for one language, longest forms first."""
    months, wd = _MONTHS[lang], _WEEKDAYS[lang]
    seasons = "|".join(_SEASONS[lang])
    weekday = rf"(?:(?P<wd>{wd}),?\s+)?"
    if lang == "en":
        full = [
            rf"{weekday}(?:the\s+)?{_DAY}(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{months})\.?"
            rf"(?:,?\s+{_YEAR})?",
            rf"{weekday}(?P<month>{months})\.?\s+{_DAY}(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR})?",
        ]
    else:
        suffix = "(?:er|re|e|ste|de)?" if lang == "fr" else "(?:e|ste|de)?"
        full = [rf"{weekday}(?:le\s+)?{_DAY}{suffix}\s+(?P<month>{months})\.?(?:\s+{_YEAR})?"]
    specs: list[tuple[str, str]] = [("full", _prefix(lang, False) + f) for f in full]
    specs += [
        (
            "numeric",
            _prefix(lang, False) + r"(?P<num>(?:19|20)\d\d-[01]\d-[0-3]\d"
            r"|[0-3]?\d(?P<sep>[/.-])[01]?\d(?P=sep)(?:19|20)\d\d)\b",
        ),
        ("month_year", _prefix(lang, True) + rf"(?P<month>{months})\.?\s+{_YEAR}"),
        (
            "season",
            _prefix(lang, True)
            + rf"{_SEASON_ARTICLE[lang]}(?P<season>{seasons}){_SEASON_LINK[lang]}\s+{_YEAR}",
        ),
        ("month", _prefix(lang, True) + rf"(?P<month>{_FULL_MONTHS[lang]})"),
        ("year", _prefix(lang, True) + _YEAR),
        ("period", _prefix(lang, True) + _PERIODS[lang][0]),
        ("weekday", _WEEKDAY_REL[lang][0]),
        ("ago", _AGO[lang]),
        ("day_word", rf"(?P<word>{_DAY_WORDS[lang]})"),
    ]
    return [(k, re.compile(rf"\b(?:{p})(?!\w)", re.IGNORECASE)) for k, p in specs]


_PATTERNS = {lang: _build(lang) for lang in LANGS}


# Cores that are only dates behind a marker or qualifier.
_NEEDS_PREFIX = {"month", "year"}
_MONTH_FOR_QUALIFIED_YEAR = {"begin": 1, "mid": 7, "end": 12}


@lru_cache(maxsize=65536)
def _parse(
    text: str, lang: str, base: dt.date | None, prefer: str = "current_period"
) -> tuple[dt.date, str] | None:
    """dateparser on one matched phrase, forced language; cached (phrases repeat a lot)."""
    settings: dict[str, object] = {
        "PREFER_DAY_OF_MONTH": "first",
        "PREFER_DATES_FROM": prefer,
    }
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(base, dt.time())
    data = DateDataParser(languages=[lang], settings=settings).get_date_data(text)
    if data.date_obj is None:
        return None
    return _truncate(data.date_obj.date(), data.period or "day"), data.period or "day"


def _truncate(value: dt.date, precision: str) -> dt.date:
    """First day of the period containing ``value``."""
    if precision == "year":
        return value.replace(month=1, day=1)
    if precision in ("month", "season"):
        return value.replace(day=1)
    if precision == "quarter":  # dateparser gives the quarter's last month ("Q2 2020": June)
        return value.replace(month=value.month - (value.month - 1) % 3, day=1)
    if precision == "week":
        return value - dt.timedelta(days=value.weekday())
    return value


def _qualifier(m: re.Match[str]) -> str:
    qual = m.groupdict().get("qual")
    if not qual:
        return ""
    return next(_QUALIFIER_WORDS[w] for w in re.findall(r"\w+", qual.lower()) if w in _QUALIFIER_WORDS)


def _resolve(
    kind: str, m: re.Match[str], lang: str, anchor: dt.date | None
) -> tuple[Kind, dt.date | None, str] | None:
    """(kind, value, precision) of a match, or None when it is not a date after all."""
    g = m.groupdict()
    if kind == "full":
        phrase = f"{g['day']} {g['month']} {g['year'] or ''}".strip()
        if g["year"]:
            parsed = _parse(phrase, lang, None)
            return None if parsed is None else ("absolute", parsed[0], "day")
        return _relative(phrase, lang, anchor, "day")
    if kind == "numeric":
        parsed = _parse(g["num"], lang, None)
        return None if parsed is None else ("absolute", parsed[0], "day")
    if kind == "month_year":
        parsed = _parse(f"{g['month']} {g['year']}", lang, None)
        return None if parsed is None else ("absolute", parsed[0], "month")
    if kind == "season":
        parsed = _parse(g["year"], lang, None)
        month = _SEASONS[lang][g["season"].lower()]
        return None if parsed is None else ("absolute", parsed[0].replace(month=month), "season")
    if kind == "month":
        return _relative(g["month"], lang, anchor, "month")
    if kind == "year":
        parsed = _parse(g["year"], lang, None)
        return None if parsed is None else ("absolute", parsed[0], "year")
    if kind == "period":
        return _period(m, lang, anchor)
    if kind == "weekday":
        direction = _WEEKDAY_REL[lang][1][_squash(g["dir"] or g.get("dir2") or "")]
        day = g["wd"] or g.get("wd2") or ""
        return _relative(day, lang, anchor, "day", "past" if direction == "past" else "future")
    if kind == "ago":
        n = _NL_NUMBERS.get(g["n"].lower(), g["n"]) if lang == "nl" else g["n"]
        unit = g["unit"].lower()
        phrase = m.group(0).replace(g["n"], n, 1)
        if lang == "nl" and unit == "jaren":
            phrase = phrase.replace(g["unit"], "jaar", 1)
        return _relative(phrase, lang, anchor, _UNITS[unit])
    return _relative(g["word"], lang, anchor, "day")  # day_word


def _relative(
    phrase: str, lang: str, anchor: dt.date | None, precision: str, prefer: str = "current_period"
) -> tuple[Kind, dt.date | None, str] | None:
    if anchor is None:
        return "relative", None, precision
    parsed = _parse(phrase, lang, anchor, prefer)
    return None if parsed is None else ("relative", _truncate(parsed[0], precision), precision)


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s.lower())


def _period(m: re.Match[str], lang: str, anchor: dt.date | None) -> tuple[Kind, dt.date | None, str] | None:
    """'vorig jaar', 'the end of the year', 'l'année dernière': canonical phrase, then parse."""
    _, directions, canonical = _PERIODS[lang]
    g = m.groupdict()
    unit = _UNITS[g["unit"].lower()]
    word = _squash(g.get("dir2") or g["dir"]).strip(" '’")
    direction = directions.get(word, "the")
    if direction == "the":
        if not g.get("qual"):  # "het jaar", "the week", "l'année": not a date on its own
            return None
        direction = "this"
    return _relative(canonical[direction][unit], lang, anchor, unit)


def _apply_qualifier(value: dt.date | None, precision: str, qualifier: str) -> tuple[dt.date | None, str]:
    """A qualified year becomes the month at that position (see module doc)."""
    if qualifier and precision == "year":
        month = _MONTH_FOR_QUALIFIED_YEAR[qualifier]
        return (value.replace(month=month) if value else None), "month"
    return value, precision


def find_dates(text: str, lang: str, anchor: dt.date | None = None) -> list[DateMention]:
    """Date mentions in ``text`` (language ``lang``: nl, en or fr), sorted, never overlapping.

    ``anchor`` (usually the page date) resolves relative and year-less mentions; overlapping
    candidates are resolved longest first.
    """
    if lang not in _PATTERNS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGS}")
    return longest_first(_candidates(text, lang, anchor))


@cache
def _screen(lang: str) -> Prefilter:
    """Which of the language's patterns may match a text (``zoomcase.prefilter``)."""
    return prefilter([pattern for _, pattern in _PATTERNS[lang]])


@cache
def _guided(lang: str) -> list[tuple[str, Guided]]:
    """``_PATTERNS`` with each pattern's guided search, cached by language (see ``numbers._quantities``)."""
    return [(kind, guided(pattern)) for kind, pattern in _PATTERNS[lang]]


def _candidates(text: str, lang: str, anchor: dt.date | None, screened: bool = True) -> list[DateMention]:
    """Every pattern's matches; ``screened``: only of the patterns the prefilter says may match."""
    candidates: list[DateMention] = []
    patterns = _guided(lang)
    ids = sorted(_screen(lang).candidates(text)) if screened else range(len(patterns))
    for kind, search in (patterns[k] for k in ids):
        for m in search.finditer(text):
            g = m.groupdict()
            if kind in _NEEDS_PREFIX and not (g.get("mark") or g.get("qual")):
                continue
            resolved = _resolve(kind, m, lang, anchor)
            if resolved is None:
                continue
            date_kind, value, precision = resolved
            qualifier = _qualifier(m)
            value, precision = _apply_qualifier(value, precision, qualifier)
            candidates.append(
                DateMention(
                    start=m.start(),
                    end=m.end(),
                    text=m.group(0),
                    kind=date_kind,
                    value=value,
                    precision=precision,
                    qualifier=qualifier,
                    anchor=anchor if date_kind == "relative" else None,
                    lang=lang,
                )
            )
    return candidates


_PAGE_PARSER = DateDataParser(
    languages=list(LANGS),
    settings={
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY",  # the corpus is European: 05/10/2020 is 5 October
        "REQUIRE_PARTS": ["year"],  # "20 oktober" alone is not a page date
        "PARSERS": ["timestamp", "custom-formats", "absolute-time"],  # no "yesterday"
    },
)


def parse_page_date(s: str) -> tuple[dt.date, str]:
    """The date a page states for itself, e.g. "Oct Tue 20 2020" -> (2020-10-20, "day").

    Returns (first day of the period, precision). Raises ValueError naming ``s`` if it is not
    an absolute date with a year in nl, en or fr.
    """
    data = _PAGE_PARSER.get_date_data(s.strip()) if s and s.strip() else None
    if data is None or data.date_obj is None:
        raise ValueError(f"cannot parse page date {s!r} (need an absolute date with a year)")
    precision = data.period or "day"
    return _truncate(data.date_obj.date(), precision), precision
