"""MentoringScreen and the role-aware shell with no client: the feed opens to a reply box,
a reply and an approval are queued locally, a mentor's navigation has Mentoring."""

from __future__ import annotations

from dataclasses import replace

import flet as ft

from app.state.context import ScreenContext, UserContext
from app.state.routes import parse_route
from app.views.mentoring import MentoringScreen
from app.views.shell import Shell, ShellProps
from sync import Entity, SyncStatus
from tests.app.flet_page import FakePage
from tests.app.seeding import from_server
from tests.app.test_mentoring_state import MENTEE, seed


def show(fake_page: FakePage, screen: ScreenContext) -> list[str]:
    told: list[str] = []
    ctx = replace(screen, notify=told.append)
    fake_page.render(lambda: MentoringScreen(ctx))
    return told


async def test_a_reply_opens_from_the_feed_and_is_queued(fake_page, screen):
    seed(screen.user)
    told = show(fake_page, screen)
    await fake_page.settle()
    assert "Bia Lima · Mon 23 Nov" in fake_page.texts()  # her day, not relative words
    assert "1 mentee · 1 to answer · 1 to approve" in fake_page.texts()
    assert not fake_page.find(lambda c: getattr(c, "identifier", None) == "feedback-text")
    await fake_page.click(fake_page.by_id("mentor-reflection-r-new"))
    await fake_page.settle()
    await fake_page.type_into(fake_page.by_id("feedback-text"), "Sleep first, run after")
    await fake_page.click(fake_page.by_id("feedback-send"))
    await fake_page.settle()
    row = screen.user.store.get(Entity.REFLECTION, {"userId": MENTEE, "date": "2026-11-23"})
    assert row is not None and row["mentorFeedback"]["feedback"] == "Sleep first, run after"
    assert told == ["Reply saved; it syncs next"]


async def test_an_empty_reply_is_refused_and_says_why(fake_page, screen):
    seed(screen.user)
    told = show(fake_page, screen)
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("mentor-reflection-r-new"))
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("feedback-send"))
    await fake_page.settle()
    assert told == ["Not sent: Must not be empty"]
    assert screen.user.store.pending() == 0


async def test_approve_moves_the_goal_out_of_the_waiting_list(fake_page, screen):
    seed(screen.user)
    show(fake_page, screen)
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("goal-approve-g-wait"))
    await fake_page.settle()
    goal = screen.user.store.get(Entity.GOAL, {"goalId": "g-wait"})
    assert goal is not None and goal["status"] == "active"
    assert not fake_page.find(lambda c: getattr(c, "identifier", None) == "goal-approve-g-wait")


async def test_no_mentees_yet_says_what_will_show(fake_page, screen):
    from_server(screen.user.store, Entity.TODO)  # a first pull that brought nothing of his
    show(fake_page, screen)
    await fake_page.settle()
    assert "No mentees yet" in fake_page.texts()


async def test_before_the_first_pull_an_empty_screen_says_it_is_fetching(fake_page, screen):
    show(fake_page, screen)
    await fake_page.settle()
    assert "Fetching your mentees" in fake_page.texts()
    assert "No mentees yet" not in fake_page.texts()


async def test_a_mentor_navigates_mentoring_and_profile(fake_page, user: UserContext):
    async def sync_now() -> None:
        return None

    props = ShellProps(
        ScreenContext(user),
        parse_route("/mentoring"),
        SyncStatus(0, 0),
        1000,
        sync_now,
        lambda: None,
        "Ana",
        role="MENTOR",
    )
    fake_page.render(lambda: Shell(props))
    await fake_page.settle()
    rail = fake_page.find(lambda c: isinstance(c, ft.NavigationRail))[0]
    assert [d.icon.identifier for d in rail.destinations] == [
        "nav-mentoring",
        "nav-sessions",
        "nav-events",
        "nav-profile",
    ]
    assert rail.selected_index == 0
    assert "Mentoring" in fake_page.texts()


async def test_sending_back_offline_says_so_and_keeps_the_note(fake_page, screen):
    seed(screen.user)  # the device's server is 127.0.0.1:9, where nothing answers
    told = show(fake_page, screen)
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("goal-return-g-wait"))
    await fake_page.settle()
    await fake_page.type_into(fake_page.by_id("goal-return-note-g-wait"), "Make it measurable")
    await fake_page.click(fake_page.by_id("goal-return-send-g-wait"))
    await fake_page.settle(0.5)
    assert told == ["Sending a goal back needs a connection; your note is kept"]
    assert fake_page.by_id("goal-return-note-g-wait").content.value == "Make it measurable"
    goal = screen.user.store.get(Entity.GOAL, {"goalId": "g-wait"})
    assert goal is not None and goal["status"] == "pending_approval"
