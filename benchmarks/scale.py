"""Benchmark: how the cost of load + normalise + claim extraction grows with the size of the corpus.

Synthetic corpora are generated into a temporary folder (never into the repository): each document takes
5-40 sentences of *one* language (nl, en or fr), drawn with a fixed seed from the raw sentence spans of the
real corpus, grouped into paragraphs, sometimes with a line of page furniture. For every size, a fresh
child process runs ``load_corpus`` and ``extract_claims`` without the cache, so the peak memory it reports
(``ru_maxrss``) belongs to that size alone. Printed per size: documents, sentences, claims, MB of text,
wall seconds (load, claims, total), CPU seconds (all processes, and of them the main process), documents/s,
MB/s, the peak memory of the main process after loading and after claims, and of the largest worker process
(which counts the pages it shares with the main process it was forked from), and the growth of the wall
time per document against the previous size (1.00 = linear).
Then one document of ``--long-mb`` MB in a single paragraph (scraped text often has no line breaks), whose
CPU per MB should be near the corpora's (its process start-up included). Finally load + claims for the
largest size through the cache (Parquet, ``zoomcase.cache``): a miss, which parses and stores, then a hit,
which is what a notebook rerun costs, then reruns after the collection changed: one article corrected,
``--added`` articles numbered after the others (a day's files), and as many named among the others (slugs);
only the shards those files fall in are parsed again.

Targets (scale issue): linear growth; 100k documents in under a minute on 2 cores, under 2 GB of memory.

    .venv/bin/python benchmarks/scale.py                       # 1000 10000 100000
    .venv/bin/python benchmarks/scale.py --sizes 1000 5000     # quick run
    .venv/bin/python benchmarks/scale.py --workers 1           # single process, for comparison

Note: the sentences repeat (the real corpus has ~110), so caches keyed by whole sentences would flatter the
numbers; zoomcase caches words (glued-word checks, including white-space tokens found clean) and date phrases
only, which repeat in real corpora too. The 114 sentences hold only 1,105 distinct tokens, so those word
caches hit more often here than on real text, where the vocabulary keeps growing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LANGS = ("nl", "en", "fr")
FURNITURE = ("news post", "Share", "Meer lezen", "ALSO READ: Zoom shares fall", "Copyright 2020 Newsroom")


def sentence_pool(corpus=None) -> dict[str, list[str]]:
    """Raw sentence spans of the real corpus by their document's language (raw, so that typographic
    quotes, odd spaces and glued words still need normalising)."""
    from zoomcase import load_corpus

    corpus = corpus if corpus is not None else load_corpus()
    lang = dict(zip(corpus.documents.doc_id, corpus.documents.language, strict=True))
    pool: dict[str, list[str]] = {code: [] for code in LANGS}
    for s in corpus.sentences.itertuples(index=False):
        text = corpus.raw(s.doc_id)[s.start : s.end]
        if lang[s.doc_id] in pool and "\n" not in text:
            pool[lang[s.doc_id]].append(text)
    return pool


def document(rng: random.Random, pool: dict[str, list[str]]) -> str:
    """One synthetic article: 5-40 sentences of one language in paragraphs of 1-4 sentences."""
    sentences = pool[rng.choice(LANGS)]
    picked = [rng.choice(sentences) for _ in range(rng.randint(5, 40))]
    paragraphs = []
    while picked:
        k = rng.randint(1, 4)
        paragraphs.append(" ".join(picked[:k]))
        picked = picked[k:]
    if rng.random() < 0.2:
        paragraphs.insert(0, rng.choice(FURNITURE))
    if rng.random() < 0.1:
        paragraphs.append(rng.choice(FURNITURE))
    return "\n\n".join(paragraphs) + "\n"


def long_document(rng: random.Random, pool: dict[str, list[str]], mb: float) -> str:
    """One article of ``mb`` MB in a single paragraph, as scraped text without line breaks often comes."""
    sentences = pool[rng.choice(LANGS)]
    picked: list[str] = []
    size = 0
    while size < mb * 1e6:
        picked.append(rng.choice(sentences))
        size += len(picked[-1].encode("utf-8")) + 1
    return " ".join(picked) + "\n"


def generate(folder: Path, n: int, seed: int = 0, pool: dict[str, list[str]] | None = None) -> int:
    """Write ``n`` distinct synthetic documents (``000000.txt``...) into ``folder``; returns their bytes.
    The same ``n`` and ``seed`` always give the same files."""
    pool = pool if pool is not None else sentence_pool()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    seen: set[bytes] = set()
    total = 0
    for i in range(n):
        while True:  # load_corpus refuses duplicate files
            data = document(rng, pool).encode("utf-8")
            digest = hashlib.sha256(data).digest()
            if digest not in seen:
                seen.add(digest)
                break
        (folder / f"{i:06d}.txt").write_bytes(data)
        total += len(data)
    return total


def add(folder: Path, names: list[str], rng: random.Random, pool: dict[str, list[str]]) -> None:
    """New synthetic articles under the given file names."""
    for name in names:
        (folder / name).write_bytes(document(rng, pool).encode("utf-8"))


def change(path: Path) -> None:
    """An article corrected: a sentence with a claim appended."""
    path.write_bytes(path.read_bytes() + b"\nZoom had 300 million daily meeting participants.\n")


def child(folder: str, workers: int | None, cache: bool) -> None:
    """Runs in a fresh process: one measurement, printed as JSON."""
    from zoomcase import load_corpus
    from zoomcase.claims import extract_claims

    start = time.perf_counter()
    corpus = load_corpus(folder, cache=cache, workers=workers)
    loaded = time.perf_counter()
    load_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    claims = extract_claims(corpus, workers=workers, cache=cache)
    done = time.perf_counter()
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        json.dumps(
            {
                "load": loaded - start,
                "claims": done - loaded,
                "cpu": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
                "main_cpu": own.ru_utime + own.ru_stime,  # this process: file checks, putting runs together
                "sentences": len(corpus.sentences),
                "claim_rows": len(claims),
                "load_peak_mb": load_peak,  # this process, by the end of load_corpus
                "peak_mb": own.ru_maxrss / 1024,  # this process (it holds every table), claims included
                # the largest worker process; its resident pages include those it shares with the main
                # process it was forked from (the claims workers see every table without a copy)
                "worker_peak_mb": kids.ru_maxrss / 1024,
            }
        )
    )


def measure(folder: Path, workers: int | None, cache: bool = False, env: dict | None = None) -> dict:
    command = [sys.executable, __file__, "--child", str(folder)]
    command += ["--workers", str(workers)] if workers else []
    command += ["--cache"] if cache else []
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--workers", type=int, default=None, help="load_corpus workers (default: auto)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--long-mb", type=float, default=5, help="size of the one-paragraph document (0: none)"
    )
    parser.add_argument(
        "--added", type=int, default=100, help="documents added before the last cache run (default 100)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--cache", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.workers, args.cache)
        return
    pool = sentence_pool()
    print(f"sentence pool: {', '.join(f'{k} {len(v)}' for k, v in pool.items())}; cpus: {os.cpu_count()}")
    header = (
        f"{'documents':>10} {'sentences':>10} {'claims':>8} {'MB':>6} {'load s':>7} {'claims s':>8} "
        f"{'total s':>8} {'cpu s':>7} {'main':>5} {'docs/s':>7} {'MB/s':>5} {'load MB':>8} {'peak MB':>8} "
        f"{'worker MB':>9} {'growth':>6}"
    )
    print(header, flush=True)
    previous = None
    with tempfile.TemporaryDirectory(prefix="zoomcase-scale-") as tmp:
        for n in args.sizes:
            folder = Path(tmp, f"corpus-{n}")
            size = generate(folder, n, args.seed, pool) / 1e6
            r = measure(folder, args.workers)
            total = r["load"] + r["claims"]
            growth = f"{(total / n) / previous:6.2f}" if previous else f"{'-':>6}"
            previous = total / n
            print(
                f"{n:>10} {r['sentences']:>10} {r['claim_rows']:>8} {size:>6.1f} {r['load']:>7.1f} "
                f"{r['claims']:>8.1f} {total:>8.1f} {r['cpu']:>7.0f} {r['main_cpu']:>5.0f} {n / total:>7.0f} "
                f"{size / total:>5.2f} "
                f"{r['load_peak_mb']:>8.0f} {r['peak_mb']:>8.0f} {r['worker_peak_mb']:>9.0f} {growth}",
                flush=True,
            )
        if args.long_mb:  # a long paragraph must cost what the same text in many documents costs, per core
            long = Path(tmp, "long")
            long.mkdir()
            text = long_document(random.Random(args.seed), pool, args.long_mb)
            (long / "long.txt").write_text(text, encoding="utf-8")
            one = measure(long, 1)
            print(
                f"one {args.long_mb:g} MB document in one paragraph, one process: load {one['load']:.1f} + "
                f"claims {one['claims']:.1f} s, {one['cpu'] / args.long_mb:.1f} CPU s per MB (the "
                f"{args.sizes[-1]} documents: {r['cpu'] / size:.1f})",
                flush=True,
            )
        env = {**os.environ, "ZOOMCASE_CACHE": str(Path(tmp, "cache"))}
        miss = measure(folder, args.workers, cache=True, env=env)
        hit = measure(folder, args.workers, cache=True, env=env)
        print(
            f"cache, {args.sizes[-1]} documents: miss (parse, claims, store) {miss['load']:.1f} + "
            f"{miss['claims']:.1f} s; hit {hit['load']:.1f} + {hit['claims']:.1f} s (load + claims, "
            f"peak {hit['peak_mb']:.0f} MB)",
            flush=True,
        )
        # What a rerun costs after the collection changed: only the shards of the files added or changed
        # are parsed again (zoomcase.cache.shard_bounds).
        rng, names = random.Random(args.seed + 1), sorted(os.listdir(folder))
        edits = {
            "one article changed": lambda: change(folder / rng.choice(names)),
            f"{args.added} articles added, numbered after the others": lambda: add(
                folder, [f"{len(names) + i:06d}.txt" for i in range(args.added)], rng, pool
            ),
            f"{args.added} articles added, their names among the others'": lambda: add(
                folder, [f"{rng.choice(names)[:-4]}-{i}.txt" for i in range(args.added)], rng, pool
            ),
        }
        for what, edit in edits.items():
            edit()
            r = measure(folder, args.workers, cache=True, env=env)
            print(
                f"cache after {what}: {r['load']:.1f} + {r['claims']:.1f} s (CPU {r['cpu']:.0f} s, "
                f"peak {r['peak_mb']:.0f} MB)",
                flush=True,
            )


if __name__ == "__main__":
    main()
