"""The report as JSON for scripts; the schema is documented in ``docs/report-schema.md``."""

from __future__ import annotations

from quizforge.report.stats import Report


def render_json(report: Report) -> str:
    """The report as indented UTF-8 JSON text (``Report.to_json``), ending with a newline."""
    return report.to_json(indent=2) + "\n"
