"""New users signed up over HTTP, as the app does it: one request per account."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

PASSWORD = "correct horse battery"
SIGN_UP = "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken user { userId } } }"


class SignUpRefused(RuntimeError):
    """The server answered the sign-up with errors."""


@dataclass(frozen=True)
class Account:
    email: str
    user_id: str
    token: str


def sign_up_request(name: str | None, role: str) -> tuple[str, dict[str, Any]]:
    """The email of the new account (time zone UTC; a random name unless given) and the
    request body that signs it up."""
    name = name or f"u{uuid.uuid4().hex[:12]}"
    email = f"{name}@example.com"
    fields = {
        "email": email,
        "username": name,
        "name": name,
        "password": PASSWORD,
        "role": role,
        "timeZone": "UTC",
    }
    return email, {"query": SIGN_UP, "variables": {"i": fields}}


def account_from(email: str, answer: dict[str, Any]) -> Account:
    if answer.get("errors"):
        raise SignUpRefused(f"{email}: {answer['errors']}")
    payload = answer["data"]["signUp"]
    return Account(email, payload["user"]["userId"], payload["accessToken"])


async def sign_up(
    http: httpx.AsyncClient, *, name: str | None = None, role: str = "MENTEE"
) -> Account:
    """A new account through ``http`` (a client whose base URL is the server)."""
    email, body = sign_up_request(name, role)
    return account_from(email, (await http.post("/graphql", json=body)).json())


def sign_up_blocking(url: str, *, name: str | None = None, role: str = "MENTEE") -> Account:
    """A new account on the server at ``url``, without an event loop."""
    email, body = sign_up_request(name, role)
    return account_from(email, httpx.post(f"{url}/graphql", json=body, timeout=60).json())
