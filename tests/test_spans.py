"""``spans.longest_first``: the bisection gives what comparing with every kept span gives."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from zoomcase.spans import longest_first


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
