"""An interactive explorer: date range, event categories, languages and verdicts drive a price chart,
a claims table and a document viewer.

Everything that decides *what* is shown is a pure function here (``filter_claims``, ``filter_events``,
``claims_table``, ``highlight_html``, ``static_view``), tested without a browser. ``Explorer`` only wires
ipywidgets to them: each control's callback recomputes the selection and updates the chart in place
(``batch_update``), so a test can call a callback and look at the figure's data.

The chart is a ``plotly.graph_objects.FigureWidget`` when ``anywidget`` is installed (plotly ≥ 6 builds
FigureWidget on it); otherwise a plain figure redrawn inside an ``ipywidgets.Output``. Both are driven by
the same code.

Widgets are for exploring, never the record: papermill and nbconvert keep only their initial state, so
``Explorer.show`` also displays a static snapshot (figure + table, ``static_view``) that a report shows
in place of dead controls. All corpus and reference text reaching HTML goes through ``html.escape``.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from zoomcase.charts import CATEGORY_COLOURS, VERDICT_COLOURS, price_figure, rebased
from zoomcase.views import clip_text

VERDICTS = tuple(VERDICT_COLOURS)
TICKERS = ("ZM", "IXIC")  # the stock first (drawn thicker), then its benchmark
HEIGHT = 640  # px: room for the event strip's seven category rows
QUOTE_WIDTH = 160  # characters of a quote shown in the claims table
TABLE_ROWS = 500  # claims listed in the widget's table; narrowing the selection shows the others
# Documents in the widget's dropdown: past this many (a newsroom corpus), those with the most claims in the
# selection; selecting a claim opens its document whether listed or not.
DOCUMENT_OPTIONS = 500

_STYLE = """<style>
.zc-doc{white-space:pre-wrap;overflow-wrap:break-word;font-family:inherit;font-size:0.85em;
max-height:28em;overflow-y:auto;border:1px solid #ddd;padding:.5em;margin:0}
.zc-doc mark{padding:0 1px}
.zc-claim{border-bottom:3px solid #555}
.zc-supported{background:#d7f0d7;border-color:#2ca02c}
.zc-contradicted{background:#f6d5d5;border-color:#d62728}
.zc-misleading{background:#ffe3c2;border-color:#ff7f0e}
.zc-unverifiable{background:#e6e6e6;border-color:#7f7f7f}
.zc-actor{background:#dbe6ff;outline:1px dotted #1f3a93}
.zc-claims{border-collapse:collapse;font-size:0.8em}
.zc-claims td,.zc-claims th{border-bottom:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
.zc-claims tr.zc-selected{background:#fff5b3}
.zc-legend mark{margin-right:.6em}
</style>"""


# ---------------------------------------------------------------------------------------------------------
# Inputs


@dataclass
class Inputs:
    """What the explorer shows: the corpus, the checked claims, the reference events and prices."""

    corpus: (
        object  # zoomcase.corpus.Corpus, or anything with .documents (doc_id, language, raw) and .mentions
    )
    claims: pd.DataFrame  # check_claims output (or any frame with the columns prepare_claims needs)
    events: pd.DataFrame  # load_reference("events")
    prices: pd.DataFrame  # daily closes, one column per ticker, the stock first


def load_inputs(tickers: Iterable[str] = TICKERS, corpus_dir: str | Path | None = None) -> Inputs:
    """The project's real data: corpus (``corpus_dir``, default the project's), checked claims, events and
    closes of ``tickers``."""
    from zoomcase.checks import check_claims
    from zoomcase.claims import extract_claims
    from zoomcase.corpus import load_corpus
    from zoomcase.market import load_prices
    from zoomcase.reference import load_reference

    corpus = load_corpus(corpus_dir)
    return Inputs(
        corpus=corpus,
        claims=check_claims(extract_claims(corpus)),
        events=load_reference("events"),
        prices=closes(tickers, load_prices),
    )


def closes(tickers: Iterable[str], loader) -> pd.DataFrame:
    """Closes of several tickers on the first ticker's sessions (others carried forward over holidays)."""
    tickers = list(tickers)
    first = loader(tickers[0]).close.rename(tickers[0])
    columns = [first]
    for ticker in tickers[1:]:
        other = loader(ticker).close
        columns.append(
            other.reindex(other.index.union(first.index)).ffill().reindex(first.index).rename(ticker)
        )
    return pd.concat(columns, axis=1)


def prepare_claims(claims: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Claims with the ``language`` of their document and a plotting ``date``.

    ``date`` is the date the claim speaks of (``as_of``) and, when the claim gives none, the first day on
    which it held (``consistent_from``); ``date_basis`` says which. Claims with neither stay undated: they
    are listed in the table but cannot be placed on the chart.
    """
    out = claims.copy()
    languages = documents.set_index("doc_id")["language"]
    out["language"] = out["doc_id"].map(languages).astype(object)
    as_of = pd.to_datetime(out["as_of"])
    since = (
        pd.to_datetime(out["consistent_from"]) if "consistent_from" in out else pd.Series(pd.NaT, out.index)
    )
    out["date"] = as_of.fillna(since)
    out["date_basis"] = "as_of"
    out.loc[as_of.isna() & since.notna(), "date_basis"] = "consistent_from"
    out.loc[out["date"].isna(), "date_basis"] = "undated"
    return out


# ---------------------------------------------------------------------------------------------------------
# Filters


def _bounds(start, end) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp.min if start is None else pd.Timestamp(start)
    end = pd.Timestamp.max if end is None else pd.Timestamp(end)
    if start > end:
        raise ValueError(f"date range: start {start:%Y-%m-%d} is after end {end:%Y-%m-%d}")
    return start, end


def filter_claims(
    claims: pd.DataFrame,
    start=None,
    end=None,
    languages: Iterable[str] | None = None,
    verdicts: Iterable[str] | None = None,
    include_undated: bool = True,
) -> pd.DataFrame:
    """Prepared claims (``prepare_claims``) dated within [start, end], in the chosen languages and verdicts.

    ``None`` means no restriction. Undated claims pass the date filter when ``include_undated``.
    """
    start, end = _bounds(start, end)
    keep = claims["date"].between(start, end)
    if include_undated:
        keep |= claims["date"].isna()
    if languages is not None:
        keep &= claims["language"].isin(list(languages))
    if verdicts is not None:
        keep &= claims["verdict"].isin(list(verdicts))
    return claims[keep]


def filter_events(
    events: pd.DataFrame, start=None, end=None, categories: Iterable[str] | None = None
) -> pd.DataFrame:
    """Events dated within [start, end] in the chosen categories (``None``: all)."""
    start, end = _bounds(start, end)
    keep = events["date"].between(start, end)
    if categories is not None:
        keep &= events["category"].isin(list(categories))
    return events[keep]


def filter_prices(prices: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    start, end = _bounds(start, end)
    return prices[(prices.index >= start) & (prices.index <= end)]


# ---------------------------------------------------------------------------------------------------------
# Figure and tables


def _claims_on_prices(claims: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """Dated claims inside the price range, placed on the stock's rebased line (``y``)."""
    dated = claims.dropna(subset=["date"])
    if lines.empty:
        return dated.iloc[0:0].assign(y=[], as_of=[])
    dated = dated[dated["date"].between(lines.index[0], lines.index[-1])]
    stock = lines.iloc[:, 0].ffill()
    days = stock.index.union(pd.DatetimeIndex(dated["date"].unique()))
    y = stock.reindex(days).ffill().reindex(dated["date"]).to_numpy()
    # price_figure draws claims at as_of: give it the plotting date
    return _one_point_per_day(dated.assign(y=y, as_of=dated["date"]))


def _one_point_per_day(placed: pd.DataFrame) -> pd.DataFrame:
    """The first claim of each day and verdict, with the ``count`` of claims it stands for: a newsroom
    corpus puts hundreds of claims on one day, and a point per claim would make a chart of megabytes."""
    count = placed.groupby(["date", "verdict"], sort=False)["claim_id"].transform("size")
    first = ~placed.duplicated(["date", "verdict"])
    return placed.assign(count=count)[first]


def explorer_figure(
    prices: pd.DataFrame, events: pd.DataFrame, claims: pd.DataFrame, start=None, end=None
) -> go.Figure:
    """The price chart of a selection: closes rebased to 100 at ``start``, events, claims on the line.

    ``events`` and ``claims`` are already filtered (categories, languages, verdicts); dates outside the
    price range are not drawn.
    """
    lines = filter_prices(prices, start, end).dropna(how="all")
    if lines.empty:
        raise ValueError("no prices in the chosen date range")
    lines = rebased(lines, lines.index[0])
    placed = _claims_on_prices(claims, lines)
    first, last = lines.index[0], lines.index[-1]
    figure = price_figure(
        lines,
        events,
        placed,
        title=f"{html.escape(str(lines.columns[0]))} rebased to 100 on {first:%Y-%m-%d}, to {last:%Y-%m-%d}",
    )
    figure.update_layout(height=HEIGHT, yaxis={"domain": [0, 0.62]}, yaxis2={"domain": [0.66, 1]})
    return figure


TABLE_COLUMNS = ("claim_id", "doc_id", "language", "date", "verdict", "quote", "gloss_en", "explanation")


def claims_table(claims: pd.DataFrame, width: int = QUOTE_WIDTH) -> pd.DataFrame:
    """The claims as a display table (text cut to ``width``, dates as YYYY-MM-DD, 'undated' when none)."""
    view = claims.loc[:, [c for c in TABLE_COLUMNS if c in claims]].copy()
    view["date"] = [
        "undated" if pd.isna(d) else f"{d:%Y-%m-%d}" + (" (held from)" if b == "consistent_from" else "")
        for d, b in zip(claims["date"], claims.get("date_basis", ""), strict=False)
    ]
    for column in ("quote", "gloss_en", "explanation"):
        if column in view:
            view[column] = [_cut(v, width) for v in view[column]]
    return view.reset_index(drop=True)


def _cut(value, width: int) -> str:
    return "" if pd.isna(value) else clip_text(" ".join(str(value).split()), width)


def claims_table_html(claims: pd.DataFrame, selected: str | None = None, limit: int = TABLE_ROWS) -> str:
    """The claims table as escaped HTML, the ``selected`` claim's row marked; the first ``limit`` rows and
    the selected one (a large corpus has hundreds of thousands of claims: far too many for a page)."""
    if claims.empty:
        return _STYLE + "<p><i>No claims match the selection.</i></p>"
    kept = (pd.RangeIndex(len(claims)) < limit) | (claims["claim_id"] == selected).to_numpy()
    table = claims_table(claims[kept])
    count = f"{len(claims)} claim(s)" + (
        f"; the first {limit} are listed" if len(table) < len(claims) else ""
    )
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    rows = []
    for row in table.itertuples(index=False):
        css = ' class="zc-selected"' if row.claim_id == selected else ""
        cells = []
        for column, value in zip(table.columns, row, strict=True):
            text = html.escape(str(value))
            if column == "verdict":
                text = f'<mark class="zc-{html.escape(str(value))}">{text}</mark>'
            cells.append(f"<td>{text}</td>")
        rows.append(
            f'<tr data-claim="{html.escape(str(row.claim_id), quote=True)}"{css}>{"".join(cells)}</tr>'
        )
    return (
        f"{_STYLE}<p>{count}</p>"
        f'<table class="zc-claims"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def highlight_html(corpus, doc_id: str, claims: pd.DataFrame | None = None, actors: bool = True) -> str:
    """The verbatim text of a document with its claims and actor mentions marked, all of it escaped.

    Claims are ``<mark class="zc-claim zc-<verdict>">`` spans (title: claim id, verdict, explanation),
    mentions ``<mark class="zc-actor">`` (title: the actor's label); overlapping spans nest. Offsets are
    into ``documents.raw``, as in every corpus table.
    """
    docs = corpus.documents
    match = docs[docs["doc_id"] == doc_id]
    if match.empty:
        raise ValueError(f"doc_id={doc_id!r}: no such document; choose from {list(docs['doc_id'])}")
    raw = str(match["raw"].iloc[0])
    spans = []  # (start, end, order, open tag)
    if claims is not None:
        for c in claims[claims["doc_id"] == doc_id].itertuples():
            verdict = html.escape(str(c.verdict), quote=True)
            claim_id = html.escape(str(c.claim_id), quote=True)
            title = f"{c.claim_id} · {c.verdict}"
            if hasattr(c, "explanation") and not pd.isna(c.explanation):
                title += f" · {c.explanation}"
            spans.append(
                (
                    int(c.start),
                    int(c.end),
                    0,
                    f'<mark class="zc-claim zc-{verdict}" data-claim="{claim_id}"'
                    f' title="{html.escape(title, quote=True)}">',
                )
            )
    if actors:
        mentions = corpus.mentions
        for m in mentions[mentions["doc_id"] == doc_id].itertuples():
            spans.append(
                (
                    int(m.start),
                    int(m.end),
                    1,
                    f'<mark class="zc-actor" title="{html.escape(f"{m.label} ({m.type})", quote=True)}">',
                )
            )
    bad = [(s, e) for s, e, _, _ in spans if not 0 <= s < e <= len(raw)]
    if bad:
        raise ValueError(f"document {doc_id}: spans {bad[:3]} lie outside its {len(raw)} characters")
    # Cut the text at every span boundary; each piece is wrapped in the marks of the spans covering it.
    cuts = sorted({0, len(raw), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    spans.sort(key=lambda s: (s[2], s[0], -s[1]))
    out = []
    for a, b in itertools.pairwise(cuts):
        covering = [tag for s, e, _, tag in spans if s <= a and b <= e]
        piece = html.escape(raw[a:b])
        out.append("".join(covering) + piece + "</mark>" * len(covering))
    legend = (
        '<div class="zc-legend">'
        + "".join(f'<mark class="zc-claim zc-{v}">{v}</mark>' for v in VERDICTS)
        + '<mark class="zc-actor">actor</mark></div>'
    )
    return f'{_STYLE}{legend}<pre class="zc-doc">{"".join(out)}</pre>'


# ---------------------------------------------------------------------------------------------------------
# Static view


@dataclass
class StaticView:
    """A selection as a figure and a table: what a report shows instead of controls."""

    figure: go.Figure
    table: pd.DataFrame
    summary: str

    def _repr_markdown_(self) -> str:  # pragma: no cover - notebook display
        return self.summary


def static_view(
    inputs: Inputs,
    start=None,
    end=None,
    categories: Iterable[str] | None = None,
    languages: Iterable[str] | None = None,
    verdicts: Iterable[str] | None = None,
) -> StaticView:
    """Figure, claims table and a one-line summary for a selection (``None``: everything)."""
    claims = prepare_claims(inputs.claims, inputs.corpus.documents)
    chosen = filter_claims(claims, start, end, languages, verdicts)
    events = filter_events(inputs.events, start, end, categories)
    figure = explorer_figure(inputs.prices, events, chosen, start, end)
    drawn = int(
        _claims_on_prices(chosen, filter_prices(inputs.prices, start, end).dropna(how="all"))["count"].sum()
    )
    summary = (
        f"{len(chosen)} claim(s) selected, {drawn} drawn on the chart "
        f"({int(chosen['date'].isna().sum())} undated, others outside the price range); "
        f"{len(events)} event(s)."
        + (f" The table lists the first {TABLE_ROWS}." if len(chosen) > TABLE_ROWS else "")
    )
    return StaticView(figure, claims_table(chosen.head(TABLE_ROWS)), summary)


# ---------------------------------------------------------------------------------------------------------
# Widgets


def _anywidget_available() -> bool:
    try:
        import anywidget  # noqa: F401
    except ImportError:
        return False
    return True


def _months(index: pd.DatetimeIndex) -> list[tuple[str, pd.Timestamp]]:
    months = pd.date_range(index[0].to_period("M").to_timestamp(), index[-1], freq="MS")
    return [(f"{m:%Y-%m}", m) for m in months]


class _Choices:
    """A row of checkboxes for a multiple choice (easier to click than a multi-select list)."""

    def __init__(self, title: str, options: Iterable[str], css: str):
        import ipywidgets as w

        self.boxes = {
            o: w.Checkbox(value=True, description=o, indent=False, layout=w.Layout(width="auto"))
            for o in options
        }
        for option, box in self.boxes.items():
            box.add_class(f"zc-{css}-{option}")
        self.widget = w.HBox(
            [w.HTML(f"<b>{html.escape(title)}</b>&nbsp;"), *self.boxes.values()],
            layout=w.Layout(flex_flow="row wrap", align_items="center"),
        )
        self.widget.add_class(f"zc-{css}")

    @property
    def value(self) -> tuple[str, ...]:
        return tuple(o for o, box in self.boxes.items() if box.value)

    def set(self, values: Iterable[str]) -> None:
        values = set(values)
        for option, box in self.boxes.items():
            box.value = option in values

    def observe(self, callback) -> None:
        for box in self.boxes.values():
            box.observe(callback, names="value")


class Explorer:
    """Controls for date range, event categories, languages and verdicts; a price chart, a claims table
    and a document viewer that follow them. ``Explorer().show()`` in a notebook.

    The chart is ``self.figure``: a ``FigureWidget`` when anywidget is installed, else a ``go.Figure``
    redrawn in ``self.chart`` (an ``Output``). Callbacks (``update``) change it in place.
    """

    def __init__(self, inputs: Inputs | None = None, use_figure_widget: bool | None = None):
        import ipywidgets as w

        self.inputs = inputs if inputs is not None else load_inputs()
        docs = self.inputs.corpus.documents
        self.claims = prepare_claims(self.inputs.claims, docs)
        self.selected_claim: str | None = None
        months = _months(self.inputs.prices.dropna(how="all").index)
        self.dates = w.SelectionRangeSlider(
            options=months,
            index=(0, len(months) - 1),
            description="months",
            continuous_update=False,
            layout=w.Layout(width="95%"),
        )
        self.dates.add_class("zc-dates")
        categories = [c for c in CATEGORY_COLOURS if c in set(self.inputs.events["category"].dropna())]
        categories += sorted(set(self.inputs.events["category"].dropna()) - set(categories))
        self.categories = _Choices("event categories", categories, "category")
        self.languages = _Choices("languages", sorted(docs["language"].dropna().unique()), "language")
        verdicts = [v for v in VERDICTS if v in set(self.claims["verdict"])]
        self.verdicts = _Choices("verdicts", verdicts, "verdict")
        self.include_undated = w.Checkbox(value=True, description="list undated claims", indent=False)
        self.document = w.Dropdown(description="document", layout=w.Layout(width="60%"))
        self.document.add_class("zc-document")
        self.table = w.HTML()
        self.table.add_class("zc-table")
        self.viewer = w.HTML()
        self.viewer.add_class("zc-viewer")
        self.status = w.HTML()
        self.status.add_class("zc-status")

        self.use_figure_widget = _anywidget_available() if use_figure_widget is None else use_figure_widget
        initial = explorer_figure(self.inputs.prices, self.inputs.events, self._placeable())
        if self.use_figure_widget:
            self.figure = go.FigureWidget(initial)
            self.chart = self.figure
        else:
            self.figure = initial
            self.chart = w.Output()
        self._slots = self._skeleton()
        self.update()

        self.dates.observe(self.update, names="value")
        for choices in (self.categories, self.languages, self.verdicts):
            choices.observe(self.update)
        self.include_undated.observe(self.update, names="value")
        self.document.observe(self._show_document, names="value")
        if self.use_figure_widget:
            for trace in self.figure.data:
                if trace.legendgroup == "claims":
                    trace.on_click(self._clicked)

    # -- selection -------------------------------------------------------------------------------------

    def _placeable(self) -> pd.DataFrame:
        return self.claims.dropna(subset=["date"])

    def _skeleton(self) -> list[tuple[str | None, str]]:
        """Trace slots of the chart: every price line, category and verdict the data can show.

        The chart is built once with everything in it; a selection only changes the slots' points, so the
        FigureWidget is restyled in place and keeps its legend order and colours.
        """
        return [(t.legendgroup, t.name) for t in self.figure.data]

    @property
    def selection(self) -> dict:
        start, end = self.dates.value
        return {
            "start": start,
            "end": end + pd.offsets.MonthEnd(0),
            "categories": self.categories.value,
            "languages": self.languages.value,
            "verdicts": self.verdicts.value,
        }

    def selected_claims(self) -> pd.DataFrame:
        s = self.selection
        return filter_claims(
            self.claims, s["start"], s["end"], s["languages"], s["verdicts"], self.include_undated.value
        )

    def selected_events(self) -> pd.DataFrame:
        s = self.selection
        return filter_events(self.inputs.events, s["start"], s["end"], s["categories"])

    # -- callbacks -------------------------------------------------------------------------------------

    def update(self, change=None) -> None:
        """Recompute the selection and update chart, table and document list."""
        s = self.selection
        claims = self.selected_claims()
        events = self.selected_events()
        try:
            fresh = explorer_figure(
                self.inputs.prices, events, claims.dropna(subset=["date"]), s["start"], s["end"]
            )
        except ValueError as err:
            self.status.value = f"<b>{html.escape(str(err))}</b>"
            return
        by_slot = {(t.legendgroup, t.name): t for t in fresh.data}
        placed = _claims_on_prices(
            claims, filter_prices(self.inputs.prices, s["start"], s["end"]).dropna(how="all")
        )
        with self.figure.batch_update():
            for trace, slot in zip(self.figure.data, self._slots, strict=True):
                new = by_slot.get(slot)
                if new is None:
                    trace.update(x=[], y=[], hovertext=[], visible=False)
                else:
                    trace.update(x=new.x, y=new.y, hovertext=new.hovertext, visible=True)
                if slot[0] == "claims":  # the claim ids behind the points, for clicks
                    trace.customdata = list(placed.loc[placed["verdict"] == slot[1], "claim_id"])
            self.figure.layout.title = fresh.layout.title
            self.figure.layout.yaxis.title = fresh.layout.yaxis.title
            self.figure.layout.yaxis2.categoryarray = fresh.layout.yaxis2.categoryarray
            self.figure.layout.xaxis.range = [fresh.data[0].x[0], fresh.data[0].x[-1]]
        if not self.use_figure_widget:
            self._redraw()
        drawn = int(placed["count"].sum())
        self.table.value = claims_table_html(claims, self.selected_claim)
        note = self._update_documents(claims)
        self.status.value = html.escape(
            f"{len(claims)} claim(s) selected, {drawn} on the chart; {len(events)} event(s); "
            f"{s['start']:%Y-%m} to {s['end']:%Y-%m}{note}"
        )

    def _redraw(self) -> None:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is None:  # no kernel (unit tests): the figure object is the state
            return

        self.chart.clear_output(wait=True)
        with self.chart:
            display(self.figure)

    def _update_documents(self, claims: pd.DataFrame, keep: str | None = None) -> str:
        """List the documents of the chosen languages (past ``DOCUMENT_OPTIONS``, those with the most
        claims selected, and ``keep``); returns a note for the status line when the list is cut."""
        docs = self.inputs.corpus.documents
        docs = docs[docs["language"].isin(self.languages.value)]
        counts = docs["doc_id"].map(claims.groupby("doc_id").size()).fillna(0).astype(int)
        wanted = [keep, self.document.value]  # the document to show, else the one shown
        note = ""
        if len(docs) > DOCUMENT_OPTIONS:  # the most claims first; ties in document order
            top = counts.sort_values(ascending=False, kind="stable").index[:DOCUMENT_OPTIONS]
            docs = docs[docs.index.isin(top) | docs["doc_id"].isin(wanted)]
            note = f"; the document list shows the {DOCUMENT_OPTIONS} with the most claims selected"
        options = [
            (
                f"{d.doc_id} · {d.language} · {_cut(d.title or '(no headline)', 60)} · "
                f"{counts[d.Index]} claim(s)",
                d.doc_id,
            )
            for d in docs.itertuples()
        ]
        self.document.options = options
        ids = [doc_id for _, doc_id in options]
        self.document.value = next((d for d in wanted if d in ids), ids[0] if ids else None)
        self._show_document()
        return note

    def _show_document(self, change=None) -> None:
        doc_id = self.document.value
        if doc_id is None:
            self.viewer.value = "<p><i>No document in the chosen languages.</i></p>"
            return
        self.viewer.value = highlight_html(self.inputs.corpus, doc_id, self.selected_claims())

    def select_claim(self, claim_id: str) -> None:
        """Mark a claim in the table and open its document (what clicking a claim on the chart does)."""
        row = self.claims[self.claims["claim_id"] == claim_id]
        if row.empty:
            raise ValueError(f"claim_id={claim_id!r}: no such claim")
        self.selected_claim = claim_id
        self.table.value = claims_table_html(self.selected_claims(), claim_id)
        doc_id = row["doc_id"].iloc[0]
        if doc_id in [v for _, v in self.document.options]:
            self.document.value = doc_id
            self._show_document()
        else:  # not among the DOCUMENT_OPTIONS listed: list it too
            self._update_documents(self.selected_claims(), keep=doc_id)

    def _clicked(self, trace, points, state) -> None:  # pragma: no cover - needs a frontend
        if points.point_inds and trace.customdata is not None:
            self.select_claim(trace.customdata[points.point_inds[0]])

    # -- display ---------------------------------------------------------------------------------------

    def widget(self):
        import ipywidgets as w

        note = w.HTML(
            "<small>Chart: closes rebased to 100 at the start of the range; events by category on the top "
            "strip; claims (diamonds, by verdict) at their date on the stock's line"
            + ("; click a claim to open it" if self.use_figure_widget else "")
            + ". Undated claims are listed in the table only.</small>"
        )
        box = w.VBox(
            [
                self.dates,
                self.categories.widget,
                self.languages.widget,
                w.HBox([self.verdicts.widget, self.include_undated]),
                self.status,
                self.chart,
                note,
                w.HTML("<h4>Claims</h4>"),
                self.table,
                w.HTML("<h4>Document</h4>"),
                self.document,
                self.viewer,
            ]
        )
        box.add_class("zc-explorer")
        return box

    def show(self, static: bool = True) -> None:
        """Display the controls, and below them a static snapshot of the full selection for reports."""
        from IPython.display import HTML, Markdown, display

        display(self.widget())
        if static:
            view = static_view(self.inputs)
            display(Markdown("### Static snapshot (for reports)\n\n" + view.summary))
            display(view.figure)
            display(HTML(view.table.to_html(index=False, escape=True)))
