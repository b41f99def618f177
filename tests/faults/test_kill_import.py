"""SIGKILL during `quizforge import` of a large file: all or nothing, earlier history intact, retry idempotent."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from quizforge.store import Store
from tests.conftest import ROOT
from tests.faults.helpers import export, main, make_history, snapshot

N = 30_000


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    file = tmp_path_factory.mktemp("big") / "big.jsonl"
    rng = random.Random(9)
    ids: set[str] = set()
    with file.open("w", encoding="utf-8") as f:
        f.write(json.dumps({"type": "settings", "format": 1, "settings": {"desired_retention": 0.85}}) + "\n")
        for i in range(N):
            rid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            ids.add(rid)
            at = f"2026-02-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00.{i:06d}+00:00"
            row = {"type": "review", "id": rid, "card_id": f"imp{i % 3000}", "rating": 1 + i % 4, "reviewed_at": at}
            f.write(json.dumps({**row, "answer": "x" * (i % 80)}) + "\n")
    return file, ids


# The import, run in a child that stops at a chosen point and says so on stdout, then waits to be
# killed: the kill lands exactly there, with no guess of how long start-up or parsing takes.
# ``Store`` itself is untouched; the child wraps two of its methods the import calls inside its one
# transaction (``merge`` writes the log, ``cache_cards`` the replayed card cache).
CHILD = textwrap.dedent(
    """
    import os, sys
    from quizforge.cli import main
    from quizforge.store import Store

    point, args = sys.argv[1], sys.argv[2:]

    def stop(where):
        os.write(1, f"stopped {where}\\n".encode())
        os.read(0, 1)  # the parent never writes: this blocks until the SIGKILL

    def stop_around(name, when):
        real = getattr(Store, name)

        def wrapped(self, *a, **k):
            if when == "before":
                stop(f"before {name}")
            result = real(self, *a, **k)
            if when == "after":
                stop(f"after {name}")
            return result

        setattr(Store, name, wrapped)

    if point == "start":
        stop("start")
    else:
        when, name = point.split(":")
        stop_around(name, when)
    sys.exit(main(args))
    """
)

# start-up; the transaction open but nothing written; the whole log written, uncommitted; the card
# cache replayed too, just before the commit
KILL_POINTS = ["start", "before:merge", "after:merge", "after:cache_cards"]


def _import_stopped(data: Path, file: Path, point: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, point, "--data-dir", str(data), "import", str(file)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


@pytest.mark.slow
def test_sigkill_during_import_is_all_or_nothing(tmp_path: Path, big_file: tuple[Path, set[str]]) -> None:
    file, imported_ids = big_file
    data = tmp_path / "data"
    earlier = make_history(data, 60)
    # the file also carries the earlier reviews once (a merge of two machines' exports)
    merged = tmp_path / "merged.jsonl"
    merged.write_text(file.read_text() + "".join(export(data).splitlines(keepends=True)[1:]), encoding="utf-8")
    before = snapshot(data)
    wal = data / "quizforge.db-wal"
    outcomes = []
    for point in KILL_POINTS:
        proc = _import_stopped(data, merged, point)
        assert proc.stdout is not None and proc.stdin is not None
        line = proc.stdout.readline()  # the child is at the point now, and stays there
        assert line.startswith("stopped "), (point, line)
        wal_bytes = wal.stat().st_size if wal.exists() else 0
        proc.send_signal(signal.SIGKILL)
        assert proc.wait() == -signal.SIGKILL
        proc.stdout.close()
        proc.stdin.close()
        with Store.open(data / "quizforge.db") as store:
            assert store.integrity_check() == "ok"
            have = {r.id for r in store.reviews()}
        assert set(earlier) <= have
        assert not have & imported_ids, point  # none of it ...
        assert snapshot(data) == before, point  # ... and nothing else changed
        outcomes.append((line.strip(), wal_bytes))
    print(f"\nkilled at (point, WAL bytes then): {outcomes}")
    run = main("--data-dir", str(data), "import", str(merged))
    assert run.code == 0, run.err
    first_retry = snapshot(data)
    run = main("--data-dir", str(data), "import", str(merged))
    assert run.code == 0 and run.out.startswith(f"imported 0 new reviews ({N + len(earlier)} already known)"), run
    assert snapshot(data) == first_retry
    with Store.open(data / "quizforge.db") as store:
        log = {r.id: r for r in store.reviews()}
        assert set(log) == imported_ids | set(earlier)
    # the earlier history is exactly as it was
    assert [line for line in before[0].splitlines()[1:]] == [
        line for line in export(data).splitlines()[1:] if json.loads(line).get("id") in set(earlier)
    ]
