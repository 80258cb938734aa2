"""The Today screen with no client: it renders from a seeded device file and every tap makes
the right local change (queued in the outbox, shown at once)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import flet as ft

from app.state.context import ScreenContext
from app.views.today import TodayScreen
from domain.clock import FixedClock
from sync import DeviceStore, Entity
from tests.app.conftest import USER
from tests.app.flet_page import FakePage, walk
from tests.app.seeding import completions, from_server, habit

TODAY = dt.date(2026, 11, 24)
YESTERDAY = TODAY - dt.timedelta(days=1)


class Recorder:
    """Collects what the screen asks the shell to do."""

    def __init__(self, screen: ScreenContext) -> None:
        self.routes: list[str] = []
        self.messages: list[str] = []
        self.ctx = replace(screen, navigate=self.routes.append, notify=self.messages.append)


async def show(fake_page: FakePage, ctx: ScreenContext) -> None:
    fake_page.render(lambda: TodayScreen(ctx))
    await fake_page.settle()


def checkbox(fake_page: FakePage, identifier: str) -> Any:
    found = [c for c in walk(fake_page.by_id(identifier)) if isinstance(c, ft.Checkbox)]
    assert len(found) == 1
    return found[0]


async def tick(fake_page: FakePage, identifier: str) -> None:
    """Toggle a wrapped checkbox as the client does: the new value, then ``change``."""
    box = checkbox(fake_page, identifier)
    fake_page.session.apply_patch(box._i, {"value": not box.value})
    await fake_page.session.dispatch_event(box._i, "change", None)
    await fake_page.settle()


def seed_day(store: DeviceStore) -> None:
    from_server(
        store,
        Entity.HABIT,
        habit(USER, "h-read", "Read one page", cue={"time": "07:30", "place": "kitchen"}),
        habit(USER, "h-walk", "Walk around the block", cue={"time": "18:00"}),
        habit(USER, "w-plan", "Plan the week", frequency="weekly"),
    )
    from_server(
        store,
        Entity.HABIT_COMPLETION,
        *completions(USER, "h-read", YESTERDAY, TODAY - dt.timedelta(days=2)),
        *completions(USER, "w-plan", TODAY - dt.timedelta(days=1)),  # Monday: this week
    )


async def test_renders_the_day_from_the_device_file(
    fake_page: FakePage, store: DeviceStore, screen: ScreenContext
) -> None:
    seed_day(store)
    await show(fake_page, screen)
    texts = fake_page.texts()
    assert {"Today", "Read one page", "Walk around the block", "Plan the week"} <= set(texts)
    assert "1 of 3 done" in texts and "1/3" in texts
    assert "07:30 · kitchen" in texts and "Weekly · done Mon" in texts
    assert checkbox(fake_page, "habit-check-w-plan").value is True
    assert checkbox(fake_page, "habit-check-h-read").value is False
    assert fake_page.by_id(f"backfill-day-{TODAY}").selected is True
    assert "How was today?" in texts
    assert "Nothing on your list for today." in texts


async def test_tapping_a_habit_queues_a_completion_and_redraws_it_checked(
    fake_page: FakePage, store: DeviceStore, screen: ScreenContext
) -> None:
    seed_day(store)
    await show(fake_page, screen)
    await tick(fake_page, "habit-check-h-read")
    row = store.get(Entity.HABIT_COMPLETION, {"habitId": "h-read", "date": str(TODAY)})
    assert row is not None and row["completed"] is True and row["_pending"]
    assert store.status().pending == 1
    assert checkbox(fake_page, "habit-check-h-read").value is True
    assert "2 of 3 done" in fake_page.texts()
    assert "3" in fake_page.texts()  # the streak: today plus the two days before

    await tick(fake_page, "habit-check-h-read")
    row = store.get(Entity.HABIT_COMPLETION, {"habitId": "h-read", "date": str(TODAY)})
    assert row is not None and row["completed"] is False
    assert checkbox(fake_page, "habit-check-h-read").value is False
    assert "1 of 3 done" in fake_page.texts()


async def test_a_tap_survives_a_redraw_between_its_value_and_its_event(
    fake_page: FakePage, store: DeviceStore, screen: ScreenContext
) -> None:
    """Flet applies the client's new value at once and runs ``change`` later: a redraw in
    between (here, another habit ticked) sends the store's older state back. The tap must
    still tick its habit, and the screen must show it."""
    seed_day(store)
    await show(fake_page, screen)
    box = checkbox(fake_page, "habit-check-h-walk")
    fake_page.session.apply_patch(box._i, {"value": True})  # the tap; its event not yet in
    await tick(fake_page, "habit-check-h-read")  # a redraw before it
    box = checkbox(fake_page, "habit-check-h-walk")
    await fake_page.session.dispatch_event(box._i, "change", None)
    await fake_page.settle()
    row = store.get(Entity.HABIT_COMPLETION, {"habitId": "h-walk", "date": str(TODAY)})
    assert row is not None and row["completed"] is True
    assert checkbox(fake_page, "habit-check-h-walk").value is True
    assert "3/3" in fake_page.texts()


async def test_back_filling_yesterday_ticks_for_yesterday(
    fake_page: FakePage, store: DeviceStore, screen: ScreenContext
) -> None:
    seed_day(store)
    await show(fake_page, screen)
    await fake_page.click(fake_page.by_id(f"backfill-day-{YESTERDAY}"))
    assert fake_page.by_id(f"backfill-day-{YESTERDAY}").selected is True
    assert "Habits on Mon 23 Nov" in fake_page.texts()
    assert checkbox(fake_page, "habit-check-h-read").value is True  # done yesterday
    await tick(fake_page, "habit-check-h-walk")
    row = store.get(Entity.HABIT_COMPLETION, {"habitId": "h-walk", "date": str(YESTERDAY)})
    assert row is not None and row["completed"] is True and row["completedOn"] == str(YESTERDAY)
    assert store.get(Entity.HABIT_COMPLETION, {"habitId": "h-walk", "date": str(TODAY)}) is None

    await fake_page.click(fake_page.find(lambda c: isinstance(c, ft.TextButton))[0])
    assert fake_page.by_id(f"backfill-day-{TODAY}").selected is True
    assert "Habits" in fake_page.texts()


async def test_a_day_beyond_the_back_fill_window_is_refused_with_the_domains_message(
    fake_page: FakePage, store: DeviceStore, screen: ScreenContext
) -> None:
    seed_day(store)
    shell = Recorder(screen)
    await show(fake_page, shell.ctx)
    too_old = TODAY - dt.timedelta(days=8)
    await fake_page.click(fake_page.by_id(f"backfill-day-{too_old}"))
    assert shell.messages == ["Completions can only be logged up to 7 days back."]
    assert fake_page.by_id(f"backfill-day-{TODAY}").selected is True
    assert store.status().pending == 0


async def test_links_go_to_the_habit_the_reflection_and_the_todos(
    fake_page: FakePage, store: DeviceStore, screen: ScreenContext
) -> None:
    seed_day(store)
    shell = Recorder(screen)
    await show(fake_page, shell.ctx)
    await fake_page.click(fake_page.by_id("habit-open-h-walk"))
    mood = fake_page.find(
        lambda c: isinstance(c, ft.Semantics) and c.label == "Write today's reflection"
    )
    await fake_page.click(mood[0])
    todos = fake_page.find(lambda c: isinstance(c, ft.TextButton) and c.content == "All to-dos")
    await fake_page.click(todos[0])
    assert shell.routes == ["/habits/h-walk", "/reflect", "/todos"]
    assert store.status().pending == 0


async def test_with_no_habits_the_empty_state_leads_to_goals(
    fake_page: FakePage, screen: ScreenContext
) -> None:
    shell = Recorder(screen)
    await show(fake_page, shell.ctx)
    assert "No habits yet" in fake_page.texts()
    assert not fake_page.find(
        lambda c: isinstance(c, ft.Semantics) and str(c.identifier).startswith("backfill-day-")
    )
    button = fake_page.find(lambda c: isinstance(c, ft.FilledButton))
    await fake_page.click(button[0])
    assert shell.routes == ["/goals"]


async def test_todo_toggle_is_queued_and_stays_listed_struck_through(
    fake_page: FakePage, store: DeviceStore, screen: ScreenContext
) -> None:
    created = store.create_todo("Email Marta the plan", due_date=str(TODAY), todo_id="t1")
    assert created["done"] is False
    await show(fake_page, screen)
    assert "Due today" in fake_page.texts()
    await tick(fake_page, "todo-check-t1")
    todo = store.get(Entity.TODO, {"userId": USER, "todoId": "t1"})
    assert todo is not None and todo["done"] is True
    assert store.status().pending == 2  # the create and the toggle
    assert checkbox(fake_page, "todo-check-t1").value is True
    await tick(fake_page, "todo-check-t1")
    assert store.get(Entity.TODO, {"userId": USER, "todoId": "t1"})["done"] is False  # type: ignore[index]


async def test_mood_and_pending_marks_and_the_next_session(
    fake_page: FakePage, store: DeviceStore, screen: ScreenContext
) -> None:
    seed_day(store)
    store.write_reflection(TODAY, "GREAT", text="Walked to work in the sun")
    store.request_session("mentor-1", type="virtual", date="2026-11-26", time="17:00", duration=30)
    await show(fake_page, screen)
    texts = fake_page.texts()
    assert "Today's mood: Great" in texts and "Walked to work in the sun" in texts
    assert "Thu 26 Nov · 17:00 WET" in texts and "Waiting for confirmation" in texts
    pending = fake_page.find(
        lambda c: isinstance(c, ft.Icon) and c.icon == ft.Icons.CLOUD_UPLOAD_OUTLINED
    )
    assert len(pending) == 2  # the reflection and the session request; the habits are synced


async def test_a_back_filled_day_that_falls_out_of_the_window_at_midnight_gives_way_to_today(
    fake_page: FakePage, store: DeviceStore, screen: ScreenContext, clock: FixedClock
) -> None:
    seed_day(store)
    shell = Recorder(screen)
    await show(fake_page, shell.ctx)
    week_ago = TODAY - dt.timedelta(days=7)
    await fake_page.click(fake_page.by_id(f"backfill-day-{week_ago}"))
    assert fake_page.by_id(f"backfill-day-{week_ago}").selected is True
    clock.advance(days=1)  # the screen stays open past midnight
    await tick(fake_page, "habit-check-h-walk")
    assert shell.messages == ["Completions can only be logged up to 7 days back."]
    assert store.status().pending == 0
    tomorrow = TODAY + dt.timedelta(days=1)
    assert fake_page.by_id(f"backfill-day-{tomorrow}").selected is True
