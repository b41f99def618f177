"""Progress statistics: pure functions over the review log and card table, and :func:`build_report`.

Every function takes time as an argument (``now``, and a :class:`DayGrid` built from the time
zone and the day-start hour), so a test can construct a log whose answer is known and check it.
A "day" is a study day (docs/architecture.md §3): it starts at the settings' day-start hour in local time, so
a review at 1 a.m. counts for the evening before. All the arithmetic is vectorised: a report over
1,000,000 reviews costs a fraction of a second (``benchmarks/bench_report.py``).

The JSON form of :class:`Report` is documented in ``docs/report-schema.md``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

import numpy as np
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizforge.bank.schema import Bank, Question, in_topics
from quizforge.store import Store
from quizforge.store.columns import (
    SOURCE_CODES,
    STUDY_QUEUE_CODES,
    CardColumns,
    ReviewColumns,
    load_cards,
    load_reviews,
    quiz_scores,
)
from quizforge.study.days import day_bounds
from quizforge.study.planner import forecast as plan_forecast
from quizforge.study.planner import in_area, seconds_per_card
from quizforge.study.planning import current_plan, scope_cards, study_day
from quizforge.study.scheduling import retrievability

SCHEMA_VERSION = 2  # 2: sessions newest first; weakest cards by recent failures
RETENTION_WINDOWS = (7, 30, 365)
MATURE_DAYS = 21  # a review card whose interval is at least this is mature (Anki's line)
FORECAST_DAYS = 30
WEAKEST_COUNT = 10
RECENT_FAIL_DAYS = 7  # a failed review this many study days back (today included) makes a card weak first
PROMPT_CHARS = 90
TOP_MISTAKES = 10


# -- the report's pieces -------------------------------------------------------------------------


@dataclass(frozen=True)
class CardStates:
    """Cards of the bank by state. new + learning + young + mature + suspended = total."""

    total: int
    new: int
    learning: int
    young: int
    mature: int
    suspended: int
    leech: int  # flagged leeches (most of them are also suspended)
    not_in_bank: int  # card rows whose question left the bank (their history still counts)


@dataclass(frozen=True)
class DayActivity:
    date: str  # ISO date of the study day
    reviews: int
    time_ms: int


@dataclass(frozen=True)
class Streak:
    current: int  # consecutive study days with a review, ending today (or yesterday)
    longest: int
    studied_today: bool


@dataclass(frozen=True)
class ForecastDay:
    date: str
    due: int  # cards due that day; today also counts every overdue card


@dataclass(frozen=True)
class Retention:
    days: int
    passed: int
    total: int
    rate: float | None  # passed / total; None without reviews


@dataclass(frozen=True)
class TopicStats:
    id: str
    name: str
    cards: int
    reviewed: int
    mature: int
    recall: float  # mean retrievability now over the topic's cards (never reviewed: 0)
    share_mature: float
    generated_answered: int
    generated_correct: int
    generated_accuracy: float | None
    retention: list[Retention]


@dataclass(frozen=True)
class WeakCard:
    card_id: str
    topic: str
    prompt: str
    retrievability: float
    lapses: int
    stability: float
    due: str | None
    suspended: bool
    leech: bool
    recent_fails: int = 0  # reviews failed in the last RECENT_FAIL_DAYS study days (rated Again or graded wrong)
    last_failed: str | None = None  # ISO study day of the card's latest failed review


@dataclass(frozen=True)
class ScoredSession:
    date: str
    started_at: str  # ISO 8601 UTC
    questions: int
    score: float  # 0..1
    minutes: float | None = None


def session_length(minutes: float | None, lang: str) -> str:
    """A session's length as shown: whole minutes, seconds under a minute ("40 s", never "0 min"), or ""."""
    from quizforge.i18n import t

    if minutes is None:
        return ""
    if minutes < 1:
        return t("report.seconds", lang, n=max(1, round(minutes * 60)))
    return t("report.minutes", lang, n=round(minutes))


@dataclass(frozen=True)
class ScoreHistory:
    sessions: list[ScoredSession]  # newest first, in every format
    trend: float | None  # least-squares slope of the score per session; None below two sessions
    best: float | None
    mean: float | None


@dataclass(frozen=True)
class TopicChange:
    """One topic's score (0–1) in the previous and the last mock interview (``None``: not asked there)."""

    topic: str
    name: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class MockChange:
    """The last two mock interviews side by side: scores 0–1, dates local, ``change`` = last − previous."""

    previous_date: str
    last_date: str
    previous: float
    last: float
    change: float
    topics: list[TopicChange]  # topics asked in both, the biggest change first; then those asked in one


@dataclass(frozen=True)
class GeneratorStats:
    name: str
    title: str
    answered: int
    correct: int
    accuracy: float | None


@dataclass(frozen=True)
class FamilyLevel:
    """A generator family's current level (the ability estimate's pick) and its leveled answers."""

    name: str
    title: str
    level: int
    levels: int
    answers: int
    correct: int
    accuracy: float | None


@dataclass(frozen=True)
class MistakeCount:
    family: str
    id: str
    text: str  # what the user probably did, in the report's language
    count: int


@dataclass(frozen=True)
class Tutoring:
    """Numeric tutoring: each answered family's level and accuracy, and the named mistakes made most."""

    families: list[FamilyLevel] = field(default_factory=list)  # by title
    mistakes: list[MistakeCount] = field(default_factory=list)  # most made first, at most TOP_MISTAKES


@dataclass(frozen=True)
class Totals:
    cards: int
    reviews: int  # every review of the selected cards, all time
    window_reviews: int
    window_time_ms: int
    window_days_studied: int
    first_review: str | None  # ISO date


@dataclass(frozen=True)
class Report:
    """Everything a report shows, ready to render. ``to_json`` follows docs/report-schema.md."""

    generated_at: str
    today: str
    lang: str
    tz: str
    day_start_hour: int
    days: int
    topic_filter: list[str]
    totals: Totals
    states: CardStates
    streak: Streak
    calendar: list[DayActivity]
    forecast: list[ForecastDay]
    retention: list[Retention]
    topics: list[TopicStats]
    weakest: list[WeakCard]
    quizzes: ScoreHistory
    mocks: ScoreHistory
    generators: list[GeneratorStats]
    tutoring: Tutoring = field(default_factory=Tutoring)
    schema: int = SCHEMA_VERSION
    mock_change: MockChange | None = None  # the last two mock interviews compared
    plan: PlanReport | None = None  # the interview plan in force (docs/planner.md)

    @property
    def empty(self) -> bool:
        """No review (and no mock interview) to report on yet."""
        return self.totals.reviews == 0 and not self.mocks.sessions

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-able data, plus ``empty`` and, for an empty store, a friendly ``message``."""
        from quizforge.i18n import t

        data = asdict(self)
        data["empty"] = self.empty
        data["message"] = t("report.empty", self.lang) if self.empty else None
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


# -- the interview plan (docs/planner.md) ----------------------------------------------------------


@dataclass(frozen=True)
class PlanTopic:
    """One in-scope topic on the interview date, if nothing more is studied."""

    id: str
    name: str
    cards: int
    recall: float  # mean predicted retrievability on the date (never reviewed: 0)
    ready: float  # share of its cards predicted at or above the target


@dataclass(frozen=True)
class PlanDay:
    """One day since the plan was set: what it planned and what was done (in-scope cards)."""

    date: str
    planned_new: int
    new: int
    planned_reviews: int
    reviews: int


@dataclass(frozen=True)
class PlanReport:
    date: str
    days_left: int
    areas: list[str]
    cards: int
    target: float
    minutes_per_day: int
    ready_now: float  # share of in-scope cards at or above the target on the date if nothing more is studied
    predicted_ready: float  # the same if the plan is followed from today (the planner's forecast)
    feasible: bool
    new_per_day: int  # today's re-planned number
    topics: list[PlanTopic]
    days: list[PlanDay]


def plan_days(
    schedule: Sequence[tuple[str, int, int]],
    first_day: np.ndarray,
    reviews: ReviewColumns,
    review_day: np.ndarray,
    in_scope: np.ndarray,
    grid: DayGrid,
) -> list[PlanDay]:
    """Planned against done for each scheduled day up to today.

    Args:
        schedule: ``(ISO date, planned new, planned reviews)`` per day, from the plan as it was set.
        first_day: Each card's first review's day index (``-1`` for never).
        reviews: The review log (cram left out by the caller).
        review_day: ``grid.index`` of each review.
        in_scope: Which cards are the plan's.
        grid: The study days.
    """
    days = {d.isoformat(): i for i, d in enumerate(grid.dates)}
    seen = in_scope & (first_day >= 0)
    new_counts = np.bincount(first_day[seen], minlength=len(grid.dates) + 1)
    later = in_scope[reviews.card] & (review_day > first_day[reviews.card]) & (review_day >= 0)
    pairs = np.unique(reviews.card[later] * (len(grid.dates) + 1) + review_day[later])
    review_counts = np.bincount(pairs % (len(grid.dates) + 1), minlength=len(grid.dates) + 1)
    out = []
    for iso_date, planned_new, planned_reviews in schedule:
        i = days.get(iso_date)
        if i is None or i > grid.today:
            continue
        out.append(PlanDay(iso_date, planned_new, int(new_counts[i]), planned_reviews, int(review_counts[i])))
    return out


def plan_report(
    store: Store,
    bank: Bank,
    cards: CardColumns,
    reviews: ReviewColumns,
    review_day: np.ndarray,
    grid: DayGrid,
    now: datetime,
    tz: tzinfo | None,
    lang: str,
) -> PlanReport | None:
    """The interview plan's section: readiness on the date per topic and planned against done per day."""
    plan = current_plan(store)
    if plan is None:
        return None
    settings = store.settings()
    day0, today = study_day(now, settings, tz)
    days_left = (plan.date - today).days
    on_date = day0 + timedelta(days=days_left)
    params = settings.fsrs_parameters or DEFAULT_PARAMETERS
    recall = retrievability(cards.stability, cards.last_review_s, on_date, params)
    index = {cid: i for i, cid in enumerate(cards.ids)}
    scoped = scope_cards(store, bank, plan.areas)
    by_topic: dict[str, list[float]] = {}
    for cid, topic, _ in scoped:
        i = index.get(cid)
        by_topic.setdefault(topic, []).append(float(recall[i]) if i is not None else 0.0)
    topics = [
        PlanTopic(
            tid,
            bank.topic_name(tid, lang),
            len(rs),
            sum(rs) / len(rs),
            sum(r >= plan.retention for r in rs) / len(rs),
        )
        for tid, rs in by_topic.items()
    ]
    total = sum(p.cards for p in topics)
    ready_now = sum(p.ready * p.cards for p in topics) / total if total else 1.0
    questions = bank.questions
    in_scope = np.fromiter(
        ((q := questions.get(cid)) is not None and in_area(q.topic, plan.areas) for cid in cards.ids),
        dtype=bool,
        count=len(cards),
    )
    kept = reviews.source != SOURCE_CODES["cram"]
    first_day = np.full(len(cards), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_day, reviews.card[kept], review_day[kept])
    first_day[first_day == np.iinfo(np.int64).max] = -1
    days = plan_days(
        [(d.date, d.new, d.reviews) for d in plan.schedule],
        first_day,
        reviews.take(kept),
        review_day[kept],
        in_scope,
        grid,
    )
    if days_left > 0:
        f = plan_forecast(
            [m for _, _, m in scoped], plan, settings, day0, today, seconds_per_card(store.recent_durations())
        )
        predicted, feasible, per_day = f.predicted_ready, f.feasible, f.new_per_day
    else:
        predicted, feasible, per_day = ready_now, False, 0
    return PlanReport(
        date=plan.date.isoformat(),
        days_left=days_left,
        areas=list(plan.areas),
        cards=total,
        target=plan.retention,
        minutes_per_day=plan.minutes_per_day,
        ready_now=ready_now,
        predicted_ready=predicted,
        feasible=feasible,
        new_per_day=per_day,
        topics=sorted(topics, key=lambda p: (p.recall, p.name)),
        days=days,
    )


# -- study days -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayGrid:
    """Consecutive study days: ``starts[i]`` opens day ``i`` and ``starts[i + 1]`` closes it.

    Built from :func:`quizforge.study.days.day_bounds`, so a day here is the same day the study
    queue and the streak on the dashboard use (DST days are 23 or 25 hours long).
    """

    starts: np.ndarray  # int64 POSIX seconds, one more than there are days
    dates: list[date]
    today: int

    def index(self, at_s: np.ndarray) -> np.ndarray:
        """The day index of each time (-1 before the first day, ``len(dates)`` after the last)."""
        keys = at_s if at_s.dtype == np.int64 else np.floor(at_s)
        return np.searchsorted(self.starts, keys, side="right").astype(np.int64) - 1

    def iso(self, i: int) -> str:
        return self.dates[i].isoformat()


def day_grid(
    now: datetime, day_start_hour: int, tz: tzinfo | None, *, back: int, ahead: int = FORECAST_DAYS
) -> DayGrid:
    """The study days from ``back`` days before today's to ``ahead`` days after it.

    Args:
        now: The report's time (timezone-aware).
        day_start_hour: The local hour at which a study day begins.
        tz: The local time zone (``None``: the system's).
        back: How many days before today the grid starts.
        ahead: How many days after today it covers (today + ``ahead`` - 1 is the last full day).
    """
    start, _ = day_bounds(now, day_start_hour, tz)
    starts: list[int] = []
    dates: list[date] = []
    for k in range(-back, ahead + 1):
        # noon of day k is inside day k whatever the DST shift: ask day_bounds for its start
        s, _ = day_bounds(start + timedelta(days=k, hours=12), day_start_hour, tz)
        starts.append(int(s.timestamp()))
        dates.append((s.astimezone(tz) if tz is not None else s.astimezone()).date())
    return DayGrid(np.asarray(starts, dtype=np.int64), dates[:-1], back)


# -- statistics (pure) ------------------------------------------------------------------------------


def mature_mask(cards: CardColumns) -> np.ndarray:
    """Unsuspended review cards whose current interval (due - last review) is at least :data:`MATURE_DAYS`."""
    interval = (cards.due_s - cards.last_review_s) / 86400.0
    with np.errstate(invalid="ignore"):
        mature: np.ndarray = (~cards.suspended) & (cards.phase == 2) & (interval >= MATURE_DAYS)
    return mature


def card_states(cards: CardColumns, selected: np.ndarray, unsynced: int = 0, not_in_bank: int = 0) -> CardStates:
    """The ``selected`` cards by state, plus ``unsynced`` bank questions that have no row yet (new).

    A suspended card counts only as suspended; the others by phase, a review card as young or
    mature by its current interval (:func:`mature_mask`).
    """
    live = selected & ~cards.suspended
    mature = selected & mature_mask(cards)
    return CardStates(
        total=int(selected.sum()) + unsynced,
        new=int((live & (cards.phase == 0)).sum()) + unsynced,
        learning=int((live & ((cards.phase == 1) | (cards.phase == 3))).sum()),
        young=int((live & (cards.phase == 2) & ~mature).sum()),
        mature=int(mature.sum()),
        suspended=int((selected & cards.suspended).sum()),
        leech=int((selected & cards.leech).sum()),
        not_in_bank=not_in_bank,
    )


def calendar(reviews: ReviewColumns, grid: DayGrid, days: int, day: np.ndarray | None = None) -> list[DayActivity]:
    """Reviews and time spent on each of the ``days`` study days ending today (oldest first).

    ``day`` may give ``grid.index(reviews.at_s)`` when the caller has it already.
    """
    idx = grid.index(reviews.at_s) if day is None else day
    lo = grid.today - days + 1
    keep = (idx >= lo) & (idx <= grid.today)
    pos = idx[keep] - lo
    counts = np.bincount(pos, minlength=days)
    time_ms = np.bincount(pos, weights=reviews.duration_ms[keep], minlength=days)
    return [DayActivity(grid.iso(lo + i), int(counts[i]), int(time_ms[i])) for i in range(days) if lo + i >= 0]


def streak(reviews: ReviewColumns, grid: DayGrid, day: np.ndarray | None = None) -> Streak:
    """Consecutive days with at least one review (any kind), as on the dashboard."""
    idx = grid.index(reviews.at_s) if day is None else day
    idx = idx[(idx >= 0) & (idx <= grid.today)]
    studied = np.zeros(grid.today + 1, dtype=bool)
    studied[idx] = True
    longest = run = 0
    for s in studied.tolist():
        run = run + 1 if s else 0
        longest = max(longest, run)
    today = bool(studied[grid.today])
    current = 0
    i = grid.today if today else grid.today - 1
    while i >= 0 and studied[i]:
        current += 1
        i -= 1
    return Streak(current=current, longest=longest, studied_today=today)


def forecast(cards: CardColumns, selected: np.ndarray, grid: DayGrid, days: int = FORECAST_DAYS) -> list[ForecastDay]:
    """Cards falling due on each of the next ``days`` study days (today includes the overdue ones).

    Suspended and never-reviewed cards are left out; so are cards not in ``selected``.
    """
    sel = selected & ~cards.suspended & (cards.phase > 0) & ~np.isnan(cards.due_s)
    idx = np.maximum(grid.index(cards.due_s[sel]), grid.today) - grid.today
    counts = np.bincount(idx[idx < days], minlength=days)
    return [ForecastDay(grid.iso(grid.today + i), int(counts[i])) for i in range(days)]


def retention_counts(
    reviews: ReviewColumns,
    grid: DayGrid,
    windows: Sequence[int] = RETENTION_WINDOWS,
    group_of_card: np.ndarray | None = None,
    n_groups: int = 0,
    day: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """True retention counts: ``(passed, total)``, each of shape ``(len(windows), n_groups + 1)``.

    A review counts when it is a card's first scheduled review of a study day and not the card's
    first scheduled review ever (learning a new card is not remembering it); it passes unless
    rated Again. Column ``n_groups`` is the overall figure; columns ``0..n_groups-1`` split it
    by ``group_of_card[card]`` (a topic index; -1 for no group). ``day`` may give
    ``grid.index(reviews.at_s)`` when the caller has it already.
    """
    sched = np.isin(reviews.source, STUDY_QUEUE_CODES)
    card = reviews.card[sched]
    at = reviews.at_s[sched]
    rating = reviews.rating[sched]
    day = (grid.index(reviews.at_s) if day is None else day)[sched]
    passed = np.zeros((len(windows), n_groups + 1), dtype=np.int64)
    total = np.zeros_like(passed)
    if len(card) == 0:
        return passed, total
    # by card, then time (two reviews of a card in the same second: either may come first)
    order = np.argsort((card << 34) | (at - at.min()))
    card, rating, day = card[order], rating[order], day[order]
    first_ever = np.empty(len(card), dtype=bool)
    first_ever[0] = True
    first_ever[1:] = card[1:] != card[:-1]
    new_day = first_ever.copy()
    new_day[1:] |= day[1:] != day[:-1]
    counted = new_day & ~first_ever & (day <= grid.today)
    ok = rating > 1
    groups = group_of_card[card] if group_of_card is not None else np.full(len(card), -1)
    for w, days in enumerate(windows):
        m = counted & (day > grid.today - days)
        total[w, n_groups] = int(m.sum())
        passed[w, n_groups] = int((m & ok).sum())
        if n_groups:
            g = m & (groups >= 0)
            total[w, :n_groups] = np.bincount(groups[g], minlength=n_groups)
            passed[w, :n_groups] = np.bincount(groups[g & ok], minlength=n_groups)
    return passed, total


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def retention_list(passed: np.ndarray, total: np.ndarray, col: int, windows: Sequence[int]) -> list[Retention]:
    return [
        Retention(d, int(passed[w, col]), int(total[w, col]), _rate(int(passed[w, col]), int(total[w, col])))
        for w, d in enumerate(windows)
    ]


def topic_readiness(
    topic_ids: Sequence[str],
    names: Sequence[str],
    cards: CardColumns,
    topic_of_card: np.ndarray,
    recall: np.ndarray,
    window: ReviewColumns,
    retention: tuple[np.ndarray, np.ndarray],
    unsynced: np.ndarray | None = None,
) -> list[TopicStats]:
    """Readiness per topic.

    Args:
        topic_ids: The topics, in report order; ``names`` their names.
        cards: The card table; ``topic_of_card`` each card's index into ``topic_ids`` (-1: none).
        recall: Each card's retrievability now (0 for a card never reviewed).
        window: The reviews of the history window (for the accuracy on generated questions).
        retention: ``(passed, total)`` from :func:`retention_counts` grouped by the same topics.
        unsynced: Per topic, bank questions without a card row yet (they count as unseen cards).
    """
    n = len(topic_ids)
    has = topic_of_card >= 0
    grp = topic_of_card[has]
    n_cards = np.bincount(grp, minlength=n) + (unsynced if unsynced is not None else 0)
    sum_recall = np.bincount(grp, weights=recall[has], minlength=n)
    n_reviewed = np.bincount(grp[cards.phase[has] > 0], minlength=n)
    n_mature = np.bincount(grp[mature_mask(cards)[has]], minlength=n)
    gen_group = np.where(window.generated & (window.correct >= 0), topic_of_card[window.card], -1)
    answered = np.bincount(gen_group[gen_group >= 0], minlength=n)
    correct = np.bincount(gen_group[(gen_group >= 0) & (window.correct == 1)], minlength=n)
    passed, total = retention
    out = []
    for i, tid in enumerate(topic_ids):
        c = int(n_cards[i])
        out.append(
            TopicStats(
                id=tid,
                name=names[i],
                cards=c,
                reviewed=int(n_reviewed[i]),
                mature=int(n_mature[i]),
                recall=round(float(sum_recall[i]) / c, 4) if c else 0.0,
                share_mature=round(int(n_mature[i]) / c, 4) if c else 0.0,
                generated_answered=int(answered[i]),
                generated_correct=int(correct[i]),
                generated_accuracy=_rate(int(correct[i]), int(answered[i])),
                retention=retention_list(passed, total, i, RETENTION_WINDOWS),
            )
        )
    return out


def score_history(points: Sequence[tuple[str, str, int, float, float | None]]) -> ScoreHistory:
    """A history of scored sessions ``(date, started_at, questions, score, minutes)``, given oldest first, with
    its trend (score per session, oldest to newest). The history lists the sessions newest first."""
    sessions = [ScoredSession(d, s, n, round(score, 4), m) for d, s, n, score, m in points]
    scores = np.asarray([s.score for s in sessions], dtype=float)
    trend = None
    if len(scores) >= 2:
        trend = round(float(np.polyfit(np.arange(len(scores), dtype=float), scores, 1)[0]), 4)
    return ScoreHistory(
        sessions=sessions[::-1],
        trend=trend,
        best=round(float(scores.max()), 4) if len(scores) else None,
        mean=round(float(scores.mean()), 4) if len(scores) else None,
    )


def quiz_sessions(
    answers: Sequence[tuple[int, float]], grid: DayGrid, days: int, time_ms: dict[int, int] | None = None
) -> ScoreHistory:
    """Quiz answers ``(POSIX seconds, score)`` grouped into one session per study day.

    The log has no session id, so a day's quiz answers make one session (its score is their mean).
    A session's length is the time spent answering (``time_ms``: per day index, the quiz reviews'
    durations); without it, the span from first to last answer, and unknown (``None``) for one answer.
    """
    if not answers:
        return score_history([])
    at = np.asarray([a for a, _ in answers], dtype=float)
    score = np.asarray([s for _, s in answers], dtype=float)
    idx = grid.index(at)
    keep = (idx > grid.today - days) & (idx <= grid.today) & (idx >= 0)
    points = []
    for d in np.unique(idx[keep]).tolist():
        m = keep & (idx == d)
        first = datetime.fromtimestamp(float(at[m].min()), UTC)
        spent = (time_ms or {}).get(d, 0)
        span = float(at[m].max() - at[m].min())
        minutes = round(spent / 60_000.0, 2) if spent else round(span / 60.0, 2) if span else None
        points.append((grid.iso(d), first.isoformat(), int(m.sum()), float(score[m].mean()), minutes))
    return score_history(points)


def mock_sessions(results: Sequence[Any], grid: DayGrid, days: int) -> ScoreHistory:
    """Mock interviews (``MockResult``s) of the last ``days`` study days, oldest first."""
    points = []
    for r in sorted(results, key=lambda r: r.started_at):
        d = int(grid.index(np.asarray([r.started_at.timestamp()]))[0])
        if not (grid.today - days < d <= grid.today and d >= 0):
            continue
        details = r.details if isinstance(r.details, dict) else {}
        qs = details.get("questions")
        answered = details.get("answered")  # questions actually asked (the list may hold unasked ones)
        n = answered if isinstance(answered, int) else len(qs) if isinstance(qs, list) else 0
        minutes = round((r.finished_at - r.started_at).total_seconds() / 60.0, 2)
        points.append((grid.iso(d), r.started_at.astimezone(UTC).isoformat(), n, float(r.score), minutes))
    return score_history(points)


def mock_change(results: Sequence[Any], tz: tzinfo | None, topic_name: Callable[[str], str]) -> MockChange | None:
    """The last two mock interviews (``MockResult``s, any age) compared, or ``None`` below two.

    Per-topic scores come from each result's ``details["by_topic"]`` (0–100).
    """
    ordered = sorted(results, key=lambda r: r.started_at)
    if len(ordered) < 2:
        return None
    prev, last = ordered[-2], ordered[-1]

    def by_topic(r: Any) -> dict[str, float]:
        raw = r.details.get("by_topic") if isinstance(r.details, dict) else None
        if not isinstance(raw, dict):
            return {}
        return {str(k): float(v) / 100.0 for k, v in raw.items() if isinstance(v, int | float)}

    before, after = by_topic(prev), by_topic(last)
    both = sorted(set(before) & set(after), key=lambda t: (-abs(after[t] - before[t]), t))
    one = sorted(set(before) ^ set(after))
    topics = [TopicChange(t, topic_name(t), before.get(t), after.get(t)) for t in both + one]
    return MockChange(
        previous_date=prev.started_at.astimezone(tz).date().isoformat(),
        last_date=last.started_at.astimezone(tz).date().isoformat(),
        previous=round(float(prev.score), 4),
        last=round(float(last.score), 4),
        change=round(float(last.score) - float(prev.score), 4),
        topics=topics,
    )


def generator_accuracy(
    reviews: ReviewColumns, generator_of_card: np.ndarray, names: Sequence[str], titles: Sequence[str]
) -> list[GeneratorStats]:
    """Accuracy of generated-question answers per generator family (``generator_of_card``: index or -1).

    Sorted weakest first, so the family to practise is on top.
    """
    m = reviews.generated & (reviews.correct >= 0)
    gen = generator_of_card[reviews.card[m]]
    ok = reviews.correct[m] == 1
    keep = gen >= 0
    answered = np.bincount(gen[keep], minlength=len(names))
    correct = np.bincount(gen[keep & ok], minlength=len(names))
    out = [
        GeneratorStats(names[i], titles[i], int(answered[i]), int(correct[i]), _rate(int(correct[i]), int(answered[i])))
        for i in range(len(names))
        if answered[i]
    ]
    return sorted(out, key=lambda g: (g.accuracy if g.accuracy is not None else 1.0, -g.answered, g.name))


def failures(
    reviews: ReviewColumns, n_cards: int, grid: DayGrid, day: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Per card: failed reviews in the last :data:`RECENT_FAIL_DAYS` study days, and the study day
    index of its latest failed review (-1: never failed).

    A review fails when it is rated Again or graded wrong, whatever its source (a quiz miss counts).
    ``day`` may give ``grid.index(reviews.at_s)`` when the caller has it already.
    """
    idx = grid.index(reviews.at_s) if day is None else day
    failed = ((reviews.rating == 1) | (reviews.correct == 0)) & (idx <= grid.today)
    recent = failed & (idx > grid.today - RECENT_FAIL_DAYS)
    counts = np.bincount(reviews.card[recent], minlength=n_cards)
    last = np.full(n_cards, -1, dtype=np.int64)
    np.maximum.at(last, reviews.card[failed], idx[failed])
    return counts, last


def weakest(
    cards: CardColumns,
    selected: np.ndarray,
    recall: np.ndarray,
    count: int = WEAKEST_COUNT,
    recent_fails: np.ndarray | None = None,
) -> list[int]:
    """Indices of the ``count`` cards the user fails: most failures in the last few days first (a card
    failed today is on top however recently it was reviewed), then the lowest retrievability now,
    then the most lapses. Cards never reviewed and never failed are left out.
    """
    fails = np.zeros(len(cards), dtype=np.int64) if recent_fails is None else recent_fails
    idx = np.flatnonzero(selected & (((cards.phase > 0) & ~np.isnan(cards.stability)) | (fails > 0)))
    if len(idx) == 0:
        return []
    order = np.lexsort((-cards.lapses[idx], np.round(recall[idx], 3), -fails[idx]))
    return [int(i) for i in idx[order[:count]]]


# -- the whole report ---------------------------------------------------------------------------------


def _prompt(q: Question | None, lang: str, titles: dict[str, str]) -> str:
    if q is None:
        return ""
    text = q.prompt.get(lang) if q.prompt else ""
    if not text.strip() and q.generator:
        text = titles.get(q.generator, q.generator)
    text = " ".join(text.split())
    return text if len(text) <= PROMPT_CHARS else text[: PROMPT_CHARS - 1] + "…"


def _weak_card(
    cards: CardColumns,
    i: int,
    recall: np.ndarray,
    grid: DayGrid,
    question: Question | None,
    topic_name: str,
    lang: str,
    titles: dict[str, str],
    fails: tuple[np.ndarray, np.ndarray],
) -> WeakCard:
    due = None
    if not np.isnan(cards.due_s[i]):
        d = int(grid.index(np.asarray([cards.due_s[i]]))[0])
        due = (
            grid.iso(d) if 0 <= d < len(grid.dates) else datetime.fromtimestamp(cards.due_s[i], UTC).date().isoformat()
        )
    return WeakCard(
        card_id=cards.ids[i],
        topic=topic_name,
        prompt=_prompt(question, lang, titles),
        retrievability=round(float(recall[i]), 4),
        lapses=int(cards.lapses[i]),
        stability=round(float(cards.stability[i]), 2),
        due=due,
        suspended=bool(cards.suspended[i]),
        leech=bool(cards.leech[i]),
        recent_fails=int(fails[0][i]),
        last_failed=grid.iso(int(fails[1][i])) if fails[1][i] >= 0 else None,
    )


def _family_titles(lang: str) -> dict[str, str]:
    try:
        from quizforge.numeric.base import families

        return {name: f.title.get(lang) for name, f in families().items()}
    except Exception:  # a broken family must not take the report down
        return {}


def _tz_name(now: datetime, tz: tzinfo | None) -> str:
    key = getattr(tz, "key", None)
    if isinstance(key, str):
        return key
    return now.astimezone(tz).tzname() or "local"


def build_report(
    store: Store,
    bank: Bank,
    now: datetime,
    *,
    days: int = 365,
    topics: Sequence[str] | None = None,
    tz: tzinfo | None = None,
    lang: str = "en",
) -> Report:
    """Gather every statistic of the report.

    Args:
        store: The open database (read only).
        bank: The loaded bank: topics, prompts and generator names come from it. Reviews of
            questions no longer in it still count in the overall figures, not in a topic's.
        now: The report's time (timezone-aware).
        days: The history window: calendar, quiz and mock history, accuracy of generated questions.
        topics: Only these topics (a topic id, or an area prefix such as ``cnn``); ``None``: all.
        tz: The local time zone for study days (``None``: the system's).
        lang: ``"en"`` or ``"zh"``, for topic names and prompts.

    Returns:
        The :class:`Report`.
    """
    if now.tzinfo is None:
        raise ValueError("naive datetime: the report needs a timezone-aware now")
    if days < 1:
        raise ValueError("days must be at least 1")
    chosen = list(topics or [])
    settings = store.settings()
    reviews, cards = load_reviews(store, load_cards(store))
    now_s = now.timestamp()
    reviews = reviews.take(reviews.at_s <= now_s) if len(reviews) and reviews.at_s.max() > now_s else reviews

    # which cards count: those of the selected topics (the bank's topic when it still has the question)
    questions = bank.questions
    card_topic = [
        q.topic if (q := questions.get(cid)) is not None else t for cid, t in zip(cards.ids, cards.topic, strict=True)
    ]
    in_bank = np.fromiter((cid in questions for cid in cards.ids), dtype=bool, count=len(cards))
    wanted = np.fromiter((in_topics(t, chosen) for t in card_topic), dtype=bool, count=len(cards))
    bank_sel = in_bank & wanted
    if chosen:
        reviews = reviews.take(wanted[reviews.card])

    first_s = float(reviews.at_s.min()) if len(reviews) else None
    back = max(days, max(RETENTION_WINDOWS))
    if first_s is not None:
        back = max(back, int((now_s - first_s) // 86400) + 2)
    grid = day_grid(now, settings.day_start_hour, tz, back=back)

    # topics of the report: the bank's, in catalogue order, that have selected questions
    groups = bank.by_topic()
    topic_ids = [t for t, qs in groups.items() if qs and in_topics(t, chosen)]
    topic_index = {t: i for i, t in enumerate(topic_ids)}
    group_of_card = np.fromiter((topic_index.get(t, -1) for t in card_topic), dtype=np.int64, count=len(cards))
    group_of_card[~in_bank] = -1

    params = settings.fsrs_parameters or DEFAULT_PARAMETERS
    recall = retrievability(cards.stability, cards.last_review_s, now, params)

    synced = set(cards.ids)
    unsynced = np.zeros(len(topic_ids), dtype=np.int64)
    for q in bank:
        if q.id not in synced and q.topic in topic_index:
            unsynced[topic_index[q.topic]] += 1
    states = card_states(cards, bank_sel, int(unsynced.sum()), int((~in_bank & wanted).sum()))

    review_day = grid.index(reviews.at_s)
    passed, total = retention_counts(reviews, grid, RETENTION_WINDOWS, group_of_card, len(topic_ids), review_day)
    win = reviews.take(review_day > grid.today - days)
    topic_stats = topic_readiness(
        topic_ids,
        [bank.topic_name(t, lang) for t in topic_ids],
        cards,
        group_of_card,
        recall,
        win,
        (passed, total),
        unsynced,
    )

    titles = _family_titles(lang)
    gen_names = sorted({q.generator for q in bank if q.generator})
    gen_index = {g: i for i, g in enumerate(gen_names)}
    generator_of_card = np.fromiter(
        (gen_index.get(getattr(questions.get(cid), "generator", None) or "", -1) for cid in cards.ids),
        dtype=np.int64,
        count=len(cards),
    )
    generators = generator_accuracy(win, generator_of_card, gen_names, [titles.get(g, g) for g in gen_names])

    fails = failures(reviews, len(cards), grid, review_day)
    weak = [
        _weak_card(
            cards,
            i,
            recall,
            grid,
            questions.get(cards.ids[i]),
            bank.topic_name(card_topic[i], lang),
            lang,
            titles,
            fails,
        )
        for i in weakest(cards, bank_sel, recall, recent_fails=fails[0])
    ]

    quiz_mask = reviews.source == SOURCE_CODES["quiz"]
    quizzes = score_history([])
    if quiz_mask.any():
        answers = [
            (t, s)
            for t, s, c in quiz_scores(store)
            if t <= now_s and (not chosen or ((q := questions.get(c)) is not None and in_topics(q.topic, chosen)))
        ]
        quiz_day = review_day[quiz_mask]
        keep = quiz_day >= 0
        spent = np.bincount(quiz_day[keep], weights=reviews.duration_ms[quiz_mask][keep])
        quizzes = quiz_sessions(answers, grid, days, {d: int(ms) for d, ms in enumerate(spent.tolist()) if ms})
    mock_results = store.mock_results()
    mocks = mock_sessions(mock_results, grid, days)

    cal = calendar(reviews, grid, days, review_day)
    first_review = None
    if first_s is not None:
        d = int(grid.index(np.asarray([first_s]))[0])
        first_review = grid.iso(d) if d >= 0 else None
    totals = Totals(
        cards=states.total,
        reviews=len(reviews),
        window_reviews=sum(d.reviews for d in cal),
        window_time_ms=sum(d.time_ms for d in cal),
        window_days_studied=sum(1 for d in cal if d.reviews),
        first_review=first_review,
    )
    return Report(
        generated_at=now.astimezone(UTC).isoformat(timespec="seconds"),
        today=grid.iso(grid.today),
        lang=lang,
        tz=_tz_name(now, tz),
        day_start_hour=settings.day_start_hour,
        days=days,
        topic_filter=chosen,
        totals=totals,
        states=states,
        streak=streak(reviews, grid, review_day),
        calendar=cal,
        forecast=forecast(cards, bank_sel, grid),
        retention=retention_list(passed, total, len(topic_ids), RETENTION_WINDOWS),
        topics=topic_stats,
        weakest=weak,
        quizzes=quizzes,
        mocks=mocks,
        generators=generators,
        tutoring=tutoring_stats(store, bank, chosen, lang),
        mock_change=mock_change(mock_results, tz, lambda tid: bank.topic_name(tid, lang)),
        plan=plan_report(store, bank, cards, reviews, review_day, grid, now, tz, lang),
    )


def tutoring_stats(store: Store, bank: Bank, topics: Sequence[str], lang: str) -> Tutoring:
    """Every answered family's current level and accuracy, and the named mistakes made most.

    Replays the review log's leveled answers (generated answers since schema 3) of the bank's
    generated questions in ``topics`` (empty: all): the level is what the study session would
    pick next (:func:`quizforge.study.tutoring.abilities`).
    """
    from quizforge.numeric.base import get_family
    from quizforge.study.tutoring import abilities

    questions = bank.questions
    answers: dict[str, list[int]] = {}  # family → [answers, correct]
    made: dict[tuple[str, str], int] = {}
    for card_id, _level, correct, _score, mistake in store.leveled_answers():
        q = questions.get(card_id)
        if q is None or not q.generator or not in_topics(q.topic, list(topics)):
            continue
        tally = answers.setdefault(q.generator, [0, 0])
        tally[0] += 1
        tally[1] += bool(correct)
        if mistake is not None:
            made[(q.generator, mistake)] = made.get((q.generator, mistake), 0) + 1
    if not answers:
        return Tutoring()
    estimates = abilities(store, bank)
    from quizforge.study.ability import next_level, starting_ability

    families: list[FamilyLevel] = []
    texts: dict[tuple[str, str], str] = {}
    for name, (n, ok) in answers.items():
        try:
            fam = get_family(name)
        except KeyError:
            continue
        texts.update({(name, m.id): m.text.get(lang) for m in fam.mistakes})
        level = next_level(estimates.get(name) or starting_ability(fam.default_level), fam.levels)
        families.append(FamilyLevel(name, fam.title.get(lang), level, fam.levels, n, ok, _rate(ok, n)))
    families.sort(key=lambda f: (f.title, f.name))
    ranked = sorted(made.items(), key=lambda kv: (-kv[1], kv[0]))
    mistakes = [MistakeCount(f, m, texts.get((f, m), m), c) for (f, m), c in ranked[:TOP_MISTAKES]]
    return Tutoring(families, mistakes)


__all__ = [
    "FORECAST_DAYS",
    "MATURE_DAYS",
    "RETENTION_WINDOWS",
    "CardStates",
    "DayActivity",
    "DayGrid",
    "FamilyLevel",
    "ForecastDay",
    "GeneratorStats",
    "MistakeCount",
    "MockChange",
    "PlanDay",
    "PlanReport",
    "PlanTopic",
    "Report",
    "Retention",
    "ScoreHistory",
    "ScoredSession",
    "Streak",
    "TopicChange",
    "TopicStats",
    "Totals",
    "Tutoring",
    "WeakCard",
    "build_report",
    "calendar",
    "card_states",
    "day_grid",
    "failures",
    "forecast",
    "generator_accuracy",
    "mature_mask",
    "mock_change",
    "mock_sessions",
    "plan_days",
    "plan_report",
    "quiz_sessions",
    "retention_counts",
    "score_history",
    "session_length",
    "streak",
    "topic_readiness",
    "tutoring_stats",
    "weakest",
]
