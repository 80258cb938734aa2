"""The mentor's state on a real device file: the feed, the waiting goals, the mentees, and
the reply and the approval queued as patches (bad input refused, nothing written)."""

from __future__ import annotations

import pytest

from app.state.context import UserContext
from app.state.mentoring import approve_goal, load_mentoring, send_feedback
from app.state.role import role_of
from domain.errors import InvalidTransition, NotAllowed, RuleViolation
from sync import Entity
from tests.app.conftest import USER
from tests.app.seeding import from_server, user_profile

MENTEE = "user-bia"


def seed(user: UserContext) -> None:
    store = user.store
    from_server(
        store,
        Entity.USER,
        user_profile(USER, role="MENTOR"),
        {"userId": MENTEE, "name": "Bia Lima", "role": "MENTEE"},
    )
    from_server(
        store,
        Entity.REFLECTION,
        {
            "userId": MENTEE,
            "date": "2026-11-20",
            "mood": "GOOD",
            "text": "Ran twice",
            "isShared": True,
            "sharedWithMentorId": USER,
            "reflectionId": "r-old",
            "mentorFeedback": {"mentorId": USER, "feedback": "Great start"},
        },
        {
            "userId": MENTEE,
            "date": "2026-11-23",
            "mood": "OKAY",
            "text": "Tired",
            "isShared": True,
            "sharedWithMentorId": USER,
            "reflectionId": "r-new",
        },
        {
            "userId": MENTEE,
            "date": "2026-11-22",
            "mood": "BAD",
            "text": "private",
            "isShared": False,
            "sharedWithMentorId": USER,
            "reflectionId": "r-private",
        },
    )
    from_server(
        store,
        Entity.GOAL,
        {
            "goalId": "g-wait",
            "userId": MENTEE,
            "mentorId": USER,
            "title": "Run 5k",
            "status": "pending_approval",
            "progress": 0,
        },
        {
            "goalId": "g-live",
            "userId": MENTEE,
            "mentorId": USER,
            "title": "Read daily",
            "status": "active",
            "progress": 60,
        },
        {
            "goalId": "g-other",
            "userId": MENTEE,
            "mentorId": "user-zed",
            "title": "Not mine",
            "status": "pending_approval",
        },
    )
    from_server(
        store,
        Entity.HABIT,
        {
            "habitId": "h1",
            "userId": MENTEE,
            "goalId": "g-live",
            "title": "Read",
            "status": "active",
            "currentStreak": 4,
        },
    )
    from_server(
        store,
        Entity.HABIT_COMPLETION,
        {
            "userId": MENTEE,
            "habitId": "h1",
            "date": "2026-11-23",
            "completedOn": "2026-11-23",
            "completed": True,
        },
    )


def test_the_feed_is_what_was_shared_with_me_newest_first(user: UserContext):
    seed(user)
    model = load_mentoring(user)
    assert [(f.reflection_id, f.unread) for f in model.feed] == [("r-new", True), ("r-old", False)]
    assert model.unread == 1
    assert model.feed[0].mentee_name == "Bia Lima"
    assert [w.goal_id for w in model.waiting] == ["g-wait"]
    (bia,) = model.mentees
    assert (bia.name, bia.goals, bia.current_streak) == ("Bia Lima", ("Read daily", "Run 5k"), 4)
    assert bia.last_check_in is not None and bia.last_check_in.isoformat() == "2026-11-23"
    assert role_of(user) == "MENTOR"


def test_a_reply_is_a_queued_patch_shown_at_once(user: UserContext):
    seed(user)
    item = load_mentoring(user).feed[0]
    send_feedback(user, item, "  Rest well, then go again  ")
    row = user.store.get(Entity.REFLECTION, {"userId": MENTEE, "date": "2026-11-23"})
    assert row is not None and row["_pending"]
    assert row["mentorFeedback"]["feedback"] == "Rest well, then go again"
    assert user.store.pending() == 1
    again = load_mentoring(user).feed[0]
    assert (again.feedback, again.pending, again.unread) == (
        "Rest well, then go again",
        True,
        False,
    )


def test_a_blank_reply_or_one_to_a_private_reflection_changes_nothing(user: UserContext):
    seed(user)
    item = load_mentoring(user).feed[0]
    with pytest.raises(RuleViolation):
        send_feedback(user, item, "   ")
    private = type(item)(**{**item.__dict__, "day": item.day.replace(day=22)})
    with pytest.raises(RuleViolation):
        send_feedback(user, private, "peek")
    assert user.store.pending() == 0


def test_approving_queues_the_status_and_only_my_waiting_goals(user: UserContext):
    seed(user)
    approve_goal(user, "g-wait")
    goal = user.store.get(Entity.GOAL, {"goalId": "g-wait"})
    assert goal is not None and goal["status"] == "active" and goal["_pending"]
    assert load_mentoring(user).waiting == ()
    with pytest.raises(InvalidTransition):
        approve_goal(user, "g-live")
    with pytest.raises(NotAllowed):
        approve_goal(user, "g-other")
    with pytest.raises(RuleViolation):
        approve_goal(user, "missing")
    assert user.store.pending() == 1


def test_an_account_without_a_profile_is_a_mentee(user: UserContext):
    assert role_of(user) == "MENTEE"
    assert load_mentoring(user).feed == ()
