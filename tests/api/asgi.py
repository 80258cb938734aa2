"""The real ASGI app over a real store (each engine), driven as a GraphQL client would, with a
movable clock and signed-up users. A pytest plugin (see tests/conftest.py): the ``api`` and
``clock`` fixtures serve tests/api and tests/sync_server alike; ``Api`` and ``Person`` are
imported from here the normal way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from backend.app import create_app
from backend.auth.passwords import use_fast_hashing_for_tests
from backend.auth.tokens import TokenIssuer
from backend.services.context import Services
from domain.clock import FixedClock

use_fast_hashing_for_tests()

START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # a Tuesday
SECRET = "test-secret-" + "x" * 40


@dataclass
class Person:
    """A signed-up user as a test sees them."""

    id: str
    token: str
    email: str
    username: str


class Api:
    """Posts GraphQL to the app like a client would and unpacks the answers."""

    def __init__(self, client: httpx.AsyncClient, services: Services, clock: FixedClock) -> None:
        self.client = client
        self.services = services
        self.store = services.store
        self.clock = clock
        self._n = 0

    async def call(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: Person | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {as_.token}"} if as_ is not None else {}
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        body: dict[str, Any] = response.json()
        return body

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: Person | None = None
    ) -> dict[str, Any]:
        body = await self.call(query, variables, as_=as_)
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def error(
        self, query: str, variables: dict[str, Any] | None = None, *, as_: Person | None = None
    ) -> dict[str, Any]:
        """The first error of a request that must fail, flattened: message, code, field."""
        body = await self.call(query, variables, as_=as_)
        assert body.get("errors"), f"expected an error, got {body}"
        first = body["errors"][0]
        return {
            "message": first["message"],
            "code": first.get("extensions", {}).get("code"),
            "field": first.get("extensions", {}).get("field"),
        }

    async def sign_up(
        self, name: str = "", *, role: str = "MENTEE", time_zone: str = "UTC", **extra: Any
    ) -> Person:
        self._n += 1
        username = (name or f"user{self._n}").lower().replace(" ", "")
        email = f"{username}@example.com"
        data = await self.data(
            """mutation($input: SignUpInput!) {
                 signUp(input: $input) { accessToken user { userId } } }""",
            {
                "input": {
                    "email": email,
                    "username": username,
                    "name": name or username.title(),
                    "password": "correct horse battery",
                    "role": role,
                    "timeZone": time_zone,
                    **extra,
                }
            },
        )
        payload = data["signUp"]
        return Person(payload["user"]["userId"], payload["accessToken"], email, username)

    async def admin(self) -> Person:
        """A user with the admin flag (set in storage, as the CLI does) and a fresh token."""
        person = await self.sign_up("Admin Ada", role="BOTH")
        await self.store.update("Users", {"userId": person.id}, set={"isAdmin": True})
        person.token = self.services.tokens.issue(person.id, is_admin=True).access_token
        return person


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
async def api(store, clock):
    services = Services(store=store, clock=clock, tokens=TokenIssuer(SECRET, clock))
    app = create_app(services)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://growlink.test") as client:
        yield Api(client, services, clock)
