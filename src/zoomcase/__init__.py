"""zoomcase: take a multilingual news corpus on the Zoom privacy case apart, claim by claim."""

from zoomcase.checks import check_claims, date_documents
from zoomcase.claims import extract_claims
from zoomcase.corpus import Corpus, CorpusError, load_corpus
from zoomcase.market import MarketDataError, load_prices

__all__ = [
    "Corpus",
    "CorpusError",
    "MarketDataError",
    "check_claims",
    "date_documents",
    "extract_claims",
    "load_corpus",
    "load_prices",
]
__version__ = "0.1.0"
