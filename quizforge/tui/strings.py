"""The TUI's old string keys, kept as a thin shim over :mod:`quizforge.i18n` for the screens still using them.

``study.py`` looks its strings up here until the question-kind restructuring moves it to
:func:`quizforge.i18n.t`; a key of the catalogue itself (``"rating.good"``) is accepted too. New code
uses :mod:`quizforge.i18n` directly.
"""

from __future__ import annotations

from quizforge import i18n
from quizforge.text import Lang, Text

# old key -> catalogue key
CATALOGUE_KEYS: dict[str, str] = {
    "quit": "action.quit",
    "back": "action.back",
    "help": "action.help",
    "study": "action.study",
    "quiz": "action.quiz",
    "mock": "action.mock",
    "mock_short": "action.mock_short",
    "report": "action.report",
    "browse": "action.browse",
    "settings": "action.settings",
    "theme": "action.theme",
    "reveal": "action.reveal",
    "submit": "action.submit",
    "undo": "action.undo",
    "suspend": "action.suspend",
    "unsuspend": "action.unsuspend",
    "save": "action.save",
    "cancel": "action.cancel",
    "yes": "action.yes",
    "no": "action.no",
    "skip": "action.skip",
    "next": "action.next",
    "search": "action.search",
    "rate": "action.rate",
    "submit_accept": "action.submit_accept",
    "tick": "action.tick",
    "start": "action.start",
    "due_today": "dashboard.due_today",
    "new_available": "dashboard.new_available",
    "done_today": "dashboard.done_today",
    "streak": "dashboard.streak",
    "days": "dashboard.days",
    "topics_progress": "dashboard.topics_progress",
    "cards": "dashboard.cards",
    "no_cards_due": "dashboard.no_cards_due",
    "welcome": "dashboard.welcome",
    "card_of": "study.card_of",
    "time_on_card": "study.time_on_card",
    "your_answer": "study.your_answer",
    "answer_placeholder": "study.answer_placeholder",
    "concept_hint": "study.concept_hint",
    "choice_hint": "study.choice_hint",
    "multi_hint": "study.multi_hint",
    "key_points": "study.key_points",
    "correct": "study.correct",
    "wrong": "study.wrong",
    "partly": "study.partly",
    "rate_hint": "study.rate_hint",
    "session_done": "study.session_done",
    "nothing_to_study": "study.nothing_to_study",
    "leave_question": "study.leave_question",
    "suspended_card": "study.suspended_card",
    "undone": "study.undone",
    "nothing_to_undo": "study.nothing_to_undo",
    "model_answer": "answer.model_answer",
    "explanation": "answer.explanation",
    "solution": "answer.solution",
    "expected": "answer.expected",
    "again": "rating.again",
    "hard": "rating.hard",
    "good": "rating.good",
    "easy": "rating.easy",
    "quiz_score": "quiz.score",
    "quiz_misses": "quiz.misses",
    "quiz_no_misses": "quiz.no_misses",
    "study_misses": "quiz.study_misses",
    "area": "quiz.area",
    "any_difficulty": "quiz.any_difficulty",
    "quiz_count": "quiz.count",
    "quiz_count_range": "quiz.count_range",
    "search_placeholder": "browse.search_placeholder",
    "all_topics": "browse.all_topics",
    "all_kinds": "browse.all_kinds",
    "matches": "browse.matches",
    "sample_instance": "browse.sample_instance",
    "history": "browse.history",
    "never_reviewed": "browse.never_reviewed",
    "next_due": "browse.next_due",
    "state": "browse.state",
    "difficulty": "browse.difficulty",
    "topic": "browse.topic",
    "kind": "browse.kind",
    "tags": "browse.tags",
    "follow_ups": "browse.follow_ups",
    "choices": "browse.choices",
    "kind_concept": "kind.concept",
    "kind_choice": "kind.choice",
    "kind_numeric": "kind.numeric",
    "kind_generated": "kind.generated",
    "language": "settings.language",
    "retention": "settings.retention",
    "new_per_day": "settings.new_per_day",
    "reviews_per_day": "settings.reviews_per_day",
    "day_start": "settings.day_start",
    "saved": "settings.saved",
    "invalid_setting": "settings.invalid_setting",
    "help_title": "help.title",
    "loading": "common.loading",
}


def t(key: str, lang: Lang | str, **fmt: object) -> str:
    """The text of the old key (or catalogue key) ``key`` in ``lang``, formatted with ``fmt``."""
    new = CATALOGUE_KEYS.get(key, key)
    if new in i18n.plural_keys():
        n = fmt.pop("n")
        assert isinstance(n, int | float)
        return i18n.tn(new, n, lang, **fmt)
    return i18n.t(new, lang, **fmt)


def keys() -> frozenset[str]:
    """Every old key."""
    return frozenset(CATALOGUE_KEYS)


def both(key: str) -> Text:
    return i18n.both(CATALOGUE_KEYS.get(key, key))
