"""SIGKILL in the middle of `quizforge study --plain`: every review the dialogue moved past is saved."""

from __future__ import annotations

import contextlib
import os
import random
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from quizforge.store import Store
from quizforge.study.exchange import replay_cards
from tests.conftest import ROOT

HEADER = re.compile(r"^\[[^\]]+\] (\S+)$")


@pytest.mark.slow
def test_sigkill_during_plain_study_keeps_every_acknowledged_review(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rng = random.Random(77)
    saved_before: list[str] = []
    for run in range(3):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "quizforge",
                "--data-dir",
                str(data),
                "--lang",
                "en",
                "study",
                "--plain",
                "--new",
                "200",
            ],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("\n\n" * 400)  # reveal, accept the proposed rating; again and again
        proc.stdin.flush()
        target = rng.randint(3, 40)
        shown: list[str] = []
        for line in proc.stdout:
            m = HEADER.match(line.strip())
            if m:
                shown.append(m.group(1))
                if len(shown) > target:
                    break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
        acknowledged = shown[:-1]  # a card header is printed only after the previous rating was saved
        with Store.open(data / "quizforge.db") as store:
            assert store.integrity_check() == "ok"
            log = [r.card_id for r in store.reviews()]
            cached = {c.card_id: repr(c.memory) for c in store.cards()}
            replay_cards(store, list(cached))
            assert {c.card_id: repr(c.memory) for c in store.cards()} == cached  # no half-saved review
        assert log[: len(saved_before)] == saved_before  # earlier runs' reviews intact
        mine = log[len(saved_before) :]
        assert mine[: len(acknowledged)] == acknowledged, (run, acknowledged, mine)
        print(f"run {run}: killed after {len(acknowledged)} acknowledged reviews; {len(mine)} saved")
        saved_before = log
    assert len(saved_before) >= 9
