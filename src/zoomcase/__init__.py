"""zoomcase: take a multilingual news corpus on the Zoom privacy case apart, claim by claim.

The public names are imported on first use (PEP 562), so that ``zoomcase build`` can decide in well under a
second that nothing changed, without loading pandas, the language models or the word lists.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"
_EXPORTS = {
    "Corpus": "zoomcase.corpus",
    "CorpusError": "zoomcase.corpus",
    "load_corpus": "zoomcase.corpus",
    "MarketDataError": "zoomcase.market",
    "load_prices": "zoomcase.market",
    "extract_claims": "zoomcase.claims",
    "check_claims": "zoomcase.checks",
    "date_documents": "zoomcase.checks",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'zoomcase' has no attribute {name!r}")
