"""Rich renderables for the parts of a card: prompt, model answer, key points, choices, solutions.

Bank text is data, so it is always wrapped in :class:`rich.text.Text` (never parsed as markup: a
formula like ``[1, 2]`` or ``a[l+2]`` must show as written).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text as RichText

from quizforge.answer import AnswerKind
from quizforge.bank.schema import KeyPoint, Question
from quizforge.numeric.base import Instance

if TYPE_CHECKING:
    from quizforge.study.session import Presented
from quizforge.i18n import t
from quizforge.render import format_answer
from quizforge.text import Text

LABELS = "abcdefghi"


def heading(label: str) -> RichText:
    return RichText(label, style="bold underline")


def para(text: str, style: str = "") -> RichText:
    return RichText(text, style=style)


def choices_block(
    choices: Sequence[Text], lang: str, selected: Sequence[int] = (), correct: Sequence[int] = ()
) -> Group:
    """Options as ``a) …`` lines; selected ones marked, and after grading the correct ones in green."""
    lines = []
    for i, c in enumerate(choices):
        mark = "■" if i in selected else "□"
        style = ""
        if correct:
            style = "bold green" if i in correct else ("red" if i in selected else "dim")
        elif i in selected:
            style = "bold"
        lines.append(RichText(f" {mark} {LABELS[i]}) {c.get(lang)}", style=style))
    return Group(*lines)


def key_points_block(key_points: Sequence[KeyPoint], lang: str, ticked: Sequence[bool] = ()) -> Group:
    lines = []
    for i, kp in enumerate(key_points):
        on = i < len(ticked) and ticked[i]
        lines.append(RichText(f" [{'x' if on else ' '}] {LABELS[i]}) {kp.text.get(lang)}", style="green" if on else ""))
    return Group(*lines)


def question_preview(question: Question, lang: str, instance: Instance | None = None) -> Group:
    """Everything a card holds, for the bank browser."""
    parts: list[RenderableType] = []
    if instance is not None:
        parts += [
            RichText(t("browse.sample_instance", lang, seed=instance.seed), style="italic"),
            para(instance.prompt.get(lang)),
        ]
        if instance.choices:
            parts.append(choices_block(instance.choices, lang))
        parts += [
            RichText(""),
            heading(t("answer.expected", lang)),
            para(format_answer(instance, lang)),
            RichText(""),
            heading(t("answer.solution", lang)),
            para(instance.solution.get(lang)),
        ]
        return Group(*parts)
    from quizforge.kinds import kind_of

    kind = kind_of(question)
    expected = kind.expected(question, None)
    choices = kind.choices(question, None)
    parts.append(para(question.prompt.get(lang), style="bold"))
    if choices:
        parts += [RichText(""), choices_block(choices, lang, correct=expected.value)]
    elif expected.text:
        parts += [RichText(""), heading(t("answer.expected", lang)), para(expected.text)]
    if expected.model is not None:
        parts += [RichText(""), heading(t(f"answer.{expected.model_label}", lang)), para(expected.model.get(lang))]
    if expected.key_points:
        parts += [
            RichText(""),
            heading(t("answer.key_points", lang)),
            key_points_block(expected.key_points, lang),
        ]
    return Group(*parts)


def option_index(key: str, n: int) -> int | None:
    """The option a key picks among ``n``: a letter ``a``… or a digit ``1``…``9`` (``None``: neither)."""
    if len(key) == 1 and key in LABELS[:n]:
        return LABELS.index(key)
    if key.isdigit() and 1 <= int(key) <= min(n, 9):
        return int(key) - 1
    return None


def is_multi_select(card: Presented) -> bool:
    """Whether several options are correct (then each key toggles, and Enter submits)."""
    return len(correct_indices(card)) > 1


def correct_indices(card: Presented) -> list[int]:
    expected = card.expected
    if expected.answer_kind != AnswerKind.CHOICE or not isinstance(expected.value, list):
        return []
    return [int(i) for i in expected.value]
