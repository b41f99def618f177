"""Another process holding the database: a long write lock, and two imports at once."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from quizforge.store import Store
from tests.conftest import ROOT
from tests.faults.helpers import main, make_history, snapshot


def _file(path: Path, n: int, tag: str) -> set[str]:
    ids = set()
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            rid = str(uuid.uuid4())
            ids.add(rid)
            at = f"2026-02-{1 + i % 28:02d}T10:00:00.{i:06d}+00:00"
            f.write(json.dumps({"id": rid, "card_id": f"{tag}{i % 40}", "rating": 1 + i % 4, "reviewed_at": at}) + "\n")
    return ids


def test_a_held_write_lock_is_one_line_exit_2_and_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    make_history(data, 20)
    before = snapshot(data)
    file = tmp_path / "in.jsonl"
    _file(file, 50, "x")
    monkeypatch.setattr("quizforge.store.database.BUSY_TIMEOUT_MS", 200)  # do not wait 10 s for the other writer
    other = sqlite3.connect(data / "quizforge.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another quizforge in the middle of a long write
    try:
        run = main("--data-dir", str(data), "import", str(file))
        run.one_line_error("quizforge.db: cannot write", "locked")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert snapshot(data) == before
    run = main("--data-dir", str(data), "import", str(file))
    assert run.code == 0 and run.out.startswith("imported 50 new reviews"), run


@pytest.mark.slow
def test_two_imports_at_once_both_land(tmp_path: Path) -> None:
    data = tmp_path / "data"
    earlier = set(make_history(data, 30))
    ids = [_file(tmp_path / f"{tag}.jsonl", 4000, tag) for tag in ("a", "b")]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "quizforge", "--data-dir", str(data), "import", str(tmp_path / f"{tag}.jsonl")],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for tag in ("a", "b")
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    with Store.open(data / "quizforge.db") as store:
        assert store.integrity_check() == "ok"
        assert {r.id for r in store.reviews()} == earlier | ids[0] | ids[1]
        cached = {c.card_id: repr(c.memory) for c in store.cards()}
        from quizforge.study.exchange import replay_cards

        replay_cards(store, list(cached))
        assert {c.card_id: repr(c.memory) for c in store.cards()} == cached  # the cache is what the log says
