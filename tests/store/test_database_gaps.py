"""Opening and migrating the database file, case by case: what the migrations write (events, sequence numbers,
device ids, backups) and what they refuse to touch (found by mutation testing of ``store/database.py``, issue 21).

Schema-1 files are built here from the first migration's own script, with the rows a schema-1 release could
hold, so each case names the rows it starts from."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizforge.store import Card, Review, Store, StoreError, database
from quizforge.store.database import backup_path, schema_version

DATA = Path(__file__).parent / "data"
AT = "2026-03-02T10:00:00.000000+00:00"


def make_v1(path: Path, statements: Sequence[tuple[str, tuple[object, ...]]] = ()) -> None:
    """A schema-1 database at ``path`` with the given rows."""
    conn = sqlite3.connect(path)
    script = database.MIGRATIONS[0]
    assert isinstance(script, str)
    conn.executescript(script)
    for sql, params in statements:
        conn.execute(sql, params)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def v1_review(rid: str, card: str, at: str = AT) -> tuple[str, tuple[object, ...]]:
    return (
        "INSERT INTO review_log (id, card_id, rating, reviewed_at, source) VALUES (?, ?, 3, ?, 'study')",
        (rid, card, at),
    )


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def files_beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if not p.name.endswith(("-wal", "-shm")))


def current_store_with_one_more_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Path:
    """An up-to-date store file, and a next release's migration ``script`` appended to the list."""
    db = tmp_path / "q.db"
    Store.open(db).close()
    monkeypatch.setattr(database, "MIGRATIONS", [*database.MIGRATIONS, script])
    return db


# -- what migrating schema 1 writes -------------------------------------------------------------------


def test_migrated_events_continue_the_review_numbers_without_a_gap(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    shutil.copy(DATA / "v1.db", db)
    Store.open(db).close()
    review_seqs = [r[0] for r in rows(db, "SELECT seq FROM review_log ORDER BY seq")]
    event_seqs = [r[0] for r in rows(db, "SELECT seq FROM events ORDER BY seq")]
    assert review_seqs == list(range(1, 14))  # v1.db's 13 rows, in the order they were written (rowid)
    assert event_seqs == list(range(14, 14 + len(event_seqs)))
    ids_by_rowid = [r[0] for r in rows(db, "SELECT id FROM review_log ORDER BY rowid")]
    assert ids_by_rowid == [r[0] for r in rows(db, "SELECT id FROM review_log ORDER BY seq")]


def test_a_v1_store_without_reviews_numbers_its_events_from_one(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    make_v1(db, [("INSERT INTO settings (key, value) VALUES ('new_per_day', '5')", ())])
    with Store.open(db) as s:
        assert s.last_seq() == 1
        (e,) = s.events()
        assert (e.kind, e.key, e.data, e.device) == ("setting", "new_per_day", {"value": 5}, s.device)
        assert s.settings().new_per_day == 5


def test_the_flag_events_of_v1_cards_say_what_the_columns_said(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    shutil.copy(DATA / "v1.db", db)
    with Store.open(db) as s:
        flags = {(e.kind, e.key): e.data for e in s.events(["card.leech", "card.suspend", "card.bury"])}
        # a: suspended by hand; c: a leech, suspended by it; e: buried; b and d: no flag, so no event
        assert flags == {
            ("card.leech", "a"): {"leech": False},
            ("card.suspend", "a"): {"suspended": True},
            ("card.leech", "c"): {"leech": True},
            ("card.suspend", "c"): {"suspended": True},
            ("card.bury", "e"): {"until": "2026-05-01T09:00:00.000000+00:00"},
        }
        assert {e.device for e in s.events()} == {s.device}


def test_undo_and_mock_events_keep_their_old_times_and_rows(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    shutil.copy(DATA / "v1.db", db)
    with Store.open(db) as s:
        (undo,) = s.events(["review.undo"])
        assert (undo.key, s.undone_ids()) == ("00000000-0000-4000-8000-000000000003", [undo.key])
        assert undo.at.isoformat() == "2026-03-02T10:01:00+00:00"  # the row's undone_at, not the migration's time
        mocks = s.events(["mock.result"])
        assert [(e.key, e.at.isoformat()) for e in mocks] == [
            ("10000000-0000-4000-8000-000000000000", "2026-03-05T09:30:00+00:00"),
            ("10000000-0000-4000-8000-000000000001", "2026-03-06T09:30:00+00:00"),
        ]
        assert mocks[1].data["started_at"] == "2026-03-06T09:00:00.000000+00:00"
        assert mocks[1].data["finished_at"] == "2026-03-06T09:30:00.000000+00:00"
        assert mocks[1].data["score"] == 0.75
        assert mocks[1].data["details"]["questions"] == ["e", "d"]


def test_two_copies_migrated_apart_share_the_derived_ids_but_not_the_device(tmp_path: Path) -> None:
    """The same old undo or mock row gives the same event id on every device (a merge does not double it);
    every other event and the device id are new on each copy."""
    ids = []
    devices = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        shutil.copy(DATA / "v1.db", tmp_path / name / "q.db")
        with Store.open(tmp_path / name / "q.db") as s:
            ids.append({(e.kind, e.key): e.id for e in s.events()})
            devices.append(s.device)
            assert {r.device for r in s.reviews()} == {s.device}
    assert devices[0] != devices[1]
    assert all(str(uuid.UUID(d)) == d for d in devices)
    shared = {k for k in ids[0] if ids[0][k] == ids[1][k]}
    assert shared == {k for k in ids[0] if k[0] in ("review.undo", "mock.result")}
    assert len(shared) == 3


def test_a_damaged_v1_setting_is_dropped_and_the_later_ones_kept(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    make_v1(
        db,
        [
            ("INSERT INTO settings (key, value) VALUES ('a_broken', '{not json')", ()),
            ("INSERT INTO settings (key, value) VALUES ('language', '\"zh\"')", ()),
            ("INSERT INTO settings (key, value) VALUES ('_bank_digest', '\"abc\"')", ()),
        ],
    )
    with Store.open(db) as s:
        assert [(e.kind, e.key, e.data) for e in s.events()] == [("setting", "language", {"value": "zh"})]
        assert s.settings().language == "zh"


def test_a_v1_mock_with_damaged_details_keeps_its_result_with_none(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    make_v1(
        db,
        [
            (
                "INSERT INTO mock_results (id, started_at, finished_at, score, details) VALUES (?, ?, ?, ?, ?)",
                ("m1", "2026-03-05T09:00:00.000000+00:00", "2026-03-05T09:30:00.000000+00:00", 0.5, "{cut"),
            )
        ],
    )
    with Store.open(db) as s:
        (e,) = s.events(["mock.result"])
        assert e.data == {
            "started_at": "2026-03-05T09:00:00.000000+00:00",
            "finished_at": "2026-03-05T09:30:00.000000+00:00",
            "score": 0.5,
            "details": {},
        }
        s.rebuild_caches(mocks=["m1"])
        (m,) = s.mock_results()
        assert (m.id, m.score, m.details) == ("m1", 0.5, {})


def test_v1_reviews_get_the_device_and_their_numbers(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    make_v1(db, [v1_review("r2", "b"), v1_review("r1", "a", "2026-03-01T10:00:00.000000+00:00")])
    with Store.open(db) as s:
        assert rows(db, "SELECT id, seq, device FROM review_log ORDER BY seq") == [
            ("r2", 1, s.device),
            ("r1", 2, s.device),
        ]
        assert rows(db, "SELECT value FROM settings WHERE key = '_device'") == [(json.dumps(s.device),)]
        # a review made after the migration comes after them, and sync sends it alone
        reviews, _events, last = s.since(2)
        assert (reviews, last) == ([], 2)


# -- when migrations write a backup, and when they do not --------------------------------------------


def test_opening_a_current_or_a_new_store_writes_no_backup(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    Store.open(db).close()
    assert files_beside(db) == ["q.db"]
    Store.open(db).close()
    assert files_beside(db) == ["q.db"]
    assert rows(db, "PRAGMA user_version") == [(schema_version(),)]


def test_a_store_in_a_new_nested_directory_is_made_with_its_parents(tmp_path: Path) -> None:
    db = tmp_path / "a" / "b" / "q.db"
    with Store.open(db) as s:
        assert s.review_count() == 0
    with Store.open(db) as s:  # the directory exists now
        assert s.review_count() == 0


def test_a_backup_that_cannot_be_written_stops_the_migration_before_any_change(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    shutil.copy(DATA / "v1.db", db)
    before = db.read_bytes()
    backup_path(db, 1).mkdir()  # a directory where the backup file should go
    with pytest.raises(StoreError, match="cannot write a backup before migrating"):
        Store.open(db)
    assert rows(db, "PRAGMA user_version") == [(1,)]
    assert db.read_bytes() == before


def test_a_failing_migration_step_leaves_the_old_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = current_store_with_one_more_step(
        tmp_path, monkeypatch, "ALTER TABLE cards ADD COLUMN note TEXT;\nALTER TABLE no_such_table ADD COLUMN x;"
    )
    with pytest.raises(StoreError):
        Store.open(db)
    assert rows(db, "PRAGMA user_version") == [(schema_version() - 1,)]
    assert "note" not in {r[1] for r in rows(db, "PRAGMA table_info(cards)")}  # the first statement rolled back
    monkeypatch.undo()
    with Store.open(db) as s:  # and the file is still usable
        assert s.review_count() == 0


def test_a_last_migration_statement_without_a_semicolon_still_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = current_store_with_one_more_step(
        tmp_path, monkeypatch, "ALTER TABLE cards ADD COLUMN note TEXT;\nALTER TABLE cards ADD COLUMN tag TEXT\n"
    )
    Store.open(db).close()
    assert {"note", "tag"} <= {r[1] for r in rows(db, "PRAGMA table_info(cards)")}
    assert rows(db, "PRAGMA user_version") == [(schema_version(),)]


def test_a_migration_another_process_already_made_is_not_made_twice(tmp_path: Path) -> None:
    """Two processes open an old file at once: the second re-reads the version under the write lock."""
    db = tmp_path / "q.db"
    shutil.copy(DATA / "v1.db", db)
    Store.open(db).close()  # the first process migrated it
    events = rows(db, "SELECT id FROM events ORDER BY seq")
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        database._migrate(conn, db, 1)  # the second one had read version 1 before that
        assert not conn.in_transaction
        assert conn.execute("SELECT id FROM events ORDER BY seq").fetchall() == events
    finally:
        conn.close()
    assert rows(db, "PRAGMA user_version") == [(schema_version(),)]


# -- files that are not ours ------------------------------------------------------------------------


def test_a_foreign_database_with_a_user_version_is_refused_untouched(tmp_path: Path) -> None:
    """Other programs set ``user_version`` too: one at 1 or 2 without our tables is not ours to migrate."""
    for version in (1, 2):
        path = tmp_path / str(version) / "other.db"
        path.parent.mkdir()
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE notes (x)")
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()
        conn.close()
        before = path.read_bytes()
        with pytest.raises(StoreError, match="not a quizforge database"):
            Store.open(path)
        assert path.read_bytes() == before
        assert files_beside(path) == ["other.db"]


def test_an_empty_file_at_version_0_becomes_a_store(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    db.touch()
    with Store.open(db) as s:
        assert s.review_count() == 0
    assert rows(db, "PRAGMA journal_mode") == [("wal",)]


def test_a_locked_file_is_reported_as_locked_not_as_corrupt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process holding the file: the error names the lock (the disk has room: no disk-full hint)."""
    db = tmp_path / "q.db"
    Store.open(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO settings (key, value) VALUES ('held', '1')")
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 50)  # the real 10 s wait would only slow the test
    try:
        with pytest.raises(StoreError) as info:
            Store.open(db)
        assert str(info.value) == f"{db}: cannot open the database (database is locked)"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store.open(db) as s:
        assert s.get_value("held") is None


def deny(monkeypatch: pytest.MonkeyPatch, denied: Path, bits: int) -> None:
    """Act as a user who lacks the permission ``bits`` on ``denied`` (the tests run as root, whom the kernel
    lets write anywhere): ``os.access`` answers no when asked for any of them."""
    real = os.access

    def access(path: str | os.PathLike[str], mode: int) -> bool:
        if Path(path) == denied and mode & bits:
            return False
        return real(path, mode)

    monkeypatch.setattr(os, "access", access)


@pytest.mark.parametrize("bits", [os.W_OK, os.X_OK])
def test_a_data_dir_the_user_cannot_write_or_enter_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bits: int
) -> None:
    deny(monkeypatch, tmp_path, bits)
    with pytest.raises(StoreError, match="the data directory is not writable"):
        Store.open(tmp_path / "q.db")
    assert files_beside(tmp_path / "q.db") == []


@pytest.mark.parametrize("bits", [os.R_OK, os.W_OK])
def test_a_database_file_the_user_cannot_read_or_write_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bits: int
) -> None:
    db = tmp_path / "q.db"
    Store.open(db).close()
    deny(monkeypatch, db, bits)
    with pytest.raises(StoreError, match="the database file is not readable and writable"):
        Store.open(db)


def test_a_store_is_shared_between_threads(tmp_path: Path) -> None:
    """The TUI's workers read and write through the store the app opened (one connection, one lock)."""
    with Store.open(tmp_path / "q.db") as s:
        errors: list[BaseException] = []

        def work() -> None:
            try:
                s.record_review(Review("r1", "q", 3, datetime(2026, 3, 1, tzinfo=UTC)), Card("q"))
                assert s.review_count() == 1
            except BaseException as exc:  # handed to the main thread's assert
                errors.append(exc)

        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
        assert errors == []
        assert [r.id for r in s.reviews()] == ["r1"]


def test_a_database_that_cannot_use_wal_is_refused_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite keeps an in-memory database in "memory" journal mode: no WAL, so no store."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError, match=r"cannot switch to WAL mode \(got memory\)"):
        Store.open(Path(":memory:"))


# -- the one-line errors, word for word: the file, what is wrong, and SQLite's or the OS's reason -------


def open_error(path: Path) -> str:
    with pytest.raises(StoreError) as info:
        Store.open(path)
    return str(info.value)


def test_each_refusal_names_the_file_and_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a_file").write_text("x", encoding="utf-8")
    made = open_error(tmp_path / "a_file" / "sub" / "q.db")
    assert made.startswith(f"{tmp_path / 'a_file' / 'sub'}: cannot create the data directory ([Errno ")
    assert made.endswith(")")

    assert open_error(tmp_path) == f"{tmp_path}: cannot open the database (unable to open database file)"

    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not a database" * 100)
    assert open_error(corrupt) == f"{corrupt}: unreadable or corrupt database (file is not a database)"

    newer = tmp_path / "newer.db"
    Store.open(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {schema_version() + 1}")
    conn.close()
    expected = f"written by a newer quizforge (schema {schema_version() + 1}, this version knows {schema_version()})"
    assert open_error(newer) == f"{newer}: {expected}"

    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    assert open_error(foreign) == f"{foreign}: not a quizforge database (it has tables but no quizforge schema)"
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    assert open_error(foreign) == f"{foreign}: not a quizforge database"

    monkeypatch.chdir(tmp_path)
    assert open_error(Path(":memory:")) == ":memory:: cannot switch to WAL mode (got memory)"

    old = tmp_path / "old" / "q.db"
    old.parent.mkdir()
    shutil.copy(DATA / "v1.db", old)
    backup_path(old, 1).mkdir()
    backup = open_error(old)
    assert backup.startswith(f"{old}: cannot write a backup before migrating (") and backup.endswith(")")

    deny(monkeypatch, newer, os.W_OK)
    assert open_error(newer) == f"{newer}: the database file is not readable and writable"
    deny(monkeypatch, tmp_path / "old", os.W_OK)
    expected = "the data directory is not writable (use --data-dir to choose another)"
    assert open_error(old) == f"{tmp_path / 'old'}: {expected}"
