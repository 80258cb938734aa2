"""DynamoDB writes whose answer was lost or came late, after DynamoDB applied them: botocore
sends them again, and the engine neither applies them twice nor fails on its own success."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from backend.storage import (
    AttrEquals,
    ConditionFailed,
    ItemExists,
    ItemNotExists,
    Put,
    Update,
)
from backend.storage.dynamodb_engine import DynamoDBEngine
from tests.storage.answer_proxy import AnswerLosingProxy

pytestmark = pytest.mark.dynamodb
PREFIX = "test-"  # the tables the ``store`` fixture made and emptied


@pytest.fixture
def proxy(store: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    url = request.getfixturevalue("dynamodb_server").url
    with contextlib.closing(AnswerLosingProxy(url)) as proxy:
        yield proxy


def engine_through(proxy: AnswerLosingProxy, read_timeout: float = 15) -> DynamoDBEngine:
    client = boto3.session.Session().client(
        "dynamodb",
        endpoint_url=proxy.url,
        region_name="us-east-1",
        config=Config(retries={"mode": "standard", "max_attempts": 4}, read_timeout=read_timeout),
    )
    return DynamoDBEngine(client=client, table_prefix=PREFIX)


@pytest.fixture
async def late(proxy: AnswerLosingProxy) -> AsyncIterator[DynamoDBEngine]:
    engine = engine_through(proxy)
    yield engine
    await engine.close()


def attend(user: str) -> list[Any]:
    return [
        Put("EventAttendances", {"eventId": "e1", "userId": user}, condition=ItemNotExists()),
        Update("Events", {"eventId": "e1"}, add={"currentAttendees": 1}, condition=ItemExists()),
    ]


async def test_a_transaction_sent_again_after_its_answer_was_lost_applies_once(store, late, proxy):
    await store.put("Events", {"eventId": "e1", "currentAttendees": 0})
    proxy.lose("TransactWriteItems")
    await late.transact(attend("u1"))
    assert proxy.seen.count("TransactWriteItems") == 2  # botocore did send it again
    assert (await store.get("Events", {"eventId": "e1"}))["currentAttendees"] == 1


async def test_a_transaction_answered_after_the_read_timeout_applies_once(store, proxy):
    await store.put("Events", {"eventId": "e1", "currentAttendees": 0})
    engine = engine_through(proxy, read_timeout=0.5)
    proxy.lose("TransactWriteItems", hold=1.5)
    await engine.transact(attend("u1"))
    await engine.close()
    assert proxy.seen.count("TransactWriteItems") == 2
    assert (await store.get("Events", {"eventId": "e1"}))["currentAttendees"] == 1
    assert await store.get("EventAttendances", {"eventId": "e1", "userId": "u1"}) is not None


async def test_a_create_only_put_sent_again_is_its_own_success(store, late, proxy):
    proxy.lose("PutItem")
    await late.put(
        "Users", {"userId": "u1", "name": "Ann", "score": 1.5}, condition=ItemNotExists()
    )
    assert proxy.seen.count("PutItem") == 2
    assert await store.get("Users", {"userId": "u1"}) == {
        "userId": "u1",
        "name": "Ann",
        "score": 1.5,
    }


async def test_a_put_sent_again_still_fails_when_another_writer_holds_the_item(store, late, proxy):
    await store.put("Users", {"userId": "u1", "name": "Bob"})
    proxy.lose("PutItem")
    with pytest.raises(ConditionFailed):
        await late.put("Users", {"userId": "u1", "name": "Ann"}, condition=ItemNotExists())
    assert (await store.get("Users", {"userId": "u1"}))["name"] == "Bob"


async def test_a_versioned_update_sent_again_returns_the_item_it_made(store, late, proxy):
    await store.put("Users", {"userId": "u1", "name": "Ann", "version": 1, "bio": "old"})
    proxy.lose("UpdateItem")
    updated = await late.update(
        "Users",
        {"userId": "u1"},
        set={"name": "Ann B", "version": 2},
        remove=["bio"],
        condition=AttrEquals("version", 1),
    )
    assert proxy.seen.count("UpdateItem") == 2
    assert updated == {"userId": "u1", "name": "Ann B", "version": 2}


async def test_an_update_sent_again_fails_when_the_item_is_not_what_it_made(store, late, proxy):
    await store.put("Users", {"userId": "u1", "name": "Bob", "version": 3})
    proxy.lose("UpdateItem")
    with pytest.raises(ConditionFailed):
        await late.update(
            "Users",
            {"userId": "u1"},
            set={"name": "Ann", "version": 2},
            condition=AttrEquals("version", 1),
        )


async def test_a_conditional_delete_sent_again_is_its_own_success(store, late, proxy):
    await store.put("Users", {"userId": "u1", "name": "Ann"})
    proxy.lose("DeleteItem")
    await late.delete("Users", {"userId": "u1"}, condition=ItemExists())
    assert proxy.seen.count("DeleteItem") == 2
    assert await store.get("Users", {"userId": "u1"}) is None
