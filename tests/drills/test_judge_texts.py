"""The judge's verdict reads in the user's language; the JSON contract keeps its keys and English."""

from __future__ import annotations

from quizforge.drills import get_drill
from quizforge.drills.judge import Judge

from .test_implement_kind import WRONG

EXIT = "import numpy as np\nos = np.__builtins__['__import__']('os')\n\n\ndef softmax(x, axis=-1):\n    os._exit(3)\n"
SHAPE = "import numpy as np\n\n\ndef softmax(x, axis=-1):\n    return x.sum(axis=axis)\n"


def test_a_failing_case_in_both_languages_and_the_json_unchanged() -> None:
    verdict = Judge().judge(get_drill("softmax"), WRONG["softmax"], seed=1)
    failure = verdict.first_failure
    assert failure is not None and not verdict.ok
    en, zh = verdict.text("en"), verdict.text("zh")
    assert en.splitlines()[1:] == failure.message.splitlines()  # the JSON's message is the English text
    assert failure.message.startswith(f"case {failure.case} (") and "inf or nan in the output" in failure.message
    assert zh.splitlines()[0].endswith(f"通过 {verdict.passed}/20 个用例（{verdict.seconds:.2f} 秒）")
    assert zh.splitlines()[1].startswith(f"用例 {failure.case}（") and "输出中有 inf 或 nan" in zh
    assert "输入：" in zh and "期望：" in zh and "得到：" in zh
    for english in ("case ", "inputs:", "expected:", "got:", "max error"):
        assert english not in zh
    data = verdict.to_json()
    assert list(data) == ["drill", "ok", "passed", "total", "first_failure", "error", "seconds"]
    assert list(data["first_failure"]) == [
        "case",
        "label",
        "inputs",
        "expected",
        "got",
        "max_error",
        "where",
        "message",
    ]


def test_a_wrong_shape_and_an_ended_judge_in_chinese() -> None:
    judge = Judge()
    shape = judge.judge(get_drill("softmax"), SHAPE, seed=1)
    assert "形状为 (" in shape.text("zh") and "，应为 (" in shape.text("zh")
    assert shape.first_failure is not None and "shape (" in shape.first_failure.message
    ended = judge.judge(get_drill("softmax"), EXIT, seed=1)
    assert ended.error == "your code ended the judge (exit status 3) before the cases finished"
    assert ended.text("zh").splitlines()[1] == "你的代码在用例跑完之前结束了评测进程（退出状态 3）"
