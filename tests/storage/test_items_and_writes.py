"""Reads and writes of single items: the same behaviour on every engine."""

import pytest

from backend.storage import (
    AttrEquals,
    ConditionFailed,
    ItemExists,
    ItemNotExists,
    ValidationError,
    version_is,
)


async def test_put_then_get_round_trips_every_value_type(store):
    item = {
        "habitId": "h1",
        "date": "2026-11-24",
        "userId": "u1",
        "completed": True,
        "notes": "Ünïcödé ✓",
        "score": 2.5,
        "count": 3,
        "cue": {"time": "08:00", "place": None, "nested": {"list": [1, "two", False]}},
        "tags": ["a", "b"],
        "empty": "",
    }
    await store.put("HabitCompletions", item)
    assert await store.get("HabitCompletions", {"habitId": "h1", "date": "2026-11-24"}) == item


async def test_top_level_none_is_not_stored_and_integral_floats_become_ints(store):
    await store.put("Goals", {"goalId": "g1", "mentorId": None, "progress": 40.0})
    assert await store.get("Goals", {"goalId": "g1"}) == {"goalId": "g1", "progress": 40}


async def test_get_missing_item_returns_none(store):
    assert await store.get("Users", {"userId": "nobody"}) is None


async def test_put_replaces_the_whole_item(store):
    await store.put("Users", {"userId": "u1", "name": "A", "bio": "old"})
    await store.put("Users", {"userId": "u1", "name": "B"})
    assert await store.get("Users", {"userId": "u1"}) == {"userId": "u1", "name": "B"}


async def test_create_only_put_refuses_an_existing_item_and_changes_nothing(store):
    await store.put("Users", {"userId": "u1", "name": "first"}, condition=ItemNotExists())
    with pytest.raises(ConditionFailed):
        await store.put("Users", {"userId": "u1", "name": "second"}, condition=ItemNotExists())
    assert (await store.get("Users", {"userId": "u1"}))["name"] == "first"


async def test_versioned_put_needs_the_current_version(store):
    await store.put("Goals", {"goalId": "g1", "_version": 1, "title": "v1"})
    await store.put(
        "Goals", {"goalId": "g1", "_version": 2, "title": "v2"}, condition=version_is(1)
    )
    with pytest.raises(ConditionFailed):
        await store.put(
            "Goals", {"goalId": "g1", "_version": 2, "title": "stale"}, condition=version_is(1)
        )
    assert (await store.get("Goals", {"goalId": "g1"}))["title"] == "v2"


async def test_update_sets_removes_adds_and_returns_the_new_item(store):
    await store.put("Users", {"userId": "u1", "name": "A", "bio": "x", "totalSessions": 1})
    new = await store.update(
        "Users",
        {"userId": "u1"},
        set={"name": "B", "location": "Berlin"},
        remove=["bio"],
        add={"totalSessions": 2, "inPersonSessions": 1},
    )
    expected = {
        "userId": "u1",
        "name": "B",
        "location": "Berlin",
        "totalSessions": 3,
        "inPersonSessions": 1,
    }
    assert new == expected
    assert await store.get("Users", {"userId": "u1"}) == expected


async def test_update_setting_none_removes_the_attribute(store):
    await store.put("Goals", {"goalId": "g1", "mentorId": "m1"})
    new = await store.update("Goals", {"goalId": "g1"}, set={"mentorId": None})
    assert "mentorId" not in new


async def test_update_of_a_missing_item_creates_it_unless_it_must_exist(store):
    created = await store.update("Users", {"userId": "u1"}, set={"name": "A"})
    assert created == {"userId": "u1", "name": "A"}
    with pytest.raises(ConditionFailed):
        await store.update("Users", {"userId": "u2"}, set={"name": "B"}, condition=ItemExists())
    assert await store.get("Users", {"userId": "u2"}) is None


async def test_update_with_a_stale_version_changes_nothing(store):
    await store.put("Habits", {"habitId": "h1", "_version": 3, "title": "t"})
    with pytest.raises(ConditionFailed):
        await store.update(
            "Habits",
            {"habitId": "h1"},
            set={"title": "stale", "_version": 3},
            condition=version_is(2),
        )
    updated = await store.update(
        "Habits",
        {"habitId": "h1"},
        set={"title": "new"},
        add={"_version": 1},
        condition=version_is(3),
    )
    assert updated["_version"] == 4 and updated["title"] == "new"


async def test_update_cannot_change_key_attributes(store):
    await store.put("Users", {"userId": "u1"})
    with pytest.raises(ValidationError):
        await store.update("Users", {"userId": "u1"}, set={"userId": "u2"})


async def test_add_to_a_non_number_is_refused_and_changes_nothing(store):
    await store.put("Users", {"userId": "u1", "name": "A"})
    with pytest.raises(ValidationError):
        await store.update("Users", {"userId": "u1"}, add={"name": 1})
    assert await store.get("Users", {"userId": "u1"}) == {"userId": "u1", "name": "A"}


async def test_attribute_condition_guards_an_update(store):
    await store.put("Sessions", {"sessionId": "s1", "status": "CANCELLED"})
    with pytest.raises(ConditionFailed):
        await store.update(
            "Sessions",
            {"sessionId": "s1"},
            set={"status": "COMPLETED"},
            condition=AttrEquals("status", "CONFIRMED"),
        )
    assert (await store.get("Sessions", {"sessionId": "s1"}))["status"] == "CANCELLED"


async def test_delete_returns_the_old_item_and_respects_conditions(store):
    await store.put("Todos", {"userId": "u1", "todoId": "t1", "_version": 2})
    with pytest.raises(ConditionFailed):
        await store.delete("Todos", {"userId": "u1", "todoId": "t1"}, condition=version_is(1))
    assert await store.get("Todos", {"userId": "u1", "todoId": "t1"}) is not None
    old = await store.delete("Todos", {"userId": "u1", "todoId": "t1"}, condition=version_is(2))
    assert old == {"userId": "u1", "todoId": "t1", "_version": 2}
    assert await store.get("Todos", {"userId": "u1", "todoId": "t1"}) is None
    assert await store.delete("Todos", {"userId": "u1", "todoId": "t1"}) is None


async def test_batch_get_returns_items_in_key_order_with_none_for_missing(store):
    await store.put_many("Users", [{"userId": f"u{i:03}", "n": i} for i in range(150)])
    keys = [{"userId": f"u{i:03}"} for i in range(149, -1, -1)]
    keys.insert(3, {"userId": "missing"})
    keys.append({"userId": "u005"})
    found = await store.batch_get("Users", keys)
    assert len(found) == len(keys)
    assert found[3] is None
    assert [f["n"] for f in found if f is not None] == [*range(149, -1, -1), 5]


async def test_batch_get_of_nothing_is_empty(store):
    assert await store.batch_get("Users", []) == []


async def test_numbers_keep_their_precision_up_to_38_digits(store):
    big = 10**37 + 7
    await store.put("Users", {"userId": "u1", "big": big, "neg": -big, "small": 3})
    item = await store.get("Users", {"userId": "u1"})
    assert (item["big"], item["neg"], item["small"]) == (big, -big, 3)
