"""The event log: what each action logs, the conflict rules, the user's scenario, sync, migration of a v1 store."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizforge.store import Card, Store
from quizforge.store.database import backup_path, schema_version
from quizforge.store.models import EventKind
from quizforge.study.exchange import export_jsonl, import_jsonl, replay_cards
from quizforge.study.mock import MockInterview
from quizforge.study.session import StudySession
from quizforge.study.sync import SyncError, sync
from tests.faults.helpers import main
from tests.store.history import BANK, state
from tests.study.conftest import Clock, right_answer

DATA = Path(__file__).parent / "data"


def open_store(root: Path, name: str) -> Store:
    return Store.open(root / name / "quizforge.db")


def export_text(store: Store) -> str:
    path = store.path.parent / "export.jsonl"
    with path.open("w", encoding="utf-8") as f:
        export_jsonl(store, f)
    return path.read_text(encoding="utf-8")


# -- what each action logs --------------------------------------------------------------------------


def test_each_flag_change_is_one_event_with_this_device(tmp_path: Path) -> None:
    with open_store(tmp_path, "a") as s:
        s.put_card(Card("q0"))
        assert s.events() == []  # a new row with default flags changes nothing a user sees
        s.set_suspended("q0", True)
        s.set_suspended("q0", True)  # no change: no event
        s.bury(["q0"], datetime(2026, 5, 1, tzinfo=UTC))
        s.set_settings(new_per_day=3, language="en")
        s.set_settings(new_per_day=3)  # unchanged
        kinds = [(e.kind, e.key, e.data) for e in s.events()]
        assert kinds == [
            ("card.suspend", "q0", {"suspended": True}),
            ("card.bury", "q0", {"until": "2026-05-01T00:00:00.000000+00:00"}),
            ("setting", "new_per_day", {"value": 3}),
            ("setting", "language", {"value": "en"}),
        ]
        assert {e.device for e in s.events()} == {s.device}
        assert len({e.id for e in s.events()}) == 4


def test_device_id_is_made_once_per_data_dir(tmp_path: Path) -> None:
    with open_store(tmp_path, "a") as s:
        first = s.device
    with open_store(tmp_path, "a") as s:
        assert s.device == first
    with open_store(tmp_path, "b") as s:
        assert s.device != first


def test_a_local_change_wins_here_even_when_this_clock_is_behind(tmp_path: Path) -> None:
    """Another device suspended the card at a time this device's clock has not reached yet."""
    future = datetime.now(UTC) + timedelta(days=1)
    with open_store(tmp_path, "a") as s:
        s.put_card(Card("q0"))
        other = s.add_event(EventKind.SUSPEND, "q0", {"suspended": True}, at=future)
        assert s.card("q0").suspended  # type: ignore[union-attr]
        s.set_suspended("q0", False)
        assert not s.card("q0").suspended  # type: ignore[union-attr]
        latest = s.latest_event(EventKind.SUSPEND, "q0")
        assert latest is not None and latest.at == other.at + timedelta(microseconds=1)


@pytest.mark.parametrize("later", ["a", "b"])
def test_suspend_against_unsuspend_ends_the_same_on_both_devices(tmp_path: Path, later: str) -> None:
    t = datetime(2026, 4, 1, tzinfo=UTC)
    folder = tmp_path / "shared"
    folder.mkdir()
    with open_store(tmp_path, "a") as a, open_store(tmp_path, "b") as b:
        a.add_event(EventKind.SUSPEND, "q0", {"suspended": True}, at=t + timedelta(seconds=later == "a"))
        b.add_event(EventKind.SUSPEND, "q0", {"suspended": False}, at=t + timedelta(seconds=later == "b"))
        for s in (a, b, a):
            sync(s, folder)
        expected = later == "a"  # the later event by time wins: a suspended, b unsuspended
        assert a.card("q0").suspended is expected  # type: ignore[union-attr]
        assert b.card("q0").suspended is expected  # type: ignore[union-attr]


def test_equal_times_are_broken_by_id(tmp_path: Path) -> None:
    t = datetime(2026, 4, 1, tzinfo=UTC)
    with open_store(tmp_path, "a") as a, open_store(tmp_path, "b") as b:
        ea = a.add_event(EventKind.SETTING, "new_per_day", {"value": 1}, at=t)
        eb = b.add_event(EventKind.SETTING, "new_per_day", {"value": 2}, at=t)
        folder = tmp_path / "shared"
        folder.mkdir()
        for s in (a, b, a):
            sync(s, folder)
        winner = 1 if ea.id > eb.id else 2
        assert a.settings().new_per_day == b.settings().new_per_day == winner


def test_undo_is_logged_and_an_undone_review_never_comes_back(tmp_path: Path) -> None:
    with open_store(tmp_path, "a") as a, open_store(tmp_path, "b") as b:
        session = StudySession(a, BANK, now=Clock())
        p = session.next_card()
        assert p is not None
        session.submit(right_answer(p))
        saved = session.rate()
        export_a = tmp_path / "before-undo.jsonl"
        export_a.write_text(export_text(a), encoding="utf-8")
        session.undo()
        assert [e.kind for e in a.events()] == ["review.undo"] and a.review_count() == 0
        import_jsonl(b, export_a)  # b has the review
        assert b.review_count() == 1
        after_undo = tmp_path / "after-undo.jsonl"
        after_undo.write_text(export_text(a), encoding="utf-8")
        import_jsonl(b, after_undo)
        import_jsonl(b, export_a)  # the review again: it stays undone
        assert b.review_count() == 0 and b.undone_ids() == [saved.review.id]
        mine, theirs = a.card(p.card_id), b.card(p.card_id)
        assert mine is not None and theirs is not None and theirs.memory == mine.memory


# -- the user's scenario (issue 14) ----------------------------------------------------------------


def _two_mocks_and_a_suspension(store: Store) -> None:
    clock = Clock()
    StudySession(store, BANK, now=clock).suspend("q5")
    for seed in (1, 2):
        interview = MockInterview(store, BANK, questions=3, seed=seed, now=clock)
        interview.start()
        while (p := interview.current) is not None:
            clock.advance(seconds=40)
            interview.answer(right_answer(p))
        interview.finish()
        interview.save()
        clock.advance(days=1)


def _report(data: Path, out: Path) -> dict[str, object]:
    with Store.open(data / "quizforge.db") as s:
        return state(s, out)["report"]  # type: ignore[no-any-return]


def test_suspension_and_mock_history_survive_export_and_import(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    with Store.open(old / "quizforge.db") as s:
        _two_mocks_and_a_suspension(s)
    file = tmp_path / "all.jsonl"
    assert main("--data-dir", str(old), "export", "--output", str(file)).code == 0
    run = main("--data-dir", str(new), "import", str(file))
    assert run.code == 0, run.err
    before, after = _report(old, tmp_path), _report(new, tmp_path)
    assert after["states"]["suspended"] == before["states"]["suspended"] == 1  # type: ignore[index]
    assert len(after["mocks"]["sessions"]) == len(before["mocks"]["sessions"]) == 2  # type: ignore[index]
    assert after == before
    with Store.open(old / "quizforge.db") as a, Store.open(new / "quizforge.db") as b:
        assert b.mock_results() == a.mock_results()
        assert b.card("q5") == a.card("q5")


def test_two_data_dirs_synced_through_a_folder_show_the_same_report(tmp_path: Path) -> None:
    one, two, folder = tmp_path / "one", tmp_path / "two", tmp_path / "shared"
    folder.mkdir()
    with Store.open(one / "quizforge.db") as s:
        _two_mocks_and_a_suspension(s)
    with Store.open(two / "quizforge.db") as s:
        StudySession(s, BANK, now=Clock(datetime(2026, 3, 9, tzinfo=UTC))).suspend("q1")
    for data in (one, two, one):
        run = main("--data-dir", str(data), "sync", str(folder))
        assert run.code == 0 and run.out.startswith("sent "), run
    report = _report(one, tmp_path)
    assert report == _report(two, tmp_path)
    assert report["states"]["suspended"] == 2 and len(report["mocks"]["sessions"]) == 2  # type: ignore[index]
    assert main("--data-dir", str(two), "sync", str(folder)).out.startswith("sent 0 events; received 0 reviews")


def test_auto_sync_runs_on_start_and_quit(tmp_path: Path) -> None:
    one, two, folder = tmp_path / "one", tmp_path / "two", tmp_path / "shared"
    folder.mkdir()
    with Store.open(one / "quizforge.db") as s:
        _two_mocks_and_a_suspension(s)
    assert main("--data-dir", str(one), "sync", str(folder), "--auto").code == 0
    assert main("--data-dir", str(two), "sync", str(folder), "--auto").code == 0
    # `report` on two syncs on start: it shows one's mocks
    run = main("--data-dir", str(two), "report", "--format", "json")
    assert run.code == 0 and len(json.loads(run.out)["mocks"]["sessions"]) == 2, run.err
    assert main("--data-dir", str(two), "sync", "--no-auto").out.startswith("automatic sync is off")
    assert not (two / "sync.json").exists()


# -- sync's hard cases -----------------------------------------------------------------------------


def _device_file(folder: Path, store: Store) -> Path:
    return folder / f"{store.device}.jsonl"


def test_a_half_written_last_line_waits_for_the_next_sync(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    with open_store(tmp_path, "a") as a, open_store(tmp_path, "b") as b:
        a.put_card(Card("q0"))
        a.set_suspended("q0", True)
        a.set_settings(new_per_day=9)
        sync(a, folder)
        whole = _device_file(folder, a).read_bytes()
        cut = whole.rfind(b"\n", 0, len(whole) - 1) + 20  # the last line, torn 19 bytes in
        _device_file(folder, a).write_bytes(whole[:cut])
        sync(b, folder)
        assert b.card("q0") is not None and b.card("q0").suspended  # type: ignore[union-attr]
        assert b.settings().new_per_day == 20  # its line is not complete yet
        _device_file(folder, a).write_bytes(whole)  # the copier finished
        sync(b, folder)
        assert b.settings().new_per_day == 9


def test_a_torn_line_in_the_own_file_is_cut_off_and_sent_again(tmp_path: Path) -> None:
    """What a kill in the middle of writing leaves: a torn last line, and nothing recorded as sent."""
    folder = tmp_path / "shared"
    folder.mkdir()
    with open_store(tmp_path, "a") as a, open_store(tmp_path, "b") as b:
        a.set_settings(new_per_day=9)
        own = _device_file(folder, a)
        own.write_bytes(b'{"type": "header", "format": 2}\n{"type": "event", "id": "4')
        sync(a, folder)
        lines = own.read_text(encoding="utf-8").splitlines()
        assert all(json.loads(line) for line in lines) and len(lines) == 2
        sync(b, folder)
        assert b.settings().new_per_day == 9


def test_a_deleted_own_file_is_written_again_in_full(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    with open_store(tmp_path, "a") as a, open_store(tmp_path, "b") as b:
        a.set_settings(new_per_day=9)
        sync(a, folder)
        _device_file(folder, a).unlink()  # a cleanup, or a copier that lost it
        a.set_settings(reviews_per_day=99)
        assert sync(a, folder).sent == 2
        sync(b, folder)
        assert (b.settings().new_per_day, b.settings().reviews_per_day) == (9, 99)


def test_two_processes_of_one_device_syncing_at_once_send_each_event_once(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    with open_store(tmp_path, "a") as a:
        for i in range(50):
            a.add_event(EventKind.DRILL_ATTEMPT, f"q{i}", {"passed": True})
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def one() -> None:
        try:
            with open_store(tmp_path, "a") as s:
                start.wait()
                sync(s, folder)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    [file] = folder.iterdir()
    ids = [json.loads(line).get("id") for line in file.read_text(encoding="utf-8").splitlines()[1:]]
    assert len(ids) == len(set(ids)) == 50


def test_a_future_format_in_a_device_file_is_refused_and_nothing_merged(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    other = folder / "0b6f7c1e-3f1a-4c55-9d8e-5a1f2b7c9e41.jsonl"
    other.write_text('{"type": "header", "format": 3}\n', encoding="utf-8")
    data = tmp_path / "a"
    with Store.open(data / "quizforge.db") as a:
        a.set_settings(new_per_day=9)
        before = export_text(a)
        with pytest.raises(SyncError, match=f"{other}:1: format 3 is newer"):
            sync(a, folder)
        assert export_text(a) == before
    assert not (folder / f"{Store.open(data / 'quizforge.db').device}.jsonl").exists()
    run = main("--data-dir", str(data), "sync", str(folder))
    run.one_line_error(f"{other}:1: format 3 is newer", "nothing was merged")


def test_a_future_format_export_is_refused_with_one_line_and_nothing_written(tmp_path: Path) -> None:
    data = tmp_path / "a"
    with Store.open(data / "quizforge.db") as a:
        a.set_settings(new_per_day=9)
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    for first in ('{"type": "header", "format": 3}', '{"type": "settings", "format": 7, "settings": {}}'):
        file = tmp_path / "future.jsonl"
        file.write_text(first + "\n" + '{"id": "5b9e3c1e-3f1a-4c55-9d8e-5a1f2b7c9e41", "card_id": "q0", '
                        '"rating": 3, "reviewed_at": "2026-03-01T10:00:00+00:00"}\n', encoding="utf-8")  # fmt: skip
        run = main("--data-dir", str(data), "import", str(file))
        run.one_line_error(f"{file}:1: format", "newer than this quizforge reads (2)", "nothing was imported")
        assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_unknown_event_kinds_travel_unchanged(tmp_path: Path) -> None:
    """A newer quizforge's events are kept, exported and synced as they are."""
    line = {"type": "event", "id": "5b9e3c1e-3f1a-4c55-9d8e-5a1f2b7c9e41", "kind": "tutor.hint", "key": "q0",
            "at": "2026-03-01T10:00:00.000000+00:00", "device": "d1",
            "data": {"text": "梯度", "n": [1, 2]}}  # fmt: skip
    file = tmp_path / "new.jsonl"
    file.write_text('{"type": "header", "format": 2}\n' + json.dumps(line, ensure_ascii=False) + "\n", "utf-8")
    with open_store(tmp_path, "a") as a:
        assert import_jsonl(a, file).events_added == 1
        assert export_text(a) == file.read_text(encoding="utf-8")


# -- migration of a schema-1 store -----------------------------------------------------------------


def test_a_v1_store_upgrades_in_place_with_a_backup_and_loses_nothing(tmp_path: Path) -> None:
    """``data/v1.db`` was written by the schema-1 release (see ``data/make_v1_store.py``)."""
    db = tmp_path / "quizforge.db"
    shutil.copy(DATA / "v1.db", db)
    old = sqlite3.connect(DATA / "v1.db")
    v1_reviews = old.execute("SELECT * FROM review_log ORDER BY reviewed_at, id").fetchall()
    v1_cards = old.execute("SELECT * FROM cards ORDER BY card_id").fetchall()
    v1_settings = dict(old.execute("SELECT key, value FROM settings WHERE key NOT LIKE '\\_%' ESCAPE '\\'"))
    v1_mocks = old.execute("SELECT * FROM mock_results ORDER BY started_at").fetchall()
    v1_undone = old.execute("SELECT id FROM undone").fetchall()
    old.close()
    assert len(v1_reviews) == 13 and len(v1_mocks) == 2 and len(v1_undone) == 1

    with Store.open(db) as s:
        backup = sqlite3.connect(backup_path(db, 1))
        assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
        assert backup.execute("SELECT * FROM review_log ORDER BY reviewed_at, id").fetchall() == v1_reviews
        assert backup.execute("SELECT * FROM cards ORDER BY card_id").fetchall() == v1_cards
        backup.close()
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
        # every table of schema 1 holds what it held
        assert (
            conn.execute(
                "SELECT id, card_id, rating, reviewed_at, source, seed, answer, correct, score, duration_ms "
                "FROM review_log ORDER BY reviewed_at, id"
            ).fetchall()
            == v1_reviews
        )
        assert conn.execute("SELECT * FROM cards ORDER BY card_id").fetchall() == v1_cards
        assert conn.execute("SELECT * FROM mock_results ORDER BY started_at").fetchall() == v1_mocks
        assert {k: json.loads(v) for k, v in v1_settings.items()} == s.raw_settings()
        conn.close()
        assert {r.device for r in s.reviews()} == {s.device}
        # the state schema 1 kept outside the log is now events, and a replay rebuilds the same cards
        kinds = sorted(e.kind for e in s.events())
        assert kinds.count("review.undo") == 1 and kinds.count("mock.result") == 2
        assert kinds.count("setting") == len(v1_settings)
        cached = s.cards()
        replay_cards(s, [c.card_id for c in cached])
        assert s.cards() == cached
        assert s.card("c").leech and s.card("c").suspended and s.card("a").suspended  # type: ignore[union-attr]
        file = tmp_path / "all.jsonl"
        file.write_text(export_text(s), encoding="utf-8")
        everything = state(s, tmp_path)
    # and it all travels
    with open_store(tmp_path, "elsewhere") as other:
        import_jsonl(other, file)
        other.sync_bank([("a", "t.a"), ("b", "t.a"), ("c", "t.b"), ("d", "t.b"), ("e", "t.c")])  # v1.db's bank
        assert state(other, tmp_path) == everything
