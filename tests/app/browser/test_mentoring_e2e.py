"""The issue's two-person loops, end to end: two browser contexts (the demo mentee and her
mentor) against one backend and one app.

2. A goal the mentee submits for approval shows in the mentor's Mentoring screen; he
   approves it there (a queued patch); her open app shows it active, with a notification.
"""

from __future__ import annotations

import re

from tests.app.browser.harness import MENTEE, MENTOR, WIDE, graphql, new_tab, sign_in_token

CREATE = """mutation($i: CreateGoalInput!) { createGoal(input: $i) { goalId } }"""
SUBMIT = "mutation($id: ID!) { submitGoalForApproval(goalId: $id) { status } }"
GET = "query($id: ID!) { getGoal(goalId: $id) { status } }"


def _unread(label: str) -> int:
    found = re.search(r"(\d+) unread", label)
    return int(found.group(1)) if found else 0


def test_a_goal_approved_in_the_mentors_app_is_active_in_the_mentees(
    browser, backend, app_process, shots
):
    ana_token, _ = sign_in_token(backend.url, MENTEE)
    _, maya_id = sign_in_token(backend.url, MENTOR)
    ana = new_tab(browser, app_process.url, shots / "mentee", WIDE).open()
    maya = new_tab(browser, app_process.url, shots / "mentor", WIDE).open()
    ana.sign_in(MENTEE)
    ana.wait_text("sync-status", "Synced", timeout=60)
    maya.sign_in(MENTOR)
    maya.wait_text("sync-status", "Synced", timeout=60)
    maya.wait_for("nav-mentoring")
    maya.click("nav-mentoring")
    before = _unread(ana.text("nav-notifications"))

    goal_id = graphql(
        backend.url,
        CREATE,
        {"i": {"title": "Swim 1 km without stopping", "mentorId": maya_id}},
        ana_token,
    )["createGoal"]["goalId"]
    graphql(backend.url, SUBMIT, {"id": goal_id}, ana_token)

    maya.wait_for(f"goal-approve-{goal_id}", timeout=60)  # pulled after the server's poke
    maya.shot("mentoring-waiting")
    maya.click(f"goal-approve-{goal_id}")
    maya.wait_text("sync-status", "Synced", timeout=60)
    assert graphql(backend.url, GET, {"id": goal_id}, ana_token)["getGoal"]["status"] == "active"

    ana.wait_for("nav-goals")
    ana.click("nav-goals")
    ana.wait_for(f"goal-complete-{goal_id}", timeout=60)  # only an active goal completes
    assert _unread(ana.wait_text("nav-notifications", r"Notifications, \d+ unread")) > before
    ana.shot("goals-approved")
    ana.click("nav-notifications")
    ana.wait_text("notifications-title", "Notifications")
    ana.shot("notifications")
