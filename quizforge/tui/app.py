"""The Textual application. ``make_app`` is the one factory the CLI and the tests use.

The app owns the open store and the loaded bank, the language and the clock; screens get what they
need from it and call ``quizforge.study`` services. Nothing here knows SQL or NumPy.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from quizforge.i18n import t, tn
from quizforge.locations import data_dir as resolve_data_dir
from quizforge.locations import db_path
from quizforge.store import Settings, Store
from quizforge.study.dashboard import Counts, counts
from quizforge.study.days import utc_now
from quizforge.text import Lang

if TYPE_CHECKING:
    from quizforge.bank.schema import Bank  # the CLI's dashboard hands a loader: no bank on the start path
    from quizforge.study.focus import Focus
    from quizforge.study.session import StudySession
    from quizforge.tui.screens.quiz_setup import QuizChoice


class Activity(StrEnum):
    """What the app can open: the values are the names key bindings pass to ``app.start``."""

    DASHBOARD = "dashboard"
    STUDY = "study"
    QUIZ = "quiz"
    MOCK = "mock"
    REPORT = "report"
    BROWSE = "browse"
    SETTINGS = "settings"
    PLAN = "plan"


@dataclass(frozen=True)
class Launch:
    """What the app opens into: the dashboard, or straight into a study session or a quiz."""

    screen: Activity = Activity.DASHBOARD
    topics: tuple[str, ...] = ()
    cram: bool = False
    new: int | None = None
    difficulty: int | None = None
    count: int = 10  # quiz questions
    minutes: int = 30  # mock interview
    questions: int = 8
    seed: int | None = None
    weakest: bool = False  # mock interview: only the weakest topics
    code: bool = False  # mock interview: end with a coding question
    offer_plan: bool = False  # on a fresh data dir, open the interview-plan dialog (the CLI's dashboard)

    def __post_init__(self) -> None:
        object.__setattr__(self, "screen", Activity(self.screen))  # a plain name ("study") is accepted too


class QuizforgeApp(App[None]):
    TITLE = "quizforge"
    CSS_PATH = "quizforge.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", t("action.quit", Lang.EN), show=False, priority=True),
        Binding("ctrl+t", "toggle_theme", t("action.theme", Lang.EN), show=False),
        # priority: a dialog (help, quiz set-up) and a focused input switch too
        Binding("ctrl+l", "toggle_language", t("help.language", Lang.EN), show=False, priority=True),
    ]

    lang: reactive[str] = reactive("en", init=False)

    def __init__(
        self,
        *,
        data_dir: Path,
        bank: Bank | Callable[[], Bank],
        lang: str | None,
        now: Callable[[], datetime] = utc_now,
        launch: Launch | None = None,
        seed: int | None = None,
        default_lang: str = "en",
    ) -> None:
        super().__init__()
        self.rng = random.Random(seed)  # seeds of generated questions (fixed in tests and snapshots)
        self.data_dir = data_dir
        self._bank: Bank | None = None if callable(bank) else bank
        self._load_bank = bank if callable(bank) else None
        self._bank_lock = threading.Lock()  # the dashboard loads it in a worker; a key may ask meanwhile
        self.first_frame = threading.Event()  # set once the first screen is on the terminal
        self._after_first_frame: list[Callable[[], object]] = []
        self._offer_plan = False
        self.now = now
        self.launch = launch or Launch()
        self.store = Store.open(db_path(data_dir))
        self.settings: Settings = self.store.settings()
        if lang is None:
            # the language saved in Settings wins over the locale's default
            lang = self.settings.language if "language" in self.store.raw_settings() else default_lang
        self.set_reactive(QuizforgeApp.lang, lang)
        self._service: StudySession | None = None
        self._synced = False
        self.failure: str | None = None  # why the app closed early (the CLI prints it)

    # -- services ----------------------------------------------------------------------------------

    @property
    def service(self) -> StudySession:
        """A study session over the whole bank, for mastery and card flags (built lazily: it imports
        FSRS and NumPy, which the dashboard's first paint does not wait for)."""
        if self._service is None:
            self._service = self.new_session()
        return self._service

    def new_session(self, **options: object) -> StudySession:
        """A :class:`StudySession` with the app's store, bank, clock, seeds and language."""
        from quizforge.study.session import StudySession

        return StudySession(
            self.store,
            self.bank,
            now=self.now,
            rng=self.rng,
            lang=self.lang,
            **options,  # type: ignore[arg-type]
        )

    @property
    def bank(self) -> Bank:
        """The question bank, loaded on first use when the CLI passed a loader (so the dashboard's
        first paint does not wait for it)."""
        with self._bank_lock:
            if self._bank is None:
                assert self._load_bank is not None
                self._bank = self._load_bank()
            return self._bank

    @property
    def bank_loaded(self) -> bool:
        return self._bank is not None

    def fail(self, message: str) -> None:
        """Close the app because it cannot go on (e.g. no question could be loaded)."""
        self.failure = message
        self.exit(return_code=2)

    def sync_bank(self) -> bool:
        """Make sure every question has a card row (once per run). Returns whether anything changed."""
        if self._synced:
            return False
        self._synced = True
        return self.store.sync_bank((q.id, q.topic) for q in self.bank) > 0

    def counts(self) -> Counts:
        """Today's counts: plain SQL, cheap enough for the first paint (before the bank is synced)."""
        return counts(self.store, self.settings, self.now())

    def mastery(self) -> dict[str, float]:
        return self.service.mastery()

    def forget_session(self) -> None:
        """Drop the cached study service (the plan or the settings changed its queue)."""
        self._service = None

    def save_settings(self, new: Settings) -> None:
        self.settings = self.store.set_settings(**new.to_values())
        self._service = None  # limits and retention changed: rebuild on next use
        if new.language != self.lang:
            self.lang = new.language

    # -- screens -----------------------------------------------------------------------------------

    def on_ready(self) -> None:
        self.first_frame.set()
        waiting, self._after_first_frame = self._after_first_frame, []
        for callback in waiting:
            callback()

    def after_first_frame(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once the first screen is on the terminal (now, if it already is): work that
        would hold the first paint back, even starting a worker thread, waits for it."""
        if self.first_frame.is_set():
            callback()
        else:
            self._after_first_frame.append(callback)

    def on_mount(self) -> None:
        from quizforge.tui.screens.dashboard import DashboardScreen

        self.push_screen(DashboardScreen())
        if self.launch.screen != Activity.DASHBOARD:
            self.action_start(self.launch.screen, first=True)
        elif self.launch.offer_plan:
            self._offer_plan = True  # once the dashboard has the bank: the dialog lists its areas

    def bank_shown(self) -> None:
        """The dashboard has drawn the loaded bank: offer the interview plan now if asked to (a first
        launch parses the whole bank, which must not stand in front of the first paint)."""
        if self._offer_plan:
            self._offer_plan = False
            from quizforge.tui.screens.plan import offer_on_first_run

            offer_on_first_run(self)

    def action_start(self, what: str, first: bool = False) -> None:
        """Open an activity (keys, buttons, command palette; ``first``: as the CLI asked for it)."""
        launch = self.launch if first else Launch()
        self._openers[Activity(what)](self, launch, first)

    def _open_study(self, launch: Launch, first: bool) -> None:
        if not first:  # a key or the palette: today's cards, or the last focus shown to confirm or change
            focus = self.last_focus()
            if focus.everything:
                self.study_focus(focus)
            else:
                self.action_choose_focus()
            return
        session = self.new_session(topics=list(launch.topics) or None, new_limit=launch.new, cram=launch.cram)
        self.open_session(session, partial(t, "action.study"))

    # -- steering: what to study -------------------------------------------------------------------

    def last_focus(self) -> Focus:
        """The focus chosen last time (the ``focus`` setting), without what the bank no longer has."""
        from quizforge.study.focus import Focus

        return Focus.from_tokens(self.settings.focus, self.bank)

    def action_choose_focus(self) -> None:
        """Choose topics, areas, kinds or the weakest topics, starting from the last focus."""
        from quizforge.tui.screens.focus import FocusDialog

        def chosen(focus: Focus | None) -> None:
            if focus is not None:
                self.study_focus(focus)

        self.push_screen(FocusDialog(self.bank, self.last_focus(), self.lang), chosen)

    def study_focus(self, focus: Focus) -> None:
        """Study what ``focus`` selects (ahead of schedule when nothing of it is due) and remember it."""
        from quizforge.study.focus import describe, resolve

        self.settings = self.store.set_settings(focus=list(focus.tokens()))  # a setting event when it changed
        chosen = resolve(focus, self.store, self.bank, self.settings, self.now())
        if chosen is None:
            self.notify(t("focus.no_weak", self.lang))
            return
        session = self.new_session(topics=chosen.topics, kinds=chosen.kinds)
        if session.remaining == 0 and not focus.everything:
            session = self.new_session(topics=chosen.topics, kinds=chosen.kinds, cram=True)
        title = t("action.study", self.lang)
        if not focus.everything:
            title += " · " + describe(focus, self.bank, self.lang)
        self.open_session(session, title)

    def _open_quiz(self, launch: Launch, first: bool) -> None:
        from quizforge.tui.screens.quiz_setup import QuizChoice, QuizSetupScreen

        if first:
            self.start_quiz(QuizChoice(tuple(launch.topics), launch.difficulty, launch.count))
            return

        self.push_screen(QuizSetupScreen(self.bank, self.lang), self.start_quiz)

    def _open_mock(self, launch: Launch, first: bool) -> None:
        from quizforge.tui.screens.mock_setup import MockChoice, open_mock_setup, start_mock

        if not first:  # from the dashboard: the dialog, with the last choice
            open_mock_setup(self)
            return
        choice = MockChoice(launch.questions, launch.minutes, launch.topics, launch.weakest, launch.code, self.lang)
        start_mock(self, choice, seed=launch.seed)

    def _open_report(self, launch: Launch, first: bool) -> None:
        from quizforge.tui.screens.report import ReportScreen

        self.push_screen(ReportScreen(topics=list(launch.topics) or None))

    def _open_browse(self, launch: Launch, first: bool) -> None:
        from quizforge.tui.screens.browse import BrowseScreen

        self.push_screen(BrowseScreen())

    def _open_settings(self, launch: Launch, first: bool) -> None:
        from quizforge.tui.screens.settings import SettingsScreen

        def saved(new: Settings | None) -> None:
            if new is not None:
                self.save_settings(new)
                self.notify(t("settings.saved", self.lang))

        self.push_screen(SettingsScreen(self.settings, self.lang), saved)

    def _open_plan(self, launch: Launch, first: bool) -> None:
        from quizforge.tui.screens.plan import open_plan

        open_plan(self)

    def _open_nothing(self, launch: Launch, first: bool) -> None:
        """The dashboard is always the bottom screen: there is nothing to open."""

    _openers: ClassVar[dict[Activity, Callable[[QuizforgeApp, Launch, bool], None]]] = {
        Activity.DASHBOARD: _open_nothing,
        Activity.STUDY: _open_study,
        Activity.QUIZ: _open_quiz,
        Activity.MOCK: _open_mock,
        Activity.REPORT: _open_report,
        Activity.BROWSE: _open_browse,
        Activity.SETTINGS: _open_settings,
        Activity.PLAN: _open_plan,
    }

    def start_quiz(self, choice: QuizChoice | None) -> None:
        if choice is None:
            return
        from quizforge.study.quiz import QuizSession
        from quizforge.tui.screens.quiz_summary import QuizSummaryScreen

        quiz = QuizSession(
            self.store,
            self.bank,
            n=choice.count,
            difficulty=choice.difficulty,
            now=self.now,
            topics=list(choice.topics) or None,
            rng=self.rng,
            lang=self.lang,
            kinds=list(choice.kinds) or None,
        )

        def done() -> None:
            if quiz.results:
                self.push_screen(QuizSummaryScreen(quiz.summary()))

        self.open_session(quiz, partial(t, "action.quiz"), then=done)

    def study_cards(self, card_ids: list[str]) -> None:
        """Cram the given cards now (e.g. a quiz's misses) without moving their schedule."""
        session = self.new_session(cram=True, card_ids=card_ids)
        self.open_session(session, partial(t, "quiz.study_misses"))

    def action_start_topics(self, topics: list[str]) -> None:
        """Study today's cards of ``topics`` (e.g. the weakest topics after a mock interview)."""
        session = self.new_session(topics=topics)
        if session.remaining == 0:
            session = self.new_session(topics=topics, cram=True)
        self.open_session(session, partial(t, "action.study"))

    def open_session(
        self, session: StudySession, title: str | Callable[[str], str], then: Callable[[], None] | None = None
    ) -> None:
        """Show ``session`` in a study screen titled ``title`` (or ``title(lang)``, which follows the
        language switch); ``then`` runs when it closes."""
        from quizforge.tui.screens.study import StudyScreen

        if session.remaining == 0:
            self.notify(t("study.nothing_to_study", self.lang))
            return
        screen = StudyScreen(session, title=title)

        def done(_: None) -> None:
            self._service = None
            if screen.reviewed or not screen.completed:
                done = "study.session_done" if screen.completed else "study.session_left"
                self.notify(tn(done, screen.reviewed, self.lang))
            if then is not None:
                then()

        self.push_screen(screen, done)

    def action_help(self) -> None:
        from quizforge.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.lang))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_toggle_language(self) -> None:
        self.lang = "zh" if self.lang == "en" else "en"
        self.store.set_settings(language=self.lang)
        self.settings = self.store.settings()

    async def watch_lang(self, lang: str) -> None:
        """Re-render every open screen in the new language (typed answers are kept)."""
        from textual.widgets import Button

        from quizforge.tui.screens.base import recompose_in
        from quizforge.tui.widgets.key_bar import KeyBar

        if self._service is not None:
            self._service.lang = lang
        for screen in self.screen_stack:
            apply = getattr(screen, "apply_language", None)
            if apply is not None:
                await apply()
            elif isinstance(getattr(screen, "lang", None), str):  # a dialog drawn whole by compose()
                await recompose_in(screen, lang)
            for bar in screen.query(KeyBar):
                bar.show(bar.keys, lang)
            for button in screen.query(Button):  # a button as wide as its label: measured again
                button.refresh(layout=True)

    def action_command_palette(self) -> None:
        """Textual's command palette, its search box in the app's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(CommandPalette(placeholder=t("palette.search", self.lang), id="--command-palette"))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette's entries: each action once, one line each (no help line repeating its name)."""
        lang = self.lang
        for activity in Activity:
            if activity != Activity.DASHBOARD:
                yield SystemCommand(t(f"action.{activity.value}", lang), "", partial(self.action_start, activity))
        yield SystemCommand(t("focus.choose", lang), "", self.action_choose_focus)
        yield SystemCommand(t("focus.study_weakest", lang), "", self._study_weakest)
        yield SystemCommand("English / 中文", "", self.action_toggle_language)
        yield SystemCommand(t("action.theme", lang), "", self.action_toggle_theme)
        yield SystemCommand(t("action.help", lang), "", self.action_help)
        yield SystemCommand(t("action.quit", lang), "", self.exit)

    def _study_weakest(self) -> None:
        from quizforge.study.focus import Focus

        self.study_focus(Focus(weakest=True))

    def on_unmount(self) -> None:
        self.store.close()


def make_app(
    data_dir: str | Path | None,
    bank: Bank | Callable[[], Bank],
    lang: str | None,
    *,
    now: Callable[[], datetime] = utc_now,
    launch: Launch | None = None,
    seed: int | None = None,
    default_lang: str = "en",
) -> QuizforgeApp:
    """The app as users run it.

    Args:
        data_dir: Where the progress lives (``None``: ``$QUIZFORGE_DATA_DIR`` or the platform's dir).
        bank: The loaded question bank, or a function that loads it (called after the first paint).
        lang: ``"en"`` or ``"zh"``; ``None`` uses the saved setting, or ``default_lang`` when none is saved.
        now: The clock (tests inject a fixed one).
        launch: What to open first (default: the dashboard).
        seed: Seeds the draw of generated questions (``None``: fresh every run).
        default_lang: The language when none is given or saved (the CLI passes the locale's).

    Raises:
        StoreError: when the data dir or its database cannot be used.
    """
    directory = resolve_data_dir(data_dir)
    return QuizforgeApp(
        data_dir=directory, bank=bank, lang=lang, now=now, launch=launch, seed=seed, default_lang=default_lang
    )
