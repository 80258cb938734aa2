"""syncPoke over a real websocket: uvicorn on 127.0.0.1, gql's WebsocketsTransport speaking
graphql-transport-ws, the access token in connection_init's payload."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn
from gql import Client, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.websockets import WebsocketsTransport

from backend.app import create_app
from harness.ports import free_port
from tests.sync_server.sync_calls import new_id

POKE = gql("subscription { syncPoke }")
TODO = "mutation($i: CreateTodoInput!) { createTodo(input: $i) { todoId } }"
CATEGORY = "mutation($i: CreateCategoryInput!) { createCategory(input: $i) { categoryId } }"


@pytest.fixture
async def server(api) -> AsyncIterator[str]:
    """The app on a real socket, served from this test's event loop (same store, same hub)."""
    port = free_port()
    config = uvicorn.Config(
        create_app(api.services), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(200):
        if server.started:
            break
        await asyncio.sleep(0.02)
    assert server.started
    yield f"127.0.0.1:{port}"
    server.should_exit = True
    await asyncio.wait_for(task, 10)


def transport(host: str, token: str | None) -> WebsocketsTransport:
    return WebsocketsTransport(
        url=f"ws://{host}/graphql",
        init_payload={"Authorization": f"Bearer {token}"} if token else {},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )


async def post(host: str, query: str, variables: dict, token: str) -> dict:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"http://{host}/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
    body: dict = response.json()
    assert not body.get("errors"), body
    return body


async def test_a_change_pokes_the_users_subscription_with_the_new_seq(api, server):
    ann, bob = await api.sign_up("Ann"), await api.sign_up("Bob")
    async with Client(transport=transport(server, ann.token)) as session:
        stream = session.subscribe(POKE)
        first = await asyncio.wait_for(stream.__anext__(), 5)
        assert first == {"syncPoke": 1}  # the sign-up: the device can tell it is behind
        await post(server, TODO, {"i": {"text": "poke me"}}, bob.token)  # not Ann's feed
        await post(server, TODO, {"i": {"todoId": new_id(), "text": "poke me"}}, ann.token)
        second = await asyncio.wait_for(stream.__anext__(), 5)
        assert second == {"syncPoke": 2}
        await stream.aclose()
    for _ in range(50):
        if api.services.sync.pokes.subscriber_count() == 0:
            break
        await asyncio.sleep(0.02)
    assert api.services.sync.pokes.subscriber_count() == 0


async def test_a_public_change_pokes_every_subscriber(api, server):
    ann = await api.sign_up("Ann")
    admin = await api.admin()
    async with Client(transport=transport(server, ann.token)) as session:
        stream = session.subscribe(POKE)
        await asyncio.wait_for(stream.__anext__(), 5)
        await post(server, CATEGORY, {"i": {"name": "Music"}}, admin.token)
        poke = await asyncio.wait_for(stream.__anext__(), 5)
        assert poke == {"syncPoke": 1}  # the public feed's seq
        await stream.aclose()


async def test_a_subscription_needs_an_access_token(api, server):
    async with Client(transport=transport(server, None)) as session:
        with pytest.raises(TransportQueryError) as refused:
            async for _ in session.subscribe(POKE):
                pass
    assert refused.value.errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
