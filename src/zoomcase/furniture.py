"""Page furniture: the parts of a scraped page that are not the article, found line by line.

Each rule names what it removes, so the ``removed`` table says why every span left the text. Rules work on
whole lines of the raw text (never inside a sentence), which keeps normalisation local and offsets exact.
A user can see every decision: nothing is dropped without a row in ``removed``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Removed:
    """A span of raw text dropped by normalisation, and the rule that dropped it."""

    start: int
    end: int
    rule: str
    text: str


def lines(raw: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every non-blank line, stripped of surrounding white space."""
    for m in re.finditer(r"[^\n]+", raw):
        text = m.group()
        if text.strip():
            lead = len(text) - len(text.lstrip())
            yield m.start() + lead, m.start() + len(text.rstrip())


def find_furniture(raw: str) -> list[Removed]:
    """Every furniture span of a raw page, sorted by offset."""
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
