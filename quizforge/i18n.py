"""Every string the interface shows that does not come from the bank, in English and Chinese.

One catalogue for the TUI, the report and the command line. Keys are namespaced by where the text
appears (``study.progress``, ``rating.good``, ``report.heading.retention``); :func:`t` looks one up in a
language and fills its ``{name}`` fields, :func:`tn` does the same for a text that depends on a count
("1 day", "2 days"; Chinese has no plural, so one form serves every count).

A plain dict module on purpose: it is on the TUI's start path, where parsing a locale file would cost
start-up time.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizforge.text import Lang, Text

_TEXTS: dict[str, Text] = {
    # action
    "action.quit": Text("Quit", "退出"),
    "action.back": Text("Back", "返回"),
    "action.help": Text("Help", "帮助"),
    "action.study": Text("Study", "学习"),
    "action.quiz": Text("Quiz", "测验"),
    "action.mock": Text("Mock interview", "模拟面试"),
    "action.mock_short": Text("Mock", "模拟面试"),
    "action.report": Text("Report", "报告"),
    "action.browse": Text("Browse", "题库"),
    "action.settings": Text("Settings", "设置"),
    "action.theme": Text("Light/dark", "明/暗主题"),
    "action.reveal": Text("Reveal", "显示答案"),
    "action.submit": Text("Submit", "提交"),
    "action.undo": Text("Undo", "撤销"),
    "action.suspend": Text("Suspend", "暂停此卡"),
    "action.unsuspend": Text("Unsuspend", "恢复此卡"),
    "action.save": Text("Save", "保存"),
    "action.cancel": Text("Cancel", "取消"),
    "action.yes": Text("Yes", "是"),
    "action.no": Text("No", "否"),
    "action.skip": Text("Pass", "跳过"),
    "action.next": Text("Next", "下一题"),
    "action.search": Text("Search", "搜索"),
    "action.rate": Text("Rate", "评分"),
    "action.submit_accept": Text("Submit / accept", "提交 / 确认"),
    "action.tick": Text("Pick / tick", "选择 / 勾选"),
    "action.start": Text("Start", "开始"),
    "action.scroll": Text("Scroll", "滚动"),
    # dashboard
    "dashboard.due_today": Text("Due today", "今日待复习"),
    "dashboard.new_available": Text("New today", "今日新卡"),
    "dashboard.done_today": Text("Done today", "今日已完成"),
    "dashboard.streak": Text("Streak", "连续学习"),
    "dashboard.topics_progress": Text("Mastery by topic", "各主题掌握程度"),
    "dashboard.cards": Text("cards", "张卡片"),
    "dashboard.no_cards_due": Text(
        "Nothing due right now. Start new cards, take a quiz, or come back later.",
        "当前没有到期的卡片。可以学习新卡、做一次测验，或者稍后再来。",
    ),
    "dashboard.welcome": Text(
        "{n} questions in {t} topics. Press s to study, z for a quiz, m for a mock interview, ? for help.",
        "题库共 {n} 道题，{t} 个主题。按 s 开始学习，z 测验，m 模拟面试，? 查看帮助。",
    ),
    # study
    "study.progress": Text("{done} done · {left} left", "已完成 {done} · 剩余 {left}"),
    "study.time_on_card": Text("{s} s on this card", "本题用时 {s} 秒"),
    "study.your_answer": Text("Your answer", "你的答案"),
    "study.answer_placeholder": Text(
        "Type your answer, then Enter (e.g. 15, 1/4, [1, 2], 1 2; 3 4, 16x10x10)",
        "输入答案后按回车（例如 15、1/4、[1, 2]、1 2; 3 4、16x10x10）",
    ),
    "study.concept_hint": Text(
        "Answer out loud or in your head, then press Space to reveal the model answer.",
        "先口头或在心里作答，然后按空格键查看参考答案。",
    ),
    "study.choice_hint": Text("Press the option's key (a, b, …), then Enter.", "按选项对应的键（a、b……），再按回车。"),
    "study.multi_hint": Text(
        "Several options are correct: toggle each with its key, then Enter.",
        "本题有多个正确选项：按键切换选择，再按回车提交。",
    ),
    "study.key_points": Text(
        "Key points — tick the ones you made (a–f), then rate", "要点——勾选你答到的要点（按 a–f），然后评分"
    ),
    "study.correct": Text("Correct", "正确"),
    "study.wrong": Text("Wrong", "错误"),
    "study.partly": Text("Partly right", "部分正确"),
    "study.rate_hint": Text(
        "Enter accepts the proposed rating ({r}); 1–4 to choose another.",
        "按回车接受建议评分（{r}）；按 1–4 选择其他评分。",
    ),
    "study.nothing_to_study": Text("Nothing to study right now.", "现在没有需要学习的卡片。"),
    "study.leave_question": Text(
        "Leave this card? Your answer in progress will be lost.", "离开这张卡片？正在输入的答案将会丢失。"
    ),
    "study.suspended_card": Text(
        "Card suspended: it will not be shown until you unsuspend it.", "已暂停此卡：恢复之前不会再出现。"
    ),
    "study.undone": Text("Last answer undone.", "已撤销上一次作答。"),
    "study.taken_back": Text("Answer taken back: answer again.", "已收回本题作答，请重新作答。"),
    "study.nothing_to_undo": Text("Nothing to undo.", "没有可撤销的作答。"),
    # answer
    "answer.model_answer": Text("Model answer", "参考答案"),
    "answer.explanation": Text("Explanation", "解析"),
    "answer.solution": Text("Worked solution", "解题过程"),
    "answer.expected": Text("Expected", "正确答案"),
    "answer.key_points": Text("Key points", "要点"),
    # quiz
    "quiz.score": Text(
        "Score: {correct} of {asked} right, {pct}% — time {time}",
        "得分：{asked} 题答对 {correct} 题，{pct}% —— 用时 {time}",
    ),
    "quiz.misses": Text("{n} to review:", "需要复习的 {n} 道题："),
    "quiz.no_misses": Text("No misses. Well done!", "全部答对，做得好！"),
    "quiz.study_misses": Text("Study the misses", "复习错题"),
    "quiz.area": Text("Area", "领域"),
    "quiz.area_option": Text("Area: {prefix}.*", "领域：{prefix}.*"),
    "quiz.any_difficulty": Text("Any difficulty", "任意难度"),
    "quiz.count": Text("Number of questions", "题目数量"),
    "quiz.count_range": Text("Give a number of questions from 1 to 200.", "题目数量应为 1 到 200。"),
    # browse
    "browse.toggle_suspend": Text("Suspend/unsuspend", "暂停/恢复此卡"),
    "browse.search_placeholder": Text("Search text, #tag, or id", "搜索文字、#标签 或 id"),
    "browse.all_topics": Text("All topics", "全部主题"),
    "browse.all_kinds": Text("All kinds", "全部题型"),
    "browse.sample_instance": Text(
        "Sample instance (seed {seed}) — a fresh one at every review", "示例题目（种子 {seed}）——每次复习都会重新出题"
    ),
    "browse.history": Text("History", "复习记录"),
    "browse.never_reviewed": Text("Never reviewed.", "尚未复习。"),
    "browse.next_due": Text("Next due", "下次复习"),
    "browse.state": Text("State", "状态"),
    "browse.text": Text("Question", "题目"),
    "browse.state.new": Text("New", "新卡"),
    "browse.state.learning": Text("Learning", "学习中"),
    "browse.state.due": Text("Due {date}", "{date} 到期"),
    "browse.state.suspended": Text("Suspended", "已暂停"),
    "browse.state.active_again": Text("Active again", "已恢复"),
    "browse.card_state": Text("{state}: {card}", "{state}：{card}"),
    "browse.difficulty": Text("Difficulty", "难度"),
    "browse.topic": Text("Topic", "主题"),
    "browse.kind": Text("Kind", "题型"),
    "browse.tags": Text("Tags", "标签"),
    "browse.follow_ups": Text("Follow-ups", "追问"),
    "browse.choices": Text("Choices", "选项"),
    # kind
    "kind.concept": Text("concept", "概念题"),
    "kind.choice": Text("choice", "选择题"),
    "kind.numeric": Text("numeric", "计算题"),
    "kind.generated": Text("generated", "随机计算题"),
    "kind.implement": Text("implement", "编程实现题"),
    # settings
    "settings.language": Text("Language", "语言"),
    "settings.retention": Text("Desired retention (0.70–0.99)", "目标记忆保持率（0.70–0.99）"),
    "settings.new_per_day": Text("New cards per day", "每日新卡数"),
    "settings.reviews_per_day": Text("Maximum reviews per day", "每日最多复习数"),
    "settings.day_start": Text("Day starts at hour (0–23, local time)", "每天开始的时刻（0–23，本地时间）"),
    "settings.saved": Text("Settings saved.", "设置已保存。"),
    "settings.invalid_setting": Text("{field}: {message}", "{field}：{message}"),
    "help.title": Text("Keys", "快捷键"),
    # common
    "common.loading": Text("Loading…", "加载中……"),
    # mock
    "mock.title": Text("Mock interview", "模拟面试"),
    "mock.question_of": Text("Question {i} of {n}", "第 {i} / {n} 题"),
    "mock.follow_up": Text("follow-up", "追问"),
    "mock.time_left": Text("⏱ {t} left", "⏱ 剩余 {t}"),
    "mock.on_question": Text("this question {t}", "本题 {t}"),
    "mock.concept_prompt": Text(
        "Answer as you would aloud, in English or Chinese. Enter starts a new line; ctrl+s submits.",
        "像面试时口头回答一样作答，中英文均可。回车换行，ctrl+s 提交。",
    ),
    "mock.choice_prompt": Text("Press the option's key (a, b, …), then Enter.", "按选项对应的键（a、b……），再按回车。"),
    "mock.multi_prompt": Text(
        "Pick every option that applies (toggle with its key), then Enter.", "选出所有正确选项（按键切换），再按回车。"
    ),
    "mock.no_verdicts": Text(
        "No answers or verdicts until the end, as in an interview.", "和真实面试一样，结束前不显示答案和对错。"
    ),
    "mock.text_placeholder": Text("Your answer…", "你的回答……"),
    "mock.submit_key": Text("Submit", "提交"),
    "mock.pass_key": Text("Pass", "跳过"),
    "mock.abandon": Text("Abandon", "放弃"),
    "mock.choose": Text("Pick", "选择"),
    "mock.abandon_question": Text(
        "Abandon this mock interview? Nothing of it will be saved.", "放弃本次模拟面试？本次的作答都不会保存。"
    ),
    "mock.empty_answer": Text("Nothing typed yet: answer, or press F2 to pass.", "还没有作答：请作答，或按 F2 跳过。"),
    "mock.minutes_left": Text("{n} min left.", "还剩 {n} 分钟。"),
    "mock.time_up": Text("Time's up: the interview is over.", "时间到：面试结束。"),
    "mock.nothing_to_ask": Text(
        "No questions to ask: every matching question is suspended, or the topic is unknown.",
        "没有可以出的题：符合条件的题目都已暂停，或主题不存在。",
    ),
    # scorecard
    "scorecard.title": Text("Scorecard", "成绩单"),
    "scorecard.total": Text("Score {s} / 100", "得分 {s} / 100"),
    "scorecard.answered_of": Text(
        "{a} of {n} answered · {p} passed · {m} used of {limit}",
        "共 {n} 题，作答 {a} 题 · 跳过 {p} 题 · 用时 {m} / {limit}",
    ),
    "scorecard.by_topic": Text("Score by topic", "各主题得分"),
    "scorecard.study_next": Text("Study next: ", "接下来复习："),
    "scorecard.all_perfect": Text(
        "Nothing to study next: every topic scored 100.", "所有主题都得了满分，没有需要复习的。"
    ),
    "scorecard.your_answer": Text("Your answer", "你的回答"),
    "scorecard.passed": Text("passed", "已跳过"),
    "scorecard.timed_out": Text("time ran out", "时间到，未作答"),
    "scorecard.not_reached": Text("not reached", "未答到"),
    "scorecard.no_answer": Text("(no answer)", "（未作答）"),
    "scorecard.key_points_check": Text(
        "Key points — tick the ones your answer made (suggested ticks come from keywords)",
        "要点——勾选你答到的要点（预先勾选的是根据关键词给出的建议）",
    ),
    "scorecard.points_of": Text("{k}/{n} key points", "要点 {k}/{n}"),
    "scorecard.suggested": Text("(suggested: “{kw}”)", "（建议：“{kw}”）"),
    "scorecard.study_topics": Text("Study next", "复习薄弱主题"),
    "scorecard.toggle": Text("Tick", "勾选"),
    "scorecard.move": Text("Key point", "上下移动"),
    "scorecard.next_point": Text("Next key point", "下一个要点"),
    "scorecard.previous_point": Text("Previous key point", "上一个要点"),
    "scorecard.saved": Text("Mock interview saved.", "模拟面试已保存。"),
    "scorecard.save_failed": Text("Could not save the mock interview: {e}", "无法保存模拟面试：{e}"),
    "scorecard.study_unavailable": Text("Studying chosen topics is not available yet.", "按主题复习功能尚不可用。"),
    "scorecard.nothing_to_study_next": Text("Nothing to study next.", "没有需要复习的主题。"),
    # the progress report (a heading per section)
    "report.title": Text("quizforge progress report", "quizforge 学习进度报告"),
    "report.topic_filter": Text("Topics: {topics}", "主题：{topics}"),
    "report.empty": Text(
        "No reviews yet. Study a few cards (quizforge study) and your progress will show up here.",
        "还没有复习记录。先学习几张卡片（quizforge study），你的进度就会显示在这里。",
    ),
    "report.heading.overview": Text("Overview", "总览"),
    "report.cards": Text("Cards", "卡片"),
    "report.reviews": Text("Reviews", "复习次数"),
    "report.time_spent": Text("Time spent", "学习时长"),
    "report.days_studied": Text("Days studied", "学习天数"),
    "report.streak": Text("Streak", "连续学习"),
    "report.longest_streak": Text("Longest streak", "最长连续"),
    "report.n_days": Text("{n} d", "{n} 天"),
    "report.state": Text("State", "状态"),
    "report.count": Text("Count", "数量"),
    "report.share": Text("Share", "占比"),
    "report.new": Text("New", "新卡"),
    "report.learning": Text("Learning", "学习中"),
    "report.young": Text("Young (<21 d)", "较新 (<21 天)"),
    "report.mature": Text("Mature (≥21 d)", "已掌握 (≥21 天)"),
    "report.suspended": Text("Suspended", "已暂停"),
    "report.leech": Text("Leeches", "难记卡"),
    "report.not_in_bank": Text("No longer in the bank", "已不在题库中"),
    "report.heading.calendar": Text("Reviews per day", "每日复习"),
    "report.less": Text("less", "少"),
    "report.more": Text("more", "多"),
    "report.weekdays": Text("Mon,,Wed,,Fri,,", "一,,三,,五,,"),
    "report.heading.forecast": Text("Due in the next 30 days", "未来 30 天到期"),
    "report.due_today": Text("Today", "今天"),
    "report.due_tomorrow": Text("Tomorrow", "明天"),
    "report.due_week": Text("Next 7 days", "未来 7 天"),
    "report.due_month": Text("Next 30 days", "未来 30 天"),
    "report.date": Text("Date", "日期"),
    "report.month": Text("Month", "月份"),
    "report.due": Text("Due", "到期"),
    "report.heading.retention": Text("True retention", "真实记忆保持率"),
    "report.retention_note": Text(
        "First review of a card each day (not its first ever); {again} = fail.",
        "每张卡每天的第一次复习（不含首次学习）；“{again}”记为失败。",
    ),
    "report.retention_30": Text("True retention, 30 d", "30 天真实保持率"),
    "report.window": Text("Window", "时间段"),
    "report.passed": Text("Passed", "通过"),
    "report.rate": Text("Rate", "比率"),
    "report.heading.readiness": Text("Readiness by topic", "各主题准备程度"),
    "report.readiness_note": Text(
        "Recall = mean FSRS retrievability now (unseen cards count 0); mature = share of cards ≥21 d; "
        "gen. = accuracy on generated questions; ret. = true retention, last 30 days.",
        "回忆率 = 当前 FSRS 平均可提取概率（未学卡片计 0）；掌握 = 间隔 ≥21 天卡片占比；"
        "生成题 = 生成题正确率；保持 = 最近 30 天真实保持率。",
    ),
    "report.topic": Text("Topic", "主题"),
    "report.recall": Text("Recall", "回忆率"),
    "report.mature_short": Text("Mature", "掌握"),
    "report.generated_short": Text("Gen.", "生成题"),
    "report.retention_short": Text("Ret.", "保持"),
    "report.heading.weakest": Text("Weakest cards", "最薄弱的卡片"),
    "report.card": Text("Card", "卡片"),
    "report.lapses": Text("Lapses", "遗忘"),
    "report.none_weak": Text("No reviewed cards yet.", "还没有复习过的卡片。"),
    "report.heading.quizzes": Text("Quiz history", "测验记录"),
    "report.heading.mocks": Text("Mock interviews", "模拟面试记录"),
    "report.questions": Text("Questions", "题数"),
    "report.score": Text("Score", "得分"),
    "report.trend": Text("Trend", "趋势"),
    "report.mean": Text("Mean", "平均"),
    "report.best": Text("best", "最高"),
    "report.points": Text("{n} pt", "{n} 个百分点"),
    "report.trend_up": Text("improving {d} per session", "每次提升 {d}"),
    "report.trend_down": Text("falling {d} per session", "每次下降 {d}"),
    "report.trend_flat": Text("steady", "平稳"),
    "report.no_quizzes": Text("No quizzes yet (quizforge quiz).", "还没有测验记录（quizforge quiz）。"),
    "report.no_mocks": Text("No mock interviews yet (quizforge mock).", "还没有模拟面试记录（quizforge mock）。"),
    "report.minutes": Text("{n} min", "{n} 分钟"),
    "report.seconds": Text("{n} s", "{n} 秒"),
    "report.date_range": Text("{start} to {end}", "{start} 至 {end}"),
    "report.wrote": Text("Wrote the report to {path}", "报告已写入 {path}"),
    "report.last_failed": Text("Last failed", "最近答错"),
    "report.duration": Text("Length", "时长"),
    "report.heading.generators": Text("Accuracy by question generator", "各生成题型正确率"),
    "report.generator": Text("Generator", "题型"),
    "report.answered": Text("Answered", "作答"),
    "report.accuracy": Text("Accuracy", "正确率"),
    "report.more_generators": Text(
        "… and {k} more: {n} answered, {acc} right", "… 另有 {k} 种：作答 {n} 次，正确率 {acc}"
    ),
    "report.no_generated": Text("No generated questions answered yet.", "还没有作答过生成题。"),
    "report.footer": Text("Generated by quizforge on {at}.", "由 quizforge 生成于 {at}。"),
    # the command line's messages
    "cli.error": Text("quizforge: error: {message}", "quizforge：错误：{message}"),
    "cli.no_path": Text("{path}: no such file or directory", "{path}：文件或目录不存在"),
    "cli.no_file": Text("{path}: no such file", "{path}：文件不存在"),
    "cli.cannot_write": Text("{path}: cannot write ({reason})", "{path}：无法写入（{reason}）"),
    "cli.must_be": Text("{option} must be {allowed}", "{option} 必须为 {allowed}"),
    "cli.bank_problem": Text("the question bank could not be loaded: {problem}", "无法加载题库：{problem}"),
    "cli.bank_failed": Text(
        "the question bank could not be loaded (see the problems above)", "无法加载题库（见上方列出的问题）"
    ),
    "cli.unknown_topic": Text(
        "--topic {topic}: unknown topic or area (see `quizforge topics`)",
        "--topic {topic}：未知的主题或领域（见 `quizforge topics`）",
    ),
    "cli.needs_terminal": Text(
        "the TUI needs a terminal; for pipes and screen readers use `quizforge study --plain`",
        "终端界面需要在终端中运行；管道输出或读屏软件请使用 `quizforge study --plain`",
    ),
    "cli.nothing_imported": Text("{error} (nothing was imported)", "{error}（未导入任何内容）"),
    "cli.imported": Text(
        "imported {added} new reviews ({known} already known) and {events} other events; {cards} cards rescheduled",
        "已导入 {added} 条新复习记录（{known} 条已存在）和 {events} 条其他事件；{cards} 张卡片已重新安排",
    ),
    "cli.synced": Text(
        "sent {sent} events; received {reviews} reviews and {events} other events from {devices} other devices",
        "已发送 {sent} 条事件；从 {devices} 台其他设备收到 {reviews} 条复习记录和 {events} 条其他事件",
    ),
    "cli.sync_auto_on": Text("; automatic sync with {folder} on start and quit", "；启动和退出时自动与 {folder} 同步"),
    "cli.sync_auto_off": Text("automatic sync is off", "已关闭自动同步"),
    "cli.sync_no_folder": Text(
        "sync: give the shared folder DIR (or set one with `quizforge sync DIR --auto`)",
        "sync：请给出共享文件夹 DIR（或用 `quizforge sync DIR --auto` 设置一个）",
    ),
    "cli.sync_skipped": Text("quizforge: warning: sync skipped: {error}", "quizforge：警告：已跳过同步：{error}"),
    "cli.nothing_merged": Text("{error} (nothing was merged)", "{error}（未合并任何内容）"),
    "cli.settings_applied": Text("; settings applied", "；已应用设置"),
    "cli.not_enough_history": Text(
        "not enough history yet: {have} usable reviews, {need} needed ({more} more; a usable review is a "
        "card's second or later review on a new day). The default parameters stay in use.",
        "复习记录还不够：可用的复习 {have} 条，需要 {need} 条（还差 {more} 条；可用的复习指一张卡片在新的一天里"
        "的第二次及以后的复习）。继续使用默认参数。",
    ),
    "cli.fitted": Text(
        "fitted {n} FSRS parameters to {items} reviews; stored", "已根据 {items} 条复习记录拟合 {n} 个 FSRS 参数并保存"
    ),
    "cli.parameters": Text("parameters: {values}", "参数：{values}"),
    "cli.unknown_family": Text("unknown family {name}{hint}", "未知的题型 {name}{hint}"),
    "cli.did_you_mean": Text(" (did you mean {names}?)", "（是不是 {names}？）"),
    "cli.see_families": Text(" (see `quizforge generate --list`)", "（见 `quizforge generate --list`）"),
    "cli.generate_needs_family": Text(
        "generate: give a FAMILY, or --list to see them", "generate：请给出 FAMILY，或用 --list 查看全部题型"
    ),
    "cli.levels_of": Text("1..{levels} for {family}", "1..{levels}（{family}）"),
    # `quizforge study --plain`: the line-by-line dialogue
    "plain.answer": Text("answer> ", "答案> "),
    "plain.attempt": Text("your answer (Enter to reveal)> ", "你的回答（回车显示答案）> "),
    "plain.code_file": Text(
        "file with your solution (Enter to see the solution)> ", "你的解答文件路径（回车查看参考解答）> "
    ),
    "plain.bad_file": Text(
        "{path}: cannot read it ({why}); try again (Enter shows the solution, q stops)",
        "{path}：无法读取（{why}）；请重新输入（回车显示解答，q 结束）",
    ),
    "plain.rating": Text("rating [{ratings}; Enter = {n} {name}]> ", "评分 [{ratings}；回车 = {n} {name}]> "),
    "plain.bad_rating": Text(
        "please type 1, 2, 3 or 4, Enter to accept {n} {name}, or q to stop",
        "请输入 1、2、3 或 4，回车接受 {n} {name}，或 q 结束",
    ),
    "plain.bad_answer": Text(
        "{why}; try again (Enter shows the answer, q stops)", "{why}；请重新输入（回车显示答案，q 结束）"
    ),
    "plain.model": Text("Model answer:", "参考答案："),
    "plain.points": Text("Key points:", "要点："),
    "plain.solution": Text("Solution:", "解答："),
    "plain.expected": Text("Expected: {x}", "正确答案：{x}"),
    "plain.new": Text("new", "新卡"),
    "plain.review": Text("review", "复习"),
    "plain.done": Text(
        "Session over: {n} rated. {due} due and {new} new left today.",
        "本次结束：已评分 {n} 张。今天还有 {due} 张到期、{new} 张新卡。",
    ),
    "plain.nothing": Text(
        "Nothing to study right now. {due} due and {new} new left today.",
        "现在没有要学的卡片。今天还有 {due} 张到期、{new} 张新卡。",
    ),
    "plain.next": Text("next: {ivl}", "下次：{ivl}"),
    # rating names (one place: the rating buttons, the browser's history, the help screen, the report)
    "rating.again": Text("Again", "重来"),
    "rating.hard": Text("Hard", "困难"),
    "rating.good": Text("Good", "良好"),
    "rating.easy": Text("Easy", "简单"),
    # lists and units
    "list.separator": Text(", ", "、"),
    "interval.minutes": Text("{n} min", "{n}分钟"),
    "interval.hours": Text("{n} h", "{n}小时"),
    "interval.days": Text("{n} d", "{n}天"),
    "interval.months": Text("{n} mo", "{n}个月"),
    "interval.years": Text("{n} y", "{n}年"),
    "duration.hours_minutes": Text("{h} h {m:02d} min", "{h} 小时 {m:02d} 分"),
    "duration.minutes": Text("{m} min", "{m} 分钟"),
    # the help screen
    "help.section.everywhere": Text("Everywhere", "所有界面"),
    "help.section.dashboard": Text("Dashboard", "主页"),
    "help.section.study": Text("Study and quiz", "学习与测验"),
    "help.section.mock": Text("Mock interview", "模拟面试"),
    "help.section.browse": Text("Browse", "题库"),
    "help.this_help": Text("this help", "显示本帮助"),
    "help.palette": Text("command palette: every action by name", "命令面板：按名称查找所有操作"),
    "help.back": Text("back (asks first if an answer is in progress)", "返回（若答案尚未提交会先询问）"),
    "help.theme": Text("light / dark theme", "切换明/暗主题"),
    "help.language": Text("English / 中文", "切换中文 / English"),
    "help.quit": Text("quit", "退出"),
    "help.study": Text("study today's cards", "学习今日卡片"),
    "help.quiz": Text("quiz: a scored practice set", "测验：一组计分练习"),
    "help.mock": Text("mock interview", "模拟面试"),
    "help.report": Text("progress report", "学习报告"),
    "help.browse": Text("browse the bank", "浏览题库"),
    "help.settings": Text("settings", "设置"),
    "help.reveal": Text("concept card: reveal the model answer", "概念题：显示参考答案"),
    "help.tick": Text("concept card, revealed: tick / untick key points", "概念题（已显示答案）：勾选/取消要点"),
    "help.pick": Text("choice card: pick (toggle for multi-select)", "选择题：选择选项（多选题为切换）"),
    "help.submit": Text("submit the answer / accept the proposed rating", "提交答案 / 接受建议评分"),
    "help.rate": Text("rate: {ratings}", "评分：{ratings}"),
    "help.undo": Text("take back an unrated answer, else undo the last answer", "收回未评分的作答，否则撤销上一次作答"),
    "help.suspend": Text("suspend this card", "暂停这张卡片"),
    "help.scroll": Text("scroll a long answer or solution", "滚动较长的答案或解题过程"),
    "help.mock_submit": Text("submit a written answer (Enter is a new line)", "提交书面回答（回车换行）"),
    "help.mock_pass": Text("pass this question", "跳过这道题"),
    "help.mock_abandon": Text("abandon the interview (asks first)", "放弃本次面试（会先询问）"),
    "help.scorecard_tick": Text("scorecard: move and tick key points", "成绩单：移动并勾选要点"),
    "help.scorecard_study": Text("scorecard: study every weak topic", "成绩单：复习所有薄弱主题"),
    "help.search": Text("search (text, #tag, id)", "搜索（文字、#标签、id）"),
    "help.move": Text("move through the questions", "在题目之间移动"),
    "help.toggle_suspend": Text("suspend / unsuspend the card", "暂停 / 恢复这张卡片"),
    # --- plan (issue 20: the interview plan)
    "action.plan": Text("Plan", "计划"),
    "settings.plan": Text("Interview plan…", "面试计划…"),
    "plan.error.bad_date": Text(
        "{field} {value}: not a date (use YYYY-MM-DD)", "{field} {value}：不是日期（格式 YYYY-MM-DD）"
    ),
    "plan.error.past_date": Text(
        "{field} {value}: the interview must be after today ({today})",
        "{field} {value}：面试日期必须晚于今天（{today}）",
    ),
    "plan.error.unknown_area": Text(
        "{field} {value}: no such area (areas: {known})", "{field} {value}：没有这个领域（可选：{known}）"
    ),
    "plan.error.minutes": Text(
        "{field} {value}: must be from {lo} to {hi}", "{field} {value}：必须在 {lo} 到 {hi} 之间"
    ),
    "plan.error.retention": Text(
        "{field} {value}: must be from {lo} to {hi}", "{field} {value}：必须在 {lo} 到 {hi} 之间"
    ),
    "plan.field.date": Text("Interview date", "面试日期"),
    "plan.field.areas": Text("Areas", "领域"),
    "plan.field.minutes": Text("Minutes a day", "每天分钟数"),
    "plan.field.retention": Text("Target recall", "目标记忆率"),
    "plan.error.not_number": Text("{field}: '{value}' is not a number", "{field}：'{value}' 不是数字"),
    "plan.error.show_or_clear": Text(
        "plan: give --date YYYY-MM-DD, or --show, or --clear", "plan：请给出 --date YYYY-MM-DD，或 --show，或 --clear"
    ),
    "plan.summary": Text(
        "Interview on {date} (days left: {days}): {cards} cards in scope, {new} new a day, "
        "up to {peak} of {budget} min a day.",
        "面试日期 {date}（还有 {days} 天）：范围内 {cards} 张卡片，每天 {new} 张新卡，"
        "每天最多 {peak} 分钟（预算 {budget} 分钟）。",
    ),
    "plan.ready": Text(
        "Predicted on the date: {ready} of the cards at a recall of {target} or above (at {spc} s a card).",
        "预计面试当天：{ready} 的卡片记忆率达到 {target} 及以上（按每张 {spc} 秒计）。",
    ),
    "plan.areas": Text("Areas: {areas}", "领域：{areas}"),
    "plan.whole_bank": Text("the whole bank", "整个题库"),
    "plan.feasible": Text("The plan is feasible.", "计划可行。"),
    "plan.infeasible": Text("Not feasible as it stands.", "按现在的设置不可行。"),
    "plan.no_alternative": Text(
        "No alternative within reach: try a later date and more minutes.",
        "没有可行的替代方案：请推迟日期并增加每天的时间。",
    ),
    "plan.alternatives": Text("Feasible alternatives:", "可行的替代方案："),
    "plan.alt.date": Text(
        "a later date: {date} ({ready} ready, {new} new a day)", "推迟日期：{date}（{ready} 达标，每天 {new} 张新卡）"
    ),
    "plan.alt.minutes": Text(
        "more time: {minutes} min a day ({ready} ready)", "增加时间：每天 {minutes} 分钟（{ready} 达标）"
    ),
    "plan.alt.areas": Text(
        "fewer areas: {areas} ({cards} cards, {ready} ready, {new} new a day)",
        "减少领域：{areas}（{cards} 张卡片，{ready} 达标，每天 {new} 张新卡）",
    ),
    "plan.none": Text(
        "No interview plan. Set one with `quizforge plan --date YYYY-MM-DD`.",
        "还没有面试计划。用 `quizforge plan --date YYYY-MM-DD` 设定一个。",
    ),
    "plan.saved": Text("Plan saved.", "计划已保存。"),
    "plan.cleared": Text("Plan cleared.", "计划已清除。"),
    "plan.nothing_to_clear": Text("There was no plan to clear.", "没有可清除的计划。"),
    "plan.date_passed": Text("The interview date {date} has passed.", "面试日期 {date} 已过。"),
    "plan.status.on_track": Text("On track", "进度正常"),
    "plan.status.today": Text(
        "Today: {new} new ({done} done) · reviews due: {due}", "今天：{new} 张新卡（已学 {done}）· {due} 张待复习"
    ),
    "plan.status.final": Text(
        "Final review: the cards weakest on the date come first", "考前复习：面试当天最薄弱的卡片优先"
    ),
    "plan.status.interview_day": Text("Interview day: good luck!", "面试日：祝你好运！"),
    "plan.status.seen": Text("{seen} of {cards} cards in scope studied", "范围内 {cards} 张卡片已学 {seen} 张"),
    "plan.status.change": Text("p: change the plan", "p：修改计划"),
    "plan.dialog.title": Text("Interview plan", "面试计划"),
    "plan.dialog.intro": Text(
        "When is your interview, and which areas matter? Each day's study will be planned to get you there.",
        "面试在哪天？哪些领域最重要？每天的学习会按此安排。",
    ),
    "plan.dialog.date": Text("Interview date (YYYY-MM-DD)", "面试日期（YYYY-MM-DD）"),
    "plan.dialog.areas": Text(
        "Areas, comma-separated (empty: the whole bank): {known}", "领域，用逗号分隔（留空：整个题库）：{known}"
    ),
    "plan.dialog.minutes": Text("Minutes a day", "每天分钟数"),
    "plan.dialog.retention": Text("Target recall on the date (0.70–0.99)", "面试当天的目标记忆率（0.70–0.99）"),
    "plan.dialog.clear": Text("Clear plan", "清除计划"),
    "report.heading.plan": Text("Interview plan", "面试计划"),
    "report.plan.summary": Text(
        "Interview on {date} · days left: {days} · {cards} cards in scope · target {target}",
        "面试日期 {date}：还有 {days} 天 · 范围内 {cards} 张卡片 · 目标 {target}",
    ),
    "report.plan.ready": Text(
        "Ready on the date if nothing more is studied: {ready} of the cards at or above the target",
        "若不再学习，面试当天达标的卡片：{ready}",
    ),
    "report.plan.predicted": Text(
        "If you follow the plan: {ready} of the cards at or above the target · {new} new a day",
        "按计划学习：{ready} 的卡片达到目标 · 每天 {new} 张新卡",
    ),
    "report.plan.readiness": Text(
        "Readiness on the date, per topic (predicted recall)", "面试当天各主题的准备度（预测记忆率）"
    ),
    "report.plan.days": Text("Planned vs done, per day", "每日计划与完成"),
    "report.plan.col.topic": Text("Topic", "主题"),
    "report.plan.col.cards": Text("Cards", "卡片"),
    "report.plan.col.recall": Text("Recall on date", "当天记忆率"),
    "report.plan.col.ready": Text("At target", "达标"),
    "report.plan.col.date": Text("Day", "日期"),
    "report.plan.col.new": Text("New planned/done", "新卡 计划/完成"),
    "report.plan.col.reviews": Text("Reviews planned/done", "复习 计划/完成"),
    # --- end plan
    # (next stream)
    # --- mock (issue 19: dialog, follow-ups, scorecard)
    "mock_setup.questions": Text("Questions", "题数"),
    "mock_setup.minutes": Text("Minutes", "分钟"),
    "mock_setup.topics": Text("Topics", "主题"),
    "mock_setup.weakest": Text("My weakest topics", "我最薄弱的主题"),
    "mock_setup.code": Text("End with a coding question (NumPy)", "最后加一道编程题（NumPy）"),
    "mock_setup.questions_range": Text("Questions: a number from {lo} to {hi}.", "题数应为 {lo} 到 {hi} 之间的数。"),
    "mock_setup.minutes_range": Text("Minutes: a number from {lo} to {hi}.", "分钟数应为 {lo} 到 {hi} 之间的数。"),
    "mock.dig_deeper": Text("The interviewer digs deeper.", "面试官继续追问。"),
    "mock.recheck": Text("Are you sure? {mistake} Try this one.", "确定吗？{mistake} 再试试这一题。"),
    "scorecard.by_kind": Text("Score by kind", "各题型得分"),
    "scorecard.why_weak_graded": Text("follow-up: answer {i} was wrong", "追问：第 {i} 题答错了"),
    "scorecard.why_partial_graded": Text(
        "follow-up: answer {i} earned partial credit ({s})", "追问：第 {i} 题只得了部分分（{s}）"
    ),
    "scorecard.why_mistake": Text(
        "re-check: answer {i} looked like a known mistake. {mistake}", "复查：第 {i} 题的答案像是常见错误。{mistake}"
    ),
    "scorecard.export_key": Text("Export", "导出"),
    "scorecard.exported": Text("Scorecard written to {path}", "成绩单已写入 {path}"),
    "scorecard.export_failed": Text("Could not write the scorecard: {e}", "无法写入成绩单：{e}"),
    "report.mock_change": Text(
        "Last two: {before} ({d1}) → {after} ({d2})", "最近两次：{before}（{d1}）→ {after}（{d2}）"
    ),
    "report.mock_better": Text("Better: {topics}", "进步：{topics}"),
    "report.mock_worse": Text("Worse: {topics}", "退步：{topics}"),
    # --- end mock
    # (next stream)
    # --- freetext (issue 19: key-point suggestions)
    "cli.unknown_question": Text(
        "unknown question {name}{hint} (see `quizforge list --kind concept`)",
        "未知的题目 {name}{hint}（见 `quizforge list --kind concept`）",
    ),
    "cli.grade_needs_seed": Text(
        "grade {name}: a generator family needs --seed N", "grade {name}：生成题型需要 --seed N"
    ),
    "cli.grade_not_concept": Text(
        "grade {id}: a question of kind {kind}; `grade ID` grades concept cards (generated: FAMILY --seed N)",
        "grade {id}：这是 {kind} 类型的题；`grade ID` 只评概念题（生成题用 FAMILY --seed N）",
    ),
    # --- end freetext
    # (next stream)
    # --- drill (issue 18: the code editor)
    "drill.run": Text("Run", "运行"),
    "drill.submit": Text("Submit", "提交"),
    "drill.hint": Text("Hint", "提示"),
    "drill.editor": Text("$EDITOR", "外部编辑器"),
    "drill.no_code": Text("No code to run: nothing was written.", "没有可运行的代码：什么都没写。"),
    "drill.running": Text("Running your code on the cases…", "正在用测试用例运行你的代码……"),
    "drill.keys_hint": Text(
        "ctrl+r runs the cases · ctrl+s submits · ctrl+g shows a hint (caps the rating at Hard) · ctrl+e opens $EDITOR",
        "ctrl+r 运行用例 · ctrl+s 提交 · ctrl+g 显示提示（评分最高为“困难”）· ctrl+e 打开外部编辑器",
    ),
    "drill.hint_line": Text("Hint {i}/{n}: {text}", "提示 {i}/{n}：{text}"),
    "drill.mock_hint": Text(
        "Write the function in the editor below: ctrl+r runs it on the cases, ctrl+s hands it in.",
        "在下方编辑器中写出该函数：ctrl+r 用测试用例运行，ctrl+s 提交。",
    ),
    "drill.reopened": Text("Your last attempt, reopened.", "已打开你上次的作答。"),
    "drill.no_more_hints": Text("No more hints for this drill.", "这道题没有更多提示了。"),
    "drill.no_suspend": Text("This terminal cannot hand over to an external editor.", "当前终端无法切换到外部编辑器。"),
    "drill.editor_failed": Text("{editor}: {why}", "{editor}：{why}"),
    "answer.model_solution": Text("Model solution", "参考解答"),
    "help.section.drill": Text("Coding drill (in the code editor)", "编程题（在代码编辑器中）"),
    "help.drill_run": Text("run your code on the cases (nothing is graded)", "用测试用例运行你的代码（不计分）"),
    "help.drill_submit": Text("submit the code: graded, rating proposed", "提交代码：评分并给出建议评分"),
    "help.drill_hint": Text("the next hint (a hint caps the rating at Hard)", "下一条提示（看过提示评分最高为“困难”）"),
    "help.drill_editor": Text("edit the code in $VISUAL / $EDITOR", "在 $VISUAL / $EDITOR 中编辑代码"),
    "drill.verdict": Text(
        "{mark} {drill}: {passed} of {total} cases passed ({s} s)",
        "{mark} {drill}：通过 {passed}/{total} 个用例（{s} 秒）",
    ),
    "drill.fail.case": Text("case {case} ({label}; {shapes}): {why}", "用例 {case}（{label}；{shapes}）：{why}"),
    "drill.fail.inputs": Text("inputs: {inputs}", "输入：{inputs}"),
    "drill.fail.expected": Text("expected: {values}", "期望：{values}"),
    "drill.fail.got": Text("got:      {values}", "得到：{values}"),
    "drill.fail.max_error": Text("max error {error} at {where}", "最大误差 {error}，位置 {where}"),
    "drill.fail.max_error_at": Text(
        "max error {error} at {where}: expected {expected}, got {got}",
        "最大误差 {error}，位置 {where}：期望 {expected}，得到 {got}",
    ),
    "drill.why.shape": Text("shape {got}, expected {expected}", "形状为 {got}，应为 {expected}"),
    "drill.why.int_values": Text("wrong values", "数值错误"),
    "drill.why.nonfinite": Text("inf or nan in the output", "输出中有 inf 或 nan"),
    "drill.why.values": Text("values differ", "数值不一致"),
    "drill.why.output": Text("output {n}: {why}", "第 {n} 个输出：{why}"),
    "drill.why.raised": Text("{error}", "{error}"),
    "drill.error.timeout": Text(
        "stopped: no answer within {s} s (an endless loop?)", "已终止：{s} 秒内没有结果（死循环？）"
    ),
    "drill.error.cpu": Text("stopped: more than {s} s of CPU time", "已终止：CPU 时间超过 {s} 秒"),
    "drill.error.output": Text("stopped: wrote more than {mib} MiB of output", "已终止：输出超过 {mib} MiB"),
    "drill.error.killed": Text(
        "stopped by signal {signal} (memory limit {gib} GiB, or a crash)",
        "被信号 {signal} 终止（内存上限 {gib} GiB，或程序崩溃）",
    ),
    "drill.error.signal": Text("stopped by signal {signal}", "被信号 {signal} 终止"),
    "drill.error.status": Text("exited with status {status}", "以状态 {status} 退出"),
    "drill.error.memory": Text("stopped: more than {gib} GiB of memory", "已终止：内存超过 {gib} GiB"),
    "drill.error.exit": Text(
        "your code ended the judge (exit status {status}) before the cases finished",
        "你的代码在用例跑完之前结束了评测进程（退出状态 {status}）",
    ),
    "drill.error.os_exit": Text(
        "your code ended the judge (os._exit?) before the cases finished",
        "你的代码在用例跑完之前结束了评测进程（os._exit？）",
    ),
    "drill.error.incomplete": Text("the judge's result is incomplete", "评测结果不完整"),
    "drill.error.unreadable": Text(
        "the judge's result could not be read ({what}); did your code change its files?",
        "无法读取评测结果（{what}）；你的代码是否改动了评测用的文件？",
    ),
    "drill.error.raised": Text("{error}", "{error}"),
    # --- end drill
    # (next stream)
    # --- tutor (issue 17: re-check, levels, PyTorch snippet)
    "tutor.recheck": Text("Re-check, after your earlier slip: {mistake}", "复查（针对你之前的错误）：{mistake}"),
    "tutor.level": Text("level {level} of {levels}", "难度 {level}/{levels}"),
    "help.snippet": Text("answered generated card: run its PyTorch snippet", "已作答的生成题：运行其 PyTorch 代码"),
    "key.snippet": Text("PyTorch", "PyTorch"),
    "snippet.title": Text("PyTorch · {family}", "PyTorch · {family}"),
    "snippet.running": Text(
        "Running it in a separate Python (torch loads there)…", "正在独立的 Python 进程中运行（torch 在其中加载）…"
    ),
    "snippet.ours": Text("quizforge's answer: {x}", "quizforge 的答案：{x}"),
    "snippet.torch": Text("torch printed:", "torch 输出："),
    "snippet.failed": Text("The snippet failed (exit {code}):", "代码运行失败（退出码 {code}）："),
    "snippet.timeout": Text("Stopped after {s} s: the snippet took too long.", "运行超过 {s} 秒，已停止。"),
    "snippet.none": Text("This card has no PyTorch snippet.", "这张卡片没有 PyTorch 代码。"),
    "snippet.close": Text("close", "关闭"),
    "report.heading.tutoring": Text("Generated questions: level and mistakes", "生成题：难度与常见错误"),
    "report.tutor.family": Text("Family", "题型"),
    "report.tutor.level": Text("Level", "难度"),
    "report.tutor.answers": Text("Answers", "作答"),
    "report.tutor.accuracy": Text("Accuracy", "正确率"),
    "report.tutor.mistake": Text("Mistake", "错误"),
    "report.tutor.count": Text("Times", "次数"),
    "report.tutor.none": Text("No generated question answered yet.", "还没有作答过生成题。"),
    "report.tutor.no_mistakes": Text("No named mistake made yet.", "还没有出现可识别的常见错误。"),
    # --- end tutor
    # (next stream)
    # --- steer (issue 13: order, focus, plain mode)
    "plain.ticks": Text(
        "key points you made, by number (e.g. 1 3; 0 for none; Enter = {default})> ",
        "你答出的要点编号（例如 1 3；0 表示都没有；回车 = {default}）> ",
    ),
    "plain.ticks_none": Text("none", "都没有"),
    "plain.bad_ticks": Text(
        "please type key-point numbers from 1 to {n} (e.g. 1 3), 0 for none, Enter for {default}, or q to stop",
        "请输入 1 到 {n} 之间的要点编号（例如 1 3），0 表示都没有，回车 = {default}，或 q 结束",
    ),
    "plain.left": Text("{due} due and {new} new left today.", "今天还有 {due} 张到期、{new} 张新卡。"),
    "help.focus": Text("study chosen topics, areas or kinds", "学习选定的主题、领域或题型"),
    "help.study_topic": Text("study the highlighted topic", "学习选中的主题"),
    "settings.new_order": Text("Order of new cards", "新卡顺序"),
    "settings.order.interleaved": Text(
        "Interleaved: areas and kinds mixed, fundamentals first", "交错：混合领域与题型，基础优先"
    ),
    "settings.order.by_topic": Text("By topic, in syllabus order", "按主题，依大纲顺序"),
    "settings.order.random": Text("Random", "随机"),
    "focus.title": Text("What to study", "学习什么"),
    "focus.showing": Text("Study: {what}", "学习：{what}"),
    "focus.topics": Text("Topics and areas (space ticks, tab moves on)", "主题与领域（空格勾选，Tab 切换）"),
    "focus.kinds": Text("Kinds (none ticked: every kind)", "题型（都不勾选：全部题型）"),
    "focus.weakest_option": Text("Only my weakest topics (3)", "只学我最薄弱的主题（3 个）"),
    "focus.weakest": Text("my weakest topics", "我最薄弱的主题"),
    "focus.everything": Text("Everything due today", "今天的全部卡片"),
    "focus.no_weak": Text("No weak topics yet: study some cards first.", "还没有薄弱主题：请先学习一些卡片。"),
    "focus.choose": Text("Study: choose topics and kinds…", "学习：选择主题与题型…"),
    "focus.study_weakest": Text("Study my weakest topics", "学习我最薄弱的主题"),
    "focus.change": Text("Focus", "学习范围"),
    "dashboard.focus": Text(
        "Last focus: {what} (s repeats it, f changes it)", "上次的学习范围：{what}（s 继续，f 修改）"
    ),
    "dashboard.topics_hint": Text(
        "↑↓ and Enter study one topic · f chooses topics, areas and kinds",
        "↑↓ 加回车学习一个主题 · f 选择主题、领域与题型",
    ),
    # --- end steer
    # (next stream)
    # --- screens (issue 13: layout and speed)
    "action.accept": Text("Accept", "确认评分"),
    "palette.search": Text("Search for an action…", "搜索操作…"),
    # --- end screens
}


@dataclass(frozen=True, slots=True)
class Plural:
    """A text that depends on a count ``{n}``: English ``one`` for 1 and ``other`` for the rest; Chinese
    has one form for every count."""

    one: str
    other: str
    zh: str

    def get(self, n: float, lang: Lang | str) -> str:
        if lang == Lang.ZH:
            return self.zh
        return self.one if n == 1 else self.other


_PLURALS: dict[str, Plural] = {
    "report.as_of": Plural("As of {date} · last {n} day", "As of {date} · last {n} days", "截至 {date} · 最近 {n} 天"),
    "dashboard.days": Plural("{n} day", "{n} days", "{n} 天"),
    "study.session_done": Plural(
        "Session complete: {n} card reviewed.",
        "Session complete: {n} cards reviewed.",
        "本次学习完成：共复习 {n} 张卡片。",
    ),
    "study.session_left": Plural(
        "Session left: {n} card reviewed.",
        "Session left: {n} cards reviewed.",
        "已退出本次学习：共复习 {n} 张卡片。",
    ),
    "browse.matches": Plural("{n} question", "{n} questions", "{n} 道题"),
    "report.last_n_days": Plural("Last {n} day", "Last {n} days", "最近 {n} 天"),
    "cli.wrote_notes": Plural("wrote {n} note to {path}", "wrote {n} notes to {path}", "已写入 {n} 条笔记到 {path}"),
    "cli.exported": Plural(
        "exported {n} review to {path}", "exported {n} reviews to {path}", "已导出 {n} 条复习记录到 {path}"
    ),
    "cli.rescheduled": Plural("rescheduled {n} card", "rescheduled {n} cards", "已重新安排 {n} 张卡片"),
    "report.daily_mean": Plural(
        "Mean on days studied: {n} review, {t}", "Mean on days studied: {n} reviews, {t}", "学习日平均：{n} 次复习，{t}"
    ),
    "plain.leech": Plural(
        "This card is now a leech (lapsed {n} time) and is suspended.",
        "This card is now a leech (lapsed {n} times) and is suspended.",
        "这张卡已成为难点卡（遗忘 {n} 次），已暂停。",
    ),
    # --- plan (issue 20: the interview plan)
    "plan.status.countdown": Plural(
        "{n} day to your interview ({date})", "{n} days to your interview ({date})", "距离面试（{date}）还有 {n} 天"
    ),
    "plan.status.behind": Plural("Behind by {n} card", "Behind by {n} cards", "落后 {n} 张卡片"),
    # --- end plan
    # (next stream)
    # --- mock (issue 19: dialog, follow-ups, scorecard)
    "scorecard.why_points": Plural(
        "follow-up: answer {i} made {k} of {n} key point",
        "follow-up: answer {i} made {k} of {n} key points",
        "追问：第 {i} 题只答到 {n} 个要点中的 {k} 个",
    ),
    "scorecard.follow_ups": Plural("{n} follow-up asked", "{n} follow-ups asked", "追问 {n} 次"),
    "scorecard.study_next_keys": Plural(
        "({n} topic: press t to study it)", "({n} topics: press t to study them)", "（{n} 个主题：按 t 开始复习）"
    ),
    # --- end mock
    # (next stream)
    # --- freetext (issue 19: key-point suggestions)
    # --- end freetext
    # (next stream)
    # --- drill (issue 18: the code editor)
    # --- end drill
    # (next stream)
    # --- tutor (issue 17: re-check, levels, PyTorch snippet)
    # --- end tutor
    # (next stream)
    # --- steer (issue 13: order, focus, plain mode)
    "plain.stopped": Plural(
        "Stopped after {n} card; your reviews are saved.",
        "Stopped after {n} cards; your reviews are saved.",
        "已在 {n} 张卡片后停止；你的复习记录已保存。",
    ),
    # --- end steer
    # (next stream)
    # --- screens (issue 13: layout and speed)
    # --- end screens
}

RATING_KEYS: dict[int, str] = {1: "rating.again", 2: "rating.hard", 3: "rating.good", 4: "rating.easy"}


def t(key: str, lang: Lang | str, **fmt: object) -> str:
    """The text ``key`` in ``lang`` (``"en"`` or ``"zh"``), its ``{name}`` fields filled from ``fmt``.

    Raises:
        KeyError: when ``key`` is not in the catalogue (plural texts are looked up with :func:`tn`).
    """
    text = _TEXTS[key].get(lang)
    return text.format(**fmt) if fmt else text


def tn(key: str, count: float, lang: Lang | str, **fmt: object) -> str:
    """The text ``key`` for ``count`` things in ``lang``; ``{n}`` is filled with ``count`` unless ``fmt``
    gives it already formatted (``n="1,024"``).

    Raises:
        KeyError: when ``key`` is not a plural text.
    """
    return _PLURALS[key].get(count, lang).format(**{"n": count, **fmt})


def rating_name(rating: int, lang: Lang | str) -> str:
    """``1`` → ``"Again"`` / ``"重来"`` … ``4`` → ``"Easy"`` / ``"简单"``."""
    return t(RATING_KEYS[rating], lang)


def duration_text(ms: int, lang: Lang | str) -> str:
    """``ms`` as hours and minutes (``"3 h 05 min"`` / ``"3 小时 05 分"``), or minutes under an hour."""
    h, m = divmod(round(ms / 60_000), 60)
    return t("duration.hours_minutes", lang, h=h, m=m) if h else t("duration.minutes", lang, m=m)


def both(key: str) -> Text:
    """The text ``key`` in both languages (for a caller that picks the language later)."""
    return _TEXTS[key]


def keys() -> frozenset[str]:
    """Every key of a plain text (tests check both languages and their fields)."""
    return frozenset(_TEXTS)


def plural_keys() -> frozenset[str]:
    """Every key of a text that depends on a count."""
    return frozenset(_PLURALS)


def plural(key: str) -> Plural:
    """The forms of the plural text ``key``."""
    return _PLURALS[key]
