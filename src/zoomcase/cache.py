"""A Parquet cache of derived tables, keyed by everything they are derived from.

Parsing the corpus loads language models and word lists (seconds), and every notebook needs it. The key
covers the input bytes, the code that derives the tables and the versions of the libraries whose output
they depend on, so a hit can only return what a fresh parse would. Entries are written to a temporary
folder and renamed into place, so parallel builds never read half a cache entry.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from zoomcase.paths import REPO_ROOT

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


def load(kind: str, digest: str, names: Iterable[str]) -> dict[str, pd.DataFrame] | None:
    folder = cache_dir() / kind / digest
    if not folder.is_dir():
        return None
    return {name: pd.read_parquet(folder / f"{name}.parquet") for name in names}


def store(kind: str, digest: str, frames: Mapping[str, pd.DataFrame]) -> None:
    target = cache_dir() / kind / digest
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".tmp-"))
    for name, frame in frames.items():
        frame.to_parquet(tmp / f"{name}.parquet", index=False)
    try:
        tmp.rename(target)
    except OSError:  # another process stored the same entry first
        shutil.rmtree(tmp, ignore_errors=True)
