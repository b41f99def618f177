"""``?``: every key of the app, by screen, in the current language."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from quizforge.text import Text
from quizforge.tui.strings import t

KEYS: list[tuple[Text, list[tuple[str, Text]]]] = [
    (
        Text("Everywhere", "所有界面"),
        [
            ("?", Text("this help", "显示本帮助")),
            ("ctrl+p", Text("command palette: every action by name", "命令面板：按名称查找所有操作")),
            ("escape / q", Text("back (asks first if an answer is in progress)", "返回（若答案尚未提交会先询问）")),
            ("ctrl+t", Text("light / dark theme", "切换明/暗主题")),
            ("ctrl+l", Text("English / 中文", "切换中文 / English")),
            ("ctrl+q", Text("quit", "退出")),
        ],
    ),
    (
        Text("Dashboard", "主页"),
        [
            ("s", Text("study today's cards", "学习今日卡片")),
            ("z", Text("quiz: a scored practice set", "测验：一组计分练习")),
            ("m", Text("mock interview", "模拟面试")),
            ("r", Text("progress report", "学习报告")),
            ("b", Text("browse the bank", "浏览题库")),
            ("o", Text("settings", "设置")),
        ],
    ),
    (
        Text("Study and quiz", "学习与测验"),
        [
            ("space / enter", Text("concept card: reveal the model answer", "概念题：显示参考答案")),
            ("a–f", Text("concept card, revealed: tick / untick key points", "概念题（已显示答案）：勾选/取消要点")),
            ("a–f / 1–9", Text("choice card: pick (toggle for multi-select)", "选择题：选择选项（多选题为切换）")),
            ("enter", Text("submit the answer / accept the proposed rating", "提交答案 / 接受建议评分")),
            ("1 2 3 4", Text("rate: Again, Hard, Good, Easy", "评分：重来、困难、良好、简单")),
            ("u / ctrl+u", Text("undo the last answer", "撤销上一次作答")),
            ("s / ctrl+s", Text("suspend this card", "暂停这张卡片")),
            ("↑ ↓ / PgUp PgDn", Text("scroll a long answer or solution", "滚动较长的答案或解题过程")),
        ],
    ),
    (
        Text("Mock interview", "模拟面试"),
        [
            ("ctrl+s", Text("submit a written answer (Enter is a new line)", "提交书面回答（回车换行）")),
            ("F2 / ctrl+n", Text("pass this question", "跳过这道题")),
            ("escape", Text("abandon the interview (asks first)", "放弃本次面试（会先询问）")),
            ("↑ ↓ / space / a–f", Text("scorecard: move and tick key points", "成绩单：移动并勾选要点")),
            ("t", Text("scorecard: study the three weakest topics", "成绩单：复习最薄弱的三个主题")),
        ],
    ),
    (
        Text("Browse", "题库"),
        [
            ("/", Text("search (text, #tag, id)", "搜索（文字、#标签、id）")),
            ("↑ ↓", Text("move through the questions", "在题目之间移动")),
            ("ctrl+s", Text("suspend / unsuspend the card", "暂停 / 恢复这张卡片")),
        ],
    ),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("q", "dismiss", "Close", show=False),
        Binding("question_mark", "dismiss", "Close", show=False),
    ]

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, pad_edge=False, expand=True)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for section, rows in KEYS:
            table.add_row(section.get(self.lang), "", style="bold underline")
            for key, what in rows:
                table.add_row(key, what.get(self.lang))
            table.add_row("", "")
        with VerticalScroll(id="help-box"):
            yield Static(t("help_title", self.lang), classes="title")
            yield Static(table)
