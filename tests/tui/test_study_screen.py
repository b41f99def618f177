"""Pilot tests: a whole study session through the keyboard, every kind of card, and what is saved."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from itertools import pairwise

import pytest
from textual.widgets import Input

from quizforge.answer import AnswerKind
from quizforge.bank import Kind
from quizforge.store import Source
from quizforge.study.scheduling import Rating
from quizforge.tui.app import Launch, QuizforgeApp
from quizforge.tui.screens.dashboard import DashboardScreen
from quizforge.tui.screens.study import StudyScreen
from tests.study.conftest import Clock, right_answer, wrong_answer

# whole screens driven through Pilot: the slow tier (`make test`; `make test-fast` skips it)
pytestmark = pytest.mark.slow

AppFactory = Callable[..., QuizforgeApp]


async def answer_card(pilot, screen: StudyScreen, clock: Clock, *, right: bool) -> None:  # type: ignore[no-untyped-def]
    """Answer the current card through the keyboard, as a user would."""
    card = screen.card
    assert card is not None
    clock.advance(seconds=25)
    if card.kind == Kind.CONCEPT:
        await pilot.press("space")
        if right:
            await pilot.press(*"abcdef"[: len(card.question.body.key_points)])
    elif card.answer_kind == AnswerKind.CHOICE:
        text = right_answer(card) if right else wrong_answer(card)
        await pilot.press(*[c for c in text if c != ","])
        await pilot.press("enter")
    else:
        text = right_answer(card) if right else wrong_answer(card)
        screen.query_one(Input).value = text  # typing a long matrix key by key adds nothing
        await pilot.press("enter")
    await pilot.pause()


@pytest.mark.slow  # every kind, a whole session each
async def test_whole_sessions_of_every_kind_are_saved(app_factory: AppFactory, clock: Clock) -> None:
    # cnn.pool has cards of every kind that are nobody's follow-up (a follow-up is buried for the day
    # once its parent is answered); study it on two days in a row.
    app = app_factory(launch=Launch(screen="study", topics=("cnn.pool",), new=40))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        kinds: Counter[Kind] = Counter()
        verdicts = []
        n = 0
        for day in range(2):
            if day:
                clock.advance(days=1)
                app.action_start_topics(["cnn.pool"])  # the same topic again (`s` studies the whole bank)
                await pilot.pause()
            screen = app.screen
            assert isinstance(screen, StudyScreen)
            while screen.card is not None:
                kinds[screen.card.kind] += 1
                right = n % 3 != 2  # every third answer wrong
                await answer_card(pilot, screen, clock, right=right)
                assert screen.result is not None
                result = screen.result
                verdicts.append((screen.card.card_id, screen.card.kind, right, result.correct, result.proposed))
                await pilot.press("enter")  # accept the proposed rating
                await pilot.pause()
                n += 1
            assert isinstance(app.screen, DashboardScreen)  # the session ends on its own
        # day 2 studies the whole bank, whose interleaved new cards may include a coding drill
        assert {Kind.CONCEPT, Kind.CHOICE, Kind.NUMERIC, Kind.GENERATED} <= set(kinds) <= set(Kind), kinds
        reviews = app.store.reviews()
        assert len(reviews) == n
        assert {r.source for r in reviews} == {Source.STUDY}
        for (card_id, kind, right, correct, proposed), review in zip(verdicts, reviews, strict=True):
            assert review.card_id == card_id
            assert review.rating == int(proposed)
            if kind != Kind.CONCEPT:
                assert correct is right  # the grader agreed with the answer we meant to give
                assert (review.rating == 1) is (not right)  # wrong → Again
            assert (review.seed is not None) is (kind in (Kind.GENERATED, Kind.IMPLEMENT))  # drills draw cases too
        # every reviewed card now has a schedule
        for card_id in {r.card_id for r in reviews}:
            stored = app.store.card(card_id)
            assert stored is not None and stored.memory.due is not None


async def test_override_rating_undo_and_suspend(app_factory: AppFactory, clock: Clock) -> None:
    app = app_factory(launch=Launch(screen="study", topics=("cnn.pool",), new=10))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        first = screen.card
        assert first is not None
        await answer_card(pilot, screen, clock, right=True)
        await pilot.press("4")  # override whatever was proposed with Easy
        await pilot.pause()
        [saved] = app.store.reviews()
        assert saved.card_id == first.card_id and saved.rating == 4
        await pilot.press("u")  # undo: the review is gone and the card is back
        await pilot.pause()
        assert app.store.reviews() == []
        assert screen.card is not None and screen.card.card_id == first.card_id
        await pilot.press("s")  # suspend it
        await pilot.pause()
        stored = app.store.card(first.card_id)
        assert stored is not None and stored.suspended
        assert screen.card is None or screen.card.card_id != first.card_id


async def test_leaving_with_an_answer_in_progress_asks_first(app_factory: AppFactory, clock: Clock) -> None:
    app = app_factory(launch=Launch(screen="study", topics=("cnn.conv",), new=40))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        while screen.card is not None and screen.card.answer_kind in (None, AnswerKind.CHOICE):
            await answer_card(pilot, screen, clock, right=True)
            await pilot.press("enter")
            await pilot.pause()
        screen.query_one(Input).value = "1/4"
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("n")  # stay
        await pilot.pause()
        assert app.screen is screen and screen.query_one(Input).value == "1/4"
        await pilot.press("escape")
        await pilot.press("y")  # leave
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_live_preview_says_how_the_answer_is_read(app_factory: AppFactory, clock: Clock) -> None:
    app = app_factory(launch=Launch(screen="study", topics=("math.linalg",), new=40))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        while screen.card is not None and screen.card.answer_kind != AnswerKind.MATRIX:
            await answer_card(pilot, screen, clock, right=True)
            await pilot.press("enter")
            await pilot.pause()
        assert screen.card is not None
        await pilot.click("#answer-input")
        await pilot.press(*"1 2; 3 4")
        await pilot.pause()
        preview = str(screen.query_one("#answer-preview").render())
        assert "2×2" in preview
        screen.query_one(Input).value = ""
        await pilot.press(*"1/")
        await pilot.pause()
        assert "can't read" in str(screen.query_one("#answer-preview").render())


async def test_language_switch_rerenders_the_card_and_keeps_the_typed_answer(
    app_factory: AppFactory, clock: Clock
) -> None:
    app = app_factory(launch=Launch(screen="study", topics=("cnn.conv",), new=40))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        while screen.card is not None and screen.card.answer_kind in (None, AnswerKind.CHOICE):
            await answer_card(pilot, screen, clock, right=True)
            await pilot.press("enter")
            await pilot.pause()
        card = screen.card
        assert card is not None
        screen.query_one(Input).value = "42"
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.lang == "zh"
        assert card.prompt.zh.splitlines()[0][:10] in str(screen.query_one("#card-prompt").render())
        assert screen.query_one(Input).value == "42"
        assert app.store.settings().language == "zh"  # saved


async def test_resize_keeps_the_session(app_factory: AppFactory, clock: Clock) -> None:
    app = app_factory(launch=Launch(screen="study", topics=("cnn.pool",), new=10))
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        card = screen.card
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert screen.card is card
        await answer_card(pilot, screen, clock, right=True)
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.store.reviews()) == 1


async def _first_card_of(pilot, screen: StudyScreen, clock: Clock, wanted: Callable[..., bool]) -> None:  # type: ignore[no-untyped-def]
    """Answer (right, accepting the proposal) until the card on screen is one ``wanted`` accepts."""
    while screen.card is not None and not wanted(screen.card):
        await answer_card(pilot, screen, clock, right=True)
        await pilot.press("enter")
        await pilot.pause()
    assert screen.card is not None, "no such card in the topic"


async def test_a_concept_card_with_nothing_ticked_never_proposes_good(app_factory: AppFactory, clock: Clock) -> None:
    app = app_factory(launch=Launch(screen="study", topics=("cnn.pool",), new=40))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        await _first_card_of(pilot, screen, clock, lambda c: c.kind == Kind.CONCEPT)
        card = screen.card
        assert card is not None and len(card.question.body.key_points) >= 3
        clock.advance(seconds=25)
        await pilot.press("space")  # reveal
        await pilot.pause()
        assert screen.result is not None
        revealed = (screen.result.proposed, str(screen.query_one("#verdict").render()))
        assert revealed[0] == Rating.Again and "Wrong" not in revealed[1]
        await pilot.press("a")  # one point of several: partial
        await pilot.pause()
        assert screen.result.proposed == Rating.Hard
        await pilot.press("a")  # untick: back to what the user saw before ticking anything
        await pilot.pause()
        assert (screen.result.proposed, str(screen.query_one("#verdict").render())) == revealed
        await pilot.press(*"abcdef"[: len(card.question.body.key_points)])
        await pilot.pause()
        assert screen.result.correct and screen.result.proposed in (Rating.Good, Rating.Easy)
        await pilot.press("a", "b", "c", "d", "e", "f")  # untick them all again
        await pilot.pause()
        assert screen.result.proposed == Rating.Again
        await pilot.press("enter")
        await pilot.pause()
        [saved] = [r for r in app.store.reviews() if r.card_id == card.card_id]
        assert saved.rating == 1


async def test_an_unreadable_answer_is_refused_not_graded(app_factory: AppFactory, clock: Clock) -> None:
    app = app_factory(launch=Launch(screen="study", topics=("cnn.pool",), new=40))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        await _first_card_of(pilot, screen, clock, lambda c: c.kind == Kind.GENERATED and c.answer_kind is not None)
        card = screen.card
        assert card is not None
        before = len(app.store.reviews())
        await pilot.click("#answer-input")
        await pilot.press(*"abc)(")
        await pilot.pause()
        preview = str(screen.query_one("#answer-preview").render())
        assert preview.startswith("can't read `abc)(`")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.result is None and screen.card is card  # not graded, still the same card
        assert str(screen.query_one("#answer-preview").render()) == preview
        assert screen.query_one(Input).value == "abc)("  # the typed text is kept to be fixed
        assert len(app.store.reviews()) == before
        screen.query_one(Input).value = right_answer(card)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.result is not None and screen.result.correct
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.store.reviews()) == before + 1


async def test_u_before_rating_takes_the_answer_back(app_factory: AppFactory, clock: Clock) -> None:
    app = app_factory(launch=Launch(screen="study", topics=("cnn.pool",), new=40))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        await answer_card(pilot, screen, clock, right=True)  # one card saved before: u must keep it
        await pilot.press("enter")
        await pilot.pause()
        [kept] = app.store.reviews()
        await _first_card_of(pilot, screen, clock, lambda c: c.answer_kind == AnswerKind.CHOICE)
        card = screen.card
        assert card is not None
        saved_before = app.store.reviews()
        await answer_card(pilot, screen, clock, right=False)
        assert screen.result is not None and screen.result.correct is False
        await pilot.press("u")
        await pilot.pause()
        assert screen.result is None and screen.card is card and screen.selected == []
        assert app.store.reviews() == saved_before and kept in saved_before
        await answer_card(pilot, screen, clock, right=True)
        assert screen.result is not None and screen.result.correct
        await pilot.press("enter")
        await pilot.pause()
        mine = [r for r in app.store.reviews() if r.card_id == card.card_id]
        assert [(r.correct, r.answer) for r in mine] == [(True, right_answer(card))]


async def test_the_counter_never_grows_and_leaving_early_says_how_many(app_factory: AppFactory, clock: Clock) -> None:
    import re

    app = app_factory(launch=Launch(screen="study", topics=("cnn.pool",), new=8))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        seen: set[str] = set()
        counters: list[tuple[int, int]] = []
        while screen.card is not None and len(counters) < 12:
            m = re.search(r"(\d+) done · (\d+) left", str(screen.query_one("#study-progress").render()))
            assert m is not None
            counters.append((int(m[1]), int(m[2])))
            first = screen.card.card_id not in seen  # wrong the first time: it comes back today
            seen.add(screen.card.card_id)
            clock.advance(minutes=2)
            await answer_card(pilot, screen, clock, right=not first)
            await pilot.press("enter" if first else "3")
            await pilot.pause()
        assert [d for d, _ in counters] == list(range(len(counters)))  # one more done per rating
        lefts = [n for _, n in counters]
        assert all(b <= a for a, b in pairwise(lefts)), lefts
        assert lefts[0] > lefts[-1]
        assert len(set(seen)) < len(counters)  # some cards came back (learning steps)
        await pilot.press("escape")
        await pilot.pause()
        if type(app.screen).__name__ == "ConfirmDialog":
            await pilot.press("y")
            await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        n = len(app.store.reviews())
        assert n == len(counters)
        assert [x.message for x in app._notifications][-1] == f"Session left: {n} cards reviewed."
