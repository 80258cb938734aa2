"""The reminder banner in the real app: the app's clock is set (``growlink app
--clock-start``) a few seconds before a habit's cue, so the banner comes at the cue without a
minute's wait; its "Done" ticks the habit on Today (a phone, 400 px). On a Sunday evening the
weekly-reflection banner's "Write" opens Reflect (desktop width).

Each test signs up its own user and starts its own app process (the clock is per process).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from harness.accounts import PASSWORD, sign_up_blocking
from harness.ports import free_port
from tests.app.browser.harness import PHONE, WIDE, AppProcess, Tab, graphql, new_tab

LEAD = timedelta(seconds=25)
"""How long before the reminder the app's clock starts: enough to start and sign in."""
UPDATE = """mutation($u: ID!, $i: UpdateUserInput!) {
  updateUserProfile(userId: $u, input: $i) { userId } }"""
GOAL = "mutation($i: CreateGoalInput!) { createGoal(input: $i) { goalId } }"
HABIT = "mutation($i: CreateHabitInput!) { createHabit(input: $i) { habitId } }"


def midday_zone(now: datetime) -> str:
    """A zone where it is around noon now: far from quiet hours and from midnight."""
    offset = 12 - now.hour
    offset = offset - 24 if offset > 14 else offset + 24 if offset < -12 else offset
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"  # Etc/GMT-5 is UTC+5


@pytest.fixture
def start_app(backend, tmp_path: Path) -> Iterator:
    started: list[AppProcess] = []

    def start(clock_start: datetime) -> AppProcess:
        app = AppProcess(
            free_port(),
            tmp_path / f"app{len(started)}" / "data",
            backend.url,
            args=["--clock-start", clock_start.isoformat()],
        )
        started.append(app)
        return app

    yield start
    for app in started:
        app.stop()


def tap_banner_action(tab: Tab, label: str) -> None:
    """The snack bar's action button (Flutter gives it no identifier, only its label)."""
    button = tab.page.locator("flt-semantics[role='button']", has_text=label).last
    button.click()
    tab.page.wait_for_timeout(400)


def test_the_banner_comes_at_the_cue_and_done_ticks_the_habit(backend, browser, start_app, shots):
    person = sign_up_blocking(backend.url)
    zone = midday_zone(datetime.now(UTC))
    graphql(backend.url, UPDATE, {"u": person.user_id, "i": {"timeZone": zone}}, person.token)
    cue_local = (datetime.now(ZoneInfo(zone)) + timedelta(minutes=2)).replace(
        second=0, microsecond=0
    )
    goal = graphql(backend.url, GOAL, {"i": {"title": "Read more"}}, person.token)
    habit_input = {
        "goalId": goal["createGoal"]["goalId"],
        "title": "Read one page",
        "frequency": "daily",
        "duration": 2,
        "cue": {"time": cue_local.strftime("%H:%M"), "place": "by the window"},
    }
    habit_id = graphql(backend.url, HABIT, {"i": habit_input}, person.token)["createHabit"][
        "habitId"
    ]
    app = start_app(cue_local.astimezone(UTC) - LEAD)

    tab = new_tab(browser, app.url, shots, PHONE).open()
    try:
        tab.sign_in(person.email, PASSWORD)
        tab.click("nav-today")
        check = f"habit-check-{habit_id}"
        tab.wait_for(check, timeout=60)
        assert not tab.checked(check)
        tab.wait_text("reminder-banner", "Time for Read one page", timeout=90)
        tab.page.mouse.move(200, 300)  # no tab's tooltip in the picture
        tab.shot("banner-phone")
        tap_banner_action(tab, "Done")
        tab.wait_checked(check)
        tab.shot("done-ticked")
    finally:
        tab.context.close()


def next_sunday_evening() -> datetime:
    """Just before 18:00 UTC on the coming Sunday (the new user's zone is UTC)."""
    today = datetime.now(UTC).date()
    sunday = today + timedelta(days=(6 - today.weekday()) % 7 or 7)
    return datetime(sunday.year, sunday.month, sunday.day, 18, 0, tzinfo=UTC)


def test_the_sunday_banner_writes_the_weekly_reflection(backend, browser, start_app, shots):
    person = sign_up_blocking(backend.url)
    app = start_app(next_sunday_evening() - LEAD)
    tab = new_tab(browser, app.url, shots, WIDE).open()
    try:
        tab.sign_in(person.email, PASSWORD)
        tab.wait_text("reminder-banner", "Sunday evening: time for your weekly reflection", 90)
        tab.shot("banner-desktop")
        tap_banner_action(tab, "Write")
        tab.wait_for("reflect-title")
        tab.shot("reflect-opened")
    finally:
        tab.context.close()
