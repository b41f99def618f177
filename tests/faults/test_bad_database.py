"""Unusable database files through the CLI: one line naming the problem, exit 2, the file untouched."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from quizforge.store import Store
from quizforge.store.database import schema_version
from tests.faults.helpers import export, main, make_history

COMMANDS = [
    ["report"],
    ["report", "--format", "json"],
    ["study", "--plain"],
    ["export"],
    ["optimize"],
    ["import", "{file}"],
]


def _good(data: Path) -> Path:
    make_history(data, 30)
    conn = sqlite3.connect(data / "quizforge.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for extra in ("quizforge.db-wal", "quizforge.db-shm"):
        (data / extra).unlink(missing_ok=True)
    return data / "quizforge.db"


def future(db: Path) -> str:
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {schema_version() + 7}")
    conn.close()
    return f"written by a newer quizforge (schema {schema_version() + 7}, this version knows {schema_version()})"


def corrupt(db: Path) -> str:
    data = bytearray(db.read_bytes())
    data[4096:] = b"\xa5" * (len(data) - 4096)  # every page after the first is garbage
    db.write_bytes(bytes(data))
    return "corrupt"


def truncated(db: Path) -> str:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2 + 1])
    return "corrupt"


def header_only(db: Path) -> str:
    db.write_bytes(db.read_bytes()[:100])
    return "corrupt"


def not_sqlite(db: Path) -> str:
    db.write_bytes(b"this is my shopping list\n" * 100)
    return "corrupt"


def foreign(db: Path) -> str:
    db.unlink()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE notes (x)")
    conn.close()
    return "not a quizforge database"


def directory(db: Path) -> str:
    db.unlink()
    db.mkdir()
    return "quizforge.db"


DAMAGE: dict[str, Callable[[Path], str]] = {
    f.__name__: f for f in (future, corrupt, truncated, header_only, not_sqlite, foreign, directory)
}


def _files(data: Path) -> dict[str, bytes | None]:
    return {p.name: (p.read_bytes() if p.is_file() else None) for p in sorted(data.iterdir()) if p.name != "cache"}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_unusable_database_is_one_line_exit_2_and_untouched(damage: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    db = _good(data)
    fragment = DAMAGE[damage](db)
    before = _files(data)
    good_import = tmp_path / "in.jsonl"
    good_import.write_text('{"type": "settings", "settings": {}}\n')
    for command in COMMANDS:
        args = [a.replace("{file}", str(good_import)) for a in command]
        run = main("--data-dir", str(data), *args)
        run.one_line_error("quizforge.db", fragment)
        assert _files(data) == before, (command, damage)


def test_zero_length_file_is_a_fresh_database(tmp_path: Path) -> None:
    """SQLite reads an empty file as an empty database; there is no progress in it to protect."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "quizforge.db").write_bytes(b"")
    assert export(data).count("\n") == 1
    with Store.open(data / "quizforge.db") as store:
        assert store.integrity_check() == "ok" and store.review_count() == 0


def test_future_schema_with_an_uncheckpointed_wal_is_refused_untouched(tmp_path: Path) -> None:
    data = tmp_path / "data"
    make_history(data, 10)
    conn = sqlite3.connect(data / "quizforge.db")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute(f"PRAGMA user_version = {schema_version() + 1}")
    # keep the WAL: copy the files while this connection is open
    before = _files(data)
    conn.close()
    after_close = _files(data)
    for command in (["report"], ["study", "--plain"], ["export"]):
        main("--data-dir", str(data), *command).one_line_error("written by a newer quizforge")
        assert _files(data) == after_close
    assert before  # the WAL existed while writing


def test_a_garbage_wal_beside_a_good_database_loses_nothing(tmp_path: Path) -> None:
    """A -wal file that is not a WAL (a bad copy, a disk error) is ignored by SQLite: the reviews stay."""
    data = tmp_path / "data"
    db = _good(data)
    expected = export(data)
    for extra in ("quizforge.db-wal", "quizforge.db-shm"):
        (data / extra).unlink(missing_ok=True)
    (data / "quizforge.db-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\xa5" * 50_000)
    assert export(data) == expected
    with Store.open(db) as store:
        assert store.integrity_check() == "ok"


def test_an_io_error_at_open_is_not_called_corruption(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite reports a full disk at open as a "disk I/O error" (it cannot size its -shm file)."""
    from quizforge.store import database

    real = sqlite3.connect

    class Failing:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
            if sql.startswith("PRAGMA journal_mode"):
                raise sqlite3.OperationalError("disk I/O error")
            return self.conn.execute(sql, *args)  # type: ignore[arg-type]

        def close(self) -> None:
            self.conn.close()

    data = tmp_path / "data"
    _good(data)
    before = _files(data)
    monkeypatch.setattr(database.sqlite3, "connect", lambda *a, **k: Failing(real(*a, **k)))
    monkeypatch.setattr(database.shutil, "disk_usage", lambda p: type("U", (), {"free": 0})())
    run = main("--data-dir", str(data), "export")
    run.one_line_error("quizforge.db: cannot open the database: the disk is full (disk I/O error)")
    assert "corrupt" not in run.err
    assert _files(data) == before


def test_garbage_in_the_bank_cache_is_ignored(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = main("--data-dir", str(data), "list", "--topic", "cnn.pool")
    assert first.code == 0
    files = [f for f in (data / "cache").rglob("*") if f.is_file()]
    assert files
    for i, f in enumerate(files):
        f.write_bytes([b"", b"{", b"\xff\xfe", b'{"key": 1}', b"null"][i % 5])
    again = main("--data-dir", str(data), "list", "--topic", "cnn.pool")
    assert again.code == 0 and again.out == first.out and again.err == ""


def test_a_stored_setting_of_the_wrong_type_falls_back_to_its_default(tmp_path: Path) -> None:
    """A hand-edited row, or one stored by an import before imports were checked, must not break studying
    (``day_start_hour`` 30 made every `study` fail with "hour must be in 0..23")."""
    data = tmp_path / "data"
    db = _good(data)
    with Store.open(db) as store:
        store.set_settings(new_per_day=7)  # logged: it travels with an export
    conn = sqlite3.connect(db)  # the hand edits below change the settings cache only (no events)
    bad = {"day_start_hour": "30", "desired_retention": '"high"', "learning_steps_s": '["1m"]', "language": '"fr"'}
    conn.executemany("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", list(bad.items()))
    conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('leech_lapses', '{not json')")
    conn.commit()
    conn.close()
    with Store.open(db) as store:
        s = store.settings()
    assert (s.day_start_hour, s.desired_retention, s.learning_steps_s, s.language) == (4, 0.9, (60, 600), "en")
    assert s.new_per_day == 7  # the good ones are kept
    for command in (["study", "--plain"], ["report"], ["export", "--output", str(tmp_path / "out.jsonl")]):
        run = main("--data-dir", str(data), *command)
        assert run.code == 0, (command, run.err)
    # the export carries the logged settings, not the broken cache rows, so it imports elsewhere
    run = main("--data-dir", str(tmp_path / "other"), "import", str(tmp_path / "out.jsonl"))
    assert run.code == 0 and "settings applied" in run.out, run
    with Store.open(tmp_path / "other" / "quizforge.db") as other:
        assert other.raw_settings() == {"new_per_day": 7}
