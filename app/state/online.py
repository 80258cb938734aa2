"""The few things the app can only do online: create an account, edit the profile, fetch the
mentor directory and a mentor's reviews, write a review, cancel a session, register for an
event.

The sync protocol does not let a device write the USER item, so these go straight to the
GraphQL API. Failures are typed: ``Unreachable`` (say "you are offline" and keep the draft)
or ``Refused`` (the server's message, e.g. a taken email, with the offending field).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import httpx

from sync import DeviceStore, GqlRemote, RetryableError, SyncError
from sync.wire import AuthSession

T = TypeVar("T")

_SIGN_UP = """mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) { accessToken refreshToken user { userId role } }
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
    user = payload["user"]
    return AuthSession(
        payload["accessToken"], payload["refreshToken"], user["userId"], user["role"]
    )


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


_MENTORS = """query Mentors($role: UserRole!) {
  listUsersByRole(role: $role, limit: 200) {
    userId name username title role bio skills interests membershipTier verified rating
    totalSessions mentorshipCategories { categoryId name }
  }
}"""

_CANCEL_SESSION = """mutation Cancel($sessionId: ID!, $reason: String) {
  cancelSession(sessionId: $sessionId, reason: $reason) { sessionId status }
}"""

_FEEDBACK = """mutation Feedback($input: SessionFeedbackInput!) {
  submitSessionFeedback(input: $input) { feedbackId }
}"""

_REGISTER = """mutation Register($eventId: ID!) {
  registerForEvent(eventId: $eventId) { attendanceId status }
}"""

_UNREGISTER = """mutation Unregister($eventId: ID!) {
  cancelEventRegistration(eventId: $eventId) { attendanceId status }
}"""


async def fetch_mentors(server_url: str, token: str) -> list[dict[str, Any]]:
    """Every mentor's public profile (MENTOR and BOTH), for the directory kept on the device."""
    mentors: list[dict[str, Any]] = []
    for role in ("MENTOR", "BOTH"):
        data = await _call(server_url, _MENTORS, {"role": role}, token)
        mentors += [dict(item) for item in data["listUsersByRole"]]
    return mentors


async def cancel_session(
    server_url: str, token: str, session_id: str, reason: str | None = None
) -> dict[str, Any]:
    """Cancel a session (the spec's rules are the server's: participants, before the start)."""
    data = await _call(
        server_url, _CANCEL_SESSION, {"sessionId": session_id, "reason": reason}, token
    )
    return dict(data["cancelSession"])


async def submit_feedback(server_url: str, token: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The mentee's feedback on a completed session (the server checks its window)."""
    data = await _call(server_url, _FEEDBACK, {"input": dict(fields)}, token)
    return dict(data["submitSessionFeedback"])


async def register_for_event(server_url: str, token: str, event_id: str) -> dict[str, Any]:
    """Take a place at an event; the server refuses a full one."""
    data = await _call(server_url, _REGISTER, {"eventId": event_id}, token)
    return dict(data["registerForEvent"])


async def cancel_event_registration(server_url: str, token: str, event_id: str) -> dict[str, Any]:
    data = await _call(server_url, _UNREGISTER, {"eventId": event_id}, token)
    return dict(data["cancelEventRegistration"])


_REVIEWS = """query Reviews($targetId: ID!) {
  listReviewsForTarget(targetId: $targetId, limit: 100) {
    reviewId rating comment type createdAt updatedAt author { userId name }
  }
}"""

_UPSERT_REVIEW = """mutation Review($input: ReviewInput!) {
  upsertReview(input: $input) {
    reviewId rating comment type createdAt updatedAt author { userId name }
  }
}"""


async def fetch_reviews(server_url: str, token: str, target_id: str) -> list[dict[str, Any]]:
    """The reviews of a user (a mentor's profile); anonymous ones name no author."""
    data = await _call(server_url, _REVIEWS, {"targetId": target_id}, token)
    return [dict(item) for item in data["listReviewsForTarget"]]


async def upsert_review(server_url: str, token: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Write the caller's review of a user; a second one replaces the first (one per pair)."""
    data = await _call(server_url, _UPSERT_REVIEW, {"input": dict(fields)}, token)
    return dict(data["upsertReview"])


async def signed_in(store: DeviceStore, action: Callable[[str, str], Awaitable[T]]) -> T:
    """Run ``action(server_url, access_token)`` as the device's account, refreshing the access
    token once when the server says it expired (``Unreachable`` with no session at all)."""
    record = store.sync_state()
    if record.server_url is None or record.access_token is None:
        raise Unreachable("Sign in again to do this online.")
    try:
        return await action(record.server_url, record.access_token)
    except Refused as exc:
        if exc.code != "UNAUTHENTICATED" or record.refresh_token is None:
            raise
    token = await _refreshed_token(store, record.server_url, record.refresh_token)
    return await action(record.server_url, token)


async def _refreshed_token(store: DeviceStore, server_url: str, refresh_token: str) -> str:
    remote = GqlRemote(server_url, timeout=10.0)
    try:
        session = await remote.refresh(refresh_token)
    except RetryableError as exc:
        raise Unreachable(f"The server at {server_url} cannot be reached.") from exc
    except SyncError as exc:
        raise Refused("Sign in again to do this online.", code=exc.code) from exc
    finally:
        await remote.aclose()
    store.adopt_session(server_url, session)
    return session.access_token


_SIGN_OUT = """mutation SignOut($refreshToken: String!) { signOut(refreshToken: $refreshToken) }"""


async def sign_out(server_url: str, refresh_token: str) -> None:
    """End this device's sign-in on the server: its refresh token (and its family) stop
    working."""
    await _call(server_url, _SIGN_OUT, {"refreshToken": refresh_token})


_CONFIRM_SESSION = """mutation Confirm($sessionId: ID!) {
  confirmSession(sessionId: $sessionId) { sessionId status }
}"""


async def confirm_session(server_url: str, token: str, session_id: str) -> dict[str, Any]:
    """The mentor confirms a requested session (the server checks it is theirs)."""
    data = await _call(server_url, _CONFIRM_SESSION, {"sessionId": session_id}, token)
    return dict(data["confirmSession"])


_UPSERT_NOTES = """mutation Notes($input: UpsertMentorSessionNotesInput!) {
  upsertMentorSessionNotes(input: $input) { noteId updatedAt }
}"""


async def upsert_session_notes(
    server_url: str, token: str, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """The session's mentor writes (or replaces) his private notes on it."""
    data = await _call(server_url, _UPSERT_NOTES, {"input": dict(fields)}, token)
    return dict(data["upsertMentorSessionNotes"])


_MENTORED_GOALS = """query Mentored($mentorId: ID!) {
  listGoalsForMentor(mentorId: $mentorId, limit: 200) {
    goalId status progress user { userId }
    habits { habitId status currentStreak completions { date completed } }
  }
}"""


async def mentored_goals(server_url: str, token: str, mentor_id: str) -> list[dict[str, Any]]:
    """The goals I mentor, with their habits' streaks and check-ins (the server computes the
    streaks in each mentee's own zone)."""
    data = await _call(server_url, _MENTORED_GOALS, {"mentorId": mentor_id}, token)
    return [dict(goal) for goal in data["listGoalsForMentor"]]
