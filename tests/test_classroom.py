"""The classroom edition: the student edition leaks no solution, and every check accepts the right answer
and explains a typical wrong one."""

from __future__ import annotations

import html
import json
import re

import nbformat
import pytest

import zoomcase
from zoomcase import classroom, exposure
from zoomcase.cli import main

TEACHER = classroom.TEACHER_NOTEBOOK


def _words(text: str) -> str:
    """Text as one space-separated run of words: survives HTML escaping, tags and syntax highlighting."""
    return " ".join(re.findall(r"\w+", html.unescape(re.sub(r"<[^>]+>", " ", text)).casefold()))


def _solution_lines() -> list[str]:
    """Lines of the solution cells that appear in no other cell of the teacher notebook."""
    nb = nbformat.read(str(TEACHER), as_version=4)
    shared = {
        line.strip()
        for cell in nb.cells
        if "solution" not in cell.metadata.get("tags", [])
        for line in cell.source.splitlines()
    }
    lines = [
        line.strip()
        for cell in nb.cells
        if "solution" in cell.metadata.get("tags", [])
        for line in cell.source.splitlines()
        if line.strip() and line.strip() not in shared
    ]
    return [line for line in lines if len(_words(line).split()) >= 3]


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("classroom")
    return classroom.build_student_edition(out)


def test_teacher_notebook_has_solutions_for_six_to_ten_exercises():
    nb = nbformat.read(str(TEACHER), as_version=4)
    exercises = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## Exercise")]
    assert 6 <= len(exercises) <= 10
    checked = [
        c
        for c in nb.cells
        if c.cell_type == "code"
        and "solution" in c.metadata.get("tags", [])
        and "classroom.check_" in c.source
    ]
    assert len(checked) == len(exercises)
    assert len(_solution_lines()) > 20


def test_teacher_solutions_pass_every_check_in_the_committed_notebook():
    """nbval reruns the notebook and compares these outputs, so they are what a fresh run gives."""
    nb = nbformat.read(str(TEACHER), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "classroom.check_" in cell.source:
            results = [o for o in cell.outputs if o.output_type == "execute_result"]
            plain = results[0]["data"]["text/plain"]
            if "solution" in cell.metadata.get("tags", []):
                assert plain.startswith("✓ Correct"), plain
            else:  # the student's cell, still holding `...`
                assert "No answer yet" in plain, plain


def test_student_edition_has_no_solution_cell_and_no_output(edition):
    notebook, _ = edition
    nb = nbformat.read(str(notebook), as_version=4)
    assert not [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None
            assert "execution" not in cell.metadata
    assert "answer = ...  # your answer" in notebook.read_text(encoding="utf-8")


def test_no_solution_text_leaks_into_the_student_edition_or_the_handout(edition):
    notebook, handout = edition
    student = _words(json.dumps(json.loads(notebook.read_text(encoding="utf-8")), ensure_ascii=False))
    page = _words(handout.read_text(encoding="utf-8"))
    for line in _solution_lines():
        assert _words(line) not in student, line
        assert _words(line) not in page, line
    assert "verdubbeld" not in student  # the answer of exercise 1 is only in the solution


def test_handout_is_printable_offline_html(edition):
    _, handout = edition
    text = handout.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc=[\"']?(https?:)?//", text)
    assert "require.min.js" not in text and "MathJax" not in text
    assert "@media print" in text
    assert "Exercise 6" in text and "Teacher edition" not in text


def test_cli_builds_the_student_edition(tmp_path, capsys):
    assert main(["classroom", "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / classroom.STUDENT_NAME).is_file()
    assert (tmp_path / "out" / classroom.HANDOUT_NAME).is_file()
    assert "handout" in capsys.readouterr().out


# ----------------------------------------------------------------------------- the checks


def test_feedback_displays_as_markdown():
    fb = classroom.Feedback(False, "costs $38 and $40", "Exercise 0")
    assert not fb
    assert fb._repr_markdown_().startswith("**✗ Not yet · Exercise 0.**")
    assert r"\$38" in fb._repr_markdown_()


@pytest.mark.parametrize(
    "check",
    [
        lambda: classroom.check_claim_location(..., ...),
        lambda: classroom.check_price_change("2020-10-20", ...),
        lambda: classroom.check_article_dating(..., ...),
        lambda: classroom.check_renamed_metric(..., ...),
        lambda: classroom.check_provision("prac-ai-training", [...]),
        lambda: classroom.check_fine_range(..., ..., ..., ...),
    ],
)
def test_an_unanswered_exercise_says_what_to_fill_in(check):
    fb = check()
    assert not fb.ok and "No answer yet: replace `...`" in fb.message


def test_claim_location():
    assert classroom.check_claim_location("000", "verdubbeld")
    assert classroom.check_claim_location("000", "sinds het begin van het jaar verdubbeld")
    other = classroom.check_claim_location("000", "ruim $ 38 miljard")
    assert not other and "another claim: 000-c02" in other.message
    sentence = classroom.check_claim_location("000", "Dagelijks wordt de app")
    assert not sentence and "wrong sentence" in sentence.message
    document = classroom.check_claim_location("001", "verdubbeld")
    assert not document and "Your quote is in document 000" in document.message
    assert "no document" in classroom.check_claim_location("9", "x").message.lower()


def test_price_change():
    close = zoomcase.load_prices("ZM").close
    right = close[:"2020-10-20"].iloc[-1] / close[close.index < "2020-01-01"].iloc[-1]
    fb = classroom.check_price_change("2020-10-20", right)
    assert fb and "2019-12-31" in fb.message and "does not hold" in fb.message
    assert classroom.check_price_change("2020-10-20", right + 0.009)
    january = classroom.check_price_change("2020-10-20", close["2020-10-20"] / close["2020-01-02"])
    assert not january
    assert "You used the close of 2 January" in january.message
    assert "last close of the previous year, 2019-12-31: 68.04" in january.message
    assert "the change" in classroom.check_price_change("2020-10-20", right - 1).message
    assert "upside down" in classroom.check_price_change("2020-10-20", 1 / right).message
    assert "more than 0.01 off" in classroom.check_price_change("2020-10-20", 3.0).message
    assert "as a date" in classroom.check_price_change("20th", 3.0).message


def test_article_dating():
    row = zoomcase.date_documents(
        zoomcase.load_corpus(), zoomcase.check_claims(zoomcase.extract_claims(zoomcase.load_corpus()))
    ).set_index("doc_id")
    start, end = row.loc["000", "content_from"], row.loc["000", "content_to"]
    assert classroom.check_article_dating(start, end)
    page = classroom.check_article_dating(start, row.loc["000", "page_date"])
    assert not page and "is the page date, not the content date" in page.message
    early = classroom.check_article_dating("2020-03-05", end)
    assert not early and "Too early a start" in early.message and "000-c09" in early.message
    late = classroom.check_article_dating(start, "2020-06-30")
    assert not late and "Too late an end" in late.message and "000-c01" in late.message
    assert "swap" in classroom.check_article_dating(end, start).message


def test_renamed_metric():
    claims = zoomcase.check_claims(zoomcase.extract_claims(zoomcase.load_corpus()))
    renamed = claims[(claims.check == "usage") & (claims.verdict == "misleading")].claim_id
    for claim_id in renamed:
        assert classroom.check_renamed_metric(claim_id, "meeting participants")
    users = classroom.check_renamed_metric(renamed.iloc[0], "daily users")
    assert not users and "is what the article calls the figure" in users.message
    supported = classroom.check_renamed_metric("001-c04", "schools")
    assert not supported and "is supported" in supported.message and "misleading" in supported.message
    assert "no claim" in classroom.check_renamed_metric("c01", "users").message.lower()


def test_provision():
    eu = exposure.exposure_matrix("EU")
    mapped = list(eu.loc[eu.practice_id == "prac-ai-training", "provision_id"])
    assert classroom.check_provision("prac-ai-training", mapped)
    assert classroom.check_provision("prac-ai-training", [p.removeprefix("prov-") for p in mapped[:3]])
    wrong = classroom.check_provision("prac-ai-training", [*mapped[:3], "prov-gdpr-art32"])
    assert not wrong and "Security of processing" in wrong.message and "argue it" in wrong.message
    us = classroom.check_provision("prac-ai-training", [*mapped[:3], "prov-us-ftc-act-s5"])
    assert not us and "US law" in us.message
    few = classroom.check_provision("prac-ai-training", mapped[:1])
    assert not few and "name at least 2 more" in few.message
    assert "Not a provision id" in classroom.check_provision("prac-ai-training", ["art 6"]).message
    assert "No practice" in classroom.check_provision("prac-nothing", mapped).message


REASON = "Medium: the nature of the processing reuses content of every participant for a new purpose."


def test_fine_range():
    turnover = exposure.zoom_turnover_eur(classroom.FINE_FISCAL_YEAR, classroom.EUR_PER_USD)
    right = exposure.gdpr_fine(turnover, "83(5)", "medium")
    fb = classroom.check_fine_range(right.low, right.high, "medium", REASON)
    assert fb and "rates this practice 'medium' too" in fb.message
    high = exposure.gdpr_fine(turnover, "83(5)", "high")
    defended = classroom.check_fine_range(high.low, high.high, "high", REASON)
    assert defended and "be ready to defend 'high'" in defended.message
    mislabelled = classroom.check_fine_range(high.low, high.high, "medium", REASON)
    assert not mislabelled and "That is the 'high' range" in mislabelled.message
    art4 = exposure.gdpr_fine(turnover, "83(4)", "medium")
    assert "Art. 83(4) maximum" in classroom.check_fine_range(art4.low, art4.high, "medium", REASON).message
    usd = exposure.gdpr_fine(turnover / classroom.EUR_PER_USD, "83(5)", "medium")
    assert "turnover in USD" in classroom.check_fine_range(usd.low, usd.high, "medium", REASON).message
    fy21 = exposure.gdpr_fine(exposure.zoom_turnover_eur("FY2021", classroom.EUR_PER_USD), "83(5)", "medium")
    assert "FY2021 turnover" in classroom.check_fine_range(fy21.low, fy21.high, "medium", REASON).message
    maximum = classroom.check_fine_range(0.0, right.legal_maximum, "medium", REASON)
    assert "the legal maximum itself" in maximum.message
    terse = classroom.check_fine_range(right.low, right.high, "medium", "it is medium")
    assert not terse and "defend the level" in terse.message
    assert "one of" in classroom.check_fine_range(1.0, 2.0, "severe", REASON).message
