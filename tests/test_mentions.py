"""find_mentions and the actors vocabulary (data/vocab)."""

from __future__ import annotations

import itertools
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from frictionless import validate

from zoomcase.mentions import COLUMNS, find_mentions, load_actors
from zoomcase.paths import corpus_dir, vocab_dir

LANGS = {"000": "nl", "001": "nl", "002": "en", "003": "fr", "004": "nl"}


def corpus(doc: str) -> str:
    return next(corpus_dir().glob(f"{doc}_*.txt")).read_text(encoding="utf-8")


def entities(doc: str) -> Counter[str]:
    return Counter(m.entity for m in find_mentions(corpus(doc), LANGS[doc]))


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ("000", {"zoom", "motherboard", "facebook", "ny_attorney_general", "class_action"}),
        ("001", {"zoom", "fbi", "spacex", "elon_musk", "reuters", "eric_yuan"}),
        ("002", {"zoom", "doc_searls", "facebook"}),
        ("003", {"zoom", "facebook", "google", "linkedin", "engadget", "afp", "class_action"}),
        ("004", {"zoom", "gdpr", "eprivacy_directive", "eprivacy_art5", "dutch_dpa", "linkedin"}),
    ],
)
def test_corpus_entities(doc: str, expected: set[str]) -> None:
    assert expected <= set(entities(doc))


def test_corpus_counts() -> None:
    totals = {doc: sum(entities(doc).values()) for doc in LANGS}
    assert totals == {"000": 14, "001": 17, "002": 22, "003": 18, "004": 44}
    assert entities("004")["eu_dpas"] == 1
    assert entities("004")["eecc"] == 1
    assert entities("003")["us_federal_court"] == 2


def test_offsets_sorted_disjoint() -> None:
    for doc, lang in LANGS.items():
        text = corpus(doc)
        found = find_mentions(text, lang)
        assert all(text[m.start : m.end] == m.text for m in found)
        assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_zoom_variants() -> None:
    texts = [(m.text, m.entity) for m in find_mentions(corpus("000"), "nl")]
    assert ("Zoom Communications", "zoom") in texts  # the article's slip, longest match wins
    found = find_mentions(corpus("001"), "nl")
    zoom_starts = {m.start for m in found if m.entity == "zoom"}
    text = corpus("001")
    assert text.index("Zoom-CEO") in zoom_starts
    assert text.index("Zoom-meetings") in zoom_starts
    assert not any(m.start == text.index("Zoombombing") for m in found)
    (m,) = find_mentions("Shares of Zoom Video Communications, Inc. fell.", "en")
    assert (m.text, m.entity, m.type) == ("Zoom Video Communications, Inc.", "zoom", "company")
    assert find_mentions("Users zoom in on the chart.", "en") == []


INVENTED = [
    ("nl", "De Autoriteit Persoonsgegevens onderzoekt of Zoom de AVG schendt.",
     ["dutch_dpa", "zoom", "gdpr"]),
    ("nl", "Volgens de ePrivacy-verordening en de GDPR-regels moet Zoom toestemming vragen.",
     ["eprivacy_regulation", "gdpr", "zoom"]),
    ("en", "The FTC and the New York Attorney General questioned Zoom; Reuters reported it.",
     ["ftc", "ny_attorney_general", "zoom", "reuters"]),
    ("en", "A class action lawsuit in a US district court cited the GDPR and Facebook.",
     ["class_action", "us_federal_court", "gdpr", "facebook"]),
    ("fr", "Selon l'AFP, le RGPD s'applique à Zoom et à Google.",
     ["afp", "gdpr", "zoom", "google"]),
    ("fr", "Une action de groupe vise Zoom devant un tribunal fédéral.",
     ["class_action", "zoom", "us_federal_court"]),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "sentence", "expected"), INVENTED)
def test_invented_sentences(lang: str, sentence: str, expected: list[str]) -> None:
    found = find_mentions(sentence, lang)
    assert [m.entity for m in found] == expected
    assert all(sentence[m.start : m.end] == m.text for m in found)


def test_lang_filter_and_case() -> None:
    sentence = "De AVG en de afp."
    assert [m.entity for m in find_mentions(sentence, "nl")] == ["gdpr"]  # afp is case-sensitive
    assert find_mentions(sentence, "en") == []  # AVG is a Dutch-only row
    assert [m.entity for m in find_mentions(sentence)] == ["gdpr"]


def test_custom_vocab() -> None:
    vocab = load_actors()
    vocab = vocab[vocab.entity == "fbi"]
    assert [m.entity for m in find_mentions("Zoom and the FBI", "en", vocab)] == ["fbi"]


def test_vocab_is_consistent() -> None:
    vocab = load_actors()
    assert list(vocab.columns) == COLUMNS
    assert not vocab.duplicated(["entity", "pattern"]).any()
    per_entity = vocab.groupby("entity")[["label", "type"]].nunique()
    assert (per_entity == 1).all().all()
    for pattern in vocab.pattern:
        re.compile(pattern)
    assert set(vocab.lang) <= {"", "nl", "en", "fr"}


def test_datapackage_validates() -> None:
    path = vocab_dir() / "datapackage.json"
    report = validate(str(path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert "compiled by the zoomcase authors from the corpus and the reference facts" in (
        path.read_text(encoding="utf-8")
    )


def test_datapackage_catches_bad_type(tmp_path: Path) -> None:
    for name in ("datapackage.json", "actors.csv"):
        shutil.copy(vocab_dir() / name, tmp_path / name)
    with (tmp_path / "actors.csv").open("a", encoding="utf-8") as f:
        f.write("nobody,Nobody,alien,Nobody,,\n")
    assert not validate(str(tmp_path / "datapackage.json")).valid


def test_load_actors_rejects_missing_columns(tmp_path: Path) -> None:
    bad = tmp_path / "actors.csv"
    bad.write_text("entity,label\nzoom,Zoom\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column"):
        load_actors(bad)
