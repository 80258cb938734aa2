"""Habits over GraphQL: creation rules, edits, status changes, lists and on-read statistics."""

import uuid

import pytest

GOAL = "mutation($i: CreateGoalInput!) { createGoal(input: $i) { goalId } }"
HABIT_FIELDS = """habitId title description frequency duration reward status
  cue { time place context } currentStreak longestStreak completionRate
  goal { goalId } user { userId } completions { date } createdAt"""
CREATE = f"mutation($i: CreateHabitInput!) {{ createHabit(input: $i) {{ {HABIT_FIELDS} }} }}"
UPDATE = f"""mutation($id: ID!, $i: UpdateHabitInput!) {{
  updateHabit(habitId: $id, input: $i) {{ {HABIT_FIELDS} }} }}"""
GET = f"query($id: ID!) {{ getHabit(habitId: $id) {{ {HABIT_FIELDS} }} }}"
PAUSE = "mutation($id: ID!) { pauseHabit(habitId: $id) { status } }"
RESUME = "mutation($id: ID!) { resumeHabit(habitId: $id) { status } }"
SET_STATUS = """mutation($id: ID!, $s: HabitStatus!) {
  setHabitStatus(habitId: $id, status: $s) { status } }"""
COMPLETE = """mutation($h: ID!, $d: String!) { completeHabit(habitId: $h, date: $d) { date } }"""
STATS = """query($id: ID!) { getHabitStats(habitId: $id) {
  habitId currentStreak longestStreak completionRate totalCompletions
  last30Days { date completed } } }"""
STREAKS = (
    "query($id: ID!) { getHabit(habitId: $id) { currentStreak longestStreak completionRate } }"
)


async def create_goal(api, owner, **fields):
    data = await api.data(GOAL, {"i": {"title": "Become a runner", **fields}}, as_=owner)
    return data["createGoal"]["goalId"]


def habit_input(goal_id, **fields):
    return {
        "goalId": goal_id,
        "title": "Put on shoes",
        "frequency": "daily",
        "duration": 2,
        **fields,
    }


async def create_habit(api, owner, goal_id, **fields):
    return (await api.data(CREATE, {"i": habit_input(goal_id, **fields)}, as_=owner))["createHabit"]


async def habits_in_storage(api):
    return (await api.store.scan("Habits")).items


async def seed_completions(api, habit_id, user_id, days):
    """Completions written straight to storage (arrangement only)."""
    await api.store.put_many(
        "HabitCompletions",
        [
            {
                "habitId": habit_id,
                "date": day,
                "completedOn": day,
                "userId": user_id,
                "completed": True,
                "createdAt": "2026-11-01T00:00:00.000000Z",
                "updatedAt": "2026-11-01T00:00:00.000000Z",
                "_version": 1,
            }
            for day in days
        ],
    )


def reissue(api, *people):
    for person in people:
        person.token = api.services.tokens.issue(person.id).access_token


async def test_a_new_habit_is_active_with_an_empty_cue_and_no_streak(api):
    ann = await api.sign_up("Ann")
    goal_id = await create_goal(api, ann)
    habit = await create_habit(api, ann, goal_id, reward="coffee")
    assert habit["status"] == "active" and habit["frequency"] == "daily"
    assert habit["cue"] == {"time": None, "place": None, "context": None}
    assert (habit["currentStreak"], habit["longestStreak"], habit["completionRate"]) == (0, 0, 0.0)
    assert habit["goal"] == {"goalId": goal_id} and habit["user"] == {"userId": ann.id}
    assert habit["completions"] == [] and habit["reward"] == "coffee"
    [stored] = await habits_in_storage(api)
    assert stored["cue"] == {} and stored["userId"] == ann.id
    assert (stored["currentStreak"], stored["longestStreak"], stored["completionRate"]) == (0, 0, 0)


async def test_a_cue_and_a_client_generated_id_are_kept(api):
    ann = await api.sign_up("Ann")
    goal_id = await create_goal(api, ann)
    habit_id = str(uuid.uuid4())
    cue = {"time": "after breakfast", "place": "at the door", "context": None}
    habit = await create_habit(api, ann, goal_id, habitId=habit_id, cue=cue, frequency="weekly")
    assert habit["habitId"] == habit_id and habit["cue"] == cue and habit["frequency"] == "weekly"
    again = await api.error(CREATE, {"i": habit_input(goal_id, habitId=habit_id)}, as_=ann)
    assert (again["code"], again["field"]) == ("CONFLICT", "habitId")
    assert len(await habits_in_storage(api)) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"duration": 3}, "duration"),  # a micro-habit takes at most 2 minutes
        ({"duration": 0}, "duration"),
        ({"title": " "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"habitId": "habit-1"}, "habitId"),
        ({"goalId": "goal-1"}, "goalId"),
        ({"goalId": str(uuid.uuid4())}, "goalId"),  # no such goal
        ({"cue": {"time": "x" * 201}}, "cue.time"),
    ],
)
async def test_bad_habit_input_is_refused_with_its_field_and_nothing_is_written(api, change, field):
    ann = await api.sign_up("Ann")
    goal_id = await create_goal(api, ann)
    error = await api.error(CREATE, {"i": {**habit_input(goal_id), **change}}, as_=ann)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)
    assert await habits_in_storage(api) == []


async def test_two_minutes_is_the_longest_habit(api):
    ann = await api.sign_up("Ann")
    goal_id = await create_goal(api, ann)
    assert (await create_habit(api, ann, goal_id, duration=1))["duration"] == 1
    assert (await create_habit(api, ann, goal_id, duration=2))["duration"] == 2


async def test_a_habit_needs_a_goal_the_caller_owns_that_is_not_archived(api):
    ann = await api.sign_up("Ann")
    bob = await api.sign_up("Bob")
    goal_id = await create_goal(api, ann)
    theirs = await api.error(CREATE, {"i": habit_input(goal_id)}, as_=bob)
    assert theirs["code"] == "FORBIDDEN"
    await api.data(
        "mutation($id: ID!) { archiveGoal(goalId: $id) { status } }", {"id": goal_id}, as_=ann
    )
    archived = await api.error(CREATE, {"i": habit_input(goal_id)}, as_=ann)
    assert (archived["code"], archived["field"]) == ("CONFLICT", "goalId")
    assert await habits_in_storage(api) == []


async def test_update_changes_only_the_fields_sent(api):
    ann = await api.sign_up("Ann")
    goal_id = await create_goal(api, ann)
    habit = await create_habit(api, ann, goal_id, description="old", cue={"place": "hall"})
    updated = await api.data(
        UPDATE, {"id": habit["habitId"], "i": {"title": "Lace up", "duration": 1}}, as_=ann
    )
    after = updated["updateHabit"]
    assert (after["title"], after["duration"], after["description"]) == ("Lace up", 1, "old")
    assert after["cue"]["place"] == "hall"
    no_cue = await api.data(UPDATE, {"id": habit["habitId"], "i": {"cue": None}}, as_=ann)
    assert no_cue["updateHabit"]["cue"] == {"time": None, "place": None, "context": None}
    for change, field in (({"duration": 3}, "duration"), ({"title": None}, "title")):
        error = await api.error(UPDATE, {"id": habit["habitId"], "i": change}, as_=ann)
        assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)
    [stored] = await habits_in_storage(api)
    assert (stored["title"], stored["duration"], stored["cue"]) == ("Lace up", 1, {})


async def test_active_habits_pause_and_paused_habits_resume(api):
    ann = await api.sign_up("Ann")
    goal_id = await create_goal(api, ann)
    habit_id = (await create_habit(api, ann, goal_id))["habitId"]
    assert (await api.error(RESUME, {"id": habit_id}, as_=ann))["code"] == "CONFLICT"
    assert (await api.data(PAUSE, {"id": habit_id}, as_=ann))["pauseHabit"]["status"] == "paused"
    assert (await api.error(PAUSE, {"id": habit_id}, as_=ann))["code"] == "CONFLICT"
    resumed = await api.data(RESUME, {"id": habit_id}, as_=ann)
    assert resumed["resumeHabit"]["status"] == "active"
    done = await api.data(SET_STATUS, {"id": habit_id, "s": "completed"}, as_=ann)
    assert done["setHabitStatus"]["status"] == "completed"
    [stored] = await habits_in_storage(api)
    assert stored["status"] == "completed"


async def test_habit_lists_are_newest_first_and_filter_by_status(api, clock):
    ann = await api.sign_up("Ann")
    goal_a = await create_goal(api, ann)
    goal_b = await create_goal(api, ann)
    ids = {}
    for title, goal_id in (("One", goal_a), ("Two", goal_b), ("Three", goal_a)):
        ids[title] = (await create_habit(api, ann, goal_id, title=title))["habitId"]
        clock.advance(seconds=1)
    await api.data(PAUSE, {"id": ids["Three"]}, as_=ann)
    query = """query($u: ID!, $s: HabitStatus, $g: ID!) {
      all: listHabitsForUser(userId: $u) { title }
      filtered: listHabitsForUser(userId: $u, status: $s) { title }
      goal: listHabitsForGoal(goalId: $g) { title }
      one: listHabitsForGoal(goalId: $g, limit: 1) { title }
      nested: getGoal(goalId: $g) { habits { title } } }"""
    data = await api.data(query, {"u": ann.id, "s": "active", "g": goal_a}, as_=ann)
    titles = {k: [h["title"] for h in v] for k, v in data.items() if k != "nested"}
    assert titles == {
        "all": ["Three", "Two", "One"],
        "filtered": ["Two", "One"],
        "goal": ["Three", "One"],
        "one": ["Three"],
    }
    assert [h["title"] for h in data["nested"]["habits"]] == ["Three", "One"]


async def test_streaks_and_rate_are_computed_when_read_as_days_pass(api, clock):
    ann = await api.sign_up("Ann")
    goal_id = await create_goal(api, ann)
    habit_id = (await create_habit(api, ann, goal_id))["habitId"]
    await api.store.update(
        "Habits", {"habitId": habit_id}, set={"createdAt": "2026-11-15T09:00:00.000000Z"}
    )
    # created on the 15th: 10 days through the 24th; done 16-18 and 21-23 (3 in a row each);
    # today (the 24th) is still open, so the streak stands
    days = ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-21", "2026-11-22"]
    await seed_completions(api, habit_id, ann.id, days)
    await api.data(COMPLETE, {"h": habit_id, "d": "2026-11-23"}, as_=ann)
    read = (await api.data(STREAKS, {"id": habit_id}, as_=ann))["getHabit"]
    assert read == {"currentStreak": 3, "longestStreak": 3, "completionRate": 60.0}
    [stored] = await habits_in_storage(api)  # the snapshot written with the completion
    assert (stored["currentStreak"], stored["longestStreak"], stored["completionRate"]) == (
        3,
        3,
        60,
    )

    clock.advance(days=1)  # the 25th: the 24th was missed, and no write happened
    reissue(api, ann)
    read = (await api.data(STREAKS, {"id": habit_id}, as_=ann))["getHabit"]
    assert read == {"currentStreak": 0, "longestStreak": 3, "completionRate": 54.5}


async def test_habit_stats_show_the_last_30_local_days(api):
    kim = await api.sign_up("Kim", time_zone="Pacific/Auckland")  # already the 25th there
    goal_id = await create_goal(api, kim)
    habit_id = (await create_habit(api, kim, goal_id))["habitId"]
    await api.data(COMPLETE, {"h": habit_id, "d": "2026-11-25"}, as_=kim)
    await api.data(COMPLETE, {"h": habit_id, "d": "2026-11-24"}, as_=kim)
    stats = (await api.data(STATS, {"id": habit_id}, as_=kim))["getHabitStats"]
    history = stats.pop("last30Days")
    assert stats == {
        "habitId": habit_id,
        "currentStreak": 2,
        "longestStreak": 2,
        "completionRate": 100.0,  # the 24th is before creation (the 25th, local)
        "totalCompletions": 2,
    }
    assert len(history) == 30
    assert history[0] == {"date": "2026-10-27", "completed": False}
    assert history[-2:] == [
        {"date": "2026-11-24", "completed": True},
        {"date": "2026-11-25", "completed": True},
    ]


async def test_a_weekly_habit_counts_weeks(api):
    ann = await api.sign_up("Ann")
    goal_id = await create_goal(api, ann)
    habit_id = (await create_habit(api, ann, goal_id, frequency="weekly"))["habitId"]
    await api.store.update(
        "Habits", {"habitId": habit_id}, set={"createdAt": "2026-11-10T09:00:00.000000Z"}
    )
    # weeks of the 9th, 16th and 23rd; done in the last two (the 16th's on its Thursday)
    await api.data(COMPLETE, {"h": habit_id, "d": "2026-11-19"}, as_=ann)
    await api.data(COMPLETE, {"h": habit_id, "d": "2026-11-24"}, as_=ann)
    stats = (await api.data(STATS, {"id": habit_id}, as_=ann))["getHabitStats"]
    assert (stats["currentStreak"], stats["longestStreak"]) == (2, 2)
    assert stats["completionRate"] == 66.7 and stats["totalCompletions"] == 2
    days_done = [d["date"] for d in stats["last30Days"] if d["completed"]]
    assert days_done == ["2026-11-19", "2026-11-24"]


async def test_unknown_habits_read_as_null_or_not_found(api):
    ann = await api.sign_up("Ann")
    missing = str(uuid.uuid4())
    assert (await api.data(GET, {"id": missing}, as_=ann))["getHabit"] is None
    assert (await api.error(STATS, {"id": missing}, as_=ann))["code"] == "NOT_FOUND"
    assert (await api.error(PAUSE, {"id": missing}, as_=ann))["code"] == "NOT_FOUND"
