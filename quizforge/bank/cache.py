"""A cache of parsed bank files, keyed by a hash of their bytes.

Parsing YAML is the slow part of loading a bank (libyaml reads a 12 MB bank in ~0.7 s, JSON the same
data in ~25 ms), so each file's checked questions are kept as JSON under the data dir. A file whose
bytes, path, strictness or cache format changed is parsed again; nothing is ever trusted from the
cache that the key does not pin down.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizforge.bank.registry import schemas, text_from_json, text_to_json
from quizforge.bank.schema import Bank, LazyQuestion, Question, Source, Topic
from quizforge.text import Text

if TYPE_CHECKING:
    from quizforge.bank.loader import FileResult

MAX_FILE_BYTES = 16 * 1024 * 1024  # as the loader's own limit (yamlsafe.MAX_FILE_BYTES)
FORMAT = 4  # bump whenever Question, FileResult or the checks change


def question_to_json(q: Question) -> dict[str, Any]:
    light, texts = schemas()[q.kind].body_to_json(q.body)
    return {
        "id": q.id,
        "kind": q.kind,
        "topic": q.topic,
        "difficulty": q.difficulty,
        "prompt": text_to_json(q.prompt),
        "line": q.source.line,
        "tags": list(q.tags),
        "follow_ups": list(q.follow_ups),
        "body": light,
        "texts": texts,
    }


def question_from_json(d: dict[str, Any], path: Path) -> Question:
    return Question(
        id=d["id"],
        kind=d["kind"],
        topic=d["topic"],
        difficulty=d["difficulty"],
        prompt=text_from_json(d["prompt"]) or Text(""),
        source=Source(path, d["line"]),
        tags=tuple(d["tags"]),
        follow_ups=tuple(d["follow_ups"]),
        body=schemas()[d["kind"]].body_from_json(d["body"], d["texts"]),
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
    """The whole loaded bank for a fast start, keyed by a hash of every bank file's bytes.

    ``snapshot.json`` holds the topics and the light fields of every question (what queues, counts,
    topic filters and follow-up chains need); the texts live in one ``snapshot-<key>-<n>.json`` per
    bank file and are decoded when a question from that file is first shown (:class:`LazyQuestion`).
    With an unchanged bank, neither the YAML loader nor the checks are imported, and a 10,000-question
    bank starts without decoding its 19 MB of text.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / "snapshot.json"

    def _texts_path(self, key: str, index: int) -> Path:
        return self.directory / f"snapshot-{key[:16]}-{index}.json"

    @staticmethod
    def key(files: list[Path], catalogues: list[Path], generators: frozenset[str] | None) -> str | None:
        """A hash of the inputs of a load; ``None`` when a file cannot be read (load it properly)."""
        names = "*" if generators is None else ",".join(sorted(generators))
        h = hashlib.blake2b(f"{FORMAT}\0{','.join(schemas())}\0{names}".encode(), digest_size=20)
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
        # Building ~10 objects per question would set the cyclic GC off again and again as the heap
        # grows (80 of 110 ms on a 10,000-question bank); nothing here makes cycles.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._get(key)
        finally:
            if enabled:
                gc.enable()

    def _get(self, key: str) -> Bank | None:
        try:
            raw = json.loads(self.path.read_bytes())
            if raw["key"] != key:
                return None
            files = [Path(f) for f in raw["files"]]
            fetchers = [self._fetcher(key, i, f) for i, f in enumerate(files)]
            kinds = schemas()
            questions: dict[str, Question] = {}
            for qid, kind, topic, difficulty, file, line, tags, follow_ups, light in raw["questions"]:
                schema = kinds[kind]
                questions[qid] = LazyQuestion.create(
                    {
                        "id": qid,
                        "kind": schema.name,
                        "topic": topic,
                        "difficulty": difficulty,
                        "source": Source(files[file], line),
                        "tags": tuple(tags),
                        "follow_ups": tuple(follow_ups),
                    },
                    light,
                    fetchers[file],
                    schema.body_from_json,
                    schema.keeps_texts,
                    schema.generator_from_json(light),
                )
            topics = {t[0]: Topic(t[0], t[1], Text(t[2], t[3])) for t in raw["topics"]}
            return Bank(topics=topics, questions=questions, files=tuple(files))
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None

    def _fetcher(self, key: str, index: int, source: Path) -> Callable[[str], tuple[Text, Any]]:
        """The texts (prompt, body texts) of the questions of one bank file, read on first use and kept."""
        loaded: dict[str, tuple[Text, Any]] = {}

        def fetch(qid: str) -> tuple[Text, Any]:
            if not loaded:
                loaded.update(self._read_texts(key, index, source))
            return loaded[qid]

        return fetch

    def _read_texts(self, key: str, index: int, source: Path) -> dict[str, tuple[Text, Any]]:
        try:
            raw = json.loads(self._texts_path(key, index).read_bytes())
            return {qid: (text_from_json(prompt) or Text(""), texts) for qid, (prompt, texts) in raw.items()}
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            # the texts file went missing or was damaged: parse the bank file itself again
            from quizforge.bank.loader import parse_file
            from quizforge.bank.yamlsafe import read_bytes

            result = parse_file(source, read_bytes(source), strict=False)
            kinds = schemas()
            return {q.id: (q.prompt, kinds[q.kind].body_to_json(q.body)[1]) for q in result.questions}

    def put(self, key: str, bank: Bank) -> None:
        files = list(dict.fromkeys([*bank.files, *(q.source.path for q in bank)]))
        index = {f: i for i, f in enumerate(files)}
        texts: list[dict[str, Any]] = [{} for _ in files]
        rows = []
        kinds = schemas()
        for q in bank:
            i = index[q.source.path]
            light, body_texts = kinds[q.kind].body_to_json(q.body)
            rows.append(
                [q.id, q.kind, q.topic, q.difficulty, i, q.source.line, list(q.tags), list(q.follow_ups), light]
            )
            texts[i][q.id] = [text_to_json(q.prompt), body_texts]
        for old in self.directory.glob("snapshot-*.json"):
            if not old.name.startswith(f"snapshot-{key[:16]}-"):
                with suppress(OSError):
                    old.unlink()
        for i, payload in enumerate(texts):
            _write_atomically(self._texts_path(key, i), payload)
        # the index last: a reader that finds it finds the texts it points at
        _write_atomically(
            self.path,
            {
                "key": key,
                "files": [str(f) for f in files],
                "topics": [[t.id, t.area, t.name.en, t.name.zh] for t in bank.topics.values()],
                "questions": rows,
            },
        )
