"""The few things the app can only do online: create an account and edit the profile.

The sync protocol does not let a device write the USER item, so these go straight to the
GraphQL API. Failures are typed: ``Unreachable`` (say "you are offline" and keep the draft)
or ``Refused`` (the server's message, e.g. a taken email, with the offending field).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from sync.wire import AuthSession

_SIGN_UP = """mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) { accessToken refreshToken user { userId } }
}"""

_UPDATE_PROFILE = """mutation UpdateProfile($userId: ID!, $input: UpdateUserInput!) {
  updateUserProfile(userId: $userId, input: $input) { userId name bio timeZone }
}"""


class OnlineActionError(Exception):
    """An online action did not happen."""


class Unreachable(OnlineActionError):
    """No answer from the server: nothing changed there."""


class Refused(OnlineActionError):
    """The server answered with an error (``code``, and ``field`` for bad input)."""

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.field = field


def graphql_url(server_url: str) -> str:
    base = server_url.rstrip("/")
    return base if base.endswith("/graphql") else base + "/graphql"


async def _call(
    server_url: str, query: str, variables: Mapping[str, Any], token: str | None = None
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        async with httpx.AsyncClient(timeout=15.0) as client:
            answer = await client.post(
                graphql_url(server_url),
                json={"query": query, "variables": dict(variables)},
                headers=headers,
            )
    except httpx.HTTPError as exc:
        raise Unreachable(f"The server at {server_url} cannot be reached.") from exc
    if answer.status_code >= 500:
        raise Unreachable(
            f"The server at {server_url} is not answering (HTTP {answer.status_code})."
        )
    try:
        body = answer.json()
    except ValueError as exc:
        raise Unreachable(f"{server_url} did not answer like a Growlink server.") from exc
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors:
        first = errors[0]
        extensions = first.get("extensions") or {}
        raise Refused(
            str(first.get("message", "refused")),
            code=extensions.get("code"),
            field=extensions.get("field"),
        )
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise Unreachable(f"{server_url} did not answer like a Growlink server.")
    return data


async def sign_up(
    server_url: str,
    *,
    email: str,
    username: str,
    name: str,
    password: str,
    time_zone: str,
    role: str = "MENTEE",
) -> AuthSession:
    """Create an account and return its first session."""
    data = await _call(
        server_url,
        _SIGN_UP,
        {
            "input": {
                "email": email,
                "username": username,
                "name": name,
                "password": password,
                "role": role,
                "timeZone": time_zone,
            }
        },
    )
    payload = data["signUp"]
    return AuthSession(payload["accessToken"], payload["refreshToken"], payload["user"]["userId"])


async def update_profile(
    server_url: str, token: str, user_id: str, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """Change the user's own profile fields; returns the server's new values."""
    data = await _call(
        server_url, _UPDATE_PROFILE, {"userId": user_id, "input": dict(fields)}, token
    )
    return dict(data["updateUserProfile"])


_RETURN_GOAL = """mutation ReturnGoal($goalId: ID!, $note: String!) {
  returnGoal(goalId: $goalId, note: $note) { goalId status }
}"""


async def return_goal(server_url: str, token: str, goal_id: str, note: str) -> str:
    """The mentor sends a pending goal back to draft with ``note``; returns its new status.
    Online only: the note travels with the move and the protocol has no field for it."""
    data = await _call(server_url, _RETURN_GOAL, {"goalId": goal_id, "note": note}, token)
    return str(data["returnGoal"]["status"])
