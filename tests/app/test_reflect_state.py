"""The reflections state layer on a real device file: what is loaded, what each save queues."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.state.context import UserContext
from app.state.reflect import (
    MENTOR_FALLBACK_NAME,
    ReflectionDraft,
    WeeklyAnswers,
    load_reflect,
    mentors_of,
    save_reflection,
)
from domain.clock import FixedClock
from domain.errors import RuleViolation
from sync import DeviceStore, Entity
from tests.app.conftest import USER
from tests.app.seeding import from_server, mentored_goal, shared_reflection

TODAY = "2026-11-24"
SUNDAY = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
ANSWERS = WeeklyAnswers("ran 3 times", "early mornings", "sleep first", ("friends", " ", "rain"))


def pending_outbox(store: DeviceStore) -> int:
    return store.status().pending


def test_a_new_reflection_is_queued_with_mood_and_text(user: UserContext) -> None:
    save_reflection(user, ReflectionDraft(mood="GOOD", text="  a calm day "))
    row = user.store.get(Entity.REFLECTION, {"userId": USER, "date": TODAY})
    assert row is not None and row["_pending"]
    assert (row["mood"], row["text"], row["isShared"]) == ("GOOD", "a calm day", False)
    model = load_reflect(user)
    assert model.todays is not None and model.todays.mood == "GOOD" and model.todays.pending
    assert model.history == () and not model.weekly_day


def test_saving_again_changes_only_today_and_keeps_one_entry(user: UserContext) -> None:
    save_reflection(user, ReflectionDraft(mood="GOOD", text="first"))
    save_reflection(user, ReflectionDraft(mood="GREAT", text="second"))
    rows = user.store.query(Entity.REFLECTION, userId=USER)
    assert [(r["date"], r["mood"], r["text"]) for r in rows] == [(TODAY, "GREAT", "second")]


def test_a_new_reflection_needs_a_mood_and_writes_nothing_without(user: UserContext) -> None:
    with pytest.raises(RuleViolation) as err:
        save_reflection(user, ReflectionDraft(mood=None, text="no mood"))
    assert err.value.field == "mood"
    with pytest.raises(RuleViolation):
        save_reflection(user, ReflectionDraft(mood="SLEEPY"))
    assert pending_outbox(user.store) == 0


def test_the_weekly_form_on_a_weekday_is_refused_with_the_domains_message(
    user: UserContext,
) -> None:
    with pytest.raises(RuleViolation) as err:
        save_reflection(user, ReflectionDraft(mood="GOOD", weekly=ANSWERS))
    assert str(err.value.message) == "a weekly reflection is written on a Sunday"
    assert pending_outbox(user.store) == 0


def test_the_weekly_form_on_sunday_is_queued_as_content(
    user: UserContext, clock: FixedClock
) -> None:
    clock.set(SUNDAY)
    assert load_reflect(user).weekly_day
    save_reflection(user, ReflectionDraft(mood="GREAT", text="good week", weekly=ANSWERS))
    row = user.store.get(Entity.REFLECTION, {"userId": USER, "date": "2026-11-29"})
    assert row is not None
    assert row["content"] == {
        "whatWentWell": "ran 3 times",
        "whatFeltHard": "early mornings",
        "insights": "sleep first",
        "gratitude": ["friends", "rain"],
    }
    todays = load_reflect(user).todays
    assert todays is not None and todays.weekly is not None
    assert todays.weekly.gratitude == ("friends", "rain")


def test_an_unanswered_weekly_question_is_refused(user: UserContext, clock: FixedClock) -> None:
    clock.set(SUNDAY)
    with pytest.raises(RuleViolation) as err:
        save_reflection(user, ReflectionDraft(mood="GOOD", weekly=WeeklyAnswers("a", "", "c")))
    assert err.value.field == "content.whatFeltHard"
    assert pending_outbox(user.store) == 0


def test_mentors_come_from_goals_and_sessions_with_their_synced_names(user: UserContext) -> None:
    from_server(
        user.store,
        Entity.GOAL,
        mentored_goal("g1", "m-zoe"),
        mentored_goal("g2", "m-bea"),
        mentored_goal("g3", "m-old", status="archived"),
        {"goalId": "g4", "userId": USER, "title": "solo"},
        mentored_goal("theirs", "m-x", userId="someone-else"),
    )
    from_server(
        user.store,
        Entity.SESSION,
        {"sessionId": "s1", "menteeId": USER, "mentorId": "m-carl"},
        {"sessionId": "s2", "menteeId": USER, "mentorId": "m-zoe"},
    )
    from_server(
        user.store,
        Entity.USER,
        {"userId": "m-zoe", "name": "Zoe Lima"},
        {"userId": "m-bea", "name": "Bea Costa"},
    )
    assert [(m.user_id, m.name) for m in mentors_of(user)] == [
        ("m-bea", "Bea Costa"),
        ("m-carl", MENTOR_FALLBACK_NAME),
        ("m-zoe", "Zoe Lima"),
    ]


def test_sharing_with_one_mentor_picks_that_mentor(user: UserContext) -> None:
    from_server(user.store, Entity.GOAL, mentored_goal("g1", "m-zoe"))
    save_reflection(user, ReflectionDraft(mood="GOOD", share=True))
    row = user.store.get(Entity.REFLECTION, {"userId": USER, "date": TODAY})
    assert row is not None and (row["isShared"], row["sharedWithMentorId"]) == (True, "m-zoe")


def test_sharing_among_several_mentors_needs_a_choice_of_one_of_them(user: UserContext) -> None:
    from_server(user.store, Entity.GOAL, mentored_goal("g1", "m-zoe"), mentored_goal("g2", "m-bea"))
    for draft, field in (
        (ReflectionDraft(mood="GOOD", share=True), "mentorId"),
        (ReflectionDraft(mood="GOOD", share=True, mentor_id="stranger"), "mentorId"),
    ):
        with pytest.raises(RuleViolation) as err:
            save_reflection(user, draft)
        assert err.value.field == field
    assert pending_outbox(user.store) == 0
    save_reflection(user, ReflectionDraft(mood="GOOD", share=True, mentor_id="m-bea"))
    row = user.store.get(Entity.REFLECTION, {"userId": USER, "date": TODAY})
    assert row is not None and row["sharedWithMentorId"] == "m-bea"


def test_sharing_without_a_mentor_says_so(user: UserContext) -> None:
    with pytest.raises(RuleViolation, match="no mentor"):
        save_reflection(user, ReflectionDraft(mood="GOOD", share=True))


def test_unsharing_is_queued(user: UserContext) -> None:
    from_server(user.store, Entity.GOAL, mentored_goal("g1", "m-zoe"))
    save_reflection(user, ReflectionDraft(mood="GOOD", share=True))
    save_reflection(user, ReflectionDraft(mood="GOOD", share=False))
    row = user.store.get(Entity.REFLECTION, {"userId": USER, "date": TODAY})
    assert row is not None and row["isShared"] is False


def test_history_is_newest_first_with_feedback_insights_and_trends(user: UserContext) -> None:
    from_server(user.store, Entity.USER, {"userId": "m-zoe", "name": "Zoe Lima"})
    from_server(user.store, Entity.GOAL, mentored_goal("g1", "m-zoe"))
    from_server(
        user.store,
        Entity.REFLECTION,
        {"userId": USER, "date": "2026-11-20", "mood": "GOOD", "text": "older"},
        shared_reflection(
            "2026-11-22",
            "m-zoe",
            "Proud of you",
            feedback_at="2026-11-23T08:00:00.000000Z",
            mood="GREAT",
            text="shared",
            aiInsights="You sleep better after runs.",
        ),
        {"userId": USER, "date": "2026-08-01", "mood": "AWFUL"},
    )
    from_server(
        user.store,
        Entity.HABIT_COMPLETION,
        {"habitId": "h", "date": "2026-11-23", "userId": USER, "completed": True},
        {"habitId": "h", "date": "2026-11-24", "userId": USER, "completed": True},
        {"habitId": "h", "date": "2026-11-17", "userId": USER, "completed": False},
    )
    model = load_reflect(user)
    assert [r.day.isoformat() for r in model.history] == ["2026-11-22", "2026-11-20", "2026-08-01"]
    shared = model.history[0]
    assert shared.shared_with is not None and shared.shared_with.name == "Zoe Lima"
    assert shared.feedback is not None
    assert (shared.feedback.mentor_name, shared.feedback.text) == ("Zoe Lima", "Proud of you")
    assert shared.ai_insights == "You sleep better after runs." and not shared.pending
    assert [v for _, v in model.mood_trend] == [4, 5]
    assert len(load_reflect(user, trend_days=90).mood_trend) == 2
    assert len(load_reflect(user, trend_days=120).mood_trend) == 3
    assert model.weekly_completions[-1][1] == 2 and model.weekly_completions[-2][1] == 0
