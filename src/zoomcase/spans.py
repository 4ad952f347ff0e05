"""Spans of text: choosing among overlapping ones (the longest wins), and which spans cover a point."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from itertools import accumulate
from typing import Protocol, TypeVar


class _Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=_Span)


def longest_first(items: Iterable[S]) -> list[S]:
    """The items whose spans do not overlap a longer (then an earlier) item's, sorted by start.

    Each candidate is checked against the spans kept so far by bisection: they are disjoint, so in start
    order they are in end order too, and only the last one starting before the candidate ends can overlap
    it. Comparing with every kept span was quadratic, minutes on a long scraped paragraph."""
    kept: list[S] = []
    spans: list[tuple[int, int]] = []  # of the kept items, in start order
    for item in sorted(items, key=lambda s: (s.start - s.end, s.start)):
        k = bisect_left(spans, (item.end,))  # spans[:k] start before the item ends
        if k and spans[k - 1][1] > item.start:
            continue
        spans.insert(k, (item.start, item.end))
        kept.append(item)
    return sorted(kept, key=lambda s: s.start)


class Reach:
    """Spans sorted by start, with the furthest end reached so far: whether any span starting before a
    point reaches past another is one bisection, where checking every span made a long text quadratic."""

    __slots__ = ("ends", "starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.ends = list(accumulate((b for _, b in ordered), max))

    def furthest(self, before: int) -> int:
        """The furthest end of the spans that start before ``before``; -1 if none does."""
        k = bisect_left(self.starts, before)
        return self.ends[k - 1] if k else -1
