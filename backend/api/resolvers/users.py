"""Users and sign-in: thin resolvers that call ``services.users``."""

from __future__ import annotations

from typing import Any

from ariadne import MutationType, ObjectType, QueryType

from ...auth.tokens import TokenPair
from ...services import profiles, refresh_families, users
from ...storage.items import Item
from ..context import Info, ctx_of

query = QueryType()
mutation = MutationType()
user_type = ObjectType("User")


def _auth_payload(info: Info, result: tuple[TokenPair, Item]) -> dict[str, Any]:
    tokens, user = result
    profiles.answer_to_own_sign_in(ctx_of(info), str(user["userId"]))
    return {"accessToken": tokens.access_token, "refreshToken": tokens.refresh_token, "user": user}


@mutation.field("signUp")
async def resolve_sign_up(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    return _auth_payload(info, await users.sign_up(ctx_of(info), input))


@mutation.field("signIn")
async def resolve_sign_in(_: Any, info: Info, email: str, password: str) -> dict[str, Any]:
    return _auth_payload(info, await users.sign_in(ctx_of(info), email, password))


@mutation.field("refreshToken")
async def resolve_refresh_token(_: Any, info: Info, token: str) -> dict[str, Any]:
    return _auth_payload(info, await refresh_families.rotate(ctx_of(info), token))


@mutation.field("signOut")
async def resolve_sign_out(_: Any, info: Info, refreshToken: str) -> bool:
    return await refresh_families.sign_out(ctx_of(info), refreshToken)


@mutation.field("createUser")
async def resolve_create_user(_: Any, info: Info, input: dict[str, Any]) -> Item:
    return await users.create_user(ctx_of(info), input)


@mutation.field("updateUserProfile")
async def resolve_update_user_profile(
    _: Any, info: Info, userId: str, input: dict[str, Any]
) -> Item:
    return await users.update_profile(ctx_of(info), userId, input)


@mutation.field("verifyUser")
async def resolve_verify_user(_: Any, info: Info, userId: str) -> Item:
    return await users.verify_user(ctx_of(info), userId)


@query.field("me")
async def resolve_me(_: Any, info: Info) -> Item | None:
    ctx = ctx_of(info)
    if ctx.viewer is None and ctx.auth_error is not None:
        raise ctx.auth_error  # an expired or bad token is not "signed out": refresh it
    if ctx.viewer is None:
        return None
    return await users.get_user(ctx, ctx.viewer.user_id)


@query.field("getUser")
async def resolve_get_user(_: Any, info: Info, userId: str) -> Item | None:
    return await users.get_user(ctx_of(info), userId)


@query.field("getUserByEmail")
async def resolve_get_user_by_email(_: Any, info: Info, email: str) -> Item | None:
    return await users.get_user_by_email(ctx_of(info), email)


@query.field("getUserByUsername")
async def resolve_get_user_by_username(_: Any, info: Info, username: str) -> Item | None:
    return await users.get_user_by_username(ctx_of(info), username)


@query.field("listUsersByRole")
async def resolve_list_users_by_role(
    _: Any, info: Info, role: str, limit: int | None = None
) -> list[Item]:
    return await users.list_users_by_role(ctx_of(info), role, limit)


@query.field("listUsersByInterest")
async def resolve_list_users_by_interest(
    _: Any, info: Info, interest: str, limit: int | None = None
) -> list[Item]:
    return await users.list_users_by_interest(ctx_of(info), interest, limit)


@query.field("listMenteesForMentor")
async def resolve_list_mentees_for_mentor(
    _: Any, info: Info, mentorId: str, limit: int | None = None
) -> list[Item]:
    return await users.list_mentees_for_mentor(ctx_of(info), mentorId, limit)


_HIDDEN: dict[str, Any] = {
    "email": "",
    "timeZone": "",
    "title": None,
    "location": None,
    "skills": [],
    "interests": [],
}


@user_type.field("email")
@user_type.field("timeZone")
@user_type.field("title")
@user_type.field("location")
@user_type.field("skills")
@user_type.field("interests")
async def resolve_user_personal_field(user: Item, info: Info) -> Any:
    """For the user's circle only (or everyone, for a mentor's directory fields); hidden
    fields read as ``None``, ``[]`` or ``""`` (``profiles``)."""
    name = info.field_name
    if await profiles.can_see_field(ctx_of(info), user, name):
        return user.get(name, _HIDDEN[name])
    return _HIDDEN[name]


@user_type.field("reflectionReminderTime")
async def resolve_reflection_reminder_time(user: Item, info: Info) -> Any:
    """A setting of the user's own: she and admins see it; for others it reads as null."""
    viewer = ctx_of(info).viewer
    if viewer is not None and (viewer.is_admin or viewer.user_id == user.get("userId")):
        return user.get("reflectionReminderTime")
    return None


bindables = [query, mutation, user_type]
