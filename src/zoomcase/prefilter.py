"""Which of many regexes can match a text, found in one pass over it.

The vocabularies (actors, metric cues and contexts, date forms) are dozens of Python regexes tried on every
sentence or paragraph, and nearly all of them fail: on the benchmark corpus a sentence matches about 1 of
the 115 metric patterns. RE2's ``Set`` tells in one linear pass which patterns of a set match anywhere in a
text; zoomcase then runs only those Python regexes, so the results are exactly what running all of them
gives. That holds because each Python pattern is translated into an RE2 pattern that matches *at least*
what it matches:

- every one-character item (a literal, a class, ``\\s``) becomes the explicit set of code points
  that Python's own ``re`` accepts for it under its flags, case folding included (computed by running
  ``re`` over the candidate characters, once per item and process);
- zero-width assertions (``\\b``, look-arounds, anchors) are dropped and atomic groups and possessive
  repeats become plain ones: both only widen what matches;
- a pattern that cannot be translated (back-references, conditionals) is always run, and so is every
  pattern on a text RE2 cannot take (lone surrogates).

The translation reads Python's parse tree (``re._parser``), which is private to CPython;
``tests/test_prefilter.py`` checks the superset property on every vocabulary and on generated texts.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Sequence
from functools import cache, lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

import re2

__all__ = ["Prefilter", "prefilter", "superset"]

_MAX_COUNT = 1000  # RE2's largest repeat count
_FLAGS = re.IGNORECASE | re.ASCII | re.DOTALL  # the flags that change what one character matches
_WIDE_RANGE = 512  # a class range longer than this is evaluated over all characters
_CATEGORIES = {
    sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W", sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D",
}  # fmt: skip
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_NEVER = r"[^\x{0}-\x{10FFFF}]"


class _Untranslatable(Exception):
    """The pattern uses something RE2 has no superset for."""


@cache
def _all_characters() -> str:
    """Every code point UTF-8 can carry (no surrogates), in order; built from UTF-32 bytes, not a million
    one-character strings (which would cost some 100 MB at their peak)."""
    points = array("I", range(0xD800))
    points.extend(range(0xE000, 0x110000))
    return points.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")


@cache
def _cased() -> str:
    """Every character that case-insensitive matching can tie to another one: those whose lower or
    upper case differs from them, and the characters of those cases."""
    related: set[str] = set()
    for ch in _all_characters():
        lower, upper = ch.lower(), ch.upper()
        if lower != ch or upper != ch:
            related.update(ch, lower, upper)
    return "".join(sorted(related))


@cache
def _class(source: str, flags: int, members: str | None) -> str:
    """The RE2 class of the characters Python's ``re`` matches with the one-character ``source``:
    searched among ``members`` and their case relatives, or among all characters when None."""
    universe = _all_characters() if members is None else members + _cased()
    points = sorted({ord(m.group()) for m in re.finditer(source, universe, flags)})
    if not points:
        return _NEVER
    ranges: list[list[int]] = []
    for p in points:
        if ranges and p == ranges[-1][1] + 1:
            ranges[-1][1] = p
        else:
            ranges.append([p, p])
    return "[" + "".join(rf"\x{{{a:x}}}" + (rf"-\x{{{b:x}}}" if b > a else "") for a, b in ranges) + "]"


def _item(op: int, av, flags: int) -> str:
    """One character's RE2 class."""
    if op is sre.LITERAL:
        return _class(re.escape(chr(av)), flags, chr(av))
    if op is sre.NOT_LITERAL:
        return _class(f"[^{re.escape(chr(av))}]", flags, None)
    if op is sre.ANY:  # exact in RE2's own terms, and far cheaper than a class of a million characters
        return "(?s:.)" if flags & re.DOTALL else r"[^\n]"
    parts, members, wide = [], [], False
    for kind, value in av:
        if kind is sre.LITERAL:
            parts.append(re.escape(chr(value)))
            members.append(chr(value))
        elif kind is sre.RANGE:
            a, b = value
            parts.append(f"{re.escape(chr(a))}-{re.escape(chr(b))}")
            members += map(chr, range(a, b + 1)) if b - a <= _WIDE_RANGE else []
            wide |= b - a > _WIDE_RANGE
        elif kind is sre.NEGATE:
            parts.insert(0, "^")
            wide = True
        elif kind is sre.CATEGORY and value in _CATEGORIES:
            parts.append(_CATEGORIES[value])
            wide = True
        else:
            raise _Untranslatable(kind)
    return _class(f"[{''.join(parts)}]", flags, None if wide else "".join(members))


def _count(low: int, high: int) -> str:
    low = min(low, _MAX_COUNT)
    return f"{{{low},}}" if high > _MAX_COUNT else f"{{{low},{high}}}"  # MAXREPEAT (no bound) too


def _emit(pattern, flags: int) -> str:
    out = []
    for op, av in pattern:
        if op in (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN):
            out.append(_item(op, av, flags & _FLAGS))
        elif op is sre.BRANCH:
            out.append("(?:" + "|".join(_emit(branch, flags) for branch in av[1]) + ")")
        elif op is sre.SUBPATTERN:
            _, add, remove, sub = av
            out.append("(?:" + _emit(sub, (flags | add) & ~remove) + ")")
        elif op in _REPEATS:
            low, high, sub = av
            out.append(f"(?:{_emit(sub, flags)}){_count(low, high)}")
        elif op is sre.ATOMIC_GROUP:
            out.append("(?:" + _emit(av, flags) + ")")
        elif op not in _ZERO_WIDTH:
            raise _Untranslatable(op)
    return "".join(out)


def superset(pattern: str, flags: int = 0) -> str | None:
    """An RE2 pattern that matches wherever the Python ``pattern`` does, or None if there is none."""
    try:
        parsed = sre_parse.parse(pattern, flags)
        return _emit(parsed, parsed.state.flags)
    except (_Untranslatable, re.error):
        return None


class Prefilter:
    """``candidates(text)``: the indices of ``patterns`` that may match in ``text`` (a superset of those
    that do). None entries never match. Make one with :func:`prefilter`, which caches it per process."""

    __slots__ = ("_always", "_ids", "_set", "key")

    def __init__(self, key: tuple[tuple[str, int] | None, ...]) -> None:
        self.key = key
        options = re2.Options()
        options.max_mem = 64 << 20
        options.log_errors = False
        rset = re2.Set.SearchSet(options)
        self._ids: list[int] = []  # RE2's index -> pattern index
        self._always = {k for k, item in enumerate(key) if item is not None}
        for k, item in enumerate(key):
            translated = None if item is None else superset(*item)
            if translated is not None and _added(rset, translated):
                self._ids.append(k)
                self._always.discard(k)
        self._set = rset if self._ids and _compiled(rset) else None
        if self._set is None:
            self._always.update(self._ids)

    def __reduce__(self):  # unpickles to the process's cached instance: compiled once per worker
        return (_cached, (self.key,))

    def candidates(self, text: str) -> set[int]:
        if self._set is None:
            return set(self._always)
        try:
            hits = self._set.Match(text)
        except UnicodeEncodeError:  # lone surrogates: RE2 reads UTF-8 only
            return self._always.union(self._ids)
        return self._always.union([self._ids[h] for h in hits] if hits else ())


def _added(rset: re2.Set, pattern: str) -> bool:
    try:
        rset.Add(pattern)
    except re2.error:
        return False
    return True


def _compiled(rset: re2.Set) -> bool:
    try:
        rset.Compile()
    except re2.error:  # over RE2's memory budget: run every pattern
        return False
    return True


@lru_cache(maxsize=64)
def _cached(key: tuple[tuple[str, int] | None, ...]) -> Prefilter:
    return Prefilter(key)


def prefilter(patterns: Sequence[re.Pattern[str] | None]) -> Prefilter:
    """The (cached) prefilter of compiled Python patterns, each with its own flags."""
    return _cached(tuple(None if p is None else (p.pattern, p.flags & ~re.UNICODE) for p in patterns))
