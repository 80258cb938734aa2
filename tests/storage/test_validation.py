"""DynamoDB's own rules, enforced by the shared layer so both engines refuse the same requests."""

import pytest

from backend.storage import (
    ConditionCheck,
    ItemNotExists,
    ItemTooLarge,
    Put,
    SortKeyCondition,
    ValidationError,
)
from backend.storage.items import MAX_ITEM_BYTES, item_size


@pytest.mark.parametrize(
    "item",
    [
        {"userId": ""},
        {"userId": 5},
        {"name": "no key"},
        {"userId": "u1", "email": ""},
        {"userId": "u1", "email": 42},
        {"userId": "u1", "role": "MENTOR", "createdAt": 7},
        {"userId": "u1", "score": float("nan")},
        {"userId": "u1", "blob": b"bytes"},
    ],
    ids=[
        "empty-key",
        "number-for-string-key",
        "missing-key",
        "empty-index-key",
        "number-index-key",
        "number-index-sort-key",
        "nan",
        "bytes",
    ],
)
async def test_invalid_items_are_refused_and_nothing_is_written(store, item):
    with pytest.raises(ValidationError):
        await store.put("Users", item)
    assert (await store.scan("Users")).items == []


@pytest.mark.parametrize(
    "key",
    [{"userId": ""}, {"userId": "u1", "extra": "x"}, {}, {"userId": 1}],
    ids=["empty", "extra-attribute", "missing", "wrong-type"],
)
async def test_invalid_keys_are_refused_on_reads(store, key):
    with pytest.raises(ValidationError):
        await store.get("Users", key)


async def test_composite_keys_need_both_parts(store):
    with pytest.raises(ValidationError):
        await store.get("HabitCompletions", {"habitId": "h1"})


async def test_items_over_400_kb_are_refused(store):
    big = {"userId": "u1", "bio": "x" * MAX_ITEM_BYTES}
    with pytest.raises(ItemTooLarge):
        await store.put("Users", big)
    assert await store.get("Users", {"userId": "u1"}) is None


async def test_items_close_to_400_kb_are_accepted(store):
    # moto refuses from 405,000 bytes, DynamoDB from 409,600: stay under both.
    item = {"userId": "u1", "bio": ""}
    item["bio"] = "x" * (400_000 - item_size(item))
    await store.put("Users", item)
    assert (await store.get("Users", {"userId": "u1"}))["bio"] == item["bio"]


async def test_an_update_that_would_exceed_400_kb_is_refused(store):
    await store.put("Users", {"userId": "u1", "name": "A"})
    with pytest.raises(ItemTooLarge):
        await store.update("Users", {"userId": "u1"}, set={"bio": "y" * (MAX_ITEM_BYTES + 1)})
    assert await store.get("Users", {"userId": "u1"}) == {"userId": "u1", "name": "A"}


async def test_transactions_hold_at_most_100_actions(store):
    actions = [Put("Users", {"userId": f"u{i}"}) for i in range(101)]
    with pytest.raises(ValidationError):
        await store.transact(actions)
    assert (await store.scan("Users")).items == []


async def test_a_transaction_cannot_touch_one_item_twice(store):
    with pytest.raises(ValidationError):
        await store.transact(
            [
                Put("Users", {"userId": "u1", "name": "a"}),
                ConditionCheck("Users", {"userId": "u1"}, condition=ItemNotExists()),
            ]
        )


async def test_unknown_index_is_refused(store):
    with pytest.raises(ValidationError):
        await store.query("Users", "x", index="UsersByShoeSize")


async def test_query_key_must_match_the_index_key_type(store):
    with pytest.raises(ValidationError):
        await store.query("Users", 5, index="UsersByEmail")
    with pytest.raises(ValidationError):
        await store.query("Users", "", index="UsersByEmail")


async def test_sort_conditions_are_checked(store):
    with pytest.raises(ValidationError):
        await store.query(
            "Sessions", "m1", index="SessionsByMentor", sk=SortKeyCondition.between("b", "a")
        )
    with pytest.raises(ValidationError):
        await store.query("Users", "u1", sk=SortKeyCondition.eq("x"))
    with pytest.raises(ValidationError):
        await store.query("Sessions", "m1", index="SessionsByMentor", sk=SortKeyCondition.gt(3))


@pytest.mark.parametrize("limit", [0, -1, True])
async def test_limits_must_be_positive_integers(store, limit):
    with pytest.raises(ValidationError):
        await store.query("Users", "MENTOR", index="UsersByRole", limit=limit)


async def test_garbage_and_foreign_cursors_are_refused(store):
    await store.put_many(
        "Sessions",
        [{"sessionId": f"s{i}", "mentorId": "m1", "date": f"2026-01-0{i}"} for i in range(1, 5)],
    )
    page = await store.query("Sessions", "m1", index="SessionsByMentor", limit=2)
    assert page.cursor is not None
    with pytest.raises(ValidationError):
        await store.query("Sessions", "m1", index="SessionsByMentor", cursor="not-a-cursor")
    with pytest.raises(ValidationError):
        await store.query("Sessions", "m2", index="SessionsByMentor", cursor=page.cursor)
    with pytest.raises(ValidationError):
        await store.query("Sessions", "m1", index="SessionsByMentee", cursor=page.cursor)
