"""Every string the TUI shows that does not come from the bank, in English and Chinese.

Screens look strings up with :func:`t` and the app's current language, so switching the language
re-renders every screen at once without a restart.
"""

from __future__ import annotations

from quizforge.text import Text

_S: dict[str, Text] = {
    # navigation and actions
    "quit": Text("Quit", "退出"),
    "back": Text("Back", "返回"),
    "help": Text("Help", "帮助"),
    "study": Text("Study", "学习"),
    "quiz": Text("Quiz", "测验"),
    "mock": Text("Mock interview", "模拟面试"),
    "mock_short": Text("Mock", "模拟面试"),
    "report": Text("Report", "报告"),
    "browse": Text("Browse", "题库"),
    "settings": Text("Settings", "设置"),
    "theme": Text("Light/dark", "明/暗主题"),
    "reveal": Text("Reveal", "显示答案"),
    "submit": Text("Submit", "提交"),
    "undo": Text("Undo", "撤销"),
    "suspend": Text("Suspend", "暂停此卡"),
    "unsuspend": Text("Unsuspend", "恢复此卡"),
    "save": Text("Save", "保存"),
    "cancel": Text("Cancel", "取消"),
    "yes": Text("Yes", "是"),
    "no": Text("No", "否"),
    "skip": Text("Pass", "跳过"),
    "next": Text("Next", "下一题"),
    "search": Text("Search", "搜索"),
    "rate": Text("Rate", "评分"),
    "submit_accept": Text("Submit / accept", "提交 / 确认"),
    "tick": Text("Pick / tick", "选择 / 勾选"),
    # dashboard
    "due_today": Text("Due today", "今日待复习"),
    "new_available": Text("New today", "今日新卡"),
    "done_today": Text("Done today", "今日已完成"),
    "streak": Text("Streak", "连续学习"),
    "days": Text("{n} days", "{n} 天"),
    "topics_progress": Text("Mastery by topic", "各主题掌握程度"),
    "cards": Text("cards", "张卡片"),
    "no_cards_due": Text(
        "Nothing due right now. Start new cards, take a quiz, or come back later.",
        "当前没有到期的卡片。可以学习新卡、做一次测验，或者稍后再来。",
    ),
    "welcome": Text(
        "{n} questions in {t} topics. Press s to study, z for a quiz, m for a mock interview, ? for help.",
        "题库共 {n} 道题，{t} 个主题。按 s 开始学习，z 测验，m 模拟面试，? 查看帮助。",
    ),
    # study
    "card_of": Text("Card {i} of {n}", "第 {i} / {n} 张"),
    "time_on_card": Text("{s} s on this card", "本题用时 {s} 秒"),
    "your_answer": Text("Your answer", "你的答案"),
    "answer_placeholder": Text(
        "Type your answer, then Enter (e.g. 15, 1/4, [1, 2], 1 2; 3 4, 16x10x10)",
        "输入答案后按回车（例如 15、1/4、[1, 2]、1 2; 3 4、16x10x10）",
    ),
    "concept_hint": Text(
        "Answer out loud or in your head, then press Space to reveal the model answer.",
        "先口头或在心里作答，然后按空格键查看参考答案。",
    ),
    "choice_hint": Text("Press the option's key (a, b, …), then Enter.", "按选项对应的键（a、b……），再按回车。"),
    "multi_hint": Text(
        "Several options are correct: toggle each with its key, then Enter.",
        "本题有多个正确选项：按键切换选择，再按回车提交。",
    ),
    "model_answer": Text("Model answer", "参考答案"),
    "key_points": Text(
        "Key points — tick the ones you made (a–f), then rate",
        "要点——勾选你答到的要点（按 a–f），然后评分",
    ),
    "explanation": Text("Explanation", "解析"),
    "solution": Text("Worked solution", "解题过程"),
    "expected": Text("Expected", "正确答案"),
    "correct": Text("Correct", "正确"),
    "wrong": Text("Wrong", "错误"),
    "partly": Text("Partly right", "部分正确"),
    "rate_hint": Text(
        "Enter accepts the proposed rating ({r}); 1–4 to choose another.",
        "按回车接受建议评分（{r}）；按 1–4 选择其他评分。",
    ),
    "again": Text("Again", "重来"),
    "hard": Text("Hard", "困难"),
    "good": Text("Good", "良好"),
    "easy": Text("Easy", "简单"),
    "session_done": Text("Session complete: {n} cards reviewed.", "本次学习完成：共复习 {n} 张卡片。"),
    "nothing_to_study": Text("Nothing to study right now.", "现在没有需要学习的卡片。"),
    "leave_question": Text(
        "Leave this card? Your answer in progress will be lost.",
        "离开这张卡片？正在输入的答案将会丢失。",
    ),
    "suspended_card": Text(
        "Card suspended: it will not be shown until you unsuspend it.",
        "已暂停此卡：恢复之前不会再出现。",
    ),
    "undone": Text("Last answer undone.", "已撤销上一次作答。"),
    "nothing_to_undo": Text("Nothing to undo.", "没有可撤销的作答。"),
    "loading": Text("Loading…", "加载中……"),
    # quiz
    "quiz_score": Text(
        "Score: {correct} of {asked} right, {pct}% — time {time}",
        "得分：{asked} 题答对 {correct} 题，{pct}% —— 用时 {time}",
    ),
    "quiz_misses": Text("{n} to review:", "需要复习的 {n} 道题："),
    "quiz_no_misses": Text("No misses. Well done!", "全部答对，做得好！"),
    "study_misses": Text("Study the misses", "复习错题"),
    "area": Text("Area", "领域"),
    "any_difficulty": Text("Any difficulty", "任意难度"),
    "quiz_count": Text("Number of questions", "题目数量"),
    "quiz_count_range": Text("Give a number of questions from 1 to 200.", "题目数量应为 1 到 200。"),
    "start": Text("Start", "开始"),
    # browse
    "search_placeholder": Text("Search text, #tag, or id", "搜索文字、#标签 或 id"),
    "all_topics": Text("All topics", "全部主题"),
    "all_kinds": Text("All kinds", "全部题型"),
    "matches": Text("{n} questions", "{n} 道题"),
    "sample_instance": Text(
        "Sample instance (seed {seed}) — a fresh one at every review",
        "示例题目（种子 {seed}）——每次复习都会重新出题",
    ),
    "history": Text("History", "复习记录"),
    "never_reviewed": Text("Never reviewed.", "尚未复习。"),
    "next_due": Text("Next due", "下次复习"),
    "state": Text("State", "状态"),
    "difficulty": Text("Difficulty", "难度"),
    "topic": Text("Topic", "主题"),
    "kind": Text("Kind", "题型"),
    "tags": Text("Tags", "标签"),
    "follow_ups": Text("Follow-ups", "追问"),
    "choices": Text("Choices", "选项"),
    "kind_concept": Text("concept", "概念题"),
    "kind_choice": Text("choice", "选择题"),
    "kind_numeric": Text("numeric", "计算题"),
    "kind_generated": Text("generated", "随机计算题"),
    # settings
    "language": Text("Language", "语言"),
    "retention": Text("Desired retention (0.70–0.99)", "目标记忆保持率（0.70–0.99）"),
    "new_per_day": Text("New cards per day", "每日新卡数"),
    "reviews_per_day": Text("Maximum reviews per day", "每日最多复习数"),
    "day_start": Text("Day starts at hour (0–23, local time)", "每天开始的时刻（0–23，本地时间）"),
    "saved": Text("Settings saved.", "设置已保存。"),
    "invalid_setting": Text("{field}: {message}", "{field}：{message}"),
    # help
    "help_title": Text("Keys", "快捷键"),
}


def t(key: str, lang: str, **fmt: object) -> str:
    """The UI string ``key`` in ``lang``, formatted with ``fmt``."""
    text = _S[key].get(lang)
    return text.format(**fmt) if fmt else text


def keys() -> frozenset[str]:
    """Every string key (tests check both languages are filled)."""
    return frozenset(_S)


def both(key: str) -> Text:
    return _S[key]
