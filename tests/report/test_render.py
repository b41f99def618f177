"""The renderers: every format on a simulated fortnight and on an empty store; the HTML parses and
holds its charts; the JSON follows docs/report-schema.md; the text fits 80 columns in both languages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rich.cells import cell_len

from quizforge.bank import Bank, Topic
from quizforge.kinds import load
from quizforge.report.command import render, run
from quizforge.report.render_html import render_html
from quizforge.report.stats import Report, build_report
from quizforge.store import Store
from quizforge.text import Text
from tests.report.conftest import NOW, one_lapsed_card
from tests.report.simulate import simulate

TZ = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shipped() -> Bank:
    return load()


@pytest.fixture(scope="module")
def studied(tmp_path_factory: pytest.TempPathFactory, shipped: Bank) -> Iterator[tuple[Store, datetime]]:
    store = Store.open(tmp_path_factory.mktemp("sim") / "q.db")
    start = datetime(2026, 3, 2, 20, 0, tzinfo=TZ)
    simulate(store, shipped, start=start, days=12, tz=TZ, seed=5, max_cards=60)
    yield store, start + timedelta(days=12, hours=13)
    store.close()


@pytest.fixture(scope="module", params=["en", "zh"])
def report(request: pytest.FixtureRequest, studied: tuple[Store, datetime], shipped: Bank) -> Report:
    store, now = studied
    return build_report(store, shipped, now, tz=TZ, lang=request.param)


# -- a small JSON Schema validator (the subset docs/report-schema.md uses) -------------------------


def doc_schema() -> dict[str, Any]:
    text = (ROOT / "docs" / "report-schema.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)```", text, re.S)
    assert block is not None
    return json.loads(block.group(1))  # type: ignore[no-any-return]


_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def validate(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str = "$") -> None:
    if "$ref" in schema:
        node: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        return validate(value, node, root, path)
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        ok = False
        for t in types:
            if t == "integer":
                ok |= isinstance(value, int) and not isinstance(value, bool)
            elif t == "number":
                ok |= isinstance(value, int | float) and not isinstance(value, bool)
            else:
                ok |= isinstance(value, _TYPES[t])
        assert ok, f"{path}: {value!r} is not {types}"
    if "enum" in schema:
        assert value in schema["enum"], path
    if isinstance(value, int | float) and not isinstance(value, bool):
        assert value >= schema.get("minimum", value), path
        assert value <= schema.get("maximum", value), path
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{path}: missing {key}"
        props = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            extra = set(value) - set(props)
            assert not extra, f"{path}: undocumented {sorted(extra)}"
        for key, sub in props.items():
            if key in value:
                validate(value[key], sub, root, f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            validate(item, schema["items"], root, f"{path}[{i}]")
    return None


def test_json_matches_the_documented_schema(report: Report) -> None:
    data = json.loads(render(report, "json"))
    validate(data, doc_schema(), doc_schema())
    assert not data["empty"] and data["message"] is None
    assert len(data["calendar"]) == 365 and len(data["forecast"]) == 30
    assert data["totals"]["reviews"] > 100 and data["quizzes"]["sessions"] and data["mocks"]["sessions"]


def test_empty_json_matches_the_schema(tmp_path: Path, shipped: Bank) -> None:
    with Store.open(tmp_path / "q.db") as store:
        data = json.loads(render(build_report(store, shipped, NOW, lang="en"), "json"))
    validate(data, doc_schema(), doc_schema())
    assert data["empty"] and "No reviews yet" in data["message"]


# -- HTML -----------------------------------------------------------------------------------------


class Page(HTMLParser):
    VOID = frozenset({"meta", "br", "img", "input", "link", "hr", "rect", "circle", "line", "polyline"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    assert page.stack == [], f"unclosed: {page.stack}"
    return page


def test_html_parses_and_holds_its_charts(report: Report) -> None:
    html = render(report, "html")
    page = parse(html)
    names = [t for t, _ in page.tags]
    assert names.count("svg") >= 4  # heatmap, forecast, trend, bars
    labels = {a.get("aria-label") for t, a in page.tags if t == "svg"}
    assert {"Reviews per day", "Due in the next 30 days"} <= labels or {"每日复习", "未来 30 天到期"} <= labels
    assert names.count("rect") > 100 and "polyline" in names and "circle" in names
    assert "script" not in names and "link" not in names and "img" not in names
    assert not re.search(r"(src|href)=|url\(|@import|https?://(?!json-schema)", html)
    assert any(t == "meta" and a.get("name") == "viewport" for t, a in page.tags)


def test_html_escapes_all_text(tmp_path: Path) -> None:
    from tests.study.conftest import make_bank, question

    evil = '<script>alert("x")</script> & <marquee>'
    bank = make_bank([question("a", topic="t.a", prompt=Text(evil, evil))])
    bank.topics["t.a"] = Topic("t.a", "t", Text(evil, evil))
    with Store.open(tmp_path / "q.db") as store:
        one_lapsed_card(store, "a", "t.a")
        html = render_html(build_report(store, bank, NOW))
    page = parse(html)
    assert "script" not in [t for t, _ in page.tags] and "marquee" not in [t for t, _ in page.tags]
    assert evil in "".join(page.text)


# -- text and Markdown -----------------------------------------------------------------------------


def test_text_fits_80_columns(report: Report) -> None:
    text = render(report, "text", width=80)
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    title = "quizforge progress report" if report.lang == "en" else "quizforge 学习进度报告"
    assert lines[0] == title
    for heading in (
        ("True retention", "Readiness by topic", "Weakest cards") if report.lang == "en" else ("真实记忆保持率",)
    ):
        assert heading in text


def test_markdown_has_its_sections(report: Report) -> None:
    md = render(report, "md")
    assert md.startswith("# ")
    assert md.count("\n## ") >= 8
    table_rows = [line for line in md.splitlines() if line.startswith("|")]
    assert all(line.endswith("|") for line in table_rows)


@pytest.mark.parametrize("fmt", ["text", "md", "html", "json"])
@pytest.mark.parametrize(("lang", "note"), [("en", "No reviews yet"), ("zh", "还没有复习记录")])
def test_empty_store_is_friendly_in_every_format(tmp_path: Path, fmt: str, lang: str, note: str) -> None:
    from tests.study.conftest import make_bank, question

    with Store.open(tmp_path / "q.db") as store:
        out = render(build_report(store, make_bank([question("a")]), NOW, lang=lang), fmt)
    assert note in out
    if fmt == "html":
        parse(out)


# -- the command -----------------------------------------------------------------------------------


def test_run_writes_each_format(tmp_path: Path, studied: tuple[Store, datetime], shipped: Bank) -> None:
    store, now = studied
    for fmt in ("text", "md", "html", "json"):
        target = tmp_path / f"r.{fmt}"
        assert run(store, shipped, fmt=fmt, output=target, days=30, topics=["cnn"], lang="en", now=now, tz=TZ) == 0
        assert target.stat().st_size > 500
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["topic_filter"] == ["cnn"] and all(t["id"].startswith("cnn.") for t in data["topics"])
    assert "\x1b[" not in (tmp_path / "r.text").read_text(encoding="utf-8")  # no colour codes in a file


def test_run_to_stdout(capsys: pytest.CaptureFixture[str], studied: tuple[Store, datetime], shipped: Bank) -> None:
    store, now = studied
    assert run(store, shipped, fmt="json", output=None, days=365, topics=None, lang="zh", now=now, tz=TZ) == 0
    assert json.loads(capsys.readouterr().out)["lang"] == "zh"
    assert run(store, shipped, fmt="text", output="-", days=365, topics=None, lang="en", now=now, tz=TZ) == 0
    assert "True retention" in capsys.readouterr().out


@pytest.mark.parametrize("where", ["missing/dir/r.html", "."])
def test_unwritable_output_is_a_one_line_value_error(tmp_path: Path, where: str, shipped: Bank) -> None:
    with Store.open(tmp_path / "q.db") as store, pytest.raises(ValueError, match="cannot write the report") as err:
        run(store, shipped, fmt="html", output=tmp_path / where, days=365, topics=None, lang="en", now=NOW)
    assert "\n" not in str(err.value)


def test_bad_format_and_days(tmp_path: Path, shipped: Bank) -> None:
    with Store.open(tmp_path / "q.db") as store:
        with pytest.raises(ValueError, match="unknown report format"):
            run(store, shipped, fmt="pdf", output=None, days=365, topics=None, lang="en", now=NOW)
        with pytest.raises(ValueError, match="--days"):
            run(store, shipped, fmt="md", output=None, days=0, topics=None, lang="en", now=NOW)


def test_report_of_a_simulated_study_is_consistent(report: Report, studied: tuple[Store, datetime]) -> None:
    store, _ = studied
    s = report.states
    assert s.new + s.learning + s.young + s.mature + s.suspended == s.total == report.totals.cards
    assert report.totals.reviews == store.review_count() == sum(d.reviews for d in report.calendar)
    assert report.calendar[-14].date == "2026-03-02" and report.calendar[-15].reviews == 0
    assert report.totals.window_days_studied == sum(1 for d in report.calendar[-14:] if d.reviews) >= 9
    overall = {r.days: r for r in report.retention}[30]
    assert sum({r.days: r for r in t.retention}[30].total for t in report.topics) == overall.total > 0
    assert 0.6 < (overall.rate or 0) < 0.95  # the simulated user is right ~80% of the time
    assert report.streak.current == 0 < report.streak.longest  # the last evening was the 13th: broken on the 14th
    assert report.forecast[0].due > 0


def test_the_cli_writes_a_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from quizforge.cli import main

    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "--lang", "en", "report", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["empty"] and out["days"] == 365
    target = tmp_path / "r.html"
    assert main(["--data-dir", str(data), "report", "--format", "html", "--output", str(target), "--days", "30"]) == 0
    parse(target.read_text(encoding="utf-8"))
    assert main(["--data-dir", str(data), "report", "--format", "md", "--output", str(tmp_path / "no" / "r.md")]) != 0
    assert "cannot write the report" in capsys.readouterr().err


def test_markdown_escapes_text(tmp_path: Path) -> None:
    from tests.study.conftest import make_bank, question

    bank = make_bank([question("a", topic="t.a", prompt=Text("What does clip_grad_norm_ do | *why*?"))])
    with Store.open(tmp_path / "q.db") as store:
        one_lapsed_card(store, "a", "t.a")
        md = render(build_report(store, bank, NOW), "md")
    assert r"What does clip\_grad\_norm\_ do \| \*why\*?" in md
    assert "`█" in md  # the bars stay inline code


def test_text_shows_names_literally(tmp_path: Path) -> None:
    from tests.study.conftest import make_bank, question

    bank = make_bank([question("a", topic="t.a", prompt=Text("Is [bold]x[/bold] a tag?"))])
    bank.topics["t.a"] = Topic("t.a", "t", Text("[red]Topic[/red]"))
    with Store.open(tmp_path / "q.db") as store:
        one_lapsed_card(store, "a", "t.a")
        text = render(build_report(store, bank, NOW), "text", width=100)
    assert "[red]Topic[/red]" in text and "Is [bold]x[/bold] a tag?" in text


# -- what the report says matches what it shows ------------------------------------------------------

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _section_dates(text: str, heading: str, stop: str) -> list[str]:
    """The dates at the start of the rows between ``heading`` and the next ``stop`` (a heading marker)."""
    part = text.split(heading, 1)[1].split(stop, 1)[0]
    return [m.group(0) for line in part.splitlines() if (m := DATE.match(line.strip(" |")))]


def test_sessions_are_newest_first_in_every_format(report: Report) -> None:
    lang = report.lang
    assert len(report.quizzes.sessions) >= 2 and report.mocks.sessions
    newest = [s.date for s in report.quizzes.sessions]
    assert newest == sorted(newest, reverse=True)
    quiz = "Quiz history" if lang == "en" else "测验记录"
    mock = "Mock interviews" if lang == "en" else "模拟面试"
    md = render(report, "md")
    assert _section_dates(md, f"## {quiz}", "\n## ") == newest
    text = render(report, "text", width=100)
    shown = _section_dates(text, quiz, mock)
    assert shown == newest[: len(shown)] and shown
    html = render(report, "html")
    tables = [re.findall(r'<tr><td class="">(\d{4}-\d{2}-\d{2})</td>', t) for t in html.split("<table")]
    histories = [dates for dates in tables if dates]
    assert [s.date for s in report.mocks.sessions][:10] in histories and newest[:10] in histories
    assert mock in md


def test_the_heatmap_heading_names_the_range_it_shows(report: Report) -> None:
    from quizforge.report.render_text import trim_calendar

    for fmt, weeks in (("text", 13), ("html", 20)):
        shown = trim_calendar(report.calendar, min_weeks=weeks)
        out = render(report, fmt, width=100)
        first, last = shown[0].date, shown[-1].date
        assert last == report.today and first != report.calendar[0].date  # trimmed: less than the 365-day window
        assert re.search(rf"{first}\s+\S+\s+{last}", out), fmt
    # Markdown tabulates the whole window by month: its heading names the window
    heading = next(line for line in render(report, "md").splitlines() if line.startswith("## ") and "2026-" in line)
    assert re.search(rf"{report.calendar[0].date}\s+\S+\s+{report.today}", heading)


def test_output_prints_the_path_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], studied: tuple[Store, datetime], shipped: Bank
) -> None:
    store, now = studied
    target = tmp_path / "r.html"
    assert run(store, shipped, fmt="html", output=target, days=30, topics=None, lang="en", now=now, tz=TZ) == 0
    assert capsys.readouterr().out == f"Wrote the report to {target.resolve()}\n"
    assert run(store, shipped, fmt="md", output=target, days=30, topics=None, lang="zh", now=now, tz=TZ) == 0
    assert capsys.readouterr().out == f"报告已写入 {target.resolve()}\n"
