"""A bank edit never resets progress: ids are the key, and removed questions keep their history."""

from __future__ import annotations

import random
from datetime import UTC

from quizforge.bank import Kind
from quizforge.store import Store
from quizforge.study.session import StudySession

from .conftest import Clock, make_bank, question, right_answer


def test_bank_edits_keep_progress(store: Store, clock: Clock) -> None:
    old = make_bank([question("a"), question("b"), question("c", Kind.NUMERIC)])
    s = StudySession(store, old, now=clock, tz=UTC, rng=random.Random(0))
    while (p := s.next_card()) is not None:
        s.submit(right_answer(p))
        s.rate(4)
    before = {c.card_id: c.memory for c in store.cards()}
    assert all(m.reps == 1 for m in before.values())
    # reordered, "a" re-topicked and reworded, "b" removed, "d" added
    new = make_bank([question("d"), question("c", Kind.NUMERIC), question("a", topic="t.z", prompt=None)])
    StudySession(store, new, now=clock, tz=UTC)
    after = {c.card_id: c for c in store.cards()}
    assert {k: after[k].memory for k in before} == before
    assert after["a"].topic == "t.z" and after["d"].is_new
    assert len(store.reviews("b")) == 1
    s = StudySession(store, new, now=clock, tz=UTC)
    assert s.build_queue() == ["d"]  # "b" is gone from the queue, not from the log
    StudySession(store, old, now=clock, tz=UTC)  # "b" comes back with its progress
    card_b = store.card("b")
    assert card_b is not None and card_b.memory == before["b"]
