"""Who may do what with user profiles and accounts (spec "User-Level Access").

Every operation of the users domain × {owner, a mentor working with them, another user, an admin,
anonymous}. Allowed cells must return data; refused cells must return the code, and a refused
write must leave the profile exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

OWNER, MENTOR, STRANGER, ADMIN, ANON = "owner", "mentor", "stranger", "admin", "anonymous"
ROLES = (OWNER, MENTOR, STRANGER, ADMIN, ANON)
OK, F, U = "ok", "FORBIDDEN", "UNAUTHENTICATED"


def expect(owner: str, mentor: str, stranger: str, admin: str, anon: str) -> dict[str, str]:
    return {OWNER: owner, MENTOR: mentor, STRANGER: stranger, ADMIN: admin, ANON: anon}


ANYONE = expect(OK, OK, OK, OK, OK)
SELF_OR_ADMIN = expect(OK, F, F, OK, U)
ADMIN_ONLY = expect(F, F, F, OK, U)
MENTOR_SELF_OR_ADMIN = expect(F, OK, F, OK, U)


@dataclass(frozen=True)
class Op:
    name: str
    document: str
    who: dict[str, str]
    write: bool = False


def ops(world: dict[str, Any]) -> list[Op]:
    owner, mentor = world[OWNER].id, world[MENTOR].id
    return [
        Op("me", "{ me { userId } }", ANYONE),
        Op("getUser", f'{{ getUser(userId: "{owner}") {{ userId name }} }}', ANYONE),
        Op(
            "getUserByEmail",
            '{ getUserByEmail(email: "owner@example.com") { userId } }',
            ADMIN_ONLY,
        ),
        Op("getUserByUsername", '{ getUserByUsername(username: "owner") { userId } }', ANYONE),
        Op("listUsersByRole", "{ listUsersByRole(role: MENTOR) { userId } }", ANYONE),
        Op("listUsersByInterest", '{ listUsersByInterest(interest: "chess") { userId } }', ANYONE),
        Op(
            "listMenteesForMentor",
            f'{{ listMenteesForMentor(mentorId: "{mentor}") {{ userId }} }}',
            MENTOR_SELF_OR_ADMIN,
        ),
        Op(
            "updateUserProfile",
            f'mutation {{ updateUserProfile(userId: "{owner}", input: {{bio: "new"}}) {{ bio }} }}',
            SELF_OR_ADMIN,
            write=True,
        ),
        Op(
            "updateUserProfile.membershipTier",
            f'mutation {{ updateUserProfile(userId: "{owner}", '
            "input: {membershipTier: premium}) { membershipTier } }",
            ADMIN_ONLY,
            write=True,
        ),
        Op(
            "verifyUser",
            f'mutation {{ verifyUser(userId: "{owner}") {{ verified }} }}',
            ADMIN_ONLY,
            write=True,
        ),
        Op(
            "createUser",
            'mutation { createUser(input: {email: "new@example.com", username: "newbie", '
            'name: "New", role: MENTEE}) { userId } }',
            ADMIN_ONLY,
            write=True,
        ),
    ]


OP_NAMES = [
    "me",
    "getUser",
    "getUserByEmail",
    "getUserByUsername",
    "listUsersByRole",
    "listUsersByInterest",
    "listMenteesForMentor",
    "updateUserProfile",
    "updateUserProfile.membershipTier",
    "verifyUser",
    "createUser",
]


async def _world(api) -> dict[str, Any]:
    owner = await api.sign_up("Owner")
    await api.data(
        'mutation($id: ID!) { updateUserProfile(userId: $id, input: {interests: ["Chess"]}) '
        "{ userId } }",
        {"id": owner.id},
        as_=owner,
    )
    mentor = await api.sign_up("Mentor", role="MENTOR")
    stranger = await api.sign_up("Stranger")
    admin = await api.admin()
    await api.data(
        "mutation($i: CreateGoalInput!) { createGoal(input: $i) { goalId } }",
        {"i": {"title": "Learn", "mentorId": mentor.id}},
        as_=owner,
    )
    return {OWNER: owner, MENTOR: mentor, STRANGER: stranger, ADMIN: admin, ANON: None}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("op_name", OP_NAMES)
async def test_user_access_matrix(api, op_name, role):
    world = await _world(api)
    op = next(o for o in ops(world) if o.name == op_name)
    expected = op.who[role]
    before = await api.store.get("Users", {"userId": world[OWNER].id})
    body = await api.call(op.document, as_=world[role])
    if expected == OK:
        assert not body.get("errors"), body
        assert body["data"] is not None
    else:
        assert body.get("errors"), f"{op_name} as {role} should be refused: {body}"
        assert body["errors"][0]["extensions"]["code"] == expected
        if op.write:
            assert await api.store.get("Users", {"userId": world[OWNER].id}) == before
            newbie = await api.data('{ getUserByUsername(username: "newbie") { userId } }')
            assert newbie["getUserByUsername"] is None


async def test_the_matrix_covers_every_users_operation():
    from backend.api.sdl import build_sdl_schema

    schema = build_sdl_schema()
    users_ops = {
        "me",
        "getUser",
        "getUserByEmail",
        "getUserByUsername",
        "listUsersByRole",
        "listUsersByInterest",
        "listMenteesForMentor",
        "createUser",
        "updateUserProfile",
        "verifyUser",
    }
    roots = set(schema.query_type.fields) | set(schema.mutation_type.fields)
    assert users_ops <= roots
    assert users_ops <= {name.split(".")[0] for name in OP_NAMES}
