"""Sync through a folder, the cases mutation testing (`benchmarks/mutation.py study.sync`) found untested: what
counts as another device's file, what a second sync sends and reads, line numbers in errors after an
incremental read, a replaced or non-UTF-8 file, the header written once, the remembered state, and the
automatic-sync setting file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizforge.store import Store
from quizforge.store.models import EventKind
from quizforge.study.sync import AUTO_FILE, SyncError, auto_folder, set_auto_folder, sync

OTHER = "0b6f7c1e-3f1a-4c55-9d8e-5a1f2b7c9e41.jsonl"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "shared"
    path.mkdir()
    return path


def open_store(root: Path, name: str) -> Store:
    return Store.open(root / name / "quizforge.db")


def lines_of(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_sent_counts_and_a_second_sync_sends_and_receives_nothing(tmp_path: Path, folder: Path) -> None:
    with open_store(tmp_path, "a") as a:
        for i in range(3):
            a.add_event(EventKind.DRILL_ATTEMPT, f"d{i}", {"passed": True})
        first = sync(a, folder)
        assert (first.sent, first.received, first.devices) == (3, None, 0)
        again = sync(a, folder)
        assert (again.sent, again.received) == (0, None)
        a.add_event(EventKind.DRILL_ATTEMPT, "d9", {"passed": False})
        assert sync(a, folder).sent == 1
        own = lines_of(folder / f"{a.device}.jsonl")
    assert [line["type"] for line in own] == ["header"] + ["event"] * 4  # one header, each event once


def test_only_device_files_of_other_devices_are_read(tmp_path: Path, folder: Path) -> None:
    with open_store(tmp_path, "b") as b:
        b.set_settings(new_per_day=9)
        sync(b, folder)
        content = (folder / f"{b.device}.jsonl").read_bytes()
    for name in (f"{OTHER}.bak", OTHER.upper(), "notes.jsonl", "x" + OTHER):
        (folder / name).write_bytes(content)
    (folder / "1b6f7c1e-3f1a-4c55-9d8e-5a1f2b7c9e41.jsonl").mkdir()  # a folder with a device file's name
    with open_store(tmp_path, "a") as a:
        summary = sync(a, folder)
        assert summary.devices == 1 and summary.received is not None
        assert a.settings().new_per_day == 9
        # copies under other names change nothing: without b's file, nothing arrives
    with open_store(tmp_path, "c") as c:
        (folder / f"{b.device}.jsonl").rename(folder / "renamed.txt")
        before = c.settings().new_per_day
        summary = sync(c, folder)
        assert summary.devices == 0  # a sent nothing, so wrote no file
        assert c.settings().new_per_day == before


def test_an_error_names_the_line_counted_from_the_start_after_an_incremental_read(tmp_path: Path, folder: Path) -> None:
    other = folder / OTHER
    with open_store(tmp_path, "b") as b:
        b.set_settings(new_per_day=9)
        b.set_settings(new_per_day=10)
        sync(b, folder)
        (folder / f"{b.device}.jsonl").rename(other)
    n = len(other.read_text(encoding="utf-8").splitlines())
    with open_store(tmp_path, "a") as a:
        assert sync(a, folder).received is not None
        assert a.settings().new_per_day == 10
        with other.open("a", encoding="utf-8") as f:
            f.write("\n{not json\n")
        with pytest.raises(SyncError, match=f"{OTHER}:{n + 2}: "):
            sync(a, folder)


def test_a_replaced_shorter_file_is_read_again_from_its_start(tmp_path: Path, folder: Path) -> None:
    other = folder / OTHER
    with open_store(tmp_path, "b") as b:
        for i in range(5):
            b.add_event(EventKind.DRILL_ATTEMPT, f"d{i}", {"passed": True})
        sync(b, folder)
        (folder / f"{b.device}.jsonl").rename(other)
    with open_store(tmp_path, "c") as c:
        c.set_settings(new_per_day=7)
        sync(c, tmp_path / "c")  # into its own data dir: a short file with c's device header
        short = (tmp_path / "c" / f"{c.device}.jsonl").read_bytes()
    with open_store(tmp_path, "a") as a:
        sync(a, folder)
        assert other.stat().st_size > len(short)
        other.write_bytes(short)  # a restore: the same name, a shorter file
        got = sync(a, folder).received
        assert got is not None and got.events_added == 1
        assert a.settings().new_per_day == 7


def test_a_byte_order_mark_is_accepted_and_other_encodings_refused(tmp_path: Path, folder: Path) -> None:
    other = folder / OTHER
    with open_store(tmp_path, "b") as b:
        b.set_settings(new_per_day=9)
        sync(b, folder)
        content = (folder / f"{b.device}.jsonl").read_bytes()
        (folder / f"{b.device}.jsonl").unlink()
    other.write_bytes(b"\xef\xbb\xbf" + content)  # written by an editor that adds a BOM
    with open_store(tmp_path, "a") as a:
        sync(a, folder)
        assert a.settings().new_per_day == 9
    other.write_bytes(content.replace(b'"header"', b'"h\xe9ader"'))
    with open_store(tmp_path, "c") as c, pytest.raises(SyncError, match="not UTF-8"):
        sync(c, folder)


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with open_store(tmp_path, "a") as a, pytest.raises(SyncError, match="no such folder"):
        sync(a, tmp_path / "nowhere")


def test_non_ascii_text_is_written_as_utf8(tmp_path: Path, folder: Path) -> None:
    with open_store(tmp_path, "a") as a:
        a.add_event(EventKind.DRILL_ATTEMPT, "注意力", {"passed": True})
        sync(a, folder)
        raw = (folder / f"{a.device}.jsonl").read_bytes()
    assert "注意力".encode() in raw


def test_the_state_remembers_what_was_sent_per_folder(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    with open_store(tmp_path, "a") as a:
        a.add_event(EventKind.DRILL_ATTEMPT, "d0", {"passed": True})
        assert sync(a, one).sent == 1
        assert sync(a, two).sent == 1  # another folder: everything again
        assert sync(a, one).sent == 0
    with open_store(tmp_path, "a") as a:  # kept in the database
        assert sync(a, one).sent == 0 and sync(a, two).sent == 0


def test_a_cut_own_file_is_sent_again(tmp_path: Path, folder: Path) -> None:
    with open_store(tmp_path, "a") as a:
        for i in range(3):
            a.add_event(EventKind.DRILL_ATTEMPT, f"d{i}", {"passed": True})
        sync(a, folder)
        own = folder / f"{a.device}.jsonl"
        whole = own.read_bytes()
        own.write_bytes(whole[: whole.index(b"\n") + 1])  # only the header is left
        assert sync(a, folder).sent == 3
        assert len(lines_of(own)) == 4


def test_auto_folder_setting(tmp_path: Path, folder: Path) -> None:
    assert auto_folder(tmp_path) is None
    set_auto_folder(tmp_path, folder / ".." / "shared")
    assert auto_folder(tmp_path) == folder.resolve()
    assert not (tmp_path / (AUTO_FILE + ".part")).exists()
    (tmp_path / AUTO_FILE).write_text('{"folder": 3}', encoding="utf-8")
    assert auto_folder(tmp_path) is None
    for damaged in ("{", "[1]"):
        (tmp_path / AUTO_FILE).write_text(damaged, encoding="utf-8")
        with pytest.raises(SyncError, match="unreadable"):
            auto_folder(tmp_path)
    set_auto_folder(tmp_path, None)
    assert not (tmp_path / AUTO_FILE).exists()
    set_auto_folder(tmp_path, None)  # already off: fine
    with pytest.raises(SyncError, match="cannot write"):
        set_auto_folder(tmp_path / "missing" / "dir", folder)


def test_lines_already_read_are_not_read_again(tmp_path: Path, folder: Path) -> None:
    with open_store(tmp_path, "b") as b:
        b.set_settings(new_per_day=9)
        sync(b, folder)
    with open_store(tmp_path, "a") as a:
        first = sync(a, folder).received
        assert first is not None and first.events_added == 1
        assert sync(a, folder).received is None  # nothing new in b's file: nothing merged, nothing counted
    with open_store(tmp_path, "b") as b:
        b.set_settings(new_per_day=10)
        sync(b, folder)
    with open_store(tmp_path, "a") as a:
        got = sync(a, folder).received
        assert got is not None and (got.events_added, got.events_known) == (1, 0)  # only the new line
