"""Build ``v1.db``: a store written by quizforge's schema-1 release, with every kind of history.

Run with the schema-1 code on the path (how ``v1.db`` was made, from main at c8e9608):
    PYTHONPATH=<checkout of that release> python tests/store/data/make_v1_store.py tests/store/data/v1.db
The file is committed; the migration test opens a copy of it with today's code.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizforge.store import Card, MockResult, Review, Source, Store
from quizforge.study.scheduling import Scheduling

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def build(path: Path) -> None:
    with Store.open(path) as store:
        store.sync_bank([("a", "t.a"), ("b", "t.a"), ("c", "t.b"), ("d", "t.b"), ("e", "t.c")])
        store.set_settings(new_per_day=7, desired_retention=0.85, language="zh", leech_lapses=2)
        sched = Scheduling(store.settings())
        n = 0

        def review(cid: str, rating: int, at: datetime, source: str = Source.STUDY, **kw: object) -> str:
            nonlocal n
            n += 1
            rid = f"00000000-0000-4000-8000-{n:012d}"
            card = store.card(cid) or Card(cid)
            after = card if source == Source.CRAM else sched.apply(card, rating, at, rid)
            store.record_review(Review(rid, cid, rating, at, source, **kw), after)  # type: ignore[arg-type]
            return rid

        review("a", 3, T0, answer="batch norm")
        review("a", 3, T0 + timedelta(days=2))
        undone_card = store.card("b") or Card("b")
        rid = review("b", 1, T0 + timedelta(hours=1), seed=42, answer="17", correct=False)
        store.undo_review(rid, undone_card, T0 + timedelta(hours=1, minutes=1))  # undone
        review("b", 4, T0 + timedelta(hours=2), seed=42, answer="18", correct=True)
        # c becomes a leech (2 lapses) and is suspended by it
        review("c", 3, T0)
        review("c", 3, T0 + timedelta(days=1))
        review("c", 3, T0 + timedelta(days=4))
        review("c", 1, T0 + timedelta(days=15))
        review("c", 3, T0 + timedelta(days=15, minutes=10))
        review("c", 3, T0 + timedelta(days=18))
        review("c", 1, T0 + timedelta(days=40))
        review("d", 2, T0, Source.QUIZ, correct=True, score=0.75)
        review("d", 3, T0 + timedelta(hours=3), Source.CRAM)
        review("e", 3, T0 + timedelta(days=1), Source.MOCK, score=1.0, duration_ms=42_000)
        store.set_suspended("a", True)  # suspended by hand
        store.bury(["e"], T0 + timedelta(days=60))
        for k in range(2):
            start = T0 + timedelta(days=3 + k)
            store.add_mock_result(
                MockResult(
                    f"10000000-0000-4000-8000-00000000000{k}",
                    start,
                    start + timedelta(minutes=30),
                    0.5 + k / 4,
                    {"questions": ["e", "d"], "seeds": [1, 2], "answers": ["x", "y"], "ticks": [[True], []]},
                )
            )


if __name__ == "__main__":
    build(Path(sys.argv[1]))
