"""Tables and HTML that the notebooks show: computed here so that cells stay one line long.

All corpus text that reaches HTML goes through ``html.escape``: a scraped page may carry markup or script.
Text from the data that reaches Markdown (the findings) goes through ``md_text``, which also escapes
Markdown's own syntax: a file name such as ``[x](javascript:…).txt`` would otherwise become a link.
"""

from __future__ import annotations

import ast
import html
import numbers
import os
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from zoomcase.corpus import Corpus
from zoomcase.language import CANDIDATES
from zoomcase.numbers import LANGS as READ_LANGUAGES

# The languages a notebook's ``languages`` parameter may name: those zoomcase can read.
LANGUAGES = CANDIDATES
_STYLE = """<style>
.zc-pair{display:grid;grid-template-columns:1fr 1fr;gap:1em;font-size:0.85em}
.zc-pair pre{white-space:pre-wrap;word-break:normal;overflow-wrap:break-word;margin:0;font-family:inherit}
.zc-removed{background:#f6d5d5;text-decoration:line-through;color:#7a2b2b}
.zc-repair{background:#fff0b3;border-bottom:2px solid #c99a00}
.zc-legend span{padding:0 .3em;margin-right:.6em}
</style>"""


def setup_notebook() -> None:
    """Plotly's JSON mime renderer only: JupyterLab draws it natively, the committed notebooks stay lean
    (no 5 MB plotly.js per notebook), and nbval can skip the figure JSON (see conftest.py). Tables show
    their text whole: where a notebook wants a preview, ``clip`` shortens it visibly, at a word."""
    import plotly.io as pio

    pio.renderers.default = "plotly_mimetype"
    pd.set_option("display.max_colwidth", None)


def as_list(name: str, value, example: str = "['a', 'b']") -> list:
    """A list parameter as given in Python, or as the string papermill's ``-p`` makes of it.

    ``"[...]"`` is read as a Python literal, ``"a, b"`` as a comma-separated list; a number, bool, dict,
    ``None`` or anything else that is not a list or tuple is refused, naming the parameter.
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            value = ast.literal_eval(text) if text.startswith(("[", "(")) else None
        except (ValueError, SyntaxError):
            raise ValueError(f"parameter {name}={value!r}: not a list; write e.g. {example}") from None
        if value is None:
            value = [v.strip() for v in text.split(",") if v.strip()]
    if not isinstance(value, list | tuple):
        raise ValueError(f"parameter {name}={value!r}: expected a list, e.g. {example}")
    return list(value)


def check_choice(name: str, values: Iterable[str], allowed: Iterable[str]) -> list[str]:
    """Validate a list parameter of a notebook; the error names the parameter and what is allowed.

    ``values`` must be a list (or tuple) of allowed values, not empty, each named once; a bare string is
    refused rather than read letter by letter (use ``as_list`` first to accept ``"nl, en"``).
    """
    allowed = sorted(set(allowed))
    if isinstance(values, str | bytes | dict) or not isinstance(values, Iterable):
        raise ValueError(f"parameter {name}={values!r}: expected a list of values; choose from {allowed}")
    values = list(values)
    unknown = [v for v in values if v not in allowed]
    if unknown or not values:
        raise ValueError(
            f"parameter {name}={values!r}: "
            + (f"unknown value(s) {unknown}; " if unknown else "empty; ")
            + f"choose from {allowed}"
        )
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"parameter {name}={values!r}: repeats {repeated}; list each value once")
    return values


def is_whole(value) -> bool:
    """An integer that is not a bool (``True`` is an ``int`` in Python)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)


def check_int(name: str, value, minimum: int, expected: str = "a whole number") -> int:
    """A whole-number parameter, or the string papermill's ``-p`` makes of it, at least ``minimum``."""
    if not (is_whole(value) or (isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value))):
        raise ValueError(f"parameter {name}={value!r}: expected {expected}")
    number = int(value)
    if number < minimum:
        raise ValueError(f"parameter {name}={number}: must be at least {minimum}")
    return number


def check_corpus_dir(corpus_dir) -> Path | None:
    """Notebook 01's ``corpus_dir``: a folder holding ``.txt`` articles, or ``""``/``None`` for the
    project's ``data/corpus`` (returned as ``None``, what ``load_corpus`` takes for its default)."""
    name, expected = "corpus_dir", 'expected a folder that holds .txt articles, or "" for data/corpus'
    if corpus_dir is None or (isinstance(corpus_dir, str) and not corpus_dir.strip()):
        return None
    if not isinstance(corpus_dir, str | os.PathLike):
        raise ValueError(f"parameter {name}={corpus_dir!r}: not a folder path; {expected}")
    folder = Path(corpus_dir)
    if not folder.is_dir():
        raise ValueError(f"parameter {name}={corpus_dir!r}: no such corpus folder; {expected}")
    if not any(entry.suffix.lower() == ".txt" for entry in folder.iterdir()):  # "A.TXT" too, as load_corpus
        raise ValueError(f"parameter {name}={corpus_dir!r}: holds no .txt files; {expected}")
    return folder


def check_corpus_parameters(*, corpus_dir, languages, max_documents) -> dict:
    """Notebook 01's parameters, checked before anything is loaded; each error names the parameter.

    Returns ``corpus_dir`` (a ``Path``, or ``None`` for the project's corpus), ``languages`` (a list of
    codes from ``LANGUAGES``; ``"nl, en"`` as papermill's ``-p`` passes it is accepted) and
    ``max_documents`` (at least 1).
    """
    return {
        "corpus_dir": check_corpus_dir(corpus_dir),
        "languages": check_choice("languages", as_list("languages", languages, "['nl', 'en']"), LANGUAGES),
        "max_documents": check_int("max_documents", max_documents, 1, "a whole number of documents"),
    }


TITLE_WIDTH = 120  # characters of a title in the document overview


def document_overview(corpus: Corpus) -> pd.DataFrame:
    """One line per document with what normalisation found in it."""
    counts = {
        name: getattr(corpus, name).groupby("doc_id").size()
        for name in ("sentences", "removed", "repairs", "dates", "mentions")
    }
    docs = corpus.documents.set_index("doc_id")
    view = docs[["language", "title", "outlet", "page_date_stated", "published"]].copy()
    view["title"] = clip(view.title, TITLE_WIDTH)  # a documents.csv may carry a whole lead as its title
    view["published"] = view.published.dt.strftime("%Y-%m-%d").fillna("")
    view["raw_chars"] = docs.raw.str.len()
    view["kept_chars"] = docs.text.str.len()
    for name, series in counts.items():
        view[name] = series.reindex(view.index, fill_value=0)
    return view


def mentions_matrix(corpus: Corpus) -> pd.DataFrame:
    """Mentions per actor (rows) and document (columns)."""
    m = corpus.mentions
    table = pd.crosstab([m.type, m.label], m.doc_id)
    return table.reindex(columns=corpus.documents.doc_id, fill_value=0)


def raw_vs_clean_html(corpus: Corpus, doc_ids: Iterable[str], limit: int | None = None) -> str:
    """Per document, the raw page (removed spans struck through, repaired words marked) beside the
    normalised text; only the first ``limit`` documents, with a line that says how many were left out (a
    newsroom corpus would otherwise make a page of hundreds of megabytes)."""
    doc_ids = list(doc_ids)
    shown = doc_ids[:limit]
    docs = corpus.documents.set_index("doc_id")
    removed = corpus.removed[corpus.removed.doc_id.isin(shown)]
    repairs = corpus.repairs[corpus.repairs.doc_id.isin(shown)]
    legend = (
        '<div class="zc-legend"><span class="zc-removed">removed furniture</span>'
        '<span class="zc-repair">glued words repaired</span></div>'
    )
    sections = [_STYLE, legend]
    if len(shown) < len(doc_ids):
        sections.append(
            f"<p>The first {len(shown):,} of {len(doc_ids):,} documents (<code>max_documents</code>).</p>"
        )
    for doc_id in shown:
        marks = [(r.start, r.end, "zc-removed", r.rule) for r in _rows(removed, doc_id)]
        marks += [(r.start, r.end, "zc-repair", r.replacement) for r in _rows(repairs, doc_id)]
        title = docs.loc[doc_id, "title"] or "(no headline)"
        sections.append(
            f"<h3>{html.escape(doc_id)} · {html.escape(title)}</h3><div class='zc-pair'>"
            f"<div><b>raw</b><pre>{_marked(docs.loc[doc_id, 'raw'], marks)}</pre></div>"
            f"<div><b>normalised</b><pre>{html.escape(docs.loc[doc_id, 'text'])}</pre></div></div>"
        )
    return "".join(sections)


def _marked(raw: str, marks: list[tuple[int, int, str, str]]) -> str:
    """``raw`` escaped, with each (start, end, css class, title) span in a titled ``<span>``."""
    out, pos = [], 0
    for start, end, css, title in sorted(marks):
        out.append(html.escape(raw[pos:start]))
        out.append(
            f'<span class="{css}" title="{html.escape(title, quote=True)}">'
            f"{html.escape(raw[start:end])}</span>"
        )
        pos = end
    out.append(html.escape(raw[pos:]))
    return "".join(out)


def _rows(frame: pd.DataFrame, doc_id: str) -> list:
    return list(frame[frame.doc_id == doc_id].itertuples())


def select_documents(corpus: Corpus, languages: Iterable[str]) -> list[str]:
    """doc_ids of the documents in the chosen languages, in corpus order."""
    docs = corpus.documents
    return list(docs.loc[docs.language.isin(list(languages)), "doc_id"])


def clip_text(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` characters, after its last whole word, and marked with "…": a
    shortened quote or label must not read as the whole of it."""
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > width // 2 else cut).rstrip() + "…"


def clip(texts: pd.Series, width: int) -> pd.Series:
    """``clip_text`` on each text of a column (missing values stay missing); the offsets beside a clipped
    quote lead to the rest."""
    return texts.map(lambda text: clip_text(text, width), na_action="ignore")


def for_documents(frame: pd.DataFrame, doc_ids: Iterable[str], width: int = 90) -> pd.DataFrame:
    """Rows of a corpus table for some documents, long text clipped to ``width`` for display."""
    view = frame[frame.doc_id.isin(list(doc_ids))].copy()
    for column in ("text", "evidence"):
        if column in view:
            view[column] = clip(view[column].str.replace("\n", " ⏎ "), width)
    return view.reset_index(drop=True)


# Findings list at most this many examples of a kind (repairs, foreign sentences, page dates) and count
# the rest: on a newsroom corpus they run to thousands.
EXAMPLES = 10


def _listed(items: list[str], sep: str = ", ") -> str:
    rest = len(items) - EXAMPLES
    return sep.join(items[:EXAMPLES]) + (f"{sep}and {rest:,} more" if rest > 0 else "")


# Punctuation that Markdown reads as syntax inside a line (links, images, emphasis, code, tables,
# strike-through); & < > " ' are left to ``html.escape`` (a backslash before "&" would show the entity's
# text instead of its character).
_MARKDOWN_SYNTAX = re.compile(r"([!#*\[\\\]_`|~])")  # a link needs its brackets: "(" alone is text


def md_text(value: object) -> str:
    """Text from the data, to show literally in Markdown: its Markdown syntax backslash-escaped and its
    HTML escaped, so that ``[click](javascript:…)``, ``b**bold**`` or ``<img onerror=…>`` read as typed."""
    return html.escape(_MARKDOWN_SYNTAX.sub(r"\\\1", str(value)))


def counted(count: int, noun: str) -> str:
    """ "1 document", "2 documents": findings are prose a reader quotes."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def corpus_findings(corpus: Corpus) -> str:
    """The notebook's findings as Markdown, every number computed from the tables. Markdown passes HTML
    through, so every string that comes from the corpus is escaped (``md_text``). Repairs are counted by
    kind, the most frequent first."""
    e = md_text
    docs = corpus.documents
    langs = docs.language.value_counts()
    dated = docs.dropna(subset=["published"])
    removed = corpus.removed.assign(chars=corpus.removed.end - corpus.removed.start)
    raw_chars = int(docs.raw.str.len().sum())
    sents = corpus.sentences.merge(docs[["doc_id", "language"]], on="doc_id", suffixes=("", "_doc"))
    foreign = sents[sents.language != sents.language_doc]
    actors = corpus.mentions[corpus.mentions.entity != "zoom"].label.value_counts()
    actors = actors[actors > 0]  # a categorical column counts every label, mentioned or not
    page_dates = _listed([f"{e(r.doc_id)}: {r.published:%Y-%m-%d}" for r in dated.itertuples()])
    kinds = (
        corpus.repairs.groupby(["raw", "replacement"], sort=False)
        .size()
        .sort_values(ascending=False, kind="stable")
    )
    lines = [
        f"- The corpus holds **{counted(len(docs), 'document')}** ("
        + ", ".join(f"{n} {lang}" for lang, n in langs.items())
        + f"); **{len(dated)}** {'states' if len(dated) == 1 else 'state'} a page date"
        + (f" ({page_dates})" if len(dated) else "")
        + ". The others must be dated from their content."
    ]
    if removed.empty:
        lines.append("- Normalisation removed no page furniture.")
    else:
        biggest = removed.sort_values("chars", ascending=False).iloc[0]
        lines.append(
            f"- Normalisation removed **{counted(len(removed), 'span')}** of page furniture under "
            f"{counted(removed.rule.nunique(), 'rule')}: {removed.chars.sum():,} of {raw_chars:,} raw "
            f"characters ({removed.chars.sum() / raw_chars:.0%}). The largest is a `{biggest.rule}` in "
            f"document {e(biggest.doc_id)} ({biggest.chars:,} characters)."
        )
    lines.append(
        f"- **{counted(len(corpus.repairs), 'repair')}** of text the scrape glued together"
        + (
            f", in {corpus.repairs.doc_id.nunique()} document(s): "
            + _listed(
                [
                    f"'{e(raw)}' → '{e(new)}'" + (f" (×{n})" if n > 1 else "")
                    for (raw, new), n in kinds.items()
                ]
            )
            if len(corpus.repairs)
            else ""
        )
        + "."
    )
    lines.append(
        f"- **{counted(len(corpus.sentences), 'sentence')}**; in another language than their document: "
        f"{len(foreign)}"
        + (
            " (" + _listed([f"{e(r.doc_id)}: {r.language}" for r in foreign.itertuples()], "; ") + ")"
            if len(foreign)
            else ""
        )
        + "."
    )
    unread_docs = docs[~docs.language.isin(READ_LANGUAGES)]
    unread = sents[~sents.language.astype(str).isin(READ_LANGUAGES) & sents.language_doc.isin(READ_LANGUAGES)]
    if len(unread_docs) or len(unread):
        counts = unread_docs.language.value_counts()
        lines.append(
            f"- Dates and numbers are read in {', '.join(READ_LANGUAGES)} only: **{len(unread_docs)} "
            f"document(s)** in other languages ({', '.join(f'{lang}: {n}' for lang, n in counts.items())}) "
            f"and **{len(unread)} sentence(s)** in other documents are kept without dated mentions or "
            "number claims."
        )
    lines.append(
        f"- Zoom is mentioned **{counted(int((corpus.mentions.entity == 'zoom').sum()), 'time')}**"
        + (
            "; the other actors named most often are "
            + ", ".join(f"{e(label)} ({n})" for label, n in actors.head(4).items())
            if len(actors)
            else "; no other actor of the vocabulary is named"
        )
        + "."
    )
    return "\n".join(lines)
