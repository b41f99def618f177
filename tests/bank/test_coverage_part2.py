"""The Part-2 coverage rule of ``quizforge validate --strict``: every catalogued topic of the modern theory
round has ≥ 18 questions, ≥ 5 concept cards with 3–6 key points, ≥ 3 choice and ≥ 3 numeric-or-generated
cards. Each test builds a small bank in tmp_path and checks which rule fires and that it names the topic."""

from __future__ import annotations

from pathlib import Path

from quizforge.bank.loader import Problem, load_bank
from quizforge.bank.validate import coverage_problems

CATALOGUE = """topics:
  - {id: train.norms, area: training, en: "Normalisation layers", zh: "归一化层"}
  - {id: train.batchnorm, area: training, en: "Batch normalisation", zh: "批量归一化"}
"""


def concept(qid: str, topic: str, key_points: int = 3) -> str:
    points = "".join(f"\n      - {{en: point {i}, zh: 要点 {i}}}" for i in range(key_points))
    return f"""
  - id: {qid}
    kind: concept
    topic: {topic}
    difficulty: 2
    prompt: {{en: "Explain {qid}.", zh: "解释 {qid}。"}}
    answer: {{en: "An answer.", zh: "一个回答。"}}
    key_points:{points}"""


def choice(qid: str, topic: str) -> str:
    return f"""
  - id: {qid}
    kind: choice
    topic: {topic}
    difficulty: 2
    prompt: {{en: "Pick {qid}.", zh: "选择 {qid}。"}}
    choices:
      - {{en: "a", zh: "甲"}}
      - {{en: "b", zh: "乙"}}
    correct: [0]
    explanation: {{en: "Because.", zh: "因为。"}}"""


def numeric(qid: str, topic: str) -> str:
    return f"""
  - id: {qid}
    kind: numeric
    topic: {topic}
    difficulty: 2
    prompt: {{en: "Compute {qid}.", zh: "计算 {qid}。"}}
    answer: 4
    solution: {{en: "2 + 2 = 4.", zh: "2 + 2 = 4。"}}"""


def bank_problems(tmp_path: Path, cards: list[str]) -> list[Problem]:
    """The coverage problems about topics (not about unused generator families) of a bank of ``cards``."""
    catalogue = tmp_path / "topics.yaml"
    catalogue.write_text(CATALOGUE, encoding="utf-8")
    (tmp_path / "cards.yaml").write_text("topic: train.norms\nquestions:" + "".join(cards) + "\n", encoding="utf-8")
    bank, load_errors = load_bank([tmp_path], topic_catalogues=[catalogue])
    assert not load_errors, load_errors
    return [p for p in coverage_problems(bank, catalogue) if p.field.startswith("topics.")]


def full_topic(topic: str, prefix: str) -> list[str]:
    """Exactly the Part-2 minimum: 5 concepts, 3 choices, 3 numeric, 7 more concepts (18 in all)."""
    return (
        [concept(f"{prefix}-c{i}", topic) for i in range(12)]
        + [choice(f"{prefix}-x{i}", topic) for i in range(3)]
        + [numeric(f"{prefix}-n{i}", topic) for i in range(3)]
    )


# train.batchnorm is a classic topic: 8 questions with 4 concepts satisfy it, so only Part-2 rules can fire.
CLASSIC = [concept(f"bn-c{i}", "train.batchnorm") for i in range(8)]


def part2_messages(problems: list[Problem]) -> list[str]:
    assert all(p.field == "topics.train.norms" for p in problems), problems
    assert all("topics.yaml" in p.path for p in problems), problems
    return [p.message for p in problems]


def test_a_topic_at_the_minimum_passes(tmp_path: Path) -> None:
    assert bank_problems(tmp_path, full_topic("train.norms", "norm") + CLASSIC) == []


def test_too_few_questions(tmp_path: Path) -> None:
    cards = full_topic("train.norms", "norm")[1:]  # 17: one concept fewer
    assert part2_messages(bank_problems(tmp_path, cards + CLASSIC)) == ["17 questions; a Part-2 topic needs ≥ 18"]


def test_too_few_concepts_with_three_to_six_key_points(tmp_path: Path) -> None:
    # 18 questions, but only 4 concepts with 3–6 key points: two have 2 key points and 7 have 7.
    cards = (
        [concept(f"norm-c{i}", "train.norms") for i in range(4)]
        + [concept(f"norm-few{i}", "train.norms", key_points=2) for i in range(2)]
        + [concept(f"norm-many{i}", "train.norms", key_points=7) for i in range(6)]
        + [choice(f"norm-x{i}", "train.norms") for i in range(3)]
        + [numeric(f"norm-n{i}", "train.norms") for i in range(3)]
    )
    assert part2_messages(bank_problems(tmp_path, cards + CLASSIC)) == [
        "4 concept questions with 3–6 key points; a Part-2 topic needs ≥ 5"
    ]


def test_too_few_choice_and_worked_questions(tmp_path: Path) -> None:
    cards = (
        [concept(f"norm-c{i}", "train.norms") for i in range(15)]
        + [choice(f"norm-x{i}", "train.norms") for i in range(2)]
        + [numeric("norm-n0", "train.norms")]
    )
    assert part2_messages(bank_problems(tmp_path, cards + CLASSIC)) == [
        "2 choice questions; a Part-2 topic needs ≥ 3",
        "1 numeric or generated questions; a Part-2 topic needs ≥ 3",
    ]


def test_an_empty_part2_topic_reports_every_minimum(tmp_path: Path) -> None:
    messages = part2_messages([p for p in bank_problems(tmp_path, CLASSIC) if "Part-2" in p.message])
    assert messages == [
        "0 questions; a Part-2 topic needs ≥ 18",
        "0 concept questions with 3–6 key points; a Part-2 topic needs ≥ 5",
        "0 choice questions; a Part-2 topic needs ≥ 3",
        "0 numeric or generated questions; a Part-2 topic needs ≥ 3",
    ]


def test_classic_topics_keep_the_classic_rule(tmp_path: Path) -> None:
    # 8 concept cards satisfy train.batchnorm; the same 8 cards under train.norms do not satisfy Part 2.
    assert bank_problems(tmp_path, full_topic("train.norms", "norm") + CLASSIC) == []
    norms = [concept(f"norm-c{i}", "train.norms") for i in range(8)]
    messages = part2_messages(bank_problems(tmp_path, norms + CLASSIC))
    assert messages[0] == "8 questions; a Part-2 topic needs ≥ 18"
