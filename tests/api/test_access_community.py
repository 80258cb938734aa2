"""Who may do what with reflections, events, notifications and categories: one table.

Each row is an operation (or a guarded field); each cell a caller:

- reflections: owner = Ann, mentor = Max (a MENTOR the reflection is shared with and the
  goal's assigned mentor), other = Bob (a mentee);
- events: owner = Hana (the host), participant = Ann (registered), other = Bob, admin;
- notifications: owner = Ann, other = Bob, admin;
- categories: owner = Ann (linked to the category), other = Bob, admin;
- anonymous: no token.

Allowed cells must return data; refused cells must fail with the code, and refused writes
must leave the domain's tables exactly as they were.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import graphql
import pytest

from backend.api.sdl import SCHEMA_DIR
from backend.services.context import ServiceContext
from backend.services.notify import notify
from backend.services.writes import Changes

OK, EMPTY, NONE = "ok", "empty", "none"
CODES = ("FORBIDDEN", "UNAUTHENTICATED", "NOT_FOUND")
EVENT_START = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
REFLECTION_DAY = "2026-11-23"

TABLES = {
    "reflections": ("Reflections", "Notifications"),
    "events": ("Events", "EventAttendances", "Notifications"),
    "notifications": ("Notifications",),
    "categories": ("Categories", "UserCategories"),
}


@dataclass
class World:
    people: dict[str, Any] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    domain: str
    op: str
    query: str
    variables: Callable[[World], dict[str, Any]]
    expect: dict[str, str]
    pick: tuple[str, ...] = ()  # path below the root field to check, for guarded fields
    at_start: bool = False  # run at the event's start (attendance is marked after it)


# -- worlds -------------------------------------------------------------------------------


async def _reflections_world(api: Any) -> World:
    w = World()
    w.people["owner"] = ann = await api.sign_up("Ann")
    w.people["mentor"] = max_ = await api.sign_up("Max", role="MENTOR")
    w.people["other"] = await api.sign_up("Bob")
    goal_id = str(uuid.uuid4())
    await api.store.put(
        "Goals",
        {
            "goalId": goal_id,
            "userId": ann.id,
            "mentorId": max_.id,
            "title": "Run",
            "status": "active",
            "createdAt": "2026-11-01T00:00:00.000000Z",
        },
    )
    made = await api.data(
        """mutation($i: CreateReflectionInput!) { createReflection(input: $i) { reflectionId } }""",
        {
            "i": {
                "date": REFLECTION_DAY,
                "mood": "GOOD",
                "goalId": goal_id,
                "isShared": True,
                "sharedWithMentorId": max_.id,
            }
        },
        as_=ann,
    )
    w.ids.update(goal=goal_id, reflection=made["createReflection"]["reflectionId"])
    return w


async def _events_world(api: Any) -> World:
    w = World()
    w.people["owner"] = hana = await api.sign_up("Hana", role="MENTOR")
    w.people["participant"] = ann = await api.sign_up("Ann")
    w.people["other"] = await api.sign_up("Bob")
    w.people["admin"] = await api.admin()
    venue_id = str(uuid.uuid4())
    await api.store.put(
        "Venues",
        {"venueId": venue_id, "name": "Cafe", "city": "Berlin", "type": "cafe", "isPartner": False},
    )
    made = await api.data(
        "mutation($i: CreateEventInput!) { createEvent(input: $i) { eventId } }",
        {
            "i": {
                "title": "Sunset run",
                "description": "5k",
                "type": "hangout",
                "venueId": venue_id,
                "date": "2026-11-30T18:00:00Z",
                "time": "18:00",
                "duration": 60,
                "maxAttendees": 5,
                "isVirtual": True,
                "meetingLink": "https://meet.example.com/run",
            }
        },
        as_=hana,
    )
    event_id = made["createEvent"]["eventId"]
    await api.data(
        "mutation($e: ID!) { registerForEvent(eventId: $e) { status } }", {"e": event_id}, as_=ann
    )
    w.ids.update(event=event_id, venue=venue_id)
    return w


async def _notifications_world(api: Any) -> World:
    w = World()
    w.people["owner"] = ann = await api.sign_up("Ann")
    w.people["other"] = await api.sign_up("Bob")
    w.people["admin"] = await api.admin()
    changes = Changes(ServiceContext(api.services, None))
    note = await notify(
        changes, user_id=ann.id, type="admin_update", title="Hello", message="Welcome"
    )
    await changes.commit()
    w.ids["notification"] = note["notificationId"]
    return w


async def _categories_world(api: Any) -> World:
    w = World()
    w.people["owner"] = ann = await api.sign_up("Ann", role="BOTH")  # a mentor: listed for all
    w.people["other"] = await api.sign_up("Bob")
    w.people["admin"] = admin = await api.admin()
    made = await api.data(
        "mutation($i: CreateCategoryInput!) { createCategory(input: $i) { categoryId } }",
        {"i": {"name": "Career"}},
        as_=admin,
    )
    category_id = made["createCategory"]["categoryId"]
    await api.data(
        "mutation($c: ID!) { addUserCategory(categoryId: $c) { createdAt } }",
        {"c": category_id},
        as_=ann,
    )
    w.ids["category"] = category_id
    return w


WORLDS: dict[str, Callable[[Any], Awaitable[World]]] = {
    "reflections": _reflections_world,
    "events": _events_world,
    "notifications": _notifications_world,
    "categories": _categories_world,
}


# -- the table ----------------------------------------------------------------------------

F = "FORBIDDEN"
U = "UNAUTHENTICATED"
N = "NOT_FOUND"


def _owner_id(w: World) -> str:
    return str(w.people["owner"].id)


def _ann(w: World) -> str:
    return str((w.people.get("participant") or w.people["owner"]).id)


REFLECTION_ROWS = [
    Row(
        "reflections",
        "getReflection",
        "query($u: ID!, $d: String!) { getReflection(userId: $u, date: $d) { reflectionId } }",
        lambda w: {"u": _owner_id(w), "d": REFLECTION_DAY},
        {"owner": OK, "mentor": OK, "other": F, "anonymous": U},
    ),
    Row(
        "reflections",
        "listReflectionsForUser",
        "query($u: ID!) { listReflectionsForUser(userId: $u) { date } }",
        lambda w: {"u": _owner_id(w)},
        {"owner": OK, "mentor": OK, "other": F, "anonymous": U},
    ),
    Row(
        "reflections",
        "listReflectionsForUserPage",
        "query($u: ID!) { listReflectionsForUserPage(userId: $u) { items { date } } }",
        lambda w: {"u": _owner_id(w)},
        {"owner": OK, "mentor": OK, "other": F, "anonymous": U},
        pick=("items",),
    ),
    Row(
        "reflections",
        "listSharedReflections",
        "query($m: ID!) { listSharedReflections(mentorId: $m) { date } }",
        lambda w: {"m": w.people["mentor"].id},
        {"owner": F, "mentor": OK, "other": F, "anonymous": U},
    ),
    Row(
        "reflections",
        "listSharedReflectionsPage",
        "query($m: ID!) { listSharedReflectionsPage(mentorId: $m) { items { date } } }",
        lambda w: {"m": w.people["mentor"].id},
        {"owner": F, "mentor": OK, "other": F, "anonymous": U},
        pick=("items",),
    ),
    Row(
        "reflections",
        "listReflectionsForGoal",
        "query($g: ID!) { listReflectionsForGoal(goalId: $g) { date } }",
        lambda w: {"g": w.ids["goal"]},
        {"owner": OK, "mentor": OK, "other": F, "anonymous": U},
    ),
    Row(
        "reflections",
        "listReflectionsForGoalPage",
        "query($g: ID!) { listReflectionsForGoalPage(goalId: $g) { items { date } } }",
        lambda w: {"g": w.ids["goal"]},
        {"owner": OK, "mentor": OK, "other": F, "anonymous": U},
        pick=("items",),
    ),
    Row(
        "reflections",
        "refreshReflectionInsights",
        "mutation($d: String!) { refreshReflectionInsights(date: $d) { reflectionId } }",
        lambda w: {"d": REFLECTION_DAY},
        # Only ever the caller's own reflection: the mentor and a stranger have none that day.
        {"owner": OK, "mentor": N, "other": N, "anonymous": U},
    ),
    Row(
        "reflections",
        "createReflection",
        "mutation($i: CreateReflectionInput!) { createReflection(input: $i) { reflectionId } }",
        lambda w: {"i": {"date": "2026-11-24", "mood": "GOOD"}},
        {"owner": OK, "mentor": OK, "other": OK, "anonymous": U},
    ),
    Row(
        "reflections",
        "createWeeklyReflection",
        "mutation($i: CreateWeeklyReflectionInput!) { createWeeklyReflection(input: $i) { date } }",
        lambda w: {
            "i": {
                "date": "2026-11-22",
                "mood": "GOOD",
                "content": {"whatWentWell": "a", "whatFeltHard": "b", "insights": "c"},
            }
        },
        {"owner": OK, "mentor": OK, "other": OK, "anonymous": U},
    ),
    Row(
        "reflections",
        "updateReflection",
        "mutation($d: String!) { updateReflection(date: $d, input: {mood: AWFUL}) { mood } }",
        lambda w: {"d": REFLECTION_DAY},
        {"owner": OK, "mentor": N, "other": N, "anonymous": U},
    ),
    Row(
        "reflections",
        "deleteReflection",
        "mutation($d: String!) { deleteReflection(date: $d) { date } }",
        lambda w: {"d": REFLECTION_DAY},
        {"owner": OK, "mentor": N, "other": N, "anonymous": U},
    ),
    Row(
        "reflections",
        "addReflectionFeedback",
        """mutation($r: ID!) { addReflectionFeedback(reflectionId: $r, feedback: "Nice") {
             mentorFeedback { feedback } } }""",
        lambda w: {"r": w.ids["reflection"]},
        {"owner": F, "mentor": OK, "other": F, "anonymous": U},
    ),
]

EVENT = "query($e: ID!) { getEvent(eventId: $e) { %s } }"
PUBLIC = {"owner": OK, "participant": OK, "other": OK, "anonymous": OK}
HOST_OR_ADMIN = {"owner": OK, "participant": F, "other": F, "admin": OK, "anonymous": U}

EVENT_ROWS = [
    Row("events", "getEvent", EVENT % "eventId", lambda w: {"e": w.ids["event"]}, PUBLIC),
    Row("events", "listEvents", "{ listEvents { eventId } }", lambda w: {}, PUBLIC),
    Row(
        "events",
        "listEventsPage",
        "{ listEventsPage { items { eventId } } }",
        lambda w: {},
        PUBLIC,
        pick=("items",),
    ),
    Row(
        "events",
        "listEventsForHost",
        "query($h: ID!) { listEventsForHost(hostId: $h) { eventId } }",
        lambda w: {"h": _owner_id(w)},
        PUBLIC,
    ),
    Row(
        "events",
        "listEventsForHostPage",
        "query($h: ID!) { listEventsForHostPage(hostId: $h) { items { eventId } } }",
        lambda w: {"h": _owner_id(w)},
        PUBLIC,
        pick=("items",),
    ),
    Row(
        "events",
        "listEventsForVenue",
        "query($v: ID!) { listEventsForVenue(venueId: $v) { eventId } }",
        lambda w: {"v": w.ids["venue"]},
        PUBLIC,
    ),
    Row(
        "events",
        "listEventsForVenuePage",
        "query($v: ID!) { listEventsForVenuePage(venueId: $v) { items { eventId } } }",
        lambda w: {"v": w.ids["venue"]},
        PUBLIC,
        pick=("items",),
    ),
    Row(
        "events",
        "Event.meetingLink",
        EVENT % "meetingLink",
        lambda w: {"e": w.ids["event"]},
        {"owner": OK, "participant": OK, "other": NONE, "admin": OK, "anonymous": NONE},
        pick=("meetingLink",),
    ),
    Row(
        "events",
        "Event.attendances",
        EVENT % "attendances { status }",
        lambda w: {"e": w.ids["event"]},
        {"owner": OK, "participant": OK, "other": EMPTY, "admin": OK, "anonymous": EMPTY},
        pick=("attendances",),
    ),
    Row(
        "events",
        "listEventAttendances",
        "query($e: ID!) { listEventAttendances(eventId: $e) { status } }",
        lambda w: {"e": w.ids["event"]},
        HOST_OR_ADMIN,
    ),
    Row(
        "events",
        "listAttendancesForUser",
        "query($u: ID!) { listAttendancesForUser(userId: $u) { status } }",
        lambda w: {"u": _ann(w)},
        {"owner": F, "participant": OK, "other": F, "admin": F, "anonymous": U},
    ),
    Row(
        "events",
        "getEventAttendance",
        "query($e: ID!, $u: ID!) { getEventAttendance(eventId: $e, userId: $u) { status } }",
        lambda w: {"e": w.ids["event"], "u": _ann(w)},
        {"owner": OK, "participant": OK, "other": F, "admin": OK, "anonymous": U},
    ),
    Row(
        "events",
        "createEvent",
        "mutation($i: CreateEventInput!) { createEvent(input: $i) { eventId } }",
        lambda w: {
            "i": {
                "title": "Talk",
                "description": "d",
                "type": "workshop",
                "date": "2026-12-01T10:00:00Z",
                "time": "10:00",
                "duration": 30,
                "maxAttendees": 3,
                "isVirtual": False,
            }
        },
        {"owner": OK, "participant": OK, "other": OK, "anonymous": U},
    ),
    Row(
        "events",
        "updateEvent",
        """mutation($e: ID!) { updateEvent(eventId: $e, input: {title: "New"}) { title } }""",
        lambda w: {"e": w.ids["event"]},
        HOST_OR_ADMIN,
    ),
    Row(
        "events",
        "setEventMeetingLink",
        """mutation($e: ID!) { setEventMeetingLink(eventId: $e, meetingLink: "https://x.example")
             { eventId } }""",
        lambda w: {"e": w.ids["event"]},
        HOST_OR_ADMIN,
    ),
    Row(
        "events",
        "registerForEvent",
        "mutation($e: ID!) { registerForEvent(eventId: $e) { status } }",
        lambda w: {"e": w.ids["event"]},
        {"owner": F, "participant": OK, "other": OK, "anonymous": U},
    ),
    Row(
        "events",
        "cancelEventRegistration",
        "mutation($e: ID!) { cancelEventRegistration(eventId: $e) { status } }",
        lambda w: {"e": w.ids["event"]},
        {"owner": N, "participant": OK, "other": N, "anonymous": U},
    ),
    Row(
        "events",
        "markEventAttendance",
        """mutation($e: ID!, $u: ID!) {
             markEventAttendance(eventId: $e, userId: $u, status: attended) { status } }""",
        lambda w: {"e": w.ids["event"], "u": _ann(w)},
        HOST_OR_ADMIN,
        at_start=True,
    ),
]

OWNER_ONLY = {"owner": OK, "other": F, "admin": F, "anonymous": U}

NOTIFICATION_ROWS = [
    Row(
        "notifications",
        "listNotifications",
        "query($u: ID!) { listNotifications(userId: $u) { title } }",
        lambda w: {"u": _owner_id(w)},
        OWNER_ONLY,
    ),
    Row(
        "notifications",
        "listNotificationsPage",
        "query($u: ID!) { listNotificationsPage(userId: $u) { items { title } } }",
        lambda w: {"u": _owner_id(w)},
        OWNER_ONLY,
        pick=("items",),
    ),
    Row(
        "notifications",
        "getUnreadNotificationCount",
        "query($u: ID!) { getUnreadNotificationCount(userId: $u) }",
        lambda w: {"u": _owner_id(w)},
        OWNER_ONLY,
    ),
    Row(
        "notifications",
        "listNotificationsByType",
        "{ listNotificationsByType(type: admin_update) { title } }",
        lambda w: {},
        {"owner": F, "other": F, "admin": OK, "anonymous": U},
    ),
    Row(
        "notifications",
        "markNotificationRead",
        "mutation($n: ID!) { markNotificationRead(notificationId: $n) { read } }",
        lambda w: {"n": w.ids["notification"]},
        OWNER_ONLY,
    ),
    Row(
        "notifications",
        "markAllNotificationsRead",
        "mutation($u: ID!) { markAllNotificationsRead(userId: $u) }",
        lambda w: {"u": _owner_id(w)},
        OWNER_ONLY,
    ),
]

ANYONE = {"owner": OK, "other": OK, "anonymous": OK}

CATEGORY_ROWS = [
    Row("categories", "listCategories", "{ listCategories { name } }", lambda w: {}, ANYONE),
    Row(
        "categories",
        "getCategory",
        "query($c: ID!) { getCategory(categoryId: $c) { name } }",
        lambda w: {"c": w.ids["category"]},
        ANYONE,
    ),
    Row(
        "categories",
        "getCategoryByName",
        """{ getCategoryByName(name: "Career") { name } }""",
        lambda w: {},
        ANYONE,
    ),
    Row(
        "categories",
        "listCategoriesForUser",
        "query($u: ID!) { listCategoriesForUser(userId: $u) { name } }",
        lambda w: {"u": _owner_id(w)},
        ANYONE,
    ),
    Row(
        "categories",
        "listUsersForCategory",
        "query($c: ID!) { listUsersForCategory(categoryId: $c) { userId } }",
        lambda w: {"c": w.ids["category"]},
        ANYONE,
    ),
    Row(
        "categories",
        "User.mentorshipCategories",
        "query($u: ID!) { getUser(userId: $u) { mentorshipCategories { name } } }",
        lambda w: {"u": _owner_id(w)},
        ANYONE,
        pick=("mentorshipCategories",),
    ),
    Row(
        "categories",
        "createCategory",
        """mutation { createCategory(input: {name: "Fitness"}) { name } }""",
        lambda w: {},
        {"owner": F, "other": F, "admin": OK, "anonymous": U},
    ),
    Row(
        "categories",
        "addUserCategory",
        "mutation($c: ID!) { addUserCategory(categoryId: $c) { createdAt } }",
        lambda w: {"c": w.ids["category"]},
        {"owner": OK, "other": OK, "anonymous": U},
    ),
    Row(
        "categories",
        "removeUserCategory",
        "mutation($c: ID!) { removeUserCategory(categoryId: $c) { createdAt } }",
        lambda w: {"c": w.ids["category"]},
        {"owner": OK, "other": N, "anonymous": U},
    ),
]

ROWS = REFLECTION_ROWS + EVENT_ROWS + NOTIFICATION_ROWS + CATEGORY_ROWS
CELLS = [
    pytest.param(row, role, id=f"{row.op}-{role}-{expect}")
    for row in ROWS
    for role, expect in row.expect.items()
]


# -- the check ----------------------------------------------------------------------------


async def _snapshot(api: Any, domain: str) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for table in TABLES[domain]:
        items = (await api.store.scan(table)).items
        out[table] = sorted(items, key=repr)
    return out


def _travel_to_start(api: Any, world: World) -> None:
    api.clock.set(EVENT_START)
    for person in world.people.values():
        person.token = api.services.tokens.issue(person.id, is_admin=False).access_token
    if "admin" in world.people:
        admin = world.people["admin"]
        admin.token = api.services.tokens.issue(admin.id, is_admin=True).access_token


def test_every_operation_of_the_domain_is_in_the_table():
    operations = set()
    for domain in TABLES:
        document = graphql.parse((SCHEMA_DIR / f"{domain}.graphql").read_text())
        for node in document.definitions:
            if isinstance(node, graphql.ObjectTypeExtensionNode):
                operations |= {f.name.value for f in node.fields or ()}
    assert len(operations) == 43
    assert operations <= {row.op for row in ROWS}, operations - {row.op for row in ROWS}


@pytest.mark.parametrize(("row", "role"), CELLS)
async def test_access(api, row: Row, role: str):
    world = await WORLDS[row.domain](api)
    if row.at_start:
        _travel_to_start(api, world)
    caller = None if role == "anonymous" else world.people[role]
    expect = row.expect[role]
    is_write = row.query.lstrip().startswith("mutation")
    before = await _snapshot(api, row.domain) if is_write and expect in CODES else None
    body = await api.call(row.query, row.variables(world), as_=caller)
    if expect in CODES:
        assert body.get("errors"), f"expected {expect}, got {body}"
        assert body["errors"][0]["extensions"]["code"] == expect, body["errors"]
        if before is not None:
            assert await _snapshot(api, row.domain) == before
        return
    assert not body.get("errors"), body["errors"]
    value = next(iter(body["data"].values()))
    for step in row.pick:
        value = value[step]
    if expect == OK:
        assert value not in (None, []), f"{row.op} as {role} returned {value!r}"
    elif expect == EMPTY:
        assert value == []
    else:
        assert value is None
