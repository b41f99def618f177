"""Hostile bytes on the stdin of `quizforge study --plain` (a pipe, a script, a screen reader)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizforge.store import Store
from quizforge.store.repository import storable_text
from tests.conftest import ROOT


def _plain(data: Path, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "quizforge", "--data-dir", str(data), "--lang", "en", "study", "--plain", "--new", "3"],
        input=stdin,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "LC_ALL": "C.UTF-8"},
        timeout=60,
    )


@pytest.mark.slow  # a subprocess per case
@pytest.mark.parametrize(
    "answer",
    [b"\xff\xfe\x00garbage", b"caf\xe9", b"\x00" * 100, b"x" * 1_000_000, b"\x1b[2J\x1b]0;title\x07", b"\r\r\r"],
    ids=["invalid-utf8", "latin-1", "nul", "1-mb-line", "escapes", "carriage-returns"],
)
def test_any_bytes_on_stdin_are_saved_not_a_traceback(answer: bytes, tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = _plain(data, answer + b"\n\n" + b"\n\n" * 4)
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    assert b"Traceback" not in result.stderr
    with Store.open(data / "quizforge.db") as store:
        reviews = store.reviews()
        assert store.integrity_check() == "ok"
    assert len(reviews) >= 3
    assert all(r.answer.encode("utf-8") is not None for r in reviews)  # stored as valid text
    first = reviews[0].answer  # the first card of the shipped bank is a concept card: the attempt is kept
    if answer.isascii() and b"\r" not in answer:
        assert first == answer.decode()
    elif answer.startswith((b"\xff", b"caf")):
        assert "\ufffd" in first


def test_storable_text_keeps_what_it_can() -> None:
    assert storable_text("ok 长") == "ok 长"
    assert storable_text(b"caf\xe9".decode("utf-8", "surrogateescape")) == "caf\ufffd"
    assert storable_text("\ud800x") == "?x"
