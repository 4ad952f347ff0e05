"""The controlled vocabularies in ``data/vocab/`` (actors, claim metrics, claim checks).

They are edited by hand, so they are read as all-string tables and their columns are checked on load.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from zoomcase.paths import vocab_dir


def read_vocab(name: str, columns: Sequence[str], path: str | Path | None = None) -> pd.DataFrame:
    """``data/vocab/<name>`` (or ``path``), all columns strings; an error names missing columns."""
    path = Path(path) if path is not None else vocab_dir() / name
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}; expected {list(columns)}")
    return frame
