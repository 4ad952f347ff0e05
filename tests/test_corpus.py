"""The corpus loads faithfully: offsets into the raw text, nothing dropped silently, clear errors."""

from __future__ import annotations

import csv
import importlib
import re
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from zoomcase import CorpusError, load_corpus
from zoomcase import corpus as corpus_module
from zoomcase.normalise import normalise
from zoomcase.paths import corpus_dir


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def _lang(corpus, doc_id: str) -> str:
    return corpus.documents.set_index("doc_id").loc[doc_id, "language"]


def test_languages_and_page_date(corpus):
    docs = corpus.documents.set_index("doc_id")
    assert list(docs.language) == ["nl", "nl", "en", "fr", "nl"]
    with (corpus_dir() / "documents.csv").open(encoding="utf-8") as fh:
        table = {row["doc_id"]: row for row in csv.DictReader(fh)}
    assert list(docs.language) == [table[d]["language"] for d in docs.index]
    assert docs.loc["000", "published"] == pd.Timestamp("2020-10-20")
    assert docs.loc["000", "published_precision"] == "day"
    assert str(docs.loc["000", "published"].date()) == table["000"]["page_date"]
    assert docs.published.isna().sum() == 4


def test_every_sentence_normalises_from_its_raw_span(corpus):
    for row in corpus.sentences.itertuples():
        raw_span = corpus.raw_span(row.doc_id, row.start, row.end)
        assert normalise(raw_span, _lang(corpus, row.doc_id)).text == row.text, row


def test_every_visible_character_is_in_a_sentence_or_a_removed_span(corpus):
    for doc in corpus.documents.itertuples():
        covered = [False] * len(doc.raw)
        for table in (corpus.sentences, corpus.removed):
            for row in table[table.doc_id == doc.doc_id].itertuples():
                covered[row.start : row.end] = [True] * (row.end - row.start)
        lost = [i for i, ch in enumerate(doc.raw) if not ch.isspace() and not covered[i]]
        assert lost == [], f"{doc.doc_id}: characters at {lost[:5]} are neither kept nor removed"


def test_sentences_and_removed_spans_do_not_overlap(corpus):
    for doc_id, sents in corpus.sentences.groupby("doc_id"):
        for rem in corpus.removed[corpus.removed.doc_id == doc_id].itertuples():
            overlap = sents[(sents.start < rem.end) & (sents.end > rem.start)]
            assert overlap.empty, (rem, overlap)


def test_removed_rows_quote_the_raw_text(corpus):
    for row in corpus.removed.itertuples():
        assert corpus.raw_span(row.doc_id, row.start, row.end) == row.text


def test_top_articles_block_is_removed_not_kept(corpus):
    text = corpus.documents.set_index("doc_id").loc["002", "text"]
    block = corpus.removed[(corpus.removed.doc_id == "002")]
    block = block[block.rule == "related_stories_block"]
    assert len(block) == 1
    for story in ("phishing rose by 125%", "old and unsecured routers", "ransomware attack"):
        assert story in block.text.iloc[0]
        assert story not in text
    assert "Related Articles" in block.text.iloc[0]


@pytest.mark.parametrize(
    ("doc_id", "rule", "fragment"),
    [
        ("000", "navigation_label", "news post"),
        ("000", "navigation_label", "left arrow"),
        ("000", "dateline", "calender Oct Tue 20 2020"),
        ("000", "repeated_line", "Zoom Communications heeft maling aan privacy"),
        ("002", "also_read_link", "ALSO READ:"),
        ("002", "copyright_line", "Copyright Lyonsdown Limited 2021"),
        ("002", "caption", "zoom headquarters in San Jose"),
        ("004", "share_buttons", "Delen:"),
        ("004", "read_more_link", "Meer lezen over AI"),
        ("004", "related_stories_block", "Meer berichten"),
    ],
)
def test_furniture_rules(corpus, doc_id, rule, fragment):
    rows = corpus.removed[(corpus.removed.doc_id == doc_id) & (corpus.removed.rule == rule)]
    assert any(fragment in t for t in rows.text), rows


@pytest.mark.parametrize(
    ("glued", "split"),
    [
        ("Alweerenkele", "Alweer enkele"),
        ("gebruikersdoorstuurde", "gebruikers doorstuurde"),
        ("naarbuiten", "naar buiten"),
        ("debeveiliging", "de beveiliging"),
        ("opvideo", "op video"),
    ],
)
def test_glued_words_are_repaired_with_offsets(corpus, glued, split):
    rows = corpus.repairs[corpus.repairs.raw == glued]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row.replacement == split
    assert corpus.raw_span(row.doc_id, row.start, row.end) == glued
    text = corpus.documents.set_index("doc_id").loc[row.doc_id, "text"]
    assert split in text
    assert glued not in text


def test_genuine_compounds_are_left_alone(corpus):
    texts = corpus.documents.set_index("doc_id").text
    assert "videoconferentie" in texts["000"]
    assert "gegevensbeschermingsautoriteit" in texts["004"]
    assert "Gegevensbeschermingsautoriteiten" in texts["004"]
    assert set(corpus.repairs.rule) <= {"glued_words", "glued_quote"}
    assert len(corpus.repairs[corpus.repairs.rule == "glued_words"]) == 5


def test_text_is_normalised(corpus):
    for text in corpus.documents.text:
        assert not any(ch in text for ch in "“”‘’«»\u00a0\u202f")
        assert "  " not in text


def test_dates_and_mentions_point_into_the_raw_text(corpus):
    for table in (corpus.dates, corpus.mentions):
        assert not table.empty
        for row in table.itertuples():
            raw = corpus.raw_span(row.doc_id, row.start, row.end)
            if getattr(row, "kind", "") != "page":
                assert normalise(raw, _lang(corpus, row.doc_id)).text == row.text
    page = corpus.dates[corpus.dates.kind == "page"]
    assert list(page.doc_id) == ["000"]
    assert str(page.value.iloc[0]) == "2020-10-20"
    mars = corpus.dates[(corpus.dates.doc_id == "003") & (corpus.dates.text.str.contains("mars"))]
    assert str(mars.value.iloc[0]) == "2020-03-01"
    assert mars.precision.iloc[0] == "month"


def test_paths_do_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(load_corpus().documents) == 5


# --- a user's own documents and bad input -------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the corpus folder that a test may break."""
    target = tmp_path / "corpus"
    shutil.copytree(corpus_dir(), target)
    return target


def test_unlisted_document_is_loaded_with_inferred_metadata(folder):
    (folder / "extra.txt").write_text(
        "Zoom settles with the FTC\n\nThe Federal Trade Commission announced a settlement with Zoom "
        "over its encryption claims. Zoom agreed to a new security programme.\n",
        encoding="utf-8",
    )
    docs = load_corpus(folder).documents.set_index("doc_id")
    assert docs.loc["extra", "title"] == "Zoom settles with the FTC"
    assert docs.loc["extra", "language"] == "en"
    assert "inferred" in docs.loc["extra", "notes"]


def test_legacy_encoding_is_decoded_and_recorded(folder):
    (folder / "legacy.txt").write_bytes(
        "Zoom a accepté de payer 85 millions de dollars. Les plaignants étaient très déçus "
        "de la décision.".encode("cp1252")
    )
    docs = load_corpus(folder).documents.set_index("doc_id")
    assert "accepté" in docs.loc["legacy", "raw"]
    assert docs.loc["legacy", "encoding"] not in {"utf-8", "utf-8-sig"}


def test_utf16_with_bom_is_decoded(folder):
    text = "Zoom heeft de app sinds maart sterk verbeterd, aldus de onderneming."
    (folder / "wide.txt").write_bytes(text.encode("utf-16"))
    docs = load_corpus(folder).documents.set_index("doc_id")
    assert docs.loc["wide", "raw"] == text
    assert docs.loc["wide", "encoding"] == "utf-16"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"  \n\n", "empty.txt: the file is empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.txt: looks like a binary file"),
        ("broken.txt", b"\xe9\xfe\xff\x81\x8d\x8f\x90\x9d" * 3, "broken.txt: not valid UTF-8 (byte 0)"),
    ],
)
def test_bad_files_raise_a_clear_error(folder, name, content, message):
    (folder / name).write_bytes(content)
    with pytest.raises(CorpusError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        load_corpus(folder)


def test_changed_file_is_named(folder):
    target = folder / "002_72edc21acd4321e7.txt"
    target.write_bytes(target.read_bytes().replace(b"Zoom", b"Zoem", 1))
    with pytest.raises(CorpusError, match=r"^002_72edc21acd4321e7\.txt: changed since it was catalogued"):
        load_corpus(folder)


def test_duplicate_file_is_refused(folder):
    shutil.copy(folder / "003_e674b0c533e91c11.txt", folder / "zz_copy.txt")
    with pytest.raises(CorpusError, match=r"zz_copy\.txt and 003_e674b0c533e91c11\.txt have the same"):
        load_corpus(folder)


def test_missing_file_of_a_table_row_is_named(folder):
    (folder / "001_dbe4bb3a2562f541.txt").unlink()
    with pytest.raises(CorpusError, match=r"documents\.csv line 3: lists '001_dbe4bb3a2562f541\.txt'"):
        load_corpus(folder)


def test_raw_files_are_never_modified(folder):
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    load_corpus(folder)
    assert before == {p.name: p.read_bytes() for p in folder.iterdir()}


def test_missing_folder_and_empty_folder(tmp_path):
    with pytest.raises(CorpusError, match="no such corpus folder"):
        load_corpus(tmp_path / "nope")
    with pytest.raises(CorpusError, match=r"holds no \.txt files"):
        load_corpus(tmp_path)


def test_cached_corpus_equals_a_fresh_parse(tmp_path, monkeypatch):
    monkeypatch.setenv("ZOOMCASE_CACHE", str(tmp_path / "cache"))
    fresh = load_corpus(cache=False)
    stored = load_corpus()  # miss: parses and stores
    assert len(list((tmp_path / "cache" / "corpus").iterdir())) == 1
    hit = load_corpus()
    for name in ("documents", "sentences", "removed", "repairs", "dates", "mentions"):
        pd.testing.assert_frame_equal(getattr(fresh, name), getattr(stored, name))
        pd.testing.assert_frame_equal(getattr(fresh, name), getattr(hit, name))


def test_cache_still_checks_the_files(folder, tmp_path, monkeypatch):
    monkeypatch.setenv("ZOOMCASE_CACHE", str(tmp_path / "cache"))
    load_corpus(folder)
    target = folder / "002_72edc21acd4321e7.txt"
    target.write_bytes(target.read_bytes() + b" ")
    with pytest.raises(CorpusError, match="changed since it was catalogued"):
        load_corpus(folder)


# --- files read twice, and tables put together from runs of documents ----------------------------------


@pytest.mark.parametrize("workers", [1, 2])
def test_file_changed_while_loading_is_named(folder, monkeypatch, workers):
    """The main process hashes every file; the parsing processes read it again and must find the same
    bytes."""
    target = folder / "002_72edc21acd4321e7.txt"
    fingerprints = corpus_module._fingerprints

    def edit_after_hashing(*args):
        inputs = fingerprints(*args)
        target.write_bytes(target.read_bytes().replace(b"Zoom", b"Zoem", 1))
        return inputs

    monkeypatch.setattr(corpus_module, "_fingerprints", edit_after_hashing)
    with pytest.raises(CorpusError, match=r"^002_72edc21acd4321e7\.txt: changed while loading"):
        load_corpus(folder, cache=False, workers=workers)


def test_decoding_error_in_a_worker_keeps_its_message(folder):
    (folder / "empty.txt").write_bytes(b"  \n\n")
    with pytest.raises(CorpusError, match=r"^empty\.txt: the file is empty"):
        load_corpus(folder, cache=False, workers=2)


def test_tables_are_sorted_by_doc_id_when_the_files_are_not(folder, corpus):
    """Runs of documents come in file order; a doc_id that sorts elsewhere must still land in order."""
    path = folder / "documents.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    rows[0]["doc_id"] = "999"  # the first file's document
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fields)
        writer.writeheader()
        writer.writerows(rows)
    renamed = load_corpus(folder, cache=False, workers=2)
    for name in ("documents", "sentences", "removed", "repairs", "dates", "mentions"):
        expected = getattr(corpus, name).replace({"doc_id": {"000": "999"}})
        by = ["doc_id"] if name == "documents" else ["doc_id", "start", "end"]
        expected = expected.sort_values(by, kind="stable", ignore_index=True)
        got = getattr(renamed, name).drop(columns="path", errors="ignore")
        pd.testing.assert_frame_equal(got, expected.drop(columns="path", errors="ignore"), check_exact=True)


def test_runs_are_put_together_as_pd_concat_would_into_one_arrow_array():
    text = pd.Series(["ab", None, "", "cdé", "x"], dtype="str")
    frames = [
        pd.DataFrame({"t": text, "n": range(5), "d": pd.to_datetime(["2020-01-01", None] * 2 + [None])}),
        pd.DataFrame({"t": text.iloc[2:], "n": [7, 8, 9], "d": pd.to_datetime([None] * 3).as_unit("s")}),
        pd.DataFrame({"t": pd.concat([text, text]).iloc[3:8], "n": range(5), "d": pd.NaT}),  # chained
        pd.DataFrame({"t": [None, None], "n": [1.5, 2.5], "d": pd.to_datetime(["2021-05-05", None])}),
    ]
    made = {}
    for runs in (3, 4):  # text in every run; then also a run where it is an object column of None
        table = corpus_module.RunTable()
        for frame in frames[:runs]:
            table.add(frame)
        made[runs] = table.frame()
        pd.testing.assert_frame_equal(
            made[runs], pd.concat(frames[:runs], ignore_index=True), check_exact=True
        )
    assert isinstance(pa.array(made[3]["t"].array), pa.Array)  # one array, not a ChunkedArray


def test_a_run_buffer_grows_by_pieces_and_ends_exactly_its_size():
    from zoomcase.runs import _Bytes

    pieces = [bytes([k % 251]) * (k * 37 % 1000) for k in range(300)]
    buffer = _Bytes()
    for piece in pieces:
        buffer.extend(memoryview(piece))
    done = buffer.done()
    assert done.nbytes == sum(map(len, pieces)) and done.tobytes() == b"".join(pieces)


@pytest.mark.parametrize("module", ["corpus", "claims"])
def test_cache_key_covers_every_module_the_tables_depend_on(module):
    """A module that shapes the tables but is missing from the key would leave a stale cache behind."""
    src = Path(corpus_module.__file__).parent

    def imports(name: str) -> set[str]:
        text = (src / f"{name}.py").read_text(encoding="utf-8")
        found = set(re.findall(r"^from zoomcase\.(\w+) import", text, re.M))
        for names in re.findall(r"^from zoomcase import ([\w, ]+)", text, re.M):
            found |= {n.strip() for n in names.split(",")}
        return {n for n in found if (src / f"{n}.py").exists()}

    todo, seen = [module], set()
    while todo:
        if (name := todo.pop()) not in seen:
            seen.add(name)
            todo += imports(name)
    assert "prefilter" in seen and "mentions" in seen
    derived_by = importlib.import_module(f"zoomcase.{module}")._DERIVED_BY
    assert len(set(derived_by)) == len(derived_by)
    assert seen - {"cache", "locks", "paths", "schemas"} == set(derived_by)  # they do not shape tables


# --- the documents table and the folder's entries --------------------------------------------------------

ARTICLE = "Zoom settled with the FTC in November 2020 over its encryption claims.\n"


def _write_table(folder: Path, rows: list[list[str]], between: str = "") -> None:
    """A documents table of ``rows`` (cells beyond those given are empty), ``between`` before each row."""
    lines = [",".join(corpus_module.TABLE_COLUMNS)]
    lines += [between + ",".join(row + [""] * (len(corpus_module.TABLE_COLUMNS) - len(row))) for row in rows]
    (folder / "documents.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_articles(folder: Path, *names: str) -> None:
    for k, name in enumerate(names):
        (folder / name).write_text(f"{ARTICLE}Article {k} of the folder.\n", encoding="utf-8")


def test_table_line_numbers_count_multi_line_cells_and_blank_lines(tmp_path):
    """``enumerate`` counted rows, not lines: with a blank line before each row and a quoted cell of three
    lines in the first, the second row (a missing file) is on line 7, not 3."""
    _write_articles(tmp_path, "a.txt")
    notes = '"a note\nover three\nlines"'
    _write_table(tmp_path, [["a", "a.txt", "", "", "", "", "", "", "", notes], ["b", "gone.txt"]], "\n")
    with pytest.raises(CorpusError, match=r"^documents\.csv line 7: lists 'gone\.txt'"):
        load_corpus(tmp_path, cache=False)
    _write_table(tmp_path, [["a", "a.txt", "0" * 64, "", "", "", "", "", "", notes]], "\n")
    with pytest.raises(CorpusError, match=r"^a\.txt: changed .* documents\.csv line 3 records"):
        load_corpus(tmp_path, cache=False)


def test_a_sha256_in_capitals_or_with_spaces_is_the_same_hash(folder):
    """PowerShell's Get-FileHash writes upper case; a spreadsheet may keep a space."""
    path = folder / "documents.csv"
    text = path.read_text(encoding="utf-8")
    for digest in re.findall(r",([0-9a-f]{64}),", text):
        text = text.replace(digest, f" {digest.upper()} ")
    path.write_text(text, encoding="utf-8")
    assert len(load_corpus(folder, cache=False).documents) == 5


@pytest.mark.parametrize(
    ("files", "rows", "message"),
    [
        (["a.txt", "b.txt"], [["x", "a.txt"], ["x", "b.txt"]],
         r"^a\.txt \(documents\.csv line 2\) and b\.txt \(documents\.csv line 3\) have the same doc_id 'x'"),
        (["a.txt", "b.txt"], [["b", "a.txt"]],
         r"^a\.txt \(documents\.csv line 2\) and b\.txt \(not listed in documents\.csv: its doc_id is its "
         r"name\) have the same doc_id 'b'\. Give each its own doc_id"),
        (["a.TXT", "a.txt"], [],
         r"^a\.TXT \(not listed .*\) and a\.txt \(not listed .*\) have the same doc_id 'a'"),
    ],
)  # fmt: skip
def test_two_documents_with_one_doc_id_are_refused_before_parsing(
    tmp_path, monkeypatch, files, rows, message
):
    """Both ended in a pandera dump about field_uniqueness, after the whole parse, naming no file."""
    _write_articles(tmp_path, *files)
    if rows:
        _write_table(tmp_path, rows)
    monkeypatch.setattr(corpus_module, "_parse_all", lambda *args: pytest.fail("parsed"))
    with pytest.raises(CorpusError, match=message):
        load_corpus(tmp_path, cache=False)


def test_a_file_listed_twice_is_refused(tmp_path):
    """The first row was dropped silently."""
    _write_articles(tmp_path, "a.txt")
    _write_table(tmp_path, [["a1", "a.txt", "", "", "First"], ["a2", "a.txt", "", "", "Second"]])
    with pytest.raises(
        CorpusError, match=r"^documents\.csv lines 2 and 3: both list 'a\.txt'\. Keep one row"
    ):
        load_corpus(tmp_path, cache=False)


@pytest.mark.parametrize("listed", ["sub/b.txt", "../x/a.txt"])
def test_a_listed_file_in_another_folder_is_refused(tmp_path, listed):
    """It passed the existence check and was then dropped: only the folder's own files are read."""
    corpus = tmp_path / "corpus"
    for folder in (corpus / "sub", tmp_path / "x"):
        folder.mkdir(parents=True)
    _write_articles(corpus, "a.txt")
    _write_articles(corpus / "sub", "b.txt")
    _write_articles(tmp_path / "x", "a.txt")
    _write_table(corpus, [["a", "a.txt"], ["b", listed]])
    with pytest.raises(
        CorpusError, match=rf"^documents\.csv line 3: lists '{re.escape(listed)}', but an article must be a "
        "file directly in"
    ):  # fmt: skip
        load_corpus(corpus, cache=False)


def test_a_folder_named_txt_is_named_and_a_broken_link_refused(tmp_path):
    """Both ended in a raw IsADirectoryError / FileNotFoundError traceback."""
    _write_articles(tmp_path, "a.txt")
    (tmp_path / "2021.txt").mkdir()
    with pytest.warns(corpus_module.CorpusWarning, match=r"1 entry not read.*: 2021\.txt\. Save"):
        assert list(load_corpus(tmp_path, cache=False).documents.file) == ["a.txt"]
    (tmp_path / "b.txt").symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(
        CorpusError, match=r"^b\.txt: this entry is a symbolic link to '.*nowhere\.txt', which"
    ):
        load_corpus(tmp_path, cache=False)
    _write_table(tmp_path, [["a", "a.txt"], ["b", "b.txt"]])
    with pytest.raises(
        CorpusError, match=r"^documents\.csv line 3: lists 'b\.txt', which is a symbolic link"
    ):
        load_corpus(tmp_path, cache=False)


def test_a_dateline_without_a_year_leaves_an_unlisted_document_undated(tmp_path):
    """ "calender Tuesday" in a user's own corpus stopped the load, asking to correct a documents.csv that
    does not exist; a page date the table states must still be a date."""
    (tmp_path / "a.txt").write_text(f"calender Tuesday\n\n{ARTICLE}", encoding="utf-8")
    corpus = load_corpus(tmp_path, cache=False)
    doc = corpus.documents.iloc[0]
    assert doc.page_date_stated == "Tuesday" and pd.isna(doc.published) and doc.published_precision is None
    assert "dateline 'Tuesday' is not a date with a year, so the document is undated" in doc.notes
    assert corpus.removed.rule.tolist() == ["dateline"] and "page" not in set(corpus.dates.kind)
    _write_table(tmp_path, [["a", "a.txt", "", "", "", "", "Tuesday"]])
    with pytest.raises(CorpusError, match=r"^a\.txt: page date 'Tuesday' cannot be parsed .* Correct"):
        load_corpus(tmp_path, cache=False)


@pytest.mark.parametrize(
    ("first", "title"),
    [
        ("&nbsp;\n\u200b\nZoom&nbsp;settles with the \u201cFTC\u201d", 'Zoom settles with the "FTC"'),
        ("\u200b\n\nZoom\u200b settles\u00ad with the FTC", "Zoom settles with the FTC"),
        ("Zoom settles &amp; pays", "Zoom settles & pays"),
    ],
)
def test_the_inferred_title_is_the_first_visible_line_normalised(tmp_path, first, title):
    """A first line of "&nbsp;" or U+200B was the title, and titles kept entities and invisible
    characters."""
    (tmp_path / "a.txt").write_text(f"{first}\n\n{ARTICLE}", encoding="utf-8")
    assert load_corpus(tmp_path, cache=False).documents.title.tolist() == [title]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("b,b.txt,", r"line 3: has 3 cells but the header has 10 columns\. Add the missing cells"),
        (",b.txt,,,,,,,,", r"line 3: has no doc_id\. Give the document"),
        ("b,,,,,,,,,", r"line 3: has no file\. Give the name"),
        ("b,b.txt,,,Zoom, the FTC,,,,,", r"line 3: has 11 cells but the header has 10 columns"),
        ("b,notes.docx,,,,,,,,", r"line 3: lists 'notes\.docx', but only \.txt files are articles"),
    ],
)
def test_an_incomplete_table_row_is_named(tmp_path, row, message):
    """A short row gave None for title and notes, an empty doc_id was accepted, and a file that is not a
    .txt file was dropped."""
    _write_articles(tmp_path, "a.txt", "b.txt", "notes.docx")
    _write_table(tmp_path, [["a", "a.txt"]])
    with (tmp_path / "documents.csv").open("a", encoding="utf-8") as fh:
        fh.write(row + "\n")
    with pytest.raises(CorpusError, match=r"^documents\.csv " + message):
        load_corpus(tmp_path, cache=False)


def test_the_seeds_are_pointed_to_only_for_the_projects_own_corpus(folder, monkeypatch):
    (folder / "001_dbe4bb3a2562f541.txt").unlink()
    with pytest.raises(CorpusError, match=r"Restore the file or delete that row") as info:
        load_corpus(folder, cache=False)
    assert "shared/seeds" not in str(info.value)
    monkeypatch.setattr(corpus_module, "corpus_dir", lambda: folder)
    with pytest.raises(CorpusError, match=r"Restore the file \(the seeds are in shared/seeds\) or delete"):
        load_corpus(folder, cache=False)


def test_document_paths_are_absolute_whatever_the_working_directory(tmp_path, monkeypatch):
    """A fresh parse stored the path as given and a cache hit returned the first run's relative path."""
    monkeypatch.setenv("ZOOMCASE_CACHE", str(tmp_path / "cache"))
    for folder in ("work/corpus", "elsewhere"):
        (tmp_path / folder).mkdir(parents=True)
    _write_articles(tmp_path / "work" / "corpus", "a.txt")
    monkeypatch.chdir(tmp_path / "work")
    fresh = load_corpus("corpus")  # parsed and stored
    monkeypatch.chdir(tmp_path / "elsewhere")
    hit = load_corpus("../work/corpus")
    expected = [str((tmp_path / "work" / "corpus" / "a.txt").resolve())]
    assert fresh.documents.path.tolist() == hit.documents.path.tolist() == expected


def test_dates_of_a_week_and_a_season_load(tmp_path):
    """ "last week" and "in the spring of 2020" are dates of precision week and season, which the schema
    refused."""
    (tmp_path / "a.txt").write_text(
        "calender 20 October 2020\n\nThe FTC announced a settlement with Zoom last week.\n", encoding="utf-8"
    )
    (tmp_path / "b.txt").write_text(
        "Zoom had 300 million daily meeting participants in the spring of 2020.\n", encoding="utf-8"
    )
    dates = load_corpus(tmp_path, cache=False).dates
    got = dates[dates.kind != "page"][["doc_id", "text", "value", "precision"]].values.tolist()
    assert got == [
        ["a", "last week", pd.Timestamp("2020-10-12").date(), "week"],
        ["b", "spring of 2020", pd.Timestamp("2020-03-01").date(), "season"],
    ]
