"""A cache of parsed bank files, keyed by a hash of their bytes.

Parsing YAML is the slow part of loading a bank (libyaml reads a 12 MB bank in ~0.7 s, JSON the same
data in ~25 ms), so each file's checked questions are kept as JSON under the data dir. A file whose
bytes, path, strictness or cache format changed is parsed again; nothing is ever trusted from the
cache that the key does not pin down.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizforge.bank.schema import Bank, KeyPoint, Kind, Question, Source, Topic
from quizforge.grading.kinds import AnswerKind, Tolerance
from quizforge.text import Text

if TYPE_CHECKING:
    from quizforge.bank.loader import FileResult

MAX_FILE_BYTES = 16 * 1024 * 1024  # as the loader's own limit (yamlsafe.MAX_FILE_BYTES)
FORMAT = 2  # bump whenever Question, FileResult or the checks change


def _text(t: Text | None) -> list[str] | None:
    return None if t is None else [t.en, t.zh]


def _untext(v: list[str] | None) -> Text | None:
    return None if v is None else Text(v[0], v[1])


def question_to_json(q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "kind": q.kind.value,
        "topic": q.topic,
        "difficulty": q.difficulty,
        "prompt": _text(q.prompt),
        "line": q.source.line,
        "tags": list(q.tags),
        "follow_ups": list(q.follow_ups),
        "answer": _text(q.answer),
        "key_points": [[kp.text.en, kp.text.zh, list(kp.keywords_en), list(kp.keywords_zh)] for kp in q.key_points],
        "choices": [_text(c) for c in q.choices],
        "correct": list(q.correct),
        "explanation": _text(q.explanation),
        "value": list(q.value) if isinstance(q.value, tuple) else q.value,
        "answer_kind": q.answer_kind.value if q.answer_kind else None,
        "tolerance": [q.tolerance.rel, q.tolerance.abs],
        "solution": _text(q.solution),
        "generator": q.generator,
    }


# Enum(value) costs ~5 µs a call, a dict ~50 ns: it adds up over a 10,000-question bank.
_KINDS = {k.value: k for k in Kind}
_ANSWER_KINDS = {k.value: k for k in AnswerKind}


def question_from_json(d: dict[str, Any], path: Path) -> Question:
    kind = _ANSWER_KINDS[d["answer_kind"]] if d["answer_kind"] else None
    value = tuple(d["value"]) if kind == AnswerKind.SHAPE else d["value"]
    return Question(
        id=d["id"],
        kind=_KINDS[d["kind"]],
        topic=d["topic"],
        difficulty=d["difficulty"],
        prompt=_untext(d["prompt"]) or Text(""),
        source=Source(path, d["line"]),
        tags=tuple(d["tags"]),
        follow_ups=tuple(d["follow_ups"]),
        answer=_untext(d["answer"]),
        key_points=tuple(KeyPoint(Text(en, zh), tuple(ke), tuple(kz)) for en, zh, ke, kz in d["key_points"]),
        choices=tuple(Text(c[0], c[1]) for c in d["choices"]),
        correct=tuple(d["correct"]),
        explanation=_untext(d["explanation"]),
        value=value,
        answer_kind=kind,
        tolerance=Tolerance(*d["tolerance"]),
        solution=_untext(d["solution"]),
        generator=d["generator"],
    )


class BankCache:
    """Parsed bank files under ``directory`` (created on first write)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _entry(self, path: Path, data: bytes, strict: bool) -> Path:
        h = hashlib.blake2b(data, digest_size=20)
        h.update(f"\0{path}\0{strict}\0{FORMAT}".encode())
        return self.directory / f"{h.hexdigest()}.json"

    def get(self, path: Path, data: bytes, strict: bool) -> FileResult | None:
        from quizforge.bank.loader import FileResult, Problem

        try:
            raw = json.loads(self._entry(path, data, strict).read_bytes())
            return FileResult(
                questions=[question_from_json(q, path) for q in raw["questions"]],
                problems=[Problem(*p) for p in raw["problems"]],
                marks={qid: {k: (v[0], v[1]) for k, v in m.items()} for qid, m in raw["marks"].items()},
            )
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None  # missing or unreadable: parse the file again

    def put(self, path: Path, data: bytes, strict: bool, result: FileResult) -> None:
        """Store ``result``; a cache that cannot be written is skipped, never an error."""
        payload = {
            "questions": [question_to_json(q) for q in result.questions],
            "problems": [[p.path, p.line, p.column, p.field, p.message] for p in result.problems],
            "marks": result.marks,
        }
        _write_atomically(self._entry(path, data, strict), payload)


def _write_atomically(target: Path, payload: Any) -> None:
    """Write JSON so that a reader never sees half a file; failures are skipped, never errors."""
    with suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(payload, fh, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, target)
        finally:
            with suppress(FileNotFoundError):
                os.unlink(tmp)


class BankSnapshot:
    """The whole loaded bank in one file, keyed by a hash of every bank file's bytes.

    With an unchanged bank, starting quizforge reads one JSON file instead of parsing (or even
    looking up) each file: neither the YAML loader nor the checks are imported.
    """

    def __init__(self, directory: Path) -> None:
        self.path = directory / "snapshot.json"

    @staticmethod
    def key(files: list[Path], catalogues: list[Path], generators: frozenset[str]) -> str | None:
        """A hash of the inputs of a load; ``None`` when a file cannot be read (load it properly)."""
        h = hashlib.blake2b(f"{FORMAT}\0{','.join(sorted(generators))}".encode(), digest_size=20)
        for path in [*catalogues, *files]:
            try:
                info = path.stat()
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
                    return None  # a FIFO, a device or a huge file: the loader refuses it with a message
                data = path.read_bytes()
            except OSError:
                return None
            h.update(f"\0{'catalogue' if path in catalogues else 'bank'}\0{path}\0{len(data)}\0".encode())
            h.update(data)
        return h.hexdigest()

    def get(self, key: str) -> Bank | None:
        try:
            raw = json.loads(self.path.read_bytes())
            if raw["key"] != key:
                return None
            files = [Path(f) for f in raw["files"]]
            questions = {}
            for q in raw["questions"]:
                question = question_from_json(q, files[q["file"]])
                questions[question.id] = question
            topics = {t[0]: Topic(t[0], t[1], Text(t[2], t[3])) for t in raw["topics"]}
            return Bank(topics=topics, questions=questions, files=tuple(files))
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None

    def put(self, key: str, bank: Bank) -> None:
        files = list(dict.fromkeys([*bank.files, *(q.source.path for q in bank)]))
        index = {f: i for i, f in enumerate(files)}
        payload = {
            "key": key,
            "files": [str(f) for f in files],
            "topics": [[t.id, t.area, t.name.en, t.name.zh] for t in bank.topics.values()],
            "questions": [question_to_json(q) | {"file": index[q.source.path]} for q in bank],
        }
        _write_atomically(self.path, payload)
