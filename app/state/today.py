"""The Today screen's model: what is due on a day, how far the day is, and its local writes.

Everything is read from the device store, so Today opens and works with no server. Streaks
are computed here from the local completions (``domain.streaks``), never taken from the
server's cached fields, so a tick made offline moves the streak at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.state.context import UserContext
from domain.clock import local_today, parse_utc, week_start, zone
from domain.errors import RuleViolation
from domain.habits import HabitFrequency, period_of, period_step, validate_completion_date
from domain.sessions import session_starts_at
from domain.streaks import current_streak
from sync import Entity

STRIP_DAYS = 9
"""The week strip: today, the 7 days a completion may be back-filled, and one older day that
shows (when chosen) why it cannot be."""

UPCOMING_SESSION_STATUSES = frozenset({"CONFIRMED", "PENDING"})
_PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_CLOCK_TIME = re.compile(r"[0-2][0-9]:[0-5][0-9]")


@dataclass(frozen=True)
class HabitRow:
    """One habit as the day's list shows it."""

    habit_id: str
    title: str
    cue: str
    """The cue in one line ("08:00 · at my desk · after coffee"), empty without one."""
    weekly: bool
    done: bool
    done_on: dt.date | None
    """The day it was ticked (for a weekly habit, possibly earlier in the week)."""
    streak: int
    """Current streak as of the user's today, in days (or weeks for weekly habits)."""
    pending: bool

    @property
    def streak_words(self) -> str:
        unit = "week" if self.weekly else "day"
        return f"{self.streak} {unit}{'' if self.streak == 1 else 's'} in a row"


@dataclass(frozen=True)
class StripDay:
    """One day of the back-fill strip."""

    day: dt.date
    done: int
    due: int
    selectable: bool
    """False for the day beyond the back-fill window: choosing it explains why."""
    is_today: bool


@dataclass(frozen=True)
class MoodToday:
    mood: str | None
    text: str
    pending: bool


@dataclass(frozen=True)
class TodoRow:
    todo_id: str
    text: str
    due: dt.date | None
    overdue: bool
    priority: str
    done: bool
    pending: bool


@dataclass(frozen=True)
class NextSession:
    session_id: str
    starts_at: dt.datetime
    """Start in the user's time zone."""
    with_whom: str
    topic: str
    virtual: bool
    confirmed: bool
    pending: bool


@dataclass(frozen=True)
class TodayModel:
    today: dt.date
    day: dt.date
    """The day being ticked: today unless the user chose an earlier one on the strip."""
    habits: tuple[HabitRow, ...]
    has_habits: bool
    """Whether the user has any active habit at all (else Today shows the way to Goals)."""
    strip: tuple[StripDay, ...]
    mood: MoodToday
    todos: tuple[TodoRow, ...]
    next_session: NextSession | None

    @property
    def done(self) -> int:
        return sum(1 for habit in self.habits if habit.done)

    @property
    def due(self) -> int:
        return len(self.habits)

    @property
    def progress(self) -> float:
        return self.done / self.due if self.due else 0.0

    @property
    def progress_words(self) -> str:
        if not self.due:
            return "Nothing due"
        if self.done == self.due:
            return f"All {self.due} done"
        return f"{self.done} of {self.due} done"


@dataclass(frozen=True)
class ActiveHabit:
    row: Mapping[str, Any]
    weekly: bool
    created_on: dt.date


def check_day(user: UserContext, day: dt.date) -> None:
    """Raise the domain's ``RuleViolation`` when ``day`` cannot be ticked (future, or more
    than 7 days back in the user's zone)."""
    validate_completion_date(day, today=user.today())


def load_today(
    user: UserContext, day: dt.date | None = None, *, keep_todos: Iterable[str] = ()
) -> TodayModel:
    """The model of Today with ``day`` (default: today) chosen on the strip.

    ``keep_todos``: todos ticked during this visit stay listed (struck through) so a tap can
    be undone; other done todos are not shown.
    """
    today = user.today()
    chosen = today if day is None else day
    if chosen != today:
        check_day(user, chosen)
    habits = active_habits(user)
    completions = _completions(user, habits, today)
    return TodayModel(
        today=today,
        day=chosen,
        habits=tuple(_habit_rows(habits, completions, chosen, today)),
        has_habits=bool(habits),
        strip=tuple(_strip(habits, completions, today)),
        mood=_mood(user, today),
        todos=tuple(_todos(user, today, frozenset(keep_todos))),
        next_session=_next_session(user),
    )


# -- actions ----------------------------------------------------------------------------


def set_habit_done(user: UserContext, habit_id: str, day: dt.date, done: bool) -> None:
    """Tick or un-tick ``habit_id`` for ``day`` (its week, for a weekly habit): one local
    write, queued for the server. Refused days raise ``RuleViolation`` and write nothing."""
    check_day(user, day)
    if done:
        user.store.complete_habit(habit_id, day)
    elif is_habit_done(user, habit_id, day):
        user.store.uncomplete_habit(habit_id, day)


def toggle_habit_done(user: UserContext, habit_id: str, day: dt.date) -> bool:
    """A tap on the habit's check: the opposite of what the store holds now, so a tap is
    never lost to a screen redrawn between the tap and its event. Returns the new state."""
    check_day(user, day)
    return user.store.toggle_habit(habit_id, day)


def is_habit_done(user: UserContext, habit_id: str, day: dt.date) -> bool:
    """Whether ``habit_id`` is completed for ``day``'s period (the day, or its week)."""
    habit = user.store.get(Entity.HABIT, {"habitId": habit_id})
    if habit is None:
        raise LookupError(f"habit {habit_id} is not on this device")
    period = period_of(day, habit.get("frequency", HabitFrequency.DAILY))
    key = {"habitId": habit_id, "date": period.isoformat()}
    existing = user.store.get(Entity.HABIT_COMPLETION, key)
    return existing is not None and bool(existing.get("completed"))


def toggle_todo(user: UserContext, todo_id: str) -> None:
    user.store.toggle_todo(todo_id)


# -- reading ----------------------------------------------------------------------------


def _local_day(instant: object, time_zone: str, fallback: dt.date) -> dt.date:
    if not isinstance(instant, str):
        return fallback
    try:
        return local_today(parse_utc(instant), time_zone)
    except RuleViolation:
        return fallback


def active_habits(user: UserContext) -> dict[str, ActiveHabit]:
    """Active habits of the user, except those of an archived goal, by id."""
    store = user.store
    archived_goals = {
        goal["goalId"] for goal in store.query(Entity.GOAL, userId=user.user_id, status="archived")
    }
    found: dict[str, ActiveHabit] = {}
    for row in store.query(Entity.HABIT, userId=user.user_id, status="active"):
        if row.get("goalId") in archived_goals:
            continue
        found[row["habitId"]] = ActiveHabit(
            row=row,
            weekly=row.get("frequency") == HabitFrequency.WEEKLY,
            created_on=_local_day(row.get("createdAt"), user.time_zone, dt.date.min),
        )
    return found


def _completions(
    user: UserContext, habits: Mapping[str, ActiveHabit], today: dt.date
) -> dict[str, dict[dt.date, tuple[dt.date, bool]]]:
    """Per habit: period start -> (day it was ticked, pending), completed ones only.

    Reads the strip's weeks first, then further back (twice as far each time) only for the
    habits whose current streak reaches the oldest day read: a year of history is not read
    to draw one day.
    """
    by_habit: dict[str, dict[dt.date, tuple[dt.date, bool]]] = defaultdict(dict)
    wanted = set(habits)
    end = today
    start = week_start(today - dt.timedelta(days=STRIP_DAYS))
    span = dt.timedelta(weeks=4)
    while wanted:
        for row in user.store.query_key_range(
            Entity.HABIT_COMPLETION,
            "date",
            start.isoformat(),
            end.isoformat(),
            userId=user.user_id,
            completed=True,
        ):
            habit_id = str(row.get("habitId"))
            if habit_id in wanted:
                period = dt.date.fromisoformat(row["date"])
                on = row.get("completedOn")
                done_on = dt.date.fromisoformat(on) if isinstance(on, str) else period
                by_habit[habit_id][period] = (done_on, bool(row["_pending"]))
        wanted = {h for h in wanted if _streak_reaches(by_habit[h], habits[h], start, today)}
        end, start = start - dt.timedelta(days=1), week_start(start - span)
        span *= 2
    return by_habit


def _streak_reaches(
    periods: Mapping[dt.date, object], habit: ActiveHabit, start: dt.date, today: dt.date
) -> bool:
    """Whether the habit's current streak runs back to ``start``, so older days may extend it."""
    frequency = HabitFrequency.WEEKLY if habit.weekly else HabitFrequency.DAILY
    streak = current_streak(periods, today=today, frequency=frequency)
    if not streak:
        return False
    step = period_step(frequency)
    last = period_of(today, frequency)
    if last not in periods:
        last -= step
    return last - step * (streak - 1) <= period_of(start, frequency)


def _is_due(habit: ActiveHabit, day: dt.date) -> bool:
    """Due on ``day``: every day for a daily habit; every day of its week for a weekly one
    (done or not); never before the day it was created."""
    created = habit.created_on if not habit.weekly else period_of(habit.created_on, "weekly")
    return day >= created


def _cue_line(cue: object) -> str:
    if not isinstance(cue, Mapping):
        return ""
    parts = (cue.get(name) for name in ("time", "place", "context"))
    return " · ".join(str(part).strip() for part in parts if part and str(part).strip())


def _habit_rows(
    habits: Mapping[str, ActiveHabit],
    completions: Mapping[str, Mapping[dt.date, tuple[dt.date, bool]]],
    day: dt.date,
    today: dt.date,
) -> list[HabitRow]:
    rows = []
    for habit_id, habit in habits.items():
        if not _is_due(habit, day):
            continue
        frequency = HabitFrequency.WEEKLY if habit.weekly else HabitFrequency.DAILY
        done_periods = completions.get(habit_id, {})
        tick = done_periods.get(period_of(day, frequency))
        rows.append(
            HabitRow(
                habit_id=habit_id,
                title=str(habit.row.get("title") or "Untitled habit"),
                cue=_cue_line(habit.row.get("cue")),
                weekly=habit.weekly,
                done=tick is not None,
                done_on=tick[0] if tick else None,
                streak=current_streak(done_periods, today=today, frequency=frequency),
                pending=bool(habit.row["_pending"]) or bool(tick and tick[1]),
            )
        )
    rows.sort(key=lambda r: (r.weekly, _cue_sort_key(habits[r.habit_id].row), r.title.lower()))
    return rows


def _cue_sort_key(row: Mapping[str, Any]) -> str:
    """Habits with a clock-time cue first, in time order ("07:30" < "21:00"), then the rest."""
    cue = row.get("cue")
    time = cue.get("time") if isinstance(cue, Mapping) else None
    return time if isinstance(time, str) and _CLOCK_TIME.fullmatch(time) else "~"


def _strip(
    habits: Mapping[str, ActiveHabit],
    completions: Mapping[str, Mapping[dt.date, tuple[dt.date, bool]]],
    today: dt.date,
) -> list[StripDay]:
    days = []
    for back in range(STRIP_DAYS - 1, -1, -1):
        day = today - dt.timedelta(days=back)
        due = [h for h in habits if _is_due(habits[h], day)]
        done = sum(
            1
            for habit_id in due
            if period_of(day, "weekly" if habits[habit_id].weekly else "daily")
            in completions.get(habit_id, {})
        )
        try:
            validate_completion_date(day, today=today)
            selectable = True
        except RuleViolation:
            selectable = False
        days.append(StripDay(day, done, len(due), selectable, day == today))
    return days


def _mood(user: UserContext, today: dt.date) -> MoodToday:
    row = user.store.get(Entity.REFLECTION, {"userId": user.user_id, "date": today.isoformat()})
    if row is None:
        return MoodToday(None, "", False)
    return MoodToday(row.get("mood"), str(row.get("text") or ""), bool(row["_pending"]))


def _todos(user: UserContext, today: dt.date, keep: frozenset[str]) -> list[TodoRow]:
    """Open todos due today, overdue or undated, plus the ones ``keep`` names; overdue first,
    then by priority, due date and text."""
    rows = []
    for todo in user.store.query(Entity.TODO, userId=user.user_id):
        due = _due_date(todo.get("dueDate"))
        done = bool(todo.get("done"))
        if (done or (due is not None and due > today)) and todo["todoId"] not in keep:
            continue
        rows.append(
            TodoRow(
                todo_id=todo["todoId"],
                text=str(todo.get("text") or ""),
                due=due,
                overdue=due is not None and due < today and not done,
                priority=str(todo.get("priority") or "medium"),
                done=done,
                pending=bool(todo["_pending"]),
            )
        )
    rows.sort(
        key=lambda t: (
            not t.overdue,
            _PRIORITY_ORDER.get(t.priority, 1),
            t.due or dt.date.max,
            t.text.lower(),
        )
    )
    return rows


def _due_date(value: object) -> dt.date | None:
    """A todo's ``dueDate`` as a day: "YYYY-MM-DD", or the day part of an ISO datetime."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _next_session(user: UserContext) -> NextSession | None:
    """The soonest confirmed or requested session that has not started yet."""
    now = user.clock.now()
    store = user.store
    candidates: list[tuple[dt.datetime, dict[str, Any]]] = []
    for role in ("menteeId", "mentorId"):
        for row in store.query(Entity.SESSION, **{role: user.user_id}):
            if row.get("status") not in UPCOMING_SESSION_STATUSES:
                continue
            try:
                starts = session_starts_at(str(row.get("date")), str(row.get("time")))
            except RuleViolation:
                continue
            if starts > now:
                candidates.append((starts, row))
    if not candidates:
        return None
    starts, row = min(candidates, key=lambda pair: (pair[0], pair[1]["sessionId"]))
    mentee = row.get("menteeId") == user.user_id
    other_id = row.get("mentorId") if mentee else row.get("menteeId")
    other = store.get(Entity.USER, {"userId": str(other_id)}) if other_id else None
    fallback = "your mentor" if mentee else "your mentee"
    return NextSession(
        session_id=row["sessionId"],
        starts_at=starts.astimezone(zone(user.time_zone)),
        with_whom=str(other.get("name") or fallback) if other else fallback,
        topic=str(row.get("topic") or ""),
        virtual=row.get("type") != "in_person",
        confirmed=row.get("status") == "CONFIRMED",
        pending=bool(row["_pending"]),
    )
