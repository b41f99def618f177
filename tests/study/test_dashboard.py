"""The dashboard's streak across local day edges: days start at ``day_start_hour`` in the user's zone."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from quizforge.store import Review, Source, Store
from quizforge.study.dashboard import counts

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def review(when: str, source: str = "study") -> Review:
    return Review(id=str(uuid.uuid4()), card_id="a", rating=3, reviewed_at=at(when), source=Source(source))


def test_streak_days_start_at_the_local_hour(tmp_path: Path) -> None:
    with Store.open(tmp_path / "quizforge.db") as store:
        settings = store.set_settings(day_start_hour=4)
        now = at("2026-03-10 10:00")  # today is the study day 03-10 04:00 .. 03-11 04:00 (+08:00)

        def streak_and_done() -> tuple[int, int]:
            c = counts(store, settings, now, SHANGHAI)
            return c.streak, c.done

        assert streak_and_done() == (0, 0)
        store.add_reviews([review("2026-03-10 03:59:59"), review("2026-03-08 04:00")])  # days 03-09 and 03-08
        assert streak_and_done() == (2, 0)  # not studied yet today: the streak up to yesterday still holds
        store.add_reviews([review("2026-03-07 03:59:59")])  # day 03-06: after a gap (03-07 has none)
        assert streak_and_done() == (2, 0)
        store.add_reviews([review("2026-03-10 04:00", source="cram")])  # today, any source
        assert streak_and_done() == (3, 1)
        store.add_reviews([review("2026-03-07 04:00")])  # day 03-07 closes the gap
        assert streak_and_done() == (5, 1)
        assert counts(store, settings, at("2026-03-12 04:00"), SHANGHAI).streak == 0  # 03-11 was missed
        assert counts(store, settings, at("2026-03-12 03:59"), SHANGHAI).streak == 5  # still day 03-11
