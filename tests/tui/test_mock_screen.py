"""Pilot tests: a whole mock interview through the keyboard, the time-out, the scorecard and what is saved."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from quizforge.answer import AnswerKind
from quizforge.bank import Bank, Kind
from quizforge.store import Source
from quizforge.study.mock import Status
from quizforge.tui.app import QuizforgeApp, make_app
from quizforge.tui.screens.dashboard import DashboardScreen
from quizforge.tui.screens.mock import MockScreen, open_mock
from quizforge.tui.screens.scorecard import ScorecardScreen
from quizforge.tui.widgets.mock_keypoint import KeyPointToggle
from tests.study.conftest import Clock, right_answer, wrong_answer
from tests.tui.conftest import T0

# whole screens driven through Pilot: the slow tier (`make test`; `make test-fast` skips it)
pytestmark = pytest.mark.slow

AppFactory = Callable[..., QuizforgeApp]


def plain(widget: Widget) -> str:
    """What a ``Static`` shows, as plain text (tables and groups rendered 200 columns wide)."""
    assert isinstance(widget, Static)
    console = Console(width=200, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(widget.content)
    return capture.get()


ENGLISH = "It mixes channels at every pixel and reduces dimensions; batch norm and ReLU follow."
CHINESE = "在每个像素上做通道混合，先降维减少计算量，再加非线性。"


async def answer_current(  # type: ignore[no-untyped-def]
    pilot, screen: MockScreen, clock: Clock, n: int, concepts: int = 0
) -> tuple[str | None, bool | None]:
    """Answer the current question through the keyboard; the sixth is passed, every third wrong; concept
    answers alternate English and Chinese (``concepts``: how many concept answers were typed before).

    Returns the answer given (``None``: passed) and whether it was meant to be right (``None``: concept).
    """
    card = screen.card
    assert card is not None
    clock.advance(seconds=40)
    if n == 5:
        await pilot.press("f2")
        return None, None
    if card.kind == Kind.CONCEPT:
        text = ENGLISH if concepts % 2 == 0 else CHINESE
        await pilot.press(*text[:10])  # typed key by key (Chinese too) ...
        area = screen.query_one("#mock-text", TextArea)
        assert area.text == text[:10]
        await pilot.press("enter")  # Enter is a new line, not a submit
        assert screen.card is card
        area.insert(text[10:])  # ... and the rest in one go
        await pilot.press("ctrl+s")
        return text[:10] + "\n" + text[10:], None
    if card.answer_kind == AnswerKind.CHOICE:
        right = n % 3 != 0
        text = right_answer(card) if right else wrong_answer(card)
        await pilot.press(*[c for c in text if c != ","])
        await pilot.press("enter")
        return text, right
    right = n % 3 != 0
    text = right_answer(card) if right else wrong_answer(card)
    screen.query_one("#mock-answer").query_one(Input).value = text
    await pilot.press("enter")
    return text, right


async def test_a_whole_mock_through_the_keyboard(app_factory: AppFactory, clock: Clock) -> None:
    app = app_factory(seed=11)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        open_mock(app, seed=3)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        assert screen.interview.total == 8
        status = plain(screen.query_one("#mock-status"))
        assert "Question 1 of 8" in status and "30:00 left" in status
        given: list[tuple[str, str | None, bool | None]] = []
        n = 0
        while isinstance(app.screen, MockScreen):
            card = screen.card
            assert card is not None
            shown = "".join(plain(w) for w in screen.query_one("#mock-scroll").query(Static))
            assert "✓" not in shown and "✗" not in shown  # no verdicts while asking
            concepts = sum(1 for g in given if g[1] is not None and g[2] is None)
            answer, right = await answer_current(pilot, screen, clock, n, concepts)
            given.append((card.card_id, answer, right))
            await pilot.pause()
            n += 1
        card_screen = app.screen
        assert isinstance(card_screen, ScorecardScreen)
        scorecard = card_screen.scorecard
        assert [i.question.id for i in scorecard.items] == [g[0] for g in given]
        for item, (_, answer, right) in zip(scorecard.items, given, strict=True):
            assert item.status == (Status.PASSED if answer is None else Status.ANSWERED)
            assert item.answer == (answer or "")
            assert item.seconds == 40
            if right is not None:
                assert item.correct is right and item.score == float(right)
        follow_ups = scorecard.follow_ups
        assert n == 8 + len(follow_ups)  # eight main questions, and the follow-ups weak answers earned
        chains: dict[int, list[float]] = {}
        for item in scorecard.items:
            root = item.index
            while scorecard.items[root].follow_up is not None:
                root = scorecard.items[root].follow_up.of  # type: ignore[union-attr]
            chains.setdefault(root, []).append(item.score)
        assert scorecard.total == pytest.approx(100 * sum(sum(c) / len(c) for c in chains.values()) / 8)
        answered_kinds = {i.kind for i in scorecard.items if i.status == Status.ANSWERED}
        assert {Kind.CONCEPT, Kind.CHOICE} <= answered_kinds and answered_kinds & {Kind.NUMERIC, Kind.GENERATED}
        assert any(i.answer == CHINESE[:10] + "\n" + CHINESE[10:] for i in scorecard.items)
        assert any(i.answer == ENGLISH[:10] + "\n" + ENGLISH[10:] for i in scorecard.items)
        concept = [i for i in scorecard.items if i.is_concept and i.status == Status.ANSWERED]
        assert concept, "the draw should hold a concept question"
        # saved when the scorecard opened
        [saved] = app.store.mock_results()
        assert saved.score == pytest.approx(scorecard.total / 100)
        assert f"Score {round(scorecard.total)} / 100" in plain(card_screen.query_one("#score-summary"))
        reviews = app.store.reviews()
        assert len(reviews) == sum(1 for i in scorecard.items if i.status.asked) == n
        assert {r.source for r in reviews} == {Source.MOCK}
        # tick the first key point of the first concept answer with the keyboard, and another with a click
        first = concept[0]
        before_tick = first.ticks[0]
        total_before = scorecard.total
        await pilot.press("a")  # nothing focused: the letters tick the concept answer in view (or the first)
        await pilot.pause()
        assert first.ticks[0] is (not before_tick)
        await pilot.press("a")
        await pilot.pause()
        assert first.ticks[0] is before_tick and scorecard.total == total_before
        await pilot.press("down")
        focused = app.focused
        assert isinstance(focused, KeyPointToggle) and focused.question_index == first.index
        await pilot.press("space")
        await pilot.pause()
        assert first.ticks[0] is (not before_tick)
        assert scorecard.total != total_before
        assert f"Score {round(scorecard.total)} / 100" in plain(card_screen.query_one("#score-summary"))
        last_point = len(first.ticks) - 1
        await pilot.press("abcdef"[last_point])
        await pilot.pause()
        toggles = [t for t in card_screen.query(KeyPointToggle) if t.question_index == first.index]
        assert [t.on for t in toggles] == first.ticks
        await pilot.click(toggles[1])
        await pilot.pause()
        assert toggles[1].on is first.ticks[1]
        total = scorecard.total
        study_next = scorecard.study_next
        assert study_next and set(study_next) == {t for t, s in scorecard.by_topic.items() if s < 100}
        await pilot.press("escape")  # leaving saves the ticks
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        [resaved] = app.store.mock_results()
        assert resaved.id == saved.id and resaved.score == pytest.approx(total / 100)
        assert [q["ticks"] for q in resaved.details["questions"]] == [i.ticks for i in scorecard.items]
        assert len(app.store.reviews()) == n  # one review per question, however often it was saved
        concept_review = next(r for r in app.store.reviews() if r.card_id == first.question.id)
        assert concept_review.rating == int(first.rating)


async def test_time_out_ends_the_interview_and_keeps_the_typed_draft(app_factory: AppFactory, clock: Clock) -> None:
    app = app_factory(lang="zh", seed=5)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        open_mock(app, minutes=2, seed=8)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        assert "剩余 02:00" in plain(screen.query_one("#mock-status"))
        clock.advance(seconds=30)
        await answer_current(pilot, screen, clock, 0)
        await pilot.pause()
        card = screen.card
        assert card is not None
        clock.advance(seconds=20)
        screen.tick()
        status = plain(screen.query_one("#mock-status"))
        assert "剩余 00:30" in status and "本题 00:20" in status
        assert [n.message for n in app._notifications] == ["还剩 1 分钟。"]  # said once, not every second
        screen.tick()
        assert len(app._notifications) == 1
        if card.kind == Kind.CONCEPT:
            screen.query_one("#mock-text", TextArea).insert(CHINESE)
        elif card.answer_kind == AnswerKind.CHOICE:
            await pilot.press("a")
        else:
            screen.query_one("#mock-answer").query_one(Input).value = "7"
        clock.advance(minutes=5)
        screen.tick()  # what the once-a-second countdown does: it notices the time is up
        await pilot.pause()
        card_screen = app.screen
        assert isinstance(card_screen, ScorecardScreen)
        scorecard = card_screen.scorecard
        statuses = [i.status for i in scorecard.items]
        assert statuses[:2] == [Status.ANSWERED, Status.ANSWERED]  # the draft was kept
        assert set(statuses[2:]) == {Status.NOT_REACHED}
        assert scorecard.items[1].seconds == 50  # from when it was asked to the deadline
        assert scorecard.finished_at == card_screen.interview.deadline
        summary = plain(card_screen.query_one("#score-summary"))
        assert f"得分 {round(scorecard.total)} / 100" in summary and "共 8 题，作答 2 题" in summary
        [saved] = app.store.mock_results()
        assert saved.details["answered"] == 2
        assert len(app.store.reviews()) == 2


async def test_escape_asks_before_abandoning(app_factory: AppFactory, clock: Clock) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        open_mock(app, seed=1)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.store.mock_results() == [] and app.store.reviews() == []


async def test_nothing_to_ask_says_so(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        open_mock(app, topics=["no.such.topic"])
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


@pytest.mark.parametrize(("size", "narrow"), [((80, 24), True), ((200, 50), False)])
async def test_scorecard_stacks_answers_at_80_columns(
    app_factory: AppFactory, clock: Clock, size: tuple[int, int], narrow: bool
) -> None:
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        open_mock(app, questions=3, seed=2, topics=["cnn"])
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        n = 0
        while isinstance(app.screen, MockScreen) and n < 10:  # three main questions and their follow-ups
            await answer_current(pilot, screen, clock, n)
            await pilot.pause()
            n += 1
        card_screen = app.screen
        assert isinstance(card_screen, ScorecardScreen)
        assert card_screen.has_class("-narrow") is narrow
        yours = card_screen.query(".score-yours").first()
        model = card_screen.query(".score-model").first()
        if narrow:
            assert model.region.y > yours.region.y  # stacked
        else:
            assert model.region.x > yours.region.x and model.region.y == yours.region.y  # side by side
        await pilot.press("ctrl+l")  # the scorecard follows the language switch
        await pilot.pause()
        assert "得分" in plain(app.screen.query_one("#score-summary"))


async def test_study_next_starts_a_session_on_the_weakest_topics(app_factory: AppFactory, clock: Clock) -> None:
    app = app_factory()
    started: list[list[str]] = []
    app.action_start_topics = started.append  # type: ignore[attr-defined]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        open_mock(app, questions=2, seed=4)
        await pilot.pause()
        await pilot.press("f2", "f2")
        await pilot.pause()
        card_screen = app.screen
        assert isinstance(card_screen, ScorecardScreen)
        expected = card_screen.scorecard.study_next
        assert expected
        await pilot.press("t")
        await pilot.pause()
        assert started == [expected]
        assert isinstance(app.screen, DashboardScreen)


async def test_time_running_out_behind_the_abandon_dialog(app_factory: AppFactory, clock: Clock) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        open_mock(app, minutes=1, seed=1)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        await pilot.press("escape")
        await pilot.pause()
        clock.advance(minutes=2)
        screen.tick()  # the countdown behind the dialog notices the time is up
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"  # the question stays until it is answered
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ScorecardScreen)
        assert app.screen.scorecard.items[0].status == Status.TIMED_OUT


def test_the_clock_reads_as_a_stopwatch() -> None:
    from quizforge.tui.widgets.clock import clock

    # 75 s = 1 min 15 s; 3725 s = 1 h 2 min 5 s; a countdown past zero stays at zero
    assert clock(75) == "01:15" and clock(3725) == "1:02:05" and clock(-3) == "00:00"


async def test_language_switch_during_the_interview_keeps_the_typed_answer(
    app_factory: AppFactory, clock: Clock
) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        open_mock(app, seed=3)  # starts with a concept question (see the whole-mock test)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        card = screen.card
        assert card is not None and card.kind == Kind.CONCEPT
        await pilot.press(*"pooling")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.lang == "zh"
        assert "第 1 / 8 题" in plain(screen.query_one("#mock-status"))
        assert card.prompt.zh[:8] in plain(screen.query_one("#mock-prompt"))
        assert screen.query_one("#mock-text", TextArea).text == "pooling"
        assert screen.card is card


def _mock_snapshot(answer_all: bool) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, QuizforgeApp)
        open_mock(app, seed=3, questions=4)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        clock = app.now
        assert isinstance(clock, Clock)
        if answer_all:
            for n in range(4):
                await answer_current(pilot, screen, clock, n)
                await pilot.pause()
        else:
            await pilot.press(*"Mixes channels")
            clock.advance(seconds=75)
            screen.tick()
        for widget in app.screen.query("Input, TextArea"):
            widget.cursor_blink = False  # type: ignore[attr-defined]
        await pilot.pause()

    return run


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("screen", ["question", "scorecard"])
def test_snapshots(snap_compare: Any, bank: Bank, tmp_path: Path, screen: str, lang: str) -> None:
    app = make_app(tmp_path / "data", bank, lang, now=Clock(T0), seed=3)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_mock_snapshot(screen == "scorecard"))
