"""Mentees' streaks and last check-in on the mentor's device: summarized from the API's
answer, kept with their time, shown "as of" it on Mentoring; fetched from the real server and
kept when offline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from app.state import online
from app.state.context import UserContext
from app.state.mentee_progress import (
    KEPT_SETTING,
    MenteeProgress,
    due_for_refresh,
    kept_progress,
    refresh_progress,
    summarize,
)
from app.state.mentoring import load_mentoring
from app.views.dates import as_of
from app.views.mentoring import MentoringScreen
from domain.clock import FixedClock
from harness.accounts import Account, sign_up_blocking
from sync import Entity
from sync.wire import AuthSession
from tests.app.browser.harness import graphql
from tests.app.conftest import USER
from tests.app.flet_page import FakePage
from tests.app.seeding import from_server, mentored_goal
from tests.sync.real_server import Device

BIA = "user-bia"


def _habit(streak: int, *days: tuple[str, bool], status: str = "active") -> dict[str, Any]:
    completions = [{"date": day, "completed": done} for day, done in days]
    return {
        "habitId": f"h{streak}",
        "status": status,
        "currentStreak": streak,
        "completions": completions,
    }


def test_the_summary_is_per_mentee_from_her_live_goals():
    goals = [
        {
            "user": {"userId": BIA},
            "status": "active",
            "progress": 40,
            "habits": [_habit(3, ("2026-11-23", True), ("2026-11-24", False))],
        },
        {
            "user": {"userId": BIA},
            "status": "draft",
            "progress": 0,
            "habits": [_habit(9, ("2026-11-10", True), status="paused")],
        },
        {
            "user": {"userId": BIA},
            "status": "archived",
            "progress": 100,
            "habits": [_habit(20, ("2026-11-24", True))],
        },
        {"user": {"userId": "user-cai"}, "status": "active", "progress": 75, "habits": []},
    ]
    assert summarize(goals) == {
        BIA: MenteeProgress(20, 3, dt.date(2026, 11, 23)),  # a paused habit's streak waits
        "user-cai": MenteeProgress(75, 0, None),
    }


def test_as_of_reads_the_time_today_and_the_day_before_that():
    today = dt.date(2026, 11, 24)
    morning = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
    assert as_of(morning, "Europe/Lisbon", today) == "as of 09:30"
    assert as_of(morning, "Asia/Tokyo", dt.date(2026, 11, 24)) == "as of 18:30"
    late = dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.UTC)
    assert as_of(late, "Asia/Tokyo", today) == "as of 08:30"
    assert as_of(late, "America/New_York", today) == "as of yesterday, 18:30"
    assert as_of(late, "America/New_York", dt.date(2026, 11, 25)) == "as of Mon 23 Nov, 18:30"


def _keep(user: UserContext, fetched_at: str) -> None:
    user.store.put_setting(
        KEPT_SETTING,
        {
            "fetchedAt": fetched_at,
            "mentees": {BIA: {"progress": 60, "currentStreak": 4, "lastCheckIn": "2026-11-23"}},
        },
    )


async def test_mentoring_shows_the_kept_figures_as_of_their_time(fake_page: FakePage, screen):
    user = screen.user
    from_server(user.store, Entity.USER, {"userId": BIA, "name": "Bia Lima"})
    from_server(user.store, Entity.GOAL, mentored_goal("g1", USER, userId=BIA, progress=10))
    before = load_mentoring(user).mentees[0]
    assert (before.as_of, before.progress) == (None, 10)  # only what the device holds
    _keep(user, "2026-11-24T09:00:00.000000Z")
    fake_page.render(lambda: MentoringScreen(screen))
    await fake_page.settle(0.3)  # the refresh on open finds no server and keeps these
    card = fake_page.by_id(f"mentee-{BIA}")
    assert card.label == (
        "Bia Lima: 4-day streak, goal progress 60%, Last check-in yesterday, as of 09:00"
    )
    kept = kept_progress(user)
    assert kept is not None and kept.mentees[BIA].current_streak == 4


def test_a_refresh_is_due_on_opening_and_at_most_every_ten_seconds(user: UserContext):
    clock = user.clock
    assert isinstance(clock, FixedClock)
    assert due_for_refresh(user)  # never fetched
    _keep(user, "2026-11-24T09:30:00.000000Z")  # the fixture's now
    assert not due_for_refresh(user)
    clock.advance(seconds=10)
    assert due_for_refresh(user)


@pytest.fixture(scope="module")
def server(server_process, tmp_path_factory):
    return server_process(tmp_path_factory.mktemp("progress-server") / "server.db")


def _call(url: str, query: str, variables: dict[str, Any], who: Account) -> dict[str, Any]:
    data: dict[str, Any] = graphql(url, query, variables, who.token)
    return data


async def test_a_refresh_fetches_her_streak_online_and_offline_the_kept_one_stays(
    server, tmp_path: Path
):
    mentor = sign_up_blocking(server.url, role="MENTOR")
    mentee = sign_up_blocking(server.url)
    goal = _call(
        server.url,
        "mutation($i: CreateGoalInput!) { createGoal(input: $i) { goalId } }",
        {"i": {"title": "Run 5 km", "mentorId": mentor.user_id}},
        mentee,
    )["createGoal"]["goalId"]
    habit = _call(
        server.url,
        "mutation($i: CreateHabitInput!) { createHabit(input: $i) { habitId } }",
        {"i": {"goalId": goal, "title": "Shoes on", "frequency": "daily", "duration": 2}},
        mentee,
    )["createHabit"]["habitId"]
    today = dt.datetime.now(dt.UTC).date()  # her zone is UTC
    for day in (today - dt.timedelta(days=1), today):
        _call(
            server.url,
            "mutation($h: ID!, $d: String!) { completeHabit(habitId: $h, date: $d) { date } }",
            {"h": habit, "d": day.isoformat()},
            mentee,
        )
    his = await Device(tmp_path / "his.db", server.url, poke=False).sign_in(mentor.email)
    try:
        clock = FixedClock(dt.datetime.now(dt.UTC))
        him = UserContext(his.store, clock, mentor.user_id, "UTC")
        kept = await refresh_progress(him)
        progress = _call(
            server.url, "query($g: ID!) { getGoal(goalId: $g) { progress } }", {"g": goal}, mentee
        )["getGoal"]["progress"]
        assert kept.mentees[mentee.user_id] == MenteeProgress(progress, 2, today)
        assert kept_progress(him) == kept
        await his.sync()  # her goal with him arrives: her card shows the fetched figures
        [card] = load_mentoring(him).mentees
        assert (card.current_streak, card.last_check_in, card.as_of) == (2, today, clock.now())
        record = his.store.sync_state()
        assert record.access_token and record.refresh_token
        session = AuthSession(record.access_token, record.refresh_token, mentor.user_id)
        his.store.adopt_session("http://127.0.0.1:9", session)  # nothing answers there
        clock.advance(minutes=5)
        with pytest.raises(online.Unreachable):
            await refresh_progress(him)
        assert kept_progress(him) == kept  # the last online view, with its time
    finally:
        await his.close()
