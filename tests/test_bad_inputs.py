"""Bad input never gives a silent wrong result: a clear error, or a repair/removal that is recorded.

Corpus files: mojibake, HTML/JavaScript, oversized files, a language without date and number rules (plus
the empty/binary/legacy/UTF-16 cases in test_corpus.py). Price files: missing columns, non-numeric values,
duplicate and unsorted dates, gaps, an unadjusted stock split. Everything is generated in tmp_path; raw
inputs are checked to stay unmodified.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zoomcase import CorpusError, check_claims, date_documents, extract_claims, load_corpus
from zoomcase import corpus as corpus_module
from zoomcase.claims import COLUMNS
from zoomcase.cli import main
from zoomcase.dates import find_dates
from zoomcase.furniture import Removed, find_furniture, kept_lines, lines, markup_spans
from zoomcase.market import MarketDataError, MarketDataWarning, load_prices
from zoomcase.normalise import normalise
from zoomcase.paths import corpus_dir
from zoomcase.schemas import MAX_BYTES, MAX_BYTES_ENV, check_document_size, validate_corpus
from zoomcase.sentences import split_sentences

SEED_REPAIRS = [
    ("000", "Alweerenkele", "glued_words"),
    ("000", "gebruikersdoorstuurde", "glued_words"),
    ("000", "naarbuiten", "glued_words"),
    ("000", "debeveiliging", "glued_words"),
    ("000", "opvideo", "glued_words"),
    ("004", 'de"Service', "glued_quote"),
]
MOJIBAKE_FR = (
    "Zoom a acceptÃ© de payer 85 millions de dollars aux plaignants.\n\n"
    "Lâ€™entreprise affirme que la sÃ©curitÃ© des rÃ©unions est sa prioritÃ©. "
    "Les utilisateurs Ã©taient trÃ¨s dÃ©Ã§us de la dÃ©cision du tribunal.\n"
)
HTML_PAGE = """<!DOCTYPE html>
<html><head><title>Zoom news</title>
<style>body { color: red; }</style>
<script>
  document.write("<p>Injected sentence that must not appear.</p>");
</script>
</head>
<body onload="steal()">
<h1>Zoom settles with the FTC</h1>
<p>The Federal Trade Commission announced a <b>settlement</b> with Zoom over its encryption claims.
Zoom agreed to a new security programme.</p>
<img src="x.png" onerror="alert('xss')"><p>Critics said the order did not go far enough.<script>f()</script>
The company did not pay a fine.</p>
<!-- tracking pixel -->
</body></html>
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the corpus folder that a test may add files to."""
    target = tmp_path / "corpus"
    shutil.copytree(corpus_dir(), target)
    return target


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# --- mojibake ----------------------------------------------------------------------------------------


def test_seed_corpus_gets_exactly_its_known_repairs():
    corpus = load_corpus(cache=False)
    got = list(corpus.repairs[["doc_id", "original", "rule"]].itertuples(index=False, name=None))
    assert got == SEED_REPAIRS
    assert corpus.removed.rule.str.startswith("html_").sum() == 0


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("cafÃ© trÃ¨s", "café très"),
        ("Itâ€™s â€œfineâ€\x9d.", 'It\'s "fine".'),
        ("Ã\xa0 Paris", "à Paris"),
        ("SÃ£o Paulo", "São Paulo"),
        ("ÃƒÂ©tÃƒÂ©", "été"),  # mis-decoded twice
    ],
)
def test_mojibake_is_repaired_with_exact_offsets(raw, text):
    norm = normalise(raw, "fr")
    assert norm.text == text
    assert norm.repairs and {r.rule for r in norm.repairs} == {"mojibake"}
    for rep in norm.repairs:
        assert raw[rep.start : rep.end] == rep.original
        assert "ftfy" in rep.evidence


@pytest.mark.parametrize(
    "raw", ["déçu, très élevé", "São Paulo", "« Zoom » ’“", "Ærø, Çà et là", "naïve Ångström"]
)
def test_correct_text_is_not_repaired(raw):
    assert not [r for r in normalise(raw, "fr").repairs if r.rule == "mojibake"]


def test_mojibake_file_is_repaired_and_recorded(folder):
    (folder / "garbled.txt").write_text(MOJIBAKE_FR, encoding="utf-8")
    before = _snapshot(folder)
    corpus = load_corpus(folder, cache=False)
    assert _snapshot(folder) == before  # raw files are never modified
    doc = corpus.documents.set_index("doc_id").loc["garbled"]
    assert doc.raw == MOJIBAKE_FR
    assert "acceptÃ©" not in doc.text and "Ã" not in doc.text and "â€" not in doc.text
    assert "accepté" in doc.text and "L'entreprise" in doc.text and "déçus" in doc.text
    rows = corpus.repairs[corpus.repairs.doc_id == "garbled"]
    assert set(rows.rule) == {"mojibake"}
    assert len(rows) == 10  # adjacent sequences are one run: "Ã©Ã§" -> "éç"
    for row in rows.itertuples():
        assert corpus.raw_span("garbled", row.start, row.end) == row.raw == row.original
    fixes = dict(zip(rows.original, rows.replacement, strict=True))
    assert fixes["â€™"] == "’" and fixes["Ã©Ã§"] == "éç"
    sentences = corpus.sentences[corpus.sentences.doc_id == "garbled"]
    for row in sentences.itertuples():
        assert normalise(corpus.raw_span("garbled", row.start, row.end), doc.language).text == row.text
    validate_corpus(corpus)


# --- HTML and JavaScript -------------------------------------------------------------------------------


GERMAN = (
    "Zoom und der Datenschutz\n\nDas Unternehmen Zoom hatte im April 2020 mehr als 300 Millionen Teilnehmer "
    "pro Tag. Die Behörde in Hamburg hat eine Untersuchung eingeleitet, weil die Daten nicht sicher waren.\n"
)
DUTCH_WITH_GERMAN_QUOTE = (
    "Zoom in Duitsland\n\nHet bedrijf Zoom heeft volgens de krant meer dan 300 miljoen gebruikers per dag in "
    'april 2020. "Die Datenschutzbehörde hat 300 Beschwerden gegen das Unternehmen erhalten und prüft den '
    'Fall sehr genau." Dat zei een woordvoerder van de toezichthouder in Hamburg tegen het dagblad.\n'
)


def test_a_language_without_date_and_number_rules_is_read_with_a_note(tmp_path):
    """A German article, or a German quotation in a Dutch one, is kept and said to be unread for dates and
    numbers; it neither stops the load nor yields number claims read with another language's rules."""
    from zoomcase.claims import extract_claims

    (tmp_path / "de.txt").write_text(GERMAN, encoding="utf-8")
    (tmp_path / "nl.txt").write_text(DUTCH_WITH_GERMAN_QUOTE, encoding="utf-8")
    corpus = load_corpus(tmp_path, cache=False)
    docs = corpus.documents.set_index("doc_id")
    assert docs.loc["de", "language"] == "de" and docs.loc["nl", "language"] == "nl"
    assert "Written in de: dates and numbers are read in nl, en, fr only" in docs.loc["de", "notes"]
    assert "Written in" not in docs.loc["nl", "notes"]
    assert set(corpus.dates.doc_id) == {"nl"}
    quote = corpus.sentences[corpus.sentences.text.str.contains("Beschwerden")]
    assert quote.language.tolist() == ["de"]
    claims = extract_claims(corpus, cache=False)
    assert claims[["doc_id", "metric", "value"]].values.tolist() == [["nl", "daily_users", 3e8]]


def test_a_corpus_without_claims_gives_empty_typed_tables(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ZOOMCASE_CACHE", str(tmp_path / "cache"))
    """A user's corpus may hold nothing checkable: the claims, their verdicts and the document dating are
    then empty tables with their columns and dtypes (check_claims raised a KeyError), and they validate."""
    (tmp_path / "a.txt").write_text(
        "Zoom is a company that makes video software for meetings.\n\nPeople use it at home and at work.\n",
        encoding="utf-8",
    )
    corpus = load_corpus(tmp_path, cache=False)
    claims = extract_claims(corpus, cache=False)
    checked = check_claims(claims)  # validates the claims table
    assert len(corpus.sentences) == 2 and claims.empty and checked.empty
    assert (
        list(claims.columns) == COLUMNS and claims.claim_id.dtype == "str" and checked.verdict.dtype == "str"
    )
    assert list(date_documents(corpus, checked).doc_id) == ["a"]
    assert main(["claims", "--directory", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"no checkable claims in the 2 sentence(s) of {tmp_path}\n"


def test_markup_spans_are_strict():
    assert markup_spans("a < b and c > d, mail <jan@example.org>, 3<4") == []
    spans = markup_spans('x <a href="/" onclick="go()">y</a> <script>if (a > b) {}</script>')
    assert [rule for _, _, rule in spans] == ["html_handler", "html_tag", "html_script"]


def test_html_page_loads_with_every_tag_removed_and_listed(folder):
    (folder / "page.txt").write_text(HTML_PAGE, encoding="utf-8")
    corpus = load_corpus(folder, cache=False)
    raw = corpus.raw("page")
    sentences = corpus.sentences[corpus.sentences.doc_id == "page"]
    removed = corpus.removed[corpus.removed.doc_id == "page"]
    texts = list(sentences.text)
    assert (
        "The Federal Trade Commission announced a settlement with Zoom over its encryption claims." in texts
    )
    assert "Critics said the order did not go far enough." in texts
    assert "The company did not pay a fine." in texts
    for text in texts:
        assert "<" not in text and ">" not in text
        assert not re.search(r"script|onerror|onload|alert|Injected", text, re.I), text
    # every tag of the page is a removed row with an html_* rule, quoting the raw text
    tags = [m.group() for m in re.finditer(r"<[^>]*>", re.sub(r"<script>.*?</script>", "", raw, flags=re.S))]
    html_rows = removed[removed.rule.str.startswith("html_")]
    listed = "".join(html_rows.text)
    assert all(tag in listed for tag in tags)
    assert set(html_rows.rule) >= {"html_tag", "html_handler", "html_script", "html_style", "html_comment"}
    assert html_rows[html_rows.rule == "html_handler"].text.str.contains("onerror|onload").all()
    scripts = html_rows[html_rows.rule == "html_script"]
    assert len(scripts) == 2 and scripts.text.str.contains("Injected").any()
    for row in removed.itertuples():
        assert raw[row.start : row.end] == row.text
    # nothing is lost: every visible character is in a sentence or a removed span
    covered = [False] * len(raw)
    for table in (sentences, removed):
        for row in table.itertuples():
            covered[row.start : row.end] = [True] * (row.end - row.start)
    assert [raw[i] for i, ch in enumerate(raw) if not ch.isspace() and not covered[i]] == []
    # sentences may contain inline markup spans, but never overlap any other removed span
    for row in sentences.itertuples():
        assert normalise(raw[row.start : row.end], "en").text == row.text
        overlap = removed[(removed.start < row.end) & (removed.end > row.start)]
        assert overlap.rule.str.startswith("html_").all(), overlap
    validate_corpus(corpus)


def test_lines_trim_markup_and_skip_markup_only_lines():
    raw = "<div>\n<p>Hello <b>world</b>.</p>\n<script>\nvar x = 1;\n</script> After.\n"
    assert [raw[a:b] for a, b in lines(raw)] == ["Hello <b>world</b>.", "After."]
    assert {r.rule for r in find_furniture(raw)} == {"html_tag", "html_script"}


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.sampled_from(list("ab <p>\n")), max_size=60),
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=12),
)
def test_kept_lines_are_the_lines_no_removed_span_covers(raw, spans):
    """Bisection against removed spans, overlapping ones included, keeps what checking each span keeps."""
    removed = sorted((Removed(a, a + n, "test", "") for a, n in spans), key=lambda r: (r.start, r.end))
    expected = [(s, e) for s, e in lines(raw) if not any(r.start <= s < r.end for r in removed)]
    assert list(kept_lines(raw, removed)) == expected


def test_block_tags_separate_words():
    assert normalise("<p>One.</p><p>Two.</p>", "en").text == "One. Two."
    assert normalise("AT&amp;T &#8217;s", "en").text == "AT&T 's"


# --- line separators and invisible characters -----------------------------------------------------------


def _seed_copy(target: Path, separator: str) -> Path:
    """The seed articles with ``separator`` for every line feed, unlisted (their sha256 changes)."""
    target.mkdir()
    for path in corpus_dir().glob("*.txt"):
        (target / path.name).write_text(path.read_text(encoding="utf-8").replace("\n", separator), "utf-8")
    return target


@pytest.fixture(scope="module")
def seeds_with_newlines(tmp_path_factory):
    return load_corpus(_seed_copy(tmp_path_factory.mktemp("lf") / "corpus", "\n"), cache=False)


@pytest.mark.parametrize("separator", ["\r", "\u2028", "\u2029", "\x85", "\x0c"])
def test_lines_ended_by_any_separator_give_the_tables_of_line_feeds(tmp_path, seeds_with_newlines, separator):
    """An old Mac file ends its lines with a lone CR, an export may use U+2028/U+2029, U+0085 or form feeds:
    furniture and titles were lost (lines were split at line feeds only) and "Share" or a "Top Articles"
    block became sentences. A one-character separator keeps every offset, so the tables are the same."""
    corpus = load_corpus(_seed_copy(tmp_path / "corpus", separator), cache=False)
    assert len(corpus.removed) == len(seeds_with_newlines.removed) == 13
    assert len(corpus.sentences) == 114
    columns = {
        "documents": ["doc_id", "title", "language", "page_date_stated", "published"],
        "sentences": ["doc_id", "start", "end", "text", "language"],
        "removed": ["doc_id", "start", "end", "rule"],
        "repairs": ["doc_id", "start", "end", "replacement"],
        "dates": ["doc_id", "start", "end", "text", "value", "precision"],
        "mentions": ["doc_id", "start", "end", "entity"],
    }
    for name, kept in columns.items():
        pd.testing.assert_frame_equal(getattr(corpus, name)[kept], getattr(seeds_with_newlines, name)[kept])


def test_lines_end_at_every_line_boundary():
    raw = "a\rb\r\nc\u2028d\u2029e\x85f\x0cg\x0bh\x1ci\n"
    assert [raw[a:b] for a, b in lines(raw)] == list("abcdefghi") == raw.splitlines()


@pytest.mark.parametrize(
    ("entity", "literal"),
    [("&shy;", "\u00ad"), ("&#173;", "\u00ad"), ("&lrm;", "\u200e"), ("&zwj;", "\u200d")],
)
def test_an_invisible_character_written_as_an_entity_reads_as_the_character_does(entity, literal):
    """The html_entity repair put U+00AD back into the text: "Novem&shy;ber 2020" lost its date."""
    raw = f"The FTC's Com{entity}mission met in Novem{entity}ber 2020."
    norm, plain = normalise(raw, "en"), normalise(raw.replace(entity, literal), "en")
    assert norm.text == plain.text == "The FTC's Commission met in November 2020."
    [repair] = {(r.original, r.rule) for r in norm.repairs}
    assert repair == (entity, "html_entity")


def test_soft_hyphens_as_entities_keep_dates_mentions_and_claims(tmp_path):
    (tmp_path / "a.txt").write_text(
        "The Federal Trade Com&shy;mission settled with Zoom in Novem&shy;ber 2020.\n\n"
        "Zoom had 300 million daily meeting partici&shy;pants in April 2020.\n",
        encoding="utf-8",
    )
    corpus = load_corpus(tmp_path, cache=False)
    assert corpus.dates[["text", "value", "precision"]].values.tolist() == [
        ["in November 2020", pd.Timestamp("2020-11-01").date(), "month"],
        ["in April 2020", pd.Timestamp("2020-04-01").date(), "month"],
    ]
    assert "ftc" in set(corpus.mentions.entity)
    assert extract_claims(corpus, cache=False).metric.tolist() == ["daily_users"]
    for row in corpus.repairs.itertuples():
        assert corpus.raw_span("a", row.start, row.end) == row.raw == "&shy;"
    for row in corpus.sentences.itertuples():
        assert normalise(corpus.raw_span("a", row.start, row.end), "en").text == row.text


BIDI = [
    chr(0x061C),
    chr(0x200E),
    chr(0x200F),
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
]


@pytest.mark.parametrize("mark", BIDI)
def test_bidirectional_marks_and_controls_are_invisible(mark):
    """Bidi marks only steer drawing: kept, they cut "November 2020" from its year, a word from its
    neighbour, a sentence from the next; the raw span of the text still holds them."""
    raw = f"Zoom met in November{mark} 2020 with {mark}meeting participants.{mark} Rapport {mark}suivant."
    norm = normalise(raw, "en")
    assert norm.text == "Zoom met in November 2020 with meeting participants. Rapport suivant."
    assert [(m.text, m.value) for m in find_dates(norm.text, "en")] == [
        ("in November 2020", date(2020, 11, 1))
    ]
    assert len(split_sentences(norm.text)) == 2
    assert [raw[norm.starts[i] : norm.ends[i]] for i in range(len(norm.text))] == list(norm.text)


def test_bidirectional_marks_in_a_file_keep_claims_sentences_and_title(tmp_path):
    (tmp_path / "a.txt").write_text(
        "\u202eZoom settles\u202c with the FTC\n\n"
        "Zoom had 300 million daily meeting \u200eparticipants in November\u200e 2020.\u2069 "
        "The company said so.\n",
        encoding="utf-8",
    )
    corpus = load_corpus(tmp_path, cache=False)
    assert corpus.documents.title.tolist() == ["Zoom settles with the FTC"]
    assert corpus.sentences.text.tolist() == [
        "Zoom settles with the FTC",
        "Zoom had 300 million daily meeting participants in November 2020.",
        "The company said so.",
    ]
    assert corpus.dates.value.tolist() == [date(2020, 11, 1)]
    assert extract_claims(corpus, cache=False).metric.tolist() == ["daily_users"]


# --- size ---------------------------------------------------------------------------------------------


def test_oversized_document_is_refused_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:  # a sparse 50 MB file: nothing is written to disk or read into memory
        fh.truncate(50 * 1024 * 1024)
    with pytest.raises(CorpusError, match=r"^huge\.txt: 50\.0 MB .* larger than the 20\.0 MB .* limit"):
        check_document_size(big)
    assert check_document_size(big, limit=60 * 1024 * 1024) == 50 * 1024 * 1024
    monkeypatch.setenv(MAX_BYTES_ENV, str(100 * 1024 * 1024))
    assert check_document_size(big) == 50 * 1024 * 1024
    monkeypatch.setenv(MAX_BYTES_ENV, "lots")
    with pytest.raises(ValueError, match=MAX_BYTES_ENV):
        check_document_size(big)
    assert MAX_BYTES == 20 * 1024 * 1024


def test_an_oversized_corpus_file_is_refused_unread(tmp_path, monkeypatch):
    """load_corpus opens each file and checks its size before reading it: the 50 MB file is never read."""
    (tmp_path / "a.txt").write_text("Zoom had 300 million daily meeting participants.\n", encoding="utf-8")
    with (tmp_path / "huge.txt").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    read: list[str] = []
    os_read = os.read

    def spy(fd: int, n: int) -> bytes:  # notes which files are read
        read.append(Path(os.readlink(f"/proc/self/fd/{fd}")).name)
        return os_read(fd, n)

    monkeypatch.setattr(corpus_module.os, "read", spy)
    with pytest.raises(CorpusError, match=r"^huge\.txt: 50\.0 MB .* larger than"):
        load_corpus(tmp_path, cache=False, workers=1)
    assert set(read) == {"a.txt"}  # files are checked in name order; the small one was read


def test_a_file_that_grew_after_it_was_measured_is_read_to_its_end(tmp_path, monkeypatch):
    """``_read`` reads the measured size and a byte more; past that, the rest (here ``fstat`` says 10 bytes
    of a 200,000-byte file)."""
    path = tmp_path / "a.txt"
    path.write_bytes(b"Zoom " * 40_000)
    fstat = os.fstat
    monkeypatch.setattr(
        corpus_module.os, "fstat", lambda fd: SimpleNamespace(st_size=min(10, fstat(fd).st_size))
    )
    assert corpus_module._read(path) == b"Zoom " * 40_000


def test_small_document_passes_the_size_rule(tmp_path):
    small = tmp_path / "a.txt"
    small.write_text("Zoom.", encoding="utf-8")
    assert check_document_size(small) == 5


# --- price files -----------------------------------------------------------------------------------------


def _write(folder: Path, relative: str, text: str) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _ohlcv(rows: list[tuple[str, float]]) -> str:
    body = "".join(f"{d},{c},{c},{c},{c},1000\n" for d, c in rows)
    return "date,open,high,low,close,volume\n" + body


WEEK = ["2020-08-24", "2020-08-25", "2020-08-26", "2020-08-27", "2020-08-28"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("date,open,high\n2020-01-02,1.0,1.1\n", r"ZM\.csv, line 1: no close column"),
        ("day,close\n2020-01-02,1.0\n", r"ZM\.csv, line 1: no date column"),
        ("date,close\n2020-01-02,68.7\n2020-01-03,abc\n", r"line 3: close 'abc' is not a number"),
        (
            "date,open,high,low,close,volume\n2020-01-02,1,1,1,1,lots\n",
            r"line 2: volume 'lots' is not a number",
        ),
        (
            "date,close\n2020-01-02,68.7\n2020-01-02,68.9\n",
            r"lines 2 and 3: date 2020-01-02 appears twice",
        ),
        ("date;close\n2020-01-02;68.7\n", r"ZM\.csv, line 1: columns separated by ';'"),
    ],
)
def test_bad_price_files_are_refused(tmp_path, text, message):
    path = _write(tmp_path, "ZM.csv", text)
    before = path.read_bytes()
    with pytest.raises(MarketDataError, match=message):
        load_prices("ZM", directory=tmp_path)
    assert path.read_bytes() == before


def test_a_price_file_saved_by_a_spreadsheet_with_a_byte_order_mark_is_read(tmp_path):
    _write(tmp_path, "ZM.csv", "\ufeff" + _ohlcv([("2020-01-02", 68.0), ("2020-01-03", 70.0)]))
    assert list(load_prices("ZM", directory=tmp_path).close) == [68.0, 70.0]


def test_unsorted_dates_are_sorted_with_a_warning(tmp_path):
    _write(tmp_path, "ZM.csv", _ohlcv([("2020-01-03", 70.0), ("2020-01-02", 68.0)]))
    with pytest.warns(MarketDataWarning, match=r"ZM\.csv: dates are not in increasing order"):
        prices = load_prices("ZM", directory=tmp_path)
    assert list(prices.close) == [68.0, 70.0]


def test_gap_is_warned_about_and_recorded(tmp_path):
    _write(tmp_path, "ZM.csv", _ohlcv([("2020-01-02", 68.0), ("2020-01-03", 69.0), ("2020-01-21", 70.0)]))
    with pytest.warns(
        MarketDataWarning, match=r"ZM\.csv: 11 weekdays missing between 2020-01-03 and 2020-01-21"
    ):
        prices = load_prices("ZM", directory=tmp_path)
    assert prices.attrs["gaps"] == [
        {"after": "2020-01-03", "before": "2020-01-21", "missing_weekdays": 11, "known_closure": None}
    ]


def test_short_gaps_and_known_closures_are_not_warned(tmp_path, recwarn):
    # a long weekend (Friday to Tuesday) and the September 2001 closure are normal
    _write(
        tmp_path,
        "GSPC.csv",
        _ohlcv(
            [("2001-09-07", 1085.0), ("2001-09-10", 1092.5), ("2001-09-17", 1038.8), ("2001-09-18", 1032.7)]
        ),
    )
    prices = load_prices("GSPC", directory=tmp_path)
    assert not [w for w in recwarn if issubclass(w.category, MarketDataWarning)]
    assert "gaps" not in prices.attrs


@pytest.mark.parametrize(("after", "label"), [(250.0, "2-for-1 split"), (1500.0, "1-for-3 reverse split")])
def test_unadjusted_split_is_refused(tmp_path, after, label):
    closes = [500.0, 505.0, 498.0, after, after * 1.01]
    _write(tmp_path, "ZM.csv", _ohlcv(list(zip(WEEK, closes, strict=True))))
    with pytest.raises(
        MarketDataError, match=rf"ZM\.csv: .* on 2020-08-27 \(ratio .*{label}.*split-adjusted"
    ):
        load_prices("ZM", directory=tmp_path)


def test_split_can_be_adjusted_and_is_recorded(tmp_path):
    _write(tmp_path, "ZM.csv", _ohlcv(list(zip(WEEK, [500.0, 505.0, 498.0, 250.5, 252.0], strict=True))))
    prices = load_prices("ZM", directory=tmp_path, splits="adjust")
    assert list(prices.close) == [250.0, 252.5, 249.0, 250.5, 252.0]
    assert list(prices.volume) == [2000.0, 2000.0, 2000.0, 1000.0, 1000.0]
    [adjustment] = prices.attrs["split_adjustments"]
    assert adjustment["date"] == "2020-08-27" and adjustment["split"] == "2-for-1 split"
    with pytest.raises(MarketDataError, match="splits must be one of error, adjust"):
        load_prices("ZM", directory=tmp_path, splits="ignore")


def test_big_real_moves_are_not_splits(tmp_path):
    # ZM closed +40.8% on 2020-06-03 and the adjusted close-only files are not checked for splits
    _write(tmp_path, "ZM.csv", _ohlcv([("2020-06-02", 147.23), ("2020-06-03", 207.3)]))
    assert len(load_prices("ZM", directory=tmp_path)) == 2
    _write(tmp_path, "closes/RNG.csv", "Date,Close\n2020-01-02,1.0\n2020-01-03,2.0\n")
    assert "split_adjustments" not in load_prices("RNG", directory=tmp_path).attrs


def test_real_price_files_load_without_splits_or_unexplained_gaps(recwarn):
    from zoomcase.market import market_sources
    from zoomcase.paths import shared_market_dir

    folder = shared_market_dir()
    if not folder.is_dir():
        pytest.skip(f"shared market snapshot not found at {folder}")
    for src in market_sources():
        prices = load_prices(src.ticker, folder, source="ohlcv" if src.columns == "ohlcv" else "closes")
        assert "split_adjustments" not in prices.attrs
        assert all(g["known_closure"] for g in prices.attrs.get("gaps", [])), src.path
    assert not [w for w in recwarn if issubclass(w.category, MarketDataWarning)]
    assert pd.Timestamp("2020-06-03") in load_prices("ZM", folder).index


def test_txt_in_capitals_is_read_and_whatever_else_the_folder_holds_is_named(tmp_path):
    """A.TXT is an article too; a .docx or a subfolder of articles is not read, and the warning says so
    (they were skipped silently)."""
    (tmp_path / "A.TXT").write_text("Zoom had 300 million daily meeting participants in April 2020.\n")
    (tmp_path / "b.txt").write_text("Zoom settled for 85 million dollars in 2021.\n")
    (tmp_path / "notes.docx").write_bytes(b"PK")
    (tmp_path / "2021").mkdir()
    (tmp_path / "documents.csv").write_text(",".join(corpus_module.TABLE_COLUMNS) + "\n")
    with pytest.warns(corpus_module.CorpusWarning, match=r"2 entries not read.*: 2021, notes\.docx\. Save"):
        corpus = load_corpus(tmp_path, cache=False)
    assert list(corpus.documents.file) == ["A.TXT", "b.txt"]


def test_a_file_left_without_text_is_named_with_what_to_do(tmp_path):
    (tmp_path / "a.txt").write_text("Share\n")
    with pytest.raises(
        CorpusError, match=r"a\.txt: no text .* 0 line\(s\) were left\)\. Check that the file"
    ):
        load_corpus(tmp_path, cache=False)


@pytest.mark.parametrize(("prefix", "separator"), [("\ufeff", ","), ("", ";")])
def test_a_documents_table_saved_by_a_spreadsheet(tmp_path, prefix, separator):
    """Excel's "CSV UTF-8" starts with a byte-order mark (read as it is); a regional setting may put ';'
    between columns (refused, saying so, instead of listing every column as missing)."""
    (tmp_path / "a.txt").write_text("Zoom settled for 85 million dollars in 2021.\n", encoding="utf-8")
    row = ["a1", "a.txt", "", "", "Title", "Outlet", "", "", "", ""]
    lines = [separator.join(corpus_module.TABLE_COLUMNS), separator.join(row)]
    (tmp_path / "documents.csv").write_text(prefix + "\n".join(lines) + "\n", encoding="utf-8")
    if separator == ";":
        with pytest.raises(CorpusError, match="separated by ';'"):
            load_corpus(tmp_path, cache=False)
    else:
        assert list(load_corpus(tmp_path, cache=False).documents.doc_id) == ["a1"]
