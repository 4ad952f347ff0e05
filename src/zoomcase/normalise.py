"""Character normalisation that remembers, for every output character, where it came from.

Every later step (sentences, dates, mentions, claims) works on normalised text but must report offsets into
the verbatim raw file, so a reader can always see the raw span beside the clean one. ``normalise`` therefore
returns, with the text, a ``source`` map: output character ``i`` came from ``raw[starts[i]:ends[i]]``.

The function is local: normalising any slice ``raw[a:b]`` that starts and ends on a sentence boundary gives
the same text as the corresponding slice of the normalised whole. The corpus tests rely on that.

Three kinds of damage are handled before the character walk, each on a short run of raw text so the
offsets stay exact and locality holds:

- **Mojibake** (UTF-8 read as cp1252/Latin-1: "Ã©" for "é", "â€™" for "’"): a run that has the exact byte
  shape of mis-decoded UTF-8 (a lead character followed by its continuation characters) is handed to
  ``ftfy``; when ftfy changes it, the fixed text replaces the run and a ``Repair`` with rule ``mojibake``
  (raw offsets, original, replacement, evidence naming ftfy and its steps) is recorded. Ordinary accented
  text never has that shape, and ftfy confirms every candidate, so correct text is left alone.
- **HTML markup** (tags, ``<script>``/``<style>`` blocks, comments: ``furniture.markup_spans``) is skipped
  like an invisible character. It is not recorded here: ``furniture.find_furniture`` lists every such span
  in ``removed`` (rules ``html_tag``, ``html_handler``, ``html_script``, ``html_style``, ``html_comment``).
  So a sentence's raw span may contain inline markup, which normalising drops; text between tags is kept.
- **HTML character references** ("&amp;", "&#8217;") are decoded and recorded as ``Repair`` rule
  ``html_entity``.
"""

from __future__ import annotations

import contextlib
import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import ftfy

from zoomcase.furniture import markup_spans
from zoomcase.prefilter import guided
from zoomcase.repairs import Repair, find_repairs

# Typographic quotes to ASCII: the corpus mixes “ ” ‘ ’ « » „ and straight quotes for the same purpose.
_QUOTES = {
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "‹": "'", "›": "'", "′": "'",
}  # fmt: skip
_ASCII = frozenset(map(chr, range(128)))  # never combining marks: only the others are looked up
# Characters with no visible content: soft hyphen, zero-width space/joiners, BOM, and the bidirectional
# marks, embeddings, overrides and isolates (U+061C, U+200E-F, U+202A-E, U+2066-9), which only steer how text
# is drawn: kept, they split "November\u200e 2020" from its year and reverse a title's text on screen.
_INVISIBLE = frozenset(
    "\u00ad\u200b\u200c\u200d\u2060\ufeff\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069"
)


@dataclass
class Normalised:
    """Normalised text with its map back to the raw string it came from. Text copied unchanged from one
    stretch of raw text (most paragraphs) maps through two ``range`` objects, not a Python int per
    character and end."""

    text: str
    starts: Sequence[int] = field(default_factory=list)
    ends: Sequence[int] = field(default_factory=list)
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


def _sloppy(byte: int) -> set[str]:
    """The characters a byte turns into when UTF-8 is misread as cp1252 (or Latin-1, for its gaps)."""
    chars = {chr(byte)}
    with contextlib.suppress(UnicodeDecodeError):
        chars.add(bytes([byte]).decode("cp1252"))
    return chars


def _byte_class(lo: int, hi: int) -> str:
    return "[" + "".join(sorted(re.escape(c) for b in range(lo, hi + 1) for c in _sloppy(b))) + "]"


_CONT = _byte_class(0x80, 0xBF)
# One or more UTF-8 sequences as they look when each byte was decoded on its own.
_MOJIBAKE = re.compile(
    f"(?:{_byte_class(0xC2, 0xDF)}{_CONT}|{_byte_class(0xE0, 0xEF)}{_CONT}{{2}}"
    f"|{_byte_class(0xF0, 0xF4)}{_CONT}{{3}})+"
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Tags that break a line in a browser read as a space ("a</p><p>b" is two words); inline tags as nothing.
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|div|li|ul|ol|h[1-6]|tr|td|th|table|section|article|header|footer|nav|blockquote|hr|title)\b",
    re.IGNORECASE,
)
_FTFY = f"ftfy {ftfy.__version__}"


@lru_cache(maxsize=65_536)
def _fix_mojibake(run: str) -> tuple[str, str] | None:
    """(fixed text, evidence) when ftfy repairs the run, else None."""
    result = ftfy.fix_encoding_and_explain(run)
    if result.text == run or not result.explanation:
        return None
    steps = "; ".join(f"{step} {arg}" for step, arg in result.explanation)
    return result.text, f"{_FTFY}: {steps} ({run!r} is UTF-8 read as a single-byte code page)"


def special_spans(raw: str) -> list[tuple[int, int, str, str | None, str]]:
    """(start, end, replacement, rule, evidence) for every markup span (replacement "", rule None: listed
    in ``removed`` by furniture), mojibake run and character reference of ``raw``, sorted, no overlaps."""
    spans: list[tuple[int, int, str, str | None, str]] = [
        (a, b, " " if _BLOCK_TAG.match(raw, a) else "", None, "") for a, b, _ in markup_spans(raw)
    ]
    if not raw.isascii():
        for m in guided(_MOJIBAKE).finditer(raw):  # RE2 skips the stretches without a candidate
            fix = _fix_mojibake(m.group())
            if fix is not None:
                spans.append((m.start(), m.end(), fix[0], "mojibake", fix[1]))
    if "&" in raw:
        for m in _ENTITY.finditer(raw):
            text = html.unescape(m.group())
            if text != m.group():
                evidence = f"HTML character reference {m.group()}"
                spans.append((m.start(), m.end(), text, "html_entity", evidence))
    spans.sort()
    kept: list[tuple[int, int, str, str | None, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def has_combining_marks(text: str) -> bool:
    """Whether ``text`` holds a combining mark (whose cluster maps back as one, see ``_walk``)."""
    return not text.isascii() and any(map(unicodedata.combining, set(text) - _ASCII))


def normalise(raw: str, lang: str, offset: int = 0) -> Normalised:
    """NFC, ASCII quotes, spaces for every kind of white space (runs collapsed, ends stripped), then
    repairs of words the scrape glued together. ``offset`` is added to every source position, so a
    slice of a document maps straight to document offsets. Mojibake and HTML character references are
    repaired and HTML markup is skipped first (see the module docstring)."""
    special = special_spans(raw) if ("<" in raw or "&" in raw or not raw.isascii()) else []
    if not special and not has_combining_marks(raw):
        return _apply_repairs(_plain(raw, offset), lang)
    return _apply_repairs(_walk(raw, special, offset), lang)


def _walk(raw: str, special: list[tuple[int, int, str, str | None, str]], offset: int) -> Normalised:
    """The character walk: cluster by cluster, with the ``special`` spans replaced or skipped."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    fixes: list[Repair] = []
    pieces: list[tuple[int, int, str | None]] = []
    pos = 0
    for a, b, replacement, rule, evidence in special:
        pieces += [(x, y, None) for x, y in _clusters_at(raw, pos, a)]
        if rule is not None or replacement:
            pieces.append((a, b, replacement))
            fixes.append(Repair(a + offset, b + offset, raw[a:b], replacement, rule, evidence))
        pos = b
    pieces += [(x, y, None) for x, y in _clusters_at(raw, pos, len(raw))]
    for a, b, fixed in pieces:
        piece = raw[a:b] if fixed is None else fixed
        if (
            fixed is not None
        ):  # a repair's text ("&shy;" is U+00AD) drops invisible characters as raw text does
            piece = "".join(_QUOTES.get(ch, ch) for ch in piece if ch not in _INVISIBLE)
            piece = unicodedata.normalize("NFC", piece)
            if piece.isspace() or not piece:
                piece = " " if piece else ""
            if piece == " ":
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    starts.append(a + offset)
                    ends.append(b + offset)
                elif chars:
                    ends[-1] = b + offset
                continue
            for ch in piece:
                chars.append(ch)
                starts.append(a + offset)
                ends.append(b + offset)
            continue
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
    return Normalised("".join(chars), starts, ends, fixes)


_QUOTE = re.compile(f"[{''.join(_QUOTES)}]")
_GAP_CHARS = "\\s" + "".join(sorted(_INVISIBLE))
# Every white space character (none lies outside the BMP) and the invisible ones, for str.strip.
_GAPS = "".join(re.findall(f"[{_GAP_CHARS}]", "".join(map(chr, range(0x10000)))))
# Runs of white space and invisible characters; a run with any white space becomes one space. A lone
# ASCII space maps to itself, so only other runs need work.
_ODD_GAP = re.compile(f"[{_GAP_CHARS}]{{2,}}|[^\\S ]|[{''.join(sorted(_INVISIBLE))}]")


def _plain(raw: str, offset: int) -> Normalised:
    """``normalise`` for text with no markup, mojibake, references or combining marks (nearly all text):
    every character is its own cluster and most are kept as they are, so only the odd gaps (runs of
    white space, other white space than " ", invisible characters) are walked. ``tests/test_normalise.py``
    checks that it gives what the character walk gives."""
    pos = len(raw) - len(raw.lstrip(_GAPS))
    stop = max(pos, len(raw.rstrip(_GAPS)))
    # Every gap character but " " is unprintable, so printable text without "  " has no odd gap.
    body = raw[pos:stop]
    if body.isprintable() and "  " not in body:  # no odd gap: the text is a copy of ``body``
        return Normalised(
            _ascii_quotes(body),
            range(pos + offset, stop + offset),
            range(pos + offset + 1, stop + offset + 1),
        )
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in _ODD_GAP.finditer(raw, pos, stop):
        a, b = m.span()
        parts.append(raw[pos:a])
        starts.extend(range(pos + offset, a + offset))
        ends.extend(range(pos + offset + 1, a + offset + 1))
        pos = b
        space = [i for i, ch in enumerate(m.group()) if ch.isspace()]
        if space:
            parts.append(" ")
            starts.append(a + space[0] + offset)
            ends.append(a + space[-1] + 1 + offset)
    parts.append(raw[pos:stop])
    starts.extend(range(pos + offset, stop + offset))
    ends.extend(range(pos + offset + 1, stop + offset + 1))
    return Normalised(_ascii_quotes("".join(parts)), starts, ends, [])


def _ascii_quotes(text: str) -> str:
    return _QUOTE.sub(_ascii_quote, text) if not text.isascii() else text


def _ascii_quote(m: re.Match[str]) -> str:
    return _QUOTES[m.group()]


def _clusters_at(raw: str, start: int, end: int) -> list[tuple[int, int]]:
    """``_clusters`` of ``raw[start:end]`` in ``raw``'s offsets."""
    return [(a + start, b + start) for a, b in _clusters(raw[start:end])]


def _apply_repairs(norm: Normalised, lang: str) -> Normalised:
    """Insert the spaces that ``find_repairs`` asks for; an inserted space maps to the raw gap
    between its neighbours. Repairs are reported with raw offsets. One pass in text order (a repair that
    overlaps the one before it is left out), so a long paragraph with many repairs costs linear time."""
    repairs = find_repairs(norm.text, lang)
    if not repairs:
        return norm
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    raw_repairs: list[Repair] = []
    pos = 0
    for rep in repairs:  # sorted by start
        if rep.start < pos:
            continue
        parts.append(norm.text[pos : rep.start])
        starts.extend(norm.starts[pos : rep.start])
        ends.extend(norm.ends[pos : rep.start])
        old, new = rep.original, rep.replacement
        # Walk both strings; every character of `new` not matched in `old` is an inserted space.
        k = 0
        for ch in new:
            if k < len(old) and ch == old[k]:
                starts.append(norm.starts[rep.start + k])
                ends.append(norm.ends[rep.start + k])
                k += 1
            else:
                gap = norm.starts[rep.start + k]
                starts.append(gap)
                ends.append(gap)
        parts.append(new)
        pos = rep.end
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
    parts.append(norm.text[pos:])
    starts.extend(norm.starts[pos:])
    ends.extend(norm.ends[pos:])
    merged = sorted([*norm.repairs, *raw_repairs], key=lambda r: (r.start, r.end))
    return Normalised("".join(parts), starts, ends, merged)
