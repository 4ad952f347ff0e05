"""Language detection with lingua, restricted to the languages a Zoom news corpus plausibly holds.

Restricting the candidate set makes lingua faster and far more accurate on short sentences than an
open-ended guess. Short or ambiguous sentences inherit their document's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

CANDIDATES: tuple[str, ...] = ("nl", "en", "fr", "de", "es", "it")
# Below these, a sentence's own detection is too weak to override its document's language.
MIN_SENTENCE_CHARS = 25
MIN_CONFIDENCE = 0.6


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    langs = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in CANDIDATES]
    return LanguageDetectorBuilder.from_languages(*langs).build()


def _top(values: list) -> tuple[str | None, float]:
    if not values or values[0].value == 0.0:
        return None, 0.0
    top = values[0]
    return top.language.iso_code_639_1.name.lower(), float(top.value)


def detect(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, confidence) of the most likely language; (None, 0.0) for text without letters."""
    return _top(_detector().compute_language_confidence_values(text))


def detect_sentence(text: str, document_language: str) -> tuple[str, float]:
    """A sentence's language, falling back to the document's when the evidence is thin."""
    if len(text) < MIN_SENTENCE_CHARS:
        return document_language, 0.0
    return _decide(detect(text), document_language)


def _decide(detected: tuple[str | None, float], document_language: str) -> tuple[str, float]:
    code, confidence = detected
    if code is None or confidence < MIN_CONFIDENCE:
        return document_language, confidence
    return code, confidence


def detect_sentences(texts: Sequence[str], document_language: str) -> list[tuple[str, float]]:
    """``detect_sentence`` for each of ``texts``.

    One lingua call per sentence on purpose: lingua's ``*_in_parallel`` batch API is no faster per core
    here (its cost is mostly per call), and its thread pool would make the process unsafe to fork, which
    ``load_corpus`` does to parse documents on every core."""
    return [detect_sentence(t, document_language) for t in texts]
