"""Tables put together from the frames of runs of rows as they arrive (from worker processes, or from the
row groups of a Parquet file), without holding a table twice.

A big corpus is parsed in runs of documents; concatenating the runs' frames at the end would hold every
table twice at its peak, and arrow text split over many chunks is copied whole on every row selection. So
each column is appended run by run to one growing buffer and ends as one array.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa


def in_order(frame: pd.DataFrame, by: list[str]) -> bool:
    """Whether ``frame`` is already sorted by ``by``, so that a sort (a copy of the whole table) can be
    skipped. Compares neighbouring rows column by column, without a Python object per row."""
    tied = np.ones(max(len(frame) - 1, 0), dtype=bool)
    for column in by:
        before, after = frame[column].array[:-1], frame[column].array[1:]
        if (tied & np.asarray(after < before, dtype=bool)).any():
            return False
        tied &= np.asarray(after == before, dtype=bool)
    return True


def frame_of_rows(rows: list[dict], columns: list[str], **given: list) -> pd.DataFrame:
    """The frame of row dicts (``given``: whole columns), built column by column: about half the time of
    ``pd.DataFrame(rows)``, which a worker pays for every run of documents."""
    data = {column: given[column] if column in given else [row[column] for row in rows] for column in columns}
    return pd.DataFrame(data, columns=columns)


class _Bytes:
    """A byte buffer that grows in place by realloc, an eighth at a time (as a ``bytearray`` does), and is
    cut to its size when done: a ``bytearray`` keeps up to an eighth spare for good (with the claim ids
    built in arrow, the main process's peak at 100k documents fell by 15-50 MB)."""

    __slots__ = ("array", "size")

    def __init__(self, size: int = 0) -> None:
        self.array = np.zeros(size, dtype=np.uint8)
        self.size = size

    def extend(self, data: np.ndarray | memoryview) -> None:
        new = np.frombuffer(data, dtype=np.uint8)
        end = self.size + len(new)
        if end > len(self.array):  # nothing else refers to the array before ``done``
            self.array.resize(max(end, len(self.array) + len(self.array) // 8), refcheck=False)
        self.array[self.size : end] = new
        self.size = end

    def done(self) -> np.ndarray:
        self.array.resize(self.size, refcheck=False)
        return self.array


class _Buffer:
    """The values of one column and dtype, appended run by run to one growing buffer (``_Bytes``): each
    run's arrays can be let go once copied in, and the column ends as one array, never held twice as
    ``pd.concat`` and a copy into one array would. Arrow text needs one array: arrow copies a column of
    chained arrays whole on every row selection. Text keeps its int64 offsets beside the characters, and
    the rows of missing values if there are any."""

    def __init__(self, dtype: np.dtype | pd.StringDtype) -> None:
        self.dtype = dtype
        self.data = _Bytes()
        self.offsets = _Bytes(8)  # text: the end of each value, after a first 0
        self.missing: list[np.ndarray] = []  # text: rows of missing values

    @staticmethod
    def holds(values: pd.Series) -> bool:
        """Arrow text and fixed-width numpy values (numbers, datetimes) go into a buffer; objects do not."""
        if isinstance(values.array, pd.arrays.ArrowStringArray):
            return True
        return isinstance(values.dtype, np.dtype) and values.dtype.kind in "biufmM"

    def append(self, values: pd.Series) -> None:
        if not isinstance(self.dtype, pd.StringDtype):
            self.data.extend(np.ascontiguousarray(values.to_numpy()).view(np.uint8))
            return
        array = pa.array(values.array)
        for chunk in array.chunks if isinstance(array, pa.ChunkedArray) else [array]:
            _, offsets, data = chunk.buffers()
            if chunk.null_count:
                missing = chunk.is_null().to_numpy(zero_copy_only=False)
                self.missing.append(np.flatnonzero(missing) + self.offsets.size // 8 - 1)
            ends = np.frombuffer(offsets, dtype=np.int64)[chunk.offset : chunk.offset + len(chunk) + 1]
            self.offsets.extend((ends[1:] - ends[0] + self.data.size).view(np.uint8))
            if data is not None:
                self.data.extend(memoryview(data)[ends[0] : ends[-1]])

    def values(self) -> np.ndarray | pd.Series:
        if not isinstance(self.dtype, pd.StringDtype):
            return self.data.done().view(self.dtype)
        rows = self.offsets.size // 8 - 1
        valid = None
        if self.missing:
            present = np.ones(rows, dtype=bool)
            present[np.concatenate(self.missing)] = False
            valid = pa.py_buffer(np.packbits(present, bitorder="little"))
        text = pa.LargeStringArray.from_buffers(
            rows, pa.py_buffer(self.offsets.done()), pa.py_buffer(self.data.done()), valid
        )
        return pd.Series(text, dtype=self.dtype)


class _Codes:
    """A text column of a few distinct values (languages, methods, actors), kept as codes as the runs
    arrive and made a categorical column: a byte a row instead of the text and its 8-byte offset (at 100k
    documents, some 200 MB less). Categories are sorted, so the result does not depend on the runs."""

    def __init__(self) -> None:
        self.codes = bytearray()  # int32 codes into `index`, -1 for a missing value
        self.index: dict[str, int] = {}

    def append(self, values: pd.Series) -> None:
        run = pd.Categorical(values)
        known = np.array([self.index.setdefault(c, len(self.index)) for c in run.categories] + [-1], np.int32)
        self.codes += memoryview(known[run.codes].view(np.uint8))  # code -1 takes the last entry, -1

    def values(self) -> pd.Series:
        names = np.array(list(self.index), dtype=object)
        order = np.argsort(names, kind="stable")
        rank = np.empty(len(names) + 1, dtype=np.int32)
        rank[order], rank[-1] = np.arange(len(names), dtype=np.int32), -1
        codes = rank[np.frombuffer(self.codes, dtype=np.int32)]
        categories = pd.Index(names[order].tolist(), dtype="str")
        return pd.Series(pd.Categorical.from_codes(codes, categories=categories))


class RunTable:
    """One table put together from the frames of runs of rows as they arrive (the documents a worker
    parsed, the row groups of a Parquet file), each column in ``_Buffer`` parts (one, unless its dtype
    changes between runs), ``_Codes`` for the ``categorical`` columns, or, for objects, the runs' columns."""

    def __init__(self, categorical: Iterable[str] = ()) -> None:
        self.columns: dict[str, list[_Buffer | _Codes | pd.Series]] = {}
        self.categorical = frozenset(categorical)

    def add(self, frame: pd.DataFrame) -> None:
        for name, values in frame.items():
            parts = self.columns.setdefault(name, [])
            if name in self.categorical:
                if not parts:
                    parts.append(_Codes())
                parts[0].append(values)
                continue
            if not _Buffer.holds(values):
                parts.append(values)
                continue
            if not (parts and isinstance(parts[-1], _Buffer) and parts[-1].dtype == values.dtype):
                parts.append(_Buffer(values.dtype))
            parts[-1].append(values)

    def frame(self) -> pd.DataFrame:
        """The table; a column of several parts (e.g. text in some runs and None in others) is
        concatenated as ``pd.concat`` of the runs would."""
        columns = {}
        for name, parts in self.columns.items():
            values = [part.values() if isinstance(part, (_Buffer, _Codes)) else part for part in parts]
            columns[name] = (
                values[0] if len(values) == 1 else pd.concat(map(pd.Series, values), ignore_index=True)
            )
        return pd.DataFrame(columns, copy=False)
