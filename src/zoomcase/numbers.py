"""Numbers and quantities in nl/en/fr news text: "ruim $ 38 miljard", "85 millions de dollars", "twintig".

Digits are read with the locale's separators through babel ("240.000" nl = 240000, "1,234" en = 1234,
"1 234,5" fr); a single separator of the *other* convention followed by anything but three digits is read
as a decimal mark ("2.5" in a Dutch text), because news sites mix conventions. Number words come from the
small per-language tables below and combine the usual way ("tweeëntwintig", "two hundred and five",
"quatre-vingt-dix"). A scale word multiplies ("2,5 miljoen", "38bn", "deux milliards"); "dozen" words
multiply by 12 and make the value approximate.

Bare articles that double as "one" (een, a, an, one, un, une) count only before a scale or multiplier word
("een miljoen", "une douzaine"): alone they are almost always articles. "één" is a number. The ambiguous
words "acht" (also a verb), "elf" and "neuf" (also "new") count only when a word follows them.

The qualifier comes from the words just before the number ("ruim", "meer dan", "zo'n", "more than",
"plus de", "près de"...; "nearly"-words count as "about"), or for Dutch from a verb just after it ("de 200
miljoen gepasseerd"); the span of a Quantity includes these words.

Not quantities at all: legal references ("Artikel 5", "Art. 5(3)", "section 230"), day numbers of dates
("20 oktober"), numbers glued to a word ("Covid-19", "G7", "5G"). Years (bare integers 1900-2100) are
returned with ``is_year=True`` so callers can use them as dates but never count them as claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

from zoomcase.prefilter import Guided, Prefilter, guided, prefilter
from zoomcase.spans import Reach

__all__ = ["LANGS", "Quantity", "find_quantities", "parse_number"]

LANGS = ("nl", "en", "fr")

# --- lexicon ---------------------------------------------------------------------------------------------
# Number words up to the multipliers; larger scales are in SCALES. Articles meaning "one" are marked
# with ARTICLES. Regexes below are compiled case-insensitively.
WORDS: dict[str, dict[str, int]] = {
    "nl": {
        "nul": 0, "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
        "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14,
        "vijftien": 15, "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19, "twintig": 20,
        "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80,
        "negentig": 90, "honderd": 100, "duizend": 1000,
    },
    "en": {
        "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
        "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
        "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90, "hundred": 100, "thousand": 1000,
    },
    "fr": {
        "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
        "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
        "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40,
        "cinquante": 50, "soixante": 60, "quatre-vingt": 80, "quatre-vingts": 80, "cent": 100,
        "cents": 100, "mille": 1000,
    },
}  # fmt: skip
ARTICLES = frozenset({"een", "a", "an", "one", "un", "une"})
AMBIGUOUS = frozenset({"acht", "elf", "neuf"})
# Joiners inside one number word: Dutch glues ("eenentwintig", "tweehonderd"), French hyphenates and
# says "vingt et un".
_JOIN = {"nl": r"(?:ën|en|-)?", "en": r"-", "fr": r"(?:-et-|-|\set\s(?=une?\b|onze\b))"}
# Scale words and abbreviations; case matters for the one-letter ones ("38M", "2,5 M").
SCALES: dict[str, float] = {
    "duizend": 1e3, "thousand": 1e3, "thousands": 1e3, "mille": 1e3, "millier": 1e3, "milliers": 1e3,
    "k": 1e3, "miljoen": 1e6, "miljoenen": 1e6, "million": 1e6, "millions": 1e6, "mln": 1e6, "mn": 1e6,
    "m": 1e6, "miljard": 1e9, "miljarden": 1e9, "milliard": 1e9, "milliards": 1e9, "billion": 1e9,
    "billions": 1e9, "bn": 1e9, "mld": 1e9, "mrd": 1e9, "md": 1e9, "b": 1e9, "trillion": 1e12,
    "dozijn": 12, "dozen": 12, "douzaine": 12, "douzaines": 12,
}  # fmt: skip
_SCALE_RE = (
    r"(?:miljoen(?:en)?|miljard(?:en)?|duizend|millions?|milliards?|milliers?|mille|billions?|thousands?"
    r"|trillion|dozijn|dozen|douzaines?|(?:mln|mld|mrd|bn|mn)\.?|(?:(?<=\d)|(?<=\d\s))(?-i:Md|[kKMB]))"
)
DOZENS = frozenset({"dozijn", "dozen", "douzaine", "douzaines"})
CURRENCIES = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP"}
_CURRENCY_PREFIX = r"US\s?\$|\$|€|£|(?:USD|EUR|GBP)(?=\s?\d)"
_CURRENCY_WORDS = {
    "USD": r"(?:US[- ])?dollars?(?:\s(?:américains|US))?|USD|\$",
    "EUR": r"euros?|EUR|€",
    "GBP": r"pounds?(?: sterling)?|pond(?:en)?|livres?(?: sterling)?|GBP|£",
}
_PERCENT = r"%|procent|percent|per\scent|pour\s?cent|pct\.?"
_TIME_UNITS = {
    "seconds": r"seconden?|seconds?|secondes?|sec\.?",
    "minutes": r"minuten|minuut|minutes?|min\.?",
    "hours": r"uur|uren|hours?|heures?",
    "days": r"dagen|dag|days?|jours?",
    "weeks": r"weken|week|weeks|semaines?",
    "months": r"maanden|maand|months?|mois",
    "years": r"jaar|jaren|years?|ans|années",
}
# "N keer zo groot", "N times as many", "N fois plus": a ratio, unlike "240.000 maal gedownload".
_TIMES_AS = r"(?:keer|maal|times|fois)(?=\s(?:zo|as|more|larger|bigger|higher|plus|meer|groter|hoger)\b)"
RATIOS = {
    "nl": r"verdubbel(?:d|de|den|t|en)|verdrievoudig(?:d|de|den|t|en)|gehalveerd|halve(?:ert|erde|erden|ren)",
    "en": r"doubl(?:ed|es|ing)|tripl(?:ed|es|ing)|halv(?:ed|ing)",
    "fr": r"doubl(?:é|ée|és|ées|er)|tripl(?:é|ée|és|ées|er)|divisée?s?\spar\sdeux",
}
_RATIO_VALUES = (("drievoud", 3.0), ("tripl", 3.0), ("halv", 0.5), ("divis", 0.5))  # else doubled: 2
QUALIFIERS: dict[str, dict[str, str]] = {
    "nl": {
        "ruim": "more_than", "meer dan": "more_than", "ruim meer dan": "more_than", "zo'n": "about",
        "ongeveer": "about", "circa": "about", "ca.": "about", "rond": "about", "rondom": "about",
        "bijna": "about", "nagenoeg": "about", "haast": "about", "minstens": "at_least",
        "ten minste": "at_least", "tenminste": "at_least", "op zijn minst": "at_least",
        "minimaal": "at_least", "maximaal": "at_most", "hooguit": "at_most", "ten hoogste": "at_most",
        "minder dan": "at_most", "tot wel": "at_most", "precies": "exactly", "exact": "exactly",
    },
    "en": {
        "more than": "more_than", "over": "more_than", "above": "more_than", "in excess of": "more_than",
        "upwards of": "more_than", "just over": "more_than", "about": "about", "around": "about",
        "approximately": "about", "approx.": "about", "roughly": "about", "some": "about",
        "nearly": "about", "almost": "about", "close to": "about", "an estimated": "about",
        "at least": "at_least", "no fewer than": "at_least", "no less than": "at_least",
        "at most": "at_most", "up to": "at_most", "fewer than": "at_most", "less than": "at_most",
        "under": "at_most", "just under": "at_most", "exactly": "exactly", "precisely": "exactly",
        "surpassed": "more_than", "topped": "more_than", "exceeded": "more_than", "passed": "more_than",
    },
    "fr": {
        "plus de": "more_than", "plus d'": "more_than", "au-delà de": "more_than", "près de": "about",
        "presque": "about", "environ": "about", "quelque": "about", "à peu près": "about",
        "autour de": "about", "approximativement": "about", "quasiment": "about", "au moins": "at_least",
        "au minimum": "at_least", "pas moins de": "at_least", "au plus": "at_most",
        "au maximum": "at_most", "jusqu'à": "at_most", "moins de": "at_most", "exactement": "exactly",
        "précisément": "exactly", "dépassé": "more_than", "dépassé les": "more_than",
        "franchi la barre des": "more_than", "franchi le cap des": "more_than",
    },
}  # fmt: skip
# Dutch puts the verb after the number: "de 200 miljoen gepasseerd" (English and French verbs are above).
QUALIFIERS_AFTER = {
    "nl": {"gepasseerd": "more_than", "overschreden": "more_than", "overtroffen": "more_than"}
}
_PRONOUNS = {"nl": r"hij|zij|ze|het|men|die|dat|wie|ik|je|u|zich", "en": r"(?!)", "fr": r"(?!)"}
# References that carry numbers without being quantities; the whole reference is skipped.
_REFERENCE = re.compile(
    r"(?<!\w)(?:artikel(?:en)?|art|artt|articles?|section|sectie|§|paragraa?f|paragraphs?|lid|leden|alin[ée]a"
    r"|chapter|hoofdstuk|chapitre|clauses?|clausule|recital|overweging|considérant|annex|annexe|bijlage"
    r"|nrs?|nos?(?=\.)|n°|nummer|number|numéro)\.?\s*\d+[a-z]?(?:\(\w{1,4}\))*"
    r"(?:\s*(?:,|&|en|and|et|tot|to|à|-|–)\s*(?:lid\s)?\d+[a-z]?(?:\(\w{1,4}\))*)*",
    re.IGNORECASE,
)
_MONTHS = (
    r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|january"
    r"|february|march|may|june|july|august|october|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t"
    r"|septembre|octobre|novembre|d[ée]cembre|jan|feb|mrt|apr|jun|jul|aug|sept?|okt|oct|nov|dec"
)
_DAY_OF_MONTH = re.compile(rf"(?<![\w.,])\d{{1,2}}(?:er|e)?\.?\s(?:{_MONTHS})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as written, with its scale, unit and qualifier: ``text == source[start:end]``.

    ``unit`` is "USD"/"EUR"/"GBP", "%", "times" (ratios), a time unit ("seconds" ... "years") or "" for a
    count; ``qualifier`` is "more_than", "about", "at_least", "at_most", "exactly" or "".
    """

    start: int
    end: int
    text: str
    value: float
    unit: str
    qualifier: str
    is_year: bool


def _alternation(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s") for w in sorted(words, key=len, reverse=True))


def _digits(lang: str) -> str:
    spaces = r"\u00a0\u202f " if lang == "fr" else r"\u00a0\u202f"
    return rf"\d{{1,3}}(?:[.,'{spaces}]\d{{3}})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"


def _atoms(lang: str) -> tuple[str, str]:
    """The alternations of the language's number words and of its multipliers (hundred, thousand)."""
    table = WORDS[lang]
    return rf"(?:{_alternation(table)})", rf"(?:{_alternation(w for w, v in table.items() if v >= 100)})"


def _words(lang: str, lead: str | None = None) -> str:
    """Number words; ``lead``: the alternation the first word is taken from (default: every number word)."""
    atom, mult = _atoms(lang)
    part = rf"{atom}(?:{_JOIN[lang]}{atom})*"
    conj = {"nl": "en", "en": "and", "fr": "et"}[lang]
    first = atom if lead is None else rf"(?:{lead})"
    return rf"{first}(?:{_JOIN[lang]}{atom})*(?:\s{mult}(?:\s(?:{conj}\s)?{part})?)*"


def _number_pattern(lang: str, words_may_start: str = "", lead: str | None = None) -> str:
    """A number with an optional scale word; ``words_may_start``: a look-ahead where number words start;
    ``lead``: as in ``_words``."""
    return (
        rf"(?P<sign>[-−+](?=\d))?(?:(?P<digits>{_digits(lang)})|(?<!\w){words_may_start}"
        rf"(?P<words>{_words(lang, lead)})(?!\w))(?:\s?(?P<scale>{_SCALE_RE})(?!\w))?"
    )


@cache
def _number_re(lang: str) -> re.Pattern[str]:
    """The building block of parse_number."""
    return re.compile(_number_pattern(lang), re.IGNORECASE)


def _suffixes(named: bool) -> str:
    """What may follow a number in a quantity and be part of it: a ratio's, percentage's, currency's or time
    unit's word, in groups named after what they say (``named``) or unnamed."""

    def group(name: str) -> str:
        return f"?P<{name}>" if named else "?:"

    units = "|".join(rf"({group(name)}{rx})" for name, rx in _TIME_UNITS.items())
    currencies = "|".join(rf"({group(code)}{rx})" for code, rx in _CURRENCY_WORDS.items())
    return (
        rf"({group('times')}\s{_TIMES_AS})|\s?({group('pct')}{_PERCENT})"
        rf"|\s?(?:(?:de\s|d['’]|of\s)?(?:{currencies}))|\s(?:{units})"
    )


def _longer_than_article(lang: str) -> str:
    """What makes number words that start with an article more than it: another number word joined to it
    ("eenentwintig", "a hundred") or a suffix ("een miljoen", "a day")."""
    atom, mult = _atoms(lang)
    return rf"{_JOIN[lang]}{atom}|\s{mult}|\s?(?:{_SCALE_RE})|{_suffixes(named=False)}"


def _articles(lang: str) -> str:
    return _alternation(w for w in WORDS[lang] if w in ARTICLES)


def _quantity_pattern(lang: str, words_may_start: str = "", lead: str | None = None) -> str:
    number = _number_pattern(lang, words_may_start, lead)
    return (
        rf"(?<![\w.,/:-])(?:(?P<pre>{_CURRENCY_PREFIX})\s?)?(?P<number>{number})"
        rf"(?:{_suffixes(named=True)})?(?![\w$€£])(?![.,]\d)"
        rf"|(?<!\w)(?P<ratio>{RATIOS[lang]})(?!\w)"
    )


@cache
def _quantity_re(lang: str) -> re.Pattern[str]:
    """Every quantity but a bare article ("een", "a", "une" alone: never a quantity, and the most common
    words that look like numbers). Where an article and no more would match, nothing does, so the search
    resumes one word later, where it would have resumed after the article: the quantities are those of
    the pattern that matches articles too (``tests/test_numbers.py`` compares them)."""
    bare = rf"(?:{_articles(lang)})(?!\w|{_longer_than_article(lang)})"
    return re.compile(_quantity_pattern(lang, rf"(?!{bare})"), re.IGNORECASE)


@cache
def _quantity_screen(lang: str) -> re.Pattern[str]:
    """Where ``_quantity_re`` may start, for RE2 (``prefilter``): its superset would find every article,
    since look-aheads are dropped in translation. So: the pattern with number words that do not start
    with an article, or an article and what makes it more than one (consumed, as RE2 can read it)."""
    others = _alternation(w for w in WORDS[lang] if w not in ARTICLES)
    articles = rf"(?:{_articles(lang)})(?:{_longer_than_article(lang)})"
    led = rf"(?<![\w.,/:-])(?:(?:{_CURRENCY_PREFIX})\s?)?(?<!\w){articles}"
    return re.compile(rf"{_quantity_pattern(lang, lead=others)}|{led}", re.IGNORECASE)


@cache
def _quantities(lang: str) -> Guided:
    """The guided search for ``_quantity_re``, cached by language: a cache keyed by the patterns hashes
    their compiled code on every call, some 8 µs for this one."""
    return guided(_quantity_re(lang), _quantity_screen(lang))


@cache
def _screen(lang: str) -> Prefilter:
    """Which of the patterns ``find_quantities`` runs may match a text (``zoomcase.prefilter``)."""
    return prefilter([_REFERENCE, _DAY_OF_MONTH, _quantity_screen(lang)])


@cache
def _qualifier_re(lang: str) -> re.Pattern[str]:
    alts = _alternation(QUALIFIERS[lang]).replace("'", "['’]")
    return re.compile(rf"(?<!\w)(?P<q>{alts})\s*$", re.IGNORECASE)


@cache
def _qualifier_after_re(lang: str) -> re.Pattern[str]:
    words = _alternation(QUALIFIERS_AFTER.get(lang, {})) or "(?!)"
    return re.compile(rf"\s+(?P<q>{words})(?!\w)", re.IGNORECASE)


@cache
def _verb_before_re(lang: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_PRONOUNS[lang]})\s+$", re.IGNORECASE)


@cache
def _locale(lang: str) -> tuple[Locale, str, str]:
    """babel's locale with its group and decimal symbols (babel parses the locale name on every call)."""
    locale = Locale.parse(lang)
    return locale, get_group_symbol(locale), get_decimal_symbol(locale)


def _parse_digits(text: str, lang: str) -> Decimal:
    """Locale digits via babel; a lone foreign separator not followed by exactly three digits is a
    decimal mark ("2.5" in Dutch), with three digits a thousands separator ("1.234" in French)."""
    locale, group, decimal = _locale(lang)
    text = re.sub(r"[\s\u00a0\u202f']", group if group.isspace() else "", text)
    try:
        return parse_decimal(text, locale=locale, strict=True)
    except NumberFormatError:
        pass
    foreign = "," if decimal == "." else "."
    head, sep, tail = text.rpartition(foreign)
    if not sep or (text.count(foreign) > 1 and len(tail) != 3):
        raise ValueError(f"not a number in {lang}: {text!r}")
    plain = head.replace(group, "").replace(foreign, "")
    digits = plain + tail if len(tail) == 3 else f"{plain}.{tail}"
    if not digits.replace(".", "", 1).isdigit():
        raise ValueError(f"not a number in {lang}: {text!r}")
    return Decimal(digits)


_CONJUNCTIONS = re.compile(r"(?<!\w)(?:and|et)(?!\w)", re.IGNORECASE)


@cache
def _atom_re(lang: str) -> re.Pattern[str]:
    return re.compile(_alternation(WORDS[lang]), re.IGNORECASE)


def _parse_words(text: str, lang: str) -> int:
    """Combine number words: units and tens add, "hundred" multiplies what precedes, "thousand" closes
    a group ("tweehonderdduizend" = 200000)."""
    table = WORDS[lang]
    total = current = 0
    for atom in _atom_re(lang).findall(_CONJUNCTIONS.sub(" ", text)):
        value = table[atom.lower()]
        if value == 100:
            current = max(current, 1) * 100
        elif value == 1000:
            total += max(current, 1) * 1000
            current = 0
        else:
            current += value
    return total + current


def _value(m: re.Match[str], lang: str) -> tuple[float, bool]:
    """(value, approximate) of a _number_re match."""
    number = float(_parse_digits(m["digits"], lang) if m["digits"] else _parse_words(m["words"], lang))
    if m["sign"] and m["sign"] != "+":
        number = -number
    scale = (m["scale"] or "").rstrip(".")
    if not scale:
        return number, False
    key = scale.lower()
    return number * SCALES[key], key in DOZENS


def parse_number(text: str, lang: str) -> float:
    """The value of one number as written in ``lang``, digits or words, with an optional scale word:
    "240.000" (nl) -> 240000, "2,5 miljoen" -> 2500000, "quatre-vingt-dix" -> 90. Raises ValueError."""
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGS}")
    m = _number_re(lang).fullmatch(text.strip())
    if m is None or (m["words"] and m["words"].lower() in ARTICLES and not m["scale"]):
        raise ValueError(f"not a number in {lang}: {text!r}")
    return _value(m, lang)[0]


def _unit(m: re.Match[str]) -> str:
    if m["pct"]:
        return "%"
    if m["times"]:
        return "times"
    if m["pre"]:
        return CURRENCIES[re.sub(r"\s", "", m["pre"]).lower()]
    return next((g for g in (*_CURRENCY_WORDS, *_TIME_UNITS) if m[g]), "")


def _quantity(m: re.Match[str], text: str, lang: str) -> Quantity | None:
    """The Quantity of one match, or None when the words are an article or an ambiguous verb."""
    start, end = m.span()
    if m["ratio"]:
        word = m["ratio"].lower()
        value = next((v for stem, v in _RATIO_VALUES if stem in word), 2.0)
        unit, approximate, is_year = "times", False, False
    else:
        words = (m["words"] or "").lower()
        if words in ARTICLES and not m["scale"]:
            return None
        if words in AMBIGUOUS and (
            not re.match(r"\s+\w", text[end:]) or _verb_before_re(lang).search(text[:start])
        ):
            return None
        try:
            value, approximate = _value(m, lang)
        except ValueError:
            return None
        unit = _unit(m)
        is_year = (
            bool(m["digits"]) and m["digits"].isdigit() and len(m["digits"]) == 4
            and 1900 <= value <= 2100 and not (unit or m["scale"] or m["sign"] or m["pre"])
        )  # fmt: skip
    q = _qualifier_re(lang).search(text, max(0, start - 30), start)
    qualifier = QUALIFIERS[lang][re.sub(r"\s+", " ", q["q"].lower()).replace("’", "'")] if q else ""
    if q:
        start = q.start()
    elif after := _qualifier_after_re(lang).match(text, end):
        qualifier, end = QUALIFIERS_AFTER[lang][after["q"].lower()], after.end()
    if not qualifier and approximate:
        qualifier = "about"
    return Quantity(start, end, text[start:end], value, unit, qualifier, is_year)


def find_quantities(text: str, lang: str) -> list[Quantity]:
    """Every number in ``text`` with its scale, unit and qualifier, in order; never raises on any text
    in a supported language. Legal references, day numbers of dates and numbers glued to words are skipped;
    years come back with ``is_year=True``."""
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGS}")
    hits = _screen(lang).candidates(text)  # most sentences hold no legal reference or day of a month
    if 2 not in hits:
        return []
    blocked = Reach(
        m.span() for k, r in enumerate((_REFERENCE, _DAY_OF_MONTH)) if k in hits for m in r.finditer(text)
    )
    found: list[Quantity] = []
    for m in _quantities(lang).finditer(text):
        if blocked.furthest(m.end()) > m.start():  # overlaps a legal reference or a day of a month
            continue
        q = _quantity(m, text, lang)
        if q is not None:
            found.append(q)
    return found
