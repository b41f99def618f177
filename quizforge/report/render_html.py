"""The report as one self-contained HTML page to keep or send: inline CSS, inline SVG charts.

No script, no web font, no request of any kind: the page opens offline from a file or an e-mail.
Every piece of text goes through :func:`html.escape`. The layout is one column that narrows to a
phone's width (charts are SVGs with a ``viewBox``, wide tables scroll sideways), with a dark
variant for ``prefers-color-scheme: dark``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

from quizforge.i18n import duration_text, rating_name, t, tn
from quizforge.report.render_text import (
    calendar_heading,
    mock_change_lines,
    pct,
    plan_lines,
    short_date,
    trend_text,
    trim_calendar,
)
from quizforge.report.stats import DayActivity, ForecastDay, Report, ScoreHistory, session_length

HEAT = ("var(--heat0)", "var(--heat1)", "var(--heat2)", "var(--heat3)", "var(--heat4)")

CSS = """
:root { --bg: #f6f7f9; --card: #fff; --fg: #1f2328; --muted: #656d76; --line: #d8dee4; --accent: #0969da;
  --good: #1a7f37; --mid: #bf8700; --bad: #cf222e; --track: #eaeef2;
  --heat0: #ebedf0; --heat1: #9be9a8; --heat2: #40c463; --heat3: #30a14e; --heat4: #216e39; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --card: #161b22; --fg: #e6edf3; --muted: #8d96a0; --line: #30363d; --accent: #4493f8;
    --good: #3fb950; --mid: #d29922; --bad: #f85149; --track: #21262d;
    --heat0: #21262d; --heat1: #0e4429; --heat2: #006d32; --heat3: #26a641; --heat4: #39d353; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.45;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "PingFang SC",
    "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 24px 16px 48px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 0 0 12px; }
.sub, .note { color: var(--muted); font-size: .875rem; }
.note { margin: 8px 0 0; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px;
  margin: 16px 0; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 10px; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.tile b { display: block; font-size: 1.35rem; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.tile span { color: var(--muted); font-size: .8rem; }
.states { display: flex; height: 14px; border-radius: 7px; overflow: hidden; margin: 14px 0 6px;
  background: var(--track); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: .8rem; color: var(--muted); }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: .9rem; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; }
th { color: var(--muted); font-weight: 600; font-size: .8rem; white-space: nowrap; }
td.n, th.n { text-align: right; white-space: nowrap; }
td.bar { width: 28%; min-width: 90px; }
td.name { min-width: 10em; overflow-wrap: anywhere; }
svg { display: block; width: 100%; height: auto; }
svg text { fill: var(--muted); font: 12px system-ui, sans-serif; }
.bars text { font-size: 15px; } .trend text { font-size: 13px; }
svg .v { fill: var(--fg); }
.track { fill: var(--track); }
.good { fill: var(--good); } .mid { fill: var(--mid); } .bad { fill: var(--bad); }
.bars rect.b { fill: var(--accent); }
.line { fill: none; stroke-width: 2.5; }
.mock { stroke: var(--accent); } .quiz { stroke: var(--good); }
.dot-mock { fill: var(--accent); } .dot-quiz { fill: var(--good); }
.grid { stroke: var(--line); stroke-width: 1; }
.empty { font-size: 1.1rem; padding: 24px 0; }
.flag { color: var(--bad); }
footer { color: var(--muted); font-size: .8rem; text-align: center; margin-top: 24px; }
@media (max-width: 560px) {
  main { padding: 12px 8px 32px; } section { padding: 12px 10px; border-radius: 8px; }
  h1 { font-size: 1.3rem; } th, td { padding: 4px 5px; } table { font-size: .82rem; }
  td.bar { min-width: 60px; } td.name { min-width: 7em; }
  .hide-narrow { display: none; }
}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _level(value: float | None) -> str:
    if value is None:
        return "track"
    return "good" if value >= 0.8 else "mid" if value >= 0.5 else "bad"


def svg_bar(value: float | None) -> str:
    """A small horizontal bar (inline SVG) for a share in [0, 1]."""
    v = 0.0 if value is None else min(1.0, max(0.0, value))
    return (
        '<svg viewBox="0 0 100 8" preserveAspectRatio="none" role="img" aria-label="'
        + _e(pct(value))
        + '" style="height:10px"><rect class="track" width="100" height="8" rx="4"/>'
        + (f'<rect class="{_level(value)}" width="{v * 100:.1f}" height="8" rx="4"/>' if v > 0 else "")
        + "</svg>"
    )


def svg_heatmap(days: Sequence[DayActivity], lang: str) -> str:
    """The calendar: one column per week, Monday on top, shaded by reviews (each day has a tooltip)."""
    if not days:
        return ""
    first = date.fromisoformat(days[0].date)
    start = first - timedelta(days=first.weekday())
    weeks = (date.fromisoformat(days[-1].date) - start).days // 7 + 1
    peak = max((d.reviews for d in days), default=0) or 1
    cell, gap, left, top = 12, 3, 28, 16
    w = left + weeks * (cell + gap) + 24
    h = top + 7 * (cell + gap) + 22
    parts = [
        f'<svg viewBox="0 0 {w} {h}" style="max-width:{w * 1.25:.0f}px;min-width:{w}px" role="img" '
        f'aria-label="{_e(t("report.heading.calendar", lang))}">'
    ]
    names = t("report.weekdays", lang).split(",")
    for k, name in enumerate(names[:7]):
        if name:
            parts.append(f'<text x="0" y="{top + k * (cell + gap) + cell - 2}">{_e(name)}</text>')
    last_label = -99
    for d in days:
        day = date.fromisoformat(d.date)
        week = (day - start).days // 7
        if (day.day == 1 or d is days[0]) and week - last_label >= 3:
            name = f"{day.month}月" if lang == "zh" else day.strftime("%b")
            parts.append(f'<text x="{left + week * (cell + gap)}" y="{top - 5}">{_e(name)}</text>')
            last_label = week
        level = 0 if d.reviews == 0 else min(4, 1 + int(3.999 * d.reviews / peak))
        x = left + week * (cell + gap)
        y = top + day.weekday() * (cell + gap)
        tip = f"{d.date}: {d.reviews} · {duration_text(d.time_ms, lang)}"
        parts.append(
            f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="2" fill="{HEAT[level]}">'
            f"<title>{_e(tip)}</title></rect>"
        )
    ly = top + 7 * (cell + gap) + 10
    parts.append(f'<text x="{left}" y="{ly + 9}">{_e(t("report.less", lang))}</text>')
    for i, c in enumerate(HEAT):
        parts.append(
            f'<rect x="{left + 30 + i * (cell + 2)}" y="{ly}" width="{cell}" height="{cell}" rx="2" fill="{c}"/>'
        )
    parts.append(f'<text x="{left + 36 + 5 * (cell + 2)}" y="{ly + 9}">{_e(t("report.more", lang))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_forecast(days: Sequence[ForecastDay], lang: str) -> str:
    """Vertical bars: cards due on each of the next 30 days (today includes the overdue ones)."""
    peak = max((d.due for d in days), default=0) or 1
    bw, gap, left, top, ch = 18, 6, 24, 20, 120
    w = left + len(days) * (bw + gap) + 24
    h = top + ch + 24
    parts = [
        f'<svg class="bars" viewBox="0 0 {w} {h}" style="max-width:{w}px;min-width:{w * 0.75:.0f}px" role="img" '
        f'aria-label="{_e(t("report.heading.forecast", lang))}">'
    ]
    parts.append(f'<line class="grid" x1="{left}" x2="{w - 4}" y1="{top + ch}" y2="{top + ch}"/>')
    for i, d in enumerate(days):
        bh = d.due / peak * ch
        x = left + i * (bw + gap)
        parts.append(
            f'<rect class="b" x="{x}" y="{top + ch - bh:.1f}" width="{bw}" height="{max(bh, 0):.1f}" rx="2">'
            f"<title>{_e(d.date)}: {d.due}</title></rect>"
        )
        if d.due and (d.due == peak or i % 7 == 0 or (bh > ch / 4 and i % 2 == 0)):
            parts.append(
                f'<text class="v" x="{x + bw / 2}" y="{top + ch - bh - 3:.1f}" text-anchor="middle">{d.due:,}</text>'
            )
        if i % 7 == 0:
            parts.append(f'<text x="{x}" y="{top + ch + 18}">{_e(d.date[5:])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_trend(quizzes: ScoreHistory, mocks: ScoreHistory, lang: str) -> str:
    """Scores over time: mock interviews and quiz days as two lines on one date axis (0–100%)."""
    points = [s.date for s in quizzes.sessions] + [s.date for s in mocks.sessions]
    if not points:
        return ""
    d0 = min(date.fromisoformat(p) for p in points)
    d1 = max(date.fromisoformat(p) for p in points)
    span = max(1, (d1 - d0).days)
    left, right, top, ch, w = 40, 16, 12, 150, 440
    h = top + ch + 28

    def xy(day: str, score: float) -> tuple[float, float]:
        x = left + (date.fromisoformat(day) - d0).days / span * (w - left - right)
        return x, top + (1 - score) * ch

    parts = [
        f'<svg class="trend" viewBox="0 0 {w} {h}" style="max-width:640px" role="img" '
        f'aria-label="{_e(t("report.trend", lang))}">'
    ]
    for v in (0.0, 0.5, 1.0):
        y = top + (1 - v) * ch
        parts.append(f'<line class="grid" x1="{left}" x2="{w - right}" y1="{y}" y2="{y}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end">{v:.0%}</text>')
    parts.append(f'<text x="{left}" y="{h - 6}">{_e(d0.isoformat())}</text>')
    parts.append(f'<text x="{w - right}" y="{h - 6}" text-anchor="end">{_e(d1.isoformat())}</text>')
    for hist, cls, name in (
        (quizzes, "quiz", t("report.heading.quizzes", lang)),
        (mocks, "mock", t("report.heading.mocks", lang)),
    ):
        chronological = hist.sessions[::-1]
        pts = [xy(s.date, s.score) for s in chronological]
        if len(pts) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            parts.append(f'<polyline class="line {cls}" points="{path}"><title>{_e(name)}</title></polyline>')
        for (x, y), s in zip(pts, chronological, strict=True):
            tip = f"{name} {s.date}: {pct(s.score)}"
            parts.append(f'<circle class="dot-{cls}" cx="{x:.1f}" cy="{y:.1f}" r="4"><title>{_e(tip)}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


def _chart(svg: str) -> str:
    """A chart that keeps a legible size (its own ``min-width``) and scrolls sideways on a narrow screen."""
    return f'<div class="scroll">{svg}</div>' if svg else ""


def _table(header: list[tuple[str, str]], rows: list[list[tuple[str, str]]]) -> str:
    """A table from ``(css class, already-escaped html)`` cells, in a sideways-scrolling wrapper."""
    head = "".join(f'<th class="{c}">{h}</th>' for c, h in header)
    body = "".join("<tr>" + "".join(f'<td class="{c}">{v}</td>' for c, v in row) + "</tr>" for row in rows)
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _history_table(h: ScoreHistory, lang: str) -> str:
    rows = []
    for s in h.sessions[:10]:
        minutes = session_length(s.minutes, lang)
        rows.append(
            [
                ("", _e(s.date)),
                ("n", str(s.questions)),
                ("n hide-narrow", _e(minutes)),
                ("n", pct(s.score)),
                ("bar", svg_bar(s.score)),
            ]
        )
    return _table(
        [
            ("", _e(t("report.date", lang))),
            ("n", _e(t("report.questions", lang))),
            ("n hide-narrow", _e(t("report.duration", lang))),
            ("n", _e(t("report.score", lang))),
            ("", ""),
        ],
        rows,
    )


def _history_line(h: ScoreHistory, lang: str, key: str) -> str:
    return (
        f"<p><b>{_e(t(key, lang))}</b> · {_e(t('report.mean', lang))} {pct(h.mean)} · "
        f"{_e(t('report.best', lang))} {pct(h.best)} · "
        f"{_e(t('report.trend', lang))} {_e(trend_text(h.trend, lang).plain)}</p>"
    )


def _tutoring(report: Report) -> list[str]:
    """Each answered family's level and accuracy, then the named mistakes made most."""
    lang, tut = report.lang, report.tutoring
    out = [f"<section><h2>{_e(t('report.heading.tutoring', lang))}</h2>"]
    if not tut.families:
        return [*out, f"<p>{_e(t('report.tutor.none', lang))}</p>", "</section>"]
    head = [("", _e(t("report.tutor.family", lang)))] + [
        ("n", _e(t(f"report.tutor.{k}", lang))) for k in ("level", "answers", "accuracy")
    ]
    rows = [
        [("name", _e(f.title)), ("n", f"{f.level}/{f.levels}"), ("n", f"{f.answers:,}"), ("n", pct(f.accuracy))]
        for f in tut.families
    ]
    out.append(_table(head, rows))
    if tut.mistakes:
        head = [("n", _e(t("report.tutor.count", lang))), ("", _e(t("report.tutor.family", lang)))]
        head.append(("", _e(t("report.tutor.mistake", lang))))
        rows = [[("n", f"{m.count:,}"), ("name", _e(m.family)), ("", _e(m.text))] for m in tut.mistakes]
        out.append(_table(head, rows))
    else:
        out.append(f"<p>{_e(t('report.tutor.no_mistakes', lang))}</p>")
    out.append("</section>")
    return out


def _plan_section(report: Report) -> list[str]:
    """The interview plan (docs/planner.md): where you stand, readiness per topic, planned against done."""
    lang, p = report.lang, report.plan
    if p is None:
        return []
    out = [f"<section><h2>{_e(t('report.heading.plan', lang))}</h2>"]
    out += [f"<p>{_e(line)}</p>" for line in plan_lines(report)]
    out.append(f"<h3>{_e(t('report.plan.readiness', lang))}</h3>")
    out.append(
        _table(
            [
                ("name", _e(t("report.plan.col.topic", lang))),
                ("n", _e(t("report.plan.col.recall", lang))),
                ("", ""),
                ("n", _e(t("report.plan.col.ready", lang))),
                ("n", _e(t("report.plan.col.cards", lang))),
            ],
            [
                [
                    ("name", _e(x.name)),
                    ("n", _e(pct(x.recall))),
                    ("bar", svg_bar(x.recall)),
                    ("n", _e(pct(x.ready))),
                    ("n", str(x.cards)),
                ]
                for x in p.topics
            ],
        )
    )
    out.append(f"<h3>{_e(t('report.plan.days', lang))}</h3>")
    out.append(
        _table(
            [
                ("", _e(t("report.plan.col.date", lang))),
                ("n", _e(t("report.plan.col.new", lang))),
                ("n", _e(t("report.plan.col.reviews", lang))),
            ],
            [
                [("", _e(d.date)), ("n", f"{d.planned_new}/{d.new}"), ("n", f"{d.planned_reviews}/{d.reviews}")]
                for d in p.days
            ],
        )
    )
    out.append("</section>")
    return out


def render_html(report: Report) -> str:
    """The whole report as one HTML page (an empty store: the title and a friendly note)."""
    lang = report.lang
    title = t("report.title", lang)
    sub = tn("report.as_of", report.days, lang, date=report.today)
    if report.topic_filter:
        sub += " · " + t("report.topic_filter", lang, topics=", ".join(report.topic_filter))
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        'img-src data:">',
        f"<title>{_e(title)} · {_e(report.today)}</title><style>{CSS}</style></head><body><main>",
        f'<h1>{_e(title)}</h1><p class="sub">{_e(sub)}</p>',
    ]
    if report.empty:
        out.append(f'<section><p class="empty">{_e(t("report.empty", lang))}</p></section>')
        out.append("</main></body></html>")
        return "\n".join(out) + "\n"
    s, tot, st = report.states, report.totals, report.streak
    tiles = [
        (f"{tot.window_reviews:,}", t("report.reviews", lang)),
        (duration_text(tot.window_time_ms, lang), t("report.time_spent", lang)),
        (str(tot.window_days_studied), t("report.days_studied", lang)),
        (t("report.n_days", lang, n=st.current), t("report.streak", lang)),
        (pct(next((r.rate for r in report.retention if r.days == 30), None)), t("report.retention_30", lang)),
        (pct(s.mature / s.total if s.total else None), f"{t('report.mature', lang)} · {s.mature:,}/{s.total:,}"),
    ]
    out.append("<section><h2>" + _e(t("report.heading.overview", lang)) + '</h2><div class="tiles">')
    out += [f'<div class="tile"><b>{_e(v)}</b><span>{_e(k)}</span></div>' for v, k in tiles]
    out.append("</div>")
    colours = {"new": "#8c959f", "learning": "#d4a72c", "young": "#4ac26b", "mature": "#1a7f37", "suspended": "#cf222e"}
    counts = {"new": s.new, "learning": s.learning, "young": s.young, "mature": s.mature, "suspended": s.suspended}
    n = max(1, s.total)
    out.append('<div class="states">')
    out += [
        f'<div style="width:{v / n * 100:.2f}%;background:{colours[k]}" title="{_e(t(f"report.{k}", lang))}: {v}">'
        "</div>"
        for k, v in counts.items()
        if v
    ]
    out.append('</div><div class="legend">')
    out += [
        f'<span><i style="background:{colours[k]}"></i>{_e(t(f"report.{k}", lang))} {v:,}</span>'
        for k, v in counts.items()
    ]
    if s.leech:
        out.append(f'<span><span class="flag">⚑</span> {_e(t("report.leech", lang))} {s.leech:,}</span>')
    if s.not_in_bank:
        out.append(f"<span>{_e(t('report.not_in_bank', lang))} {s.not_in_bank:,}</span>")
    out.append("</div></section>")
    out += _plan_section(report)

    shown = trim_calendar(report.calendar, min_weeks=20)
    out.append(f"<section><h2>{_e(calendar_heading(shown, lang))}</h2>")
    out.append(_chart(svg_heatmap(shown, lang)))
    studied = [d for d in report.calendar if d.reviews]
    if studied:
        mean_n = round(sum(d.reviews for d in studied) / len(studied))
        mean_t = duration_text(round(sum(d.time_ms for d in studied) / len(studied)), lang)
        out.append(f'<p class="note">{_e(tn("report.daily_mean", mean_n, lang, n=f"{mean_n:,}", t=mean_t))}</p>')
    out.append("</section>")

    f = report.forecast
    out.append(f"<section><h2>{_e(t('report.heading.forecast', lang))}</h2>")
    out.append(_chart(svg_forecast(f, lang)))
    out.append('<div class="tiles" style="margin-top:10px">')
    for key, value in (
        ("report.due_today", f[0].due),
        ("report.due_tomorrow", f[1].due),
        ("report.due_week", sum(d.due for d in f[:7])),
        ("report.due_month", sum(d.due for d in f)),
    ):
        out.append(f'<div class="tile"><b>{value:,}</b><span>{_e(t(key, lang))}</span></div>')
    out.append("</div></section>")

    out.append(f"<section><h2>{_e(t('report.heading.retention', lang))}</h2>")
    out.append(
        _table(
            [
                ("", _e(t("report.window", lang))),
                ("n", _e(t("report.passed", lang))),
                ("n", _e(t("report.rate", lang))),
                ("", ""),
            ],
            [
                [
                    ("", _e(tn("report.last_n_days", r.days, lang))),
                    ("n", f"{r.passed:,}/{r.total:,}"),
                    ("n", pct(r.rate)),
                    ("bar", svg_bar(r.rate)),
                ]
                for r in report.retention
            ],
        )
    )
    out.append(f'<p class="note">{_e(t("report.retention_note", lang, again=rating_name(1, lang)))}</p></section>')

    out.append(f"<section><h2>{_e(t('report.heading.readiness', lang))}</h2>")
    rows = []
    for topic in sorted(report.topics, key=lambda x: (x.recall, x.name)):
        r30 = next((r.rate for r in topic.retention if r.days == 30), None)
        rows.append(
            [
                ("name", _e(topic.name)),
                ("bar", svg_bar(topic.recall)),
                ("n", pct(topic.recall)),
                ("n", pct(topic.share_mature)),
                ("n", pct(topic.generated_accuracy)),
                ("n hide-narrow", pct(r30)),
                ("n hide-narrow", str(topic.cards)),
            ]
        )
    out.append(
        _table(
            [
                ("", _e(t("report.topic", lang))),
                ("", _e(t("report.recall", lang))),
                ("n", ""),
                ("n", _e(t("report.mature_short", lang))),
                ("n", _e(t("report.generated_short", lang))),
                ("n hide-narrow", _e(t("report.retention_short", lang))),
                ("n hide-narrow", _e(t("report.cards", lang))),
            ],
            rows,
        )
    )
    out.append(f'<p class="note">{_e(t("report.readiness_note", lang))}</p></section>')

    out.append(f"<section><h2>{_e(t('report.heading.weakest', lang))}</h2>")
    if report.weakest:
        out.append(
            _table(
                [
                    ("n", "#"),
                    ("", _e(t("report.card", lang))),
                    ("hide-narrow", _e(t("report.topic", lang))),
                    ("n", _e(t("report.recall", lang))),
                    ("n", _e(t("report.lapses", lang))),
                    ("n", _e(t("report.last_failed", lang))),
                ],
                [
                    [
                        ("n", str(i)),
                        ("name", _e(w.prompt or w.card_id) + (' <span class="flag">⚑</span>' if w.leech else "")),
                        ("hide-narrow", _e(w.topic)),
                        ("n", pct(w.retrievability)),
                        ("n", str(w.lapses)),
                        ("n", _e(short_date(w.last_failed, report.today))),
                    ]
                    for i, w in enumerate(report.weakest, 1)
                ],
            )
        )
    else:
        out.append(f"<p>{_e(t('report.none_weak', lang))}</p>")
    out.append("</section>")

    out.append(f"<section><h2>{_e(t('report.heading.mocks', lang))} · {_e(t('report.heading.quizzes', lang))}</h2>")
    if report.mocks.sessions or report.quizzes.sessions:
        out.append(svg_trend(report.quizzes, report.mocks, lang))
        out.append(
            '<div class="legend"><span><i style="background:var(--accent)"></i>'
            + _e(t("report.heading.mocks", lang))
            + '</span><span><i style="background:var(--good)"></i>'
            + _e(t("report.heading.quizzes", lang))
            + "</span></div>"
        )
    for hist, key, empty in (
        (report.mocks, "report.heading.mocks", "report.no_mocks"),
        (report.quizzes, "report.heading.quizzes", "report.no_quizzes"),
    ):
        if hist.sessions:
            out.append(_history_line(hist, lang, key))
            if hist is report.mocks:
                out += [f"<p>{_e(line)}</p>" for line in mock_change_lines(report)]
            out.append(_history_table(hist, lang))
        else:
            out.append(f'<p class="note">{_e(t(empty, lang))}</p>')
    out.append("</section>")

    out.append(f"<section><h2>{_e(t('report.heading.generators', lang))}</h2>")
    if report.generators:
        out.append(
            _table(
                [
                    ("", _e(t("report.generator", lang))),
                    ("n", _e(t("report.answered", lang))),
                    ("n", _e(t("report.accuracy", lang))),
                    ("hide-narrow", ""),
                ],
                [
                    [
                        ("name", _e(g.title)),
                        ("n", f"{g.answered:,}"),
                        ("n", pct(g.accuracy)),
                        ("bar hide-narrow", svg_bar(g.accuracy)),
                    ]
                    for g in report.generators
                ],
            )
        )
    else:
        out.append(f"<p>{_e(t('report.no_generated', lang))}</p>")
    out.append("</section>")
    out += _tutoring(report)
    out.append(f"<footer>{_e(t('report.footer', lang, at=report.generated_at))}</footer>")
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"
