"""zoomcase: take a multilingual news corpus on the Zoom privacy case apart, claim by claim."""

from zoomcase.corpus import Corpus, CorpusError, load_corpus
from zoomcase.market import MarketDataError, load_prices

__all__ = ["Corpus", "CorpusError", "MarketDataError", "load_corpus", "load_prices"]
__version__ = "0.1.0"
