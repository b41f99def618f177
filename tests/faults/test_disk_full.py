"""A full disk while saving reviews and while importing: a clear error, no partial write, usable again later."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizforge.bank import Kind
from quizforge.store import Store, StoreError
from quizforge.study.exchange import replay_cards
from quizforge.study.session import StudySession
from tests.conftest import run_cli
from tests.faults.helpers import export, main, make_history, snapshot
from tests.study.conftest import Clock, make_bank, question, right_answer

BANK = make_bank([question(f"q{i:03d}", Kind.CHOICE, topic=f"t.{i % 5}") for i in range(300)])
LONG = "a, " * 600  # a long typed answer (stored as typed): each review takes real space


def _answer_and_rate(s: StudySession, clock: Clock) -> str:
    p = s.next_card()
    assert p is not None
    clock.advance(seconds=20)
    s.submit(right_answer(p) + " " + LONG)
    return p.card_id


def _log(store: Store) -> list[tuple[str, str]]:
    return [(r.id, repr(r)) for r in store.reviews()]


def _check_failed_save_left_no_trace(store: Store, s: StudySession, card_before: object, saved: int) -> None:
    assert store.integrity_check() == "ok"
    assert store.review_count() == saved
    result = s._result  # the answer is still pending, ready to be rated again
    assert result is not None
    assert result.presented.review_id not in {r.id for r in store.reviews()}
    assert repr(store.card(result.presented.card_id)) == repr(card_before)


def test_sqlite_full_while_rating_is_a_store_error_and_recoverable(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "quizforge.db")
    clock = Clock()
    s = StudySession(store, BANK, now=clock, new_limit=300)
    for _ in range(5):
        _answer_and_rate(s, clock)
        s.rate()
    earlier = _log(store)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now full
    saved = len(earlier)
    with pytest.raises(StoreError) as err:
        for _ in range(300):
            card_id = _answer_and_rate(s, clock)
            card_before = store.card(card_id)
            s.rate()
            saved += 1
    message = str(err.value)
    assert "\n" not in message and "quizforge.db: cannot write" in message and "full" in message
    _check_failed_save_left_no_trace(store, s, card_before, saved)
    assert _log(store)[: len(earlier)] == earlier
    store._conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    review = s.rate().review
    assert store.reviews(review.card_id)[-1].id == review.id and store.review_count() == saved + 1
    _answer_and_rate(s, clock)
    s.rate()
    # the card cache is what the log says
    cached = {c.card_id: repr(c.memory) for c in store.cards()}
    replay_cards(store, list(cached))
    assert {c.card_id: repr(c.memory) for c in store.cards()} == cached
    store.close()


@contextlib.contextmanager
def _capped_connect(monkeypatch: pytest.MonkeyPatch, extra_pages: int) -> Iterator[None]:
    from quizforge.store import repository

    real = repository.connect

    def capped(path: Path) -> sqlite3.Connection:
        conn = real(path)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + extra_pages}")
        return conn

    with monkeypatch.context() as m:
        m.setattr(repository, "connect", capped)
        yield


def _import_file(tmp_path: Path, n: int = 3000) -> Path:
    file = tmp_path / "in.jsonl"
    with file.open("w", encoding="utf-8") as f:
        for i in range(n):
            row = {"id": str(uuid.uuid4()), "card_id": f"imp{i % 300}", "rating": 3, "answer": "y" * 200}
            f.write(json.dumps({**row, "reviewed_at": f"2026-02-01T10:00:00.{i:06d}+00:00"}) + "\n")
    return file


def test_sqlite_full_during_import_is_one_line_exit_2_and_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    make_history(data, 50)
    before = snapshot(data)
    file = _import_file(tmp_path)
    with _capped_connect(monkeypatch, extra_pages=20):
        run = main("--data-dir", str(data), "import", str(file))
    run.one_line_error("quizforge.db: cannot write", "full")
    assert snapshot(data) == before
    with Store.open(data / "quizforge.db") as store:
        assert store.integrity_check() == "ok"
    run = main("--data-dir", str(data), "import", str(file))  # space freed
    assert run.code == 0 and run.out.startswith("imported 3000 new reviews"), run


# -- a real tiny file system -----------------------------------------------------------------------


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill(mnt: Path) -> Path:
    """Take every free byte of the file system ``mnt``."""
    filler = mnt / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 16, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)
    return filler


@pytest.mark.slow
def test_full_tmpfs_while_rating_and_importing(tiny_fs: Path, tmp_path: Path) -> None:
    data = tiny_fs / "data"
    store = Store.open(data / "quizforge.db")
    clock = Clock()
    s = StudySession(store, BANK, now=clock, new_limit=300)
    for _ in range(5):
        _answer_and_rate(s, clock)
        s.rate()
    earlier = _log(store)
    filler = _fill(tiny_fs)
    saved = len(earlier)
    with pytest.raises(StoreError) as err:
        for _ in range(300):
            card_id = _answer_and_rate(s, clock)
            card_before = store.card(card_id)
            s.rate()
            saved += 1
    assert "cannot write" in str(err.value) and "full" in str(err.value)
    _check_failed_save_left_no_trace(store, s, card_before, saved)
    assert _log(store)[: len(earlier)] == earlier
    # the CLI on the full disk: one line, exit 2, nothing written
    before = snapshot(data)
    file = _import_file(tmp_path)
    result = run_cli("--data-dir", str(data), "import", str(file))
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "full" in result.stderr and "corrupt" not in result.stderr and "Traceback" not in result.stderr
    filler.unlink()  # space freed
    assert snapshot(data) == before
    s.rate()
    assert store.review_count() == saved + 1
    store.close()
    result = run_cli("--data-dir", str(data), "import", str(file))
    assert result.returncode == 0 and result.stdout.startswith("imported 3000 new reviews"), result.stderr
    with Store.open(data / "quizforge.db") as store:
        assert store.integrity_check() == "ok" and store.review_count() == saved + 1 + 3000
    assert export(data).count("\n") == saved + 1 + 3000 + 1


def _export_to_full_disk(tiny_fs: Path, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    make_history(data, 3000)
    out = tiny_fs / "backup.jsonl"
    out.write_text("the previous backup\n")
    filler = _fill(tiny_fs)
    run = main("--data-dir", str(data), "export", "--output", str(out))
    run.one_line_error(f"{out}: cannot write (No space left on device)")
    assert out.read_text() == "the previous backup\n"
    filler.unlink()
    return out


def test_export_to_a_full_disk_keeps_the_previous_export(tiny_fs: Path, tmp_path: Path) -> None:
    _export_to_full_disk(tiny_fs, tmp_path)


def test_a_failed_export_leaves_no_part_file(tiny_fs: Path, tmp_path: Path) -> None:
    out = _export_to_full_disk(tiny_fs, tmp_path)
    assert not out.with_name(out.name + ".part").exists()


def test_plain_study_on_a_full_disk_is_one_line_exit_2(tiny_fs: Path) -> None:
    data = tiny_fs / "data"
    answers = "a\n\n" * 3 + "x" * 1900 + "\n\n"
    run = main("--data-dir", str(data), "study", "--plain", "--new", "3", stdin=answers)
    assert run.code == 0, run.err
    earlier = export(data)
    assert earlier.count("\n") >= 2
    filler = _fill(tiny_fs)
    run = main("--data-dir", str(data), "study", "--plain", "--new", "300", stdin=("1" * 1999 + "\n\n") * 300)
    # SQLite needs room for its shared-memory file even to open: the error may come at open or at a save
    run.one_line_error("quizforge.db: cannot ", "full")
    assert "corrupt" not in run.err  # a full disk is not a damaged database
    filler.unlink()
    after = export(data)
    assert after.startswith(earlier.rstrip("\n").split("\n", 1)[0])  # same settings line
    assert set(earlier.splitlines()[1:]) <= set(after.splitlines()[1:])  # every earlier review intact
    with Store.open(data / "quizforge.db") as store:
        assert store.integrity_check() == "ok"
        cached = {c.card_id: repr(c.memory) for c in store.cards()}
        replay_cards(store, list(cached))
        assert {c.card_id: repr(c.memory) for c in store.cards()} == cached  # no half-saved review
    run = main("--data-dir", str(data), "study", "--plain", "--new", "1", stdin="a\n\n")
    assert run.code == 0, run.err


def test_a_failed_undo_can_be_retried(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "quizforge.db")
    clock = Clock()
    s = StudySession(store, BANK, now=clock, new_limit=10)
    _answer_and_rate(s, clock)
    saved = s.rate()
    store._conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(tmp_path / "quizforge.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the write cannot happen now
    try:
        with pytest.raises(StoreError):
            s.undo()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.review_count() == 1  # the failed undo changed nothing ...
    try:
        assert s.undo() is not None  # ... and can be tried again
        assert saved.review.id not in {r.id for r in store.reviews()}
    finally:
        store.close()
