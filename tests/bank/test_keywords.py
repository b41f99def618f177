"""Key point keywords: specific enough not to pre-tick every answer, and earned by the card's own model answer.

A mock interview pre-ticks a key point when a free answer contains one of its keywords (a substring match), so a
keyword that is a single Chinese character or a bare number matches almost any answer, and a key point none of
whose keywords occur in the card's model answer gives nothing to an answer written like the model one.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from quizforge.bank.loader import load_bank
from quizforge.bank.schema import Bank, Kind, Question
from quizforge.locations import shipped_bank_dir

LANGS = ("en", "zh")
# One CJK ideograph (optionally with surrounding spaces), or a number with nothing else.
SINGLE_CJK = re.compile(r"\s*[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]\s*")
BARE_NUMBER = re.compile(r"\s*[−-]?\d+(?:[.,]\d+)*\s*%?\s*")


@cache
def bank() -> Bank:
    loaded, problems = load_bank([shipped_bank_dir()])
    assert not problems, problems
    return loaded


def concept_cards() -> list[Question]:
    return [q for q in bank().questions.values() if q.kind is Kind.CONCEPT]


def keywords(q: Question, lang: str) -> list[tuple[int, tuple[str, ...]]]:
    return [(i, kp.keywords_en if lang == "en" else kp.keywords_zh) for i, kp in enumerate(q.body.key_points)]


def test_there_are_concept_cards_with_keywords() -> None:
    assert sum(1 for q in concept_cards() for kp in q.body.key_points if kp.keywords_en or kp.keywords_zh) > 100


@pytest.mark.parametrize("lang", LANGS)
def test_every_key_point_has_a_keyword_in_the_model_answer(lang: str) -> None:
    missing = []
    for q in concept_cards():
        assert q.body.answer is not None
        answer = getattr(q.body.answer, lang).casefold()
        for i, words in keywords(q, lang):
            if not any(w.casefold() in answer for w in words):
                missing.append(f"{q.id}: key point {i + 1}: {lang}: {list(words)}")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("lang", LANGS)
def test_no_keyword_is_a_single_cjk_character_or_a_bare_number(lang: str) -> None:
    generic = [
        f"{q.id}: key point {i + 1}: {lang}: {w!r}"
        for q in concept_cards()
        for i, words in keywords(q, lang)
        for w in words
        if SINGLE_CJK.fullmatch(w) or BARE_NUMBER.fullmatch(w)
    ]
    assert not generic, "\n".join(generic)


@pytest.mark.parametrize(
    ("word", "generic"),
    [("正", True), ("10", True), ("1.2", True), ("0.5%", True), ("正定", False), ("84 units", False), ("ReLU", False)],
)
def test_the_generic_keyword_rule(word: str, generic: bool) -> None:
    assert bool(SINGLE_CJK.fullmatch(word) or BARE_NUMBER.fullmatch(word)) is generic
