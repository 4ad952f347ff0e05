"""Checkable claims: every quantity, event and legal statement about Zoom in the corpus, one row each.

Only ``corpus.sentences`` are scanned, so page furniture ("Top Articles" blocks, captions) can never yield
a claim. Each sentence's raw span is normalised again with its document's language; claims are found on
that normalised text and mapped back through ``Normalised.raw_span``, so ``start``/``end`` point into the
verbatim file.

What a claim is about comes from the controlled vocabulary ``data/vocab/metrics.csv`` (one row per metric
and language; ``lang`` empty = any language):

- ``anchor = number``: a quantity found by ``zoomcase.numbers`` whose unit equals the row's ``unit`` is
  given the metric whose ``cue_words`` match nearest to it. Higher ``priority`` wins first ("record" beats
  "gebruikers op een dag"); each cue match takes one quantity before any takes a second, so in "90.000
  scholen in twintig landen" the schools go to "scholen" and the twenty to "landen". A row without cue
  words takes any quantity of its unit (durations). Numbers inside a cue ("op één dag") are part of the
  cue, not claims; years are never claims.
- ``anchor = phrase``: the first match of ``cue_words`` is the claim (events, legal steps, comparisons
  without a number); ``value`` is NaN and ``qualifier`` comes from the row.
- ``context``, when set, must match somewhere in the sentence for the row to apply.
- a cue more than ``MAX_CUE_GAP`` characters from a number does not claim it (no real sentence is that long).

``quote`` is the claim's normalised sentence; of a longer one (text without sentence stops), the
``MAX_QUOTE`` characters around the claim.

``as_of``: a date of ``corpus.dates`` inside the sentence (the nearest to the claim). A "since" date
("sinds februari 2020") is not when the claim holds but where its change starts: it goes to ``since`` and
the claim is dated by its document, as is a claim whose sentence has no resolvable date.

Claims are cached (``zoomcase.cache``) in shards of documents (``cache.shard_bounds`` over the doc_ids),
each under a key of every column they read (``READS``) of its documents' rows, the vocabulary, the code and
the library versions: a notebook that extracts them again from an unchanged corpus reads them back instead
(at 100k documents, seconds instead of most of a minute); any change to a row, even one sentence's text,
misses its shard, and only the documents of the shards missed are extracted again.
"""

from __future__ import annotations

import hashlib
import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from zoomcase import corpus as corpus_module
from zoomcase.cache import assemble, shard_bounds
from zoomcase.cache import key as cache_key
from zoomcase.corpus import Corpus, map_shards
from zoomcase.normalise import Normalised, has_combining_marks, normalise
from zoomcase.numbers import LANGS as NUMBER_LANGS
from zoomcase.numbers import Quantity, find_quantities
from zoomcase.prefilter import Prefilter, prefilter
from zoomcase.runs import RunTable, frame_of_rows, in_order
from zoomcase.spans import Reach
from zoomcase.vocab import read_vocab
from zoomcase.wordregex import WordRegex

__all__ = [
    "COLUMNS",
    "VOCAB_COLUMNS",
    "Found",
    "Rule",
    "Rules",
    "extract_claims",
    "find_claims",
    "load_metrics",
]

VOCAB_COLUMNS = [
    "metric", "kind", "unit", "lang", "anchor", "priority", "qualifier", "cue_words", "context", "gloss_en",
    "description",
]  # fmt: skip
COLUMNS = [
    "claim_id", "doc_id", "sent_id", "start", "end", "text", "quote", "gloss_en", "kind", "metric", "value",
    "unit", "qualifier", "as_of", "as_of_precision", "as_of_source", "since",
]  # fmt: skip
KINDS = frozenset({"quantity", "event", "legal"})
# A cue further than this from a number does not claim it. Sentences are shorter (the corpus's longest has
# 570 characters); only text without sentence stops (a pasted table) has such gaps, and without a limit its
# cue-number pairs grow with the square of its length (232 kB of it took a minute).
MAX_CUE_GAP = 1_000
MAX_QUOTE = 1_000  # characters of the sentence kept as a claim's quote (see _quote)
_SINCE = re.compile(r"(?:sinds|sedert|vanaf|since|depuis)\b", re.IGNORECASE)
_QUALIFIER_EN = {
    "more_than": "more than ", "about": "about ", "at_least": "at least ", "at_most": "at most ",
    "exactly": "exactly ", "": "",
}  # fmt: skip
_RATIO_EN = {2.0: "doubled", 3.0: "tripled", 0.5: "halved"}
_CURRENCY_EN = {"USD": "$", "EUR": "€", "GBP": "£"}


@dataclass(frozen=True, slots=True)
class Rule:
    """One compiled row of the metrics vocabulary."""

    metric: str
    kind: str
    unit: str
    lang: str
    anchor: str
    priority: int
    qualifier: str
    cue: WordRegex | None
    context: WordRegex | None
    gloss_en: str


@dataclass(frozen=True, slots=True)
class Found:
    """A claim in one normalised sentence: ``text == sentence[start:end]``."""

    start: int
    end: int
    text: str
    rule: Rule
    value: float
    unit: str
    qualifier: str


def load_metrics(path: str | Path | None = None) -> pd.DataFrame:
    """The metrics vocabulary (default: ``metrics.csv`` in the vocab folder), all columns strings."""
    return read_vocab("metrics.csv", VOCAB_COLUMNS, path)


def _regex(pattern: str, metric: str) -> WordRegex | None:
    if not pattern:
        return None
    try:
        return WordRegex(pattern)
    except re.error as exc:
        raise ValueError(f"metrics vocabulary: bad pattern for {metric!r}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class Rules:
    """A compiled vocabulary, with the prefilter of its patterns (rule k's cue is pattern 2k, its context
    2k + 1): a sentence only runs the regexes that may match it (``zoomcase.prefilter``)."""

    rules: tuple[Rule, ...]
    screen: Prefilter
    uncued: frozenset[int]  # rules without cue words: they may apply to any sentence


@lru_cache(maxsize=16)
def _compile(rows: tuple[tuple[str, ...], ...]) -> Rules:
    """Compile a vocabulary once; keyed by its content so a caller's DataFrame is cached too."""
    rules = []
    for metric, kind, unit, lang, anchor, priority, qualifier, cue, context, gloss in rows:
        if kind not in KINDS or anchor not in {"number", "phrase"}:
            raise ValueError(f"metrics vocabulary: {metric!r} has kind {kind!r} / anchor {anchor!r}")
        if (anchor == "number" and kind != "quantity") or (anchor == "phrase" and not cue):
            raise ValueError(f"metrics vocabulary: {metric!r}: numbers need kind quantity, phrases cue words")
        rules.append(
            Rule(metric, kind, unit, lang, anchor, int(priority or 1), qualifier,
                 _regex(cue, metric), _regex(context, metric), gloss)
        )  # fmt: skip
    patterns = [None if regex is None else regex.whole for r in rules for regex in (r.cue, r.context)]
    return Rules(
        tuple(rules), prefilter(patterns), frozenset(k for k, r in enumerate(rules) if r.cue is None)
    )


def _rules(vocab: pd.DataFrame) -> Rules:
    cols = VOCAB_COLUMNS[:-1]
    return _compile(tuple(vocab[cols].itertuples(index=False, name=None)))


@cache
def _default_rules() -> Rules:
    return _rules(load_metrics())


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


def find_claims(text: str, lang: str, vocab: Rules) -> list[Found]:
    """Claims in one normalised sentence, in text order (see the module doc for the matching rules).
    Numbers are read in ``numbers.LANGS`` only: in a sentence in another language (a German quotation)
    only phrase rules apply."""
    hits = vocab.screen.candidates(text)
    # A rule with cue words applies only where its cue may match (the others take any quantity of a unit).
    ids = sorted(vocab.uncued.union(h // 2 for h in hits if h % 2 == 0))
    rules = [
        r
        for k in ids
        if (r := vocab.rules[k]).lang in ("", lang)
        and (r.context is None or (2 * k + 1 in hits and r.context.search(text)))
    ]
    found = [
        Found(m.start(), m.end(), m.group(), r, math.nan, r.unit, r.qualifier)
        for r in rules
        if r.anchor == "phrase" and (m := r.cue.search(text))  # type: ignore[union-attr]
    ]
    number_rules = [r for r in rules if r.anchor == "number"]
    quantities = [q for q in find_quantities(text, lang) if not q.is_year] if lang in NUMBER_LANGS else []
    if not quantities:
        return _in_text_order(found)
    # Cue matches are only needed where there are quantities, which most sentences lack.
    cues = {k: [m.span() for m in r.cue.finditer(text)] for k, r in enumerate(number_rules) if r.cue}
    inside = Reach(span for spans in cues.values() for span in spans)
    quantities = [q for q in quantities if inside.furthest(q.start + 1) < q.end]  # not part of a cue
    far = len(text) + 1
    candidates = sorted(
        (-r.priority, gap, i, k, span)
        for i, q in enumerate(quantities)
        for k, r in enumerate(number_rules)
        if r.unit == q.unit
        for gap, span in (
            [(_gap((q.start, q.end), s), s) for s in _near(cues[k], q)] if r.cue else [(far, None)]
        )
    )
    assigned: dict[int, int] = {}
    used: set[tuple[int, tuple[int, int] | None]] = set()
    for exclusive in (True, False):  # each cue takes one quantity first; leftovers then go to the best cue
        for _, _, i, k, span in candidates:
            if i in assigned or (exclusive and span is not None and (k, span) in used):
                continue
            assigned[i] = k
            used.add((k, span))
    for i, k in assigned.items():
        q, r = quantities[i], number_rules[k]
        found.append(Found(q.start, q.end, q.text, r, q.value, q.unit, q.qualifier))
    return _in_text_order(found)


def _near(spans: list[tuple[int, int]], q: Quantity) -> list[tuple[int, int]]:
    """The cue matches (in text order, not overlapping) within ``MAX_CUE_GAP`` characters of a quantity."""
    lo = bisect_left(spans, q.start - MAX_CUE_GAP, key=lambda s: s[1])
    return spans[lo : bisect_right(spans, q.end + MAX_CUE_GAP, lo=lo, key=lambda s: s[0])]


def _in_text_order(found: list[Found]) -> list[Found]:
    return sorted(found, key=lambda f: (f.start, f.end, f.rule.metric))


def _amount(value: float, unit: str) -> str:
    if unit == "times":
        return _RATIO_EN.get(value, f"rose {value:g}-fold")
    if unit == "%":
        return f"{value:g}%"
    for scale, name in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            number = f"{value / scale:g} {name}"
            break
    else:
        number = f"{value:,.0f}" if value.is_integer() else f"{value:,g}"
    return _CURRENCY_EN.get(unit, "") + number


_SEASONS_EN = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}  # a season's date is its first month's


def _date_en(value: pd.Timestamp, precision: str) -> str:
    if precision == "year":
        return f"{value.year}"
    if precision == "day":
        return f"{value.day} {value:%B %Y}"
    if precision == "week":
        return f"the week of {value.day} {value:%B %Y}"
    if precision == "quarter":
        return f"Q{value.quarter} {value.year}"
    if precision == "season" and value.month in _SEASONS_EN:
        return f"{_SEASONS_EN[value.month]} {value.year}"
    return f"{value:%B %Y}"


def _gloss(f: Found, as_of: pd.Timestamp, precision: str, source: str, since: pd.Timestamp) -> str:
    """English rendering from the row's template; {when} only for a date the sentence itself states."""
    when = ""
    if source == "sentence":
        when = f" {'on' if precision == 'day' else 'in'} {_date_en(as_of, precision)}"
    return f.rule.gloss_en.format(
        q=_QUALIFIER_EN[f.qualifier],
        amount="" if math.isnan(f.value) else _amount(f.value, f.unit),
        when=when,
        since=_date_en(since, "month") if not pd.isna(since) else "the date stated",
    )


def _dating(
    span: tuple[int, int],
    change: bool,
    dates: list[tuple[int, int, str, object, str]],
    published: pd.Timestamp,
    published_precision: str,
) -> tuple[pd.Timestamp, str, str, pd.Timestamp]:
    """(as_of, as_of_precision, as_of_source, since) of a claim from the dates of its sentence. A "since"
    date is the start of a change (ratios, percentages, comparisons); a level ignores it."""
    resolved = [d for d in dates if d[3] is not None and not pd.isna(d[3])]
    since = [d for d in resolved if change and _SINCE.match(d[2])]
    since_at = pd.Timestamp(min(since, key=lambda d: _gap(span, d[:2]))[3]) if since else pd.NaT
    stated = [d for d in resolved if not _SINCE.match(d[2])]
    if stated and not since:
        best = min(stated, key=lambda d: _gap(span, d[:2]))
        return pd.Timestamp(best[3]), best[4], "sentence", since_at
    if not pd.isna(published):
        return pd.Timestamp(published), str(published_precision or "document"), "document", since_at
    return pd.NaT, "", "none", since_at


_Dates = dict[str, list[tuple[int, int, str, object, str]]]
# (raw, language, published, published_precision) of a document; a sentence is (doc_id, sent_id, start,
# end, text, language).
_Docs = dict[str, tuple[str, str, object, str]]
_Sentence = tuple[str, int, int, int, str, str]


def _claim_rows(sentences: list[_Sentence], docs: _Docs, dates: _Dates, rules: Rules) -> list[dict]:
    rows = []
    for doc_id, sent_id, s_start, s_end, text, lang in sentences:
        raw, doc_lang, published, published_precision = docs[doc_id]
        found = find_claims(text, lang, rules)
        if not found:  # most sentences: no need for the offset map (the sentence text is normalised)
            continue
        norm = _normalised(raw, s_start, s_end, text, doc_lang)
        if norm.text != text:  # a table not made by load_corpus: the raw text decides
            found = find_claims(norm.text, lang, rules)
        in_sentence = _dates_within(dates.get(doc_id, []), s_start, s_end)
        for f in found:
            start, end = norm.raw_span(f.start, f.end)
            change = f.unit in {"times", "%"} or (f.rule.kind == "quantity" and math.isnan(f.value))
            as_of, precision, source, since = _dating(
                (start, end), change, in_sentence, published, published_precision
            )
            rows.append(
                {"doc_id": doc_id, "sent_id": sent_id, "start": start, "end": end, "text": f.text,
                 "quote": _quote(norm.text, f), "gloss_en": _gloss(f, as_of, precision, source, since),
                 "kind": f.rule.kind, "metric": f.rule.metric, "value": f.value, "unit": f.unit,
                 "qualifier": f.qualifier, "as_of": as_of, "as_of_precision": precision,
                 "as_of_source": source, "since": since}
            )  # fmt: skip
    return rows


def _normalised(raw: str, start: int, end: int, text: str, lang: str) -> Normalised:
    """The sentence's map back to the raw text. Where its raw span is its text, character for character
    and without combining marks (two sentences in three), that map is one to one: the text is then used
    as it stands, not normalised again (``normalise`` keeps its own output as it is)."""
    piece = raw[start:end]
    if piece == text and not has_combining_marks(text):
        return Normalised(text, range(start, end), range(start + 1, end + 1))
    return normalise(piece, lang, offset=start)


def _dates_within(dates: list[tuple[int, int, str, object, str]], start: int, end: int) -> list:
    """The dates (sorted by start) inside ``[start, end)``, found by bisection: a long document has
    thousands of sentences and dates, and filtering every date for every sentence was quadratic."""
    lo = bisect_left(dates, start, key=lambda d: d[0])
    return [d for d in dates[lo : bisect_left(dates, end, lo=lo, key=lambda d: d[0])] if d[1] <= end]


def _quote(sentence: str, f: Found) -> str:
    """The claim's sentence; of a longer one (text without sentence stops, a pasted table) the
    ``MAX_QUOTE`` characters around the claim, "…" where cut: a copy of all of it in every claim's row
    would take memory with the square of its length."""
    if len(sentence) <= MAX_QUOTE:
        return sentence
    room = max(0, MAX_QUOTE - (f.end - f.start)) // 2
    a, b = max(0, f.start - room), min(len(sentence), f.end + room)
    return ("…" if a else "") + sentence[a:b] + ("…" if b < len(sentence) else "")


# The columns claim extraction reads, and so the cache key covers (dates of kind "page" excepted).
READS = {
    "sentences": ["doc_id", "sent_id", "start", "end", "text", "language"],
    "dates": ["doc_id", "start", "end", "text", "value", "precision"],
    "documents": ["doc_id", "raw", "language", "published", "published_precision"],
}
# The modules and libraries the claims depend on: the corpus's, and the claim and number rules (a test
# checks this against the modules claims.py imports).
_DERIVED_BY = (*corpus_module._DERIVED_BY, "claims", "numbers")
_LIBRARIES = (*corpus_module._LIBRARIES, "babel")


def _read(corpus: Corpus) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The (sentences, dates, documents) columns of ``READS``; dates with their kind, for leaving out
    those of kind "page"."""
    dates = corpus.dates[[*READS["dates"], "kind"]]
    return corpus.sentences[READS["sentences"]], dates, corpus.documents[READS["documents"]]


def _shard_keys(t: _Tables, runs: _Runs, shards: list[tuple[int, int]], vocab: pd.DataFrame) -> list[str]:
    """The cache key of each shard's claims: a hash of every value and dtype of the columns read (of the
    shard's rows), the vocabulary and the code."""
    common = cache_key(
        [f"vocab.{c}:{vocab[c].dtype}:{_digest(vocab[c])}" for c in VOCAB_COLUMNS[:-1]],
        _DERIVED_BY,
        _LIBRARIES,
    )
    keys = []
    for a, b in shards:
        (s0, s1), (d0, d1), (o0, o1) = runs.part(a, b)
        dates = t.dates.iloc[d0:d1]
        read = {
            "sentences": t.sentences.iloc[s0:s1],
            "dates": dates[dates.kind != "page"],
            "documents": t.documents.iloc[o0:o1],
        }
        parts = [
            f"{name}.{c}:{frame[c].dtype}:{_digest(frame[c])}"
            for name, frame in read.items()
            for c in READS[name]
        ]
        keys.append(cache_key([common, *parts], (), ()))
    return keys


def _digest(values: pd.Series, rows: int = 2_048) -> str:
    """sha256 of the values. Of arrow text, its characters, the length of each value and where values are
    missing, read from its buffers; of other columns, the values' 64-bit hashes a slice of ``rows`` at a
    time. pandas' hash of arrow text made a Python string of every value (at 100k documents, seconds for
    the claims' keys alone)."""
    if not isinstance(values.array, pd.arrays.ArrowStringArray):
        h = hashlib.sha256()
        for start in range(0, len(values), rows):
            h.update(
                pd.util.hash_pandas_object(values.iloc[start : start + rows], index=False)
                .to_numpy()
                .tobytes()
            )
        return h.hexdigest()
    text, lengths, missing, seen = hashlib.sha256(), hashlib.sha256(), hashlib.sha256(), 0
    array = pa.array(values.array)
    for chunk in array.chunks if isinstance(array, pa.ChunkedArray) else [array]:
        _, offsets, data = chunk.buffers()
        width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
        ends = np.frombuffer(offsets, dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1].astype(
            np.int64
        )
        lengths.update(np.diff(ends).tobytes())
        if data is not None:
            text.update(memoryview(data)[ends[0] : ends[-1]])
        if chunk.null_count:
            missing.update((np.flatnonzero(chunk.is_null().to_numpy(zero_copy_only=False)) + seen).tobytes())
        seen += len(chunk)
    return hashlib.sha256(text.digest() + lengths.digest() + missing.digest()).hexdigest()


@dataclass(frozen=True)
class _Tables:
    """What claim extraction reads of a corpus, each table sorted by document. Each process gets it once (a
    forked worker inherits it without a copy) and is then sent only ``_Part``s, row ranges: building every
    sentence's tuple in the main process and pickling it to the workers cost as much as finding the claims,
    and a dict of row arrays per document took some 60 MB at 100k documents."""

    sentences: pd.DataFrame
    dates: pd.DataFrame  # those of kind "page" too (left out by the workers: a filtered copy took memory)
    documents: pd.DataFrame
    rules: Rules | None = None  # compiled only when some claims are not in the cache

    @classmethod
    def of(cls, corpus: Corpus) -> _Tables:
        sentences, dates, documents = _read(corpus)
        return cls(*(_by_document(t) for t in (sentences, dates, documents)))


def _by_document(table: pd.DataFrame) -> pd.DataFrame:
    """The table with each document's rows together, in doc_id order (load_corpus's tables already are)."""
    return table if in_order(table, ["doc_id"]) else table.sort_values("doc_id", kind="stable")


def _run_starts(doc_ids: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """For a column sorted by document: the first row of each document's run of rows (and, last, the
    number of rows), and each run's doc_id."""
    ids = pa.array(doc_ids.array).cast(pa.large_string())
    if isinstance(ids, pa.ChunkedArray):
        ids = ids.combine_chunks()
    changes = pc.not_equal(ids.slice(1), ids.slice(0, max(len(ids) - 1, 0))).to_numpy(zero_copy_only=False)
    starts = np.concatenate([[0], np.flatnonzero(changes) + 1]) if len(ids) else np.array([], np.int64)
    return np.append(starts, len(ids)), ids.take(starts)


# Rows [start, end) of the sentences, dates and documents tables: the claims of a run of documents.
_Part = tuple[tuple[int, int], tuple[int, int], tuple[int, int]]


class _Runs:
    """Where each document's rows lie in the tables sorted by document (``ids``: the documents with
    sentences, in order), so that a run of them can be sent to a worker as row ranges (``part``)."""

    def __init__(self, t: _Tables) -> None:
        self.sentence_starts, self.ids = _run_starts(t.sentences.doc_id)
        other = {name: _run_starts(getattr(t, name).doc_id) for name in ("dates", "documents")}
        runs_of = {name: pc.index_in(self.ids, value_set=other[name][1]) for name in other}  # null: none
        if runs_of["documents"].null_count:
            missing = self.ids.filter(runs_of["documents"].is_null())[0]
            raise KeyError(f"claims: sentences of document {missing} not in corpus.documents")
        self.found = {name: runs.to_numpy(zero_copy_only=False) for name, runs in runs_of.items()}
        self.starts = {name: starts for name, (starts, _) in other.items()}

    def part(self, a: int, b: int) -> _Part:
        """The row ranges of documents ``[a, b)``. Their dates and documents lie between the rows of the
        first and last of them in those tables, which are sorted by doc_id too (a document in between
        that has no sentences comes along unused)."""
        ranges = [(int(self.sentence_starts[a]), int(self.sentence_starts[b]))]
        for name in ("dates", "documents"):
            runs = self.found[name][a:b]
            runs = runs[~np.isnan(runs)].astype(np.int64)
            starts = self.starts[name]
            ranges.append((int(starts[runs.min()]), int(starts[runs.max() + 1])) if len(runs) else (0, 0))
        return tuple(ranges)  # type: ignore[return-value]


_TABLES: _Tables | None = None  # this process's, set by _share


def _share(tables: _Tables | None) -> None:
    global _TABLES
    _TABLES = tables


def _claim_frame(part: _Part) -> pd.DataFrame:
    """The claims of some documents as a frame: compact to send back (see ``corpus._parse_chunk``)."""
    t = _TABLES
    if t is None or t.rules is None:
        raise RuntimeError("claims: no tables and rules shared with this process")
    (s0, s1), (d0, d1), (o0, o1) = part
    sentences = _rows(t.sentences.iloc[s0:s1])
    docs: _Docs = {doc_id: tuple(row) for doc_id, *row in _rows(t.documents.iloc[o0:o1])}
    dates: _Dates = {}
    picked = t.dates.iloc[d0:d1]
    for doc_id, *date in _rows(picked[picked.kind != "page"][READS["dates"]]):
        dates.setdefault(doc_id, []).append(tuple(date))
    for listed in dates.values():  # by start, for _dates_within (a hand-made table may not be)
        listed.sort(key=lambda d: d[0])
    frame = _sorted_claims(frame_of_rows(_claim_rows(sentences, docs, dates, t.rules), COLUMNS[1:]))
    # numbered here, in the workers: a run holds whole documents, and its ids are stored with its claims
    frame.insert(0, "claim_id", _claim_ids(frame.doc_id))
    return frame


def _sorted_claims(frame: pd.DataFrame) -> pd.DataFrame:
    """Claims by document, place and metric (sorted only if they are not: a sort copies the table)."""
    order = ["doc_id", "start", "end", "metric"]
    return frame if in_order(frame, order) else frame.sort_values(order, kind="stable", ignore_index=True)


def _rows(frame: pd.DataFrame) -> list[tuple]:
    """The frame's rows as tuples, built from whole columns: ``itertuples`` reads arrow text a value at a
    time (some 5% of claim extraction)."""
    return list(zip(*(frame[column].tolist() for column in frame.columns), strict=True))


def extract_claims(
    corpus: Corpus, vocab: pd.DataFrame | None = None, workers: int | None = None, cache: bool = True
) -> pd.DataFrame:
    """One row per checkable claim in the corpus's sentences (columns: ``COLUMNS``); ``vocab`` defaults
    to ``data/vocab/metrics.csv``. ``claim_id`` is "<doc_id>-cNN", numbered in text order per document.
    ``workers``: processes (default as in ``load_corpus``); the result is the same whatever it is.
    ``cache``: read and store the result in the cache (see the module doc)."""
    tables = _Tables.of(corpus)
    runs = _Runs(tables)
    shards = shard_bounds(runs.ids.to_pylist())
    keys = _shard_keys(tables, runs, shards, load_metrics() if vocab is None else vocab) if cache else None

    def extract(missing: list[int]) -> Iterator[Iterator[dict[str, pd.DataFrame]]]:
        # compiled here, so that only a vocabulary that compiles is stored with its claims
        shared = replace(tables, rules=_default_rules() if vocab is None else _rules(vocab))
        made = map_shards(_claim_frame, [shards[i] for i in missing], runs.part, workers, _share, (shared,))
        return (({"claims": frame} for frame in frames) for frames in made)

    claims = RunTable()  # each run's claims copied into single columns as they arrive (see zoomcase.runs)
    try:
        assemble("claims", len(shards), keys, extract, {"claims": claims})
    finally:
        _share(None)  # this process's reference, when it did the work itself
    return _typed(_sorted_claims(claims.frame()) if claims.columns else pd.DataFrame(columns=COLUMNS))


def _claim_ids(doc_ids: pd.Series) -> pd.Series:
    """Claim ids, "<doc_id>-cNN", for claims in document order. Built in arrow: formatting the numbers in
    Python made a string object per claim (830k, some 50 MB, at 100k documents) when memory is at its peak."""
    number = doc_ids.groupby(doc_ids, sort=False).cumcount().to_numpy() + 1
    text = pa.large_string()
    ids = pc.binary_join_element_wise(
        pa.array(doc_ids.array).cast(text),
        pc.utf8_lpad(pa.array(number).cast(text), 2, "0"),
        pa.scalar("-c", text),
    )
    return pd.Series(ids, dtype="str", index=doc_ids.index)


_DTYPES = {
    "sent_id": "int64", "start": "int64", "end": "int64", "value": "float64",
    "as_of": "datetime64[ns]", "since": "datetime64[ns]",
}  # fmt: skip


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The claims' column order and dtypes, fresh, from the cache (Parquet may store coarser times) or
    none at all (an empty table's columns would otherwise hold objects)."""
    return frame[COLUMNS].astype({column: _DTYPES.get(column, "str") for column in COLUMNS})
