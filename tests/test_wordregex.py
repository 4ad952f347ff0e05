"""``WordRegex`` finds exactly what the look-behind form finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from zoomcase.mentions import load_actors
from zoomcase.wordregex import WordRegex

_PATTERNS = ["Zoom(?:\\s+Video)?", "(?-i:AVG)|foo\\s+bar", "a|ab|b", "x+", "[0-9]+", "é[ée]"]


def _slow(pattern: str, text: str, pos: int = 0) -> list[tuple[int, int]]:
    return [m.span() for m in re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.I).finditer(text, pos)]


def _fast(pattern: str, text: str, pos: int = 0) -> list[tuple[int, int]]:
    return [m.span() for m in WordRegex(pattern).finditer(text, pos)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*"abxZoméÉ _-1\u00a0", "Zoom Video", "foo bar"]), max_size=20),
    st.integers(0, 5),
)
def test_same_matches_as_the_look_behind_form(pieces, pos):
    text = "".join(pieces)
    for pattern in _PATTERNS:
        assert _fast(pattern, text, pos) == _slow(pattern, text, pos), (pattern, text)


def test_every_actor_pattern_on_a_crafted_text():
    text = "xZoom Zoom-CEO zoom in, the FTC's ftc FTCs AVG avg; New  York Attorney General GDPR-vereiste"
    for pattern in load_actors().pattern:
        assert _fast(pattern, text) == _slow(pattern, text), pattern


def test_search_and_pickling():
    import pickle

    regex = pickle.loads(pickle.dumps(WordRegex("(?-i:FTC)")))
    assert regex.search("xFTC ftc FTC").span() == (9, 12)
    assert regex.search("FTCx") is None
