"""Sentence boundaries: the rules, and the short search for the word before a stop."""

from __future__ import annotations

import re
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from zoomcase import sentences
from zoomcase.sentences import _WORD_BEFORE, split_sentences


class _FromStart:
    """``_WORD_BEFORE`` searched from the start of the text, whatever position it is given."""

    def search(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
        return _WORD_BEFORE.search(text, 0, endpos)


def _reference(text: str) -> list[tuple[int, int]]:
    with patch.object(sentences, "_WORD_BEFORE", _FromStart()):
        return split_sentences(text)


def _texts(spans: list[tuple[int, int]], text: str) -> list[str]:
    return [text[a:b] for a, b in spans]


def test_stops_abbreviations_and_initials():
    text = 'Zoom grew. Volgens o.a. Reuters en E. Yuan steeg het aandeel! "Zo," zei hij. 300 miljoen... Echt?'
    assert _texts(split_sentences(text), text) == [
        "Zoom grew.",
        "Volgens o.a. Reuters en E. Yuan steeg het aandeel!",
        '"Zo," zei hij.',
        "300 miljoen...",
        "Echt?",
    ]


def test_no_stop_no_split():
    assert split_sentences("zoom zonder punt") == [(0, 16)]
    assert split_sentences("") == []


_WORDS = [
    "Zoom",
    "zoom",
    "o.a",
    "E",
    "nl",
    "x",
    "bijv",
    "m.a.w",
    "prof",
    "Inc",
    "3",
    "é",
    "_",
    '"Zo',
    "(Yuan",
]
_STOPS = ["", "", ".", "!", "?", "…", '."', ".)", "..."]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_WORDS), st.sampled_from(_STOPS), st.sampled_from([" ", " ", "\n", ""]))
    )
)
def test_same_spans_as_searching_from_the_start(words):
    text = "".join(w + stop + gap for w, stop, gap in words)
    assert split_sentences(text) == _reference(text), text
