"""``quizforge study --plain``: the study session as a line-by-line dialogue (screen readers, pipes, scripts).

Each card is printed, then one line is read as the answer (for a concept card, the user's attempt,
which may be empty). The verdict, or the model answer with its key points, and the worked solution
are printed; then one line is read as the rating: ``1``–``4``, or empty to accept the proposal.
An unreadable answer or rating is asked again with a hint. ``q`` or the end of input ends the
session; every rating given so far is already saved.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TextIO

from quizforge.study.scheduling import Rating
from quizforge.study.session import Presented, Result, StudySession

_LETTERS = "abcdefghijklmnopqrstuvwxyz"

_NAMES: dict[str, dict[int, str]] = {
    "en": {1: "again", 2: "hard", 3: "good", 4: "easy"},
    "zh": {1: "重来", 2: "困难", 3: "良好", 4: "简单"},
}
_UI: dict[str, dict[str, str]] = {
    "en": {
        "answer": "answer> ",
        "code_file": "file with your solution (Enter to see the solution)> ",
        "bad_file": "{path}: cannot read it ({why}); try again (Enter shows the solution, q stops)",
        "attempt": "your answer (Enter to reveal)> ",
        "rating": "rating [1 again, 2 hard, 3 good, 4 easy; Enter = {n} {name}]> ",
        "bad_rating": "please type 1, 2, 3 or 4, Enter to accept {n} {name}, or q to stop",
        "bad_answer": "{why}; try again (Enter shows the answer, q stops)",
        "model": "Model answer:",
        "points": "Key points:",
        "solution": "Solution:",
        "expected": "Expected: {x}",
        "new": "new",
        "review": "review",
        "done": "Session over: {n} rated. {due} due and {new} new left today.",
        "nothing": "Nothing to study right now. {due} due and {new} new left today.",
        "next": "next: {ivl}",
        "leech": "This card is now a leech (lapsed {n} times) and is suspended.",
    },
    "zh": {
        "answer": "答案> ",
        "code_file": "你的解答文件路径（回车查看参考解答）> ",
        "bad_file": "{path}：无法读取（{why}）；请重新输入（回车显示解答，q 结束）",
        "attempt": "你的回答（回车显示答案）> ",
        "rating": "评分 [1 重来, 2 困难, 3 良好, 4 简单；回车 = {n} {name}]> ",
        "bad_rating": "请输入 1、2、3 或 4，回车接受 {n} {name}，或 q 结束",
        "bad_answer": "{why}；请重新输入（回车显示答案，q 结束）",
        "model": "参考答案：",
        "points": "要点：",
        "solution": "解答：",
        "expected": "正确答案：{x}",
        "new": "新卡",
        "review": "复习",
        "done": "本次结束：已评分 {n} 张。今天还有 {due} 张到期、{new} 张新卡。",
        "nothing": "现在没有要学的卡片。今天还有 {due} 张到期、{new} 张新卡。",
        "next": "下次：{ivl}",
        "leech": "这张卡已成为难点卡（遗忘 {n} 次），已暂停。",
    },
}


def format_interval(delta: timedelta) -> str:
    """``45s``, ``10m``, ``3h``, ``4d``, ``2.5mo``, ``1.2y``."""
    s = delta.total_seconds()
    if s < 60:
        return f"{max(0, round(s))}s"
    if s < 3600:
        return f"{round(s / 60)}m"
    if s < 86400:
        return f"{round(s / 3600)}h"
    days = s / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo"
    return f"{days / 365:.1f}y"


class PlainDialogue:
    def __init__(self, session: StudySession, stdin: TextIO, stdout: TextIO, lang: str) -> None:
        self.session = session
        self.stdin = stdin
        self.stdout = stdout
        self.lang = lang if lang in _UI else "en"
        self.ui = _UI[self.lang]
        self.rated = 0

    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def ask(self, prompt: str) -> str | None:
        """One input line without its newline; ``None`` at end of input or on ``q``."""
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.say()
            return None
        line = line.rstrip("\r\n")
        return None if line.strip().lower() in ("q", "quit") else line

    def run(self) -> int:
        while (p := self.session.next_card()) is not None:
            self.show(p)
            result = self.answer(p)
            if result is None or not self.rate(result):
                break
        c = self.session.counts()
        key = "done" if self.rated else "nothing"
        self.say(self.ui[key].format(n=self.rated, due=c.due, new=c.new))
        return 0

    def show(self, p: Presented) -> None:
        q = p.question
        status = self.ui["new"] if p.is_new else self.ui["review"]
        self.say()
        self.say(f"[{q.topic} · {q.kind} · {status}] {q.id}")
        self.say(p.prompt.get(self.lang))
        for i, choice in enumerate(p.choices):
            self.say(f"  {_LETTERS[i]}) {choice.get(self.lang)}")

    def answer(self, p: Presented) -> Result | None:
        from quizforge.grading import AnswerParseError, parse_answer

        kind = p.answer_kind
        code = p.question_kind.answer_is_code
        while True:
            text = self.ask(self.ui["code_file"] if code else self.ui["attempt"] if kind is None else self.ui["answer"])
            if text is None:
                return None
            if code and text.strip():
                path = text.strip()
                try:
                    with open(path, encoding="utf-8") as f:
                        text = f.read()
                except (OSError, UnicodeDecodeError) as exc:
                    self.say(self.ui["bad_file"].format(path=path, why=getattr(exc, "strerror", None) or exc))
                    continue
            if kind is not None and text.strip():
                try:
                    parse_answer(text, kind, n_choices=len(p.choices) or None)
                except AnswerParseError as exc:
                    self.say(self.ui["bad_answer"].format(why=exc.message_in(self.lang)))
                    continue
            result = self.session.submit(text)
            self.report(result)
            return result

    def report(self, r: Result) -> None:
        p = r.presented
        if p.self_graded:
            if r.model_answer is not None:
                self.say(self.ui["model"])
                self.say(r.model_answer.get(self.lang))
            if r.key_points:
                self.say(self.ui["points"])
                for i, kp in enumerate(r.key_points, 1):
                    self.say(f"  {i}. {kp.text.get(self.lang)}")
        else:
            self.say(r.feedback)
            if not r.correct and r.expected:
                self.say(self.ui["expected"].format(x=r.expected))
            if r.model_answer is not None:
                self.say(self.ui["solution"])
                self.say(r.model_answer.get(self.lang))
        if r.intervals:
            names = _NAMES[self.lang]
            self.say(
                self.ui["next"].format(
                    ivl=" · ".join(f"{int(k)} {names[int(k)]} {format_interval(v)}" for k, v in r.intervals.items())
                )
            )

    def rate(self, r: Result) -> bool:
        names = _NAMES[self.lang]
        proposal = int(r.proposed)
        prompt = self.ui["rating"].format(n=proposal, name=names[proposal])
        while True:
            line = self.ask(prompt)
            if line is None:
                return False
            line = line.strip()
            if line == "":
                rating = None
            elif line in ("1", "2", "3", "4"):
                rating = Rating(int(line))
            else:
                self.say(self.ui["bad_rating"].format(n=proposal, name=names[proposal]))
                continue
            saved = self.session.rate(rating)
            self.rated += 1
            if saved.became_leech:
                self.say(self.ui["leech"].format(n=saved.card.memory.lapses))
            return True


def run_plain(session: StudySession, stdin: TextIO, stdout: TextIO, lang: str = "en") -> int:
    """Run the dialogue until the day's cards are done, ``q``, or end of input. Returns the exit code (0)."""
    return PlainDialogue(session, stdin, stdout, lang).run()
