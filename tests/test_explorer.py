"""The explorer without a browser: filters, escaping, callbacks that change the chart, the static view."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from zoomcase import explorer as explorer_module
from zoomcase.explorer import (
    Explorer,
    Inputs,
    claims_table,
    claims_table_html,
    closes,
    explorer_figure,
    filter_claims,
    filter_events,
    highlight_html,
    prepare_claims,
    static_view,
)

RAW_EN = "Zoom said <script>alert(1)</script> it had 300 million users & more."
RAW_NL = "Zoom verdubbelde in maart 2020."
DOCUMENTS = pd.DataFrame(
    {
        "doc_id": ["d1", "d2"],
        "language": ["en", "nl"],
        "title": ["A <b>headline</b>", ""],
        "raw": [RAW_EN, RAW_NL],
    }
)
MENTIONS = pd.DataFrame(
    {
        "doc_id": ["d1", "d2"],
        "start": [0, 0],
        "end": [4, 4],
        "label": ["Zoom <Video>", "Zoom"],
        "type": ["company", "company"],
        "entity": ["zoom", "zoom"],
    }
)
CLAIMS = pd.DataFrame(
    {
        "claim_id": ["d1-c01", "d1-c02", "d2-c01", "d2-c02"],
        "doc_id": ["d1", "d1", "d2", "d2"],
        "start": [RAW_EN.index("300"), 0, 5, 0],
        "end": [RAW_EN.index("users") + 5, 10, 16, 4],
        "quote": ["<script>alert('q')</script> 300 million users", "Zoom said", "verdubbelde", "Zoom"],
        "gloss_en": ["300 million users", pd.NA, "doubled", pd.NA],
        "explanation": ["matches participants, not users", "", "held", ""],
        "verdict": ["misleading", "supported", "supported", "unverifiable"],
        "as_of": pd.to_datetime(["2020-04-15", None, "2020-03-01", None]),
        "consistent_from": pd.to_datetime([None, "2020-06-01", None, None]),
    }
)
EVENTS = pd.DataFrame(
    {
        "date": pd.to_datetime(["2020-03-26", "2020-04-01", "2020-11-09", "2021-06-01"]),
        "title": ["SDK sends data to Facebook", "<img src=x onerror=alert(1)>", "FTC settlement", "later"],
        "category": ["privacy", "security", "regulatory", "privacy"],
        "date_precision": ["day", "day", "day", "day"],
        "source_url": ["https://a", "https://b", "https://c", "https://d"],
    }
)
DAYS = pd.bdate_range("2020-01-02", "2020-12-31")
PRICES = pd.DataFrame(
    {"ZM": np.linspace(70, 500, len(DAYS)), "IXIC": np.linspace(9000, 12000, len(DAYS))}, index=DAYS
)
CORPUS = SimpleNamespace(documents=DOCUMENTS, mentions=MENTIONS)
INPUTS = Inputs(corpus=CORPUS, claims=CLAIMS, events=EVENTS, prices=PRICES)


@pytest.fixture
def prepared():
    return prepare_claims(CLAIMS, DOCUMENTS)


def _points(figure, group: str) -> dict[str, int]:
    return {t.name: len(t.x) for t in figure.data if t.legendgroup == group and t.visible is not False}


def test_prepare_claims_adds_language_and_a_plotting_date(prepared):
    assert list(prepared.language) == ["en", "en", "nl", "nl"]
    assert list(prepared.date_basis) == ["as_of", "consistent_from", "as_of", "undated"]
    assert prepared.date.iloc[1] == pd.Timestamp("2020-06-01")


def test_filter_claims_by_dates_languages_and_verdicts(prepared):
    april = filter_claims(prepared, "2020-04-01", "2020-04-30", include_undated=False)
    assert list(april.claim_id) == ["d1-c01"]
    assert list(filter_claims(prepared, "2020-04-01", "2020-04-30").claim_id) == ["d1-c01", "d2-c02"]
    assert list(filter_claims(prepared, languages=["nl"]).claim_id) == ["d2-c01", "d2-c02"]
    assert list(filter_claims(prepared, verdicts=["supported"]).claim_id) == ["d1-c02", "d2-c01"]
    assert filter_claims(prepared, languages=[], verdicts=["supported"]).empty
    with pytest.raises(ValueError, match="start 2020-05-01 is after end 2020-04-01"):
        filter_claims(prepared, "2020-05-01", "2020-04-01")


def test_filter_events_by_dates_and_categories():
    assert len(filter_events(EVENTS)) == 4
    assert list(filter_events(EVENTS, "2020-01-01", "2020-12-31", ["privacy"]).title) == [
        "SDK sends data to Facebook"
    ]
    assert filter_events(EVENTS, categories=[]).empty


def test_highlight_escapes_the_text_and_marks_claims_and_actors(prepared):
    page = highlight_html(CORPUS, "d1", prepared)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&amp; more." in page
    assert 'class="zc-claim zc-misleading" data-claim="d1-c01"' in page
    assert ">300 million users</mark>" in page
    assert 'title="Zoom &lt;Video&gt; (company)"' in page  # the actor's label is escaped too
    # the actor "Zoom" lies inside claim d1-c02 ("Zoom said"): the marks nest and every one is closed
    assert page.count("<mark") == page.count("</mark>")
    assert '<mark class="zc-claim zc-supported" data-claim="d1-c02"' in page


def test_highlight_without_actors_and_bad_input(prepared):
    page = highlight_html(CORPUS, "d2", prepared, actors=False)
    assert "zc-actor" not in page.split("</div>", 1)[1]  # only the legend names the actor style
    with pytest.raises(ValueError, match="doc_id='nope': no such document"):
        highlight_html(CORPUS, "nope", prepared)
    bad = prepared.assign(end=[999, 10, 16, 4])
    with pytest.raises(ValueError, match="outside its"):
        highlight_html(CORPUS, "d1", bad)


def test_claims_table_escapes_quotes_and_marks_the_selected_claim(prepared):
    table = claims_table(prepared)
    assert list(table.date) == ["2020-04-15", "2020-06-01 (held from)", "2020-03-01", "undated"]
    page = claims_table_html(prepared, selected="d2-c01")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert '<tr data-claim="d2-c01" class="zc-selected">' in page
    assert "No claims match" in claims_table_html(prepared.iloc[0:0])


def test_claims_table_lists_at_most_its_limit_and_the_selected_claim(prepared):
    ids = list(prepared.claim_id)
    rows = lambda page: re.findall(r'<tr data-claim="([^"]+)"', page)  # noqa: E731
    assert rows(claims_table_html(prepared)) == ids
    page = claims_table_html(prepared, limit=2)
    assert rows(page) == ids[:2] and f"{len(ids)} claim(s); the first 2 are listed" in page
    assert rows(claims_table_html(prepared, selected=ids[-1], limit=2)) == [*ids[:2], ids[-1]]


def test_explorer_figure_places_claims_on_the_stock_line(prepared):
    fig = explorer_figure(PRICES, EVENTS, prepared, "2020-03-01", "2020-12-31")
    # d2-c01 (2020-03-01, a Sunday) lies before the first session of the range: listed, not drawn
    assert _points(fig, "claims") == {"misleading": 1, "supported": 1}
    misleading = next(t for t in fig.data if t.name == "misleading")
    day = PRICES.loc[:"2020-04-15"].index[-1]
    base = PRICES.loc["2020-03-02", "ZM"]
    assert misleading.y[0] == pytest.approx(PRICES.loc[day, "ZM"] / base * 100)
    assert _points(fig, "events") == {"privacy": 1, "security": 1, "regulatory": 1}
    hover = " ".join(" ".join(t.hovertext) for t in fig.data if t.hovertext)
    assert "<img" not in hover and "&lt;img" in hover
    with pytest.raises(ValueError, match="no prices"):
        explorer_figure(PRICES, EVENTS, prepared, "2022-01-01", "2022-02-01")


def test_callbacks_change_the_figure_in_place():
    ex = Explorer(INPUTS, use_figure_widget=False)
    figure, traces = ex.figure, len(ex.figure.data)
    assert _points(figure, "claims") == {"misleading": 1, "supported": 2}
    assert "3 claim(s) selected" not in ex.status.value and "4 claim(s) selected" in ex.status.value

    ex.verdicts.boxes["supported"].value = False  # the checkbox's observer calls update()
    assert ex.figure is figure and len(figure.data) == traces  # same figure, same trace slots
    assert _points(figure, "claims") == {"misleading": 1}
    assert "d1-c02" not in ex.table.value and "d1-c01" in ex.table.value

    ex.categories.boxes["privacy"].value = False
    assert "privacy" not in _points(figure, "events")

    ex.dates.value = (pd.Timestamp("2020-05-01"), pd.Timestamp("2020-12-01"))
    assert figure.layout.title.text.startswith("ZM rebased to 100 on 2020-05-01")
    assert _points(figure, "claims") == {}
    assert min(figure.data[0].x) >= pd.Timestamp("2020-05-01")

    ex.languages.boxes["en"].value = False
    assert [v for _, v in ex.document.options] == ["d2"]
    assert "verdubbelde" in ex.viewer.value


def test_selecting_a_claim_opens_its_document():
    ex = Explorer(INPUTS, use_figure_widget=False)
    ex.select_claim("d2-c01")
    assert ex.document.value == "d2"
    assert 'data-claim="d2-c01" class="zc-selected"' in ex.table.value
    assert 'data-claim="d2-c01"' in ex.viewer.value
    with pytest.raises(ValueError, match="no such claim"):
        ex.select_claim("zz")


def test_claim_points_carry_their_ids_for_clicks():
    ex = Explorer(INPUTS, use_figure_widget=False)
    supported = next(t for t in ex.figure.data if t.name == "supported")
    assert list(supported.customdata) == ["d1-c02", "d2-c01"]  # one id per point, in the order drawn
    assert list(pd.to_datetime(supported.x)) == [pd.Timestamp("2020-06-01"), pd.Timestamp("2020-03-01")]


def test_explorer_with_a_figure_widget():
    pytest.importorskip("anywidget", reason="plotly's FigureWidget needs anywidget")
    import plotly.graph_objects as go

    ex = Explorer(INPUTS, use_figure_widget=True)
    assert isinstance(ex.figure, go.FigureWidget) and ex.chart is ex.figure
    ex.verdicts.boxes["supported"].value = False
    assert _points(ex.figure, "claims") == {"misleading": 1}


def test_static_view_has_the_figure_and_the_table():
    view = static_view(INPUTS)
    assert _points(view.figure, "claims") == {"misleading": 1, "supported": 2}
    assert list(view.table.claim_id) == ["d1-c01", "d1-c02", "d2-c01", "d2-c02"]
    assert view.summary.startswith("4 claim(s) selected, 3 drawn")
    narrow = static_view(INPUTS, verdicts=["misleading"], categories=["privacy"], languages=["en"])
    assert list(narrow.table.claim_id) == ["d1-c01"]
    assert _points(narrow.figure, "events") == {"privacy": 1}


def test_a_point_stands_for_every_claim_of_its_day_and_verdict(monkeypatch):
    """A newsroom corpus puts hundreds of claims on one day: a point each would make a chart of megabytes."""
    copies = [CLAIMS.assign(claim_id=CLAIMS.claim_id + f"-{i}") for i in range(3)]
    many = Inputs(corpus=CORPUS, claims=pd.concat(copies, ignore_index=True), events=EVENTS, prices=PRICES)
    monkeypatch.setattr(explorer_module, "TABLE_ROWS", 5)
    view = static_view(many)
    assert _points(view.figure, "claims") == {"misleading": 1, "supported": 2}
    misleading = next(t for t in view.figure.data if t.name == "misleading")
    assert "and 2 more misleading claim(s) on this day" in misleading.hovertext[0]
    assert view.summary.startswith("12 claim(s) selected, 9 drawn") and "lists the first 5" in view.summary
    assert list(view.table.claim_id) == list(many.claims.claim_id[:5])
    ex = Explorer(many, use_figure_widget=False)
    supported = next(t for t in ex.figure.data if t.name == "supported")
    assert list(supported.customdata) == ["d1-c02-0", "d2-c01-0"]  # the first claim of each point, for clicks
    assert ex.status.value.startswith("12 claim(s) selected, 9 on the chart")


def test_show_displays_controls_and_a_static_snapshot(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
    Explorer(INPUTS, use_figure_widget=False).show()
    kinds = [type(o).__name__ for o in shown]
    assert kinds == ["VBox", "Markdown", "Figure", "HTML"]
    assert "Static snapshot (for reports)" in shown[1].data
    assert "d1-c01" in shown[3].data and "<script>" not in shown[3].data


def test_closes_aligns_the_benchmark_on_the_stock_sessions():
    stock = pd.DataFrame(
        {"close": [1.0, 2.0, 3.0]}, index=pd.to_datetime(["2020-01-02", "2020-01-03", "2020-01-06"])
    )
    bench = pd.DataFrame({"close": [10.0, 30.0]}, index=pd.to_datetime(["2020-01-02", "2020-01-06"]))
    frame = closes(["ZM", "IXIC"], lambda t: stock if t == "ZM" else bench)
    assert list(frame.columns) == ["ZM", "IXIC"]
    assert list(frame.IXIC) == [10.0, 10.0, 30.0]


def test_a_long_document_list_is_cut_to_the_most_claims_and_a_claim_still_opens_its_document(monkeypatch):
    monkeypatch.setattr(explorer_module, "DOCUMENT_OPTIONS", 1)
    ex = Explorer(INPUTS, use_figure_widget=False)
    assert [v for _, v in ex.document.options] == ["d1"]  # 2 claims each: the first in document order
    assert "the document list shows the 1 with the most claims selected" in ex.status.value
    ex.select_claim("d2-c01")  # not listed: listed now, and shown
    assert [v for _, v in ex.document.options] == ["d1", "d2"] and ex.document.value == "d2"
    assert 'data-claim="d2-c01"' in ex.viewer.value
    ex.verdicts.boxes["misleading"].value = False  # d1 keeps 1 claim, d2 2: d2 is listed first
    assert [v for _, v in ex.document.options] == ["d2"] and ex.document.value == "d2"
    ex.verdicts.boxes["misleading"].value = True
    ex.verdicts.boxes["unverifiable"].value = False  # d1 has more; d2 stays listed while it is shown
    assert [v for _, v in ex.document.options] == ["d1", "d2"] and ex.document.value == "d2"
