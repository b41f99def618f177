"""Read untrusted YAML into plain values that remember where they came from.

PyYAML's composer is recursive (deep nesting crashes the interpreter) and its safe loader still
expands alias graphs. This module drives libyaml's event parser itself, iteratively, with limits on
size, depth and alias expansion, and records the line and column of every mapping value and list item
so that validation errors can point at them.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 2_000_000  # counting every alias as the size of what it refers to


class YamlError(Exception):
    """A file that cannot be read as bank data; ``line``/``column`` are 1-based (0 when unknown)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


Mark = tuple[int, int]  # 1-based line, column


class MarkedDict(dict[Any, Any]):
    """A mapping with the position of itself, of each key and of each value."""

    mark: Mark = (0, 0)
    key_marks: dict[Any, Mark]
    value_marks: dict[Any, Mark]


class MarkedList(list[Any]):
    """A sequence with the position of itself and of each item."""

    mark: Mark = (0, 0)
    item_marks: list[Mark]


@dataclass
class _Open:
    container: MarkedDict | MarkedList
    anchor: str | None
    nodes_before: int
    pending_key: Any = None
    has_key: bool = False
    key_mark: Mark = (0, 0)


def _mark(event: Any) -> Mark:
    m = event.start_mark
    return (m.line + 1, m.column + 1)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refused (without reading) when it is too large."""
    try:
        info = path.stat()
    except OSError as exc:
        raise YamlError(f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise YamlError("cannot read: Is a directory")
    if not stat.S_ISREG(info.st_mode):
        # a FIFO would block the read forever, /dev/zero would never end
        raise YamlError("cannot read: not a regular file (a pipe, socket or device)")
    size = info.st_size
    if size > MAX_FILE_BYTES:
        raise YamlError(f"file is {size / 1e6:.1f} MB; bank files are limited to {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)  # never more, even if the file grew since the stat
    except OSError as exc:
        raise YamlError(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise YamlError(f"file is over {MAX_FILE_BYTES // (1024 * 1024)} MB; bank files are limited to that")
    return data


def read_text(path: Path) -> str:
    """The file as text, refused when it is too large, binary or not UTF-8."""
    return decode(read_bytes(path))


def decode(data: bytes) -> str:
    """Bank bytes as text, refused when binary, not UTF-8 or empty."""
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise YamlError("binary data (a NUL byte): not a YAML text file", line, 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlError(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", line, 1) from None
    if not text.strip():
        raise YamlError("empty file", 1, 1)
    return text


def parse(text: str) -> Any:
    """Parse one YAML document into plain values (``MarkedDict``/``MarkedList``/scalars).

    Raises:
        YamlError: on a syntax error, an unsafe or unknown tag, more than one document, nesting deeper
            than ``MAX_DEPTH`` or alias expansion beyond ``MAX_NODES``.
    """
    loader = _Loader(text)
    try:
        return _build(loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = str(exc.problem or exc.context)
        if "nesting depth" in problem:
            # libyaml's own limit (1,000 levels) can fire while it scans ahead, before our limit does.
            raise YamlError(f"nested deeper than {MAX_DEPTH} levels", line, col) from None
        raise YamlError(f"invalid YAML: {problem}", line, col) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()


def _scalar(loader: Any, event: Any) -> Any:
    tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit) if event.tag in (None, "!") else event.tag
    constructor = loader.yaml_constructors.get(tag)
    if constructor is None or tag == "tag:yaml.org,2002:timestamp":
        if tag == "tag:yaml.org,2002:timestamp":
            return event.value  # dates are just text in a bank
        raise YamlError(f"unsupported tag {tag!r}", *_mark(event))
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    return constructor(loader, node)


def _build(loader: Any) -> Any:
    stack: list[_Open] = []
    anchors: dict[str, tuple[Any, int]] = {}  # anchor -> (value, node count)
    nodes = 0
    root: Any = None
    documents = 0

    def attach(value: Any, mark: Mark) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        top = stack[-1]
        if isinstance(top.container, MarkedList):
            top.container.append(value)
            top.container.item_marks.append(mark)
        elif not top.has_key:
            if isinstance(value, (dict, list)):
                raise YamlError("a mapping key must be a plain value", *mark)
            top.pending_key, top.has_key, top.key_mark = value, True, mark
        else:
            container = top.container
            key = top.pending_key
            if key in container:
                raise YamlError(f"duplicate key {key!r}", *top.key_mark)
            container[key] = value
            container.key_marks[key] = top.key_mark
            container.value_marks[key] = mark
            top.has_key = False

    while True:
        event = loader.get_event()
        if event is None or isinstance(event, yaml.StreamEndEvent):
            break
        if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentEndEvent)):
            continue
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlError("more than one YAML document in the file", *_mark(event))
            continue
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                raise YamlError(f"unknown alias *{event.anchor}", *_mark(event))
            value, size = anchors[event.anchor]
            nodes += size
            if nodes > MAX_NODES:
                raise YamlError("aliases expand to too many nodes (an alias bomb?)", *_mark(event))
            attach(value, _mark(event))
            continue
        nodes += 1
        if nodes > MAX_NODES:
            raise YamlError(f"more than {MAX_NODES:,} values in one file", *_mark(event))
        if isinstance(event, yaml.ScalarEvent):
            value = _scalar(loader, event)
            if event.anchor:
                anchors[event.anchor] = (value, 1)
            attach(value, _mark(event))
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if event.tag not in (None, "!", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"):
                raise YamlError(f"unsupported tag {event.tag!r}", *_mark(event))
            if len(stack) >= MAX_DEPTH:
                raise YamlError(f"nested deeper than {MAX_DEPTH} levels", *_mark(event))
            container: MarkedDict | MarkedList
            if isinstance(event, yaml.SequenceStartEvent):
                container = MarkedList()
                container.item_marks = []
            else:
                container = MarkedDict()
                container.key_marks, container.value_marks = {}, {}
            container.mark = _mark(event)
            stack.append(_Open(container, event.anchor, nodes))
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            done = stack.pop()
            if done.anchor:
                anchors[done.anchor] = (done.container, nodes - done.nodes_before + 1)
            attach(done.container, done.container.mark)
    return root
