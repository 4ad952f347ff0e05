"""A Parquet cache of derived tables, keyed by everything they are derived from.

Parsing the corpus loads language models and word lists (seconds), and every notebook needs it. The key
covers the input bytes, the code that derives the tables and the versions of the libraries whose output
they depend on, so a hit can only return what a fresh parse would. Entries are written to a temporary
folder and renamed into place, so parallel builds never read half a cache entry, and one process at a
time makes an entry (``load_or_make``): the others wait for it and read it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

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


def load(kind: str, digest: str, names: Iterable[str]) -> dict[str, pd.DataFrame] | None:
    folder = cache_dir() / kind / digest
    if not folder.is_dir():
        return None
    return {name: _read(folder / f"{name}.parquet") for name in names}


def _read(path: Path) -> pd.DataFrame:
    """A stored table, read row group by row group into single columns (``zoomcase.runs``); categorical
    columns come back categorical, empty ones too (Parquet keeps those as untyped nulls)."""
    file = pq.ParquetFile(path)
    columns = (file.schema_arrow.pandas_metadata or {}).get("columns", [])
    categorical = [c["name"] for c in columns if c.get("pandas_type") == "categorical"]
    table = RunTable(categorical)
    for group in range(file.num_row_groups):
        part = file.read_row_group(group).to_pandas()
        if len(part):
            table.add(part)
    if table.columns:
        return table.frame()
    empty = pd.read_parquet(path)
    return empty.astype(dict.fromkeys(categorical, "str")).astype(dict.fromkeys(categorical, "category"))


def load_or_make(
    kind: str, digest: str, names: Iterable[str], make: Callable[[], Mapping[str, pd.DataFrame]]
) -> Mapping[str, pd.DataFrame]:
    """The stored entry, or the tables ``make()`` returns, stored. While one process makes an entry, any
    other that asks for it waits and then reads it: ``zoomcase build`` runs notebooks in parallel and
    each loads the same corpus, which made every one of them parse it on the same cores."""
    names = list(names)
    found = load(kind, digest, names)
    if found is not None:
        return found
    lock = cache_dir() / ".locks" / f"{kind}-{digest}"
    with _locked(lock):
        found = load(kind, digest, names)  # made by another process while this one waited
        if found is not None:
            return found
        frames = make()
        store(kind, digest, frames)
        lock.unlink(missing_ok=True)  # whoever still waits on it finds the entry stored
        return frames


@contextmanager
def _locked(path: Path):
    """An exclusive ``flock`` on ``path`` (released by the system if the process dies). Where there is
    no ``fcntl`` (Windows), no lock: processes may then do the same work side by side."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


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
