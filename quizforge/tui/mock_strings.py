"""The mock interview's and scorecard's UI strings, in English and Chinese.

Looked up like :mod:`quizforge.tui.strings` (whose keys are used as a fallback, so shared words such
as "Back" or "Help" live in one place).
"""

from __future__ import annotations

from quizforge.text import Text
from quizforge.tui import strings

_S: dict[str, Text] = {
    # interview
    "mock_title": Text("Mock interview", "模拟面试"),
    "question_of": Text("Question {i} of {n}", "第 {i} / {n} 题"),
    "follow_up": Text("follow-up", "追问"),
    "time_left": Text("⏱ {t} left", "⏱ 剩余 {t}"),
    "on_question": Text("this question {t}", "本题 {t}"),
    "concept_prompt": Text(
        "Answer as you would aloud, in English or Chinese. Enter starts a new line; ctrl+s submits.",
        "像面试时口头回答一样作答，中英文均可。回车换行，ctrl+s 提交。",
    ),
    "choice_prompt": Text("Press the option's key (a, b, …), then Enter.", "按选项对应的键（a、b……），再按回车。"),
    "multi_prompt": Text(
        "Pick every option that applies (toggle with its key), then Enter.",
        "选出所有正确选项（按键切换），再按回车。",
    ),
    "no_verdicts": Text(
        "No answers or verdicts until the end, as in an interview.",
        "和真实面试一样，结束前不显示答案和对错。",
    ),
    "text_placeholder": Text("Your answer…", "你的回答……"),
    "submit_key": Text("Submit", "提交"),
    "pass_key": Text("Pass", "跳过"),
    "abandon": Text("Abandon", "放弃"),
    "choose": Text("Pick", "选择"),
    "abandon_question": Text(
        "Abandon this mock interview? Nothing of it will be saved.",
        "放弃本次模拟面试？本次的作答都不会保存。",
    ),
    "empty_answer": Text("Nothing typed yet: answer, or press F2 to pass.", "还没有作答：请作答，或按 F2 跳过。"),
    "minutes_left": Text("{n} min left.", "还剩 {n} 分钟。"),
    "time_up": Text("Time's up: the interview is over.", "时间到：面试结束。"),
    "nothing_to_ask": Text(
        "No questions to ask: every matching question is suspended, or the topic is unknown.",
        "没有可以出的题：符合条件的题目都已暂停，或主题不存在。",
    ),
    # scorecard
    "scorecard": Text("Scorecard", "成绩单"),
    "total": Text("Score {s} / 100", "得分 {s} / 100"),
    "answered_of": Text(
        "{a} of {n} answered · {p} passed · {m} used of {limit}",
        "共 {n} 题，作答 {a} 题 · 跳过 {p} 题 · 用时 {m} / {limit}",
    ),
    "by_topic": Text("Score by topic", "各主题得分"),
    "study_next": Text("Study next: ", "接下来复习："),
    "study_next_key": Text("(press t to start a study session on them)", "（按 t 开始复习这些主题）"),
    "all_perfect": Text("Nothing to study next: every topic scored 100.", "所有主题都得了满分，没有需要复习的。"),
    "your_answer": Text("Your answer", "你的回答"),
    "model_answer": Text("Model answer", "参考答案"),
    "solution": Text("Worked solution", "解题过程"),
    "explanation": Text("Explanation", "解析"),
    "expected": Text("Expected", "正确答案"),
    "passed": Text("passed", "已跳过"),
    "timed_out": Text("time ran out", "时间到，未作答"),
    "not_reached": Text("not reached", "未答到"),
    "no_answer": Text("(no answer)", "（未作答）"),
    "key_points_check": Text(
        "Key points — tick the ones your answer made (suggested ticks come from keywords)",
        "要点——勾选你答到的要点（预先勾选的是根据关键词给出的建议）",
    ),
    "points_of": Text("{k}/{n} key points", "要点 {k}/{n}"),
    "suggested": Text("(suggested: “{kw}”)", "（建议：“{kw}”）"),
    "study_topics": Text("Study next", "复习薄弱主题"),
    "toggle": Text("Tick", "勾选"),
    "move": Text("Key point", "上下移动"),
    "saved_mock": Text("Mock interview saved.", "模拟面试已保存。"),
    "save_failed": Text("Could not save the mock interview: {e}", "无法保存模拟面试：{e}"),
    "study_unavailable": Text("Studying chosen topics is not available yet.", "按主题复习功能尚不可用。"),
    "nothing_to_study_next": Text("Nothing to study next.", "没有需要复习的主题。"),
    "kind_concept": Text("concept", "概念题"),
    "kind_choice": Text("choice", "选择题"),
    "kind_numeric": Text("numeric", "计算题"),
    "kind_generated": Text("generated", "随机计算题"),
}


def t(key: str, lang: str, **fmt: object) -> str:
    """The UI string ``key`` in ``lang`` (from this module, else the shared strings), formatted with ``fmt``."""
    if key not in _S:
        return strings.t(key, lang, **fmt)
    text = _S[key].get(lang)
    return text.format(**fmt) if fmt else text


def string_keys() -> frozenset[str]:
    """Every string key of this module (tests check both languages are filled)."""
    return frozenset(_S)


def both(key: str) -> Text:
    return _S[key]


def clock(seconds: float) -> str:
    """``mm:ss``, or ``h:mm:ss`` from an hour on."""
    s = max(0, int(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"
