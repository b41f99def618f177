"""Sync through a folder, the cases mutation testing (`benchmarks/mutation.py study.sync`) found untested: what
counts as another device's file, what a second sync sends and reads, line numbers in errors after an
incremental read, a replaced or non-UTF-8 file, the header written once, the remembered state, and the
automatic-sync setting file."""

from __future__ import annotations

import errno
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quizforge.store import Card, Store
from quizforge.store.models import EventKind, Review
from quizforge.study.sync import _STATE, AUTO_FILE, SyncError, auto_folder, set_auto_folder, sync

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


def events_in(path: Path) -> list[str]:
    return [str(line["id"]) for line in lines_of(path) if line["type"] == "event"]


def send_three_events(store: Store, folder: Path) -> Path:
    """Sync three new events of ``store`` into ``folder``; its own file there."""
    for i in range(3):
        store.add_event(EventKind.DRILL_ATTEMPT, f"d{i}", {"passed": True})
    sync(store, folder)
    return folder / f"{store.device}.jsonl"


def another_device(tmp_path: Path, folder: Path, *, events: int = 0, settings: tuple[int, ...] = ()) -> Path:
    """Another device's file in ``folder``, named ``OTHER``: a header, ``events`` drill attempts, then a line
    per value of ``new_per_day`` in ``settings``."""
    with open_store(tmp_path, "b") as b:
        for i in range(events):
            b.add_event(EventKind.DRILL_ATTEMPT, f"d{i}", {"passed": True})
        for value in settings:
            b.set_settings(new_per_day=value)
        sync(b, folder)
        return (folder / f"{b.device}.jsonl").rename(folder / OTHER)


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
    other = another_device(tmp_path, folder, settings=(9, 10))
    n = len(other.read_text(encoding="utf-8").splitlines())
    with open_store(tmp_path, "a") as a:
        assert sync(a, folder).received is not None
        assert a.settings().new_per_day == 10
        with other.open("a", encoding="utf-8") as f:
            f.write("\n{not json\n")
        with pytest.raises(SyncError, match=f"{OTHER}:{n + 2}: "):
            sync(a, folder)


def test_a_replaced_shorter_file_is_read_again_from_its_start(tmp_path: Path, folder: Path) -> None:
    other = another_device(tmp_path, folder, events=5)
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
        a.add_event(EventKind.DRILL_ATTEMPT, "d1", {"passed": True})
        assert sync(a, two).sent == 1
        a.add_event(EventKind.DRILL_ATTEMPT, "d2", {"passed": True})
        assert sync(a, one).sent == 2  # d1 and d2: one had only d0
        assert sync(a, two).sent == 1
        assert len(events_in(one / f"{a.device}.jsonl")) == 3 == len(events_in(two / f"{a.device}.jsonl"))


def test_a_cut_own_file_is_sent_again(tmp_path: Path, folder: Path) -> None:
    with open_store(tmp_path, "a") as a:
        own = send_three_events(a, folder)
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
    with pytest.raises(SyncError) as err:
        set_auto_folder(tmp_path / "missing" / "dir", folder)
    assert str(err.value) == f"{tmp_path / 'missing' / 'dir' / AUTO_FILE}: cannot write (No such file or directory)"


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


# -- the second round (benchmarks/RESULTS-mutation.md, study/sync.py) ---------------------------------


def test_a_torn_last_line_is_cut_without_losing_the_lines_before_it(tmp_path: Path, folder: Path) -> None:
    with open_store(tmp_path, "a") as a:
        own = send_three_events(a, folder)
        with own.open("ab") as f:
            f.write(b'{"type": "event", "id": "4')  # a sync killed while writing its next line
        a.add_event(EventKind.DRILL_ATTEMPT, "d3", {"passed": False})
        assert sync(a, folder).sent == 1
        assert events_in(own) == [e.id for e in a.events()]  # the three sent before, then the new one
    with open_store(tmp_path, "b") as b:
        sync(b, folder)
        assert sorted(e.key for e in b.events()) == ["d0", "d1", "d2", "d3"]


def test_a_one_byte_torn_tail_is_cut_too(tmp_path: Path, folder: Path) -> None:
    with open_store(tmp_path, "a") as a:
        a.add_event(EventKind.DRILL_ATTEMPT, "d0", {"passed": True})
        sync(a, folder)
        own = folder / f"{a.device}.jsonl"
        with own.open("ab") as f:
            f.write(b"{")
        a.add_event(EventKind.DRILL_ATTEMPT, "d1", {"passed": True})
        sync(a, folder)
        assert events_in(own) == [e.id for e in a.events()]  # every line whole: "{" is gone


def test_a_file_torn_inside_its_header_gets_a_header_again(tmp_path: Path, folder: Path) -> None:
    with open_store(tmp_path, "a") as a:
        own = folder / f"{a.device}.jsonl"
        own.write_bytes(b'{"type": "hea')  # the very first sync was killed while writing the header
        a.add_event(EventKind.DRILL_ATTEMPT, "d0", {"passed": True})
        assert sync(a, folder).sent == 1
        got = lines_of(own)
    assert [line["type"] for line in got] == ["header", "event"]
    assert got[0]["format"] == 2


def test_own_file_errors_name_the_file_and_the_reason(tmp_path: Path, folder: Path) -> None:
    with open_store(tmp_path, "a") as a:
        a.add_event(EventKind.DRILL_ATTEMPT, "d0", {"passed": True})
        own = folder / f"{a.device}.jsonl"
        own.mkdir()  # a folder where the device's file belongs
        with pytest.raises(SyncError) as err:
            sync(a, folder)
        assert str(err.value) == f"{own}: cannot write (Is a directory)"
        own.rmdir()
        own.symlink_to(own)  # a link to itself: its size cannot be read
        with pytest.raises(SyncError) as err:
            sync(a, folder)
        assert str(err.value) == f"{own}: cannot read (Too many levels of symbolic links)"


def test_an_error_in_a_replaced_file_names_its_line_from_one(tmp_path: Path, folder: Path) -> None:
    other = another_device(tmp_path, folder, events=5)
    with open_store(tmp_path, "a") as a:
        sync(a, folder)
        other.write_text('{"type": "header", "format": 2}\n{not json\n', encoding="utf-8")  # shorter: a restore
        with pytest.raises(SyncError, match=f"{OTHER}:2: "):
            sync(a, folder)


def test_a_byte_order_mark_past_the_start_is_refused_as_in_a_whole_read(tmp_path: Path, folder: Path) -> None:
    other = another_device(tmp_path, folder, settings=(9, 10))
    lines = other.read_bytes().splitlines(keepends=True)
    other.write_bytes(b"".join(lines[:2]))  # the header and new_per_day=9
    with open_store(tmp_path, "a") as a:
        sync(a, folder)
        assert a.settings().new_per_day == 9
        with other.open("ab") as f:
            f.write(b"\xef\xbb\xbf" + lines[2])  # a BOM before a later line is not a line of JSON
        with pytest.raises(SyncError, match=f"{OTHER}:3: "):
            sync(a, folder)
        assert a.settings().new_per_day == 9
    with open_store(tmp_path, "c") as c, pytest.raises(SyncError, match=f"{OTHER}:3: "):
        sync(c, folder)  # the same file read whole


def test_a_damaged_or_older_sync_state_is_tolerated(tmp_path: Path, folder: Path) -> None:
    key = str(folder.resolve())
    with open_store(tmp_path, "a") as a:
        a.add_event(EventKind.DRILL_ATTEMPT, "d0", {"passed": True})
        a.set_value(_STATE, {key: "damaged"})
        assert sync(a, folder).sent == 1  # as a first sync
        a.set_value(_STATE, {key: {"sent": a.last_seq(), "read": {}}})  # before "own" was kept
        a.add_event(EventKind.DRILL_ATTEMPT, "d1", {"passed": True})
        assert sync(a, folder).sent == 1
        assert len(events_in(folder / f"{a.device}.jsonl")) == 2


def test_reviews_read_past_the_header_are_not_judged_as_a_format_1_import(tmp_path: Path, folder: Path) -> None:
    """A format-1 file has no flag events, so its import makes leeches itself; a device file's later lines carry
    the other device's flags, and a card it did not make a leech must not become one here."""
    start = datetime(2026, 3, 1, tzinfo=UTC)
    with open_store(tmp_path, "b") as b:
        b.set_settings(new_per_day=9)
        sync(b, folder)
    with open_store(tmp_path, "a") as a:
        sync(a, folder)  # b's header is read now
        a.set_settings(leech_lapses=2)
        sync(a, folder)
    with open_store(tmp_path, "b") as b:  # b reviews before it hears of the lower threshold
        for day, rating in enumerate([3, 3, 3, 1, 3, 1, 3, 1]):
            at = start + timedelta(days=5 * day)
            b.record_review(Review(str(uuid.uuid4()), "c", rating, at), Card("c"))
        sync(b, folder)
        assert not b.card("c").leech  # type: ignore[union-attr]
    with open_store(tmp_path, "a") as a:
        got = sync(a, folder).received
        assert got is not None and got.added == 8
        card = a.card("c")
        assert card is not None and card.memory.lapses >= 2
        assert (card.leech, card.suspended) == (False, False)  # as on b


def test_a_folder_or_file_that_cannot_be_read_is_one_line_naming_it(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Permissions do not stop root (the test machine), so the refusals are raised where the OS would raise them."""
    other = folder / OTHER
    other.write_text('{"type": "header", "format": 2}\n', encoding="utf-8")
    denied = PermissionError(errno.EACCES, "Permission denied")
    real_open = Path.open

    def open_but_other(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == other:
            raise denied
        return real_open(self, *args, **kwargs)

    def no_listing(self: Path) -> Any:
        raise denied

    with open_store(tmp_path, "a") as a:
        monkeypatch.setattr(Path, "open", open_but_other)
        with pytest.raises(SyncError) as err:
            sync(a, folder)
        assert str(err.value) == f"{other}: cannot read (Permission denied)"
        monkeypatch.setattr(Path, "iterdir", no_listing)
        with pytest.raises(SyncError) as err:
            sync(a, folder)
        assert str(err.value) == f"{folder}: cannot read the folder (Permission denied)"
