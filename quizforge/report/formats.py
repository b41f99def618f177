"""The report's output formats: one list that the ``report`` command's ``--format`` and the renderers share.

Standard library only, so the command line can build its parser from it without loading the report.
"""

from __future__ import annotations

from enum import StrEnum


class ReportFormat(StrEnum):
    TEXT = "text"
    MD = "md"
    HTML = "html"
    JSON = "json"
