"""Character normalisation that remembers, for every output character, where it came from.

Every later step (sentences, dates, mentions, claims) works on normalised text but must report offsets into
the verbatim raw file, so a reader can always see the raw span beside the clean one. ``normalise`` therefore
returns, with the text, a ``source`` map: output character ``i`` came from ``raw[starts[i]:ends[i]]``.

The function is local: normalising any slice ``raw[a:b]`` that starts and ends on a sentence boundary gives
the same text as the corresponding slice of the normalised whole. The corpus tests rely on that.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from zoomcase.repairs import Repair, find_repairs

# Typographic quotes to ASCII: the corpus mixes “ ” ‘ ’ « » „ and straight quotes for the same purpose.
_QUOTES = {
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "‹": "'", "›": "'", "′": "'",
}  # fmt: skip
# Characters with no visible content: soft hyphen, zero-width space/joiners, BOM.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


@dataclass
class Normalised:
    """Normalised text with its map back to the raw string it came from."""

    text: str
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw offsets covering normalised ``text[start:end]`` (``end`` exclusive, non-empty span)."""
        return self.starts[start], self.ends[end - 1]


def _clusters(raw: str) -> list[tuple[int, int]]:
    """Split into base character + combining marks, so NFC can be applied without losing offsets."""
    bounds: list[tuple[int, int]] = []
    i = 0
    while i < len(raw):
        j = i + 1
        while j < len(raw) and unicodedata.combining(raw[j]):
            j += 1
        bounds.append((i, j))
        i = j
    return bounds


def normalise(raw: str, lang: str, offset: int = 0) -> Normalised:
    """NFC, ASCII quotes, spaces for every kind of white space (runs collapsed, ends stripped), then
    repairs of words the scrape glued together. ``offset`` is added to every source position, so a
    slice of a document maps straight to document offsets."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for a, b in _clusters(raw):
        piece = raw[a:b]
        if piece in _INVISIBLE:
            continue
        if piece.isspace():
            if chars and chars[-1] == " ":
                ends[-1] = b + offset
            elif chars:
                chars.append(" ")
                starts.append(a + offset)
                ends.append(b + offset)
            continue
        piece = _QUOTES.get(piece, piece)
        if b - a > 1:
            piece = unicodedata.normalize("NFC", piece)
        for ch in piece:
            chars.append(ch)
            starts.append(a + offset)
            ends.append(b + offset)
    if chars and chars[-1] == " ":
        chars.pop()
        starts.pop()
        ends.pop()
    return _apply_repairs(Normalised("".join(chars), starts, ends), lang)


def _apply_repairs(norm: Normalised, lang: str) -> Normalised:
    """Insert the spaces that ``find_repairs`` asks for; an inserted space maps to the raw gap
    between its neighbours. Repairs are reported with raw offsets."""
    repairs = find_repairs(norm.text, lang)
    if not repairs:
        return norm
    chars = list(norm.text)
    starts, ends = list(norm.starts), list(norm.ends)
    raw_repairs: list[Repair] = []
    for rep in sorted(repairs, key=lambda r: r.start, reverse=True):
        old, new = rep.original, rep.replacement
        # Walk both strings; every character of `new` not matched in `old` is an inserted space.
        new_starts: list[int] = []
        new_ends: list[int] = []
        k = 0
        for ch in new:
            if k < len(old) and ch == old[k]:
                new_starts.append(starts[rep.start + k])
                new_ends.append(ends[rep.start + k])
                k += 1
            else:
                gap = starts[rep.start + k]
                new_starts.append(gap)
                new_ends.append(gap)
        chars[rep.start : rep.end] = list(new)
        starts[rep.start : rep.end] = new_starts
        ends[rep.start : rep.end] = new_ends
        raw_repairs.append(
            Repair(
                start=norm.starts[rep.start],
                end=norm.ends[rep.end - 1],
                original=old,
                replacement=new,
                rule=rep.rule,
                evidence=rep.evidence,
            )
        )
    raw_repairs.reverse()
    return Normalised("".join(chars), starts, ends, raw_repairs)
