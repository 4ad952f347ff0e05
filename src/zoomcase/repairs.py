"""Find words and quotes that a scrape glued together, and propose the spaced-out text.

Scraping drops the space at markup boundaries ("naar<span>buiten" -> "naarbuiten"), but Dutch and
German write compounds as one word ("klantengegevens"), so "unknown word made of two known words"
is not enough. A token is split into ``a + b`` only if all of these hold (``zipf`` is wordfreq's
log10 frequency per billion words in the document's language):

1. **Gate.** Six or more letters, no digits, hyphens or URL punctuation, not all-caps, no inner
   capitals (``ePrivacy``), and not a capitalised word inside a sentence: names are missing from
   frequency lists, so their rarity says nothing.
2. **Rarity.** The token is unknown to wordfreq, or at least ``RARER_BY`` zipf (~1800x) rarer
   than the rarer of its two parts: an established compound ("voorhouden", "opwaaien") is itself
   frequent enough to fail this.
3. **Real parts.** Both parts have two or more letters and a zipf of at least ``MIN_PART_ZIPF``.
4. **Not compounding**, by one of two routes:

   - *function word*: one part is among the language's ``FUNCTION_TOP_N`` most frequent words
     (``wordfreq.top_n_list``: articles, prepositions, pronouns, common adverbs) and the other is
     a common word. Those words head no compound, and the ones that make particle verbs
     ("voorhouden") are stopped by rule 2. "de|beveiliging", "op|video", "naar|buiten".
   - *no compound head*: ``b`` never ends a longer word in the language's wordfreq vocabulary
     (determiners, inflected verbs: "enkele", "doorstuurde"), ``a`` is common, and neither part
     is also a common English word: English loans ("privacy", "uploads") are too recent to be
     attested as heads, yet Dutch compounds them freely ("gegevensprivacy", "gebruikersuploads").
     "alweer|enkele", "gebruikers|doorstuurde".

If several splits qualify, the one whose rarer part is most frequent wins. A straight double quote
glued between two letters is split on the side its pair implies (``de"Service Generated Data"`` ->
``de "Service``); an ambiguous one is left alone.

Measured on the project corpus (2279 word tokens in five nl/en/fr articles): exactly the five
glued words are split and no compound is. Limits: the thresholds are tuned on that corpus; two
glued content words whose right part is a compound head elsewhere (e.g. "gebruikersgegevens" typed
for "gebruikers gegevens") cannot be told from a compound with unigram frequencies; glue with a
single-letter word ("a", "y", "à") or a name is not found; only one space is inserted per token;
languages written without spaces (zh, ja) and languages wordfreq does not know get no word repairs.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from wordfreq import available_languages, get_frequency_dict, top_n_list, zipf_frequency

MIN_LETTERS = 6
MIN_PART_LETTERS = 2
MIN_PART_ZIPF = 2.0
COMMON_ZIPF = 4.0
RARER_BY = 3.25
FUNCTION_TOP_N = 100
LOAN_LANG = "en"
LOAN_ZIPF = 3.0
UNSPACED_LANGS = frozenset({"ja", "zh"})

# Letters only, at least MIN_LETTERS of them; a neighbouring hyphen, digit, "/", "@" or a dot inside a
# host name rules it out. (A shorter match cannot hide in a longer word: the look-ahead rejects a letter.)
_WORD = re.compile(rf"(?<![\w./@-])[^\W\d_]{{{MIN_LETTERS},}}(?![\w/@-]|\.\w)")
_SENTENCE_END = re.compile(r"""[.!?]["')]?\s""")
_OPENERS = frozenset(".!?:;\"'(")
_GLUED_QUOTE = re.compile(r'[^\W\d_]+"[^\W\d_]+')
_QUOTE_BETWEEN_LETTERS = re.compile(r'[^\W\d_]"[^\W\d_]')  # in every _GLUED_QUOTE match


@dataclass(frozen=True)
class Repair:
    """One glued token: ``text[start:end] == original`` becomes ``replacement``."""

    start: int
    end: int
    original: str
    replacement: str
    rule: str
    evidence: str


@lru_cache(maxsize=1_000_000)
def _zipf(word: str, lang: str) -> float:
    return zipf_frequency(word, lang)


@lru_cache(maxsize=64)
def _has_words(lang: str) -> bool:
    """wordfreq knows ``lang`` and it is written with spaces (cached: wordfreq globs its data folder)."""
    return lang in available_languages() and lang not in UNSPACED_LANGS


@lru_cache(maxsize=64)
def _function_words(lang: str) -> frozenset[str]:
    return frozenset(top_n_list(lang, FUNCTION_TOP_N))


@lru_cache(maxsize=8)
def _reversed_vocabulary(lang: str) -> tuple[str, ...]:
    """The vocabulary spelled backwards and sorted, so "words ending in b" is a bisect range."""
    return tuple(sorted(word[::-1] for word in get_frequency_dict(lang)))


@lru_cache(maxsize=100_000)
def _heads_a_compound(word: str, lang: str) -> bool:
    """True if some longer vocabulary word ends in ``word`` (it is attested as a compound head)."""
    vocabulary = _reversed_vocabulary(lang)
    key = word[::-1]
    first = bisect.bisect_left(vocabulary, key)
    last = bisect.bisect_left(vocabulary, key + "\U0010ffff")
    return any(len(vocabulary[i]) > len(word) for i in range(first, last))


def _is_loan(word: str, lang: str) -> bool:
    return lang != LOAN_LANG and _zipf(word, LOAN_LANG) >= LOAN_ZIPF


@lru_cache(maxsize=200_000)
def _best_split(word: str, lang: str) -> tuple[int, str] | None:
    """Where to split lower-case ``word`` and why, or None if it should stay whole."""
    whole = _zipf(word, lang)
    function_words = _function_words(lang)
    best: tuple[float, int, str] | None = None
    for cut in range(MIN_PART_LETTERS, len(word) - MIN_PART_LETTERS + 1):
        left, right = word[:cut], word[cut:]
        z_left, z_right = _zipf(left, lang), _zipf(right, lang)
        rarer = min(z_left, z_right)
        if rarer < MIN_PART_ZIPF or (whole > 0 and rarer - whole < RARER_BY):
            continue
        if (left in function_words and z_right >= COMMON_ZIPF) or (
            right in function_words and z_left >= COMMON_ZIPF
        ):
            why = "function word"
        elif (
            z_left >= COMMON_ZIPF
            and not _is_loan(left, lang)
            and not _is_loan(right, lang)
            and not _heads_a_compound(right, lang)
        ):
            why = f"{right} heads no compound"
        else:
            continue
        if best is None or rarer > best[0]:
            status = f"zipf {whole:.1f}" if whole else "unknown (zipf 0.0)"
            evidence = f"{word}: {status}; {left} {z_left:.1f} + {right} {z_right:.1f}; {why}"
            best = (rarer, cut, evidence)
    return None if best is None else best[1:]


def _looks_like_name(text: str, start: int, token: str) -> bool:
    """A capitalised word not at the start of the text, a sentence, a quote or a bracket."""
    before = text[max(0, start - 4) : start].rstrip()
    return token[0].isupper() and bool(before) and before[-1] not in _OPENERS


@lru_cache(maxsize=200_000)
def _token_split(token: str, lang: str) -> tuple[int, str] | None:
    """``_best_split`` for a token that passes the gate's spelling rules (not all-caps, no inner
    capitals); the position rule (names) is the caller's."""
    if token.isupper() or any(c.isupper() for c in token[1:]):
        return None
    return _best_split(token.lower(), lang)


# Per language, the white-space-delimited tokens already found to hold no glued word: nearly every token
# of a text is one, and a set difference (in C) rules them all out at once, where even the simplest
# Unicode word regex costs some 25 ns a character. Exact, because a ``_WORD`` match never holds white
# space and is a maximal run of letters, so it is one of the letter runs of one such token.
_CLEAN: dict[str, set[str]] = {}
_CLEAN_MAX = 500_000
_LETTER_RUN = re.compile(rf"[^\W\d_]{{{MIN_LETTERS},}}")


def _may_be_glued(text: str, lang: str) -> bool:
    clean = _CLEAN.setdefault(lang, set())
    tokens = text.split()
    if clean.issuperset(tokens):  # every token known to be clean: no set of them to build
        return False
    unknown = set(tokens).difference(clean)
    if len(clean) + len(unknown) > _CLEAN_MAX:
        clean.clear()
    glued = False
    for token in unknown:
        if any(_token_split(run, lang) is not None for run in _LETTER_RUN.findall(token)):
            glued = True
        else:
            clean.add(token)
    return glued


def _word_repairs(text: str, lang: str) -> list[Repair]:
    if not _has_words(lang) or not _may_be_glued(text, lang):
        return []
    return _scan_words(text, lang)


def _scan_words(text: str, lang: str) -> list[Repair]:
    """Every gated token of ``text`` that ``_token_split`` splits, but a name."""
    repairs = []
    for match in _WORD.finditer(text):
        token = match.group()
        split = _token_split(token, lang)
        if split is not None and not _looks_like_name(text, match.start(), token):
            cut, evidence = split
            repairs.append(
                Repair(
                    match.start(),
                    match.end(),
                    token,
                    f"{token[:cut]} {token[cut:]}",
                    "glued_words",
                    evidence,
                )
            )
    return repairs


def _quote_between_letters(text: str) -> bool:
    """``_QUOTE_BETWEEN_LETTERS.search(text)``, tried only at the quotes (found by ``str.find``): a regex
    without a literal to look for tries every character."""
    at = text.find('"', 1)
    while at != -1:
        if _QUOTE_BETWEEN_LETTERS.match(text, at - 1):
            return True
        at = text.find('"', at + 1)
    return False


def _quote_repairs(text: str) -> list[Repair]:
    """Split ``a"b`` before the quote if it opens a pair, after it if it closes one.

    It opens if the next quote in its sentence looks closing (no letter after it) and the previous
    one does not look opening (a letter before it, or none); closing is the mirror image. Anything
    else is ambiguous and left alone. Looking no further than the sentence keeps the result the
    same whether a sentence or its whole paragraph is normalised.
    """
    if not _quote_between_letters(text):  # most text: no need for the slow scan
        return []
    repairs = []
    # Where sentences end, found once: the matches before a quote are those that end by it (a match is
    # fixed by where it starts), so searching from the text's start again for every quote, quadratic in
    # a long paragraph, is not needed.
    stops = [m.end() for m in _SENTENCE_END.finditer(text)]
    for match in _GLUED_QUOTE.finditer(text):
        token = match.group()
        at = match.start() + token.index('"')
        ahead = _SENTENCE_END.search(text, at)
        k = bisect.bisect_right(stops, at)
        before = text.rfind('"', stops[k - 1] if k else 0, at)
        after = text.find('"', at + 1, ahead.end() if ahead else len(text))
        closes_next = after != -1 and not text[after + 1 : after + 2].isalpha()
        opened_before = before > 0 and not text[before - 1].isalpha()
        if closes_next == opened_before:
            continue
        cut = at - match.start() + (0 if closes_next else 1)
        # The pair's distance, not its offset: an offset here would count from the paragraph's start.
        role, pair = (
            ("opening", f"{after - at} characters after")
            if closes_next
            else ("closing", f"{at - before} characters before")
        )
        repairs.append(
            Repair(
                match.start(),
                match.end(),
                token,
                f"{token[:cut]} {token[cut:]}",
                "glued_quote",
                f"{role} quote between letters; its pair is {pair} it",
            )
        )
    return repairs


def find_repairs(text: str, lang: str) -> list[Repair]:
    """Glued words (in ``lang``, an ISO 639-1 code) and glued quotes in ``text``, by offset.

    ``text`` must already be character-normalised (NFC, straight quotes, single spaces).
    """
    return sorted(_word_repairs(text, lang) + _quote_repairs(text), key=lambda r: r.start)
