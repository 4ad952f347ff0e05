"""zoomcase.prefilter: RE2 may only ever say "maybe" where Python's ``re`` would find a match."""

from __future__ import annotations

import pickle
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zoomcase import dates, load_corpus, normalise, numbers
from zoomcase.claims import _default_rules as metric_rules
from zoomcase.mentions import _default_rules as actor_rules
from zoomcase.prefilter import guided, prefilter, superset

# Characters where Python's and RE2's ideas of case, space and word differ, plus plain ones.
TRICKY = "aAeEéÉiIıİsSſkKK µμΣσς\u00a0\u2028\x1c\x0b\t\n-_'’.0123456789٣"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def vocabularies() -> dict[str, list[re.Pattern[str]]]:
    metrics, actors = metric_rules(), actor_rules()
    found = {
        "metrics": [w.whole for r in metrics.rules for w in (r.cue, r.context) if w is not None],
        "actors": [rule[0].whole for rule in actors[0]],
    }
    for lang in dates.LANGS:
        found[f"dates-{lang}"] = [p for _, p in dates._PATTERNS[lang]]
        found[f"numbers-{lang}"] = [numbers._REFERENCE, numbers._DAY_OF_MONTH, numbers._quantity_re(lang)]
    found["mojibake"] = [normalise._MOJIBAKE]
    return found


def assert_superset(patterns: list[re.Pattern[str]], text: str) -> None:
    matching = {k for k, p in enumerate(patterns) if p.search(text)}
    missed = matching - prefilter(patterns).candidates(text)
    assert not missed, f"{text!r}: prefilter skipped {[patterns[k].pattern for k in missed]}"


def test_every_vocabulary_pattern_is_translated():
    for name, patterns in vocabularies().items():
        for p in patterns:
            assert superset(p.pattern, p.flags) is not None, (name, p.pattern)


@pytest.mark.parametrize("name", sorted(vocabularies()))
def test_superset_on_every_corpus_sentence_and_paragraph(corpus, name):
    patterns = vocabularies()[name]
    texts = [*corpus.sentences.text, *(p for t in corpus.documents.text for p in t.split("\n\n"))]
    for text in texts:
        assert_superset(patterns, text)
    # and the screen is selective: most patterns are ruled out on most texts
    screen = prefilter(patterns)
    assert sum(len(screen.candidates(t)) for t in texts) < 0.5 * len(patterns) * len(texts)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_superset_on_texts_made_of_vocabulary_words_and_tricky_characters(data):
    name = data.draw(st.sampled_from(sorted(vocabularies())))
    patterns = vocabularies()[name]
    words = [w for p in patterns for w in re.findall(r"[^\W\d_]{2,}", p.pattern)]
    tricky = st.text(alphabet=TRICKY, max_size=3)
    piece = st.one_of(st.sampled_from(words), tricky, st.sampled_from(["2020", " "]))
    text = "".join(data.draw(st.lists(piece, max_size=12)))
    text = data.draw(st.sampled_from([text, text.upper(), text.lower(), text.title()]))
    assert_superset(patterns, text)


ATOMS = [
    "a", "A", "é", "i", "ı", "s", "K", "σ", r"\s", r"\w", r"\d", r"\W", ".", "[^a]", "[a-e]", "[^\\s]", "[é-]"
]  # fmt: skip


@st.composite
def regexes(draw, depth: int = 0) -> str:
    """Small random regexes over the features the translator handles, and some it drops (assertions)."""
    if depth > 2:
        return draw(st.sampled_from(ATOMS))
    part = st.one_of(st.sampled_from(ATOMS), regexes(depth=depth + 1))
    parts = draw(st.lists(part, min_size=1, max_size=3))
    body = "".join(parts)
    return draw(
        st.sampled_from(
            [body, f"(?:{body})?", f"(?:{body})+", f"(?:{body}){{1,3}}", f"(?-i:{body})", f"{body}|b",
             rf"\b{body}", f"(?!x){body}", f"(?<=a){body}", f"(?>{body})", f"(?:{body})*+", f"^{body}$",
             rf"(?<!\w){body}(?!\w)", rf"(?<![\w.]){body}(?=s)", f"{body}(?<!a)",
             rf"(?<!\w)(?:{body}|(?<=-)x)"]
        )
    )  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(regexes(), st.sampled_from([0, re.IGNORECASE, re.IGNORECASE | re.DOTALL, re.ASCII]), st.text(TRICKY))
def test_superset_on_random_regexes(pattern, flags, text):
    compiled = re.compile(pattern, flags)
    assert superset(pattern, flags) is not None
    if compiled.search(text):
        assert prefilter([compiled]).candidates(text) == {0}, (pattern, flags, text)


@settings(max_examples=300, deadline=None)
@given(
    regexes(),
    st.sampled_from([r"({0})\1", r"({0})-(?i:\1)", r"(?i:({0})(?-i:\1))", r"(?P<g>{0})x?(?P=g)+"]),
    st.sampled_from([0, re.IGNORECASE]),
    st.text(TRICKY),
)
def test_back_references_become_their_groups_superset(body, template, flags, text):
    pattern = template.format(body)
    compiled = re.compile(pattern, flags)
    assert superset(pattern, flags) is not None
    for candidate in (text, text + compiled.pattern):
        if compiled.search(candidate):
            assert prefilter([compiled]).candidates(candidate) == {0}, (pattern, flags, candidate)


def test_untranslatable_patterns_always_run_and_none_never_does():
    screen = prefilter([re.compile(r"(a)?(?(1)b|c)"), None, re.compile("zoom", re.IGNORECASE)])
    assert screen.candidates("nothing here") == {0}
    assert screen.candidates("ZOOM") == {0, 2}


def test_text_re2_cannot_read_runs_every_pattern():
    screen = prefilter([re.compile("zoom"), re.compile("yuan")])
    assert screen.candidates("lone surrogate \ud800") == {0, 1}


def test_case_rules_are_pythons_not_re2s():
    # Python's IGNORECASE ties "i" to the dotless "ı" and "K" to the Kelvin sign; RE2 alone would not.
    screen = prefilter([re.compile("bit", re.IGNORECASE), re.compile("kilo", re.IGNORECASE)])
    assert screen.candidates("bıt") == {0}
    assert screen.candidates("\u212ailo") == {1}
    assert prefilter([re.compile("(?-i:AFP)", re.IGNORECASE)]).candidates("afp") == set()


def test_unpickles_to_the_cached_instance():
    screen = prefilter([re.compile("zoom")])
    assert pickle.loads(pickle.dumps(screen)) is screen


def test_dot_follows_dotall():
    assert prefilter([re.compile("x.y", re.DOTALL)]).candidates("x\ny") == {0}
    assert prefilter([re.compile("x.y")]).candidates("x\ny") == set()


def _spans(matches) -> list[tuple]:
    return [(m.span(), m.groups()) for m in matches]


@settings(max_examples=400, deadline=None)
@given(regexes(), st.sampled_from([0, re.IGNORECASE, re.IGNORECASE | re.DOTALL]), st.text(TRICKY))
def test_guided_finditer_equals_finditer_on_random_regexes(pattern, flags, text):
    compiled = re.compile(pattern, flags)
    assert _spans(guided(compiled).finditer(text)) == _spans(compiled.finditer(text)), (pattern, flags, text)


@pytest.mark.parametrize(
    "name", [n for n in sorted(vocabularies()) if n.startswith(("dates", "numbers", "moji"))]
)
def test_guided_finditer_equals_finditer_on_the_corpus(corpus, name):
    texts = [*corpus.sentences.text, *corpus.documents.text, *corpus.documents.raw]
    # and every sentence as mojibake: its UTF-8 read as cp1252 ("é" -> "Ã©"), beside clean text
    texts += [t + " " + t.encode("utf-8").decode("cp1252", "replace") for t in corpus.sentences.text]
    for p in vocabularies()[name]:
        for text in texts:
            assert _spans(guided(p).finditer(text)) == _spans(p.finditer(text)), (p.pattern, text)


def test_edge_look_arounds_make_the_screen_whole_word():
    screen = prefilter([re.compile(r"(?<!\w)zoom(?!\w)", re.IGNORECASE)])
    assert screen.candidates("zoomed, bazoom, Zoomday") == set()
    assert screen.candidates("Zoom") == screen.candidates("(zoom).") == {0}


@pytest.mark.parametrize(
    ("source", "flags", "members"),
    [
        (r"\w", 0, None), (r"[^\W\d_]", re.IGNORECASE, None), (r"\s", 0, None), (r"\S", re.ASCII, None),
        ("[^k]", re.IGNORECASE, None), (r"(?!\w)(?s:.)", 0, None), (".", re.DOTALL, None),
        ("[a-zé]", re.IGNORECASE, "abcdefghijklmnopqrstuvwxyzé"), ("k", re.IGNORECASE, "k"),
        ("[\ud7ff-\ue001]", 0, None),  # a run over the surrogates, which text never holds
    ],
)  # fmt: skip
def test_a_class_holds_exactly_the_characters_python_matches(source: str, flags: int, members) -> None:
    """``_class`` finds runs of matching characters; it must give what one match per character gives."""
    from zoomcase.prefilter import _all_characters, _cased, _class

    universe = _all_characters() if members is None else members + _cased()
    points = sorted({ord(m.group()) for m in re.finditer(source, universe, flags)})
    ranges: list[list[int]] = []
    for p in points:
        if ranges and p == ranges[-1][1] + 1:
            ranges[-1][1] = p
        else:
            ranges.append([p, p])
    expected = "".join(rf"\x{{{a:x}}}" + (rf"-\x{{{b:x}}}" if b > a else "") for a, b in ranges)
    assert _class(source, flags, members) == f"[{expected}]"


def _quantity_texts(corpus) -> list[str]:
    crafted = ["een miljoen, a hundred, un pour cent, a $5 fee, eenentwintig", "US$ a million", "Een"]
    return [*corpus.sentences.text, *corpus.documents.text, *crafted]


@pytest.mark.parametrize("lang", numbers.LANGS)
def test_the_quantity_screen_finds_every_quantity(corpus, lang):
    """numbers screens with a narrower pattern than the quantity regex's own superset (which finds every
    article): it must still say "maybe" wherever the regex matches, and guide its search to every match."""
    pattern, screen = numbers._quantity_re(lang), numbers._screen(lang)
    for text in _quantity_texts(corpus):
        assert not pattern.search(text) or 2 in screen.candidates(text), text
        assert _spans(numbers._quantities(lang).finditer(text)) == _spans(pattern.finditer(text)), text


_PIECES = [
    "een", "a", "une", "un", "an", "one", " ", "-", "miljoen", "million", "%", "pour cent", "dag", "$", "5",
    "twee", "en", "hundred", "x", "é",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(numbers.LANGS), st.lists(st.sampled_from(_PIECES)))
def test_the_quantity_screen_on_generated_texts(lang, pieces):
    text = "".join(pieces)
    pattern = numbers._quantity_re(lang)
    assert not pattern.search(text) or 2 in numbers._screen(lang).candidates(text), text
    assert _spans(numbers._quantities(lang).finditer(text)) == _spans(pattern.finditer(text)), text


def test_a_negative_edge_lets_every_character_beyond_ascii_through():
    """The class that stands for ``(?<!\\w)`` at a pattern's edge: ASCII exactly as Python decides it, and
    (widened, so RE2's sets stay fast) every other character."""
    import re2

    from zoomcase.prefilter import _rejected_or_beyond_ascii

    edge = re2.compile(_rejected_or_beyond_ascii(r"\w", re.IGNORECASE))
    ascii_rejected = [chr(p) for p in range(128) if edge.fullmatch(chr(p))]
    assert ascii_rejected == [chr(p) for p in range(128) if not re.fullmatch(r"\w", chr(p))]
    assert all(edge.fullmatch(ch) for ch in "éİΣ€\u00a0\U0001f600")


@pytest.mark.parametrize(
    ("pattern", "text"), [(r"(?<=a)b?", "a a ab"), (r"(?<![\w.])(?:x?)(?=s)", "ss xs s")]
)
def test_guided_finditer_takes_empty_matches_as_finditer_does(pattern, text):
    # The superset cannot match "" (the look-behind became a character) but the pattern can: the loop
    # yielded the same empty match forever, filling memory (a saved hypothesis example; 24 GB, then killed).
    compiled = re.compile(pattern)
    assert guided(compiled)._re2 is not None
    assert _spans(guided(compiled).finditer(text)) == _spans(compiled.finditer(text))
