"""`study --plain` at parity with the TUI (issue 13 item 7): key points ticked by number, the proposal
following the ticks and the verdict, unreadable answers refused, and an accurate message when input ends."""

from __future__ import annotations

import io
import random

import pytest

from quizforge.bank import Kind
from quizforge.bank.schema import KeyPoint
from quizforge.store import Store
from quizforge.study.plain import parse_ticks, run_plain
from quizforge.study.session import StudySession
from quizforge.text import Text
from tests.conftest import run_cli
from tests.study.conftest import Clock, make_bank, question

POINTS = (
    KeyPoint(Text("point 1: padding keeps the spatial size"), keywords_en=("padding",)),
    KeyPoint(Text("point 2: stride shrinks the output"), keywords_en=("stride",)),
    KeyPoint(Text("point 3: the kernel is shared across positions"), keywords_en=("weight sharing",)),
    KeyPoint(Text("point 4: channels are summed"), keywords_en=("summed over channels",)),
)


class Typing(io.StringIO):
    """Stdin whose every line takes the user ``seconds`` on the session's clock."""

    def __init__(self, text: str, clock: Clock, seconds: float = 30) -> None:
        super().__init__(text)
        self.clock = clock
        self.seconds = seconds

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        self.clock.advance(seconds=self.seconds)
        return super().readline(-1 if size is None else size)


def _run(store: Store, bank_questions: list, stdin: str, lang: str = "en") -> tuple[int, str]:  # type: ignore[type-arg]
    clock = Clock()
    session = StudySession(store, make_bank(bank_questions), now=clock, rng=random.Random(0), lang=lang)
    out = io.StringIO()
    code = run_plain(session, Typing(stdin, clock), out, lang)
    return code, out.getvalue()


def _concept(qid: str = "k1") -> object:
    return question(qid, Kind.CONCEPT, key_points=POINTS)


@pytest.mark.parametrize(
    ("ticks", "proposed", "saved"),
    [
        ("1 3 4", "3 good", 3),  # 3 of 4 pass, answered in 30 s
        ("1,3,4", "3 good", 3),
        ("2", "2 hard", 2),  # partial: Hard, never Good
        ("0", "1 again", 1),  # nothing made: Again, never Good
        ("-", "1 again", 1),
    ],
)
def test_typed_ticks_decide_the_proposal(store: Store, ticks: str, proposed: str, saved: int) -> None:
    code, out = _run(store, [_concept()], f"my attempt\n{ticks}\n\n")
    assert code == 0
    assert "  1. point 1" in out and "  4. point 4: channels are summed" in out
    assert f"Enter = {proposed}]> " in out
    assert [r.rating for r in store.reviews()] == [saved]


def test_enter_takes_the_ticks_the_answers_keywords_suggest(store: Store) -> None:
    answer = "A larger stride shrinks the output, and the products are summed over channels."
    _, out = _run(store, [_concept()], f"{answer}\n\n\n")
    assert "Enter = 2 4)> " in out
    assert "2 of 4 key points" in out
    assert "Enter = 2 hard]> " in out  # 2 of 4 does not pass
    review = store.reviews()[0]
    assert review.rating == 2 and review.score == 0.5


def test_enter_with_nothing_suggested_ticks_nothing_and_never_proposes_good(store: Store) -> None:
    _, out = _run(store, [_concept()], "\n\n\n")  # revealed without an attempt, Enter, Enter
    assert "Enter = none)> " in out
    assert "Enter = 1 again]> " in out
    assert [r.rating for r in store.reviews()] == [1]


@pytest.mark.parametrize("bad", ["5", "x", "1 9", "0 2", "1.5"])
def test_a_tick_list_that_does_not_read_is_asked_again(store: Store, bad: str) -> None:
    _, out = _run(store, [_concept()], f"a\n{bad}\n1 2 3\n\n")
    assert "please type key-point numbers from 1 to 4" in out
    assert "3 of 4 key points" in out
    assert len(store.reviews()) == 1


def test_parse_ticks() -> None:
    assert parse_ticks("1 3 4", 4) == [1, 3, 4]
    assert parse_ticks(" 4,1 1 ", 4) == [1, 4]
    assert parse_ticks("1，2", 4) == [1, 2]  # a Chinese comma
    assert parse_ticks("0", 4) == []
    for bad in ("", "5", "0 1", "-1", "one", "١"):  # the last: an Arabic-Indic digit
        assert parse_ticks(bad, 4) is None, bad


def test_typed_answers_are_graded_and_the_proposal_follows_the_verdict(store: Store) -> None:
    # choice "yes" is right; numeric 20 is right
    qs = [question("c1", Kind.CHOICE, topic="a.x"), question("n1", Kind.NUMERIC, topic="b.x")]
    _, out = _run(store, qs, "b\n\n20\n\n")
    assert "Enter = 1 again]> " in out  # c1 answered wrong
    assert "Enter = 3 good]> " in out  # n1 right in 30 s
    assert [(r.card_id, r.correct, r.rating) for r in store.reviews()] == [("c1", False, 1), ("n1", True, 3)]


def test_an_unreadable_answer_is_refused_with_the_previews_message_and_not_graded(store: Store) -> None:
    _, out = _run(store, [question("n1", Kind.NUMERIC)], "abc)(\n20\n\n")
    assert "can't read `abc)(`" in out and "try again" in out
    reviews = store.reviews()
    assert [(r.answer, r.correct) for r in reviews] == [("20", True)]  # only the readable answer counts


def test_the_refusal_speaks_chinese(store: Store) -> None:
    _, out = _run(store, [question("n1", Kind.NUMERIC)], "abc)(\n20\n\n", lang="zh")
    assert "无法解析 `abc)(`" in out


@pytest.mark.parametrize(
    ("stdin", "rated"),
    [
        ("", 0),  # nothing at all
        ("b\n", 0),  # answered, then the input ended before the rating
        ("b\n\n", 1),  # one card rated, the input ended at the next card
        ("b\n\nmy attempt\n", 1),  # ended at the concept card's ticks
        ("b\n\nq\n", 1),  # q stops the same way
    ],
)
def test_input_that_ends_early_says_how_many_were_saved(store: Store, stdin: str, rated: int) -> None:
    qs = [question("c1", Kind.CHOICE, topic="a.x"), _concept("k1"), question("n1", Kind.NUMERIC, topic="c.x")]
    code, out = _run(store, qs, stdin)
    assert code == 0
    noun = "card" if rated == 1 else "cards"
    assert f"Stopped after {rated} {noun}; your reviews are saved." in out
    assert "Session over" not in out
    assert len(store.reviews()) == rated


def test_a_finished_day_says_session_over(store: Store) -> None:
    _, out = _run(store, [question("c1", Kind.CHOICE)], "a\n4\n")  # Easy: not due again today
    assert "Session over: 1 rated." in out and "Stopped" not in out


def test_end_of_input_in_a_real_pipe_exits_0_without_a_traceback(tmp_path: object) -> None:
    result = run_cli("--data-dir", str(tmp_path), "--lang", "zh", "study", "--plain", "--new", "3", stdin="\n0\n\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "已在 1 张卡片后停止；你的复习记录已保存。" in result.stdout
