"""The Parquet cache gives back exactly the tables it stored, however many row groups they span."""

from __future__ import annotations

import datetime as dt
import threading

import pandas as pd
import pyarrow.parquet as pq

from zoomcase import cache


def _table(n: int) -> pd.DataFrame:
    return (
        pd.DataFrame(
            {
                "doc_id": [f"{i // 7:06d}" for i in range(n)],
                "start": range(n),
                "text": [("zoom " * (i % 5)) or None for i in range(n)],
                "language": [["nl", "en", "fr"][i % 3] for i in range(n)],
                "value": [dt.date(2020, 1 + i % 12, 1) if i % 4 else None for i in range(n)],
                "published": pd.to_datetime(["2020-04-01"] * n).astype("datetime64[ms]"),
                "confidence": [i / n for i in range(n)],
            }
        )
        .astype({"doc_id": "str", "text": "str", "language": "str"})
        .astype({"language": "category"})
    )


def test_tables_come_back_equal_over_many_row_groups(tmp_path, monkeypatch):
    monkeypatch.setenv("ZOOMCASE_CACHE", str(tmp_path))
    monkeypatch.setattr(cache, "ROW_GROUP_BYTES", 2_000)
    frames = {"big": _table(5_000), "empty": _table(0)}
    cache.store("test", "key", frames)
    assert pq.ParquetFile(tmp_path / "test" / "key" / "big.parquet").num_row_groups > 10
    loaded = cache.load("test", "key", ["big", "empty"])
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(loaded[name], frame)
    assert cache.load("test", "other", ["big"]) is None


def test_one_process_makes_an_entry_while_the_others_wait_and_read_it(tmp_path, monkeypatch):
    # flock locks conflict between separately opened files even in one process, so threads stand in for
    # the notebooks of a parallel build.
    monkeypatch.setenv("ZOOMCASE_CACHE", str(tmp_path))
    started, release, made = threading.Event(), threading.Event(), []

    def slow() -> dict[str, pd.DataFrame]:
        made.append("slow")
        started.set()
        release.wait(10)
        return {"t": _table(50)}

    def fast() -> dict[str, pd.DataFrame]:
        made.append("fast")
        return {"t": _table(3)}

    first = threading.Thread(target=cache.load_or_make, args=("test", "key", ["t"], slow))
    first.start()
    started.wait(10)
    results = []
    second = threading.Thread(target=lambda: results.append(cache.load_or_make("test", "key", ["t"], fast)))
    second.start()
    second.join(0.5)
    assert second.is_alive()  # waiting for the entry, not making its own
    release.set()
    first.join(10)
    second.join(10)
    assert made == ["slow"]
    pd.testing.assert_frame_equal(results[0]["t"], _table(50))
