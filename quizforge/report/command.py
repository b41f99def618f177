"""``quizforge report``: build the report and write it in the chosen format."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from pathlib import Path

from quizforge.bank.schema import Bank
from quizforge.report.formats import ReportFormat
from quizforge.report.stats import Report, build_report
from quizforge.store import Store
from quizforge.study.days import utc_now

# Each renderer is imported when its format is asked for: the HTML one alone is a few hundred lines.
Renderer = Callable[[Report, int, bool], str]


def _text(report: Report, width: int, color: bool) -> str:
    from quizforge.report.render_text import render_text

    return render_text(report, width=width, color=color)


def _md(report: Report, width: int, color: bool) -> str:
    from quizforge.report.render_md import render_md

    return render_md(report)


def _html(report: Report, width: int, color: bool) -> str:
    from quizforge.report.render_html import render_html

    return render_html(report)


def _json(report: Report, width: int, color: bool) -> str:
    from quizforge.report.render_json import render_json

    return render_json(report)


RENDERERS: dict[ReportFormat, Renderer] = {
    ReportFormat.TEXT: _text,
    ReportFormat.MD: _md,
    ReportFormat.HTML: _html,
    ReportFormat.JSON: _json,
}


def _format(fmt: str) -> ReportFormat:
    try:
        return ReportFormat(fmt)
    except ValueError:
        raise ValueError(f"unknown report format {fmt!r} (choose from {', '.join(ReportFormat)})") from None


def render(report: Report, fmt: str, *, width: int = 80, color: bool = False) -> str:
    """The report as text in ``fmt`` (a :class:`ReportFormat` value; ``width`` and ``color`` are the text format's).

    Raises:
        ValueError: for an unknown format.
    """
    return RENDERERS[_format(fmt)](report, width, color)


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"cannot write the report to {path}: {exc.strerror or exc}") from None


def run(
    store: Store,
    bank: Bank,
    *,
    fmt: str = "text",
    output: str | Path | None = None,
    days: int | None = 365,
    topics: Sequence[str] | None = None,
    lang: str = "en",
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> int:
    """Write the report: to ``output`` when given (then say on stdout which file was written), else to the
    terminal (text, with Rich) or stdout.

    Args:
        store: The open database.
        bank: The loaded bank.
        fmt: ``text``, ``md``, ``html`` or ``json``.
        output: A file to write (its directory must exist); ``None`` or ``"-"``: stdout.
        days: The history window in days (``None``: 365).
        topics: Only these topics (ids or area prefixes).
        lang: ``en`` or ``zh``.
        now: The report's time (``None``: the current time).
        tz: The local time zone (``None``: the system's).

    Returns:
        The exit code: 0.

    Raises:
        ValueError: with a one-line message, for an unknown format, a bad ``days`` or an
            output file that cannot be written.
    """
    fmt = _format(fmt)
    days = 365 if days is None else days
    if days < 1:
        raise ValueError(f"--days must be at least 1 (got {days})")
    target = None if output is None or str(output) == "-" else Path(output)
    if target is not None and (target.is_dir() or not target.parent.is_dir()):
        raise ValueError(
            f"cannot write the report to {target}: " + ("it is a directory" if target.is_dir() else "no such directory")
        )
    report = build_report(store, bank, now or utc_now(), days=days, topics=topics, tz=tz, lang=lang)
    if target is not None:
        from quizforge.i18n import t

        _write(target, render(report, fmt))
        sys.stdout.write(t("report.wrote", lang, path=target.resolve()) + "\n")
        return 0
    if fmt == ReportFormat.TEXT:
        from rich.console import Console

        from quizforge.report.render_text import render as render_rich

        console = Console(width=min(Console().width, 100))
        render_rich(report, console)
        return 0
    sys.stdout.write(render(report, fmt))
    return 0
