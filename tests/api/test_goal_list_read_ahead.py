"""Goal lists read their goals' habits and statistics ahead, in one batch: the answer is the
one each field gives on its own, follows every write at once, and costs a constant number of
storage calls however many goals are listed."""

import asyncio

import pytest
from graphql import graphql, parse

from backend.api.schema import build_schema
from backend.services.context import ServiceContext, Viewer
from backend.services.loaders import PartitionLoader
from tests.api.test_dataloaders import CountingStore
from tests.api.test_habits import COMPLETE, create_goal, create_habit, seed_completions

LIST = """query($u: ID!) { listGoalsForUser(userId: $u) {
  goalId progress habits { habitId currentStreak longestStreak completionRate } } }"""
BY_FRAGMENT = """query($u: ID!) { listGoalsForUser(userId: $u) { ...G } }
fragment G on Goal { goalId ... on Goal { progress } habits { ...H } }
fragment H on Habit { habitId streak: currentStreak longestStreak completionRate }"""
EACH_GOAL = """query($g: ID!) { getGoal(goalId: $g) {
  goalId progress habits { habitId currentStreak longestStreak completionRate } } }"""


async def _goals_with_history(api, ann, count: int) -> list[str]:
    goal_ids = []
    for n in range(count):
        goal_id = await create_goal(api, ann, title=f"Goal {n}")
        for frequency in ("daily", "weekly"):
            habit = await create_habit(api, ann, goal_id, frequency=frequency)
            days = [f"2026-11-{day:02d}" for day in range(24 - n - 3, 25) if day % (n + 2)]
            await seed_completions(api, habit["habitId"], ann.id, days)
        goal_ids.append(goal_id)
    return goal_ids


async def test_a_listed_goal_answers_as_the_same_goal_read_on_its_own(api):
    ann = await api.sign_up("Ann")
    goal_ids = await _goals_with_history(api, ann, 3)
    listed = (await api.data(LIST, {"u": ann.id}, as_=ann))["listGoalsForUser"]
    alone = [
        (await api.data(EACH_GOAL, {"g": goal_id}, as_=ann))["getGoal"] for goal_id in goal_ids
    ]
    assert sorted(listed, key=lambda g: g["goalId"]) == sorted(alone, key=lambda g: g["goalId"])
    assert any(h["currentStreak"] for g in listed for h in g["habits"])  # not all zeros
    by_fragment = (await api.data(BY_FRAGMENT, {"u": ann.id}, as_=ann))["listGoalsForUser"]
    assert [g["progress"] for g in by_fragment] == [g["progress"] for g in listed]
    progress_only = "query($u: ID!) { listGoalsForUser(userId: $u) { progress } }"
    only = (await api.data(progress_only, {"u": ann.id}, as_=ann))["listGoalsForUser"]
    assert [g["progress"] for g in only] == [g["progress"] for g in listed]
    assert [h["streak"] for g in by_fragment for h in g["habits"]] == [
        h["currentStreak"] for g in listed for h in g["habits"]
    ]


async def test_the_list_follows_a_completion_at_once(api):
    ann = await api.sign_up("Ann")
    goal_id = await create_goal(api, ann)
    habit = await create_habit(api, ann, goal_id)
    before = (await api.data(LIST, {"u": ann.id}, as_=ann))["listGoalsForUser"]
    assert before[0]["habits"][0]["currentStreak"] == 0 and before[0]["progress"] == 0
    await api.data(COMPLETE, {"h": habit["habitId"], "d": "2026-11-24"}, as_=ann)
    after = (await api.data(LIST, {"u": ann.id}, as_=ann))["listGoalsForUser"]
    assert after[0]["habits"][0]["currentStreak"] == 1 and after[0]["progress"] == 100


async def test_ten_goals_with_habits_and_streaks_take_a_constant_number_of_storage_calls(api):
    ann = await api.sign_up("Ann")
    await _goals_with_history(api, ann, 10)
    counting = CountingStore(api.store)
    services = type(api.services)(store=counting, clock=api.clock, tokens=api.services.tokens)
    result = await graphql(
        build_schema(),
        LIST,
        variable_values={"u": ann.id},
        context_value=ServiceContext(services, Viewer(ann.id)),
    )
    assert result.errors is None and result.data is not None
    assert len(result.data["listGoalsForUser"]) == 10
    # the goals' page; then one batch each of users, habits by goal, completions by habit
    # (a partition loader queries its partitions: 10 + 20), never a get per field
    assert counting.calls.count("batch_get") == 1, counting.calls
    assert counting.calls.count("query") == 1 + 10 + 20, counting.calls
    assert "get" not in counting.calls


async def test_a_partition_read_is_known_to_the_request_until_cleared(api):
    ann = await api.sign_up("Ann")
    goal_id = await create_goal(api, ann)
    await create_habit(api, ann, goal_id)
    loader = PartitionLoader(api.store, "Habits", "HabitsByGoal")
    assert loader.known(goal_id) is None
    [habit] = await loader.load(goal_id)
    assert loader.known(goal_id) == [habit]
    loader.clear(goal_id)
    assert loader.known(goal_id) is None
    await loader.load(goal_id)
    loader.clear_all()
    assert loader.known(goal_id) is None


def test_the_selection_is_read_through_fragments_and_aliases():
    from backend.api.lookahead import selected

    class Info:
        document = parse(BY_FRAGMENT)
        field_nodes = [document.definitions[0].selection_set.selections[0]]
        fragments = {d.name.value: d for d in document.definitions[1:]}

    assert selected(Info, "habits") == {
        "habitId",
        "currentStreak",
        "longestStreak",
        "completionRate",
    }
    assert selected(Info) == {"goalId", "progress", "habits"}
    assert selected(Info, "nothing") == frozenset()


class InFlightStore:
    """The real store, counting how many queries are under way at once (each yields to the
    loop once, as a network read would)."""

    def __init__(self, inner, overlapping_reads: bool) -> None:
        self.inner = inner
        self.tables = inner.tables
        self.overlapping_reads = overlapping_reads
        self.now = self.most = 0

    async def query(self, *args, **kwargs):
        self.now += 1
        self.most = max(self.most, self.now)
        await asyncio.sleep(0)
        try:
            return await self.inner.query(*args, **kwargs)
        finally:
            self.now -= 1


@pytest.mark.parametrize(("overlapping", "most"), [(True, 3), (False, 1)])
async def test_partitions_are_read_together_only_where_reads_overlap(api, overlapping, most):
    ann = await api.sign_up("Ann")
    goal_ids = [await create_goal(api, ann, title=f"Goal {n}") for n in range(3)]
    for goal_id in goal_ids:
        await create_habit(api, ann, goal_id)
    store = InFlightStore(api.store, overlapping_reads=overlapping)
    loader = PartitionLoader(store, "Habits", "HabitsByGoal")
    found = await loader.load_many(goal_ids)
    assert [habit["goalId"] for [habit] in found] == goal_ids
    assert store.most == most
