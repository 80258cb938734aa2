"""``GqlRemote``: its documents match the server's SDL, its requests have the contract's
shape, and every kind of failure maps to retryable / auth / fatal."""

from __future__ import annotations

import json

import graphql
import httpx
import pytest

from backend.api.sdl import build_sdl_schema
from sync.documents import NAMES, document
from sync.entities import Entity, Op
from sync.errors import AuthError, FatalError, RetryableError
from sync.poke import websocket_url
from sync.remote import GqlRemote
from sync.wire import ChangeIn, ChangeStatus


@pytest.mark.parametrize("name", NAMES)
def test_every_operation_document_is_valid_against_the_servers_sdl(name):
    errors = graphql.validate(build_sdl_schema(), graphql.parse(document(name)))
    assert errors == []


def remote_answering(handler) -> GqlRemote:
    return GqlRemote("http://server.test", transport=httpx.MockTransport(handler))


def graphql_answer(data=None, errors=None, status=200, headers=None):
    body = {"data": data} if errors is None else {"data": data, "errors": errors}
    return httpx.Response(status, json=body, headers=headers)


async def test_push_sends_the_contracts_shape_with_the_token_and_reads_the_results():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["auth"] = request.headers["authorization"]
        seen["body"] = json.loads(request.content)
        return graphql_answer(
            {
                "pushChanges": {
                    "lastMutationId": 7,
                    "results": [
                        {
                            "mutationId": 7,
                            "status": "REJECTED",
                            "entity": "TODO",
                            "key": {"userId": "u", "todoId": "t"},
                            "version": 3,
                            "item": {"todoId": "t", "_version": 3},
                            "error": {
                                "code": "BAD_USER_INPUT",
                                "message": "too long",
                                "field": "text",
                                "retryable": False,
                            },
                            "issueId": "i1",
                        }
                    ],
                }
            },
            headers={"date": "Tue, 24 Nov 2026 12:00:00 GMT"},
        )

    remote = remote_answering(handler)
    change = ChangeIn(
        7, Entity.TODO, {"userId": "u", "todoId": "t"}, Op.PATCH, 2, {"text": "x"}, "c"
    )
    payload = await remote.push("client-1", [change], token="tok")
    await remote.aclose()
    assert seen["auth"] == "Bearer tok"
    assert seen["body"]["variables"] == {
        "input": {
            "clientId": "client-1",
            "changes": [
                {
                    "mutationId": 7,
                    "entity": "TODO",
                    "key": {"userId": "u", "todoId": "t"},
                    "op": "PATCH",
                    "baseVersion": 2,
                    "fields": {"text": "x"},
                    "clientTime": "c",
                }
            ],
        }
    }
    [result] = payload.results
    assert (payload.last_mutation_id, result.status, result.issue_id) == (
        7,
        ChangeStatus.REJECTED,
        "i1",
    )
    assert result.error is not None and result.error.field == "text"
    assert payload.server_time is not None and payload.server_time.isoformat() == (
        "2026-11-24T12:00:00+00:00"
    )


async def test_pull_reads_pages_with_json_strings_or_objects():
    def handler(request: httpx.Request) -> httpx.Response:
        assert json.loads(request.content)["variables"] == {"cursor": "c1", "limit": 10}
        return graphql_answer(
            {
                "pullChanges": {
                    "changes": [
                        {
                            "seq": 4,
                            "entity": "GOAL",
                            "key": '{"goalId": "g"}',
                            "version": 2,
                            "deleted": False,
                            "item": '{"goalId": "g", "_version": 2}',
                        },
                        {
                            "seq": 5,
                            "entity": "TODO",
                            "key": {"userId": "u", "todoId": "t"},
                            "version": 9,
                            "deleted": True,
                            "item": None,
                        },
                    ],
                    "cursor": "c2",
                    "hasMore": True,
                    "resetRequired": False,
                }
            }
        )

    remote = remote_answering(handler)
    page = await remote.pull("c1", 10, token="tok")
    await remote.aclose()
    assert [c.key for c in page.changes] == [{"goalId": "g"}, {"userId": "u", "todoId": "t"}]
    assert page.changes[0].item == {"goalId": "g", "_version": 2}
    assert (page.cursor, page.has_more, page.changes[1].deleted) == ("c2", True, True)


def failing_with(code):
    return lambda request: graphql_answer(None, [{"message": "no", "extensions": {"code": code}}])


@pytest.mark.parametrize(
    ("handler", "kind", "code"),
    [
        (failing_with("UNAUTHENTICATED"), AuthError, "UNAUTHENTICATED"),
        (failing_with("SERVICE_UNAVAILABLE"), RetryableError, "SERVICE_UNAVAILABLE"),
        (failing_with("INTERNAL_SERVER_ERROR"), RetryableError, "INTERNAL_SERVER_ERROR"),
        (failing_with("MUTATION_GAP"), FatalError, "MUTATION_GAP"),
        (failing_with("BAD_USER_INPUT"), FatalError, "BAD_USER_INPUT"),
        (lambda r: httpx.Response(503, text="<html>busy</html>"), RetryableError, "503"),
        (lambda r: httpx.Response(502, text="bad gateway"), RetryableError, "502"),
        (lambda r: httpx.Response(429, text="slow down"), RetryableError, "429"),
        (lambda r: httpx.Response(404, text="nothing here"), FatalError, "404"),
        (lambda r: httpx.Response(200, text="not json"), RetryableError, None),
    ],
    ids=[
        "unauthenticated",
        "unavailable",
        "internal",
        "gap",
        "bad-input",
        "503",
        "502",
        "429",
        "404",
        "not-json",
    ],
)
async def test_failures_map_to_what_the_engine_does_next(handler, kind, code):
    remote = remote_answering(handler)
    with pytest.raises(kind) as failure:
        await remote.pull(None, 10, token="tok")
    await remote.aclose()
    assert failure.value.code == code


@pytest.mark.parametrize(
    "error",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("cut")],
)
async def test_network_failures_are_retryable(error):
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    remote = remote_answering(handler)
    with pytest.raises(RetryableError):
        await remote.push("c", [], token="tok")
    await remote.aclose()


async def test_sign_in_and_refresh_read_the_tokens_and_user():
    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        field = "signIn" if "signIn" in body["query"] else "refreshToken"
        return graphql_answer(
            {field: {"accessToken": "a", "refreshToken": "r", "user": {"userId": "u"}}}
        )

    remote = remote_answering(handler)
    signed = await remote.sign_in("e@example.com", "pw")
    refreshed = await remote.refresh("r0")
    await remote.aclose()
    assert signed == refreshed
    assert (signed.access_token, signed.refresh_token, signed.user_id) == ("a", "r", "u")


def test_urls():
    assert GqlRemote("http://h:1").url == "http://h:1/graphql"
    assert GqlRemote("http://h:1/graphql").url == "http://h:1/graphql"
    assert websocket_url("http://h:1") == "ws://h:1/graphql"
    assert websocket_url("https://h/graphql") == "wss://h/graphql"
