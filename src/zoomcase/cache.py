"""A Parquet cache of derived tables, keyed by everything they are derived from.

Parsing the corpus loads language models and word lists (seconds), and every notebook needs it. The key
covers the input bytes, the code that derives the tables and the versions of the libraries whose output
they depend on, so a hit can only return what a fresh parse would.

A table of many documents is stored in shards (``shard_bounds``) whose boundaries depend on the documents'
names alone: a newsroom's collection grows by a few articles at a time, and adding, changing or removing a
document then makes only its own shard again (``assemble``), not the whole corpus. Entries are written to
a temporary folder and renamed into place, so parallel builds never read half an entry, and one process at
a time makes the shards of a table: the others wait for it and read them.
"""

from __future__ import annotations

import ctypes
import hashlib
import math
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import nullcontext, suppress
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from zoomcase import locks
from zoomcase.paths import REPO_ROOT
from zoomcase.runs import RunTable

PACKAGE = Path(__file__).parent


def cache_dir() -> Path:
    """``$ZOOMCASE_CACHE`` or the git-ignored ``.cache/`` of the checkout."""
    override = os.environ.get("ZOOMCASE_CACHE")
    return Path(override) if override else REPO_ROOT / ".cache"


def key(parts: Iterable[bytes | str], modules: Iterable[str], libraries: Iterable[str]) -> str:
    """sha256 over input parts, the source of the named package modules and library versions."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    for module in modules:
        h.update((PACKAGE / f"{module}.py").read_bytes())
    for library in libraries:
        h.update(f"{library}=={version(library)}".encode())
    return h.hexdigest()


# Bytes per Parquet row group. Reading a row group needs some two to three times its size in buffers, so
# one row group for a whole table of 100k documents meant a gigabyte of transient memory.
ROW_GROUP_BYTES = 4 << 20


# Documents per shard, on average (see ``shard_bounds``).
SHARD_DOCUMENTS = 1_000


def shard_bounds(names: Sequence[str], size: int | None = None) -> list[tuple[int, int]]:
    """Runs ``[start, end)`` of ``names`` (sorted), the shards a table is stored in. A shard ends after each
    name whose hash is a multiple of ``size`` (default ``SHARD_DOCUMENTS``): where shards end depends on
    the names alone, not on positions, so a document added or removed changes its own shard (which may
    split in two, or join the next) and leaves every other one as it was stored. (Not crc32: it is linear,
    and numbered names such as "000030.txt" then end shards at regular steps.)"""
    size = size or SHARD_DOCUMENTS
    bounds, start = [], 0
    for end, name in enumerate(names, start=1):
        if int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest()) % size == 0:
            bounds.append((start, end))
            start = end
    return [*bounds, (start, len(names))] if start < len(names) else bounds


def assemble(
    kind: str,
    shards: int,
    keys: Sequence[str] | None,
    make: Callable[[list[int]], Iterator[Iterable[Mapping[str, pd.DataFrame]]]],
    into: Mapping[str, RunTable],
) -> None:
    """Add every shard's tables to ``into``, shard by shard in order: those stored under ``kind`` and the
    shard's key are read back, the others are made and stored. ``make(missing)`` gets the positions of
    the shards to make and yields, for each in turn, the frames of its runs of rows as they come (all of
    them in one call, so that worker processes start once). ``keys``: one per shard; None: nothing is
    read or stored.

    While one process makes a table's shards, another that asks for the same shards waits for it and then
    reads them: ``zoomcase build`` runs notebooks in parallel, and each loads the same corpus."""
    if keys is None:
        for runs in make(list(range(shards))):
            _add(into, runs)
        return
    lock = cache_dir() / ".locks" / f"{kind}-{hashlib.sha256(' '.join(keys).encode()).hexdigest()}"
    missing = [i for i, k in enumerate(keys) if not (cache_dir() / kind / k).is_dir()]
    locked = bool(missing)
    with locks.locked(lock) if locked else nullcontext():
        missing = [i for i in missing if not (cache_dir() / kind / keys[i]).is_dir()]  # made meanwhile?
        made, todo = make(missing) if missing else iter(()), set(missing)
        for i, k in enumerate(keys):
            if i in todo:
                tables = _combined(next(made), into)
                _store(kind, k, tables)
                _add(into, [tables])
                del tables
            else:
                for name, table in into.items():
                    _read_into(cache_dir() / kind / k / f"{name}.parquet", table)
                with suppress(OSError):  # a cache shared read-only is still read
                    os.utime(cache_dir() / kind / k)  # last used now (see ``prune``)
            _give_back()
        if locked:  # whoever still waits on it finds the shards stored (and no lock file is left)
            with suppress(OSError):  # none was made in a cache folder that cannot be written
                lock.unlink(missing_ok=True)


def _combined(
    runs: Iterable[Mapping[str, pd.DataFrame]], like: Mapping[str, RunTable]
) -> dict[str, pd.DataFrame]:
    """One shard's frame of each table from the frames of its runs."""
    tables = {name: RunTable(table.categorical) for name, table in like.items()}
    _add(tables, runs)
    return {name: table.frame() for name, table in tables.items()}


def _add(into: Mapping[str, RunTable], runs: Iterable[Mapping[str, pd.DataFrame]]) -> None:
    """Each run's frames into the tables, one run at a time as they arrive (see ``runs.RunTable``)."""
    for run in runs:
        for name, frame in run.items():
            if not frame.empty:  # an empty frame would turn text columns to object
                into[name].add(frame)


def _give_back() -> None:
    """Return the memory freed since to the system. glibc keeps the heap that reading or making a shard
    grew, and after a hundred shards (100k documents) the process held 40 to 90 MB more at its peak than
    when it read one file per table; ``malloc_trim`` gives it back. Nothing where there is no glibc."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


_LIBC = _glibc()


class CacheError(ValueError):
    """A stored shard cannot be read; the message names it and says what to do."""


def _read_into(path: Path, table: RunTable) -> None:
    """A stored table, added to ``table`` row group by row group (see ``ROW_GROUP_BYTES``)."""
    try:
        file = pq.ParquetFile(path)
        for group in range(file.num_row_groups):
            part = file.read_row_group(group).to_pandas(ignore_metadata=True)
            if len(part):
                table.add(part)
    except (OSError, pa.ArrowException) as error:
        raise CacheError(
            f"{path}: this cached table cannot be read ({error}). Delete its folder {path.parent} (or run "
            "'zoomcase cache --prune 0' to empty the cache) and load again: it will be parsed afresh."
        ) from error


class CacheWarning(UserWarning):
    """The cache could not be written; the tables were made and are used without it."""


def _store(kind: str, digest: str, frames: Mapping[str, pd.DataFrame]) -> None:
    """``store``, or a warning where the cache folder cannot be written (a read-only checkout, a full
    disk): the tables are made already, and a load should not fail for want of a cache."""
    try:
        store(kind, digest, frames)
    except OSError as error:
        warnings.warn(
            f"{cache_dir()}: parsed tables cannot be stored there ({error}); they are used without the "
            "cache, and made again next time. Set ZOOMCASE_CACHE to a folder you can write.",
            CacheWarning,
            stacklevel=4,
        )


def store(kind: str, digest: str, frames: Mapping[str, pd.DataFrame]) -> None:
    target = cache_dir() / kind / digest
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".tmp-"))
    for name, frame in frames.items():
        size = int(frame.memory_usage(deep=True).sum())
        rows = max(1, len(frame) * ROW_GROUP_BYTES // max(size, 1))
        frame.to_parquet(tmp / f"{name}.parquet", index=False, row_group_size=rows)
    try:
        tmp.rename(target)
    except OSError:  # another process stored the same entry first
        shutil.rmtree(tmp, ignore_errors=True)


@dataclass(frozen=True)
class Entry:
    """One stored shard: its kind ("corpus", "claims"), key, size on disk and when it was last read or
    stored (seconds since the epoch)."""

    kind: str
    key: str
    bytes: int
    last_used: float


def entries() -> list[Entry]:
    """Every stored shard, oldest use first."""
    found = []
    for kind in sorted(p for p in cache_dir().glob("*") if p.is_dir() and not p.name.startswith(".")):
        for folder in kind.iterdir():
            if folder.is_dir() and not folder.name.startswith(".tmp-"):
                size = sum(f.stat().st_size for f in folder.iterdir())
                found.append(Entry(kind.name, folder.name, size, folder.stat().st_mtime))
    return sorted(found, key=lambda e: (e.last_used, e.kind, e.key))


def prune(days: float, now: float | None = None) -> list[Entry]:
    """Delete the shards not read or stored for more than ``days`` days, and return them. A collection
    that changes leaves the shards of its old files behind (a day's scattered additions to 100k documents,
    most of 126 shards of some 10 MB); a shard deleted while still in use is only parsed again."""
    if not 0 <= days < math.inf:  # nan compares false, and inf would keep everything: both mistakes
        raise ValueError(
            f"days: {days} is not a number of days from 0 up; give how many days unused a shard may stay."
        )
    limit = (time.time() if now is None else now) - days * 86_400
    old = [e for e in entries() if e.last_used < limit]
    for entry in old:
        shutil.rmtree(cache_dir() / entry.kind / entry.key, ignore_errors=True)
    for lock in (cache_dir() / ".locks").glob("*"):  # left by a process that was killed while it worked
        if lock.stat().st_mtime < limit:
            lock.unlink(missing_ok=True)
    return old
