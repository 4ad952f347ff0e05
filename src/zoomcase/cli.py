"""The ``zoomcase`` command: pull market data, show the corpus, run the notebooks headless."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from zoomcase.paths import REPO_ROOT

NOTEBOOKS = REPO_ROOT / "notebooks"


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
    from zoomcase import check_claims, extract_claims, load_corpus

    checked = check_claims(extract_claims(load_corpus(args.directory)))
    if args.json:
        print(checked.to_json(orient="records", date_format="iso", force_ascii=False, indent=1))
    elif args.csv:
        print(checked.to_csv(index=False), end="")
    else:
        columns = ["claim_id", "metric", "value", "unit", "qualifier", "as_of", "verdict", "explanation"]
        with pd.option_context("display.max_colwidth", 90, "display.width", 250):
            print(checked[columns].to_string(index=False))
    return 0


def _run(args: argparse.Namespace) -> int:
    """Execute notebooks headless with papermill into ``--out`` (reports come in a later step)."""
    import papermill as pm

    notebooks = [Path(n) for n in args.notebooks] or sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
    args.out.mkdir(parents=True, exist_ok=True)
    failed = []
    for nb in notebooks:
        target = args.out / nb.name
        print(f"running {nb.name} -> {target}", flush=True)
        try:
            pm.execute_notebook(str(nb), str(target), cwd=str(nb.parent), progress_bar=False)
        except pm.PapermillExecutionError as exc:
            print(f"FAILED {nb.name}: cell {exc.exec_count}: {exc.ename}: {exc.evalue}", file=sys.stderr)
            failed.append(nb.name)
    return 1 if failed else 0


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

    run = sub.add_parser("run", help="execute notebooks headless with papermill")
    run.add_argument("notebooks", nargs="*", help="default: every numbered notebook")
    run.add_argument("--out", type=Path, default=REPO_ROOT / "reports")
    run.set_defaults(func=_run)
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
