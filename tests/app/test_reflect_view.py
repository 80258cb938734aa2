"""ReflectScreen with no client: every action writes the right local change or says why not."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import flet as ft
import flet_charts as fch  # type: ignore[import-untyped]

from app.state.context import ScreenContext
from app.views.reflect import ReflectScreen
from domain.clock import FixedClock
from sync import Entity
from tests.app.conftest import USER
from tests.app.flet_page import FakePage
from tests.app.seeding import from_server, mentored_goal, shared_reflection

TODAY = "2026-11-24"
SUNDAY = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)


def show(fake_page: FakePage, screen: ScreenContext) -> list[str]:
    """Render the screen with a notify that records what the user is told."""
    told: list[str] = []
    ctx = replace(screen, notify=told.append)
    fake_page.render(lambda: ReflectScreen(ctx))
    return told


def reflection(screen: ScreenContext, day: str = TODAY) -> dict[str, object] | None:
    return screen.user.store.get(Entity.REFLECTION, {"userId": USER, "date": day})


def mentors(screen: ScreenContext, *names: tuple[str, str]) -> None:
    store = screen.user.store
    goals = [
        mentored_goal(f"g-{i}", mentor_id, title="Run") for i, (mentor_id, _) in enumerate(names)
    ]
    from_server(store, Entity.GOAL, *goals)
    from_server(store, Entity.USER, *[{"userId": i, "name": n} for i, n in names])


async def on_sunday_with_a_mood(
    fake_page: FakePage, screen: ScreenContext, clock: FixedClock
) -> list[str]:
    """The screen on Sunday 29 November with GOOD chosen; returns what the user is told."""
    clock.set(SUNDAY)
    told = show(fake_page, screen)
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("reflection-mood-GOOD"))
    return told


async def test_empty_screen_is_friendly(fake_page: FakePage, screen: ScreenContext) -> None:
    show(fake_page, screen)
    await fake_page.settle()
    texts = fake_page.texts()
    assert "Tuesday, 24 November" in texts
    assert {"Your story starts today", "No trend yet", "No completions yet"} <= set(texts)
    assert "The weekly review opens on Sunday 29 November." in texts
    for mood in ("GREAT", "GOOD", "NEUTRAL", "BAD", "AWFUL"):
        assert fake_page.by_id(f"reflection-mood-{mood}").selected is False
    switch = fake_page.find(lambda c: isinstance(c, ft.Switch))[0]
    assert switch.disabled  # no mentor to share with yet


async def test_mood_and_text_are_saved_locally(fake_page: FakePage, screen: ScreenContext) -> None:
    told = show(fake_page, screen)
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("reflection-mood-GOOD"))
    assert fake_page.by_id("reflection-mood-GOOD").selected is True
    await fake_page.type_into(fake_page.by_id("reflection-text"), "Walked to work")
    await fake_page.click(fake_page.by_id("reflection-save"))
    row = reflection(screen)
    assert row is not None and (row["mood"], row["text"], row["_pending"]) == (
        "GOOD",
        "Walked to work",
        True,
    )
    assert told == ["Reflection saved"]
    assert "Not synced yet" in fake_page.texts()
    assert fake_page.find(lambda c: isinstance(c, ft.Button) and c.content == "Update reflection")


async def test_saving_without_a_mood_says_why_and_writes_nothing(
    fake_page: FakePage, screen: ScreenContext
) -> None:
    told = show(fake_page, screen)
    await fake_page.settle()
    await fake_page.type_into(fake_page.by_id("reflection-text"), "no mood")
    await fake_page.click(fake_page.by_id("reflection-save"))
    assert told == ["Not saved: choose how you feel today"]
    assert screen.user.store.status().pending == 0


async def test_sunday_shows_the_weekly_form_and_saves_it_as_content(
    fake_page: FakePage, screen: ScreenContext, clock: FixedClock
) -> None:
    clock.set(SUNDAY)
    show(fake_page, screen)
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("reflection-mood-GREAT"))
    for identifier, text in (
        ("reflection-went-well", "three runs"),
        ("reflection-felt-hard", "cold mornings"),
        ("reflection-insights", "lay out clothes"),
        ("reflection-gratitude", "Ana\nsunshine"),
    ):
        await fake_page.type_into(fake_page.by_id(identifier), text)
    await fake_page.click(fake_page.by_id("reflection-save"))
    row = reflection(screen, "2026-11-29")
    assert row is not None and row["content"] == {
        "whatWentWell": "three runs",
        "whatFeltHard": "cold mornings",
        "insights": "lay out clothes",
        "gratitude": ["Ana", "sunshine"],
    }


async def test_a_weekly_form_saved_after_sunday_ended_is_refused_with_the_domains_message(
    fake_page: FakePage, screen: ScreenContext, clock: FixedClock
) -> None:
    told = await on_sunday_with_a_mood(fake_page, screen, clock)
    for identifier in ("reflection-went-well", "reflection-felt-hard", "reflection-insights"):
        await fake_page.type_into(fake_page.by_id(identifier), "something")
    clock.advance(days=1)  # midnight passed while the form was open: it is Monday now
    await fake_page.click(fake_page.by_id("reflection-save"))
    assert told == ["Not saved: a weekly reflection is written on a Sunday"]
    assert screen.user.store.status().pending == 0


async def test_sharing_with_the_chosen_one_of_several_mentors(
    fake_page: FakePage, screen: ScreenContext
) -> None:
    mentors(screen, ("m-zoe", "Zoe Lima"), ("m-bea", "Bea Costa"))
    told = show(fake_page, screen)
    await fake_page.settle()
    assert fake_page.find(lambda c: isinstance(c, ft.Dropdown)) == []
    await fake_page.click(fake_page.by_id("reflection-mood-NEUTRAL"))
    await fake_page.fire(fake_page.by_id("reflection-share"), "change", value=True)
    assert fake_page.by_id("reflection-share").toggled is True
    await fake_page.fire(fake_page.by_id("reflection-mentor"), "select", value="m-zoe")
    await fake_page.click(fake_page.by_id("reflection-save"))
    row = reflection(screen)
    assert row is not None and (row["isShared"], row["sharedWithMentorId"]) == (True, "m-zoe")
    assert told == ["Reflection saved · shared with Zoe Lima"]


async def test_history_shows_feedback_insights_and_the_charts(
    fake_page: FakePage, screen: ScreenContext
) -> None:
    mentors(screen, ("m-zoe", "Zoe Lima"))
    store = screen.user.store
    from_server(
        store,
        Entity.REFLECTION,
        {"userId": USER, "date": "2026-11-20", "mood": "BAD", "text": "tired"},
        shared_reflection(
            "2026-11-23",
            "m-zoe",
            "Brilliant pacing!",
            feedback_at="2026-11-23T20:00:00.000000Z",
            mood="GREAT",
            text="first 5k",
            aiInsights="Runs lift your mood.",
        ),
    )
    from_server(
        store,
        Entity.HABIT_COMPLETION,
        {"habitId": "h", "date": "2026-11-23", "userId": USER, "completed": True},
    )
    show(fake_page, screen)
    await fake_page.settle()
    texts = fake_page.texts()
    assert texts.index("Yesterday") < texts.index("Fri 20 Nov")  # newest first
    assert {"first 5k", "Brilliant pacing!", "Runs lift your mood.", "Zoe Lima · Yesterday"} <= (
        set(texts)
    )
    assert "Shared with Zoe Lima" in texts
    (line,) = fake_page.find(lambda c: isinstance(c, fch.LineChart))
    assert [(p.x, p.y) for p in line.data_series[0].points] == [(25, 2), (28, 5)]
    assert line.max_x == 29
    (bars,) = fake_page.find(lambda c: isinstance(c, fch.BarChart))
    assert bars.groups[-1].rods[0].to_y == 1
    await fake_page.fire(
        fake_page.find(lambda c: isinstance(c, ft.SegmentedButton))[0], "change", selected=["90"]
    )
    (line,) = fake_page.find(lambda c: isinstance(c, fch.LineChart))
    assert line.max_x == 89 and [p.x for p in line.data_series[0].points] == [85, 88]


async def test_older_reflections_come_on_request(
    fake_page: FakePage, screen: ScreenContext
) -> None:
    past = [
        {"userId": USER, "date": f"2026-11-{day:02d}", "mood": "GOOD", "text": f"day {day}"}
        for day in range(1, 21)
    ]
    from_server(screen.user.store, Entity.REFLECTION, *past)
    show(fake_page, screen)
    await fake_page.settle()
    shown = [t for t in fake_page.texts() if t.startswith("day ")]
    assert shown[0] == "day 20" and len(shown) == 14
    await fake_page.click(fake_page.by_id("reflection-more"))
    assert len([t for t in fake_page.texts() if t.startswith("day ")]) == 20
    assert fake_page.find(lambda c: getattr(c, "identifier", None) == "reflection-more") == []


async def test_on_sunday_empty_weekly_questions_save_a_daily_check_in(
    fake_page: FakePage, screen: ScreenContext, clock: FixedClock
) -> None:
    told = await on_sunday_with_a_mood(fake_page, screen, clock)
    await fake_page.click(fake_page.by_id("reflection-save"))
    row = reflection(screen, "2026-11-29")
    assert row is not None and "content" not in row and told == ["Reflection saved"]


async def test_a_half_answered_weekly_review_names_the_missing_question(
    fake_page: FakePage, screen: ScreenContext, clock: FixedClock
) -> None:
    told = await on_sunday_with_a_mood(fake_page, screen, clock)
    await fake_page.type_into(fake_page.by_id("reflection-went-well"), "ran")
    await fake_page.click(fake_page.by_id("reflection-save"))
    assert told == ["Not saved: What felt hard? must not be empty"]
    assert screen.user.store.status().pending == 0


async def test_feedback_on_todays_reflection_is_shown_under_the_form(
    fake_page: FakePage, screen: ScreenContext
) -> None:
    mentors(screen, ("m-zoe", "Zoe Lima"))
    from_server(
        screen.user.store,
        Entity.REFLECTION,
        shared_reflection(TODAY, "m-zoe", "Keep going", mood="GOOD"),
    )
    show(fake_page, screen)
    await fake_page.settle()
    texts = fake_page.texts()
    assert {"On today's reflection", "Zoe Lima", "Keep going"} <= set(texts)
    assert fake_page.by_id("reflection-feedback").label == "Keep going"
    assert fake_page.by_id("reflection-share").toggled is True
    assert fake_page.by_id("reflection-mood-GOOD").selected is True
