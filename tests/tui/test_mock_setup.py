"""Pilot tests: the mock dialog's choices reach the plan and are remembered; follow-ups in a whole mock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from quizforge.bank import Bank
from quizforge.store import Settings
from quizforge.study.mock import Status, Why
from quizforge.tui.app import QuizforgeApp, make_app
from quizforge.tui.screens.dashboard import DashboardScreen
from quizforge.tui.screens.mock import MockScreen
from quizforge.tui.screens.mock_setup import WEAKEST, MockSetupScreen
from quizforge.tui.screens.scorecard import ScorecardScreen
from tests.study.conftest import Clock
from tests.study.test_mock_follow_ups import STRONG, WEAK, chain_bank
from tests.tui.conftest import workers_done
from tests.tui.test_mock_screen import plain

# whole screens driven through Pilot: the slow tier (`make test`; `make test-fast` skips it)
pytestmark = pytest.mark.slow

AppFactory = Callable[..., QuizforgeApp]


async def open_dialog(app: QuizforgeApp, pilot) -> MockSetupScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("m")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, MockSetupScreen)
    return dialog


async def test_the_dialogs_choices_reach_the_plan_and_are_remembered(app_factory: AppFactory, bank: Bank) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(app, pilot)
        assert dialog.query_one("#mock-questions", Input).value == "8"  # the defaults the first time
        assert dialog.query_one("#mock-minutes", Input).value == "30"
        dialog.query_one("#mock-questions", Input).value = "5"
        dialog.query_one("#mock-minutes", Input).value = "12"
        dialog.query_one("#mock-topic", Select).value = "cnn"
        dialog.query_one("#mock-code", Checkbox).value = True
        await pilot.click("#start")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        interview = screen.interview
        assert (interview.count, interview.minutes, interview.topics, interview.include_code) == (5, 12, ["cnn"], True)
        kinds = [bank.questions[p.question_id].kind for p in interview.plan]
        topics = [bank.questions[p.question_id].topic for p in interview.plan]
        assert len(interview.plan) == 5 and kinds[-1] == "implement" and kinds.count("implement") == 1
        assert all(topic.startswith("cnn.") for topic in topics[:-1])
        assert "12:00 left" in plain(screen.query_one("#mock-status"))
        saved = app.store.settings()
        assert (saved.mock_questions, saved.mock_minutes, saved.mock_topics, saved.mock_code) == (5, 12, ("cnn",), True)
        assert {e.key for e in app.store.events(["setting"])} >= {"mock_questions", "mock_minutes", "mock_topics"}
        app.pop_screen()  # leave without a scorecard
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        again = await open_dialog(app, pilot)  # the last choice comes back
        assert again.query_one("#mock-questions", Input).value == "5"
        assert again.query_one("#mock-minutes", Input).value == "12"
        assert again.query_one("#mock-topic", Select).value == "cnn"
        assert again.query_one("#mock-code", Checkbox).value is True
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_my_weakest_and_the_language(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(app, pilot)
        dialog.query_one("#mock-topic", Select).value = WEAKEST
        dialog.query_one("#mock-lang", Select).value = "zh"
        await pilot.click("#start")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        assert screen.interview.weakest and screen.interview.topics is None
        assert app.lang == "zh" and app.store.settings().language == "zh"
        assert "第 1 / 8 题" in plain(screen.query_one("#mock-status"))
        assert app.store.settings().mock_weakest is True


async def test_a_number_out_of_range_is_named_and_nothing_starts(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(app, pilot)
        dialog.query_one("#mock-minutes", Input).value = "0"
        await pilot.click("#start")
        await pilot.pause()
        assert app.screen is dialog
        assert "Minutes" in plain(dialog.query_one("#mock-setup-error", Static))
        assert app.store.settings() == Settings()  # nothing remembered either


async def answer(pilot, screen: MockScreen, clock: Clock, text: str, seconds: float = 30) -> None:  # type: ignore[no-untyped-def]
    clock.advance(seconds=seconds)
    screen.query_one("#mock-text", TextArea).insert(text)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_a_weak_answer_gets_a_follow_up_and_a_strong_one_does_not(tmp_path: Path) -> None:
    clock = Clock()
    app = make_app(tmp_path / "data", chain_bank(), "en", now=clock, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        from quizforge.tui.screens.mock import open_mock

        open_mock(app, questions=2, seed=5)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        asked = []
        while isinstance(app.screen, MockScreen):
            card = screen.card
            assert card is not None
            asked.append(card.card_id)
            why = screen.query_one("#mock-why", Static)
            if screen.interview.current_depth:
                assert why.display and "digs deeper" in plain(why)
                assert "follow-up" in plain(screen.query_one("#mock-status"))
            else:
                assert not why.display
            await answer(pilot, screen, clock, WEAK if card.question.topic == "t.a" else STRONG)
        assert "g1" not in asked and asked[asked.index("root") + 1 : asked.index("root") + 3] == ["f1", "f2"]
        card_screen = app.screen
        assert isinstance(card_screen, ScorecardScreen)
        f1 = next(i for i in card_screen.scorecard.items if i.question.id == "f1")
        assert f1.follow_up is not None and f1.follow_up.why == Why.WEAK
        whys = [plain(w) for w in card_screen.query(".score-why")]
        assert len(whys) == 2 and "made 0 of 3 key points" in whys[0]
        assert "2 follow-ups asked" in plain(card_screen.query_one("#score-summary"))
        await pilot.press("e")  # the scorecard as Markdown, where the notification says
        await pilot.pause()
        path = card_screen.exported
        assert path is not None and path.parent == tmp_path / "data" / "scorecards"
        assert any(str(path) in str(n.message) for n in app._notifications)
        text = path.read_text(encoding="utf-8")
        assert text.count("*↳ follow-up: answer") == 2 and "made 0 of 3 key points" in text
        assert "2 follow-ups asked" in text and "## Score by kind" in text
        assert text.count("- [ ] mixes channels") >= 2  # the weak answers' unticked key points
        for item in card_screen.scorecard.items:
            assert f"## {item.index + 1}. t." in text


async def test_time_out_during_a_follow_up_in_the_tui(tmp_path: Path) -> None:
    clock = Clock()
    app = make_app(tmp_path / "data", chain_bank(), "en", now=clock, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        from quizforge.tui.screens.mock import open_mock

        open_mock(app, questions=2, minutes=5, seed=5)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        await answer(pilot, screen, clock, WEAK)
        assert screen.interview.current_depth == 1
        screen.query_one("#mock-text", TextArea).insert("half a thought about channels")
        clock.advance(minutes=6)
        screen.tick()
        await pilot.pause()
        card_screen = app.screen
        assert isinstance(card_screen, ScorecardScreen)
        items = card_screen.scorecard.items
        assert [i.status for i in items] == [Status.ANSWERED, Status.ANSWERED, Status.NOT_REACHED]
        assert items[1].follow_up is not None and items[1].answer == "half a thought about channels"


async def test_a_coding_question_is_judged_on_the_scorecard(tmp_path: Path, bank: Bank) -> None:
    from quizforge.tui.screens.mock import open_mock

    app = make_app(tmp_path / "data", bank, "en", now=Clock(), seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        open_mock(app, questions=1, seed=14, include_code=True)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MockScreen)
        card = screen.card
        assert card is not None and card.kind == "implement"
        assert "ctrl+s hands it in" in plain(screen.query_one("#mock-hint"))  # the widget table's hint
        # answered in the drill's code editor, as in a study session (submitting runs the judge first)
        from quizforge.tui.widgets.code import CodeAnswer

        code = screen.query_one(CodeAnswer)
        assert code.display and not screen.query_one("#mock-answer").display
        assert card.expected.model is not None
        code.editor.load_text(card.expected.model.en)
        await pilot.click("#mock-submit")  # the button hands the code in as ctrl+s does
        await workers_done(app)
        await pilot.pause()
        card_screen = app.screen
        assert isinstance(card_screen, ScorecardScreen)
        [item] = card_screen.scorecard.items
        assert item.correct is True and item.score == 1.0 and item.follow_up is None
        assert "20 of 20" in plain(card_screen.query_one(".score-yours"))
