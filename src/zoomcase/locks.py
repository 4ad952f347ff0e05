"""One process at a time: an exclusive ``flock`` on a lock file.

Parallel notebook builds share the cache of parsed tables and an output folder's build record. Standard
library only, so that ``zoomcase build`` with nothing to do never loads pandas to take a lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive ``flock`` on ``path`` (released by the system if the process dies). Where there is no
    ``fcntl`` (Windows) or no lock file can be made (a folder that cannot be written), no lock: processes
    may then do the same work side by side, and a write that follows fails with its own message."""
    try:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(path, "a")  # noqa: SIM115 (closed below)
    except (ImportError, OSError):
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
