"""The mock interview's and scorecard's old string keys, a thin shim over :mod:`quizforge.i18n`.

``mock.py`` and ``scorecard.py`` look their strings up here until the question-kind restructuring
moves them to :func:`quizforge.i18n.t`; keys not listed fall back to :mod:`quizforge.tui.strings`.
"""

from __future__ import annotations

from quizforge import i18n
from quizforge.text import Lang, Text
from quizforge.tui import strings

# old key -> catalogue key
CATALOGUE_KEYS: dict[str, str] = {
    "mock_title": "mock.title",
    "question_of": "mock.question_of",
    "follow_up": "mock.follow_up",
    "time_left": "mock.time_left",
    "on_question": "mock.on_question",
    "concept_prompt": "mock.concept_prompt",
    "choice_prompt": "mock.choice_prompt",
    "multi_prompt": "mock.multi_prompt",
    "no_verdicts": "mock.no_verdicts",
    "text_placeholder": "mock.text_placeholder",
    "submit_key": "mock.submit_key",
    "pass_key": "mock.pass_key",
    "abandon": "mock.abandon",
    "choose": "mock.choose",
    "abandon_question": "mock.abandon_question",
    "empty_answer": "mock.empty_answer",
    "minutes_left": "mock.minutes_left",
    "time_up": "mock.time_up",
    "nothing_to_ask": "mock.nothing_to_ask",
    "scorecard": "scorecard.title",
    "total": "scorecard.total",
    "answered_of": "scorecard.answered_of",
    "by_topic": "scorecard.by_topic",
    "study_next": "scorecard.study_next",
    "study_next_key": "scorecard.study_next_key",
    "all_perfect": "scorecard.all_perfect",
    "your_answer": "scorecard.your_answer",
    "passed": "scorecard.passed",
    "timed_out": "scorecard.timed_out",
    "not_reached": "scorecard.not_reached",
    "no_answer": "scorecard.no_answer",
    "key_points_check": "scorecard.key_points_check",
    "points_of": "scorecard.points_of",
    "suggested": "scorecard.suggested",
    "study_topics": "scorecard.study_topics",
    "toggle": "scorecard.toggle",
    "move": "scorecard.move",
    "saved_mock": "scorecard.saved",
    "save_failed": "scorecard.save_failed",
    "study_unavailable": "scorecard.study_unavailable",
    "nothing_to_study_next": "scorecard.nothing_to_study_next",
    "model_answer": "answer.model_answer",
    "solution": "answer.solution",
    "explanation": "answer.explanation",
    "expected": "answer.expected",
    "kind_concept": "kind.concept",
    "kind_choice": "kind.choice",
    "kind_numeric": "kind.numeric",
    "kind_generated": "kind.generated",
}


def t(key: str, lang: Lang | str, **fmt: object) -> str:
    """The text of the old key ``key`` in ``lang`` (else the shared strings'), formatted with ``fmt``."""
    if key not in CATALOGUE_KEYS:
        return strings.t(key, lang, **fmt)
    return i18n.t(CATALOGUE_KEYS[key], lang, **fmt)


def string_keys() -> frozenset[str]:
    """Every old key of this module."""
    return frozenset(CATALOGUE_KEYS)


def both(key: str) -> Text:
    return i18n.both(CATALOGUE_KEYS[key])


def clock(seconds: float) -> str:
    """``mm:ss``, or ``h:mm:ss`` from an hour on."""
    s = max(0, int(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"
