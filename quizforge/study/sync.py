"""Sync through a shared folder (Syncthing, Dropbox, a USB stick): no server, one file per device.

Each device appends the events it has not yet sent to ``DIR/<device-id>.jsonl`` (the export format:
a header line, then review and event lines) and merges the complete lines that the other devices'
files gained since its last sync. Only the owner ever writes a file, so devices never fight over one.

- A half-written last line (the other device, or the copier, is still at it) is left for the next sync:
  only lines ending in a newline are read, and the remembered offset stops before it.
- A kill mid-write leaves a torn last line in the device's own file; the next sync cuts it off before
  appending, and sends again what the killed sync had not recorded as sent (the union by id makes a
  line sent twice harmless).
- Two processes of one device are serialised by the database's write lock (the whole sync is one
  transaction) and a lock on the device's own file.
- Clock skew needs nothing special: every event carries its own time and the last-writer-wins rules
  compare (time, id), the same on every device.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from quizforge.store import Store
from quizforge.study.exchange import (
    Batch,
    ImportFileError,
    ImportSummary,
    apply,
    event_to_json,
    header,
    parse_lines,
    review_to_json,
)

_STATE = "_sync"  # internal key: per folder, the last sequence number sent and the offsets read
AUTO_FILE = "sync.json"  # in the data dir: {"folder": DIR} to sync on start and on quit (this machine's path)
_LINES_PER_WRITE = 4096  # bounded buffers for a first sync of a long history
_DEVICE_FILE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.jsonl\Z")


class SyncError(Exception):
    """The folder cannot be used, or another device's file is malformed: one line, nothing merged."""


@dataclass(frozen=True)
class SyncSummary:
    sent: int  # reviews and events appended to this device's file
    received: ImportSummary | None  # what the other devices' new lines changed here (None: nothing new)
    devices: int  # other devices' files in the folder


def auto_folder(data_dir: Path) -> Path | None:
    """The folder set with ``quizforge sync DIR --auto`` for this data dir, or ``None``.

    The setting is a file beside the database, not a logged setting: the folder's path belongs to
    this machine and must not travel to the others.

    Raises:
        SyncError: the file is unreadable or damaged.
    """
    path = data_dir / AUTO_FILE
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get("folder")
    except FileNotFoundError:
        return None
    except (OSError, ValueError, AttributeError) as exc:
        raise SyncError(f"{path}: unreadable ({exc}); run `quizforge sync DIR --auto` again") from None
    return Path(value) if isinstance(value, str) else None


def set_auto_folder(data_dir: Path, folder: Path | None) -> None:
    """Sync with ``folder`` on start and on quit from now on (``None``: stop)."""
    path = data_dir / AUTO_FILE
    try:
        if folder is None:
            path.unlink(missing_ok=True)
            return
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(json.dumps({"folder": str(folder.resolve())}) + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise SyncError(f"{path}: cannot write ({exc.strerror or exc})") from None


def sync(store: Store, folder: Path) -> SyncSummary:
    """Send this device's new events to ``folder`` and merge the other devices' new ones.

    Raises:
        SyncError: the folder is missing or not writable, or another device's file has a malformed or
            newer-format line (named ``FILE:LINE``); nothing was merged and nothing is marked as read.
    """
    if not folder.is_dir():
        raise SyncError(f"{folder}: no such folder (create it, or mount the shared drive)")
    own = folder / f"{store.device}.jsonl"
    key = str(folder.resolve())
    with store.transaction():
        everything = store.get_value(_STATE)
        state: dict[str, Any] = everything if isinstance(everything, dict) else {}
        mine = state.get(key) if isinstance(state.get(key), dict) else None
        sent = int(mine["sent"]) if mine else 0
        read: dict[str, list[int]] = dict(mine["read"]) if mine else {}
        written = int(mine.get("own", 0)) if mine else 0
        if _size(own) < written:
            sent = 0  # our file was deleted or cut short (a restore, a cleanup): send everything again
        batch = Batch(legacy=False)
        others = sorted(p for p in _listdir(folder) if _DEVICE_FILE.match(p.name) and p.name != own.name)
        for path in others:
            read[path.name] = _read_new_lines(path, read.get(path.name), batch)
        reviews, events, top = store.since(sent)
        if reviews or events:
            _append(own, [review_to_json(r) for r in reviews] + [event_to_json(e) for e in events])
        received = apply(store, batch) if batch.reviews or batch.events else None
        new_state = {"sent": max(top, store.last_seq()), "read": read, "own": _size(own)}
        if new_state != mine:
            state[key] = new_state
            store.set_value(_STATE, state)
    return SyncSummary(len(reviews) + len(events), received, len(others))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0
    except OSError as exc:
        raise SyncError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _listdir(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_file()]
    except OSError as exc:
        raise SyncError(f"{folder}: cannot read the folder ({exc.strerror or exc})") from None


def _read_new_lines(path: Path, mark: list[int] | None, batch: Batch) -> list[int]:
    """Add the complete lines past ``mark`` (``[byte offset, lines before it]``) to ``batch``; the new mark."""
    offset, number = (mark[0], mark[1]) if mark else (0, 0)
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size == offset:
                return [offset, number]  # nothing new: the common case, one stat
            if size < offset:  # the file was replaced (a restore, a reset device): read it again
                offset, number = 0, 0
            f.seek(offset)
            data = f.read()
    except OSError as exc:
        raise SyncError(f"{path}: cannot read ({exc.strerror or exc})") from None
    end = data.rfind(b"\n") + 1  # complete lines only: a half-written last line waits for the next sync
    try:
        text = data[:end].decode("utf-8-sig" if offset == 0 else "utf-8")
    except UnicodeDecodeError:
        raise SyncError(f"{path}: not UTF-8 text") from None
    # Lines end at "\n" only: str.splitlines() would also cut at U+0085 and U+2028, which JSON leaves
    # unescaped inside strings (a plan note, an answer), tearing an event in two.
    lines = [line + "\n" for line in text.split("\n")[:-1]]
    try:
        parse_lines(path, lines, batch, first=number + 1)
    except ImportFileError as exc:
        raise SyncError(str(exc)) from None
    return [offset + end, number + len(lines)]


@contextlib.contextmanager
def _locked(f: BinaryIO) -> Iterator[None]:
    """An exclusive lock on this device's own file (a copy of the data dir syncing at the same time)."""
    try:
        import fcntl
    except ImportError:  # Windows: the database's write lock still serialises this device's processes
        yield
        return
    fcntl.flock(f.fileno(), fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _append(own: Path, objects: list[dict[str, Any]]) -> None:
    """Append lines to this device's file, after cutting off a torn last line a killed sync left."""
    try:
        with own.open("ab+") as f, _locked(f):
            size = f.seek(0, os.SEEK_END)
            if size:
                f.seek(max(0, size - 1))
                if f.read(1) != b"\n":
                    f.seek(0)
                    data = f.read()
                    f.truncate(data.rfind(b"\n") + 1)
                    size = f.seek(0, os.SEEK_END)
            lines = [] if size else [json.dumps(header()) + "\n"]
            lines += [json.dumps(o, ensure_ascii=False) + "\n" for o in objects]
            for i in range(0, len(lines), _LINES_PER_WRITE):
                f.write("".join(lines[i : i + _LINES_PER_WRITE]).encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        raise SyncError(f"{own}: cannot write ({exc.strerror or exc})") from None
