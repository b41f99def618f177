"""Numeric tutoring in a study session: the learner's level per family, and targeted re-checks.

- **Levels.** Each generated answer's review records its instance's level; the per-family ability
  (:mod:`quizforge.study.ability`) is a replay of those reviews, updated in memory as the session
  answers, and picks the level of the family's next instance. Nothing else is stored.
- **Re-checks.** A wrong answer diagnosed as a named mistake schedules a re-check of the same card:
  a fresh instance of the same family and level whose seed (``kinds.tutor.targeted_recheck``)
  makes that mistake give a different answer from the right one. It comes back after
  :data:`RECHECK_AFTER` other answers (or when nothing else is left, or earlier with the card's own
  learning step), with a line saying why.

The session calls :meth:`Tutor.draw` when it presents a card, :meth:`Tutor.due_recheck` when it
picks one, and :meth:`Tutor.answered` / :meth:`Tutor.undone` after a save / an undo.
"""

from __future__ import annotations

import random
from collections.abc import Container
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quizforge.bank import Bank, Kind, Question
from quizforge.kinds.generated import GENERATED
from quizforge.study.ability import Ability, next_level, replay, starting_ability

if TYPE_CHECKING:
    from quizforge.numeric.base import Instance, Mistake
    from quizforge.store import Review, Store
    from quizforge.study.answering import Presented

RECHECK_AFTER = 3  # other answers before a re-check comes back (a learning step may bring it sooner)


@dataclass(frozen=True)
class Recheck:
    """A re-check waiting for its card: the instance to show and the mistake it follows up."""

    card_id: str
    family: str
    seed: int
    level: int
    mistake: Mistake
    after: int  # shown once the session has saved this many answers
    review_id: str  # the answer that made the mistake (its undo cancels the re-check)


def _generator(question: Question) -> str | None:
    return question.body.generator if question.kind == Kind.GENERATED else None


def family_shape(name: str) -> tuple[int, int] | None:
    """``(levels, default_level)`` of the family ``name``; ``None`` when there is no such family."""
    from quizforge.numeric.base import get_family

    try:
        fam = get_family(name)
    except KeyError:
        return None
    return fam.levels, fam.default_level


def abilities(store: Store, bank: Bank) -> dict[str, Ability]:
    """Every family's ability, replayed from the review log's leveled answers (cards of questions
    no longer in the bank, or no longer generated, are skipped)."""
    questions = bank.questions
    stream = []
    for card_id, level, correct, score, _mistake in store.leveled_answers():
        q = questions.get(card_id)
        family = None if q is None else _generator(q)
        if family is not None:
            stream.append((family, level, score if score is not None else bool(correct)))
    return replay(stream, family_shape)


class Tutor:
    """The tutoring state of one session (see the module docstring)."""

    def __init__(self, store: Store, bank: Bank) -> None:
        self.store = store
        self.bank = bank
        self._abilities: dict[str, Ability] = {}
        self._rechecks: dict[str, Recheck] = {}  # card id → the re-check waiting for it
        self._shown: dict[tuple[str, int | None], Recheck] = {}  # (card id, seed) shown → the re-check it is
        self._answered = 0
        self.replay()

    def replay(self) -> None:
        """Re-derive every family's ability from the log."""
        self._abilities = abilities(self.store, self.bank)

    def undone(self, review_id: str) -> None:
        """Take back what the answer ``review_id`` did: its ability update and its re-check."""
        self._rechecks = {c: r for c, r in self._rechecks.items() if r.review_id != review_id}
        self._answered = max(0, self._answered - 1)
        self.replay()

    def level(self, family: str) -> int | None:
        """The level of ``family``'s next instance; ``None`` when there is no such family."""
        shape = family_shape(family)
        if shape is None:
            return None
        levels, default = shape
        return next_level(self._abilities.get(family) or starting_ability(default), levels)

    def draw(self, question: Question, rng: random.Random) -> Instance | None:
        """The instance to show for ``question``: its waiting re-check, else a fresh one at the
        learner's level; ``None`` for a question that is not generated (its kind draws)."""
        family = _generator(question)
        if family is None or family_shape(family) is None:
            return None
        recheck = self._rechecks.pop(question.id, None)
        if recheck is not None:
            from quizforge.numeric.base import get_family

            self._shown[(question.id, recheck.seed)] = recheck
            return get_family(family).generate(recheck.seed, recheck.level)
        return GENERATED.draw_at(question, rng, self.level(family))

    def recheck_of(self, p: Presented) -> Recheck | None:
        """The re-check ``p`` is (for the line saying why), or ``None``."""
        return self._shown.get((p.card_id, p.seed))

    def recheck_line(self, p: Presented, lang: str) -> str | None:
        """The line shown above a re-check saying why it is asked ("Re-check, after …"), else ``None``."""
        from quizforge.i18n import t

        r = self.recheck_of(p)
        return None if r is None else t("tutor.recheck", lang, mistake=r.mistake.text.get(lang))

    def due_recheck(self, *, anything_else: bool) -> str | None:
        """The card of a re-check to show now: one whose wait is over, or, when nothing else is
        left (``anything_else`` false), the oldest waiting one."""
        waiting = sorted(self._rechecks.values(), key=lambda r: r.after)
        if not waiting:
            return None
        first = waiting[0]
        return first.card_id if first.after <= self._answered or not anything_else else None

    def drop(self, card_id: str) -> None:
        """Forget ``card_id``'s waiting re-check (the card was suspended)."""
        self._rechecks.pop(card_id, None)

    def pending(self, card_ids: Container[str]) -> int:
        """Waiting re-checks of cards not among ``card_ids`` (those already counted as coming back)."""
        return sum(1 for c in self._rechecks if c not in card_ids)

    def answered(self, p: Presented, review: Review, *, follow_up: bool) -> None:
        """Account for a saved answer to ``p``: the family's ability moves, and a named mistake
        schedules a re-check when ``follow_up`` (a study session, not a cram run or a quiz)."""
        self._answered += 1
        family = _generator(p.question)
        shape = None if family is None else family_shape(family)
        if family is None or shape is None or review.level is None:
            return
        from quizforge.study.ability import update

        levels, default = shape
        outcome = review.score if review.score is not None else bool(review.correct)
        before = self._abilities.get(family) or starting_ability(default)
        self._abilities[family] = update(before, min(max(review.level, 1), levels), outcome, levels)
        if follow_up and review.mistake is not None and p.seed is not None:
            self._schedule(p, review.id, family, review.level, review.mistake)

    def _schedule(self, p: Presented, review_id: str, family: str, level: int, mistake_id: str) -> None:
        from quizforge.kinds.tutor import targeted_recheck
        from quizforge.numeric.base import get_family

        assert p.seed is not None
        by_id = {m.id: m for m in get_family(family).mistakes}
        try:
            seed = targeted_recheck(family, mistake_id, p.seed, level)
        except (KeyError, ValueError):
            return  # a mistake no instance separates: nothing to re-check
        self._rechecks[p.card_id] = Recheck(
            p.card_id, family, seed, level, by_id[mistake_id], self._answered + RECHECK_AFTER, review_id
        )
