"""Parser paths the sampled mutation run (`benchmarks/mutation.py grading.parse`) found unchecked: where an
error points (the caret the live preview draws under the answer) and the Chinese text of an error."""

from __future__ import annotations

import pytest

from quizforge.answer import AnswerKind
from quizforge.grading import AnswerParseError, parse_answer
from quizforge.text import Lang


def error(text: str, kind: AnswerKind = AnswerKind.NUMBER) -> AnswerParseError:
    with pytest.raises(AnswerParseError) as info:
        parse_answer(text, kind)
    return info.value


@pytest.mark.parametrize(
    ("text", "position", "zh"),
    [
        ("10^400", 2, "结果太大"),  # math.pow overflows: at the '^'
        ("2 3)", 2, "'3' 前面缺少运算符"),
        ("(-8)^0.5", 4, "负数的分数次幂不是实数"),
        ("sqrt(-1)", 0, "sqrt 的参数必须 ≥ 0"),
    ],
)
def test_errors_point_at_their_cause_in_both_languages(text: str, position: int, zh: str) -> None:
    e = error(text)
    assert e.position == position
    assert e.message_in(Lang.ZH) == zh
