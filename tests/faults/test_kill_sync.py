"""SIGKILL during `quizforge sync`: while it writes its own file, and while it merges another device's.

The kills are synchronised on what the sync leaves on disk (its file has started to grow; the
database's WAL has grown past a megabyte), not on sleeps. Whatever the kill interrupted, both stores
stay consistent and the next syncs bring them to the same state.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from quizforge.store import Store
from tests.faults.helpers import main, make_history, quizforge_process, snapshot

N = 20_000


def _sync(data: Path, folder: Path) -> subprocess.Popen[bytes]:
    return quizforge_process("--data-dir", str(data), "sync", str(folder))


def _kill_when(proc: subprocess.Popen[bytes], marker: Callable[[], bool]) -> int:
    """SIGKILL ``proc`` as soon as ``marker()`` holds (or when it ends by itself); its exit code."""
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline and not marker():
        time.sleep(0.001)  # polling the marker, not waiting for a guessed moment
    proc.send_signal(signal.SIGKILL)
    return proc.wait()


def _device(data: Path) -> str:
    with Store.open(data / "quizforge.db") as s:
        return s.device


def _log(data: Path) -> tuple[list[str], list[str]]:
    with Store.open(data / "quizforge.db") as s:
        assert s.integrity_check() == "ok"
        return sorted(r.id for r in s.reviews()), sorted(e.id for e in s.events())


@pytest.mark.slow
def test_sigkill_while_writing_or_merging_leaves_both_stores_consistent(tmp_path: Path) -> None:
    a, b, folder = tmp_path / "a", tmp_path / "b", tmp_path / "shared"
    folder.mkdir()
    make_history(a, N, cards=500)
    make_history(b, 30, cards=10)
    own = folder / f"{_device(a)}.jsonl"
    before_a = snapshot(a)

    # 1. a is killed while appending its 20,000 reviews to its own file
    code = _kill_when(_sync(a, folder), lambda: own.exists() and own.stat().st_size > 0)
    written = own.stat().st_size if own.exists() else 0
    print(f"\nkill while writing: exit {code}, {written} bytes of the own file written")
    assert snapshot(a) == before_a  # its log and cards are untouched (the sync state is internal)

    # 2. b is killed while merging a's file (its transaction spills into the WAL)
    assert main("--data-dir", str(a), "sync", str(folder)).code == 0  # a's file is complete now
    before_b = snapshot(b)
    wal = b / "quizforge.db-wal"
    code = _kill_when(_sync(b, folder), lambda: wal.exists() and wal.stat().st_size > 1 << 20)
    print(f"kill while merging: exit {code}")
    reviews_b, _ = _log(b)
    if code == -signal.SIGKILL:
        assert snapshot(b) == before_b  # none of a's history half-merged
    else:
        assert len(reviews_b) == N + 30  # it had finished

    # 3. the next syncs bring both to the same log
    for data in (b, a):
        run = main("--data-dir", str(data), "sync", str(folder))
        assert run.code == 0, run.err
    assert _log(a) == _log(b)
    assert len(_log(a)[0]) == N + 30
    with Store.open(a / "quizforge.db") as sa, Store.open(b / "quizforge.db") as sb:
        assert {c.card_id: c.memory for c in sa.cards()} == {c.card_id: c.memory for c in sb.cards()}
    lines = own.read_text(encoding="utf-8").splitlines()
    assert all(line.endswith("}") for line in lines)  # no torn line left behind
