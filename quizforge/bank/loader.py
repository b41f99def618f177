"""Load question-bank files into a :class:`Bank`, collecting every problem with its file:line:column.

Loading never stops at the first problem: each file is checked field by field and all problems are
returned together, so an author fixes a file in one pass. A question with a problem is left out of the
bank; the rest load.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizforge.bank.files import TOPICS_FILE, bank_files
from quizforge.bank.registry import schemas
from quizforge.bank.schema import Bank, Question, Source, Topic
from quizforge.bank.yamlsafe import MarkedDict, MarkedList, YamlError, decode, parse, read_bytes, read_text
from quizforge.text import Text

if TYPE_CHECKING:
    from quizforge.bank.cache import BankCache

ID_RE = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")
MAX_TEXT = 20_000


# YAML folding (``>-``) turns each line break into a space, which Chinese does not use: "预训练 的骨干".
# A space between two CJK characters (or CJK punctuation) is dropped; one next to Latin text stays.
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")


def join_cjk_lines(text: str) -> str:
    """``text`` with the spaces that line folding left between two CJK characters removed."""
    return _CJK_GAP.sub("", text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a bank file, printed as ``file:line:column: field: message``."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.field}: {self.message}"


class BankError(Exception):
    """The bank could not be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(str(problems[0]) if problems else "bank error")
        self.problems = list(problems)


class FieldReader:
    """Turns one parsed file into questions, recording problems against its path.

    The typed readers below are what each kind's ``read_body`` reads its own fields with.
    """

    def __init__(self, path: Path, display: str, strict: bool, problems: list[Problem]) -> None:
        self.path = path
        self.display = display
        self.strict = strict
        self.problems = problems

    def problem(self, mark: tuple[int, int], field: str, message: str) -> None:
        self.problems.append(Problem(self.display, mark[0], mark[1], field, message))

    # -- typed field readers; each returns None after recording a problem -------------------------

    def text(self, obj: MarkedDict, key: str, where: str, *, required: bool = True) -> Text | None:
        if key not in obj:
            if required:
                self.problem(obj.mark, f"{where}.{key}", "missing")
            return None
        return self.text_value(obj[key], obj.value_marks[key], f"{where}.{key}")

    def text_value(
        self, value: Any, mark: tuple[int, int], field: str, *, other_keys: frozenset[str] = frozenset()
    ) -> Text | None:
        """A bilingual text field: a plain string, or a mapping ``{en, zh}`` (plus ``other_keys``)."""
        if isinstance(value, str):
            if self.strict:
                self.problem(mark, field, "give both languages: {en: ..., zh: ...}")
            if not value.strip():
                self.problem(mark, field, "empty")
                return None
            return Text(value, value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return Text.same(str(value))
        if not isinstance(value, MarkedDict):
            self.problem(mark, field, f"expected text or {{en, zh}}, got {describe_type(value)}")
            return None
        parts: dict[str, str] = {}
        for lang in ("en", "zh"):
            part = value.get(lang)
            lmark = value.value_marks.get(lang, value.mark)
            if part is None:
                if self.strict:
                    self.problem(value.mark, f"{field}.{lang}", "missing")
                continue
            if isinstance(part, (int, float)) and not isinstance(part, bool):
                part = str(part)
            if not isinstance(part, str):
                self.problem(lmark, f"{field}.{lang}", f"expected text, got {describe_type(part)}")
            elif not part.strip():
                self.problem(lmark, f"{field}.{lang}", "empty")
            elif len(part) > MAX_TEXT:
                self.problem(lmark, f"{field}.{lang}", f"longer than {MAX_TEXT:,} characters")
            else:
                parts[lang] = join_cjk_lines(part.strip()) if lang == "zh" else part.strip()
        for extra in value:
            if extra not in ("en", "zh") and extra not in other_keys:
                self.problem(value.key_marks[extra], f"{field}.{extra}", "unknown field (languages are en, zh)")
        if not parts:
            if not self.strict:
                self.problem(value.mark, field, "needs en or zh")
            return None
        return Text(parts.get("en", ""), parts.get("zh", ""))

    def int_in(self, obj: MarkedDict, key: str, where: str, lo: int, hi: int, default: int | None) -> int | None:
        if key not in obj:
            if default is None:
                self.problem(obj.mark, f"{where}.{key}", "missing")
            return default
        value = obj[key]
        if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
            self.problem(obj.value_marks[key], f"{where}.{key}", f"expected a whole number {lo}..{hi}, got {value!r}")
            return None
        return value

    def str_list(self, obj: MarkedDict, key: str, where: str) -> tuple[str, ...] | None:
        if key not in obj:
            return ()
        value = obj[key]
        if not isinstance(value, MarkedList) or not all(isinstance(v, str) and v for v in value):
            self.problem(obj.value_marks[key], f"{where}.{key}", "expected a list of names")
            return None
        return tuple(value)

    # -- questions ---------------------------------------------------------------------------------

    def question(self, q: Any, index: int, mark: tuple[int, int], file_topic: str | None) -> Question | None:
        where = f"questions[{index}]"
        if not isinstance(q, MarkedDict):
            self.problem(mark, where, f"expected a mapping, got {describe_type(q)}")
            return None
        qid = q.get("id")
        if not isinstance(qid, str) or not ID_RE.match(qid):
            self.problem(
                q.value_marks.get("id", q.mark),
                f"{where}.id",
                "missing" if qid is None else f"{qid!r} is not a lowercase id like conv-1x1-purpose",
            )
            return None
        where = qid
        n_before = len(self.problems)
        kinds = schemas()
        kind_raw = q.get("kind")
        schema = kinds.get(kind_raw) if isinstance(kind_raw, str) else None
        if schema is None:
            self.problem(
                q.value_marks.get("kind", q.mark),
                f"{where}.kind",
                f"expected one of {', '.join(kinds)}, got {kind_raw!r}",
            )
            return None
        allowed = _COMMON | schema.fields
        for key in q:
            if key not in allowed:
                self.problem(q.key_marks[key], f"{where}.{key}", f"not a field of a {schema.name} question")
        topic = q.get("topic", file_topic)
        if not isinstance(topic, str):
            self.problem(
                q.value_marks.get("topic", q.mark), f"{where}.topic", "missing (set it per question or per file)"
            )
        difficulty = self.int_in(q, "difficulty", where, 1, 5, default=None if schema.difficulty_required else 0)
        tags = self.str_list(q, "tags", where)
        follow_ups = self.str_list(q, "follow_ups", where)
        prompt = self.text(q, "prompt", where, required=schema.prompt_required)
        body = schema.read_body(self, q, where)
        if len(self.problems) > n_before:
            return None
        assert isinstance(topic, str) and tags is not None and follow_ups is not None
        return Question(
            id=qid,
            kind=schema.name,
            topic=topic,
            difficulty=difficulty or 0,
            prompt=prompt or Text(""),
            source=Source(self.path, q.mark[0]),
            tags=tags,
            follow_ups=follow_ups,
            body=body,
        )


_COMMON = {"id", "kind", "topic", "difficulty", "tags", "prompt", "follow_ups", "notes"}


def describe_type(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"text {str(value)[:40]!r}"


def display_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_topics(path: Path, problems: list[Problem]) -> dict[str, Topic]:
    """Read a topic catalogue (``topics.yaml``)."""
    display = display_path(path)
    try:
        data = parse(read_text(path))
    except YamlError as exc:
        problems.append(Problem(display, exc.line, exc.column, "topics", exc.message))
        return {}
    checker = FieldReader(path, display, True, problems)
    raw = data.get("topics") if isinstance(data, MarkedDict) else None
    if not isinstance(raw, MarkedList):
        checker.problem(getattr(data, "mark", (1, 1)), "topics", "expected a list of {id, area, en, zh}")
        return {}
    topics: dict[str, Topic] = {}
    for i, (item, mark) in enumerate(zip(raw, raw.item_marks, strict=True)):
        if not isinstance(item, MarkedDict) or not isinstance(item.get("id"), str):
            checker.problem(mark, f"topics[{i}]", "expected {id, area, en, zh}")
            continue
        tid = item["id"]
        if tid in topics:
            checker.problem(mark, f"topics[{i}].id", f"duplicate topic {tid!r}")
            continue
        name = checker.text_value(item, mark, f"topics[{i}]", other_keys=frozenset({"id", "area"}))
        topics[tid] = Topic(tid, str(item.get("area", "")), name or Text(tid, tid))
    return topics


@dataclass
class FileResult:
    """What one bank file yields on its own (before ids, topics and follow-ups are checked across files).

    ``marks`` holds, per question id, the positions of its ``id``, ``topic`` and ``generator`` values,
    for the problems the cross-file checks report.
    """

    questions: list[Question]
    problems: list[Problem]
    marks: dict[str, dict[str, tuple[int, int]]]


def parse_file(path: Path, data: bytes, *, strict: bool) -> FileResult:
    """Check one bank file's bytes and build its questions."""
    problems: list[Problem] = []
    result = FileResult([], problems, {})
    display = display_path(path)
    checker = FieldReader(path, display, strict, problems)
    try:
        doc = parse(decode(data))
    except YamlError as exc:
        problems.append(Problem(display, exc.line, exc.column, "file", exc.message))
        return result
    if not isinstance(doc, MarkedDict) or not isinstance(doc.get("questions"), MarkedList):
        checker.problem(
            getattr(doc, "mark", (1, 1)),
            "questions",
            "expected a mapping with a `questions:` list (and an optional `topic:`)",
        )
        return result
    for key in doc:
        if key not in ("topic", "questions"):
            checker.problem(doc.key_marks[key], key, "unknown top-level field (use topic, questions)")
    file_topic = doc.get("topic")
    if file_topic is not None and not isinstance(file_topic, str):
        checker.problem(doc.value_marks["topic"], "topic", "expected a topic id")
        file_topic = None
    qs: MarkedList = doc["questions"]
    for i, (raw, mark) in enumerate(zip(qs, qs.item_marks, strict=True)):
        q = checker.question(raw, i, mark, file_topic)
        if q is not None:
            result.questions.append(q)
            result.marks[q.id] = {k: raw.value_marks.get(k, raw.mark) for k in ("id", "topic", "generator")}
    return result


def _cross_file_problem(
    q: Question, questions: dict[str, Question], topics: dict[str, Topic], generators: set[str] | None
) -> tuple[str, str] | None:
    """The field and message of what stops ``q`` joining the bank, or ``None``."""
    if q.id in questions:
        other = questions[q.id].source
        return "id", f"duplicate id (first defined at {display_path(other.path)}:{other.line})"
    if topics and q.topic not in topics:
        return "topic", f"unknown topic {q.topic!r}"
    generator = q.generator
    if generators is not None and generator is not None and generator not in generators:
        return "generator", f"unknown generator family {generator!r} (see `quizforge generate --list`)"
    return None


def load_bank(
    paths: Sequence[Path],
    *,
    strict: bool = False,
    topic_catalogues: Sequence[Path] = (),
    known_generators: Iterable[str] | None = None,
    cache: BankCache | None = None,
) -> tuple[Bank, list[Problem]]:
    """Load every bank file under ``paths`` and report every problem found.

    Args:
        paths: Bank files or folders (folders are searched for ``*.yaml``); ``topics.yaml`` files among
            them are read as topic catalogues.
        strict: Also require both languages, explanations and solutions, and 3–6 key points.
        topic_catalogues: Extra ``topics.yaml`` files (the shipped catalogue when loading user banks).
        known_generators: Generator family names; when given, unknown ``generator:`` names are problems.
        cache: Where parsed files are kept by content hash, so an unchanged file is not parsed again.

    Returns:
        The bank (questions with problems are left out) and the sorted list of problems.
    """
    problems: list[Problem] = []
    files = bank_files(paths)
    catalogues = [*(p.resolve() for p in topic_catalogues), *(f for f in files if f.name == TOPICS_FILE)]
    topics: dict[str, Topic] = {}
    for cat in dict.fromkeys(catalogues):
        for tid, topic in load_topics(cat, problems).items():
            topics.setdefault(tid, topic)
    question_files = [f for f in files if f.name != TOPICS_FILE]
    questions: dict[str, Question] = {}
    generators = set(known_generators) if known_generators is not None else None
    for path in question_files:
        display = display_path(path)
        try:
            data = read_bytes(path)
        except YamlError as exc:
            problems.append(Problem(display, exc.line, exc.column, "file", exc.message))
            continue
        result = cache.get(path, data, strict) if cache else None
        if result is None:
            result = parse_file(path, data, strict=strict)
            if cache:
                cache.put(path, data, strict, result)
        problems += result.problems
        for q in result.questions:
            clash = _cross_file_problem(q, questions, topics, generators)
            if clash is None:
                questions[q.id] = q
                continue
            key, message = clash
            line, col = result.marks[q.id][key]
            problems.append(Problem(display, line, col, f"{q.id}.{key}", message))
    for q in questions.values():
        for target in q.follow_ups:
            if target not in questions:
                problems.append(
                    Problem(
                        display_path(q.source.path),
                        q.source.line,
                        1,
                        f"{q.id}.follow_ups",
                        f"no question with id {target!r}",
                    )
                )
    bank = Bank(topics=topics, questions=questions, files=tuple(question_files))
    return bank, sorted(problems)
