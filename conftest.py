"""pytest configuration shared by the unit tests and nbval's notebook checks.

nbval compares every stored output of a committed notebook with a fresh run. A plotly figure's JSON
changes with plotly upgrades (binary ``bdata`` arrays, theme defaults), so it is not compared; each
notebook prints the numbers behind its charts in tables, and those are compared.
"""

from __future__ import annotations

PLOTLY_MIME = "application/vnd.plotly.v1+json"


def pytest_collectstart(collector):
    if collector.nodeid.endswith(".ipynb") and hasattr(collector, "skip_compare"):
        collector.skip_compare = (*collector.skip_compare, PLOTLY_MIME)
