"""The report in the terminal with Rich: tables, bars, a calendar heatmap of blocks, a forecast chart.

Every section is a Rich renderable (:func:`sections`), so the TUI's report screen shows the same
charts. Rich measures East Asian wide characters, so Chinese labels line up in the tables; all the
chart glyphs are one cell wide. Everything fits in 80 columns.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, timedelta

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from quizforge.i18n import duration_text, rating_name, t, tn
from quizforge.report.stats import DayActivity, ForecastDay, Report, ScoreHistory, session_length

WIDTH = 80
HEAT_COLOURS = ("grey35", "#0e4429", "#006d32", "#26a641", "#39d353")
HEAT_GLYPHS = ("·", "░", "▒", "▓", "█")  # the level shows without colour too (a file, a pipe)
SPARK = "▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉"


def level_style(value: float) -> str:
    return "green" if value >= 0.8 else "yellow" if value >= 0.5 else "red" if value > 0 else "dim"


def bar(value: float | None, width: int = 20, style: str | None = None) -> Text:
    """``value`` in [0, 1] as a horizontal bar of blocks (eighths for the last cell)."""
    if value is None:
        return Text("·" * width, style="dim")
    v = min(1.0, max(0.0, value))
    full, part = divmod(round(v * width * 8), 8)
    body = "█" * full + ("" if part == 0 else EIGHTHS[part])
    out = Text(body, style=style or level_style(v))
    out.append("·" * (width - len(body)), style="dim")
    return out


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def sparkline(values: Sequence[float], lo: float | None = None, hi: float | None = None) -> str:
    if not values:
        return ""
    lo = min(values) if lo is None else lo
    hi = max(values) if hi is None else hi
    span = (hi - lo) or 1.0
    return "".join(SPARK[min(7, max(0, round((v - lo) / span * 7)))] for v in values)


def _title(text: str) -> Text:
    return Text(text, style="bold cyan")


def header(report: Report) -> RenderableType:
    lang = report.lang
    out = Text(t("report.title", lang), style="bold")
    out.append("\n" + tn("report.as_of", report.days, lang, date=report.today), style="dim")
    if report.topic_filter:
        out.append("\n" + t("report.topic_filter", lang, topics=", ".join(report.topic_filter)), style="dim")
    return out


def overview(report: Report) -> RenderableType:
    lang, s, tot = report.lang, report.states, report.totals
    states = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1))
    states.add_column(no_wrap=True)
    states.add_column(justify="right", no_wrap=True)
    states.add_column(no_wrap=True)
    n = max(1, s.total)
    for key, value, style in (
        ("new", s.new, "blue"),
        ("learning", s.learning, "yellow"),
        ("young", s.young, "green"),
        ("mature", s.mature, "bold green"),
        ("suspended", s.suspended, "dim"),
    ):
        states.add_row(t(f"report.{key}", lang), f"{value:,}", bar(value / n, 12, style))
    if s.leech:
        states.add_row(t("report.leech", lang), f"{s.leech:,}", Text(""))
    if s.not_in_bank:
        states.add_row(Text(t("report.not_in_bank", lang), style="dim"), f"{s.not_in_bank:,}", Text(""))
    numbers = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1))
    numbers.add_column(no_wrap=True)
    numbers.add_column(justify="right", no_wrap=True)
    numbers.add_row(t("report.cards", lang), f"{s.total:,}")
    numbers.add_row(t("report.reviews", lang), f"{tot.window_reviews:,}")
    numbers.add_row(t("report.time_spent", lang), duration_text(tot.window_time_ms, lang))
    numbers.add_row(t("report.days_studied", lang), f"{tot.window_days_studied:,}")
    numbers.add_row(t("report.streak", lang), t("report.n_days", lang, n=report.streak.current))
    numbers.add_row(t("report.longest_streak", lang), t("report.n_days", lang, n=report.streak.longest))
    grid = Table.grid(padding=(0, 4))
    grid.add_row(states, numbers)
    return Group(_title(t("report.heading.overview", lang)), grid)


def _month_name(d: date, lang: str) -> str:
    return f"{d.month}月" if lang == "zh" else d.strftime("%b")


def trim_calendar(days: Sequence[DayActivity], min_weeks: int = 13) -> Sequence[DayActivity]:
    """The calendar from the month of the first studied day (at least ``min_weeks`` weeks): a user
    who started a month ago does not need eleven empty months."""
    first = next((i for i, d in enumerate(days) if d.reviews), None)
    if first is None:
        return days[-7 * min_weeks :]
    month_start = date.fromisoformat(days[first].date).replace(day=1)
    begin = min(
        len(days) - 7 * min_weeks, next(i for i, d in enumerate(days) if date.fromisoformat(d.date) >= month_start)
    )
    return days[max(0, begin) :]


def short_date(day: str | None, today: str) -> str:
    """An ISO date without its year when it is the report's year ("05-30"); "" for none."""
    if not day:
        return ""
    return day[5:] if day[:4] == today[:4] else day


def calendar_heading(days: Sequence[DayActivity], lang: str) -> str:
    """The calendar's heading with the range of days it shows (the heatmap may show less than the window)."""
    heading = t("report.heading.calendar", lang)
    if not days:
        return heading
    return heading + " · " + t("report.date_range", lang, start=days[0].date, end=days[-1].date)


def heatmap(days: Sequence[DayActivity], lang: str, width: int = WIDTH) -> Text:
    """A calendar of the days, one column per week (Monday on top), shaded by the day's reviews."""
    if not days:
        return Text("")
    first = date.fromisoformat(days[0].date)
    start = first - timedelta(days=first.weekday())
    weeks = (date.fromisoformat(days[-1].date) - start).days // 7 + 1
    peak = max((d.reviews for d in days), default=0) or 1
    cells: dict[date, int] = {date.fromisoformat(d.date): d.reviews for d in days}
    step = 2 if 5 + weeks * 2 <= width else 1
    weekday = t("report.weekdays", lang).split(",")
    label_w = 4
    out = Text()
    # month names above the week where the month begins (counted in cells: 月 is two wide)
    months = Text(" " * label_w, style="dim")
    col = 0
    for w in range(weeks):
        monday = start + timedelta(days=7 * w)
        begins = [monday + timedelta(days=k) for k in range(7) if (monday + timedelta(days=k)).day == 1]
        if w == 0 or begins:
            name = _month_name(begins[0] if begins else first, lang)
            pos = w * step
            if pos >= col + (1 if col else 0):
                months.append(" " * (pos - col) + name)
                col = pos + Text(name).cell_len
    out.append_text(months)
    out.append("\n")
    for k in range(7):
        name = weekday[k] if k < len(weekday) else ""
        out.append(name + " " * max(0, label_w - Text(name).cell_len), style="dim")
        for w in range(weeks):
            d = start + timedelta(days=7 * w + k)
            if d not in cells:
                out.append(" " * step)
                continue
            n = cells[d]
            level = 0 if n == 0 else min(4, 1 + int(3.999 * n / peak))
            out.append(HEAT_GLYPHS[level], style=HEAT_COLOURS[level])
            if step == 2:
                out.append(" ")
        out.append("\n")
    out.append(" " * label_w + t("report.less", lang) + " ", style="dim")
    for g, c in zip(HEAT_GLYPHS, HEAT_COLOURS, strict=True):
        out.append(g, style=c)
    out.append(" " + t("report.more", lang), style="dim")
    return out


def calendar_section(report: Report, width: int = WIDTH) -> RenderableType:
    lang = report.lang
    studied = [d for d in report.calendar if d.reviews]
    shown = trim_calendar(report.calendar)
    parts: list[RenderableType] = [_title(calendar_heading(shown, lang)), heatmap(shown, lang, width)]
    if studied:
        mean_n = round(sum(d.reviews for d in studied) / len(studied))
        mean_t = duration_text(round(sum(d.time_ms for d in studied) / len(studied)), lang)
        parts.append(Text(tn("report.daily_mean", mean_n, lang, n=f"{mean_n:,}", t=mean_t), style="dim"))
    return Group(*parts)


def forecast_chart(days: Sequence[ForecastDay], height: int = 6) -> Text:
    """Vertical bars, one column of two cells per day, the scale on the left."""
    peak = max((d.due for d in days), default=0)
    out = Text()
    scale_w = max(3, len(str(peak)))
    for row in range(height, 0, -1):
        tick = str(peak) if row == height else ("0" if row == 1 and peak == 0 else "")
        out.append(tick.rjust(scale_w) + " ┤" if tick else " " * scale_w + " │", style="dim")
        for d in days:
            level = 0.0 if peak == 0 else d.due / peak * height  # in rows
            fill = level - (row - 1)
            if fill >= 1:
                glyph = "█"
            elif fill > 0:
                glyph = SPARK[max(0, min(7, int(fill * 8) - 1))] if d.due else " "
            else:
                glyph = "▁" if row == 1 and d.due == 0 else " "
            style = "cyan" if d.due else "grey35"
            out.append(glyph, style=style)
            out.append(" ")
        out.append("\n")
    axis = Text(" " * scale_w + " └", style="dim")
    ticks = ""
    for i, d in enumerate(days):
        if i % 7 == 0:
            ticks += d.date[5:].ljust(14)
    axis.append(ticks.rstrip(), style="dim")
    out.append_text(axis)
    return out


def forecast_section(report: Report) -> RenderableType:
    lang, f = report.lang, report.forecast
    summary = Table(box=None, show_header=True, pad_edge=False, padding=(0, 2), header_style="dim")
    cols = [
        (t("report.due_today", lang), f[0].due if f else 0),
        (t("report.due_tomorrow", lang), f[1].due if len(f) > 1 else 0),
        (t("report.due_week", lang), sum(d.due for d in f[:7])),
        (t("report.due_month", lang), sum(d.due for d in f)),
    ]
    for name, _ in cols:
        summary.add_column(name, justify="right", no_wrap=True)
    summary.add_row(*(f"{n:,}" for _, n in cols))
    return Group(_title(t("report.heading.forecast", lang)), forecast_chart(f), summary)


def retention_section(report: Report) -> RenderableType:
    lang = report.lang
    table = Table(box=None, pad_edge=False, padding=(0, 1), header_style="dim")
    table.add_column(t("report.window", lang), no_wrap=True)
    table.add_column(t("report.passed", lang), justify="right", no_wrap=True)
    table.add_column(t("report.rate", lang), justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    for r in report.retention:
        table.add_row(tn("report.last_n_days", r.days, lang), f"{r.passed:,}/{r.total:,}", pct(r.rate), bar(r.rate, 24))
    return Group(
        _title(t("report.heading.retention", lang)),
        table,
        Text(t("report.retention_note", lang, again=rating_name(1, lang)), style="dim italic"),
    )


def readiness_section(report: Report) -> RenderableType:
    lang = report.lang
    table = Table(box=None, pad_edge=False, padding=(0, 1), header_style="dim", expand=False)
    table.add_column(t("report.topic", lang), no_wrap=True, overflow="ellipsis", max_width=28)
    table.add_column(t("report.recall", lang), no_wrap=True)
    table.add_column("", justify="right", no_wrap=True, width=4)
    table.add_column(t("report.mature_short", lang), justify="right", no_wrap=True)
    table.add_column(t("report.generated_short", lang), justify="right", no_wrap=True)
    table.add_column(t("report.retention_short", lang), justify="right", no_wrap=True)
    table.add_column("#", justify="right", no_wrap=True, style="dim")
    for topic in sorted(report.topics, key=lambda x: (x.recall, x.name)):
        r30 = next((r.rate for r in topic.retention if r.days == 30), None)
        table.add_row(
            Text(topic.name),  # Text, not str: a name is never read as Rich markup
            bar(topic.recall, 14),
            pct(topic.recall),
            pct(topic.share_mature),
            pct(topic.generated_accuracy),
            pct(r30),
            str(topic.cards),
        )
    return Group(
        _title(t("report.heading.readiness", lang)), table, Text(t("report.readiness_note", lang), style="dim italic")
    )


def weakest_section(report: Report) -> RenderableType:
    lang = report.lang
    if not report.weakest:
        return Group(_title(t("report.heading.weakest", lang)), Text(t("report.none_weak", lang), style="dim"))
    table = Table(box=None, pad_edge=False, padding=(0, 1), header_style="dim", expand=True)
    table.add_column("#", justify="right", no_wrap=True, style="dim")
    table.add_column(t("report.card", lang), no_wrap=True, overflow="ellipsis", ratio=3)
    table.add_column(t("report.topic", lang), no_wrap=True, overflow="ellipsis", ratio=1, style="dim")
    table.add_column(t("report.recall", lang), justify="right", no_wrap=True)
    table.add_column(t("report.lapses", lang), justify="right", no_wrap=True)
    table.add_column(t("report.last_failed", lang), justify="right", no_wrap=True, style="dim")
    for i, w in enumerate(report.weakest, 1):
        name = Text(w.prompt or w.card_id)
        if w.leech:
            name.append(" ⚑", style="red")
        table.add_row(
            str(i),
            name,
            Text(w.topic),
            Text(pct(w.retrievability), style=level_style(w.retrievability)),
            str(w.lapses),
            short_date(w.last_failed, report.today),
        )
    return Group(_title(t("report.heading.weakest", lang)), table)


def history_section(history: ScoreHistory, lang: str, title_key: str, empty_key: str) -> RenderableType:
    if not history.sessions:
        return Group(_title(t(title_key, lang)), Text(t(empty_key, lang), style="dim"))
    scores = [s.score for s in history.sessions[:40]][::-1]  # the sparkline reads oldest to newest
    line = Text()
    line.append(sparkline(scores, 0.0, 1.0), style="cyan")
    line.append(f"  {t('report.mean', lang)} {pct(history.mean)} · {t('report.best', lang)} {pct(history.best)} · ")
    line.append(f"{t('report.trend', lang)} ")
    line.append_text(trend_text(history.trend, lang))
    table = Table(box=None, pad_edge=False, padding=(0, 1), header_style="dim")
    table.add_column(t("report.date", lang), no_wrap=True)
    table.add_column(t("report.questions", lang), justify="right", no_wrap=True)
    table.add_column(t("report.duration", lang), justify="right", no_wrap=True)
    table.add_column(t("report.score", lang), justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    for s in history.sessions[:5]:
        minutes = session_length(s.minutes, lang)
        table.add_row(s.date, str(s.questions), minutes, pct(s.score), bar(s.score, 16))
    return Group(_title(t(title_key, lang)), line, table)


def mock_change_lines(report: Report) -> list[str]:
    """The last two mock interviews compared: the scores, then the topics that got better and worse."""
    c = report.mock_change
    if c is None:
        return []
    lang = report.lang
    sign = "+" if c.change > 0 else "−" if c.change < 0 else "±"
    delta = sign + t("report.points", lang, n=f"{abs(c.change) * 100:.0f}")
    lines = [
        t("report.mock_change", lang, before=pct(c.previous), d1=c.previous_date, after=pct(c.last), d2=c.last_date)
        + f" ({delta})"
    ]
    moved = [(x.name, x.after - x.before) for x in c.topics if x.before is not None and x.after is not None]
    for key, picked in (
        ("report.mock_better", [(n, d) for n, d in moved if d > 1e-9]),
        ("report.mock_worse", [(n, d) for n, d in moved if d < -1e-9]),
    ):
        if picked:
            topics = " · ".join(f"{n} {'+' if d > 0 else '−'}{abs(d) * 100:.0f}" for n, d in picked[:5])
            lines.append(t(key, lang, topics=topics))
    return lines


def mock_history_section(report: Report) -> RenderableType:
    """Mock interviews: the history and its trend, and the last two compared."""
    history = history_section(report.mocks, report.lang, "report.heading.mocks", "report.no_mocks")
    lines = mock_change_lines(report)
    return Group(history, Text("\n".join(lines))) if lines else history


def trend_text(trend: float | None, lang: str) -> Text:
    if trend is None or abs(trend) < 0.005:
        return Text(t("report.trend_flat", lang), style="dim")
    d = t("report.points", lang, n=f"{abs(trend) * 100:.1f}")
    if trend > 0:
        return Text("↗ " + t("report.trend_up", lang, d=d), style="green")
    return Text("↘ " + t("report.trend_down", lang, d=d), style="red")


def generators_section(report: Report, limit: int = 12) -> RenderableType:
    """The ``limit`` weakest generator families (the rest in one line)."""
    lang = report.lang
    if not report.generators:
        return Group(_title(t("report.heading.generators", lang)), Text(t("report.no_generated", lang), style="dim"))
    table = Table(box=None, pad_edge=False, padding=(0, 1), header_style="dim")
    table.add_column(t("report.generator", lang), no_wrap=True, overflow="ellipsis", max_width=36)
    table.add_column(t("report.answered", lang), justify="right", no_wrap=True)
    table.add_column(t("report.accuracy", lang), justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    for g in report.generators[:limit]:
        table.add_row(Text(g.title), f"{g.answered:,}", pct(g.accuracy), bar(g.accuracy, 16))
    parts: list[RenderableType] = [_title(t("report.heading.generators", lang)), table]
    rest = report.generators[limit:]
    if rest:
        n = sum(g.answered for g in rest)
        ok = sum(g.correct for g in rest)
        parts.append(
            Text(t("report.more_generators", lang, k=len(rest), n=n, acc=pct(ok / n if n else None)), style="dim")
        )
    return Group(*parts)


def tutoring_section(report: Report) -> RenderableType:
    """Each answered family's current level and accuracy, then the named mistakes made most."""
    lang = report.lang
    tut = report.tutoring
    title = _title(t("report.heading.tutoring", lang))
    if not tut.families:
        return Group(title, Text(t("report.tutor.none", lang), style="dim"))
    table = Table(box=None, pad_edge=False, padding=(0, 1), header_style="dim")
    table.add_column(t("report.tutor.family", lang), no_wrap=True, overflow="ellipsis", max_width=36)
    table.add_column(t("report.tutor.level", lang), justify="right", no_wrap=True)
    table.add_column(t("report.tutor.answers", lang), justify="right", no_wrap=True)
    table.add_column(t("report.tutor.accuracy", lang), justify="right", no_wrap=True)
    for f in tut.families:
        table.add_row(Text(f.title), f"{f.level}/{f.levels}", f"{f.answers:,}", pct(f.accuracy))
    parts: list[RenderableType] = [title, table]
    if tut.mistakes:
        made = Table(box=None, pad_edge=False, padding=(0, 1), header_style="dim")
        made.add_column(t("report.tutor.count", lang), justify="right", no_wrap=True)
        made.add_column(t("report.tutor.family", lang), no_wrap=True, overflow="ellipsis", max_width=24)
        made.add_column(t("report.tutor.mistake", lang), overflow="fold")
        for m in tut.mistakes:
            made.add_row(f"{m.count:,}", m.family, Text(m.text))
        parts += [Text(""), made]
    else:
        parts.append(Text(t("report.tutor.no_mistakes", lang), style="dim"))
    return Group(*parts)


def plan_lines(report: Report) -> list[str]:
    """The plan section's summary lines (every format shows them)."""
    lang, p = report.lang, report.plan
    assert p is not None
    if p.days_left <= 0:
        return [t("plan.date_passed", lang, date=p.date)]
    return [
        t("report.plan.summary", lang, date=p.date, days=p.days_left, cards=p.cards, target=f"{p.target:g}"),
        t("plan.areas", lang, areas=", ".join(p.areas) or t("plan.whole_bank", lang)),
        t("report.plan.ready", lang, ready=pct(p.ready_now)),
        t("report.plan.predicted", lang, ready=pct(p.predicted_ready), new=p.new_per_day)
        + " · "
        + t("plan.feasible" if p.feasible else "plan.infeasible", lang),
    ]


def plan_section(report: Report) -> RenderableType:
    """The interview plan: where you stand, readiness on the date per topic, planned against done per day."""
    lang, p = report.lang, report.plan
    assert p is not None
    topics = Table(box=None, pad_edge=False, padding=(0, 1), header_style="dim", expand=False)
    topics.add_column(t("report.plan.col.topic", lang), no_wrap=True, overflow="ellipsis", max_width=28)
    topics.add_column(t("report.plan.col.recall", lang), no_wrap=True)
    topics.add_column("", justify="right", no_wrap=True, width=4)
    topics.add_column(t("report.plan.col.ready", lang), justify="right", no_wrap=True)
    topics.add_column(t("report.plan.col.cards", lang), justify="right", no_wrap=True, style="dim")
    for topic in p.topics:
        topics.add_row(Text(topic.name), bar(topic.recall, 14), pct(topic.recall), pct(topic.ready), str(topic.cards))
    days = Table(box=None, pad_edge=False, padding=(0, 1), header_style="dim", expand=False)
    days.add_column(t("report.plan.col.date", lang), no_wrap=True)
    days.add_column(t("report.plan.col.new", lang), justify="right", no_wrap=True)
    days.add_column(t("report.plan.col.reviews", lang), justify="right", no_wrap=True)
    for d in p.days:
        days.add_row(d.date, f"{d.planned_new}/{d.new}", f"{d.planned_reviews}/{d.reviews}")
    return Group(
        _title(t("report.heading.plan", lang)),
        *(Text(line) for line in plan_lines(report)),
        Text(""),
        Text(t("report.plan.readiness", lang), style="bold"),
        topics,
        Text(""),
        Text(t("report.plan.days", lang), style="bold"),
        days,
    )


def sections(report: Report, width: int = WIDTH) -> list[RenderableType]:
    """The report's sections in order (an empty store: the header and a friendly note)."""
    lang = report.lang
    if report.empty:
        return [header(report), Padding(Text(t("report.empty", lang)), (1, 0))]
    return [
        header(report),
        overview(report),
        *([plan_section(report)] if report.plan is not None else []),
        calendar_section(report, width),
        forecast_section(report),
        retention_section(report),
        readiness_section(report),
        weakest_section(report),
        history_section(report.quizzes, lang, "report.heading.quizzes", "report.no_quizzes"),
        mock_history_section(report),
        generators_section(report),
        tutoring_section(report),
    ]


def render(report: Report, console: Console) -> None:
    """Print the report on ``console`` (a rule between sections)."""
    for i, part in enumerate(sections(report, min(console.width, 120))):
        if i > 1:
            console.print(Rule(style="grey35"))
        console.print(part)


def render_text(report: Report, *, width: int = WIDTH, color: bool = False) -> str:
    """The report as text ``width`` columns wide (ANSI colours when ``color``)."""
    buf = io.StringIO()
    console = Console(
        file=buf, width=width, color_system="truecolor" if color else None, force_terminal=color, legacy_windows=False
    )
    render(report, console)
    return buf.getvalue()
