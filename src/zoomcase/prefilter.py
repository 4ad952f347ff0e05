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
  repeats become plain ones: both only widen what matches. The exception is a look-around of one
  character at an edge of the pattern, a look-behind before its start or a look-ahead after its end
  (``(?<!\\w)``, ``(?!\\w)``: the vocabularies' whole-word rule): it becomes that character, consumed
  (``(?:^|\\W)``), so that "zoom" in "zoomed" is ruled out; the match may then start a character earlier
  or end one later, which does not matter to either use below;
- a back-reference becomes the superset of the group it names (it repeats text that group matched), under
  the back-reference's case folding if that is wider;
- a pattern that cannot be translated (conditionals, a reference to a group not closed before it) is
  always run, and so is every pattern on a text RE2 cannot take (lone surrogates).

The translation reads Python's parse tree (``re._parser``), which is private to CPython;
``tests/test_prefilter.py`` checks the superset property on every vocabulary and on generated texts.

The same translation also says *where* a pattern can match: ``Guided.finditer`` lets RE2 find the next
place where the superset matches and starts Python's search there, so ``re`` (some 25-90 ns a character
with Unicode classes) never scans the stretches in between. Python's next match cannot start before
that place, and a search from a position still sees the text before it, so the matches are those of
``pattern.finditer``.
"""

from __future__ import annotations

import itertools
import re
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from functools import cache, lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

import re2

__all__ = ["Guided", "Prefilter", "guided", "prefilter", "superset"]

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
# The C layer of google-re2 (``_regexp.Match``, ``_set.Match``) is called directly on UTF-8 bytes where a
# call per sentence made the Python wrapper's checks and match objects cost more than the search itself.
_UNANCHORED = re2._Anchor.UNANCHORED


class _Untranslatable(Exception):
    """The pattern uses something RE2 has no superset for."""


_SURROGATES = (0xD800, 0xDFFF)


@cache
def _all_characters() -> str:
    """Every code point UTF-8 can carry (no surrogates), in order; built from UTF-32 bytes, not a million
    one-character strings (which would cost some 100 MB at their peak)."""
    points = array("I", range(_SURROGATES[0]))
    points.extend(range(_SURROGATES[1] + 1, 0x110000))
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
    return _ranges_class(_runs(source, flags, members))


def _ranges_class(runs: Iterable[tuple[int, int]]) -> str:
    """The RE2 class of the characters in the (first, last) code point ``runs``."""
    ranges: list[list[int]] = []
    for a, b in sorted(runs):
        if ranges and a <= ranges[-1][1] + 1:
            ranges[-1][1] = max(b, ranges[-1][1])
        else:
            ranges.append([a, b])
    if not ranges:
        return _NEVER
    return "[" + "".join(rf"\x{{{a:x}}}" + (rf"-\x{{{b:x}}}" if b > a else "") for a, b in ranges) + "]"


@cache
def _rejected_or_beyond_ascii(source: str, flags: int) -> str:
    """The RE2 class of the ASCII characters that the one-character ``source`` does not match, and of
    every character beyond ASCII: the character a negative edge look-around lets through, widened. The
    exact class (all but the word characters, for ``(?!\\w)``) holds hundreds of ranges of code points,
    and each pattern of a ``Set`` opening and closing with one made RE2 three times slower; a letter
    beyond ASCII beside a word (rare) now only makes a candidate that Python then rules out."""
    rejected = [(p, p) for p in range(0x80) if not re.fullmatch(source, chr(p), flags)]
    return _ranges_class([*rejected, (0x80, 0x10FFFF)])


def _runs(source: str, flags: int, members: str | None) -> Iterator[tuple[int, int]]:
    """First and last code points of runs of characters that ``source`` matches. Among all characters
    (in code point order), a run of matches is one Python match of ``(?:source)+``: a few hundred for
    ``\\w``, where a match per character took a second per worker at start-up."""
    if members is not None:
        yield from ((p, p) for p in map(ord, re.findall(source, members + _cased(), flags)))
        return
    for m in re.finditer(f"(?:{source})+", _all_characters(), flags):
        a, b = ord(m.group()[0]), ord(m.group()[-1])
        if a < _SURROGATES[0] and b > _SURROGATES[1]:  # not in the text, so not in the run: split it
            yield a, _SURROGATES[0] - 1
            a = _SURROGATES[1] + 1
        yield a, b


def _source(op: int, av) -> tuple[str, str | None]:
    """Python source of a one-character item, and the characters to test it on (None: all of them)."""
    if op is sre.LITERAL:
        return re.escape(chr(av)), chr(av)
    if op is sre.NOT_LITERAL:
        return f"[^{re.escape(chr(av))}]", None
    if op is sre.ANY:
        return ".", None
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
    return f"[{''.join(parts)}]", None if wide else "".join(members)


def _item(op: int, av, flags: int) -> str:
    """One character's RE2 class."""
    if op is sre.ANY:  # exact in RE2's own terms, and far cheaper than a class of a million characters
        return "(?s:.)" if flags & re.DOTALL else r"[^\n]"
    source, members = _source(op, av)
    return _class(source, flags, members)


def _edge(op: int, av, flags: int, side: int) -> str | None:
    """For a look-around at the edge of the pattern (behind its start: ``side`` -1, after its end: +1) that
    tests one character: an RE2 item that consumes that character if it passes (or meets the edge of the
    text). Matches then start a character earlier or end one later, which a superset may do."""
    if op not in (sre.ASSERT, sre.ASSERT_NOT) or av[0] != side:
        return None
    body = list(av[1])
    if len(body) != 1 or body[0][0] not in (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN):
        return None
    if op is sre.ASSERT:
        return _item(*body[0], flags)
    source = _source(*body[0])[0]
    return ("(?:^|" if side < 0 else "(?:$|") + _rejected_or_beyond_ascii(source, flags) + ")"


def _count(low: int, high: int) -> str:
    low = min(low, _MAX_COUNT)
    return f"{{{low},}}" if high > _MAX_COUNT else f"{{{low},{high}}}"  # MAXREPEAT (no bound) too


def _emit(pattern, flags: int, groups: dict[int, tuple], lead: bool = False, trail: bool = False) -> str:
    """RE2 text for a parsed (sub)pattern; ``groups``: the closed groups so far, number -> (parse, flags),
    for the back-references after them. ``lead``/``trail``: the (sub)pattern starts/ends every match
    through it, so one look-behind before its first character / look-ahead after its last may become
    an ``_edge`` (one per side on any path through the pattern)."""
    items = list(pattern)
    consuming = [i for i, (op, _) in enumerate(items) if op not in _ZERO_WIDTH]
    first, last = (consuming[0], consuming[-1]) if consuming else (len(items), -1)
    edges: dict[int, str] = {}
    for side, span in ((-1, range(first) if lead else ()), (1, range(last + 1, len(items)) if trail else ())):
        for i in span:
            if i not in edges and (edge := _edge(*items[i], flags & _FLAGS, side)) is not None:
                edges[i] = edge
                lead, trail = (False, trail) if side < 0 else (lead, False)
                break
    out = []
    for i, (op, av) in enumerate(items):
        ends = (lead and i == first, trail and i == last)
        if i in edges:
            out.append(edges[i])
        elif op in (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN):
            out.append(_item(op, av, flags & _FLAGS))
        elif op is sre.BRANCH:
            out.append("(?:" + "|".join(_emit(branch, flags, groups, *ends) for branch in av[1]) + ")")
        elif op is sre.SUBPATTERN:
            group, add, remove, sub = av
            inner = (flags | add) & ~remove
            out.append("(?:" + _emit(sub, inner, groups, *ends) + ")")
            if group is not None:
                groups[group] = (sub, inner)
        elif op in _REPEATS:
            low, high, sub = av
            out.append(f"(?:{_emit(sub, flags, groups)}){_count(low, high)}")
        elif op is sre.ATOMIC_GROUP:
            out.append("(?:" + _emit(av, flags, groups, *ends) + ")")
        elif op is sre.GROUPREF and av in groups:
            sub, inner = groups[av]
            out.append("(?:" + _emit(sub, inner | (flags & re.IGNORECASE), groups) + ")")
        elif op not in _ZERO_WIDTH:
            raise _Untranslatable(op)
    return "".join(out)


def superset(pattern: str, flags: int = 0) -> str | None:
    """An RE2 pattern that matches wherever the Python ``pattern`` does, or None if there is none."""
    try:
        parsed = sre_parse.parse(pattern, flags)
        return _emit(parsed, parsed.state.flags, {}, lead=True, trail=True)
    except (_Untranslatable, re.error):
        return None


def _options() -> re2.Options:
    """RE2's options here: a memory budget (a pattern over it is run by Python instead), no logging."""
    options = re2.Options()
    options.max_mem = 64 << 20
    options.log_errors = False
    return options


class Prefilter:
    """``candidates(text)``: the indices of ``patterns`` that may match in ``text`` (a superset of those
    that do). None entries never match. Make one with :func:`prefilter`, which caches it per process."""

    __slots__ = ("_always", "_ids", "_set", "key")

    def __init__(self, key: tuple[tuple[str, int] | None, ...]) -> None:
        self.key = key
        rset = re2.Set.SearchSet(_options())
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
            hits = self._set._set.Match(text.encode("utf-8"))  # the C layer (see _UNANCHORED)
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


class Guided:
    """``pattern.finditer`` with the stretches where it cannot match skipped by RE2 (see the module doc).
    ``screen`` (default: ``pattern``) is the pattern whose RE2 superset finds the places: it must match
    wherever ``pattern`` does, and may be narrower than ``pattern``'s own superset where that is too wide
    (a look-ahead that rules out common words is dropped in translation). Make one with :func:`guided`,
    which caches it per process."""

    __slots__ = ("_re2", "pattern", "screen")

    def __init__(self, pattern: re.Pattern[str], screen: re.Pattern[str] | None = None) -> None:
        self.pattern, self.screen = pattern, screen
        source = screen or pattern
        translated = superset(source.pattern, source.flags & ~re.UNICODE)
        compiled = None
        if translated is not None:
            try:
                compiled = re2.compile(translated, _options())
            except re2.error:
                compiled = None
        # A pattern that may match the empty string would need finditer's rules for empty matches.
        self._re2 = None if compiled is None or compiled.fullmatch("") is not None else compiled

    def __reduce__(self):
        return (guided, (self.pattern, self.screen))

    def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match[str]]:
        if self._re2 is None:
            yield from self.pattern.finditer(text, pos)
            return
        try:
            data = text.encode("utf-8")  # bytes: RE2 reads them without the wrapper's offset bookkeeping
        except UnicodeEncodeError:  # lone surrogates
            yield from self.pattern.finditer(text, pos)
            return
        ascii = len(data) == len(text)
        search = self._re2._regexp.Match  # RE2 itself: the wrapper's bookkeeping per call cost more
        # A character offset and its byte offset, moved forward with the search: each stretch of text is
        # converted once (converting from the start every time was quadratic in a long paragraph).
        char = byte = 0
        at = pos  # in characters
        found = 0  # matches yielded, each also finditer's
        while True:
            begin = max(0, at - 1)  # a character early: the superset's match may hold the one before Python's
            byte += begin - char if ascii else len(text[char:begin].encode())
            char = begin
            start = search(_UNANCHORED, data, byte, len(data))[0][0]
            if start == -1:
                return
            char += start - byte if ascii else len(data[byte:start].decode("utf-8"))
            byte = start
            m = self.pattern.search(text, max(char, at))
            if m is None:
                return
            if m.end() == m.start():  # an empty match (the superset cannot tell: an edge became a character)
                # finditer's rules for what may follow it are its own: take its matches from here on
                yield from itertools.islice(self.pattern.finditer(text, pos), found, None)
                return
            yield m
            found += 1
            at = m.end()


@lru_cache(maxsize=256)
def guided(pattern: re.Pattern[str], screen: re.Pattern[str] | None = None) -> Guided:
    """The (cached) ``Guided`` finditer of a compiled Python pattern (``screen``: see ``Guided``)."""
    return Guided(pattern, screen)
