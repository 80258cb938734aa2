"""Badges over GraphQL: awarded with the completion that earns them, once per key, listed."""

import asyncio
from datetime import date, timedelta

GOAL = "mutation($i: CreateGoalInput!) { createGoal(input: $i) { goalId } }"
HABIT = "mutation($i: CreateHabitInput!) { createHabit(input: $i) { habitId } }"
COMPLETE = """mutation($h: ID!, $d: String!, $n: String) {
  completeHabit(habitId: $h, date: $d, notes: $n) { completed } }"""
BADGES = """query($u: ID!) { listBadgesForUser(userId: $u) {
  badgeId type title description icon metadata earnedAt createdAt user { userId } } }"""
TODAY = date(2026, 11, 24)


async def create_habit(api, owner, frequency="daily", goal_id=None):
    if goal_id is None:
        goal = await api.data(GOAL, {"i": {"title": "Run"}}, as_=owner)
        goal_id = goal["createGoal"]["goalId"]
    habit = await api.data(
        HABIT,
        {"i": {"goalId": goal_id, "title": "Shoes", "frequency": frequency, "duration": 1}},
        as_=owner,
    )
    return habit["createHabit"]["habitId"]


async def seed_completions(api, habit_id, user_id, days, monday_keys=False):
    """Completions written straight to storage (arrangement only)."""
    await api.store.put_many(
        "HabitCompletions",
        [
            {
                "habitId": habit_id,
                "date": (day - timedelta(days=day.weekday()) if monday_keys else day).isoformat(),
                "completedOn": day.isoformat(),
                "userId": user_id,
                "completed": True,
                "createdAt": "2026-11-01T00:00:00.000000Z",
                "updatedAt": "2026-11-01T00:00:00.000000Z",
                "_version": 1,
            }
            for day in days
        ],
    )


def days_back(*offsets):
    return [TODAY - timedelta(days=n) for n in offsets]


async def badge_keys(api, user_id):
    return sorted(b["key"] for b in (await api.store.query("Badges", user_id)).items)


async def test_a_7_day_streak_earns_the_streak_badge_once(api, clock):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)
    await seed_completions(api, habit_id, ann.id, days_back(*range(1, 7)))
    await api.data(COMPLETE, {"h": habit_id, "d": "2026-11-24"}, as_=ann)
    [badge] = (await api.data(BADGES, {"u": ann.id}, as_=ann))["listBadgesForUser"]
    assert badge["type"] == "streak" and badge["title"] == "7-day streak"
    assert badge["metadata"] == {"threshold": 7} and badge["user"] == {"userId": ann.id}
    assert badge["earnedAt"] == badge["createdAt"] == "2026-11-24T12:00:00.000000Z"
    notes = (await api.store.query("Notifications", ann.id)).items
    assert [(n["type"], n["relatedId"]) for n in notes] == [("badge_earned", badge["badgeId"])]
    assert (await api.store.get("Users", {"userId": ann.id}))["badgeKeys"] == ["streak:7"]

    clock.advance(minutes=1)  # completing again, or uncompleting and completing, earns nothing
    await api.data(COMPLETE, {"h": habit_id, "d": "2026-11-24", "n": "again"}, as_=ann)
    await api.data(
        'mutation($h: ID!) { uncompleteHabit(habitId: $h, date: "2026-11-24") { completed } }',
        {"h": habit_id},
        as_=ann,
    )
    await api.data(COMPLETE, {"h": habit_id, "d": "2026-11-24"}, as_=ann)
    assert await badge_keys(api, ann.id) == ["streak:7"]
    assert len((await api.store.query("Notifications", ann.id)).items) == 1


async def test_six_days_in_a_row_earn_no_badge(api):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)
    await seed_completions(api, habit_id, ann.id, days_back(*range(1, 6)))
    await api.data(COMPLETE, {"h": habit_id, "d": "2026-11-24"}, as_=ann)
    assert await badge_keys(api, ann.id) == []
    assert (await api.store.query("Notifications", ann.id)).items == []


async def test_a_14_day_streak_earns_both_thresholds_at_distinct_instants(api):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)
    await seed_completions(api, habit_id, ann.id, days_back(*range(1, 14)))
    await api.data(COMPLETE, {"h": habit_id, "d": "2026-11-24"}, as_=ann)
    badges = (await api.data(BADGES, {"u": ann.id}, as_=ann))["listBadgesForUser"]
    assert [b["title"] for b in badges] == ["14-day streak", "7-day streak"]  # newest first
    assert badges[1]["earnedAt"] == "2026-11-24T12:00:00.000000Z"
    assert badges[0]["earnedAt"] == "2026-11-24T12:00:00.000001Z"
    assert len((await api.store.query("Notifications", ann.id)).items) == 2


async def test_a_badge_earned_at_a_taken_instant_gets_the_next_microsecond(api):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)
    await api.store.put(
        "Badges",
        {
            "userId": ann.id,
            "earnedAt": "2026-11-24T12:00:00.000000Z",
            "badgeId": "00000000-0000-4000-8000-000000000001",
            "key": "session_completion:1",
            "type": "session_completion",
            "title": "First session",
            "description": "Completed 1 mentorship session.",
            "icon": "handshake",
            "createdAt": "2026-11-24T12:00:00.000000Z",
        },
    )
    await seed_completions(api, habit_id, ann.id, days_back(*range(1, 7)))
    await api.data(COMPLETE, {"h": habit_id, "d": "2026-11-24"}, as_=ann)
    earned = {b["key"]: b["earnedAt"] for b in (await api.store.query("Badges", ann.id)).items}
    assert earned == {
        "session_completion:1": "2026-11-24T12:00:00.000000Z",
        "streak:7": "2026-11-24T12:00:00.000001Z",
    }


async def test_weekly_habits_earn_no_day_streak_badges(api):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann, frequency="weekly")
    weeks = [TODAY - timedelta(weeks=n) for n in range(1, 8)]
    await seed_completions(api, habit_id, ann.id, weeks, monday_keys=True)
    await api.data(COMPLETE, {"h": habit_id, "d": "2026-11-24"}, as_=ann)
    assert await badge_keys(api, ann.id) == []


async def consistency_setup(api, done_before_today):
    """A daily habit created 30 days ago, completed on ``done_before_today`` of the 29 days
    before today, every other day first so no long streak forms."""
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)
    await api.store.update(
        "Habits", {"habitId": habit_id}, set={"createdAt": "2026-10-25T08:00:00.000000Z"}
    )
    order = [*range(1, 30, 2), *range(2, 30, 2)]
    await seed_completions(api, habit_id, ann.id, days_back(*order[:done_before_today]))
    await api.data(COMPLETE, {"h": habit_id, "d": "2026-11-24"}, as_=ann)
    return ann


async def test_24_of_30_days_is_80_percent_and_earns_the_consistency_badge(api):
    ann = await consistency_setup(api, 23)
    [badge] = [
        b for b in (await api.store.query("Badges", ann.id)).items if b["type"] == "consistency"
    ]
    assert badge["key"] == "consistency:30d" and badge["metadata"]["days"] == 30
    assert badge["metadata"]["meanRatio"] == 0.8


async def test_23_of_30_days_earn_no_consistency_badge(api):
    ann = await consistency_setup(api, 22)
    assert "consistency:30d" not in await badge_keys(api, ann.id)


async def test_fewer_than_30_days_of_habits_earn_no_consistency_badge(api):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)  # created today: one day of data
    await api.data(COMPLETE, {"h": habit_id, "d": "2026-11-24"}, as_=ann)
    assert await badge_keys(api, ann.id) == []


async def test_racing_completions_award_a_badge_once(api):
    ann = await api.sign_up("Ann")
    first = await create_habit(api, ann)
    second = await create_habit(api, ann)
    for habit_id in (first, second):
        await seed_completions(api, habit_id, ann.id, days_back(*range(1, 7)))
    await asyncio.gather(
        *(api.data(COMPLETE, {"h": h, "d": "2026-11-24"}, as_=ann) for h in (first, second))
    )
    assert await badge_keys(api, ann.id) == ["streak:7"]


BY_TYPE = """query($t: BadgeType!, $l: Int) {
  listBadgesByType(type: $t, limit: $l) { title user { userId } } }"""


async def test_badges_are_public_and_admins_list_them_by_type(api):
    ann = await api.sign_up("Ann")
    bob = await api.sign_up("Bob")
    habit_id = await create_habit(api, ann)
    await seed_completions(api, habit_id, ann.id, days_back(*range(1, 7)))
    await api.data(COMPLETE, {"h": habit_id, "d": "2026-11-24"}, as_=ann)
    seen_by_bob = (await api.data(BADGES, {"u": ann.id}, as_=bob))["listBadgesForUser"]
    assert [b["title"] for b in seen_by_bob] == ["7-day streak"]
    refused = await api.error(BY_TYPE, {"t": "streak"}, as_=bob)
    assert refused["code"] == "FORBIDDEN"
    admin = await api.admin()
    listed = await api.data(BY_TYPE, {"t": "streak", "l": 5}, as_=admin)
    assert listed["listBadgesByType"] == [{"title": "7-day streak", "user": {"userId": ann.id}}]
    assert (await api.data(BY_TYPE, {"t": "reflection"}, as_=admin))["listBadgesByType"] == []
