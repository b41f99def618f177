"""The interview-plan dialog: date, areas, minutes a day and target recall. Returns what to do through
``dismiss`` (a plan to set, a request to clear, or ``None`` for cancel); the app saves it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from quizforge.bank.schema import Bank
from quizforge.i18n import t
from quizforge.study.planner import DEFAULT_MINUTES, DEFAULT_RETENTION, Plan
from quizforge.study.planning import CLI_FIELDS, PlanError, check_request, known_areas
from quizforge.text import Lang

if TYPE_CHECKING:
    from quizforge.tui.app import QuizforgeApp

DEFAULT_DAYS = 14  # the date proposed when there is no plan yet


@dataclass(frozen=True)
class PlanRequest:
    """What the dialog asks for: ``plan`` to set, or ``None`` to clear the plan in force."""

    plan: Plan | None


class PlanDialog(ModalScreen[PlanRequest | None]):
    """Set (or clear) the interview plan. ``current`` fills the fields; ``today`` is the study day's date."""

    CSS_PATH = "plan.tcss"  # its styles, read when it first opens (quizforge.tcss: the first frame's)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", t("action.cancel", Lang.EN)),
        Binding("ctrl+s", "save", t("action.save", Lang.EN)),
    ]

    def __init__(self, bank: Bank, today: date, current: Plan | None, lang: str) -> None:
        super().__init__()
        self.bank = bank
        self.today = today
        self.current = current
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        plan = self.current
        when = plan.date if plan is not None else self.today + timedelta(days=DEFAULT_DAYS)
        with Vertical(id="plan-box"):
            yield Static(t("plan.dialog.title", lang), classes="title")
            yield Static(t("plan.dialog.intro", lang), classes="muted")
            yield Label(t("plan.dialog.date", lang))
            yield Input(when.isoformat(), id="plan-date", compact=True)
            yield Label(t("plan.dialog.areas", lang, known=", ".join(known_areas(self.bank))))
            yield Input(
                ",".join(plan.areas) if plan else "", placeholder="cnn,optim,attn", id="plan-areas", compact=True
            )
            yield Label(t("plan.dialog.minutes", lang))
            yield Input(str(plan.minutes_per_day if plan else DEFAULT_MINUTES), id="plan-minutes", compact=True)
            yield Label(t("plan.dialog.retention", lang))
            yield Input(f"{plan.retention if plan else DEFAULT_RETENTION:g}", id="plan-retention", compact=True)
            yield Static(id="plan-error", classes="muted")
            with Horizontal(id="plan-buttons"):
                yield Button(f"{t('action.save', lang)} (ctrl+s)", id="save", variant="primary", compact=True)
                if plan is not None:
                    yield Button(t("plan.dialog.clear", lang), id="clear", variant="warning", compact=True)
                yield Button(f"{t('action.cancel', lang)} (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#plan-date", Input).focus()

    def _value(self, name: str) -> str:
        return self.query_one(f"#plan-{name}", Input).value.strip()

    def request(self) -> Plan | str:
        """The plan the fields describe, or the one-line message naming the first bad field."""
        lang = self.lang
        minutes_text, retention_text = self._value("minutes"), self._value("retention")
        try:
            minutes = int(minutes_text)
        except ValueError:
            return t("plan.error.not_number", lang, field=t("plan.dialog.minutes", lang), value=minutes_text)
        try:
            retention = float(retention_text)
        except ValueError:
            return t("plan.error.not_number", lang, field=t("plan.dialog.retention", lang), value=retention_text)
        try:
            fields = {name: t(f"plan.field.{name}", lang) for name in CLI_FIELDS}
            return check_request(
                self.bank,
                self._value("date"),
                self._value("areas").split(","),
                minutes,
                retention,
                self.today,
                lang,
                fields,
            )
        except PlanError as exc:
            return str(exc)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        result = self.request()
        if isinstance(result, str):
            self.query_one("#plan-error", Static).update(result)
            return
        self.dismiss(PlanRequest(result))

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        self.dismiss(PlanRequest(None))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


# -- what the app does with the dialog (kept here so app.py only names it) --------------------------


def open_plan(app: QuizforgeApp) -> None:
    """Show the dialog over the current screen; a saved plan is forecast and stored in a worker."""
    from quizforge.study.planning import current_plan, study_day

    _, today = study_day(app.now(), app.settings)
    app.push_screen(PlanDialog(app.bank, today, current_plan(app.store), app.lang), partial(_chosen, app))


def offer_on_first_run(app: QuizforgeApp) -> None:
    """On a data dir with no review and no plan, offer the dialog once (after the dashboard's first paint)."""
    from quizforge.store.models import EventKind

    store = app.store
    if store.review_count() or store.latest_event(EventKind.PLAN_SET) is not None or store.get_value(OFFERED):
        return
    store.set_value(OFFERED, True)
    app.set_timer(0.05, partial(open_plan, app))


OFFERED = "plan.offered"  # a local key (not a setting, not an event): the first-run offer was made here


def _chosen(app: QuizforgeApp, request: PlanRequest | None) -> None:
    if request is None:
        return
    if request.plan is None:
        from quizforge.study.planning import clear_plan

        clear_plan(app.store, app.now())
        app.notify(t("plan.cleared", app.lang))
        _refresh(app)
        return
    app.run_worker(partial(_save, app, request.plan), thread=True, exclusive=True, group="plan-save")


def _save(app: QuizforgeApp, plan: Plan) -> None:
    from quizforge.study.planning import describe, set_plan

    saved, result = set_plan(app.store, app.bank, plan, app.now())
    app.call_from_thread(_saved, app, "\n".join(describe(result, saved, app.lang)))


def _saved(app: QuizforgeApp, summary: str) -> None:
    app.notify(summary, title=t("plan.saved", app.lang), timeout=15)
    _refresh(app)


def _refresh(app: QuizforgeApp) -> None:
    """The plan changed: sessions rebuild their queue, the dashboard redraws its panel."""
    app.forget_session()
    for screen in app.screen_stack:
        refresh = getattr(screen, "refresh_data", None)
        if refresh is not None:
            refresh()
