"""Reliability: killed writers, concurrent writers, unusable files, bank edits. Tests, not promises."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from quizforge import cli
from quizforge.store import Store
from tests.conftest import ROOT, run_cli

WRITER = textwrap.dedent(
    """
    import sys, uuid
    from datetime import datetime, timezone
    from pathlib import Path
    from quizforge.store import Card, Review, Store
    from quizforge.study.scheduling import Scheduling
    store = Store.open(Path(sys.argv[1]))
    sched = Scheduling(store.settings())
    n = int(sys.argv[2])
    tag = sys.argv[3]
    out = open(sys.argv[4], "a", buffering=1)  # a file, not a pipe: a full pipe would pause the writer
    tell_after = int(sys.argv[5]) if len(sys.argv) > 5 else -1  # then one line on stdout: "I am saving"
    for i in range(n):
        rid = str(uuid.uuid4())
        card_id = f"card{i % 50}"
        now = datetime.now(timezone.utc)
        with store.transaction():
            card = store.card(card_id) or Card(card_id)
            store.record_review(
                Review(rid, card_id, 1 + i % 4, now, answer=tag + "x" * (i % 500)),
                sched.apply(card, 1 + i % 4, now, rid),
            )
        out.write(rid + "\\n")
        if i + 1 == tell_after:
            print("saving", flush=True)
    """
)


def spawn(db: Path, n: int, tag: str, out: Path, tell_after: int = -1) -> subprocess.Popen[bytes]:
    """A writer saving ``n`` reviews; after ``tell_after`` of them it prints one line on its stdout (a pipe)."""
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), str(n), tag, str(out), str(tell_after)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE if tell_after > 0 else None,
    )


def returned_ids(out: Path) -> list[str]:
    return [line for line in out.read_text().splitlines() if len(line) == 36]


@pytest.mark.slow
@pytest.mark.parametrize("saves", [20, 300, 2000])
def test_sigkill_while_saving_loses_no_returned_save(tmp_path: Path, saves: int) -> None:
    db = tmp_path / "quizforge.db"
    Store.open(db).close()
    out = tmp_path / "returned.txt"
    out.touch()
    proc = spawn(db, 10_000_000, "k", out, tell_after=saves)
    assert proc.stdout is not None
    assert proc.stdout.readline() == b"saving\n"  # it has returned ``saves`` saves and is saving the next ones
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    returned = returned_ids(out)
    assert len(returned) >= saves
    with Store.open(db) as store:
        assert store.integrity_check() == "ok"
        saved = {r.id for r in store.reviews()}
    assert set(returned) <= saved


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "quizforge.db"
    Store.open(db).close()
    procs = [spawn(db, 3000, tag, tmp_path / f"{tag}.txt") for tag in ("a", "b")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    ids = [set(returned_ids(tmp_path / f"{tag}.txt")) for tag in ("a", "b")]
    assert len(ids[0]) == len(ids[1]) == 3000
    with Store.open(db) as store:
        assert store.integrity_check() == "ok"
        log = store.reviews()
        assert {r.id for r in log} == ids[0] | ids[1]
        assert sum(c.memory.reps for c in store.cards()) == 6000  # no lost update of the card cache


def test_corrupt_database_is_one_line_exit_2_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "quizforge.db"
    db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    before = db.read_bytes()
    for args in (["export"], ["study", "--plain"], ["optimize"]):
        result = run_cli("--data-dir", str(tmp_path), *args, stdin="")
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and "quizforge.db" in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == before


def test_truncated_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "quizforge.db"
    with Store.open(db) as s:
        s.set_settings(new_per_day=3)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = db.read_bytes()
    db.write_bytes(data[:100] + b"\x00" * (len(data) - 100))
    result = run_cli("--data-dir", str(tmp_path), "export")
    assert result.returncode == 2 and result.stderr.count("\n") == 1


def test_read_only_data_dir_is_a_clean_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The tests may run as root, which ignores permission bits: make the check see a read-only dir.
    Store.open(tmp_path / "quizforge.db").close()
    before = (tmp_path / "quizforge.db").read_bytes()
    real_access = os.access
    monkeypatch.setattr(
        "quizforge.store.database.os.access",
        lambda p, mode: False if Path(p) == tmp_path else real_access(p, mode),
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli.main(["--data-dir", str(tmp_path), "export"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not writable" in err
    assert (tmp_path / "quizforge.db").read_bytes() == before
