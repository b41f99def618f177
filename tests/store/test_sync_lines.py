"""Sync reads a device file line by line at "\\n" only: text inside an event may hold any other line
separator (U+0085, U+2028, U+2029, a lone CR is escaped by JSON) and must arrive whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizforge.study.sync import sync
from tests.store.test_events import open_store


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\x1c"])
def test_events_with_unicode_line_separators_sync_whole(tmp_path: Path, separator: str) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    note = f"first{separator}second"
    with open_store(tmp_path, "a") as a:
        a.add_event("plan.set", "", {"note": note})
        a.set_settings(language="zh")
        sync(a, folder)
    with open_store(tmp_path, "b") as b:
        sync(b, folder)
        plans = [e for e in b.events() if e.kind == "plan.set"]
        assert [e.data["note"] for e in plans] == [note]
        assert b.settings().language == "zh"
        sync(b, folder)  # and again: nothing new, nothing torn
        assert [e.data["note"] for e in b.events() if e.kind == "plan.set"] == [note]
