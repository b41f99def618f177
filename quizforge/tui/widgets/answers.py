"""Which answer widget a card gets on screen: one kind → widget table for every screen.

``TYPED`` is the :class:`~quizforge.tui.widgets.answer_input.AnswerInput` line (read as the card's
answer kind, or free text), ``OPTIONS`` the lettered options picked by key, ``REVEAL`` the concept
card's reveal-then-tick-key-points, ``CODE`` the drill's code editor
(:class:`~quizforge.tui.widgets.code.CodeAnswer`). A kind added later (or by a test) registers its entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quizforge.answer import AnswerKind

if TYPE_CHECKING:
    from quizforge.study.answering import Presented


@dataclass(frozen=True)
class AnswerWidget:
    """How the answer to a card is given on screen."""

    typed: bool = False  # an input line
    options: bool = False  # letters (or digits) pick options; Enter submits
    reveal: bool = False  # space or Enter reveals the answer; letters then tick key points
    hint: str = ""  # the catalogue key of the text shown under the card while it is asked (study)
    mock_hint: str = ""  # the same in a mock interview, where nothing is revealed
    code: bool = False  # a program written in the code editor (CodeAnswer); ctrl+s submits


TYPED = AnswerWidget(typed=True)
OPTIONS = AnswerWidget(options=True, hint="study.choice_hint", mock_hint="mock.choice_prompt")
MULTI_OPTIONS = AnswerWidget(options=True, hint="study.multi_hint", mock_hint="mock.multi_prompt")
REVEAL = AnswerWidget(reveal=True, hint="study.concept_hint", mock_hint="mock.concept_prompt")
CODE = AnswerWidget(code=True, mock_hint="drill.mock_hint")


def _options(card: Presented) -> AnswerWidget:
    from quizforge.tui.widgets.card_text import is_multi_select

    return MULTI_OPTIONS if is_multi_select(card) else OPTIONS


def _options_or_typed(card: Presented) -> AnswerWidget:
    """A generated instance is picked from options when its family gives some, typed otherwise."""
    return _options(card) if card.answer_kind == AnswerKind.CHOICE else TYPED


_WIDGETS: dict[str, Callable[[Presented], AnswerWidget]] = {
    "concept": lambda card: REVEAL,
    "choice": _options,
    "numeric": lambda card: TYPED,
    "generated": _options_or_typed,
    "implement": lambda card: CODE,
}


def register_widget(kind: str, widget: AnswerWidget | Callable[[Presented], AnswerWidget]) -> None:
    """Give cards of ``kind`` ``widget`` (or a function of the card choosing one)."""
    _WIDGETS[kind] = widget if callable(widget) else (lambda card: widget)


def answer_widget(card: Presented) -> AnswerWidget:
    """The widget ``card`` is answered with.

    Raises:
        KeyError: the card's kind has no entry (register one with :func:`register_widget`).
    """
    return _WIDGETS[card.kind](card)
