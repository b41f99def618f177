"""The report as Markdown, for notes: headings, GitHub-style tables and block-character bars."""

from __future__ import annotations

import re
from collections import defaultdict

from quizforge.report.render_text import bar, pct, sparkline, trend_text
from quizforge.report.stats import Report, ScoreHistory
from quizforge.report.strings import duration_text, label


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


def _history(h: ScoreHistory, lang: str, title: str, empty: str) -> list[str]:
    out = ["", f"## {label(title, lang)}", ""]
    if not h.sessions:
        return [*out, label(empty, lang)]
    out.append(
        f"`{sparkline([s.score for s in h.sessions][-40:], 0.0, 1.0)}` {label('mean', lang)} {pct(h.mean)} · "
        f"{label('best', lang)} {pct(h.best)} · {label('trend', lang)} {trend_text(h.trend, lang).plain}"
    )
    out.append("")
    rows: list[list[object]] = []
    for s in h.sessions:
        minutes = "" if s.minutes is None else label("minutes", lang, n=round(s.minutes))
        rows.append([s.date, s.questions, minutes, pct(s.score), _bar(s.score)])
    return out + _table(
        [label("date", lang), label("questions", lang), label("duration", lang), label("score", lang), ""],
        rows,
        {1, 2, 3},
    )


def render_md(report: Report) -> str:
    """The whole report as one Markdown document (an empty store: the title and a friendly note)."""
    lang = report.lang
    out = [f"# {label('title', lang)}", "", label("as_of", lang, date=report.today, days=report.days)]
    if report.topic_filter:
        out += ["", label("topic_filter", lang, topics=", ".join(report.topic_filter))]
    if report.empty:
        return "\n".join([*out, "", label("empty", lang), ""])
    s, tot = report.states, report.totals
    n = max(1, s.total)
    out += ["", f"## {label('overview', lang)}", ""]
    out += _table(
        [label("state", lang), label("count", lang), label("share", lang), ""],
        [
            [label(k, lang), v, pct(v / n), _bar(v / n)]
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
        f"- {label('reviews', lang)}: {tot.window_reviews:,} · {label('time_spent', lang)}: "
        f"{duration_text(tot.window_time_ms, lang)} · {label('days_studied', lang)}: {tot.window_days_studied}"
    )
    out.append(
        f"- {label('streak', lang)}: {label('n_days', lang, n=report.streak.current)} · "
        f"{label('longest_streak', lang)}: {label('n_days', lang, n=report.streak.longest)}"
    )
    if s.not_in_bank:
        out.append(f"- {label('not_in_bank', lang)}: {s.not_in_bank}")

    # the calendar as one row per month: Markdown has no grid of coloured cells
    out += ["", f"## {label('calendar', lang)}", ""]
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
        [label("month", lang), label("reviews", lang), label("time_spent", lang), label("days_studied", lang)],
        rows,
        {1, 2, 3},
    )
    out += ["", f"## {label('forecast', lang)}", ""]
    f = report.forecast
    out.append(f"`{sparkline([d.due for d in f])}`")
    out.append("")
    out += _table(
        [label("due_today", lang), label("due_tomorrow", lang), label("due_week", lang), label("due_month", lang)],
        [[f[0].due, f[1].due, sum(d.due for d in f[:7]), sum(d.due for d in f)]],
        {0, 1, 2, 3},
    )
    out += ["", f"## {label('retention', lang)}", ""]
    out += _table(
        [label("window", lang), label("passed", lang), label("rate", lang), ""],
        [
            [label("last_n_days", lang, n=r.days), f"{r.passed:,}/{r.total:,}", pct(r.rate), _bar(r.rate)]
            for r in report.retention
        ],
        {1, 2},
    )
    out += ["", label("retention_note", lang)]
    out += ["", f"## {label('readiness', lang)}", ""]
    out += _table(
        [
            label("topic", lang),
            label("recall", lang),
            "",
            label("mature_short", lang),
            label("generated_short", lang),
            label("retention_short", lang),
            label("cards", lang),
        ],
        [
            [
                t.name,
                pct(t.recall),
                _bar(t.recall),
                pct(t.share_mature),
                pct(t.generated_accuracy),
                pct(next((r.rate for r in t.retention if r.days == 30), None)),
                t.cards,
            ]
            for t in sorted(report.topics, key=lambda t: (t.recall, t.name))
        ],
        {1, 3, 4, 5, 6},
    )
    out += ["", label("readiness_note", lang)]
    out += ["", f"## {label('weakest', lang)}", ""]
    if report.weakest:
        out += _table(
            ["#", label("card", lang), label("topic", lang), label("recall", lang), label("lapses", lang)],
            [
                [i, (w.prompt or w.card_id) + (" ⚑" if w.leech else ""), w.topic, pct(w.retrievability), w.lapses]
                for i, w in enumerate(report.weakest, 1)
            ],
            {0, 3, 4},
        )
    else:
        out.append(label("none_weak", lang))
    out += _history(report.quizzes, lang, "quizzes", "no_quizzes")
    out += _history(report.mocks, lang, "mocks", "no_mocks")
    out += ["", f"## {label('generators', lang)}", ""]
    if report.generators:
        out += _table(
            [label("generator", lang), label("answered", lang), label("accuracy", lang), ""],
            [[g.title, g.answered, pct(g.accuracy), _bar(g.accuracy)] for g in report.generators],
            {1, 2},
        )
    else:
        out.append(label("no_generated", lang))
    out += ["", "_" + label("footer", lang, at=report.generated_at) + "_", ""]
    return "\n".join(out)
