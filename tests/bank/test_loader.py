"""The bank loader: schema errors with file:line:column, hostile files refused quickly."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from quizforge.answer import AnswerKind
from quizforge.bank.loader import load_bank
from quizforge.bank.schema import Kind
from quizforge.locations import shipped_bank_dir

CATALOGUE = shipped_bank_dir() / "topics.yaml"

GOOD = """\
topic: cnn.conv
questions:
  - id: conv-1x1-purpose
    kind: concept
    difficulty: 2
    tags: [1x1]
    prompt: {en: "What does a 1×1 convolution do?", zh: "1×1 卷积的作用是什么？"}
    answer: {en: "It mixes channels.", zh: "它做通道混合。"}
    key_points:
      - {en: mixes channels, zh: 通道混合, keywords: {en: [channel], zh: [通道]}}
      - {en: reduces channels, zh: 降维}
      - {en: adds a non-linearity, zh: 增加非线性}
    follow_ups: [conv-params]
  - id: conv-params
    kind: numeric
    difficulty: 1
    prompt: {en: "Parameters of a 3×3 conv from 2 to 3 channels?", zh: "参数量？"}
    answer: 57
    tolerance: {rel: 0, abs: 0}
    solution: {en: "3·3·2·3 + 3 = 57", zh: "3·3·2·3 + 3 = 57"}
  - id: pick-opt
    kind: choice
    difficulty: 2
    topic: optim.algorithms
    prompt: {en: "Which adapts per parameter?", zh: "哪个是自适应的？"}
    choices: [{en: SGD, zh: SGD}, {en: Adagrad, zh: Adagrad}]
    correct: [1]
    explanation: {en: "SGD uses one rate.", zh: "SGD 只有一个学习率。"}
  - id: shape-q
    kind: numeric
    difficulty: 1
    prompt: {en: "Shape?", zh: "形状？"}
    answer: [16, 10, 10]
    answer_kind: shape
    solution: {en: "s", zh: "s"}
  - id: gen-conv
    kind: generated
    generator: conv_output_size
    difficulty: 1
"""


def load(tmp_path: Path, text: str | bytes, *, strict: bool = True, name: str = "bank.yaml"):
    f = tmp_path / name
    if isinstance(text, bytes):
        f.write_bytes(text)
    else:
        f.write_text(text, encoding="utf-8")
    return load_bank([f], strict=strict, topic_catalogues=[CATALOGUE], known_generators={"conv_output_size"})


def lines(problems) -> list[str]:
    return [str(p) for p in problems]


def test_good_file_loads_every_kind(tmp_path: Path) -> None:
    bank, problems = load(tmp_path, GOOD)
    assert problems == []
    assert [q.id for q in bank] == ["conv-1x1-purpose", "conv-params", "pick-opt", "shape-q", "gen-conv"]
    concept = bank.questions["conv-1x1-purpose"]
    assert concept.kind is Kind.CONCEPT and concept.topic == "cnn.conv"
    assert concept.body.key_points[0].keywords_zh == ("通道",) and concept.source.line == 3
    assert concept.follow_ups == ("conv-params",)
    numeric = bank.questions["conv-params"]
    assert numeric.body.value == 57 and numeric.body.answer_kind is AnswerKind.NUMBER
    assert bank.questions["pick-opt"].topic == "optim.algorithms"
    assert bank.questions["pick-opt"].body.correct == (1,)
    assert bank.questions["shape-q"].body.value == (16, 10, 10)
    assert bank.questions["gen-conv"].generator == "conv_output_size"


def test_every_problem_reported_with_its_line(tmp_path: Path) -> None:
    text = GOOD.replace("difficulty: 2\n    tags", "difficulty: 9\n    tags", 1)
    text = text.replace("correct: [1]", "correct: [5]")
    text = text.replace("generator: conv_output_size", "generator: no_such_family")
    text = text.replace("follow_ups: [conv-params]", "follow_ups: [missing-id]")
    bank, problems = load(tmp_path, text)
    out = lines(problems)
    assert any(":5:17: conv-1x1-purpose.difficulty: expected a whole number 1..5, got 9" in p for p in out)
    assert any(":27:14: pick-opt.correct: indices must be 0..1" in p for p in out)
    assert any(":38:16: gen-conv.generator: unknown generator family 'no_such_family'" in p for p in out)
    assert len(out) == 3, out  # the follow-up is not reported: its question had a problem and was left out
    assert "conv-params" in bank.questions


def test_missing_language_is_an_error_only_when_strict(tmp_path: Path) -> None:
    text = GOOD.replace('prompt: {en: "Shape?", zh: "形状？"}', 'prompt: {en: "Shape?"}')
    _, strict_problems = load(tmp_path, text)
    assert lines(strict_problems) == [f"{tmp_path / 'bank.yaml'}:32:13: shape-q.prompt.zh: missing"]
    bank, lenient = load(tmp_path, text, strict=False)
    assert lenient == [] and bank.questions["shape-q"].prompt.get("zh") == "Shape?"


def test_duplicate_ids_across_files_name_both_places(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD.replace("id: conv-params", "id: other"), encoding="utf-8")
    _, problems = load_bank(
        [tmp_path], strict=True, topic_catalogues=[CATALOGUE], known_generators={"conv_output_size"}
    )
    dup = [p for p in lines(problems) if "duplicate id" in p]
    assert len(dup) == 4
    assert dup[0].startswith(f"{tmp_path / 'b.yaml'}:3:9: conv-1x1-purpose.id: duplicate id")
    assert f"first defined at {tmp_path / 'a.yaml'}:3" in dup[0]


def test_unknown_topic_and_unknown_field(tmp_path: Path) -> None:
    text = GOOD.replace("topic: optim.algorithms", "topic: optim.magic").replace(
        "    tags: [1x1]", "    tags: [1x1]\n    answr: typo"
    )
    _, problems = load(tmp_path, text)
    out = lines(problems)
    assert any(":7:5: conv-1x1-purpose.answr: not a field of a concept question" in p for p in out)
    assert any("pick-opt.topic: unknown topic 'optim.magic'" in p for p in out)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("questions:\n  - id: a\n    kind: concept\n    prompt: {en: [x\n", ":5:1: file: invalid YAML"),
        ("questions:\n  - id: a\n    kind: [concept]\n", ":3:11: a.kind: expected one of concept"),
        ("questions: 12\n", ":1:1: questions: expected a mapping with a `questions:` list"),
        ("- just\n- a list\n", ":1:1: questions: expected a mapping"),
        ("", ":1:1: file: empty file"),
        ("   \n\n", ":1:1: file: empty file"),
        ("questions:\n  - !!python/object/apply:os.system [ls]\n", ":2:5: file: unsupported tag"),
        ("a: 1\na: 2\n", ":2:1: file: duplicate key 'a'"),
        ("topic: cnn.conv\n---\nquestions: []\n", ":2:1: file: more than one YAML document"),
    ],
)
def test_broken_files_get_one_clear_line(tmp_path: Path, content: str, expected: str) -> None:
    _, problems = load(tmp_path, content)
    assert len(problems) == 1, lines(problems)
    assert expected in str(problems[0])


def test_binary_and_non_utf8_files(tmp_path: Path) -> None:
    _, problems = load(tmp_path, b"questions:\n  - id: a\n\x00\x01\x02binary")
    assert lines(problems) == [f"{tmp_path / 'bank.yaml'}:3:1: file: binary data (a NUL byte): not a YAML text file"]
    _, problems = load(tmp_path, "questions:\n  - id: é\n".encode("latin-1"))
    assert lines(problems) == [
        f"{tmp_path / 'bank.yaml'}:2:9: file: not UTF-8 text (byte 0xe9)".replace(":2:9:", ":2:1:")
    ]


def test_huge_file_refused_without_reading(tmp_path: Path) -> None:
    f = tmp_path / "huge.yaml"
    with f.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NULs, never read
    start = time.perf_counter()
    _, problems = load_bank([f], topic_catalogues=[CATALOGUE])
    assert time.perf_counter() - start < 1.0
    assert lines(problems) == [f"{f}:0:0: file: file is 52.4 MB; bank files are limited to 16 MB"]


def test_alias_bomb_refused_quickly(tmp_path: Path) -> None:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for name in "bcdefghij":
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
        prev = name
    text += "questions: *j\n"
    start = time.perf_counter()
    _, problems = load(tmp_path, text)
    assert time.perf_counter() - start < 10.0  # a guard against a hang, not a performance target
    assert len(problems) == 1 and "aliases expand to too many nodes" in str(problems[0])
    assert str(problems[0]).startswith(f"{tmp_path / 'bank.yaml'}:7:")


@pytest.mark.parametrize("depth", [100, 200_000])
def test_deep_nesting_refused_without_crashing(tmp_path: Path, depth: int) -> None:
    start = time.perf_counter()
    _, problems = load(tmp_path, "questions: " + "[" * depth + "]" * depth + "\n")
    assert time.perf_counter() - start < 10.0  # a guard against a hang, not a performance target
    # Our own limit fires at the 41st bracket (column 51); with very deep input libyaml's scanner,
    # which reads ahead, may hit its own 1,000-level limit first. Either way: line 1, one clear message.
    [line] = lines(problems)
    assert re.fullmatch(re.escape(f"{tmp_path / 'bank.yaml'}:1:") + r"\d+: file: nested deeper than 40 levels", line)
    if depth < 1000:
        assert line.split(":")[2] == "51"


def test_wrong_types_in_every_field_are_reported_not_raised(tmp_path: Path) -> None:
    text = """\
questions:
  - id: q1
    kind: concept
    topic: 7
    difficulty: "hard"
    tags: "not-a-list"
    prompt: [1, 2]
    answer: {en: 3, zh: [x]}
    key_points: {en: x}
  - id: q2
    kind: choice
    topic: cnn.conv
    difficulty: 1
    prompt: {en: p, zh: p}
    choices: "a, b"
    correct: "b"
  - id: q3
    kind: numeric
    topic: cnn.conv
    difficulty: 1
    prompt: {en: p, zh: p}
    answer: [[1, 2], [3]]
    tolerance: loose
  - 42
  - id: Bad Id
"""
    bank, problems = load(tmp_path, text, strict=False)
    out = lines(problems)
    assert len(bank) == 0
    for fragment in [
        ":4:12: q1.topic: missing",
        ":5:17: q1.difficulty: expected a whole number",
        ":6:11: q1.tags: expected a list",
        ":7:13: q1.prompt: expected text or {en, zh}, got a list",
        ":8:25: q1.answer.zh: expected text, got a list",
        ":9:17: q1.key_points: expected a list",
        ":15:14: q2.choices: expected a list of 2–9 options",
        ":16:14: q2.correct: expected a list",
        ":22:13: q3.answer: matrix rows have different lengths",
        ":23:16: q3.tolerance: expected {rel",
        ":24:5: questions[3]: expected a mapping, got the number 42",
        ":25:9: questions[4].id: 'Bad Id' is not a lowercase id",
    ]:
        assert any(fragment in p for p in out), (fragment, out)


def test_shipped_bank_loads_cleanly() -> None:
    from quizforge.numeric.base import families

    bank, problems = load_bank(
        [shipped_bank_dir()], strict=True, topic_catalogues=[CATALOGUE], known_generators=families()
    )
    assert problems == []
    assert len(bank) >= 40


def test_cache_returns_the_same_bank_and_notices_edits(tmp_path: Path) -> None:
    from quizforge.bank.cache import BankCache

    bank_file = tmp_path / "bank.yaml"
    bank_file.write_text(GOOD, encoding="utf-8")
    cache = BankCache(tmp_path / "cache")

    def load_cached():
        return load_bank(
            [bank_file], strict=True, topic_catalogues=[CATALOGUE], known_generators={"conv_output_size"}, cache=cache
        )

    first, problems = load_cached()
    assert problems == [] and len(list((tmp_path / "cache").glob("*.json"))) == 1
    again, _ = load_cached()
    assert again.questions == first.questions
    bank_file.write_text(GOOD.replace("difficulty: 2\n    tags", "difficulty: 9\n    tags", 1), encoding="utf-8")
    edited, problems = load_cached()
    assert "conv-1x1-purpose" not in edited.questions
    assert [p.field for p in problems] == ["conv-1x1-purpose.difficulty"]
    # problems are cached too: loading the edited file again reports the same problem
    assert load_cached()[1] == problems


def test_corrupt_cache_entry_is_ignored(tmp_path: Path) -> None:
    from quizforge.bank.cache import BankCache

    bank_file = tmp_path / "bank.yaml"
    bank_file.write_text(GOOD, encoding="utf-8")
    cache = BankCache(tmp_path / "cache")
    load_bank([bank_file], topic_catalogues=[CATALOGUE], cache=cache)
    for entry in (tmp_path / "cache").glob("*.json"):
        entry.write_text('{"questions": [{"id": 1}]', encoding="utf-8")
    bank, problems = load_bank([bank_file], topic_catalogues=[CATALOGUE], cache=cache)
    assert problems == [] and len(bank) == 5


def test_folded_chinese_lines_join_without_spaces(tmp_path: Path) -> None:
    text = """\
topic: cnn.1x1
questions:
  - id: folded
    kind: concept
    difficulty: 1
    prompt: {en: "Why?", zh: "为什么？"}
    answer:
      en: >-
        One line
        and the next.
      zh: >-
        用 ImageNet 预训练
        的骨干，先降维，
        再做 3×3 卷积。
    key_points:
      - {en: a, zh: 甲}
      - {en: b, zh: 乙}
      - {en: c, zh: 丙}
"""
    bank, _ = load(tmp_path, text, strict=False)
    answer = bank.questions["folded"].body.answer
    assert answer is not None
    assert answer.en == "One line and the next."  # English keeps its spaces
    assert answer.zh == "用 ImageNet 预训练的骨干，先降维，再做 3×3 卷积。"  # a space stays only beside Latin text
