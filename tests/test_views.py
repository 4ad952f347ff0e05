"""What the notebooks display: escaped corpus text, named parameter errors, computed findings."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pandas as pd
import pytest

from zoomcase import load_corpus
from zoomcase.views import (
    EXAMPLES,
    check_choice,
    check_corpus_dir,
    clip,
    corpus_findings,
    document_overview,
    md_text,
    raw_vs_clean_html,
)


def test_corpus_text_is_escaped_in_html(tmp_path):
    (tmp_path / "hostile.txt").write_text(
        'Zoom <script>alert("x")</script> said <img src=x onerror=alert(1)> nothing new today.\n',
        encoding="utf-8",
    )
    corpus = load_corpus(tmp_path)
    page = raw_vs_clean_html(corpus, ["hostile"])
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_check_choice_names_the_parameter():
    assert check_choice("languages", ["nl"], ["nl", "fr"]) == ["nl"]
    with pytest.raises(ValueError, match=r"parameter languages=\['de'\]: unknown value\(s\) \['de'\]"):
        check_choice("languages", ["de"], ["nl", "fr"])
    with pytest.raises(ValueError, match=r"parameter languages=\[\]: empty; choose from \['fr', 'nl'\]"):
        check_choice("languages", [], ["nl", "fr"])


def test_overview_and_findings_agree_with_the_tables():
    corpus = load_corpus()
    overview = document_overview(corpus)
    assert overview.sentences.sum() == len(corpus.sentences)
    assert overview.removed.sum() == len(corpus.removed)
    findings = corpus_findings(corpus)
    assert f"**{len(corpus.documents)} documents**" in findings
    assert f"**{len(corpus.removed)} spans**" in findings
    assert "'opvideo' → 'op video'" in findings
    long_title = corpus.documents.assign(title="Zoom " * 100)
    titles = document_overview(replace(corpus, documents=long_title)).title
    assert (titles.str.len() <= 120).all() and titles.str.endswith("…").all()


def test_findings_for_a_corpus_without_furniture_or_actors(tmp_path):
    (tmp_path / "plain.txt").write_text("Zoom said nothing new today about its plans.\n", encoding="utf-8")
    findings = corpus_findings(load_corpus(tmp_path))
    assert "removed no page furniture" in findings
    assert "**0 repairs** of text the scrape glued together." in findings
    assert "no other actor of the vocabulary is named" in findings


def test_raw_beside_clean_shows_at_most_the_limit_and_says_so():
    corpus = load_corpus()
    ids = list(corpus.documents.doc_id)
    page = raw_vs_clean_html(corpus, ids, 2)
    assert re.findall(r"<h3>(\w+) ·", page) == ids[:2]
    assert f"The first 2 of {len(ids)} documents" in page
    everything = raw_vs_clean_html(corpus, ids, len(ids))
    assert re.findall(r"<h3>(\w+) ·", everything) == ids and "The first" not in everything
    assert everything == raw_vs_clean_html(corpus, ids)


def test_findings_count_repairs_by_kind_and_list_only_the_first_examples():
    corpus = load_corpus()
    kinds = [(f"glued{i}word", f"glued{i} word") for i in range(EXAMPLES + 5)] + [("opvideo", "op video")] * 2
    repairs = pd.DataFrame(
        [{"doc_id": "000", "start": 0, "end": 1, "raw": raw, "original": raw, "replacement": new,
          "rule": "glued_words", "evidence": ""} for raw, new in kinds]
    )  # fmt: skip
    findings = corpus_findings(replace(corpus, repairs=repairs))
    line = next(line for line in findings.splitlines() if "repairs" in line)
    assert line.startswith(f"- **{len(kinds)} repairs**")
    assert line.count("→") == EXAMPLES
    assert "'opvideo' → 'op video' (×2), 'glued0word' → 'glued0 word', " in line  # most frequent first
    assert line.endswith(", and 6 more.")  # 16 kinds, 10 shown


def test_findings_say_which_text_is_kept_without_dates_and_numbers(tmp_path):
    from tests.test_bad_inputs import DUTCH_WITH_GERMAN_QUOTE, GERMAN

    (tmp_path / "de.txt").write_text(GERMAN, encoding="utf-8")
    (tmp_path / "nl.txt").write_text(DUTCH_WITH_GERMAN_QUOTE, encoding="utf-8")
    findings = corpus_findings(load_corpus(tmp_path, cache=False))
    assert (
        "Dates and numbers are read in nl, en, fr only: **1 document(s)** in other languages (de: 1) and "
        "**1 sentence(s)** in other documents are kept without dated mentions or number claims." in findings
    )
    assert "Dates and numbers are read" not in corpus_findings(load_corpus())


def test_clip_marks_what_it_shortens_and_cuts_after_a_whole_word():
    texts = pd.Series(["short", "Zoom deelde gegevens met Facebook zonder toestemming", "x" * 30, None])
    clipped = clip(texts, 20)
    assert clipped[0] == "short"
    assert clipped[1] == "Zoom deelde…"
    assert clipped[2] == "x" * 19 + "…"
    assert pd.isna(clipped[3])
    assert (clipped.dropna().str.len() <= 20).all()


def test_findings_count_one_of_a_thing_in_the_singular(tmp_path):
    (tmp_path / "a.txt").write_text(
        "Share\n\nZoom had 300 million daily meeting participants.\n", encoding="utf-8"
    )
    findings = corpus_findings(load_corpus(tmp_path, cache=False))
    for phrase in ("**1 document**", "**0** state a page date", "**1 span** of page furniture under 1 rule:"):
        assert phrase in findings
    assert (
        "**1 sentence**" in findings and "mentioned **1 time**" in findings and "1 documents" not in findings
    )


@pytest.mark.parametrize(
    "text",
    ["[click](javascript:alert(1))", "b**bold**", "<img src=x onerror=alert(1)>", "`code` ~~x~~ | a |"],
)
def test_md_text_shows_markdown_and_html_literally(text):
    import mistune  # nbconvert's Markdown renderer

    rendered = mistune.html(f"- a finding about {md_text(text)}")
    assert not re.search(r"<(a|strong|img|code|del)\b", rendered)
    assert html.unescape(re.sub(r"</?(ul|li)>|\n", "", rendered)) == f"a finding about {text}"


def test_findings_escape_markdown_in_file_names(tmp_path):
    # a doc_id is the file name: it reached the findings as a live javascript: link
    (tmp_path / "[click](javascript:alert(1)).txt").write_text(
        "Zoom settles with the FTC\n\nThe Federal Trade Commission announced a settlement with Zoom. "
        "Zoom agreed to a new security programme.\nShare\n",
        encoding="utf-8",
    )
    text = corpus_findings(load_corpus(tmp_path, cache=False))
    assert r"document \[click\](javascript:alert(1))" in text
    assert not re.search(r"(?<!\\)\]\(javascript", text)  # no unescaped "](" to make a link


def test_corpus_dir_check_takes_upper_case_txt(tmp_path):
    # load_corpus reads "A.TXT"; notebook 01's check refused the folder ("holds no .txt files")
    (tmp_path / "A.TXT").write_text("Zoom settles with the FTC.\n", encoding="utf-8")
    assert check_corpus_dir(str(tmp_path)) == tmp_path
