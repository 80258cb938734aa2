"""The short way for ``POST /graphql`` with a JSON object (``backend.api.json_post``): every
request gets the same answer as on the ordinary path (Starlette's router and ariadne's
handler), and whatever the short way does not take reaches that path with its body intact."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp, Receive, Scope, Send

from backend.api.json_post import JsonPost
from backend.app import create_app
from backend.auth.tokens import TokenIssuer
from backend.services.context import Services
from tests.api.asgi import SECRET

BASE = "http://growlink.test"


class Counted:
    """The ordinary path, counting the requests that reach it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.calls = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        await self.app(scope, receive, send)


def find_json_post(app: Any) -> JsonPost:
    while not isinstance(app, JsonPost):
        app = app.app
    return app


@pytest.fixture
async def paths(store, clock):
    """(short, ordinary, counted): clients of the app as served and of the app behind its
    ``JsonPost``, and the counter of requests ``JsonPost`` passed on."""
    services = Services(store=store, clock=clock, tokens=TokenIssuer(SECRET, clock))
    app = create_app(services)
    stack = app.build_middleware_stack()
    json_post = find_json_post(stack)
    ordinary = json_post.app
    counted = Counted(ordinary)
    json_post.app = counted
    app.middleware_stack = stack

    async def behind(scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = app  # as Starlette sets it
        await ordinary(scope, receive, send)

    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as short,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=behind), base_url=BASE) as plain,
    ):
        token = await sign_up(short)
        counted.calls = 0
        yield short, plain, counted, token


async def sign_up(client: httpx.AsyncClient) -> str:
    answer = await client.post(
        "/graphql",
        json={
            "query": "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }",
            "variables": {
                "i": {
                    "email": "jo@example.com",
                    "username": "jo.test",
                    "name": "Jo",
                    "password": "correct horse battery",
                    "role": "MENTEE",
                    "timeZone": "UTC",
                }
            },
        },
    )
    assert answer.json().get("data"), answer.json()
    token: str = answer.json()["data"]["signUp"]["accessToken"]
    return token


def seen(response: httpx.Response) -> tuple[int, str | None, str | None, str | None, Any]:
    """What a client sees: status, media type, coding, Vary and the decoded body."""
    raw = response.content  # httpx decodes gzip and zstd
    coding = response.headers.get("content-encoding")
    try:
        body: Any = json.loads(raw)
    except ValueError:
        body = raw.decode()
    return (
        response.status_code,
        response.headers.get("content-type"),
        coding,
        response.headers.get("vary"),
        body,
    )


ME = {"query": "{ me { userId name } }"}
TWO = {"query": "query A { __typename } query B { me { name } }", "operationName": "B"}
LARGE = {"query": "{ __schema { types { name description } } }"}
TAKEN = [
    ("a query", ME, {}, True),
    ("no token", ME, {"__no_token__": "1"}, True),
    ("a malformed token", ME, {"Authorization": "Bearer not-a-token"}, True),
    ("a syntax error", {"query": "{ me { "}, {}, False),
    (
        "a syntax error, graphql-response+json",
        {"query": "{ me { "},
        {"Accept": "application/graphql-response+json"},
        False,
    ),
    ("an unknown field", {"query": "{ nope }"}, {}, False),
    (
        "a variable of the wrong type",
        {"query": "query($n: Int) { __typename }", "variables": {"n": "x"}},
        {},
        False,
    ),
    (
        "an integer beyond 64 bits",
        {"query": "query($n: Int) { __typename }", "variables": {"n": 10**30}},
        {},
        False,
    ),
    (
        "NaN for a Float",  # Python's json reads NaN, as Starlette's Request.json did
        b'{"query": "query($f: Float) { __typename }", "variables": {"f": NaN}}',
        {},
        False,
    ),
    ("an operation by name", TWO, {}, True),
    ("no query", {"variables": {}}, {}, False),
    ("a large answer, gzip", LARGE, {"Accept-Encoding": "gzip"}, True),
    ("a large answer, zstd", LARGE, {"Accept-Encoding": "zstd"}, True),
    ("a large answer, identity", LARGE, {"Accept-Encoding": "identity"}, True),
]


@pytest.mark.parametrize(("what", "body", "headers", "has_data"), TAKEN, ids=[t[0] for t in TAKEN])
async def test_the_short_way_answers_as_the_ordinary_path(paths, what, body, headers, has_data):
    short, plain, counted, token = paths
    sent = {"Authorization": f"Bearer {token}", **headers}
    if sent.pop("__no_token__", None):
        sent.pop("Authorization")
    if isinstance(body, bytes):  # what httpx's json= would refuse to write
        sent["Content-Type"] = "application/json"
        kwargs: dict[str, Any] = {"content": body, "headers": sent}
    else:
        kwargs = {"json": body, "headers": sent}
    fast = await short.post("/graphql", **kwargs)
    assert counted.calls == 0, f"{what}: the short way passed it on"
    slow = await plain.post("/graphql", **kwargs)
    assert seen(fast) == seen(slow)
    assert (seen(fast)[4].get("data") is not None) == has_data, seen(fast)


PASSED_ON = [
    ("a JSON array", b'[{"query": "{ __typename }"}]', "application/json"),
    ("not JSON", b"{ me }", "application/json"),
    ("text/plain", b'{"query": "{ __typename }"}', "text/plain"),
    ("a GraphQL document", b"{ __typename }", "application/graphql"),
]


@pytest.mark.parametrize(("what", "raw", "media"), PASSED_ON, ids=[p[0] for p in PASSED_ON])
async def test_what_the_short_way_does_not_take_reaches_the_ordinary_path_whole(
    paths, what, raw, media
):
    short, plain, counted, token = paths
    headers = {"Content-Type": media, "Authorization": f"Bearer {token}"}
    fast = await short.post("/graphql", content=raw, headers=headers)
    assert counted.calls == 1, f"{what}: not passed on"
    slow = await plain.post("/graphql", content=raw, headers=headers)
    assert seen(fast) == seen(slow)


async def test_a_charset_parameter_still_takes_the_short_way(paths):
    short, _, counted, token = paths
    answer = await short.post(
        "/graphql",
        content=json.dumps(ME).encode(),
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Authorization": f"Bearer {token}",
        },
    )
    assert counted.calls == 0
    assert answer.json()["data"]["me"]["name"] == "Jo"


async def test_gets_and_other_paths_go_the_ordinary_way(paths):
    short, _, counted, token = paths
    answer = await short.get(
        "/graphql",
        params={"query": "{ me { name } }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.json()["data"]["me"]["name"] == "Jo"
    assert (await short.get("/health")).json() == {"status": "ok"}
    assert (await short.post("/health", json={})).status_code == 405
    assert counted.calls == 3
