"""The Parquet cache gives back exactly the tables it stored, however many row groups they span."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import threading
import time

import pandas as pd
import pyarrow.parquet as pq
import pytest

from zoomcase import cache
from zoomcase.cli import main
from zoomcase.runs import RunTable


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


def _made(frames: dict[str, pd.DataFrame], log: list[str] | None = None):
    """A ``make`` for ``cache.assemble`` that gives each missing shard the runs of ``frames``."""

    def make(missing: list[int]):
        for i in missing:
            if log is not None:
                log.append(i)
            yield [frames]

    return make


def _assembled(keys, make, names=("t",)) -> dict[str, pd.DataFrame]:
    into = {name: RunTable(["language"]) for name in names}
    cache.assemble("test", len(keys), keys, make, into)
    return {name: table.frame() for name, table in into.items()}


def test_tables_come_back_equal_over_many_row_groups(tmp_path, monkeypatch):
    monkeypatch.setenv("ZOOMCASE_CACHE", str(tmp_path))
    monkeypatch.setattr(cache, "ROW_GROUP_BYTES", 2_000)
    frames = {"big": _table(5_000), "empty": _table(0)}
    made = _assembled(["key"], _made(frames), names=frames)  # a miss: made and stored
    assert pq.ParquetFile(tmp_path / "test" / "key" / "big.parquet").num_row_groups > 10
    log: list[int] = []
    read = _assembled(["key"], _made(frames, log), names=frames)
    assert log == []  # read, not made
    pd.testing.assert_frame_equal(read["big"], frames["big"])
    pd.testing.assert_frame_equal(made["big"], frames["big"])
    assert read["empty"].empty and made["empty"].empty


def test_only_missing_shards_are_made_and_they_come_in_shard_order(tmp_path, monkeypatch):
    monkeypatch.setenv("ZOOMCASE_CACHE", str(tmp_path))
    parts = [_table(30).iloc[i : i + 10].reset_index(drop=True) for i in (0, 10, 20)]

    def make(log):
        def shards(missing):
            log.extend(missing)
            return ([{"t": parts[i]}, {"t": parts[i].iloc[:0]}] for i in missing)

        return shards

    first: list[int] = []
    _assembled(["a", "c"], make(first))  # shards 0 and 2 stored under their keys
    assert first == [0, 1]
    later: list[int] = []
    both = _assembled(["a", "b", "c"], make(later))
    assert later == [1]  # only the new shard is made
    pd.testing.assert_frame_equal(
        both["t"], _table(30).iloc[[*range(10), *range(10, 20), *range(10, 20)]].reset_index(drop=True)
    )


def test_shards_end_where_the_names_say_so_an_added_name_changes_only_its_own(tmp_path):
    rng = random.Random(5)
    names = sorted(f"{rng.randrange(10**9):09d}.txt" for _ in range(20_000))
    bounds = cache.shard_bounds(names, 100)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(names)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))  # every name once, in order
    assert 150 < len(bounds) < 250  # about 20,000 / 100
    shards = lambda names: {tuple(names[a:b]) for a, b in cache.shard_bounds(names, 100)}  # noqa: E731
    before = shards(names)
    for _ in range(50):
        added = sorted([*names, f"{rng.randrange(10**9):09d}x.txt"])
        removed = names[: (k := rng.randrange(len(names)))] + names[k + 1 :]
        for changed in (added, removed):  # its shard changes (or splits in two, or joins the next)
            after = shards(changed)
            assert (
                1 <= len(before - after) + len(after - before) <= 3 and len(before & after) >= len(before) - 2
            )


def test_one_process_makes_the_shards_while_the_others_wait_and_read_them(tmp_path, monkeypatch):
    # flock locks conflict between separately opened files even in one process, so threads stand in for
    # the notebooks of a parallel build.
    monkeypatch.setenv("ZOOMCASE_CACHE", str(tmp_path))
    started, release, made = threading.Event(), threading.Event(), []

    def slow(missing):
        made.append("slow")
        started.set()
        release.wait(10)
        return _made({"t": _table(50)})(missing)

    def fast(missing):
        made.append("fast")
        return _made({"t": _table(3)})(missing)

    first = threading.Thread(target=_assembled, args=(["a", "b"], slow))
    first.start()
    started.wait(10)
    results = []
    second = threading.Thread(target=lambda: results.append(_assembled(["a", "b"], fast)))
    second.start()
    second.join(0.5)
    assert second.is_alive()  # waiting for the shards, not making its own
    release.set()
    first.join(10)
    second.join(10)
    assert made == ["slow"]
    pd.testing.assert_frame_equal(results[0]["t"], pd.concat([_table(50)] * 2, ignore_index=True))
    assert not list((tmp_path / ".locks").iterdir())  # no lock file left behind


def test_prune_deletes_shards_unused_for_days_and_a_read_counts_as_a_use(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ZOOMCASE_CACHE", str(tmp_path))
    _assembled(["old", "read", "new"], _made({"t": _table(5)}))
    long_ago = time.time() - 40 * 86_400
    for key in ("old", "read"):
        os.utime(tmp_path / "test" / key, (long_ago, long_ago))
    log: list[int] = []
    _assembled(["read"], _made({"t": _table(5)}, log))  # a hit: now used again
    assert log == []
    assert main(["cache"]) == 0
    assert "3 shard(s)" in capsys.readouterr().out
    stale = tmp_path / ".locks" / "test-killed"  # left by a process killed while it made shards
    stale.parent.mkdir(exist_ok=True)
    stale.touch()
    os.utime(stale, (long_ago, long_ago))
    removed = cache.prune(30)
    assert not stale.exists()
    assert [e.key for e in removed] == ["old"] and removed[0].bytes > 0
    assert sorted(p.name for p in (tmp_path / "test").iterdir()) == ["new", "read"]
    _assembled(["old"], _made({"t": _table(5)}, log))  # a pruned shard is only made again
    assert log == [0]
    assert main(["cache", "--prune", "0"]) == 0 and "removed 3 shard(s)" in capsys.readouterr().out
    with pytest.raises(ValueError, match="days: -1"):
        cache.prune(-1)


@pytest.mark.parametrize("days", ["nan", "inf", "-1"])
def test_prune_refuses_what_is_not_a_number_of_days(tmp_path, monkeypatch, capsys, days):
    """``--prune nan`` removed nothing and said "unused for more than nan day(s)"."""
    monkeypatch.setenv("ZOOMCASE_CACHE", str(tmp_path))
    assert main(["cache", "--prune", days]) == 2
    assert f"zoomcase: days: {float(days)} is not a number of days from 0 up" in capsys.readouterr().err


def test_a_damaged_shard_is_named_with_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("ZOOMCASE_CACHE", str(tmp_path))
    _assembled(["a", "b"], _made({"t": _table(5)}))
    damaged = tmp_path / "test" / "b" / "t.parquet"
    damaged.write_bytes(damaged.read_bytes()[:40])
    with pytest.raises(
        cache.CacheError, match=r"b/t\.parquet: this cached table cannot be read .*Delete its folder"
    ):
        _assembled(["a", "b"], _made({"t": _table(5)}))
    (tmp_path / "test" / "a" / "t.parquet").unlink()
    with pytest.raises(cache.CacheError, match=r"a/t\.parquet"):
        _assembled(["a"], _made({"t": _table(5)}))


def test_a_cache_folder_that_cannot_be_written_warns_and_the_tables_are_still_made(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"  # even root cannot make folders under a file
    blocked.write_text("")
    monkeypatch.setenv("ZOOMCASE_CACHE", str(blocked))
    with pytest.warns(cache.CacheWarning, match=r"a-file: parsed tables cannot be stored there"):
        made = _assembled(["a", "b"], _made({"t": _table(5)}))
    pd.testing.assert_frame_equal(made["t"], pd.concat([_table(5)] * 2, ignore_index=True))


def test_a_cache_that_can_be_read_but_not_written_is_still_read(tmp_path, monkeypatch):
    """A cache shared read-only (a class's server): marking a shard as used fails, the read must not."""
    monkeypatch.setenv("ZOOMCASE_CACHE", str(tmp_path))
    _assembled(["a"], _made({"t": _table(5)}))

    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(cache.os, "utime", refuse)
    log: list[int] = []
    pd.testing.assert_frame_equal(_assembled(["a"], _made({"t": _table(5)}, log))["t"], _table(5))
    assert log == []
