"""Where zoomcase's data lives, resolved from the package, never from the current directory.

papermill runs a notebook in the caller's working directory and nbval in the notebook's folder, so every
path is anchored here. ``ZOOMCASE_DATA`` overrides the data folder (for tests and for users' own copies).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The project's ``data/`` folder (or ``$ZOOMCASE_DATA``)."""
    override = os.environ.get("ZOOMCASE_DATA")
    return Path(override).resolve() if override else REPO_ROOT / "data"


def corpus_dir() -> Path:
    return data_dir() / "corpus"


def market_dir() -> Path:
    return data_dir() / "market"


def vocab_dir() -> Path:
    return data_dir() / "vocab"


def shared_market_dir() -> Path:
    """The workplace's read-only market snapshot beside the checkout (``../shared/data/market``)."""
    override = os.environ.get("ZOOMCASE_SHARED_MARKET")
    return Path(override).resolve() if override else REPO_ROOT.parent / "shared" / "data" / "market"
