"""Shared helpers for the fault suite: a store with history, an in-process CLI run, snapshots."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizforge import cli
from quizforge.store import Card, Review, Store
from quizforge.study.scheduling import Scheduling
from tests.conftest import ROOT

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass
class Run:
    code: int
    out: str
    err: str

    def one_line_error(self, *fragments: str) -> None:
        """Exit 2, exactly one stderr line containing every fragment, no traceback."""
        assert self.code == 2, (self.code, self.err)
        assert self.err.count("\n") == 1 and self.err.endswith("\n"), self.err
        assert "Traceback" not in self.err + self.out
        for f in fragments:
            assert f in self.err, (f, self.err)


def main(*args: str, stdin: str = "") -> Run:
    """``quizforge ARGS`` in this process (an uncaught exception fails the test like a traceback would)."""
    from quizforge import validation as validate

    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    # validate(out=sys.stdout) binds the stdout of its first import: point it at ours
    defaults = validate.validate.__kwdefaults__
    assert defaults is not None
    old_out = defaults["out"]
    defaults["out"] = out
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as exc:  # argparse
                code = int(exc.code or 0)
    finally:
        sys.stdin = old_stdin
        defaults["out"] = old_out
    return Run(code, out.getvalue(), err.getvalue())


def quizforge_process(*args: str) -> subprocess.Popen[bytes]:
    """``python -m quizforge ARGS`` started in the background (for a test that kills it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "quizforge", *args],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def make_history(data: Path, n: int, *, cards: int = 20, start: datetime = T0) -> list[str]:
    """``n`` reviews over ``cards`` cards, saved the way a study session saves them. Returns their ids."""
    ids: list[str] = []
    with Store.open(data / "quizforge.db") as store:
        sched = Scheduling(store.settings())
        with store.transaction():
            for i in range(n):
                rid = str(uuid.uuid4())
                cid = f"card{i % cards}"
                at = start + timedelta(hours=i)
                card = store.card(cid) or Card(cid)
                store.record_review(
                    Review(rid, cid, 1 + i % 4, at, answer=f"a{i}"), sched.apply(card, 1 + i % 4, at, rid)
                )
                ids.append(rid)
    return ids


def export(data: Path) -> str:
    """The whole review log and settings as an export (the user-visible state)."""
    run = main("--data-dir", str(data), "export")
    assert run.code == 0, run.err
    return run.out


def snapshot(data: Path) -> tuple[str, list[str]]:
    """Export plus the card cache rows: equal snapshots mean nothing was altered."""
    with Store.open(data / "quizforge.db") as store:
        cards = [repr(c) for c in store.cards()]
    return export(data), cards


def review_line(**kw: object) -> str:
    obj = {"id": str(uuid.uuid4()), "card_id": "card1", "rating": 3, "reviewed_at": "2026-03-01T10:00:00+00:00"}
    obj.update(kw)
    return json.dumps(obj)
