"""Page furniture: the parts of a scraped page that are not the article, found line by line.

Each rule names what it removes, so the ``removed`` table says why every span left the text. Rules work on
whole lines of the raw text (never inside a sentence), which keeps normalisation local and offsets exact.
A user can see every decision: nothing is dropped without a row in ``removed``.

**HTML and JavaScript** (a web page saved as .txt) are the one exception to "whole lines only", because
tags sit inside sentences ("Zoom <b>settled</b> with the FTC"). ``markup_spans`` finds every
``<script>``/``<style>`` block (with its code), comment, doctype and tag; each goes to ``removed`` with rule
``html_script``, ``html_style``, ``html_comment``, ``html_tag``, or ``html_handler`` for a tag that carries
an ``on*=`` event handler or a ``javascript:`` URL. The text between tags is kept:

- ``lines`` trims markup (as well as white space) from both ends of a line, so a paragraph never starts
  inside a tag and a line of nothing but markup is no paragraph at all;
- ``normalise`` skips markup inside a line like an invisible character, so for every sentence
  ``normalise(raw[start:end])`` still equals its text.

So for an HTML document a sentence's raw span may *contain* inline ``html_*`` removed spans (its visible text
never overlaps one); for plain text, removed spans and sentences never overlap at all. The patterns are
strict (a tag name right after ``<``), so "a < b" or "<jan@example.org>" in plain text are not markup.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from zoomcase.spans import Reach

# Markup, in order of precedence: script/style blocks with their content (unclosed: to the end of the text),
# comments, doctype/processing instructions, tags. Attribute values may hold ">" inside quotes.
_ATTRS = r"""(?:\s(?:[^<>"']|"[^"]*"|'[^']*')*)?"""
_MARKUP = re.compile(
    r"(?P<block><(?P<kind>script|style)\b" + _ATTRS + r">.*?(?:</(?P=kind)\s*>|\Z))"
    r"|(?P<comment><!--.*?(?:-->|\Z))"
    r"|(?P<decl><[!?][A-Za-z][^<>]*>)"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9:-]*" + _ATTRS + r"/?>)",
    re.IGNORECASE | re.DOTALL,
)
_HANDLER = re.compile(r"""\son[a-z]+\s*=|javascript\s*:""", re.IGNORECASE)

# A line that opens a block of links to other stories; everything from it to the end of the page goes.
_RELATED_BLOCK = re.compile(
    r"(top articles|related articles|related posts|more stories|meer berichten|meer info:?|"
    r"gerelateerde artikelen|sur le même sujet|à lire également|articles similaires)",
    re.IGNORECASE,
)
# Whole-line rules: (rule name, pattern over the stripped line).
_LINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("navigation_label", re.compile(r"(news post|left arrow|right arrow|menu|home|search)", re.I)),
    ("dateline", re.compile(r"calender\s+(?P<date>.+)", re.I)),
    ("also_read_link", re.compile(r"(also read|read more|lees ook|lire aussi|à lire aussi)\b.*", re.I)),
    ("read_more_link", re.compile(r"(meer lezen|lees meer|en savoir plus)\b.*", re.I)),
    ("copyright_line", re.compile(r"(copyright|©|\(c\))\s.*", re.I)),
    ("share_buttons", re.compile(r"(delen|deel|share|share this|partager|partagez)\s*:?", re.I)),
)
# A short line that starts with a lower-case word (not "ePrivacy"-style branding) and has no closing
# punctuation: an image caption or alt text.
_CAPTION = re.compile(r"[a-zà-ÿ]{2}[^.!?:;]{0,80}")
# Line boundaries of ``str.splitlines`` besides LF: an old Mac file ends its lines with a lone CR, a word
# processor's export with U+2028, and so on.
_OTHER_BREAKS = "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_LF_LINE = re.compile(r"[^\n]+")
_ANY_LINE = re.compile(f"[^\n{_OTHER_BREAKS}]+")


def _line_pattern(raw: str) -> re.Pattern[str]:
    """What a line of ``raw`` is. ``re`` reads the negated class of every line boundary 2.5 times slower than
    ``[^\\n]``, so it serves only text that holds another boundary than LF (looked for with ``in``, in C)."""
    return _ANY_LINE if any(ch in raw for ch in _OTHER_BREAKS) else _LF_LINE


@dataclass(frozen=True)
class Removed:
    """A span of raw text dropped by normalisation, and the rule that dropped it."""

    start: int
    end: int
    rule: str
    text: str


def markup_spans(raw: str) -> list[tuple[int, int, str]]:
    """(start, end, rule) of every HTML markup span of ``raw``: see the module docstring."""
    if "<" not in raw:
        return []
    spans = []
    for m in _MARKUP.finditer(raw):
        if m.group("block"):
            rule = f"html_{m.group('kind').lower()}"
        elif m.group("comment"):
            rule = "html_comment"
        elif m.group("decl"):
            rule = "html_tag"
        else:
            rule = "html_handler" if _HANDLER.search(m.group()) else "html_tag"
        spans.append((m.start(), m.end(), rule))
    return spans


def lines(raw: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every non-blank line (ended by any line boundary of ``str.splitlines``), stripped of
    surrounding white space and HTML markup."""
    markup = markup_spans(raw)
    starts = [a for a, _, _ in markup]

    def covering(i: int) -> tuple[int, int] | None:
        k = bisect.bisect_right(starts, i) - 1
        return (markup[k][0], markup[k][1]) if k >= 0 and markup[k][1] > i else None

    for m in _line_pattern(raw).finditer(raw):
        a, b = m.start(), m.end()
        while a < b:
            if raw[a].isspace():
                a += 1
            elif (span := covering(a)) is not None:
                a = span[1]
            else:
                break
        while b > a:
            if raw[b - 1].isspace():
                b -= 1
            elif (span := covering(b - 1)) is not None:
                b = span[0]
            else:
                break
        if a < b:
            yield a, b


def kept_lines(raw: str, removed: list[Removed]) -> Iterator[tuple[int, int]]:
    """The ``lines`` that start outside every removed span: the article's paragraphs (a scraped page can
    hold 100k tags, so spans are looked up by bisection, ``spans.Reach``)."""
    reach = Reach((r.start, r.end) for r in removed)
    for a, b in lines(raw):
        if reach.furthest(a + 1) <= a:  # no removed span starts at or before the line and reaches past it
            yield a, b


def find_furniture(raw: str) -> list[Removed]:
    """Every furniture span of a raw page (markup included), sorted by offset."""
    removed = [Removed(a, b, rule, raw[a:b]) for a, b, rule in markup_spans(raw)]
    removed += _line_furniture(raw)
    return sorted(removed, key=lambda r: (r.start, r.end))


def _line_furniture(raw: str) -> list[Removed]:
    removed: list[Removed] = []
    seen: set[str] = set()
    for start, end in lines(raw):
        line = raw[start:end]
        key = " ".join(line.split()).casefold()
        if _RELATED_BLOCK.fullmatch(key):
            tail_end = len(raw.rstrip())
            removed.append(Removed(start, tail_end, "related_stories_block", raw[start:tail_end]))
            break
        rule = next((name for name, pat in _LINE_RULES if pat.fullmatch(line.strip())), None)
        if rule is None and key in seen:
            rule = "repeated_line"
        elif rule is None and _CAPTION.fullmatch(line.strip()) and len(line.split()) <= 8:
            rule = "caption"
        seen.add(key)
        if rule is not None:
            removed.append(Removed(start, end, rule, line))
    return removed


def dateline(removed: list[Removed]) -> str | None:
    """The page date as stated behind a calendar icon, if the page had one."""
    for r in removed:
        if r.rule == "dateline":
            m = _LINE_RULES[1][1].fullmatch(r.text.strip())
            return m.group("date").strip() if m else None
    return None
