"""App benchmark: the Flet client's speed goals of issue 8, each figure beside its goal.

    python bench/app.py [--quick]

- A1 Today for a mentee with 20 habits and a year of completions: building the view's state
  (``load_today`` over a real device file) and its controls (``today_view``) in Python;
  goal under 30 ms at p50 and p95. The state and the controls are also timed apart.
- A2 A tap on a habit to the checked state drawn in headless Chromium, the server down: goal
  p50 under 100 ms; and the local write behind it (A2w): under 1 ms.
- A3 Cold start of ``growlink app --web`` to an interactive Today in headless Chromium, for
  a browser already signed in: goal under 3 s (median); and to the sign-in form (A3s).

The browser figures are in ``bench/app_goals/browser.py``; without Chromium they are skipped,
said so. Nothing is asserted: the script prints figures and ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ must not shadow the project's packages

from app.state.context import UserContext  # noqa: E402
from app.state.today import load_today, toggle_habit_done  # noqa: E402
from app.views.today import TodayActions, today_view  # noqa: E402
from bench.app_goals.browser import NoChromium, measure_in_browser  # noqa: E402
from bench.app_goals.figure import Figure, print_summary, timed  # noqa: E402
from domain.clock import FixedClock, week_start  # noqa: E402
from sync import DeviceStore, Entity  # noqa: E402
from sync import apply as sync_apply  # noqa: E402
from sync.entities import KEY_ATTRIBUTES  # noqa: E402
from sync.wire import AuthSession, PulledChange, PullPage  # noqa: E402

USER = "bench-mentee"
ZONE = "Europe/Lisbon"
NOW = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)


# -- a mentee's year on a device file -----------------------------------------------------


def _changes(rows: Iterator[tuple[Entity, dict[str, Any]]]) -> list[PulledChange]:
    changes = []
    for seq, (entity, item) in enumerate(rows, start=1):
        key = {name: item[name] for name in KEY_ATTRIBUTES[entity]}
        changes.append(PulledChange(seq, entity, key, 1, False, {**item, "_version": 1}))
    return changes


def _year(today: dt.date, habits: int, days: int) -> Iterator[tuple[Entity, dict[str, Any]]]:
    rng = random.Random(8)
    created = (today - dt.timedelta(days=days)).isoformat() + "T08:00:00.000000Z"
    for n in range(habits):
        habit_id = f"habit-{n:02d}"
        weekly = n % 5 == 4
        yield (
            Entity.HABIT,
            {
                "habitId": habit_id,
                "userId": USER,
                "goalId": f"goal-{n % 4}",
                "title": f"Tiny habit number {n}",
                "frequency": "weekly" if weekly else "daily",
                "duration": 2,
                "status": "active",
                "cue": {"time": f"{7 + n % 12:02d}:00", "place": "at home"},
                "createdAt": created,
                "updatedAt": created,
            },
        )
        periods = {week_start(day) if weekly else day for day in _days_back(today, days)}
        done = {period for period in periods if rng.random() < 0.8}  # 4 periods out of 5
        for day in sorted(done):
            yield (
                Entity.HABIT_COMPLETION,
                {
                    "habitId": habit_id,
                    "date": day.isoformat(),
                    "userId": USER,
                    "completed": True,
                    "completedOn": day.isoformat(),
                },
            )
    for n in range(12):
        due = today + dt.timedelta(days=n - 6)
        yield (
            Entity.TODO,
            {
                "userId": USER,
                "todoId": f"todo-{n}",
                "text": f"Todo {n}",
                "done": n % 3 == 0,
                "dueDate": due.isoformat(),
                "priority": ("low", "medium", "high")[n % 3],
            },
        )
    yield (
        Entity.REFLECTION,
        {"userId": USER, "date": today.isoformat(), "mood": "GOOD", "text": "A steady day"},
    )
    yield (
        Entity.SESSION,
        {
            "sessionId": "session-1",
            "menteeId": USER,
            "mentorId": "mentor-1",
            "type": "virtual",
            "date": (today + dt.timedelta(days=2)).isoformat(),
            "time": "17:00",
            "duration": 30,
            "status": "CONFIRMED",
        },
    )


def _days_back(today: dt.date, days: int) -> Iterator[dt.date]:
    return (today - dt.timedelta(days=back) for back in range(days))


def seeded_mentee(folder: Path, habits: int, days: int) -> UserContext:
    """A signed-in device file holding ``habits`` habits with ``days`` days of completions,
    as a pull would leave it (nothing pending)."""
    clock = FixedClock(NOW)
    folder.mkdir(parents=True, exist_ok=True)
    store = DeviceStore(folder / "mentee.db", clock=clock)
    store.adopt_session("http://127.0.0.1:9", AuthSession("token", "refresh", USER))
    user = UserContext(store=store, clock=clock, user_id=USER, time_zone=ZONE)
    changes = _changes(_year(user.today(), habits, days))
    with store.transaction() as conn:
        sync_apply.apply_pull_page(conn, PullPage(changes, "1", has_more=False), store.now())
    return user


# -- figures -------------------------------------------------------------------------------


def measure_today(folder: Path, quick: bool) -> list[Figure]:
    """A1: Today's state and controls, together and apart."""
    rounds = 5 if quick else 200
    user = seeded_mentee(folder / "today", habits=20, days=365)
    actions = TodayActions(
        toggle_habit=lambda _: None,
        choose_day=lambda _: None,
        toggle_todo=lambda _: None,
        navigate=lambda _: None,
    )
    model = load_today(user)
    user.store.checkpoint()
    print(
        f"A1 Today: {model.due} habits due, {len(model.todos)} todos, from a device file of"
        f" {user.store.path.stat().st_size / 1e6:.1f} MB"
    )
    both = timed(lambda: today_view(load_today(user), actions), rounds)
    for what, (p50, p95, cpu) in (
        ("state + controls", both),
        ("state alone     ", timed(lambda: load_today(user), rounds)),
        ("controls alone  ", timed(lambda: today_view(model, actions), rounds)),
    ):
        print(f"   {what} p50 {p50:.1f} ms, p95 {p95:.1f} ms (CPU time p50 {cpu:.1f} ms)")
    user.store.close()
    return [Figure("A1", "Today, 20 habits x a year: state + controls", *both, goal_ms=30)]


def measure_local_write(folder: Path, quick: bool) -> list[Figure]:
    """A2's local part: the write behind a tap on Today (``toggle_habit_done``), ticking and
    unticking one habit today on A1's device file."""
    user = seeded_mentee(folder / "write", habits=20, days=365)
    today = user.today()

    def tap() -> None:
        toggle_habit_done(user, "habit-00", today)

    p50, p95, cpu = timed(tap, 20 if quick else 400)
    print(f"A2 local write: p50 {p50:.2f} ms, p95 {p95:.2f} ms (CPU time p50 {cpu:.2f} ms)")
    user.store.close()
    return [Figure("A2w", "the local write behind a tap", p50, p95, cpu, goal_ms=1)]


def measure_browser(folder: Path, quick: bool) -> list[Figure]:
    """A2 and A3 in headless Chromium; without one, said so and skipped."""
    try:
        return measure_in_browser(folder / "browser", quick)
    except NoChromium as missing:
        print(f"A2, A3: not measured ({missing})")
        return []


FIGURES: list[Callable[[Path, bool], list[Figure]]] = [
    measure_today,
    measure_local_write,
    measure_browser,
]
"""Every figure of the app, in order."""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="few rounds, for a smoke run")
    args = parser.parse_args()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="growlink-bench-app-") as tmp:
        for measure in FIGURES:
            figures += measure(Path(tmp), args.quick)
    print_summary(figures)


if __name__ == "__main__":
    main()
