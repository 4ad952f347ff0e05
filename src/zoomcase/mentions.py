"""Mentions of the case's actors (companies, people, media, regulators, courts, laws, lawsuits).

Matching is driven by the controlled vocabulary ``data/vocab/actors.csv`` (described by
``data/vocab/datapackage.json``): one row per (entity, pattern), so an entity can have one row per
language. Patterns are Python regexes compiled case-insensitively; a part that must keep its case
says so with a scoped ``(?-i:...)`` group (e.g. ``(?-i:AFP)``, ``(?-i:Motherboard)``). Every
pattern is matched on word boundaries (no word character directly before or after it).

Zoom: "Zoom", "Zoom Video Communications" and "Zoom Communications" (the Dutch article's slip)
are the company. A hyphen ends a word, so "Zoom-CEO", "Zoom-meetings" and "Zoom's" contain a
mention of Zoom (the span is "Zoom"): in Dutch such compounds name the company's chief or
product. "Zoombombing" is a term of its own and not a mention of Zoom; lowercase "zoom" before
"in"/"out"/"into" is the verb. Overlapping matches are resolved longest first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd

from zoomcase.prefilter import Prefilter, prefilter
from zoomcase.spans import longest_first
from zoomcase.vocab import read_vocab
from zoomcase.wordregex import WordRegex

__all__ = ["COLUMNS", "Mention", "find_mentions", "load_actors"]

COLUMNS = ["entity", "label", "type", "pattern", "lang", "note"]


@dataclass(frozen=True, slots=True)
class Mention:
    """One actor mention: ``text == source[start:end]``."""

    start: int
    end: int
    text: str
    entity: str
    label: str
    type: str


def load_actors(path: str | Path | None = None) -> pd.DataFrame:
    """The actors vocabulary (default: ``actors.csv`` in the vocab folder), all columns strings."""
    return read_vocab("actors.csv", COLUMNS, path)


_Rule = tuple[WordRegex, str, str, str, str]  # regex, entity, label, type, lang
_Rules = tuple[tuple[_Rule, ...], Prefilter]  # and which of them may match a text (zoomcase.prefilter)


@lru_cache(maxsize=16)
def _compile(rows: tuple[tuple[str, str, str, str, str], ...]) -> _Rules:
    """Compile a vocabulary once; keyed by its content so a caller's DataFrame is cached too."""
    rules = []
    for entity, label, type_, pattern, lang in rows:
        try:
            regex = WordRegex(pattern)
        except re.error as exc:
            raise ValueError(f"actors vocabulary: bad pattern for {entity!r}: {exc}") from exc
        rules.append((regex, entity, label, type_, lang))
    return tuple(rules), prefilter([rule[0].whole for rule in rules])


@cache
def _default_rules() -> _Rules:
    return _rules(load_actors())


def _rules(vocab: pd.DataFrame) -> _Rules:
    cols = ["entity", "label", "type", "pattern", "lang"]
    return _compile(tuple(vocab[cols].itertuples(index=False, name=None)))


def find_mentions(text: str, lang: str | None = None, vocab: pd.DataFrame | None = None) -> list[Mention]:
    """Actor mentions in ``text``, sorted by start, never overlapping (longest match wins).

    ``lang`` keeps the language-neutral rows plus those of that language (None: all rows);
    ``vocab`` defaults to :func:`load_actors`.
    """
    rules, screen = _default_rules() if vocab is None else _rules(vocab)
    found: list[Mention] = []
    for k in sorted(screen.candidates(text)):
        regex, entity, label, type_, rule_lang = rules[k]
        if lang is not None and rule_lang and rule_lang != lang:
            continue
        found += [Mention(m.start(), m.end(), m.group(0), entity, label, type_) for m in regex.finditer(text)]
    return longest_first(found)
