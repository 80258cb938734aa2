"""All-or-nothing transactions of up to 100 writes and condition checks."""

import pytest

from backend.storage import (
    AttrEquals,
    ConditionCheck,
    Delete,
    ItemExists,
    ItemNotExists,
    Put,
    TransactionCancelled,
    Update,
    version_is,
)


async def test_a_transaction_applies_every_action_across_tables(store):
    await store.put("Sessions", {"sessionId": "s1", "status": "CONFIRMED", "_version": 1})
    await store.put("Users", {"userId": "mentor", "totalSessions": 4})
    await store.put("Todos", {"userId": "u1", "todoId": "old"})
    await store.put("Users", {"userId": "u1"})
    await store.transact(
        [
            Update(
                "Sessions",
                {"sessionId": "s1"},
                set={"status": "COMPLETED"},
                add={"_version": 1},
                condition=version_is(1),
            ),
            Update("Users", {"userId": "mentor"}, add={"totalSessions": 1}),
            Put("Notifications", {"userId": "u1", "createdAt": "2026-11-24T10:00:00.000000Z"}),
            Delete("Todos", {"userId": "u1", "todoId": "old"}, condition=ItemExists()),
            ConditionCheck("Users", {"userId": "u1"}, condition=ItemExists()),
        ]
    )
    session = await store.get("Sessions", {"sessionId": "s1"})
    assert session["status"] == "COMPLETED" and session["_version"] == 2
    assert (await store.get("Users", {"userId": "mentor"}))["totalSessions"] == 5
    assert await store.get(
        "Notifications", {"userId": "u1", "createdAt": "2026-11-24T10:00:00.000000Z"}
    )
    assert await store.get("Todos", {"userId": "u1", "todoId": "old"}) is None


async def test_one_failing_condition_cancels_everything_and_says_which(store):
    await store.put("Sessions", {"sessionId": "s1", "status": "CANCELLED"})
    await store.put("Users", {"userId": "mentor", "totalSessions": 4})
    with pytest.raises(TransactionCancelled) as caught:
        await store.transact(
            [
                Update("Users", {"userId": "mentor"}, add={"totalSessions": 1}),
                Put("Notifications", {"userId": "u1", "createdAt": "2026-11-24T10:00:00.000000Z"}),
                Update(
                    "Sessions",
                    {"sessionId": "s1"},
                    set={"status": "COMPLETED"},
                    condition=AttrEquals("status", "CONFIRMED"),
                ),
                ConditionCheck("Users", {"userId": "ghost"}, condition=ItemExists()),
            ]
        )
    assert caught.value.reasons == [None, None, "ConditionalCheckFailed", "ConditionalCheckFailed"]
    assert (await store.get("Users", {"userId": "mentor"}))["totalSessions"] == 4
    assert (await store.get("Sessions", {"sessionId": "s1"}))["status"] == "CANCELLED"
    assert (await store.scan("Notifications")).items == []


async def test_a_transaction_of_100_puts_is_all_or_nothing(store):
    await store.put("Todos", {"userId": "u1", "todoId": "t099"})
    actions = [
        Put("Todos", {"userId": "u1", "todoId": f"t{i:03}"}, condition=ItemNotExists())
        for i in range(100)
    ]
    with pytest.raises(TransactionCancelled) as caught:
        await store.transact(actions)
    assert caught.value.reasons[99] == "ConditionalCheckFailed"
    assert caught.value.reasons[:99] == [None] * 99
    assert len((await store.query("Todos", "u1")).items) == 1

    await store.delete("Todos", {"userId": "u1", "todoId": "t099"})
    await store.transact(actions)
    assert len((await store.query("Todos", "u1", limit=1000)).items) == 100


async def test_an_empty_transaction_does_nothing(store):
    await store.transact([])
    assert (await store.scan("Users")).items == []
