"""Language detection: a cheap function-word screen first, lingua where the screen is not sure.

lingua is accurate on short sentences when its candidates are restricted to the languages a Zoom news
corpus plausibly holds, but it costs about a quarter of a millisecond per sentence; on a newsroom corpus
of 100k articles (two million sentences) it would dominate the load. Most sentences of a document are in
the document's language, and their function words say so: "het", "een", "niet" are Dutch and nothing
else among the candidates. So:

- a **document** whose function words are decisive (``DOC_MIN_HITS`` distinctive words, ``MIN_SHARE`` of
  them in one language) takes that language, with the share as its confidence; otherwise lingua decides;
- a **sentence** shorter than ``MIN_SENTENCE_CHARS`` inherits its document's language (confidence 0);
- a sentence whose function words confirm its document's language (``SENTENCE_MIN_HITS``, ``MIN_SHARE``)
  keeps it, with the share as its confidence. The screen never assigns a *different* language: every
  other sentence (a quoted English sentence in a Dutch article, a sentence with no function words) goes to
  lingua, which keeps the document's language unless it is at least ``MIN_CONFIDENCE`` sure.

The ``method`` of every decision ("function_words", "lingua", "document") is recorded beside it.
The screen's words are wordfreq's ``FUNCTION_WORDS_PER_LANGUAGE`` most frequent words of each candidate
that are not among the ``SHARED_WITHIN`` most frequent of any other ("de" and "en" are Dutch, French and
Spanish, so they do not count): mostly function words, plus a few very common content words ("jaar").
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import wordfreq
from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

CANDIDATES: tuple[str, ...] = ("nl", "en", "fr", "de", "es", "it")
# Below these, a sentence's own detection is too weak to override its document's language.
MIN_SENTENCE_CHARS = 25
MIN_CONFIDENCE = 0.6
# The function-word screen: list sizes and how much evidence it needs before it decides alone.
FUNCTION_WORDS_PER_LANGUAGE = 300
SHARED_WITHIN = 600
SENTENCE_MIN_HITS = 2
DOC_MIN_HITS = 10
MIN_SHARE = 0.9
METHODS = ("function_words", "lingua", "document")

_WORDS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Detected:
    """A language decision: ISO 639-1 code, confidence in [0, 1], and which evidence decided."""

    language: str
    confidence: float
    method: str


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    langs = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in CANDIDATES]
    return LanguageDetectorBuilder.from_languages(*langs).build()


@cache
def function_words() -> dict[str, str]:
    """word -> the one candidate language among whose frequent words it is (see the module doc)."""
    top = {lang: wordfreq.top_n_list(lang, SHARED_WITHIN) for lang in CANDIDATES}
    seen = Counter(w for words in top.values() for w in set(words))
    return {
        w: lang for lang, words in top.items() for w in words[:FUNCTION_WORDS_PER_LANGUAGE] if seen[w] == 1
    }


# A word is a run of letters (``_WORDS``). Text is cut into the same words as Latin-1 bytes, by
# ``bytes.translate`` and ``split`` in C, about three times faster than the regex: every byte that is not a
# letter becomes a space. A character beyond Latin-1 (typographic quotes, dashes, "€", "ł") is encoded as a
# space, or as "ª" if it is a letter: the words keep their bounds, and one with such a letter matches no
# function word, since none holds "ª" or a character beyond Latin-1 (else the regex is used).
_LATIN1_WORDS = bytes(b if _WORDS.fullmatch(chr(b)) else 0x20 for b in range(256))
_FOREIGN_LETTER = "\xaa"


def _beyond_latin1(error: UnicodeEncodeError) -> tuple[str, int]:
    run = error.object[error.start : error.end]
    return "".join(_FOREIGN_LETTER if _WORDS.fullmatch(ch) else " " for ch in run), error.end


codecs.register_error("zoomcase.words", _beyond_latin1)


@cache
def _latin1_function_words() -> dict[bytes, str] | None:
    """``function_words`` keyed by their Latin-1 bytes; None if that cannot stand for them (see above)."""
    words = function_words()
    if any(max(w) > "\xff" or _FOREIGN_LETTER in w for w in words):
        return None
    return {w.encode("latin-1"): lang for w, lang in words.items()}


def function_word_hits(text: str) -> list[str]:
    """The candidate language of each of ``text``'s words that is a function word, in text order. A list,
    not a ``Counter``: a sentence needs only its document language's count and the total, which
    ``list.count`` and ``len`` give in C (building a Counter cost more than cutting the words)."""
    low, table = text.lower(), _latin1_function_words()
    if table is None:
        return list(filter(None, map(function_words().get, _WORDS.findall(low))))
    # no Python loop per word
    words = low.encode("latin-1", "zoomcase.words").translate(_LATIN1_WORDS).split()
    return list(filter(None, map(table.get, words)))


def function_word_votes(text: str) -> Counter[str]:
    """How many of ``text``'s words are function words of each candidate language."""
    return Counter(function_word_hits(text))


def detect(text: str) -> tuple[str | None, float]:
    """lingua's (ISO 639-1 code, confidence) for ``text``; (None, 0.0) for text without letters."""
    values = _detector().compute_language_confidence_values(text)
    if not values or values[0].value == 0.0:
        return None, 0.0
    top = values[0]
    return top.language.iso_code_639_1.name.lower(), float(top.value)


def detect_document(text: str) -> Detected | None:
    """A document's language (None when no candidate language is found in it)."""
    votes = function_word_votes(text)
    if votes:
        (lang, hits), total = votes.most_common(1)[0], sum(votes.values())
        if hits >= DOC_MIN_HITS and hits / total >= MIN_SHARE:
            return Detected(lang, hits / total, "function_words")
    lang, confidence = detect(text)
    return None if lang is None else Detected(lang, confidence, "lingua")


def detect_sentence(text: str, document_language: str) -> Detected:
    """A sentence's language, falling back to the document's when the evidence is thin."""
    return _screened(text, document_language) or _by_lingua(text, document_language)


def _screened(text: str, document_language: str) -> Detected | None:
    """The decision for a short sentence or one whose function words confirm its document's language;
    None when lingua must decide."""
    if len(text) < MIN_SENTENCE_CHARS:
        return Detected(document_language, 0.0, "document")
    langs = function_word_hits(text)
    hits = langs.count(document_language)
    if hits >= SENTENCE_MIN_HITS and hits / len(langs) >= MIN_SHARE:
        return Detected(document_language, hits / len(langs), "function_words")
    return None


def _by_lingua(text: str, document_language: str) -> Detected:
    code, confidence = detect(text)
    if code is None or confidence < MIN_CONFIDENCE:
        return Detected(document_language, confidence, "document")
    return Detected(code, confidence, "lingua")


def detect_sentences(texts: Sequence[str], document_languages: Sequence[str]) -> list[Detected]:
    """``detect_sentence`` for each of ``texts`` with its document's language, for many documents at once.

    The screen decides first; lingua then takes the rest back to back, because its models are large and
    stay in the CPU's caches only while nothing else runs in between (on the benchmark corpus: 0.1 ms a
    sentence in one run, 0.3 ms when called between the other steps of parsing). One lingua call per
    sentence on purpose: lingua's ``*_in_parallel`` batch API is no faster per core here, and its thread
    pool would make the process unsafe to fork, which ``load_corpus`` does to parse on every core."""
    decided = [_screened(t, lang) for t, lang in zip(texts, document_languages, strict=True)]
    return [d or _by_lingua(t, lang) for d, t, lang in zip(decided, texts, document_languages, strict=True)]
