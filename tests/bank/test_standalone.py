"""Every card must make sense on its own: study, quizzes and Anki show it without its parent.

A follow-up that opened with "Same problem, …" was shown alone in a quiz, where nobody had seen the
problem. Follow-ups may still refer to their subject by name; they may not lean on the card before.
The rules live in quizforge/bank/standalone.py, which `quizforge validate` runs.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from quizforge.bank.standalone import leans
from quizforge.kinds import load
from quizforge.validation import validate

BANK = load(include_shipped=True)


@pytest.mark.parametrize("qid", sorted(BANK.questions))
def test_the_prompt_stands_on_its_own(qid: str) -> None:
    q = BANK.questions[qid]
    for lang, text in (("en", q.prompt.en), ("zh", q.prompt.zh)):
        lean = leans(text, lang)
        assert lean is None, f"{qid} ({lang}) leans on another card: {lean.phrase!r} in {text[:80]!r}"


@pytest.mark.parametrize(
    ("lang", "text", "phrase"),
    [
        ("en", "For the same A = [[3, 1], [1, 3]], which learning rate converges fastest?", "For the same"),
        ("en", "Same network, but with stride 2: what is the output size?", "Same"),
        ("en", "Again, with batch size 64: how many steps per epoch?", "Again"),
        ("en", "How many parameters does that layer have?", "that layer"),
        ("en", "Using the numbers from the previous question, compute the IoU.", "previous question"),
        ("en", "Compute the loss as above, now with label smoothing 0.1.", "as above"),
        ("en", "Apply NMS with threshold 0.5 to those boxes.", "those boxes"),
        ("zh", "还是 A = [[3, 1], [1, 3]]，哪个学习率收敛最快？", "还是"),
        ("zh", "同上，步长改为 2，输出尺寸是多少？", "同上"),
        ("zh", "用上一题的数字计算 IoU。", "上一题"),
        ("zh", "对于这一层（3×3 卷积核），乘加次数是多少？", "这一层"),
        ("zh", "接上题：该网络有多少参数？", "接上题"),
        ("zh", "把同一个网络换成步长 2，输出尺寸是多少？", "同一个网络"),
    ],
)
def test_leaning_prompts_are_caught(lang: str, text: str, phrase: str) -> None:
    lean = leans(text, lang)
    assert lean is not None, text
    assert lean.phrase.casefold() == phrase.casefold()
    assert text[lean.offset : lean.offset + len(lean.phrase)] == lean.phrase


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Same padding keeps a 32×32 input at 32×32 with a 3×3 kernel. What padding p is that?"),
        ("en", "Compare AlexNet with LeNet-5. What is the same and what changed?"),
        ("en", "A 3×3 conv layer has 64 input and 128 output channels. How many weights does that layer have?"),
        ("en", "Two boxes have the same area as a 4×4 square. What is their IoU at most?"),
        ("en", "Load a checkpoint into the same architecture built with 10 outputs: what happens?"),
        ("en", "Why do we still need residual connections?"),
        ("zh", "LeNet-5 的 C5 层到底是卷积层还是全连接层？"),
        ("zh", "线性回归有闭式解，什么时候还是要用梯度下降？"),
        ("zh", "一个 3×3 卷积层有 64 个输入通道，这一层有多少权重？"),
        ("zh", "如果把所有权重都初始化为同一个常数，会出什么问题？"),
    ],
)
def test_standalone_prompts_pass(lang: str, text: str) -> None:
    assert leans(text, lang) is None, text


def test_validate_reports_a_leaning_prompt_with_its_place(tmp_path: Path) -> None:
    bank = tmp_path / "bank.yaml"
    bank.write_text(
        "topic: cnn.conv\n"
        "questions:\n"
        "  - id: lean-demo\n"
        "    kind: numeric\n"
        "    difficulty: 1\n"
        "    prompt:\n"
        '      en: "How many outputs does a 3×3 conv give on a 5×5 input?"\n'
        '      zh: "同上，输出尺寸是多少？"\n'
        "    answer: 3\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    assert validate([bank], strict=False, out=out) == 1
    lines = out.getvalue().splitlines()
    hits = [line for line in lines if "lean-demo.prompt" in line]
    assert len(hits) == 1, lines
    assert hits[0].startswith(f"{bank}:8:7: lean-demo.prompt.zh: leans on another card ('同上')")
