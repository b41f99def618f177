"""``quizforge study --plain``: the study session as a line-by-line dialogue (screen readers, pipes, scripts).

Each card is printed, then one line is read as the answer (for a concept card, the user's attempt,
which may be empty). The verdict, or the model answer with its key points, and the worked solution
are printed. For a concept card one more line says which key points the answer made (``1 3 4``;
empty: the ones its keywords suggest; ``0``: none), and the proposed rating follows those ticks
(nothing ticked proposes Again, as in the TUI). Then one line is read as the rating: ``1``–``4``, or
empty to accept the proposal. An unreadable answer, tick list or rating is refused with the reason
(an answer with the live preview's message) and asked again; nothing is graded until it reads.
``q`` or the end of input ends the session ("Stopped after N cards"); every rating given so far is
already saved.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TextIO

from quizforge.i18n import RATING_KEYS, rating_name, t, tn
from quizforge.study.scheduling import Rating
from quizforge.study.session import Presented, Result, StudySession, UnreadableAnswer

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _rating_name(rating: int, lang: str) -> str:
    """The rating's name as a word inside a sentence (English lower-cases it: "1 again")."""
    return rating_name(rating, lang).lower()


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
        self.lang = lang if lang in ("en", "zh") else "en"
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
        stopped = False
        while (p := self.session.next_card()) is not None:
            self.show(p)
            result = self.answer(p)
            if result is not None and p.self_graded and result.key_points:
                result = self.tick(result)
            if result is None or not self.rate(result):
                stopped = True
                break
        c = self.session.counts()
        if stopped:
            self.say(
                tn("plain.stopped", self.rated, self.lang) + " " + t("plain.left", self.lang, due=c.due, new=c.new)
            )
        else:
            key = "plain.done" if self.rated else "plain.nothing"
            self.say(t(key, self.lang, n=self.rated, due=c.due, new=c.new))
        return 0

    def show(self, p: Presented) -> None:
        q = p.question
        status = t("plain.new", self.lang) if p.is_new else t("plain.review", self.lang)
        self.say()
        self.say(f"[{q.topic} · {q.kind} · {status}] {q.id}")
        if (why := self.session.tutor.recheck_line(p, self.lang)) is not None:
            self.say(why)
        self.say(p.prompt.get(self.lang))
        for i, choice in enumerate(p.choices):
            self.say(f"  {_LETTERS[i]}) {choice.get(self.lang)}")

    def answer(self, p: Presented) -> Result | None:
        kind = p.answer_kind
        while True:
            code = p.question_kind.answer_is_code
            key = "plain.code_file" if code else "plain.attempt" if kind is None else "plain.answer"
            text = self.ask(t(key, self.lang))
            if text is None:
                return None
            if code and text.strip():
                path = text.strip()
                try:
                    with open(path, encoding="utf-8") as f:
                        text = f.read()
                except (OSError, UnicodeDecodeError) as exc:
                    self.say(t("plain.bad_file", self.lang, path=path, why=getattr(exc, "strerror", None) or exc))
                    continue
            try:
                result = self.session.submit(text)
            except UnreadableAnswer as refused:  # not graded: the same card is asked again
                self.say(t("plain.bad_answer", self.lang, why=refused.message))
                continue
            self.report(result)
            return result

    def tick(self, r: Result) -> Result | None:
        """Ask which key points the answer made; the proposal follows the ticks. ``None``: stopped."""
        from quizforge.grading.keypoints import suggest_ticks

        lang = self.lang
        n = len(r.key_points)
        suggested = [i for i, hit in enumerate(suggest_ticks(r.key_points, r.answer, r.presented.prompt), 1) if hit]
        default = " ".join(map(str, suggested)) if suggested else t("plain.ticks_none", lang)
        while True:
            line = self.ask(t("plain.ticks", lang, default=default))
            if line is None:
                return None
            picked = parse_ticks(line, n) if line.strip() else suggested
            if picked is None:
                self.say(t("plain.bad_ticks", lang, n=n, default=default))
                continue
            result = self.session.self_grade([i in picked for i in range(1, n + 1)])
            if result.feedback:
                self.say(result.feedback)
            return result

    def report(self, r: Result) -> None:
        p = r.presented
        if p.self_graded:
            if r.model_answer is not None:
                self.say(t("plain.model", self.lang))
                self.say(r.model_answer.get(self.lang))
            if r.key_points:
                self.say(t("plain.points", self.lang))
                for i, kp in enumerate(r.key_points, 1):
                    self.say(f"  {i}. {kp.text.get(self.lang)}")
        else:
            self.say(r.feedback)
            if not r.correct and r.expected:
                self.say(t("plain.expected", self.lang, x=r.expected))
            if r.model_answer is not None:
                self.say(t("plain.solution", self.lang))
                self.say(r.model_answer.get(self.lang))
        if r.intervals:
            lang = self.lang
            ivl = " · ".join(
                f"{int(k)} {_rating_name(int(k), lang)} {format_interval(v)}" for k, v in r.intervals.items()
            )
            self.say(t("plain.next", lang, ivl=ivl))

    def rate(self, r: Result) -> bool:
        lang = self.lang
        proposal, name = int(r.proposed), _rating_name(int(r.proposed), lang)
        ratings = t("list.separator", lang).join(f"{k} {_rating_name(k, lang)}" for k in RATING_KEYS)
        prompt = t("plain.rating", lang, ratings=ratings, n=proposal, name=name)
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
                self.say(t("plain.bad_rating", lang, n=proposal, name=name))
                continue
            saved = self.session.rate(rating)
            self.rated += 1
            if saved.became_leech:
                self.say(tn("plain.leech", saved.card.memory.lapses, lang))
            return True


def parse_ticks(line: str, n: int) -> list[int] | None:
    """Key-point numbers from ``1 3 4`` (or ``1,3``; ``0`` or ``-`` for none), each 1..``n``;
    ``None`` when the line is not such a list."""
    words = line.replace(",", " ").replace("，", " ").split()
    if words in (["0"], ["-"]):
        return []
    if not words or not all(w.isdigit() and w.isascii() and 1 <= int(w) <= n for w in words):
        return None
    return sorted({int(w) for w in words})


def run_plain(session: StudySession, stdin: TextIO, stdout: TextIO, lang: str = "en") -> int:
    """Run the dialogue until the day's cards are done, ``q``, or end of input. Returns the exit code (0)."""
    return PlainDialogue(session, stdin, stdout, lang).run()
