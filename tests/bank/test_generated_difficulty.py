"""A generated card's difficulty is its family's: one source of truth.

The card is what FSRS schedules and what a quiz filters by difficulty; the family is what the user is
actually asked. When the two disagree (a card said 2 for a family of difficulty 3), filters and reports
show the wrong level.
"""

from __future__ import annotations

from quizforge.kinds import load
from quizforge.numeric.base import families


def test_every_generated_card_states_its_familys_difficulty() -> None:
    bank = load(include_shipped=True)
    registry = families()
    generated = [q for q in bank.questions.values() if q.generator is not None]
    assert len(generated) >= len(registry)  # every family has a card (validate's coverage rule)
    wrong = [
        f"{q.id}: card {q.difficulty}, family {q.generator} {registry[q.generator].difficulty}"
        for q in generated
        if q.generator is not None and q.difficulty != registry[q.generator].difficulty
    ]
    assert not wrong, "\n".join(wrong)
