"""The report as Markdown, for notes: headings, GitHub-style tables and block-character bars."""

from __future__ import annotations

import re
from collections import defaultdict

from quizforge.i18n import duration_text, rating_name, t, tn
from quizforge.report.render_text import (
    bar,
    calendar_heading,
    mock_change_lines,
    pct,
    plan_lines,
    sparkline,
    trend_text,
)
from quizforge.report.stats import Report, ScoreHistory, session_length


class _Code(str):
    """Cell text that is already Markdown (an inline-code bar): not escaped."""


_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _escape(text: str) -> str:
    """Text shown as itself: Markdown's special characters backslash-escaped, on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _cell(text: object) -> str:
    return text if isinstance(text, _Code) else _escape(str(text))


def _table(header: list[str], rows: list[list[object]], right: set[int] | None = None) -> list[str]:
    right = right or set()
    out = ["| " + " | ".join(_cell(h) for h in header) + " |"]
    out.append("|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|")
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def _bar(value: float | None, width: int = 10) -> _Code:
    return _Code("`" + bar(value, width).plain + "`")


def _tutoring(report: Report) -> list[str]:
    """Each answered family's level and accuracy, then the named mistakes made most."""
    lang, tut = report.lang, report.tutoring
    out = ["", f"## {t('report.heading.tutoring', lang)}", ""]
    if not tut.families:
        return [*out, t("report.tutor.none", lang)]
    out += _table(
        [t(f"report.tutor.{k}", lang) for k in ("family", "level", "answers", "accuracy")],
        [[f.title, f"{f.level}/{f.levels}", f.answers, pct(f.accuracy)] for f in tut.families],
        {1, 2, 3},
    )
    out.append("")
    if not tut.mistakes:
        return [*out, t("report.tutor.no_mistakes", lang)]
    return out + _table(
        [t(f"report.tutor.{k}", lang) for k in ("count", "family", "mistake")],
        [[m.count, m.family, m.text] for m in tut.mistakes],
        {0},
    )


def _history(h: ScoreHistory, lang: str, title: str, empty: str) -> list[str]:
    out = ["", f"## {t(title, lang)}", ""]
    if not h.sessions:
        return [*out, t(empty, lang)]
    out.append(
        f"`{sparkline([s.score for s in h.sessions[:40]][::-1], 0.0, 1.0)}` {t('report.mean', lang)} {pct(h.mean)} · "
        f"{t('report.best', lang)} {pct(h.best)} · {t('report.trend', lang)} {trend_text(h.trend, lang).plain}"
    )
    out.append("")
    rows: list[list[object]] = []
    for s in h.sessions:
        minutes = session_length(s.minutes, lang)
        rows.append([s.date, s.questions, minutes, pct(s.score), _bar(s.score)])
    return out + _table(
        [t("report.date", lang), t("report.questions", lang), t("report.duration", lang), t("report.score", lang), ""],
        rows,
        {1, 2, 3},
    )


def _plan(report: Report) -> list[str]:
    """The interview plan's section (docs/planner.md)."""
    lang, p = report.lang, report.plan
    if p is None:
        return []
    out = ["", f"## {t('report.heading.plan', lang)}", ""]
    for line in plan_lines(report):
        out += [_escape(line), ""]
    out += [f"### {t('report.plan.readiness', lang)}", ""]
    out += _table(
        [
            t("report.plan.col.topic", lang),
            t("report.plan.col.recall", lang),
            "",
            t("report.plan.col.ready", lang),
            t("report.plan.col.cards", lang),
        ],
        [[x.name, pct(x.recall), _bar(x.recall), pct(x.ready), x.cards] for x in p.topics],
        {1, 3, 4},
    )
    out += ["", f"### {t('report.plan.days', lang)}", ""]
    out += _table(
        [t("report.plan.col.date", lang), t("report.plan.col.new", lang), t("report.plan.col.reviews", lang)],
        [[d.date, f"{d.planned_new}/{d.new}", f"{d.planned_reviews}/{d.reviews}"] for d in p.days],
        {1, 2},
    )
    return out


def render_md(report: Report) -> str:
    """The whole report as one Markdown document (an empty store: the title and a friendly note)."""
    lang = report.lang
    out = [f"# {t('report.title', lang)}", "", tn("report.as_of", report.days, lang, date=report.today)]
    if report.topic_filter:
        out += ["", t("report.topic_filter", lang, topics=", ".join(report.topic_filter))]
    if report.empty:
        return "\n".join([*out, "", t("report.empty", lang), ""])
    s, tot = report.states, report.totals
    n = max(1, s.total)
    out += ["", f"## {t('report.heading.overview', lang)}", ""]
    out += _table(
        [t("report.state", lang), t("report.count", lang), t("report.share", lang), ""],
        [
            [t(f"report.{k}", lang), v, pct(v / n), _bar(v / n)]
            for k, v in (
                ("new", s.new),
                ("learning", s.learning),
                ("young", s.young),
                ("mature", s.mature),
                ("suspended", s.suspended),
                ("leech", s.leech),
            )
        ],
        {1, 2},
    )
    out.append("")
    out.append(
        f"- {t('report.reviews', lang)}: {tot.window_reviews:,} · {t('report.time_spent', lang)}: "
        f"{duration_text(tot.window_time_ms, lang)} · {t('report.days_studied', lang)}: {tot.window_days_studied}"
    )
    out.append(
        f"- {t('report.streak', lang)}: {t('report.n_days', lang, n=report.streak.current)} · "
        f"{t('report.longest_streak', lang)}: {t('report.n_days', lang, n=report.streak.longest)}"
    )
    if s.not_in_bank:
        out.append(f"- {t('report.not_in_bank', lang)}: {s.not_in_bank}")
    out += _plan(report)

    # the calendar as one row per month: Markdown has no grid of coloured cells
    out += ["", f"## {calendar_heading(report.calendar, lang)}", ""]
    months: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for d in report.calendar:
        m = months[d.date[:7]]
        m[0] += d.reviews
        m[1] += d.time_ms
        m[2] += 1 if d.reviews else 0
    rows: list[list[object]] = [
        [month, f"{v[0]:,}", duration_text(v[1], lang), v[2]] for month, v in sorted(months.items()) if v[0]
    ]
    out += _table(
        [
            t("report.month", lang),
            t("report.reviews", lang),
            t("report.time_spent", lang),
            t("report.days_studied", lang),
        ],
        rows,
        {1, 2, 3},
    )
    out += ["", f"## {t('report.heading.forecast', lang)}", ""]
    f = report.forecast
    out.append(f"`{sparkline([d.due for d in f])}`")
    out.append("")
    out += _table(
        [
            t("report.due_today", lang),
            t("report.due_tomorrow", lang),
            t("report.due_week", lang),
            t("report.due_month", lang),
        ],
        [[f[0].due, f[1].due, sum(d.due for d in f[:7]), sum(d.due for d in f)]],
        {0, 1, 2, 3},
    )
    out += ["", f"## {t('report.heading.retention', lang)}", ""]
    out += _table(
        [t("report.window", lang), t("report.passed", lang), t("report.rate", lang), ""],
        [
            [tn("report.last_n_days", r.days, lang), f"{r.passed:,}/{r.total:,}", pct(r.rate), _bar(r.rate)]
            for r in report.retention
        ],
        {1, 2},
    )
    out += ["", t("report.retention_note", lang, again=rating_name(1, lang))]
    out += ["", f"## {t('report.heading.readiness', lang)}", ""]
    out += _table(
        [
            t("report.topic", lang),
            t("report.recall", lang),
            "",
            t("report.mature_short", lang),
            t("report.generated_short", lang),
            t("report.retention_short", lang),
            t("report.cards", lang),
        ],
        [
            [
                topic.name,
                pct(topic.recall),
                _bar(topic.recall),
                pct(topic.share_mature),
                pct(topic.generated_accuracy),
                pct(next((r.rate for r in topic.retention if r.days == 30), None)),
                topic.cards,
            ]
            for topic in sorted(report.topics, key=lambda x: (x.recall, x.name))
        ],
        {1, 3, 4, 5, 6},
    )
    out += ["", t("report.readiness_note", lang)]
    out += ["", f"## {t('report.heading.weakest', lang)}", ""]
    if report.weakest:
        out += _table(
            [
                "#",
                t("report.card", lang),
                t("report.topic", lang),
                t("report.recall", lang),
                t("report.lapses", lang),
                t("report.last_failed", lang),
            ],
            [
                [
                    i,
                    (w.prompt or w.card_id) + (" ⚑" if w.leech else ""),
                    w.topic,
                    pct(w.retrievability),
                    w.lapses,
                    w.last_failed or "",
                ]
                for i, w in enumerate(report.weakest, 1)
            ],
            {0, 3, 4},
        )
    else:
        out.append(t("report.none_weak", lang))
    out += _history(report.quizzes, lang, "report.heading.quizzes", "report.no_quizzes")
    out += _history(report.mocks, lang, "report.heading.mocks", "report.no_mocks")
    out += [line for text in mock_change_lines(report) for line in ("", text)]
    out += ["", f"## {t('report.heading.generators', lang)}", ""]
    if report.generators:
        out += _table(
            [t("report.generator", lang), t("report.answered", lang), t("report.accuracy", lang), ""],
            [[g.title, g.answered, pct(g.accuracy), _bar(g.accuracy)] for g in report.generators],
            {1, 2},
        )
    else:
        out.append(t("report.no_generated", lang))
    out += _tutoring(report)
    out += ["", "_" + t("report.footer", lang, at=report.generated_at) + "_", ""]
    return "\n".join(out)
