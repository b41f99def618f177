"""The dashboard's interview-plan panel: the countdown, on track or behind, and today's plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text as RichText
from textual.widgets import Static

from quizforge.i18n import t, tn

if TYPE_CHECKING:
    from quizforge.study.planning import PlanStatus  # FSRS is not on the dashboard's start path


def panel_text(status: PlanStatus, lang: str) -> RichText:
    """The panel's lines for ``status`` (pure, so tests can read them without a screen)."""
    plan = status.plan
    if status.days_left <= 0:
        head = t("plan.status.interview_day" if status.days_left == 0 else "plan.date_passed", lang, date=plan.date)
        return RichText(head, style="bold")
    out = RichText()
    out.append(tn("plan.status.countdown", status.days_left, lang, date=plan.date.isoformat()), style="bold")
    out.append("  ·  ")
    if status.behind:
        out.append(tn("plan.status.behind", status.behind, lang), style="bold red")
    else:
        out.append(t("plan.status.on_track", lang), style="bold green")
    out.append("\n" + t("plan.status.today", lang, new=status.new_today, done=status.new_done, due=status.due_today))
    out.append("\n" + t("plan.status.seen", lang, seen=status.seen, cards=status.cards_in_scope))
    if status.final_days:
        out.append("\n" + t("plan.status.final", lang), style="yellow")
    out.append("\n" + t("plan.status.change", lang), style="dim")
    return out


class PlanPanel(Static):
    """Hidden until :meth:`show` gets a plan in force."""

    def on_mount(self) -> None:
        self.display = False

    def show(self, status: PlanStatus | None, lang: str) -> None:
        self.display = status is not None
        if status is not None:
            self.update(panel_text(status, lang))
