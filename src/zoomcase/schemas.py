"""Schemas for every table zoomcase builds or reads, checked on load, and the corpus input-size rule.

Each table has a pandera ``DataFrameSchema`` (required columns, dtypes, value rules such as ``start < end``
or a verdict from the vocabulary). ``validate(name, frame)`` checks one table and raises a ``ValueError``
whose message names the table, and for the first failures the column, the row (index label) and the
offending value, e.g.::

    table 'sentences': 1 failure(s):
      - column 'start', row 3: value -1 fails greater_than_or_equal_to(0)

``validate_corpus(corpus)`` checks the six corpus tables and the links between them (every ``doc_id`` is a
document, every offset lies inside its document's raw text). The checks are cheap (milliseconds on the
project corpus) and never modify a frame.

``check_document_size`` is the corpus size rule: a document larger than ``MAX_BYTES`` (20 MB by default,
overridable per call or with ``$ZOOMCASE_MAX_DOC_BYTES``) is refused with a ``CorpusError`` naming the file,
its size and the limit. News articles are kilobytes; 20 MB of text is a dump or a mistake, and parsing it
would take minutes (sentence language detection is the slow part).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
from pandera.errors import SchemaError, SchemaErrors

# --- input size ------------------------------------------------------------------------------------------

MAX_BYTES = 20 * 1024 * 1024
MAX_BYTES_ENV = "ZOOMCASE_MAX_DOC_BYTES"


def max_bytes() -> int:
    """The per-document size limit: ``$ZOOMCASE_MAX_DOC_BYTES`` if set, else ``MAX_BYTES``."""
    value = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not value:
        return MAX_BYTES
    try:
        limit = int(value)
    except ValueError:
        raise ValueError(f"${MAX_BYTES_ENV} must be a whole number of bytes, not {value!r}") from None
    if limit <= 0:
        raise ValueError(f"${MAX_BYTES_ENV} must be positive, not {limit}")
    return limit


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB ({n:,} bytes)"


def check_document_size(path: Path, size: int | None = None, limit: int | None = None) -> int:
    """Raise ``CorpusError`` if the file is larger than the limit; return its size in bytes.

    Call it before reading the file, so an oversized one is never loaded into memory."""
    from zoomcase.corpus import CorpusError  # late: corpus imports the modules this one is used beside

    size = Path(path).stat().st_size if size is None else size
    limit = max_bytes() if limit is None else limit
    if size > limit:
        raise CorpusError(
            f"{Path(path).name}: {_mb(size)} is larger than the {_mb(limit)} limit for one corpus "
            f"document. Split it into articles, remove it from {Path(path).parent}, or raise the limit "
            f"with ${MAX_BYTES_ENV}."
        )
    return size


# --- table schemas ---------------------------------------------------------------------------------------

LANGUAGES = ("nl", "en", "fr", "de", "es", "it", "pt")
VERDICTS = ("supported", "contradicted", "misleading", "unverifiable")
CLAIM_KINDS = ("quantity", "event", "legal")
DATE_KINDS = ("page", "relative", "absolute")
# finest first; zoomcase.dates gives week and season too
PRECISIONS = ("day", "week", "month", "season", "quarter", "year", "decade")
METHODS = ("function_words", "lingua", "document")  # zoomcase.language.METHODS (not imported: no lingua here)


def _offsets(**extra: pa.Column) -> dict[str, pa.Column]:
    return {
        "doc_id": pa.Column(str, nullable=False),
        "start": pa.Column("int64", pa.Check.ge(0)),
        "end": pa.Column("int64", pa.Check.gt(0)),
        **extra,
    }


_START_BEFORE_END = pa.Check(lambda d: d["start"] < d["end"], name="start < end", element_wise=False)
_TEXT = pa.Column(str, pa.Check.str_length(min_value=1), nullable=False)
_CONFIDENCE = pa.Column("float64", pa.Check.in_range(0, 1))
_METHOD = pa.Column(str, pa.Check.isin(METHODS))
# Text that ``load_corpus`` makes categorical (a few values over millions of rows: ``corpus.CATEGORICAL``);
# plain text is as good, so the dtype is left open and the values are checked.
_LABEL = pa.Column(None, pa.Check.str_length(min_value=1), nullable=False)
_HTTP = pa.Check.str_matches(r"^https?://", name="starts with http:// or https://")
_ID = pa.Column(str, nullable=False, unique=True)


def _url(required: bool = True) -> pa.Column:
    return pa.Column(str, _HTTP, nullable=not required)


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    # corpus tables (zoomcase.corpus)
    "documents": pa.DataFrameSchema(
        {
            "doc_id": _ID,
            "file": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
            "sha256": pa.Column(str, pa.Check.str_matches(r"^[0-9a-f]{64}$")),
            "encoding": pa.Column(str),
            "language": pa.Column(str, pa.Check.isin(LANGUAGES)),
            "language_confidence": _CONFIDENCE,
            "language_method": _METHOD,
            "published": pa.Column("datetime64[ns]", nullable=True),
            "published_precision": pa.Column(str, pa.Check.isin(PRECISIONS), nullable=True),
            "raw": _TEXT,
            "text": pa.Column(str),
        },
    ),
    "sentences": pa.DataFrameSchema(
        _offsets(
            sent_id=pa.Column("int64", pa.Check.ge(1)),
            text=_TEXT,
            language=pa.Column(None, pa.Check.isin(LANGUAGES)),
            language_confidence=_CONFIDENCE,
            language_method=pa.Column(None, pa.Check.isin(METHODS)),
        ),
        checks=[_START_BEFORE_END],
        unique=["doc_id", "sent_id"],
    ),
    "removed": pa.DataFrameSchema(
        _offsets(rule=pa.Column(str, pa.Check.str_matches(r"^[a-z_]+$")), text=_TEXT),
        checks=[
            _START_BEFORE_END,
            pa.Check(lambda d: d["text"].str.len() == d["end"] - d["start"], name="len(text) == end - start"),
        ],
    ),
    "repairs": pa.DataFrameSchema(
        _offsets(
            raw=_TEXT,
            original=_TEXT,
            replacement=pa.Column(str),
            rule=pa.Column(str, pa.Check.isin(["glued_words", "glued_quote", "mojibake", "html_entity"])),
            evidence=_TEXT,
        ),
        checks=[_START_BEFORE_END],
    ),
    "dates": pa.DataFrameSchema(
        _offsets(
            text=_TEXT,
            kind=pa.Column(str, pa.Check.isin(DATE_KINDS)),
            value=pa.Column(nullable=True),  # a relative date without an anchor has no value
            precision=pa.Column(str, pa.Check.isin(PRECISIONS)),
        ),
        checks=[_START_BEFORE_END],
    ),
    "mentions": pa.DataFrameSchema(
        _offsets(text=_TEXT, entity=_LABEL, label=_LABEL, type=_LABEL),
        checks=[_START_BEFORE_END],
    ),
    # checked claims (zoomcase.checks.check_claims)
    "claims": pa.DataFrameSchema(
        _offsets(
            claim_id=_ID,
            sent_id=pa.Column("int64", pa.Check.ge(1)),
            text=_TEXT,
            kind=pa.Column(str, pa.Check.isin(CLAIM_KINDS)),
            metric=pa.Column(str, pa.Check.str_length(min_value=1)),
            value=pa.Column("float64", nullable=True),
            verdict=pa.Column(str, pa.Check.isin(VERDICTS)),
            explanation=pa.Column(str, nullable=True),
            consistent_from=pa.Column("datetime64[ns]", nullable=True),
            consistent_to=pa.Column("datetime64[ns]", nullable=True),
        ),
        checks=[
            _START_BEFORE_END,
            pa.Check(
                lambda d: ~(d["consistent_from"] > d["consistent_to"]),
                name="consistent_from <= consistent_to",
            ),
        ],
    ),
    # reference tables (zoomcase.reference.load_reference); their datapackage.json types them
    "events": pa.DataFrameSchema(
        {
            "id": _ID,
            "date": pa.Column(nullable=False),
            "category": pa.Column(str, nullable=False),
            "title": _TEXT,
            "source_url": _url(),
        }
    ),
    "usage_metrics": pa.DataFrameSchema(
        {
            "id": _ID,
            "date": pa.Column(nullable=False),
            "metric": _TEXT,
            "value": pa.Column("Int64", pa.Check.ge(0)),
            "source_url": _url(),
        }
    ),
    "financials": pa.DataFrameSchema(
        {
            "id": _ID,
            "fiscal_year": pa.Column(str, pa.Check.str_matches(r"^FY\d{4}$")),
            "shares_outstanding": pa.Column("Int64", pa.Check.gt(0), nullable=True),
            "shares_source_url": _url(required=False),
            "source_url": _url(),
        },
        unique=["fiscal_year", "period"],  # reference.revenue would silently take the first of two
    ),
    "enforcement": pa.DataFrameSchema(
        {
            "id": _ID,
            "date": pa.Column(nullable=False),
            "amount_usd": pa.Column("Int64", pa.Check.ge(0), nullable=True),
            "source_url": _url(),
        }
    ),
    "gdpr_fines": pa.DataFrameSchema(
        {
            "id": _ID,
            "date": pa.Column(nullable=False),
            "amount_eur": pa.Column("float64", pa.Check.ge(0), nullable=True),
            "source_url": _url(),
        }
    ),
}
CORPUS_TABLES = ("documents", "sentences", "removed", "repairs", "dates", "mentions")
MAX_REPORTED = 5
# What to do about a failed check whose name alone does not say it, per (table, check).
FIXES = {
    ("financials", "multiple_fields_uniqueness"): (
        "two rows have the same fiscal_year and period: keep one of them (a restated figure replaces the "
        "old one, with the change in its note)"
    ),
}


def _index_label(label: Hashable) -> str:
    return f"row {label}"


def _describe(cases: pd.DataFrame, frame: pd.DataFrame, row: Callable[[Hashable], str]) -> list[str]:
    """One readable line per failure of pandera's ``failure_cases`` table (a table-wide check such as
    ``start < end`` is one line per row, showing the row's offsets); ``row`` names a row from its label."""
    lines: list[str] = []
    seen: set[tuple[str, object]] = set()
    for case in cases.itertuples(index=False):
        check, label, value = str(case.check), case.index, case.failure_case
        table_wide = case.schema_context == "DataFrameSchema" and check not in (
            "column_in_dataframe",
            "multiple_fields_uniqueness",
        )
        at = f", {row(label)}" if pd.notna(label) else ""
        if check == "column_in_dataframe":
            lines.append(f"missing required column {value!r}")
        elif table_wide:
            if (check, label) in seen:
                continue
            seen.add((check, label))
            shown = [c for c in ("doc_id", "start", "end") if c in frame.columns]
            values = ", ".join(f"{c}={frame.loc[label, c]}" for c in shown) if label in frame.index else ""
            lines.append(f"columns {', '.join(repr(c) for c in shown)}{at}: {values} fails {check}")
        elif check.startswith("dtype("):
            lines.append(f"column {case.column!r}: dtype {value} where {check} is required")
        else:
            lines.append(f"column {case.column!r}{at}: value {value!r} fails {check}")
    return lines


def validate(
    name: str,
    frame: pd.DataFrame,
    *,
    source: str | None = None,
    row: Callable[[Hashable], str] = _index_label,
) -> pd.DataFrame:
    """Check ``frame`` against the schema of table ``name``; return it unchanged, or raise ValueError naming
    the table, column(s), row(s) and value(s) of the first failures.

    Rows are named by their index label unless ``row`` names them otherwise, and the table as ``source``
    says: a table read from a file names the file and counts rows as the reader's own messages do."""
    if name not in SCHEMAS:
        raise ValueError(f"no schema for table {name!r}; known tables: {', '.join(SCHEMAS)}")
    source = source or f"table {name!r}"
    try:
        SCHEMAS[name].validate(frame, lazy=True, inplace=True)
    except SchemaErrors as exc:
        lines = _describe(exc.failure_cases, frame, row)
        more = f"\n  … and {len(lines) - MAX_REPORTED} more" if len(lines) > MAX_REPORTED else ""
        lines = lines[:MAX_REPORTED]
        fixes = [
            FIXES[name, check] for check in exc.failure_cases["check"].unique() if (name, check) in FIXES
        ]
        raise ValueError(
            f"{source}: {len(exc.failure_cases)} failure(s):\n"
            + "\n".join(f"  - {line}" for line in lines)
            + more
            + "".join(f"\n  To fix: {fix}." for fix in fixes)
        ) from None
    except SchemaError as exc:  # pragma: no cover - lazy=True reports SchemaErrors; kept for safety
        raise ValueError(f"{source}: {exc}") from None
    return frame


def validate_corpus(corpus) -> None:
    """Validate the six corpus tables and their links: every ``doc_id`` names a document and every
    ``start``/``end`` lies inside that document's raw text."""
    for name in CORPUS_TABLES:
        validate(name, getattr(corpus, name))
    documents = corpus.documents
    doc_ids = pyarrow.array(documents["doc_id"], from_pandas=True)
    length = documents["raw"].str.len().to_numpy()
    for name in CORPUS_TABLES[1:]:
        table = getattr(corpus, name)
        # Looked up in arrow: pandas (reindex, get_indexer) would make a Python string of every row's doc_id.
        found = pc.index_in(pyarrow.array(table["doc_id"], from_pandas=True), value_set=doc_ids)
        if found.null_count:
            at = found.is_null().to_numpy(zero_copy_only=False).argmax()
            raise ValueError(
                f"table {name!r}, column 'doc_id', row {table.index[at]}: {table['doc_id'].iloc[at]!r} is "
                "not in table 'documents'"
            )
        position = found.to_numpy()
        beyond = table["end"].to_numpy() > length[position]
        if beyond.any():
            at = beyond.argmax()
            raise ValueError(
                f"table {name!r}, column 'end', row {table.index[at]}: {table['end'].iloc[at]} is beyond the "
                f"end of document {table['doc_id'].iloc[at]!r} ({length[position[at]]} characters)"
            )
