"""``spans.longest_first``: the bisection gives what comparing with every kept span gives."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from zoomcase.spans import Reach, longest_first


def _by_comparison(items):
    """The definition: keep an item unless it overlaps a longer (then earlier) one already kept."""
    taken = []
    for item in sorted(items, key=lambda s: (s.start - s.end, s.start)):
        if all(item.end <= t.start or item.start >= t.end for t in taken):
            taken.append(item)
    return sorted(taken, key=lambda s: s.start)


_SPANS = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 12)).map(
        lambda t: SimpleNamespace(start=t[0], end=t[0] + t[1])
    ),
    max_size=40,
)


@settings(max_examples=500, deadline=None)
@given(_SPANS)
def test_longest_first_equals_comparing_with_every_kept_span(items):
    assert [id(i) for i in longest_first(items)] == [id(i) for i in _by_comparison(items)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)), max_size=30), st.integers(-1, 75))
def test_reach_says_how_far_the_spans_starting_before_a_point_reach(spans, point):
    spans = [(a, a + n) for a, n in spans]
    expected = max((b for a, b in spans if a < point), default=-1)
    assert Reach(spans).furthest(point) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)), max_size=30),
    st.integers(0, 60),
    st.integers(0, 30),
)
def test_dates_within_a_sentence_are_found_by_bisection_as_by_filtering(spans, start, length):
    from zoomcase.claims import _dates_within

    dates = sorted(((a, a + n, "", None, "") for a, n in spans), key=lambda d: d[0])
    end = start + length
    assert _dates_within(dates, start, end) == [d for d in dates if start <= d[0] and d[1] <= end]
