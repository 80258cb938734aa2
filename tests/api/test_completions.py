"""Habit completions over GraphQL: local dates, the 7-day window, one per period, un-completing,
and the completion lists."""

import random
import uuid
from datetime import date, timedelta

import pytest

from backend.changefeed.wire import wire_item
from backend.services.completions import RECENT_ATTR, SETTLED_ATTR
from domain.settled_streaks import SETTLE_MARGIN_DAYS
from domain.streaks import habit_stats

GOAL = "mutation($i: CreateGoalInput!) { createGoal(input: $i) { goalId } }"
HABIT = "mutation($i: CreateHabitInput!) { createHabit(input: $i) { habitId } }"
FIELDS = (
    "habitId date completed notes evidence createdAt updatedAt habit { habitId } user { userId }"
)
COMPLETE = f"""mutation($h: ID!, $d: String!, $n: String, $e: String) {{
  completeHabit(habitId: $h, date: $d, notes: $n, evidence: $e) {{ {FIELDS} }} }}"""
UNCOMPLETE = f"""mutation($h: ID!, $d: String!) {{
  uncompleteHabit(habitId: $h, date: $d) {{ {FIELDS} }} }}"""
GET = "query($h: ID!, $d: String!) { getHabitCompletion(habitId: $h, date: $d) { date completed } }"
STREAK = "query($h: ID!) { getHabit(habitId: $h) { currentStreak completionRate } }"
STREAK_AND_LONGEST = (
    "query($h: ID!) { getHabit(habitId: $h) { currentStreak longestStreak completionRate } }"
)
UPDATE_HABIT = """mutation($id: ID!, $i: UpdateHabitInput!) {
  updateHabit(habitId: $id, input: $i) { habitId } }"""


async def create_habit(api, owner, frequency="daily"):
    goal = await api.data(GOAL, {"i": {"title": "Run"}}, as_=owner)
    habit = await api.data(
        HABIT,
        {
            "i": {
                "goalId": goal["createGoal"]["goalId"],
                "title": "Shoes on",
                "frequency": frequency,
                "duration": 1,
            }
        },
        as_=owner,
    )
    return habit["createHabit"]["habitId"]


async def complete(api, person, habit_id, day, **extra):
    data = await api.data(COMPLETE, {"h": habit_id, "d": day, **extra}, as_=person)
    return data["completeHabit"]


async def stored_completions(api):
    return (await api.store.scan("HabitCompletions")).items


async def test_completing_today_stores_the_completion_and_refreshes_the_habit(api):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)
    done = await complete(
        api, ann, habit_id, "2026-11-24", n="felt good", e="https://img.example.com/1.jpg"
    )
    assert done == {
        "habitId": habit_id,
        "date": "2026-11-24",
        "completed": True,
        "notes": "felt good",
        "evidence": "https://img.example.com/1.jpg",
        "createdAt": "2026-11-24T12:00:00.000000Z",
        "updatedAt": "2026-11-24T12:00:00.000000Z",
        "habit": {"habitId": habit_id},
        "user": {"userId": ann.id},
    }
    [stored] = await stored_completions(api)
    assert stored["completedOn"] == "2026-11-24" and stored["userId"] == ann.id
    habit = await api.store.get("Habits", {"habitId": habit_id})
    assert (habit["currentStreak"], habit["longestStreak"], habit["completionRate"]) == (1, 1, 100)


async def test_the_date_is_the_owners_local_date(api):
    kim = await api.sign_up("Kim", time_zone="Pacific/Auckland")  # 01:00 on the 25th there
    ann = await api.sign_up("Ann")  # noon on the 24th
    kims = await create_habit(api, kim)
    anns = await create_habit(api, ann)
    assert (await complete(api, kim, kims, "2026-11-25"))["date"] == "2026-11-25"
    future = await api.error(COMPLETE, {"h": anns, "d": "2026-11-25"}, as_=ann)
    assert (future["code"], future["field"]) == ("BAD_USER_INPUT", "date")
    assert [c["habitId"] for c in await stored_completions(api)] == [kims]


@pytest.mark.parametrize(
    ("day", "ok"),
    [("2026-11-17", True), ("2026-11-16", False), ("2026-11-25", False), ("2026-11-24", True)],
    ids=["7-days-back", "8-days-back", "tomorrow", "today"],
)
async def test_completions_reach_7_days_back_and_never_into_the_future(api, day, ok):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)
    if ok:
        assert (await complete(api, ann, habit_id, day))["date"] == day
        return
    error = await api.error(COMPLETE, {"h": habit_id, "d": day}, as_=ann)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "date")
    assert await stored_completions(api) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"d": "24/11/2026"}, "date"),
        ({"d": "2026-02-30"}, "date"),
        ({"n": "x" * 2001}, "notes"),
        ({"e": "not a link"}, "evidence"),
    ],
)
async def test_bad_completion_input_is_refused_and_nothing_is_written(api, change, field):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)
    error = await api.error(COMPLETE, {"h": habit_id, "d": "2026-11-24", **change}, as_=ann)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)
    assert await stored_completions(api) == []


async def test_completing_a_completed_day_again_is_idempotent_and_updates_notes(api, clock):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)
    first = await complete(api, ann, habit_id, "2026-11-24", n="first")
    [before] = await stored_completions(api)
    clock.advance(minutes=1)
    assert await complete(api, ann, habit_id, "2026-11-24") == first
    assert await stored_completions(api) == [before]  # nothing was written
    again = await complete(api, ann, habit_id, "2026-11-24", n="second")
    assert again["notes"] == "second" and again["createdAt"] == first["createdAt"]
    [after] = await stored_completions(api)
    assert after["_version"] == before["_version"] + 1 and after["completed"] is True


async def test_a_weekly_habit_has_one_completion_per_iso_week(api):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann, frequency="weekly")
    # Sunday the 22nd belongs to the week of Monday the 16th; Tuesday the 24th to the 23rd's
    assert (await complete(api, ann, habit_id, "2026-11-22"))["date"] == "2026-11-16"
    first = await complete(api, ann, habit_id, "2026-11-23", n="Monday")
    assert first["date"] == "2026-11-23"
    assert await complete(api, ann, habit_id, "2026-11-24") == first  # same week
    stored = {c["date"]: c["completedOn"] for c in await stored_completions(api)}
    assert stored == {"2026-11-16": "2026-11-22", "2026-11-23": "2026-11-23"}
    found = await api.data(GET, {"h": habit_id, "d": "2026-11-24"}, as_=ann)
    assert found["getHabitCompletion"] == {"date": "2026-11-23", "completed": True}


async def test_only_active_habits_are_completed(api):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)
    await api.data(
        "mutation($h: ID!) { pauseHabit(habitId: $h) { status } }", {"h": habit_id}, as_=ann
    )
    error = await api.error(COMPLETE, {"h": habit_id, "d": "2026-11-24"}, as_=ann)
    assert error["code"] == "CONFLICT"
    assert await stored_completions(api) == []


async def test_uncompleting_keeps_the_item_marked_not_completed(api, clock):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)
    await complete(api, ann, habit_id, "2026-11-24")
    clock.advance(minutes=1)
    undone = (await api.data(UNCOMPLETE, {"h": habit_id, "d": "2026-11-24"}, as_=ann))[
        "uncompleteHabit"
    ]
    assert undone["completed"] is False and undone["updatedAt"] == "2026-11-24T12:01:00.000000Z"
    [stored] = await stored_completions(api)
    assert stored["completed"] is False and not stored.get("_deleted")
    streak = (await api.data(STREAK, {"h": habit_id}, as_=ann))["getHabit"]
    assert streak == {"currentStreak": 0, "completionRate": 0.0}
    habit = await api.store.get("Habits", {"habitId": habit_id})
    assert (habit["currentStreak"], habit["completionRate"]) == (0, 0)
    redone = await complete(api, ann, habit_id, "2026-11-24")
    assert redone["completed"] is True


async def test_uncompleting_needs_a_completion_inside_the_window(api):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)
    missing = await api.error(UNCOMPLETE, {"h": habit_id, "d": "2026-11-23"}, as_=ann)
    assert missing["code"] == "NOT_FOUND"
    too_old = await api.error(UNCOMPLETE, {"h": habit_id, "d": "2026-11-01"}, as_=ann)
    assert (too_old["code"], too_old["field"]) == ("BAD_USER_INPUT", "date")


async def test_back_dated_completions_before_creation_are_allowed_but_not_counted_in_the_rate(
    api,
):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)  # created today, the 24th
    await complete(api, ann, habit_id, "2026-11-23")
    await complete(api, ann, habit_id, "2026-11-24")
    streak = (await api.data(STREAK, {"h": habit_id}, as_=ann))["getHabit"]
    assert streak == {"currentStreak": 2, "completionRate": 100.0}


async def test_no_completion_reads_as_null(api):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)
    empty = await api.data(GET, {"h": habit_id, "d": "2026-11-24"}, as_=ann)
    assert empty["getHabitCompletion"] is None
    error = await api.error(GET, {"h": str(uuid.uuid4()), "d": "2026-11-24"}, as_=ann)
    assert error["code"] == "NOT_FOUND"


LIST_FOR_HABIT = """query($h: ID!, $f: String, $t: String, $l: Int) {
  listCompletionsForHabit(habitId: $h, dateFrom: $f, dateTo: $t, limit: $l) { date } }"""
PAGE_FOR_HABIT = """query($h: ID!, $l: Int, $c: String) {
  listCompletionsForHabitPage(habitId: $h, limit: $l, cursor: $c) { items { date } nextCursor } }"""
LIST_FOR_USER = """query($u: ID!, $f: String, $t: String) {
  listCompletionsForUser(userId: $u, dateFrom: $f, dateTo: $t) { habitId date } }"""
PAGE_FOR_USER = """query($u: ID!, $l: Int, $c: String) {
  listCompletionsForUserPage(userId: $u, limit: $l, cursor: $c) { items { date } nextCursor } }"""


async def test_completion_lists_are_newest_first_within_inclusive_dates(api):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)
    for day in ("2026-11-20", "2026-11-22", "2026-11-23", "2026-11-24"):
        await complete(api, ann, habit_id, day)
    listed = await api.data(
        LIST_FOR_HABIT, {"h": habit_id, "f": "2026-11-22", "t": "2026-11-23"}, as_=ann
    )
    assert [c["date"] for c in listed["listCompletionsForHabit"]] == ["2026-11-23", "2026-11-22"]
    limited = await api.data(LIST_FOR_HABIT, {"h": habit_id, "l": 1}, as_=ann)
    assert [c["date"] for c in limited["listCompletionsForHabit"]] == ["2026-11-24"]
    by_user = await api.data(LIST_FOR_USER, {"u": ann.id, "f": "2026-11-23"}, as_=ann)
    assert by_user["listCompletionsForUser"] == [
        {"habitId": habit_id, "date": "2026-11-24"},
        {"habitId": habit_id, "date": "2026-11-23"},
    ]
    backwards = await api.error(
        LIST_FOR_USER, {"u": ann.id, "f": "2026-11-24", "t": "2026-11-20"}, as_=ann
    )
    assert (backwards["code"], backwards["field"]) == ("BAD_USER_INPUT", "dateFrom")


async def test_completion_pages_follow_the_cursor(api):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)
    for day in ("2026-11-22", "2026-11-23", "2026-11-24"):
        await complete(api, ann, habit_id, day)
    for query, variables, key in (
        (PAGE_FOR_HABIT, {"h": habit_id}, "listCompletionsForHabitPage"),
        (PAGE_FOR_USER, {"u": ann.id}, "listCompletionsForUserPage"),
    ):
        seen, cursor = [], None
        for _ in range(4):
            page = (await api.data(query, {**variables, "l": 2, "c": cursor}, as_=ann))[key]
            seen += [c["date"] for c in page["items"]]
            cursor = page["nextCursor"]
            if cursor is None:
                break
        assert seen == ["2026-11-24", "2026-11-23", "2026-11-22"]


async def test_weekly_completions_are_listed_by_the_day_they_were_done(api):
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann, frequency="weekly")
    await complete(api, ann, habit_id, "2026-11-19")  # a Thursday, stored under Monday the 16th
    inside = await api.data(
        LIST_FOR_HABIT, {"h": habit_id, "f": "2026-11-18", "t": "2026-11-20"}, as_=ann
    )
    assert inside["listCompletionsForHabit"] == [{"date": "2026-11-16"}]
    outside = await api.data(LIST_FOR_HABIT, {"h": habit_id, "f": "2026-11-20"}, as_=ann)
    assert outside["listCompletionsForHabit"] == []


async def test_a_users_list_of_one_day_holds_the_weekly_completions_done_that_day(api):
    """Weekly completions are keyed by their Monday: a day's list finds each one done on
    that day, whichever day of the week it is, and none done on another day."""
    ann = await api.sign_up("Ann")
    done_on = {}
    for day in range(17, 24):  # Tuesday 17 to Sunday 22 November, then Monday 23
        habit_id = await create_habit(api, ann, frequency="weekly")
        await complete(api, ann, habit_id, f"2026-11-{day}")
        done_on[day] = habit_id
    for day, habit_id in done_on.items():
        one_day = {"u": ann.id, "f": f"2026-11-{day}", "t": f"2026-11-{day}"}
        listed = (await api.data(LIST_FOR_USER, one_day, as_=ann))["listCompletionsForUser"]
        monday = "2026-11-16" if day < 23 else "2026-11-23"
        assert listed == [{"habitId": habit_id, "date": monday}], day


async def test_a_completion_after_a_year_of_history_reads_only_the_last_weeks(api, monkeypatch):
    """The figures are those of the whole history, but after the first write a completion
    reads only the completions from the settled cutoff on (``domain.settled_streaks``):
    a push costs the same after years of ticks as on the first day."""
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)
    year_ago = "2025-11-24T12:00:00.000000Z"
    await api.store.update("Habits", {"habitId": habit_id}, set={"createdAt": year_ago})
    days = [(api.clock.now() - timedelta(days=n)).date().isoformat() for n in range(1, 366)]
    history = [
        {
            "habitId": habit_id,
            "date": day,
            "userId": ann.id,
            "completed": True,
            "completedOn": day,
            "createdAt": year_ago,
            "updatedAt": year_ago,
            "_version": 1,
        }
        for day in days
    ]  # stored directly: the API takes completions 7 days back at most
    await api.store.put_many("HabitCompletions", history)
    read: list[int] = []
    query = api.store.query

    async def counted(table, pk, **options):
        page = await query(table, pk, **options)
        if table == "HabitCompletions" and pk == habit_id:
            read.append(len(page.items))
        return page

    monkeypatch.setattr(api.store, "query", counted)
    await complete(api, ann, habit_id, "2026-11-24")
    habit = await api.store.get("Habits", {"habitId": habit_id})
    assert (habit["currentStreak"], habit["longestStreak"], habit["completionRate"]) == (
        366,
        366,
        100,
    )
    assert sum(read) == len(history)  # the first write reads every one and settles them
    api.clock.advance(days=1)
    ann.token = api.services.tokens.issue(ann.id).access_token  # the day's sign-in
    read.clear()
    await complete(api, ann, habit_id, "2026-11-25")
    habit = await api.store.get("Habits", {"habitId": habit_id})
    assert (habit["currentStreak"], habit["longestStreak"]) == (367, 367)
    assert sum(read) <= SETTLE_MARGIN_DAYS + 2
    read.clear()
    assert (await api.data(STREAK, {"h": habit_id}, as_=ann))["getHabit"]["currentStreak"] == 367
    assert read == []  # the write left the summary and the days after its cutoff on the habit
    wired = wire_item("Habits", habit, ann.id)
    assert SETTLED_ATTR not in wired and RECENT_ATTR not in wired  # never on a device
    # Days pass without a write: the streak breaks and the rate falls on reading alone, with
    # the figures of the whole history, still from the habit alone.
    api.clock.advance(days=3)
    ann.token = api.services.tokens.issue(ann.id).access_token
    read.clear()
    later = (await api.data(STREAK_AND_LONGEST, {"h": habit_id}, as_=ann))["getHabit"]
    assert read == []
    # An edit of the habit voids the kept days (they belong to the version that wrote them):
    # the figures then come from the summary and the completions from its cutoff on.
    await api.data(UPDATE_HABIT, {"id": habit_id, "i": {"title": "Read a page"}}, as_=ann)
    read.clear()
    again = (await api.data(STREAK_AND_LONGEST, {"h": habit_id}, as_=ann))["getHabit"]
    assert 0 < sum(read) <= SETTLE_MARGIN_DAYS + 2 and again == later
    whole = habit_stats(
        [date.fromisoformat(day) for day in [*days, "2026-11-24", "2026-11-25"]],
        created_on=date(2025, 11, 24),
        today=api.clock.now().date(),
        frequency="daily",
    )
    assert whole.current_streak == 0 and whole.completion_rate < 100  # the case is the one meant
    assert later == {
        "currentStreak": whole.current_streak,
        "longestStreak": whole.longest_streak,
        "completionRate": whole.completion_rate,
    }


@pytest.mark.parametrize(("seed", "frequency"), [(1, "daily"), (2, "weekly"), (3, "daily")])
async def test_figures_read_from_the_habit_alone_equal_the_whole_historys_after_any_writes(
    api, seed, frequency, monkeypatch
):
    """Completions and un-completions anywhere in the 7-day window, idle days and edits of the
    habit, in a random order: after each step the figures read (from the summary and the
    days the last completion change kept on the habit, or the completions when an edit voided
    them) are those of every completion stored."""
    rnd = random.Random(seed)
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann, frequency)
    query, queried = api.store.query, []

    async def counted(table, pk, **options):
        queried.append(table)
        return await query(table, pk, **options)

    monkeypatch.setattr(api.store, "query", counted)
    reads_from_the_habit = reads_from_completions = 0
    for step in range(40):
        roll = rnd.random()
        today = api.clock.now().date()  # the test users live in UTC
        day = (today - timedelta(days=rnd.randint(0, 7))).isoformat()
        if roll < 0.25:
            api.clock.advance(days=rnd.randint(1, 3))
            ann.token = api.services.tokens.issue(ann.id).access_token
        elif roll < 0.7:
            await complete(api, ann, habit_id, day)
        elif roll < 0.92:
            stored = await api.data(GET, {"h": habit_id, "d": day}, as_=ann)
            if stored["getHabitCompletion"] and stored["getHabitCompletion"]["completed"]:
                await api.data(UNCOMPLETE, {"h": habit_id, "d": day}, as_=ann)
        else:
            title = f"Shoes on ({step})"
            await api.data(UPDATE_HABIT, {"id": habit_id, "i": {"title": title}}, as_=ann)
        habit = await api.store.get("Habits", {"habitId": habit_id})
        done = [
            date.fromisoformat(c.get("completedOn") or c["date"])
            for c in await stored_completions(api)
            if c.get("completed")
        ]
        whole = habit_stats(
            done,
            created_on=date.fromisoformat(habit["createdAt"][:10]),
            today=api.clock.now().date(),
            frequency=frequency,
        )
        queried.clear()
        read = (await api.data(STREAK_AND_LONGEST, {"h": habit_id}, as_=ann))["getHabit"]
        assert read == {
            "currentStreak": whole.current_streak,
            "longestStreak": whole.longest_streak,
            "completionRate": whole.completion_rate,
        }, (step, roll)
        if "HabitCompletions" in queried:
            reads_from_completions += 1
        else:
            reads_from_the_habit += 1
    assert reads_from_the_habit > 10 and reads_from_completions > 0  # both ways were taken


async def test_kept_days_are_void_once_the_habit_was_written_by_anything_else(api):
    """A server that does not keep the days (an older version, in a rolling deploy) writes a
    completion and its habit: the habit's version moves past the kept days', and the figures
    come from the completions again."""
    ann = await api.sign_up("Ann")
    habit_id = await create_habit(api, ann)
    today = api.clock.now().date()
    await complete(api, ann, habit_id, (today - timedelta(days=1)).isoformat())
    before = (await api.data(STREAK, {"h": habit_id}, as_=ann))["getHabit"]
    assert before["currentStreak"] == 1
    habit = await api.store.get("Habits", {"habitId": habit_id})
    await api.store.put(
        "HabitCompletions",
        {"habitId": habit_id, "date": today.isoformat(), "userId": ann.id, "completed": True},
    )
    await api.store.update("Habits", {"habitId": habit_id}, set={"_version": habit["_version"] + 1})
    after = (await api.data(STREAK, {"h": habit_id}, as_=ann))["getHabit"]
    assert after["currentStreak"] == 2
