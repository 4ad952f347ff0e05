"""Load the corpus: verbatim files in, traceable tables out.

Raw files are read, never written. Every derived row (sentence, removed span, repair, date, mention) carries
``start``/``end`` offsets into the raw text of its document, so any quote can be shown beside its source.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import multiprocessing
import operator
import os
import re
import sys
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TypeVar

import charset_normalizer
import pandas as pd

from zoomcase import dates, furniture, language, mentions
from zoomcase.cache import assemble, shard_bounds
from zoomcase.cache import key as cache_key
from zoomcase.normalise import Normalised, normalise
from zoomcase.paths import corpus_dir, vocab_dir
from zoomcase.runs import RunTable, frame_of_rows, in_order
from zoomcase.schemas import check_document_size, max_bytes, validate_corpus
from zoomcase.sentences import split_sentences

TABLE = "documents.csv"
TABLE_COLUMNS = (
    "doc_id", "file", "sha256", "language", "title", "outlet",
    "page_date_stated", "page_date", "page_date_precision", "notes",
)  # fmt: skip
# Legacy encodings of the Western European languages zoomcase reads; Central European and Asian code pages
# are left out because on short texts they win by accident ("geïdentificeerde" read as cp1250).
LEGACY_ENCODINGS = ["cp1252", "iso8859_15", "latin_1", "mac_roman"]
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


class CorpusError(ValueError):
    """A corpus file or the documents table cannot be used as it is; the message says what to do."""


class CorpusWarning(UserWarning):
    """Something in the corpus folder was left out; the message names it."""


# Files a corpus folder holds beside its articles.
_NOT_ARTICLES = frozenset({TABLE, "datapackage.json", "README.md"})


@dataclass(frozen=True)
class DocumentMeta:
    """What the documents table says about a file (or what was inferred for an unlisted one)."""

    doc_id: str
    file: str
    sha256: str | None
    title: str
    outlet: str
    page_date_stated: str
    notes: str
    table_line: int | None


@dataclass
class Corpus:
    """The corpus as tables. ``documents.raw`` is the verbatim text every offset points into."""

    directory: Path
    documents: pd.DataFrame
    sentences: pd.DataFrame
    removed: pd.DataFrame
    repairs: pd.DataFrame
    dates: pd.DataFrame
    mentions: pd.DataFrame

    def raw(self, doc_id: str) -> str:
        return str(self.documents.loc[self.documents.doc_id == doc_id, "raw"].iloc[0])

    def raw_span(self, doc_id: str, start: int, end: int) -> str:
        """The verbatim source text behind any row's offsets."""
        return self.raw(doc_id)[start:end]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM), UTF-16/32 with a BOM, else a detected legacy
    encoding. Refuses empty and binary files with a message that names the file."""
    if not data.strip():
        raise CorpusError(
            f"{path.name}: the file is empty. Put the article's text in it or remove it from {path.parent}."
        )
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise CorpusError(
                    f"{path.name}: starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"(byte {exc.start}). Re-save it as UTF-8."
                ) from exc
    nul = data.find(b"\x00")
    if nul >= 0:
        raise CorpusError(
            f"{path.name}: looks like a binary file (NUL byte at offset {nul}), not "
            "article text. Export the article as plain text (.txt, UTF-8) or remove the file."
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    best = charset_normalizer.from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
    if best is None:
        raise CorpusError(
            f"{path.name}: not valid UTF-8 (byte {utf8_error.start}) and no legacy encoding fits. "
            "Re-save it as UTF-8."
        )
    return str(best), best.encoding


def read_table(directory: Path) -> dict[str, DocumentMeta]:
    """The documents table, keyed by file name; empty when the folder has none (a user's own corpus).
    Every row must be whole and name a .txt file of its own directly in the folder."""
    path = directory / TABLE
    if not path.exists():
        return {}
    seeds = " (the seeds are in shared/seeds)" if directory.resolve() == corpus_dir().resolve() else ""
    with path.open(encoding="utf-8-sig", newline="") as fh:  # -sig: a spreadsheet's "CSV UTF-8" has a BOM
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        missing = [c for c in TABLE_COLUMNS if c not in header]
        if missing and len(header) == 1 and ";" in header[0]:
            raise CorpusError(
                f"{path}: its columns are separated by ';' (a spreadsheet's regional setting); save it as "
                "CSV with commas between columns."
            )
        if missing:
            raise CorpusError(f"{path}: missing column(s) {', '.join(missing)}; see datapackage.json.")
        metas: dict[str, DocumentMeta] = {}
        for row in reader:
            line = _row_line(reader.line_num, row)
            _check_row(row, len(header), f"{TABLE} line {line}")
            file = row["file"]
            _check_listed_file(directory, file, f"{TABLE} line {line}", seeds)
            if file in metas:
                raise CorpusError(
                    f"{TABLE} lines {metas[file].table_line} and {line}: both list '{file}'. Keep one row "
                    "per file: merge the two and delete the other."
                )
            metas[file] = DocumentMeta(
                doc_id=row["doc_id"],
                file=file,
                # as ``hexdigest`` writes it: PowerShell's Get-FileHash writes upper case
                sha256=row["sha256"].strip().lower() or None,
                title=row["title"],
                outlet=row["outlet"],
                page_date_stated=row["page_date_stated"],
                notes=row["notes"],
                table_line=line,
            )
    return metas


# A line break as ``csv`` counts lines: the table is read with ``newline=""``, which ends a line at each.
_LINE_BREAK = re.compile(r"\r\n?|\n")


def _row_line(line_num: int, row: dict) -> int:
    """The line of the table a row starts on. ``csv`` counts the lines read so far (blank ones too), up to
    the row's last: a quoted cell with line breaks spans several."""
    cells = [v for k, v in row.items() if k is not None and v] + row.get(None, [])
    return line_num - sum(len(_LINE_BREAK.findall(cell)) for cell in cells)


_REQUIRED = {
    "doc_id": "Give the document a short id of its own.",
    "file": "Give the name of the article's .txt file, or delete that row.",
}


def _check_row(row: dict, columns: int, where: str) -> None:
    """A row has a cell for every column, a doc_id and a file: a short row would give empty metadata
    silently."""
    if None in row:
        raise CorpusError(
            f"{where}: has {columns + len(row[None])} cells but the header has {columns} columns. Put a "
            "value that holds a comma in double quotes, or delete the extra cells."
        )
    if (cells := sum(v is not None for v in row.values())) < columns:
        raise CorpusError(
            f"{where}: has {cells} cells but the header has {columns} columns. Add the missing cells (empty "
            "ones are fine; the commas must be there) or delete that row."
        )
    for column, what in _REQUIRED.items():
        if not row[column].strip():
            raise CorpusError(f"{where}: has no {column}. {what}")


def _check_listed_file(directory: Path, file: str, where: str, seeds: str) -> None:
    """A listed file is a .txt file directly in the folder: only those are read, so any other row would be
    dropped silently."""
    if os.path.basename(file) != file:
        raise CorpusError(
            f"{where}: lists '{file}', but an article must be a file directly in {directory}, named without "
            "a folder. Move the file into the folder and give its name alone, or delete that row."
        )
    if not file.lower().endswith(".txt"):
        raise CorpusError(
            f"{where}: lists '{file}', but only .txt files are articles. Save the article as a .txt file "
            "and list that, or delete that row."
        )
    if not (directory / file).is_file():
        raise CorpusError(
            f"{where}: lists '{file}', which {_not_a_file(directory / file)}. Restore the file{seeds} or "
            "delete that row."
        )


def _not_a_file(path: Path) -> str:
    """Why ``path`` cannot be read as an article, for an error message."""
    if path.is_symlink() and not path.exists():
        return f"is a symbolic link to '{os.readlink(path)}', which does not exist"
    if path.is_dir():
        return f"is a folder in {path.parent}"
    if not path.exists():
        return f"is not in {path.parent}"
    return "is not a regular file (a pipe, socket or device)"


def _verify(name: str, data: bytes, meta: DocumentMeta) -> str:
    digest = sha256_bytes(data)
    if meta.sha256 is not None and digest != meta.sha256:
        raise CorpusError(
            f"{name}: changed since it was catalogued (sha256 {digest[:12]}…, but {TABLE} line "
            f"{meta.table_line} records {meta.sha256[:12]}…). Corpus files are verbatim copies: restore "
            "the original, or update the sha256 in the table if you replaced the text on purpose."
        )
    return digest


def _inferred_doc_id(name: str) -> str:
    """The doc_id of a file the documents table does not list: its name without the extension (as
    ``Path.stem``, without making a ``Path`` for each of 100k files)."""
    return os.path.splitext(name)[0]


def _infer_meta(path: Path, norms: list[Normalised], removed: list[furniture.Removed]) -> DocumentMeta:
    """Metadata for a file the documents table does not list. The title is the first paragraph with
    visible text, normalised (a line of "&nbsp;" or a zero-width space is none, and a title holds no
    entities or invisible characters), when it is short and does not end as a sentence does."""
    first = next((norm.text for norm in norms if norm.text), "")
    is_title = len(first.split()) <= 20 and not first.endswith((".", "!", "?", ":"))
    return DocumentMeta(
        doc_id=_inferred_doc_id(path.name),
        file=path.name,
        sha256=None,
        title=first if is_title else "",
        outlet="",
        page_date_stated=furniture.dateline(removed) or "",
        notes=f"Not listed in {TABLE}: metadata inferred from the text.",
        table_line=None,
    )


@dataclass
class _Parsed:
    """One document taken apart: the rows it contributes to each table."""

    document: dict
    sentences: list[dict]
    removed: list[dict]
    repairs: list[dict]
    dates: list[dict]
    mentions: list[dict]


def _page_date(meta: DocumentMeta, path: Path) -> tuple[date | None, str | None]:
    """The page date and its precision. One given in the documents table must be a date; one only read
    from a dateline of the text ("calender Tuesday") may be none: the document is then undated, and
    ``_notes`` says why."""
    if not meta.page_date_stated:
        return None, None
    try:
        return dates.parse_page_date(meta.page_date_stated)
    except ValueError as exc:
        if meta.table_line is None:
            return None, None
        raise CorpusError(
            f"{path.name}: page date '{meta.page_date_stated}' cannot be parsed ({exc}). Correct "
            f"page_date_stated in {TABLE}."
        ) from exc


_BY_OFFSETS = operator.itemgetter("start", "end")


def parse_document(path: Path, raw: str, meta: DocumentMeta | None) -> _Parsed:
    """Take one raw document apart into its table rows; its sentences' languages are added for many
    documents at once (``sentence_languages``)."""
    removed = furniture.find_furniture(raw)
    paragraphs = list(furniture.kept_lines(raw, removed))
    detected_doc = language.detect_document(" ".join(raw[s:e] for s, e in paragraphs))
    if detected_doc is None:
        raise CorpusError(
            f"{path.name}: no text in a language zoomcase can read was found (after page furniture was "
            f"removed, {len(paragraphs)} line(s) were left). Check that the file holds the article's text, "
            "or move it out of the corpus folder."
        )
    doc_lang = detected_doc.language
    norms = [normalise(raw[s:e], doc_lang, offset=s) for s, e in paragraphs]
    meta = meta or _infer_meta(path, norms, removed)
    published, precision = _page_date(meta, path)
    rows = _Parsed({}, [], [], [], [], [])
    for norm in norms:
        rows.repairs += [
            {"start": r.start, "end": r.end, "raw": raw[r.start : r.end], "original": r.original,
             "replacement": r.replacement, "rule": r.rule, "evidence": r.evidence}
            for r in norm.repairs
        ]  # fmt: skip
        for a, b in split_sentences(norm.text):
            start, end = norm.raw_span(a, b)
            rows.sentences.append(
                {"sent_id": len(rows.sentences) + 1, "start": start, "end": end, "text": norm.text[a:b]}
            )
        for d in dates.find_dates(norm.text, doc_lang, anchor=published) if doc_lang in dates.LANGS else []:
            start, end = norm.raw_span(d.start, d.end)
            rows.dates.append(
                {"start": start, "end": end, "text": d.text, "kind": d.kind, "value": d.value,
                 "precision": d.precision, "qualifier": d.qualifier, "anchor": d.anchor}
            )  # fmt: skip
        for m in mentions.find_mentions(norm.text, doc_lang):
            start, end = norm.raw_span(m.start, m.end)
            rows.mentions.append(
                {"start": start, "end": end, "text": m.text, "entity": m.entity, "label": m.label,
                 "type": m.type}
            )  # fmt: skip
    for r in removed:
        rows.removed.append({"start": r.start, "end": r.end, "rule": r.rule, "text": r.text})
        if r.rule == "dateline" and published is not None:
            rows.dates.append(
                {"start": r.start, "end": r.end, "text": meta.page_date_stated, "kind": "page",
                 "value": published, "precision": precision, "qualifier": "", "anchor": None}
            )  # fmt: skip
    for listed in (rows.removed, rows.repairs, rows.dates, rows.mentions):  # sentences come in order
        listed.sort(key=_BY_OFFSETS)  # stable: as the tables' sort by doc_id, start, end
    rows.document = {
        "doc_id": meta.doc_id, "file": meta.file, "path": path, "title": meta.title,
        "outlet": meta.outlet, "language": doc_lang,
        "language_confidence": round(detected_doc.confidence, 3), "language_method": detected_doc.method,
        "page_date_stated": meta.page_date_stated,
        "published": pd.Timestamp(published) if published else pd.NaT,
        "published_precision": precision, "notes": _notes(meta, published, doc_lang),
        "raw": raw, "text": "\n\n".join(n.text for n in norms if n.text),
    }  # fmt: skip
    return rows


def _notes(meta: DocumentMeta, published: date | None, language: str) -> str:
    """The table's notes; that a dateline found in the text is no date (``_page_date``); and for a document
    in a language whose dates and numbers zoomcase cannot read, that it is kept without them (a German
    article in a user's corpus is read, not refused)."""
    notes = [meta.notes] if meta.notes else []
    if meta.page_date_stated and published is None:
        notes.append(
            f"The page's dateline '{meta.page_date_stated}' is not a date with a year, so the document is "
            "undated."
        )
    if language not in dates.LANGS:
        notes.append(
            f"Written in {language}: dates and numbers are read in {', '.join(dates.LANGS)} only, so this "
            "document has no dated mentions and no number claims."
        )
    return " ".join(notes)


def sentence_languages(parsed: list[_Parsed]) -> None:
    """Add each sentence's language to the rows of parsed documents (``language.detect_sentences``)."""
    rows = [(row, p.document["language"]) for p in parsed for row in p.sentences]
    detected = language.detect_sentences([row["text"] for row, _ in rows], [lang for _, lang in rows])
    for (row, _), d in zip(rows, detected, strict=True):
        row.update(language=d.language, language_confidence=round(d.confidence, 3), language_method=d.method)


_COLUMNS = {
    "sentences": [
        "doc_id",
        "sent_id",
        "start",
        "end",
        "text",
        "language",
        "language_confidence",
        "language_method",
    ],
    "removed": ["doc_id", "start", "end", "rule", "text"],
    "repairs": ["doc_id", "start", "end", "raw", "original", "replacement", "rule", "evidence"],
    "dates": ["doc_id", "start", "end", "text", "kind", "value", "precision", "qualifier", "anchor"],
    "mentions": ["doc_id", "start", "end", "text", "entity", "label", "type"],
}


# Text columns of a few distinct values over millions of rows: categorical (see ``runs._Codes``).
CATEGORICAL = {"sentences": ("language", "language_method"), "mentions": ("entity", "label", "type")}
# Columns of no single dtype (dates as objects, numbers): left alone when a table is empty.
_UNTYPED = {"start", "end", "sent_id", "language_confidence", "value", "anchor"}
_ORDER = ["doc_id", "start", "end"]


def _frame(name: str, parsed: list[_Parsed]) -> pd.DataFrame:
    """One table's rows of some documents, in the order given (``_parse_chunk`` sorts them)."""
    rows = [row for p in parsed for row in getattr(p, name)]
    doc_ids = [p.document["doc_id"] for p in parsed for _ in getattr(p, name)]
    # categorical here: a few codes to send instead of text, and nothing for the main process to encode
    codes = {column: pd.Categorical([row[column] for row in rows]) for column in CATEGORICAL.get(name, ())}
    return frame_of_rows(rows, _COLUMNS[name], doc_id=doc_ids, **codes)


def _finish(name: str, table: RunTable) -> pd.DataFrame:
    """One table from the sorted frames of runs of documents, with fixed dtypes. The runs come in file
    order, which is usually document order too: then no sort (a copy) is needed."""
    if not table.columns:  # no rows to infer from: give the columns the dtype they have when filled
        empty = pd.DataFrame(columns=_COLUMNS[name])
        empty = empty.astype(
            {c: "str" for c in empty if c not in _UNTYPED} | {"start": "int64", "end": "int64"}
        )
        return empty.astype(dict.fromkeys(CATEGORICAL.get(name, ()), "category"))  # of text, as when filled
    frame = table.frame()
    return frame if in_order(frame, _ORDER) else frame.sort_values(_ORDER, kind="stable", ignore_index=True)


_DOC_COLUMNS = [
    "doc_id", "file", "path", "sha256", "encoding", "language", "language_confidence", "language_method",
    "title", "outlet", "page_date_stated", "published", "published_precision", "notes", "raw", "text",
]  # fmt: skip
# The modules and libraries whose output the corpus tables depend on (the cache key covers them; a test
# checks that every zoomcase module the parse imports is here, but for storing, paths and validation).
_DERIVED_BY = (
    "corpus", "normalise", "furniture", "repairs", "sentences", "language", "dates", "mentions", "vocab",
    "wordregex", "prefilter", "runs", "spans",
)  # fmt: skip
_LIBRARIES = ("lingua-language-detector", "wordfreq", "dateparser", "ftfy", "pandas", "google-re2")


# Below this many documents, starting worker processes (each loads the language models) costs more than
# it saves.
PARALLEL_FROM = 200
# Documents per run sent to a worker (fewer for a small corpus, so that every worker has several): each
# run's tables cost some milliseconds to build and to take in, whatever their size; 256 documents a run
# instead of 64 cut the main process's CPU by a quarter at 10k documents.
CHUNK = 256


def cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def mp_context() -> multiprocessing.context.BaseContext:
    """How worker processes start. Forked workers share the loaded language models and word lists; that
    is safe because zoomcase never starts lingua's thread pool (see ``language.detect_sentences``).
    Elsewhere than Linux, "spawn" is the safe choice."""
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


T = TypeVar("T")
R = TypeVar("R")


def map_chunks(
    function: Callable[[T], R],
    chunks: Iterable[T],
    workers: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple = (),
) -> Iterator[R]:
    """``map(function, chunks)`` over ``workers`` processes, results in order. At most two chunks per
    worker are in flight, so neither the inputs nor the results of a big corpus pile up in memory
    (``Executor.map`` would pickle every chunk at once). ``initializer(*initargs)`` runs first in each
    process (in this one when ``workers`` is 1): a forked worker inherits its arguments without a copy."""
    if workers <= 1:
        if initializer is not None:
            initializer(*initargs)
        yield from map(function, chunks)
        return
    with ProcessPoolExecutor(workers, mp_context(), _start_worker, (initializer, initargs)) as pool:
        pending: deque[Future[R]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(function, chunk))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def map_shards(
    function: Callable[[T], R],
    shards: list[tuple[int, int]],
    chunk: Callable[[int, int], T],
    workers: int | None,
    initializer: Callable[..., None] | None = None,
    initargs: tuple = (),
) -> Iterator[Iterator[R]]:
    """For each shard ``[start, end)`` of items (documents), the results of ``function`` over its runs of
    items, ``chunk(a, b)`` being the run ``[a, b)``: all shards over one pool of ``workers`` processes
    (default: one per CPU for more than ``PARALLEL_FROM`` items, else 1). Runs hold at most ``CHUNK``
    items, fewer for a small corpus, so that every worker has several, and never span two shards. Each
    shard's results come as they arrive, and must be taken before the next shard's."""
    items = sum(end - start for start, end in shards)
    if workers is None:
        workers = cpus() if items > PARALLEL_FROM else 1
    workers = max(1, min(workers, items))
    size = max(1, min(CHUNK, items // (workers * 4) or 1))
    runs = [[(a, min(a + size, end)) for a in range(start, end, size)] for start, end in shards]
    # made as they are sent: a run's items are built only when it is in flight
    results = map_chunks(
        function, (chunk(a, b) for shard in runs for a, b in shard), workers, initializer, initargs
    )
    for shard in runs:  # one run's result at a time: a shard's all at once took 50 MB more at 100k documents
        yield (next(results) for _ in shard)


# A worker's young objects are collected every this many allocations instead of Python's 700.
WORKER_GC_THRESHOLD = 10_000


def _start_worker(initializer: Callable[..., None] | None, initargs: tuple) -> None:
    """A worker first takes the cyclic garbage collector mostly out of its way: the parse makes millions
    of short-lived containers that reference counting frees, and each collection walked every object
    alive, the inherited word lists, patterns and vocabularies included. Those are frozen (never walked
    again, nor copied out of the parent's memory by being walked) and young objects are collected less
    often. Measured in one process on 2,000 documents: 1.92 -> 1.76-1.85 ms of CPU per document."""
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])
    if initializer is not None:
        initializer(*initargs)


def _read(path: str | Path, limit: int | None = None) -> bytes:
    """A corpus file's bytes, its size checked before it is read: an oversized file is never loaded into
    memory. The size comes from the open file, and the file is read with ``os.read`` (no file object):
    a third of the time of ``open`` and ``read`` for 100k small files. ``limit``: as in
    ``check_document_size`` (None: read from the environment)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = check_document_size(path, os.fstat(fd).st_size, limit)
        data = os.read(fd, size + 1)  # a byte more says whether the file grew since it was measured
        if len(data) > size:  # then it is read to its end (the sha256 check will tell of the change)
            while more := os.read(fd, 1 << 16):
                data += more
        return data
    finally:
        os.close(fd)


def _parse_one(path: Path, digest: str, meta: DocumentMeta | None) -> _Parsed:
    """Read, decode and parse one file. It is read here, not handed over by the main process, so that no
    process holds the text of every file; its digest says it is the file the main process checked."""
    data = _read(path)
    if (now := sha256_bytes(data)) != digest:
        raise CorpusError(
            f"{path.name}: changed while loading (sha256 {digest[:12]}… when checked, {now[:12]}… when "
            "parsed). Load the corpus again when nothing is writing to its folder."
        )
    raw, encoding = decode(path, data)
    doc = parse_document(path, raw, meta)
    doc.document.update(sha256=digest, encoding=encoding, path=str(path))
    return doc


def _parse_chunk(items: list[tuple[Path, str, DocumentMeta | None]]) -> dict[str, pd.DataFrame]:
    """Every table of a run of documents, as frames: a worker's result is then compact to send back, and
    the main process never holds a Python object per sentence or per document text (at 100k documents
    that would be gigabytes)."""
    parsed = sorted((_parse_one(*item) for item in items), key=lambda p: p.document["doc_id"])
    sentence_languages(parsed)
    documents = pd.DataFrame([p.document for p in parsed], columns=_DOC_COLUMNS)
    return {"documents": documents, **{name: _frame(name, parsed) for name in _COLUMNS}}


def _parse_all(
    folder: Path,
    inputs: list[tuple[str, str]],
    table: dict[str, DocumentMeta],
    workers: int | None,
    keys: Callable[[list[tuple[int, int]]], list[str]] | None,
) -> dict[str, pd.DataFrame]:
    """Every table of every (file name, sha256) document, shard by shard (``cache.assemble``): read from
    the cache under ``keys(shards)`` or parsed, over ``workers`` processes when that pays off."""
    shards = shard_bounds([name for name, _ in inputs])

    def documents(start: int, end: int) -> list[tuple[Path, str, DocumentMeta | None]]:
        return [(folder / name, digest, table.get(name)) for name, digest in inputs[start:end]]

    def parse(missing: list[int]) -> Iterator[Iterator[dict[str, pd.DataFrame]]]:
        return map_shards(_parse_chunk, [shards[i] for i in missing], documents, workers)

    tables = {name: RunTable(CATEGORICAL.get(name, ())) for name in ["documents", *_COLUMNS]}
    assemble("corpus", len(shards), keys(shards) if keys else None, parse, tables)
    # A run whose documents all lack a page date has an object column of None there: infer it again over
    # all documents, as one frame of them all would.
    docs = tables.pop("documents").frame().infer_objects()
    if not in_order(docs, ["doc_id"]):
        docs = docs.sort_values("doc_id", ignore_index=True)
    return {"documents": docs, **{name: _finish(name, tables.pop(name)) for name in _COLUMNS}}


def _articles(folder: Path) -> list[str]:
    """The names of the folder's articles, its ``.txt`` files ("A.TXT" too), in name order. Any other
    entry, a subfolder named "2021.txt" included, is named in a ``CorpusWarning``; a ``.txt`` entry that
    is neither a file nor a folder (a broken symbolic link) stops the load, naming it."""
    files: list[str] = []
    others: list[str] = []
    # names, not a Path per file (``Path.glob`` took half a second at 100k files); ``scandir`` tells a file
    # from a folder without a ``stat`` per entry
    with os.scandir(folder) as entries:
        for entry in entries:
            txt = entry.name.lower().endswith(".txt")
            if txt and entry.is_file():
                files.append(entry.name)
            elif txt and not entry.is_dir():
                raise CorpusError(
                    f"{entry.name}: this entry {_not_a_file(Path(entry.path))}, so it cannot be read. "
                    f"Restore the file, or remove the entry from {folder}."
                )
            elif entry.name not in _NOT_ARTICLES and not entry.name.startswith("."):
                others.append(entry.name)
    if not files:
        raise CorpusError(f"{folder}: holds no .txt files. Add the articles as UTF-8 text files.")
    if others:
        others.sort()
        listed = ", ".join(others[:5]) + (", …" if len(others) > 5 else "")
        warnings.warn(
            f"{folder}: {len(others)} {'entry' if len(others) == 1 else 'entries'} not read, because only "
            f"the folder's own .txt files are articles: {listed}. Save articles as .txt files directly in "
            "the folder to include them.",
            CorpusWarning,
            stacklevel=4,
        )
    return sorted(files)


def _check_doc_ids(files: list[str], table: dict[str, DocumentMeta]) -> None:
    """Two documents with one doc_id are refused before anything is parsed: every table row is keyed by
    it."""
    owners: dict[str, str] = {}
    for name in files:
        meta = table.get(name)
        doc_id = meta.doc_id if meta else _inferred_doc_id(name)
        if (other := owners.setdefault(doc_id, name)) != name:
            raise CorpusError(
                f"{_whence(other, table)} and {_whence(name, table)} have the same doc_id '{doc_id}'. Give "
                f"each its own doc_id in {TABLE} (a file it does not list takes its name without .txt), or "
                "rename one of the files."
            )


def _whence(name: str, table: dict[str, DocumentMeta]) -> str:
    """A file and where its doc_id comes from, for an error message."""
    meta = table.get(name)
    if meta is None:
        return f"{name} (not listed in {TABLE}: its doc_id is its name)"
    return f"{name} ({TABLE} line {meta.table_line})"


def _fingerprints(folder: Path, table: dict[str, DocumentMeta]) -> list[tuple[str, str]]:
    """(file name, sha256) of every ``.txt`` file in name order, after the checks that need only its
    name (``_check_doc_ids``) or its bytes: size (before reading), sha256 against the documents table,
    duplicate content. The bytes are not kept: the parsing processes read the files again
    (``_parse_one``)."""
    files = _articles(folder)
    _check_doc_ids(files, table)
    seen: dict[str, str] = {}
    inputs: list[tuple[str, str]] = []
    limit, base = max_bytes(), os.fspath(folder)  # the limit once, not from the environment per file
    for name in files:
        data = _read(os.path.join(base, name), limit)  # a string: a Path per file cost more than reading
        meta = table.get(name)
        digest = _verify(name, data, meta) if meta else sha256_bytes(data)
        if digest in seen:
            raise CorpusError(
                f"{name} and {seen[digest]} have the same content (sha256 {digest[:12]}…). "
                "Remove one of them: a duplicate would count every claim twice."
            )
        seen[digest] = name
        inputs.append((name, digest))
    return inputs


def _shard_keys(
    folder: Path, inputs: list[tuple[str, str]], table: dict[str, DocumentMeta], shards: list[tuple[int, int]]
) -> list[str]:
    """The cache key of each shard's tables: the folder, the actors vocabulary, and each of its files'
    name, sha256 and row of the documents table (but the row's line number, which only error messages
    use: a row added above would otherwise change every shard below it)."""
    common = cache_key(
        [str(folder.resolve()), (vocab_dir() / "actors.csv").read_bytes()], _DERIVED_BY, _LIBRARIES
    )
    listed = {name: replace(meta, table_line=None) for name, meta in table.items()}
    return [
        cache_key(
            [common, *(f"{name}:{digest}:{listed.get(name)!r}" for name, digest in inputs[a:b])], (), ()
        )
        for a, b in shards
    ]


def load_corpus(
    directory: str | Path | None = None, cache: bool = True, workers: int | None = None
) -> Corpus:
    """Load every ``.txt`` file of the corpus folder (default: the project's ``data/corpus``).

    Files listed in ``documents.csv`` are checked against their sha256; others are loaded with inferred
    metadata. Raises ``CorpusError`` naming the file for anything that cannot be read faithfully. The
    parsed tables are cached (``zoomcase.cache``) in shards of documents, each under a key of its files,
    their rows of the documents table and the code: a file added, changed or removed is parsed again with
    its shard only. Every check on the files themselves runs on every load. ``workers``: processes that
    parse documents (default: one per CPU for more than ``PARALLEL_FROM`` documents, else 1); the tables
    are the same whatever it is.
    """
    folder = Path(directory) if directory is not None else corpus_dir()
    if not folder.is_dir():
        raise CorpusError(f"{folder}: no such corpus folder. Pass a folder that holds .txt articles.")
    table = read_table(folder)
    inputs = _fingerprints(folder, table)
    keys = partial(_shard_keys, folder, inputs, table) if cache else None
    # resolved: ``documents.path`` is then the same whatever the working directory, as in the cache
    frames = _parse_all(folder.resolve(), inputs, table, workers, keys)
    # Parquet keeps timestamps in ms; one resolution whichever way the tables were made.
    frames["documents"]["published"] = frames["documents"].published.astype("datetime64[ns]")
    corpus = Corpus(directory=folder, **frames)
    validate_corpus(corpus)
    return corpus
