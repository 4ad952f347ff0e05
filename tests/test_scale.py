"""Scaling: parsing over worker processes gives exactly the tables of one process; the benchmark's
synthetic corpora are reproducible."""

from __future__ import annotations

import gc
import importlib.util
import os
import random
from pathlib import Path

import pandas as pd
import pytest

from zoomcase import CorpusError, cache, check_claims, date_documents, load_corpus
from zoomcase import corpus as corpus_module
from zoomcase.claims import extract_claims
from zoomcase.corpus import WORKER_GC_THRESHOLD, map_chunks
from zoomcase.views import EXAMPLES, corpus_findings, raw_vs_clean_html

SCALE = Path(__file__).resolve().parents[1] / "benchmarks" / "scale.py"


@pytest.fixture(scope="module")
def scale():
    spec = importlib.util.spec_from_file_location("zoomcase_benchmark_scale", SCALE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pool(scale):
    return scale.sentence_pool()


@pytest.fixture(scope="module")
def synthetic(scale, pool, tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    scale.generate(folder, 60, seed=1, pool=pool)
    return folder


def test_generator_is_deterministic(scale, pool, tmp_path):
    scale.generate(tmp_path / "a", 25, seed=7, pool=pool)
    scale.generate(tmp_path / "b", 25, seed=7, pool=pool)
    scale.generate(tmp_path / "c", 25, seed=8, pool=pool)
    read = lambda d: {p.name: p.read_bytes() for p in sorted(d.iterdir())}  # noqa: E731
    assert len(read(tmp_path / "a")) == 25
    assert read(tmp_path / "a") == read(tmp_path / "b")
    assert read(tmp_path / "a") != read(tmp_path / "c")
    assert set(pool) == {"nl", "en", "fr"} and all(pool.values())


def test_workers_give_the_same_tables(synthetic):
    one = load_corpus(synthetic, cache=False, workers=1)
    two = load_corpus(synthetic, cache=False, workers=2)
    assert len(one.documents) == 60 and len(one.sentences) > 300
    for name in ("documents", "sentences", "removed", "repairs", "dates", "mentions"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name), check_exact=True)
    pd.testing.assert_frame_equal(
        extract_claims(one, workers=1, cache=False),
        extract_claims(two, workers=2, cache=False),
        check_exact=True,
    )


def test_errors_in_a_worker_name_the_file(synthetic, tmp_path):
    for p in synthetic.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    (tmp_path / "zz_digits.txt").write_bytes(b"12 345 678\n")  # fails inside parse_document
    with pytest.raises(CorpusError, match=r"zz_digits\.txt"):
        load_corpus(tmp_path, cache=False, workers=2)


def test_notebook_views_stay_small_on_a_large_corpus(synthetic):
    """Notebook 01 on a newsroom corpus: the side-by-side view and the findings do not grow with it."""
    corpus = load_corpus(synthetic, cache=False)
    ids = list(corpus.documents.doc_id)
    assert len(raw_vs_clean_html(corpus, ids, 3)) < len(raw_vs_clean_html(corpus, ids, 6)) < 60_000
    findings = corpus_findings(corpus)
    assert len(corpus.repairs) > EXAMPLES and findings.count("→") <= EXAMPLES and "(×" in findings
    assert len(findings) < 3_000


def test_each_document_is_dated_by_its_own_claims(synthetic):
    """date_documents groups the claims once by document (it filtered them per document: quadratic)."""
    corpus = load_corpus(synthetic, cache=False)
    checked = check_claims(extract_claims(corpus, cache=False))
    dated = date_documents(corpus, checked)
    assert list(dated.doc_id) == list(corpus.documents.doc_id)
    assert dated.content_from.notna().sum() > 10
    for row in dated.itertuples():
        ids = [i for i in row.basis.split(", ") if i]
        assert all(i.startswith(f"{row.doc_id}-c") for i in ids)
        assert (pd.isna(row.content_from) and not ids) or row.content_from in set(
            checked.loc[checked.claim_id.isin(ids), "consistent_from"]
        )


def test_a_long_paragraph_gives_the_rows_its_sentences_give_in_short_ones(scale, pool, tmp_path):
    """Scraped text without line breaks: one long paragraph yields the same sentences, dates, mentions,
    repairs and claims, at the same offsets, as the same text broken into paragraphs between sentences."""
    rng = random.Random(3)
    sentences = [rng.choice(pool["nl"]) for _ in range(600)]  # whole sentences: headings would merge
    sentences = [s for s in sentences if s[0].isupper() and s.endswith((".", "!", "?"))][:400]
    joins = [" " if k % 5 else "\n" for k in range(1, len(sentences))]  # same length: same offsets
    broken = sentences[0] + "".join(j + s for j, s in zip(joins, sentences[1:], strict=True)) + "\n"
    for name, text in (("long", " ".join(sentences) + "\n"), ("short", broken)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "doc.txt").write_text(text, encoding="utf-8")
    long, short = (load_corpus(tmp_path / n, cache=False) for n in ("long", "short"))
    assert long.raw("doc").count("\n") == 1 and short.raw("doc").count("\n") > 70
    for table in ("sentences", "dates", "mentions", "repairs"):
        columns = [c for c in getattr(long, table).columns if c != "sent_id"]
        pd.testing.assert_frame_equal(getattr(long, table)[columns], getattr(short, table)[columns])
    assert len(long.repairs) > 10 and len(long.mentions) > 100
    drop = ["claim_id", "sent_id"]
    pd.testing.assert_frame_equal(
        extract_claims(long, cache=False).drop(columns=drop),
        extract_claims(short, cache=False).drop(columns=drop),
    )


def test_claims_read_tables_in_any_row_order_and_runs_of_any_size(synthetic, monkeypatch):
    """Claim extraction sends workers row ranges of tables sorted by document: a hand-made corpus whose
    rows are shuffled, runs of any size, a document without sentences between others, and a sentence whose
    document is missing are all handled."""
    from dataclasses import replace

    corpus = load_corpus(synthetic, cache=False, workers=1)
    expected = extract_claims(corpus, workers=1, cache=False)
    shuffled = replace(
        corpus,
        **{n: getattr(corpus, n).sample(frac=1, random_state=3) for n in ("sentences", "dates", "documents")},
    )
    for chunk, workers, shard in ((1, 1, 1000), (7, 2, 5), (256, 1, 3)):
        monkeypatch.setattr(corpus_module, "CHUNK", chunk)
        monkeypatch.setattr(cache, "SHARD_DOCUMENTS", shard)
        found = extract_claims(shuffled, workers=workers, cache=False)
        pd.testing.assert_frame_equal(found, expected, check_exact=True)
    gone = sorted(expected.doc_id.unique())[len(expected.doc_id.unique()) // 2]  # its dates stay
    without = replace(corpus, sentences=corpus.sentences[corpus.sentences.doc_id != gone])
    monkeypatch.setattr(corpus_module, "CHUNK", 5)
    pd.testing.assert_frame_equal(
        extract_claims(without, workers=1, cache=False),
        expected[expected.doc_id != gone].reset_index(drop=True),
        check_exact=True,
    )
    orphan = replace(corpus, documents=corpus.documents[corpus.documents.doc_id != gone])
    with pytest.raises(KeyError, match=f"document {gone} not in corpus.documents"):
        extract_claims(orphan, workers=1, cache=False)


def _remade(before: list[str], after: list[str], changed: str) -> set[tuple[str, ...]]:
    """The shards of ``after`` not among those of ``before``, or holding the ``changed`` one."""
    shards = lambda names: {tuple(names[a:b]) for a, b in cache.shard_bounds(names)}  # noqa: E731
    return {shard for shard in shards(after) if shard not in shards(before) or changed in shard}


def test_a_changed_corpus_parses_only_its_changed_shards_and_gives_the_tables_of_a_fresh_parse(
    scale, pool, synthetic, tmp_path, monkeypatch
):
    """A newsroom adds and edits articles: the cache keeps every shard of documents that did not change,
    parses only the documents of the shards that did, and the tables put together from both are those of
    a parse without the cache, claims included."""
    monkeypatch.setenv("ZOOMCASE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "SHARD_DOCUMENTS", 4)
    folder = tmp_path / "corpus"
    folder.mkdir()
    for p in synthetic.iterdir():
        (folder / p.name).write_bytes(p.read_bytes())
    before = sorted(p.name for p in folder.iterdir())
    extract_claims(load_corpus(folder, workers=2), workers=2)  # a miss: every shard stored
    stored = {kind: set(os.listdir(tmp_path / "cache" / kind)) for kind in ("corpus", "claims")}
    assert len(stored["corpus"]) == len(cache.shard_bounds(before)) > 4
    (folder / "000030a.txt").write_bytes(scale.document(random.Random(9), pool).encode())
    changed = folder / before[-5]
    changed.write_bytes(changed.read_bytes() + b"\nZoom had 300 million daily meeting participants.\n")
    after = sorted(p.name for p in folder.iterdir())
    parsed, parse_one = [], corpus_module._parse_one
    monkeypatch.setattr(
        corpus_module, "_parse_one", lambda path, *a: parsed.append(path.name) or parse_one(path, *a)
    )
    again = load_corpus(folder, workers=1)
    remade = _remade(before, after, changed.name)
    assert sorted(parsed) == sorted(name for shard in remade for name in shard)
    assert {"000030a.txt", changed.name} <= set(parsed) and len(parsed) < len(after) / 3
    fresh = load_corpus(folder, cache=False, workers=2)
    for name in ("documents", "sentences", "removed", "repairs", "dates", "mentions"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(fresh, name), check_exact=True)
    pd.testing.assert_frame_equal(extract_claims(again), extract_claims(fresh, cache=False), check_exact=True)
    stems = lambda names: [name.removesuffix(".txt") for name in names]  # noqa: E731 (the doc_ids)
    remade_claims = _remade(stems(before), stems(after), changed.stem)  # claims' shards go by doc_id
    for kind, made in (("corpus", remade), ("claims", remade_claims)):
        assert len(set(os.listdir(tmp_path / "cache" / kind)) - stored[kind]) == len(made)


def _collector_state(_: int) -> tuple[int, bool]:
    return gc.get_threshold()[0], gc.get_freeze_count() > 0


def test_workers_collect_garbage_less_often_and_leave_this_process_alone():
    before = gc.get_threshold(), gc.get_freeze_count()
    states = list(map_chunks(_collector_state, range(4), workers=2))
    assert states == [(WORKER_GC_THRESHOLD, True)] * 4
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
