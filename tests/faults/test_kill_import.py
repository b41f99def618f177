"""SIGKILL during `quizforge import` of a large file: all or nothing, earlier history intact, retry idempotent."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from quizforge.store import Store
from tests.faults.helpers import export, main, make_history, quizforge_process, snapshot

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


def _import(data: Path, file: Path) -> subprocess.Popen[bytes]:
    return quizforge_process("--data-dir", str(data), "import", str(file))


@pytest.mark.slow
def test_sigkill_during_import_is_all_or_nothing(tmp_path: Path, big_file: tuple[Path, set[str]]) -> None:
    file, imported_ids = big_file
    data = tmp_path / "data"
    earlier = make_history(data, 60)
    # the file also carries the earlier reviews once (a merge of two machines' exports)
    merged = tmp_path / "merged.jsonl"
    merged.write_text(file.read_text() + "".join(export(data).splitlines(keepends=True)[1:]), encoding="utf-8")
    before = snapshot(data)
    pristine = {f.name: f.read_bytes() for f in data.iterdir() if f.is_file()}
    wal = data / "quizforge.db-wal"
    rng = random.Random(1234)
    outcomes = []
    for attempt in range(6):
        proc = _import(data, merged)
        if attempt % 2 == 0:
            time.sleep(rng.uniform(0.05, 0.8))  # anywhere: start-up, parsing, or writing
        else:
            # mid-transaction: the import's pages are spilling into the WAL, nothing is committed yet
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and proc.poll() is None:
                if wal.exists() and wal.stat().st_size > 1 << 20:
                    break
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.15))
        proc.send_signal(signal.SIGKILL)
        code = proc.wait()
        with Store.open(data / "quizforge.db") as store:
            assert store.integrity_check() == "ok"
            have = {r.id for r in store.reviews()}
        assert set(earlier) <= have
        if have & imported_ids:
            assert imported_ids <= have and len(have) == N + len(earlier)  # all of it
            outcomes.append(("all" if code == -signal.SIGKILL else "finished", attempt % 2))
            for f in data.iterdir():  # start again from before the import
                if f.is_file():
                    f.unlink()
            for name, content in pristine.items():
                (data / name).write_bytes(content)
            continue
        assert snapshot(data) == before  # none of it, and nothing else changed
        outcomes.append(("none", attempt % 2))
    print(f"\nkill outcomes (outcome, mid-write): {outcomes}")
    assert ("none", 1) in outcomes, outcomes  # a kill in the middle of the write left nothing behind
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
