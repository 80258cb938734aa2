"""Who may do what with goals, habits, completions, todos and badges (spec "Goal & Habit Access").

Every operation of the domain × {owner, the goal's assigned mentor, a stranger, an admin,
anonymous}. Allowed cells must return data; refused cells must return the code, and a refused
write must leave storage exactly as it was. The world is written straight to storage so each
cell costs one operation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from backend.storage.base import Put

OWNER, MENTOR, STRANGER, ADMIN, ANON = "owner", "mentor", "stranger", "admin", "anonymous"
ROLES = (OWNER, MENTOR, STRANGER, ADMIN, ANON)
OK = "ok"
F, U, NF = "FORBIDDEN", "UNAUTHENTICATED", "NOT_FOUND"

IDS = {
    OWNER: "10000000-0000-4000-8000-000000000001",
    MENTOR: "10000000-0000-4000-8000-000000000002",
    STRANGER: "10000000-0000-4000-8000-000000000003",
    ADMIN: "10000000-0000-4000-8000-000000000004",
}
GOAL_ID = "20000000-0000-4000-8000-000000000001"
HABIT_ID = "30000000-0000-4000-8000-000000000001"
TODO_ID = "40000000-0000-4000-8000-000000000001"
CREATED = "2026-11-14T08:00:00.000000Z"
WRITTEN_TABLES = ("Goals", "Habits", "HabitCompletions", "Todos", "Badges", "Notifications")


def expect(owner: str, mentor: str, stranger: str, admin: str) -> dict[str, str]:
    return {OWNER: owner, MENTOR: mentor, STRANGER: stranger, ADMIN: admin, ANON: U}


READERS = expect(OK, OK, F, F)  # owner and assigned mentor
OWNER_ONLY = expect(OK, F, F, F)
MENTOR_ONLY = expect(F, OK, F, F)
ADMIN_ONLY = expect(F, F, F, OK)
SIGNED_IN = expect(OK, OK, OK, OK)
OWN_PARTITION = expect(OK, NF, NF, NF)  # todos are looked up in the caller's own partition


@dataclass(frozen=True)
class Op:
    name: str
    document: str
    variables: dict[str, Any]
    who: dict[str, str]
    write: bool = False
    goal: dict[str, Any] = field(default_factory=dict)  # overrides of the seeded goal
    habit: dict[str, Any] = field(default_factory=dict)


def q(field_name: str, args: str, selection: str = "__typename", *, mutation: bool = False) -> str:
    kind = "mutation" if mutation else "query"
    return f"{kind} {{ {field_name}({args}) {{ {selection} }} }}"


G, H, T, OWNER_ID, MENTOR_ID = GOAL_ID, HABIT_ID, TODO_ID, IDS[OWNER], IDS[MENTOR]

OPS = [
    # -- goals
    Op("getGoal", q("getGoal", f'goalId: "{G}"', "goalId"), {}, READERS),
    Op("listGoalsForUser", q("listGoalsForUser", f'userId: "{OWNER_ID}"', "goalId"), {}, READERS),
    Op(
        "listGoalsForMentor",
        q("listGoalsForMentor", f'mentorId: "{MENTOR_ID}"', "goalId"),
        {},
        MENTOR_ONLY,
    ),
    Op("listGoalsByStatus", q("listGoalsByStatus", "status: active", "goalId"), {}, ADMIN_ONLY),
    Op(
        "createGoal",
        q("createGoal", 'input: {title: "Mine"}', "goalId", mutation=True),
        {},
        SIGNED_IN,
        write=True,
    ),
    Op(
        "updateGoal",
        q("updateGoal", f'goalId: "{G}", input: {{title: "New"}}', "title", mutation=True),
        {},
        OWNER_ONLY,
        write=True,
    ),
    Op(
        "submitGoalForApproval",
        q("submitGoalForApproval", f'goalId: "{G}"', "status", mutation=True),
        {},
        OWNER_ONLY,
        write=True,
        goal={"status": "draft", "mentorApproved": False},
    ),
    Op(
        "approveGoal",
        q("approveGoal", f'goalId: "{G}"', "status", mutation=True),
        {},
        MENTOR_ONLY,
        write=True,
        goal={"status": "pending_approval", "mentorApproved": False},
    ),
    Op(
        "completeGoal",
        q("completeGoal", f'goalId: "{G}"', "status", mutation=True),
        {},
        OWNER_ONLY,
        write=True,
    ),
    Op(
        "archiveGoal",
        q("archiveGoal", f'goalId: "{G}"', "status", mutation=True),
        {},
        OWNER_ONLY,
        write=True,
    ),
    # -- habits
    Op("getHabit", q("getHabit", f'habitId: "{H}"', "habitId currentStreak"), {}, READERS),
    Op(
        "listHabitsForUser", q("listHabitsForUser", f'userId: "{OWNER_ID}"', "habitId"), {}, READERS
    ),
    Op("listHabitsForGoal", q("listHabitsForGoal", f'goalId: "{G}"', "habitId"), {}, READERS),
    Op("getHabitStats", q("getHabitStats", f'habitId: "{H}"', "totalCompletions"), {}, READERS),
    Op(
        "createHabit",
        q(
            "createHabit",
            f'input: {{goalId: "{G}", title: "x", frequency: daily, duration: 1}}',
            "habitId",
            mutation=True,
        ),
        {},
        OWNER_ONLY,
        write=True,
    ),
    Op(
        "updateHabit",
        q("updateHabit", f'habitId: "{H}", input: {{title: "New"}}', "title", mutation=True),
        {},
        OWNER_ONLY,
        write=True,
    ),
    Op(
        "pauseHabit",
        q("pauseHabit", f'habitId: "{H}"', "status", mutation=True),
        {},
        OWNER_ONLY,
        write=True,
    ),
    Op(
        "resumeHabit",
        q("resumeHabit", f'habitId: "{H}"', "status", mutation=True),
        {},
        OWNER_ONLY,
        write=True,
        habit={"status": "paused"},
    ),
    Op(
        "setHabitStatus",
        q("setHabitStatus", f'habitId: "{H}", status: completed', "status", mutation=True),
        {},
        OWNER_ONLY,
        write=True,
    ),
    # -- completions
    Op(
        "completeHabit",
        q("completeHabit", f'habitId: "{H}", date: "2026-11-24"', "date", mutation=True),
        {},
        OWNER_ONLY,
        write=True,
    ),
    Op(
        "uncompleteHabit",
        q("uncompleteHabit", f'habitId: "{H}", date: "2026-11-23"', "completed", mutation=True),
        {},
        OWNER_ONLY,
        write=True,
    ),
    Op(
        "getHabitCompletion",
        q("getHabitCompletion", f'habitId: "{H}", date: "2026-11-23"', "date"),
        {},
        READERS,
    ),
    Op(
        "listCompletionsForHabit",
        q("listCompletionsForHabit", f'habitId: "{H}"', "date"),
        {},
        READERS,
    ),
    Op(
        "listCompletionsForHabitPage",
        q("listCompletionsForHabitPage", f'habitId: "{H}"', "items { date }"),
        {},
        READERS,
    ),
    Op(
        "listCompletionsForUser",
        q("listCompletionsForUser", f'userId: "{OWNER_ID}"', "date"),
        {},
        OWNER_ONLY,
    ),
    Op(
        "listCompletionsForUserPage",
        q("listCompletionsForUserPage", f'userId: "{OWNER_ID}"', "items { date }"),
        {},
        OWNER_ONLY,
    ),
    # -- todos
    Op(
        "listTodosForUser", q("listTodosForUser", f'userId: "{OWNER_ID}"', "todoId"), {}, OWNER_ONLY
    ),
    Op("listTodosForGoal", q("listTodosForGoal", f'goalId: "{G}"', "todoId"), {}, READERS),
    Op(
        "createTodo",
        q("createTodo", f'input: {{text: "x", goalId: "{G}"}}', "todoId", mutation=True),
        {},
        OWNER_ONLY,
        write=True,
    ),
    Op(
        "updateTodo",
        q("updateTodo", f'todoId: "{T}", input: {{text: "New"}}', "text", mutation=True),
        {},
        OWN_PARTITION,
        write=True,
    ),
    Op(
        "toggleTodo",
        q("toggleTodo", f'todoId: "{T}"', "done", mutation=True),
        {},
        OWN_PARTITION,
        write=True,
    ),
    Op(
        "deleteTodo",
        q("deleteTodo", f'todoId: "{T}"', "todoId", mutation=True),
        {},
        OWN_PARTITION,
        write=True,
    ),
    # -- badges
    Op(
        "listBadgesForUser",
        q("listBadgesForUser", f'userId: "{OWNER_ID}"', "badgeId"),
        {},
        SIGNED_IN,
    ),
    Op("listBadgesByType", q("listBadgesByType", "type: streak", "badgeId"), {}, ADMIN_ONLY),
]

CELLS = [pytest.param(op, role, id=f"{op.name}-{role}") for op in OPS for role in ROLES]


def _user(role: str) -> dict[str, Any]:
    return {
        "userId": IDS[role],
        "email": f"{role}@example.com",
        "username": role,
        "name": role.title(),
        "role": {OWNER: "MENTEE", ADMIN: "BOTH"}.get(role, "MENTOR"),
        "timeZone": "UTC",
        "membershipTier": "standard",
        "verified": False,
        "rating": 0,
        "totalSessions": 0,
        "inPersonSessions": 0,
        "skills": [],
        "interests": [],
        "createdAt": CREATED,
        "updatedAt": CREATED,
        "_version": 1,
        **({"isAdmin": True} if role == ADMIN else {}),
    }


@dataclass(frozen=True)
class Caller:
    """What ``api.call`` needs to act as someone: their access token."""

    id: str
    token: str


async def seed_world(api: Any, op: Op) -> dict[str, Caller | None]:
    """Four users, the owner's goal (mentored by the mentor) with a habit, a completion,
    a todo and a badge, written in one transaction."""
    stamps = {"createdAt": CREATED, "updatedAt": CREATED, "_version": 1}
    owner_id = IDS[OWNER]
    goal = {
        "goalId": GOAL_ID,
        "userId": owner_id,
        "mentorId": IDS[MENTOR],
        "title": "Become a runner",
        "status": "active",
        "mentorApproved": True,
        **stamps,
    }
    habit = {
        "habitId": HABIT_ID,
        "goalId": GOAL_ID,
        "userId": owner_id,
        "title": "Shoes on",
        "frequency": "daily",
        "duration": 1,
        "cue": {},
        "status": "active",
        "currentStreak": 1,
        "longestStreak": 1,
        "completionRate": 9.1,
        **stamps,
    }
    completion = {
        "habitId": HABIT_ID,
        "date": "2026-11-23",
        "completedOn": "2026-11-23",
        "userId": owner_id,
        "completed": True,
        **stamps,
    }
    todo = {
        "userId": owner_id,
        "todoId": TODO_ID,
        "goalId": GOAL_ID,
        "text": "Buy shoes",
        "done": False,
        "priority": "medium",
        **stamps,
    }
    badge = {
        "userId": owner_id,
        "earnedAt": CREATED,
        "badgeId": "50000000-0000-4000-8000-000000000001",
        "key": "streak:7",
        "type": "streak",
        "title": "7-day streak",
        "description": "Kept a habit 7 days in a row.",
        "icon": "flame",
        "metadata": {"threshold": 7},
        "createdAt": CREATED,
    }
    await api.store.transact(
        [
            *(Put("Users", _user(role)) for role in IDS),
            Put("Goals", {**goal, **op.goal}),
            Put("Habits", {**habit, **op.habit}),
            Put("HabitCompletions", completion),
            Put("Todos", todo),
            Put("Badges", badge),
        ]
    )
    tokens = api.services.tokens
    people: dict[str, Caller | None] = {
        role: Caller(user_id, tokens.issue(user_id, is_admin=role == ADMIN).access_token)
        for role, user_id in IDS.items()
    }
    people[ANON] = None
    return people


async def snapshot(api: Any) -> dict[str, list[dict[str, Any]]]:
    return {table: (await api.store.scan(table)).items for table in WRITTEN_TABLES}


def has_data(value: Any) -> bool:
    if isinstance(value, dict) and "items" in value:
        value = value["items"]
    return value is not None and value != []


@pytest.mark.parametrize(("op", "role"), CELLS)
async def test_access(api: Any, op: Op, role: str) -> None:
    people = await seed_world(api, op)
    expected = op.who[role]
    before = await snapshot(api) if op.write and expected != OK else None
    body = await api.call(op.document, op.variables, as_=people[role])
    if expected == OK:
        assert not body.get("errors"), body["errors"]
        assert has_data(body["data"][op.name]), body
        return
    assert body.get("errors"), f"expected {expected}, got {body}"
    assert body["errors"][0]["extensions"]["code"] == expected, body["errors"]
    if before is not None:
        assert await snapshot(api) == before


async def test_a_mentor_reads_only_the_goals_assigned_to_them(api: Any) -> None:
    """Through the mentee's lists a mentor sees the goals (and their habits) they mentor."""
    people = await seed_world(api, OPS[0])
    other_goal = "20000000-0000-4000-8000-000000000002"
    await api.store.put(
        "Goals",
        {
            "goalId": other_goal,
            "userId": IDS[OWNER],
            "title": "Private",
            "status": "active",
            "mentorApproved": False,
            "createdAt": "2026-11-15T08:00:00.000000Z",
            "updatedAt": CREATED,
        },
    )
    query = f"""{{ listGoalsForUser(userId: "{OWNER_ID}") {{ goalId }}
      listHabitsForUser(userId: "{OWNER_ID}") {{ habitId }} }}"""
    seen = await api.data(query, as_=people[MENTOR])
    assert seen == {"listGoalsForUser": [{"goalId": G}], "listHabitsForUser": [{"habitId": H}]}
    refused = await api.error(
        f'{{ getGoal(goalId: "{other_goal}") {{ goalId }} }}', as_=people[MENTOR]
    )
    assert refused["code"] == F
    mine = await api.data(query, as_=people[OWNER])
    assert [g["goalId"] for g in mine["listGoalsForUser"]] == [other_goal, G]
