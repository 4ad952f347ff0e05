"""pytest configuration shared by the unit tests and nbval's notebook checks.

nbval compares every stored output of a committed notebook with a fresh run. A plotly figure's JSON
changes with plotly upgrades (binary ``bdata`` arrays, theme defaults), so it is not compared; each
notebook prints the numbers behind its charts in tables, and those are compared.
"""

from __future__ import annotations

from pathlib import Path

PLOTLY_MIME = "application/vnd.plotly.v1+json"
SANITIZE = Path(__file__).parent / "notebooks" / "nbval_sanitize.cfg"


def pytest_configure(config):
    """Normalise machine-specific output (notebooks/nbval_sanitize.cfg) from any working directory."""
    if hasattr(config.option, "nbval_sanitize_with") and not config.option.nbval_sanitize_with:
        config.option.nbval_sanitize_with = str(SANITIZE)


def pytest_collectstart(collector):
    if collector.nodeid.endswith(".ipynb") and hasattr(collector, "skip_compare"):
        collector.skip_compare = (*collector.skip_compare, PLOTLY_MIME)
