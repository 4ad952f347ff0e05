"""The run-by-run fast path of ``normalise`` gives exactly what the character walk gives."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from zoomcase import load_corpus
from zoomcase.normalise import _GAP_CHARS, _GAPS, _INVISIBLE, _plain, _walk

# Letters, typographic quotes, every kind of white space and invisible character the walk treats specially.
_ALPHABET = st.sampled_from(
    list("ab Zé’“”«»\u00a0\t\n\r\u2009\u3000\x1c") + sorted(_INVISIBLE) + ["\u2028", "x"]
)


def _same(raw: str, offset: int = 0) -> None:
    fast, slow = _plain(raw, offset), _walk(raw, [], offset)
    assert (fast.text, list(fast.starts), list(fast.ends)) == (slow.text, slow.starts, slow.ends), repr(raw)


@settings(max_examples=400, deadline=None)
@given(st.text(_ALPHABET, max_size=40), st.integers(0, 1000))
def test_fast_path_equals_the_walk(raw, offset):
    _same(raw, offset)


def test_fast_path_equals_the_walk_on_the_corpus():
    corpus = load_corpus()
    for doc in corpus.documents.itertuples():
        for line in doc.raw.splitlines():
            if "<" not in line and "&" not in line:
                _same(line, 17)


def test_gap_class_is_exactly_white_space_and_invisible_characters():
    """``\\s`` in ``re`` and ``str.isspace`` must agree for the run logic to match the walk."""
    gap = re.compile(f"[{_GAP_CHARS}]")
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        assert bool(gap.fullmatch(ch)) == (ch.isspace() or ch in _INVISIBLE), hex(cp)


def test_fast_path_shortcuts_hold_for_every_character():
    """``_plain`` strips with ``_GAPS`` and skips the gap search on printable text without "  ": both
    hold only if ``_GAPS`` is every gap character and no gap character but " " is printable."""
    gap = re.compile(f"[{_GAP_CHARS}]")
    every = [chr(cp) for cp in range(sys.maxunicode + 1) if gap.fullmatch(chr(cp))]
    assert sorted(_GAPS) == every
    assert [ch for ch in every if ch.isprintable()] == [" "]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["naarbuiten", "debeveiliging", "opvideo", "de", "gebruikers", "zoom,"]), max_size=60
    )
)
def test_glued_word_repairs_keep_every_offset(words):
    """Every kept character maps to itself in the raw text, every inserted space to the gap it fills, and
    each repair's raw span is its original: in one long paragraph with many repairs too."""
    from zoomcase.normalise import normalise

    raw = " ".join(words)
    norm = normalise(raw, "nl", offset=5)
    assert norm.text.replace(" ", "") == raw.replace(" ", "")
    for ch, a, b in zip(norm.text, norm.starts, norm.ends, strict=True):
        assert raw[a - 5 : b - 5] == ch if a < b else (ch == " " and a == b)
    glued = [r for r in norm.repairs if r.rule == "glued_words"]
    assert [raw[r.start - 5 : r.end - 5] for r in glued] == [r.original for r in glued]
    assert len(glued) == sum(w in {"naarbuiten", "debeveiliging", "opvideo"} for w in words)
