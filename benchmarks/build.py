"""Benchmark: `zoomcase build` against the naive equivalent, on the same notebooks and parameters.

Naive = for each notebook, the `papermill` command line, then `jupyter nbconvert --to html`, one after the
other. Prints wall times and ratios for a cold build, and the time of a rebuild with nothing changed.
Targets (issue 6): cold build at most half the naive time; no-change rebuild under 2 seconds.

    .venv/bin/python benchmarks/build.py [--jobs N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from zoomcase.reports import default_notebooks

BIN = Path(sys.executable).parent


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    notebooks = default_notebooks()
    with tempfile.TemporaryDirectory() as tmp:
        naive_out, ours_out = Path(tmp, "naive"), Path(tmp, "ours")
        naive_out.mkdir()
        start = time.perf_counter()
        for nb in notebooks:
            target = naive_out / nb.name
            subprocess.run(
                [BIN / "papermill", nb, target, "--cwd", nb.parent, "-k", "python3", "--no-progress-bar"],
                check=True,
                capture_output=True,
            )
            convert = [BIN / "jupyter", "nbconvert", "--to", "html", target]
            subprocess.run(convert, check=True, capture_output=True)
        naive = time.perf_counter() - start
        build = [str(BIN / "zoomcase"), "build", "--out", str(ours_out)]
        build += ["--jobs", str(args.jobs)] if args.jobs else []
        cold = timed([*build, "--force"])
        unchanged = timed(build)
    print(f"notebooks:                 {len(notebooks)} ({', '.join(nb.stem for nb in notebooks)})")
    print(f"naive (papermill+nbconvert, sequential): {naive:7.1f} s")
    print(f"zoomcase build, cold:      {cold:7.1f} s   ratio {cold / naive:.2f} (target <= 0.50)")
    print(f"zoomcase build, unchanged: {unchanged:7.2f} s   (target < 2 s)")


if __name__ == "__main__":
    main()
