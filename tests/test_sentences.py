"""Sentence boundaries: the rules, and the short search for the word before a stop."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zoomcase.sentences import _ABBREVIATIONS, _BOUNDARY, _WORD_BEFORE, split_sentences


def _reference(text: str) -> list[tuple[int, int]]:
    """The splitter with the word before each stop searched from the start of the text."""
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        word = _WORD_BEFORE.search(text, 0, m.start())
        token = word.group(1).casefold().rstrip(".") if word else ""
        if m.group().startswith(".") and (token in _ABBREVIATIONS or len(token) == 1):
            continue
        spans.append((start, m.end()))
        start = m.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


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


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Zoom", "o.a", "E", "nl", "x", ".", "!", "?", "…", " ", "\n", '"', "(", "3", "é", "_"]
        )
    )
)
def test_same_spans_as_searching_from_the_start(pieces):
    text = "".join(pieces)
    assert split_sentences(text) == _reference(text), text
