"""A mock interview's scorecard as text: the reason behind each follow-up, and the whole card as Markdown.

The TUI's scorecard and its ``e`` export use these, so the screen and the file say the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from quizforge.i18n import t, tn

if TYPE_CHECKING:
    from quizforge.study.mock import Scorecard, ScoredAnswer

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def follow_up_reason(item: ScoredAnswer, lang: str) -> str:
    """Why ``item`` was asked as a follow-up ("" for a main question), numbering questions from 1."""
    from quizforge.study.mock import Why

    f = item.follow_up
    if f is None:
        return ""
    i = f.of + 1
    if f.why == Why.MISTAKE:
        return t("scorecard.why_mistake", lang, i=i, mistake=f.mistake.get(lang) if f.mistake else "")
    if f.points is not None:
        k, n = f.points
        return tn("scorecard.why_points", n, lang, i=i, k=k)
    if f.why == Why.PARTIAL:
        return t("scorecard.why_partial_graded", lang, i=i, s=f"{round(f.score * 100)}%")
    return t("scorecard.why_weak_graded", lang, i=i)


def expected_text(item: ScoredAnswer, lang: str) -> str:
    """The right answer of an auto-graded item as shown beside the user's."""
    from quizforge.numeric.base import Instance

    if isinstance(item.instance, Instance):  # a generated question (a coding drill draws a bare seed)
        from quizforge.render import format_answer

        return format_answer(item.instance, lang)
    if item.choices:
        return choice_text(item, item.expected, lang)
    return item.expected


def choice_text(item: ScoredAnswer, letters: str, lang: str) -> str:
    """``b) Adagrad`` lines for the letters in ``letters`` (``a,c`` or ``ac``)."""
    choices = item.choices
    picked = [LETTERS.index(c) for c in letters.lower() if c in LETTERS[: len(choices)]]
    return "\n".join(f"{LETTERS[i]}) {choices[i].get(lang)}" for i in picked)


def status_text(item: ScoredAnswer, lang: str) -> str:
    """``passed``, ``time ran out``, ``not reached``, or the score out of 100."""
    from quizforge.study.mock import Status

    if item.status == Status.ANSWERED:
        return f"{round(item.score * 100)}"
    return t(f"scorecard.{item.status}", lang)


def counts_line(card: Scorecard, lang: str, minutes: float) -> str:
    """``8 of 9 answered · 1 passed · 12:40 used of 30:00 · 2 follow-ups asked``."""
    from quizforge.study.mock import Status

    passed = sum(1 for i in card.items if i.status == Status.PASSED)
    used, limit = _clock(card.seconds), _clock(minutes * 60)
    answered = t("scorecard.answered_of", lang, a=card.answered, n=len(card.items), p=passed, m=used, limit=limit)
    return f"{answered} · {tn('scorecard.follow_ups', len(card.follow_ups), lang)}"


def _quote(text: str) -> list[str]:
    return [f"> {line}" if line.strip() else ">" for line in text.strip().splitlines()] or ["> …"]


def scorecard_markdown(
    card: Scorecard, lang: str, *, topic_name: Callable[[str], str], minutes: float, title: str
) -> str:
    """The whole scorecard as one Markdown document.

    Args:
        card: The graded interview (with the user's ticks).
        lang: ``"en"`` or ``"zh"``.
        topic_name: A topic id's display name in ``lang``.
        minutes: The interview's time limit.
        title: The document's heading.
    """
    from quizforge.study.mock import Status

    out = [f"# {title}", "", f"**{t('scorecard.total', lang, s=round(card.total))}**", ""]
    out.append(counts_line(card, lang, minutes))
    if card.study_next:
        out += ["", t("scorecard.study_next", lang) + " · ".join(topic_name(tid) for tid in card.study_next)]
    for key, scores, name in (
        ("scorecard.by_topic", card.by_topic, topic_name),
        ("scorecard.by_kind", card.by_kind, lambda k: t(f"kind.{k}", lang)),
    ):
        out += ["", f"## {t(key, lang)}", "", "| | |", "|---|--:|"]
        out += [f"| {name(k)} | {s:.0f} |" for k, s in scores.items()]
    for item in card.items:
        head = f"## {item.index + 1}. {topic_name(item.topic)} · {t(f'kind.{item.kind}', lang)}"
        out += ["", head, ""]
        reason = follow_up_reason(item, lang)
        if reason:
            out += [f"*↳ {reason}*", ""]
        meta = status_text(item, lang)
        if item.status != Status.NOT_REACHED:
            meta += f" · {_clock(item.seconds)}"
        out += [f"**{item.prompt.get(lang).strip() or '…'}**", "", meta]
        if item.status == Status.NOT_REACHED:
            continue
        out += ["", f"**{t('scorecard.your_answer', lang)}**", ""]
        if item.status == Status.ANSWERED:
            shown = choice_text(item, item.answer, lang) if item.choices else item.answer
            out += _quote(shown or item.answer)
        else:
            out += _quote(t(f"scorecard.{item.status}", lang))
        if item.is_concept:
            out += ["", f"**{t('answer.model_answer', lang)}**", ""]
            out += _quote(item.model_answer.get(lang) if item.model_answer else "")
            if item.key_points:
                k, n = sum(item.ticks), len(item.key_points)
                out += ["", f"**{t('scorecard.points_of', lang, k=k, n=n)}**", ""]
                ticks = item.ticks or [False] * n
                out += [
                    f"- [{'x' if on else ' '}] {kp.text.get(lang)}"
                    for kp, on in zip(item.key_points, ticks, strict=True)
                ]
            continue
        if item.feedback.get(lang):
            out += ["", item.feedback.get(lang)]
        expected = expected_text(item, lang)
        if expected:
            out += ["", f"**{t('answer.expected', lang)}**", ""]
            out += _quote(expected)
        if item.model_answer is not None:
            out += ["", f"**{t(f'answer.{item.model_label}', lang)}**", ""]
            out += _quote(item.model_answer.get(lang))
    return "\n".join(out) + "\n"


def export_path(directory: Path, started_at: datetime) -> Path:
    """Where a scorecard is written: ``DIR/scorecards/mock-YYYYMMDD-HHMMSS.md`` (local time of the start)."""
    return directory / "scorecards" / f"mock-{started_at.astimezone():%Y%m%d-%H%M%S}.md"


def _clock(seconds: float) -> str:
    s = max(0, round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"
