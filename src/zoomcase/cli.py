"""The ``zoomcase`` command: pull market data, show the corpus and claims, build the reports."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from zoomcase.paths import REPO_ROOT


def _pull(args: argparse.Namespace) -> int:
    from zoomcase.market import pull

    table = pull(dest=args.dest, shared=args.source)
    print(table[["path", "source", "rows", "first_date", "last_date", "verified"]].to_string())
    return 0


def _corpus(args: argparse.Namespace) -> int:
    from zoomcase.corpus import load_corpus

    corpus = load_corpus(args.directory)
    frame = getattr(corpus, args.table).drop(columns=["raw", "text", "path"], errors="ignore")
    print(frame.to_csv(index=False) if args.csv else frame.to_string(index=False))
    return 0


def _claims(args: argparse.Namespace) -> int:
    import pandas as pd

    from zoomcase import check_claims, extract_claims, load_corpus

    corpus = load_corpus(args.directory)
    checked = check_claims(extract_claims(corpus))
    if checked.empty and not (args.json or args.csv):
        print(f"no checkable claims in the {len(corpus.sentences)} sentence(s) of {corpus.directory}")
    elif args.json:
        print(checked.to_json(orient="records", date_format="iso", force_ascii=False, indent=1))
    elif args.csv:
        print(checked.to_csv(index=False), end="")
    else:
        columns = ["claim_id", "metric", "value", "unit", "qualifier", "as_of", "verdict", "explanation"]
        with pd.option_context("display.max_colwidth", 90, "display.width", 250):
            print(checked[columns].to_string(index=False))
    return 0


def _out_folder(out: Path) -> Path:
    """``--out``, refused when it or a folder above it is a file: making the folder there stopped the
    command with a bare FileExistsError or NotADirectoryError traceback."""
    for folder in (out, *out.parents):
        if folder.exists():
            if not folder.is_dir():
                what = "that" if folder == out else str(folder)
                raise ValueError(
                    f"--out {out}: {what} is a file, not a folder. Choose a folder (made if missing)."
                )
            break
    return out


def _build(args: argparse.Namespace) -> int:
    """Execute notebooks headless into reports/<name>.ipynb + offline HTML, and write reports/index.html."""
    import yaml

    from zoomcase.reports import build, default_notebooks, failed_notebook

    _out_folder(args.out)
    parameters = {name: yaml.safe_load(value) for name, value in args.parameter or []}
    notebooks = [Path(n) for n in args.notebooks] or default_notebooks()
    start = time.perf_counter()
    results = build(notebooks, parameters, args.out, jobs=args.jobs, force=args.force)
    print(f"\n{'notebook':<28}{'status':<9}{'seconds':>8}  error")
    for r in results:
        print(f"{r.name:<28}{r.status:<9}{r.seconds:>8.1f}  {r.error}")
    elapsed = time.perf_counter() - start
    print(f"{len(results)} notebook(s) in {elapsed:.1f}s; index: {args.out / 'index.html'}")
    failed = [r for r in results if r.status == "failed"]
    for r in failed:
        kept = failed_notebook(args.out, r.name)
        note = f" (partly executed notebook kept as {kept})" if kept.exists() else ""
        print(f"FAILED {r.name}: {r.error}{note}", file=sys.stderr)
    return 1 if failed else 0


def _classroom(args: argparse.Namespace) -> int:
    """Build the student edition of the classroom notebook and its printable handout."""
    from zoomcase.classroom import build_student_edition

    notebook, handout = build_student_edition(_out_folder(args.out))
    print(f"student edition: {notebook}\nhandout: {handout}")
    return 0


def _cache(args: argparse.Namespace) -> int:
    """List the cache's shards by kind, or delete those unused for more than ``--prune DAYS`` days."""
    from zoomcase import cache

    if args.prune is not None:
        removed = cache.prune(args.prune)
        size = sum(e.bytes for e in removed)
        print(
            f"removed {len(removed)} shard(s) unused for more than {args.prune:g} day(s), {size / 1e6:.1f} MB"
        )
        return 0
    stored = cache.entries()
    print(f"{cache.cache_dir()}: {len(stored)} shard(s), {sum(e.bytes for e in stored) / 1e6:.1f} MB")
    for kind in sorted({e.kind for e in stored}):
        mine = [e for e in stored if e.kind == kind]
        oldest = time.strftime("%Y-%m-%d", time.localtime(mine[0].last_used))
        print(
            f"  {kind}: {len(mine)} shard(s), {sum(e.bytes for e in mine) / 1e6:.1f} MB, oldest use {oldest}"
        )
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="zoomcase", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    data = sub.add_parser("data", help="market data").add_subparsers(dest="action", required=True)
    pull = data.add_parser("pull", help="fill data/market/ from ../shared/data/market or Stooq")
    pull.add_argument("--source", type=Path, default=None, help="folder to copy from")
    pull.add_argument("--dest", type=Path, default=None, help="folder to fill (default data/market)")
    pull.set_defaults(func=_pull)

    corpus = sub.add_parser("corpus", help="print a corpus table")
    corpus.add_argument(
        "table",
        nargs="?",
        default="documents",
        choices=["documents", "sentences", "removed", "repairs", "dates", "mentions"],
    )
    corpus.add_argument("--directory", type=Path, default=None, help="corpus folder")
    corpus.add_argument("--csv", action="store_true", help="CSV instead of a text table")
    corpus.set_defaults(func=_corpus)

    claims = sub.add_parser("claims", help="print the checked claims table")
    claims.add_argument("--directory", type=Path, default=None, help="corpus folder")
    fmt = claims.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true", help="CSV with every column")
    fmt.add_argument("--json", action="store_true", help="JSON records with every column")
    claims.set_defaults(func=_claims)

    build = sub.add_parser("build", help="run notebooks headless into offline HTML reports")
    build.add_argument("notebooks", nargs="*", help="default: every numbered notebook in notebooks/")
    build.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        metavar=("NAME", "VALUE"),
        help="notebook parameter as YAML (-p peers '[IGV, WCLD]'), for the notebooks that declare it",
    )
    build.add_argument("--jobs", type=int, default=None, help="parallel notebooks (default: CPU count)")
    build.add_argument("--out", type=Path, default=REPO_ROOT / "reports", help="output folder")
    build.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    build.set_defaults(func=_build)

    classroom = sub.add_parser(
        "classroom", help="build the student edition (solutions removed) and a printable handout"
    )
    classroom.add_argument(
        "--out", type=Path, default=REPO_ROOT / "reports" / "classroom", help="output folder"
    )
    classroom.set_defaults(func=_classroom)

    stored = sub.add_parser("cache", help="show the cache of parsed tables, or prune shards no longer used")
    stored.add_argument(
        "--prune",
        type=float,
        default=None,
        metavar="DAYS",
        help="delete shards unused for more than DAYS days",
    )
    stored.set_defaults(func=_cache)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ValueError as exc:  # CorpusError and MarketDataError carry a user-facing message
        print(f"zoomcase: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
