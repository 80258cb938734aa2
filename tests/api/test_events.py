"""Events over GraphQL: creation rules, capacity under concurrency, the 24-hour cancellation
cut-off, attendance marking, meeting links and the date-range listing."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

EVENT_FIELDS = """eventId title type date time duration maxAttendees currentAttendees isVirtual
  price tags image meetingLink host { userId } venue { venueId } attendances { status }"""
CREATE = f"mutation($i: CreateEventInput!) {{ createEvent(input: $i) {{ {EVENT_FIELDS} }} }}"
UPDATE = f"""mutation($e: ID!, $i: UpdateEventInput!) {{
  updateEvent(eventId: $e, input: $i) {{ {EVENT_FIELDS} }} }}"""
GET = f"query($e: ID!) {{ getEvent(eventId: $e) {{ {EVENT_FIELDS} }} }}"
REGISTER = """mutation($e: ID!) { registerForEvent(eventId: $e) {
  attendanceId status user { userId } event { currentAttendees } } }"""
CANCEL = """mutation($e: ID!) { cancelEventRegistration(eventId: $e) {
  attendanceId status event { currentAttendees } } }"""
MARK = """mutation($e: ID!, $u: ID!, $s: AttendanceStatus!) {
  markEventAttendance(eventId: $e, userId: $u, status: $s) { status } }"""
LINK = """mutation($e: ID!, $l: String!) {
  setEventMeetingLink(eventId: $e, meetingLink: $l) { meetingLink } }"""
LIST = """query($f: String, $t: String, $k: EventType, $l: Int, $c: String) {
  listEventsPage(dateFrom: $f, dateTo: $t, type: $k, limit: $l, cursor: $c) {
    items { title date } nextCursor } }"""

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
START = "2026-11-30T18:00:00Z"
START_AT = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)


def event_input(**change: Any) -> dict[str, Any]:
    return {
        "title": "Sunset run",
        "description": "An easy 5k along the river",
        "type": "hangout",
        "date": START,
        "time": "18:00",
        "duration": 60,
        "maxAttendees": 10,
        "isVirtual": False,
        **change,
    }


async def make_event(api: Any, host: Any, **change: Any) -> str:
    return str(
        (await api.data(CREATE, {"i": event_input(**change)}, as_=host))["createEvent"]["eventId"]
    )


def travel(api: Any, moment: datetime, *people: Any) -> None:
    """Move the clock and give ``people`` fresh access tokens (they expire after minutes)."""
    api.clock.set(moment)
    for person in people:
        person.token = api.services.tokens.issue(person.id).access_token


async def stored_event(api: Any, event_id: str) -> dict[str, Any]:
    return dict(await api.store.get("Events", {"eventId": event_id}))


async def test_the_caller_hosts_a_new_event_with_defaults(api):
    hana = await api.sign_up("Hana", role="MENTOR")
    made = (await api.data(CREATE, {"i": event_input(tags=["Run", "run", "outdoors"])}, as_=hana))[
        "createEvent"
    ]
    assert str(uuid.UUID(made["eventId"])) == made["eventId"]
    assert made["host"] == {"userId": hana.id} and made["venue"] is None
    assert made["date"] == "2026-11-30T18:00:00.000000Z" and made["time"] == "18:00"
    assert made["price"] == 0 and made["currentAttendees"] == 0 and made["attendances"] == []
    assert made["tags"] == ["Run", "outdoors"] and made["meetingLink"] is None
    stored = await stored_event(api, made["eventId"])
    assert stored["day"] == "2026-11-30" and stored["hostId"] == hana.id


async def test_the_time_field_sets_the_start_on_the_utc_day_of_date(api):
    hana = await api.sign_up("Hana")
    made = (
        await api.data(
            CREATE, {"i": event_input(date="2026-11-30T00:00:00Z", time="09:05")}, as_=hana
        )
    )["createEvent"]
    assert made["date"] == "2026-11-30T09:05:00.000000Z"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "2026-11-24T11:59:00Z", "time": "11:59"}, "date"),  # a minute ago
        ({"date": "2026-11-24T12:00:00Z", "time": "12:00"}, "date"),  # right now
        ({"date": "2026-11-30T18:00:00"}, "date"),  # no zone
        ({"date": "next week"}, "date"),
        ({"time": "25:00"}, "time"),
        ({"time": "6pm"}, "time"),
        ({"duration": 0}, "duration"),
        ({"maxAttendees": 0}, "maxAttendees"),
        ({"price": -0.01}, "price"),
        ({"title": "  "}, "title"),
        ({"description": ""}, "description"),
        ({"meetingLink": "ftp://files.example.com"}, "meetingLink"),
        ({"tags": ["x" * 51]}, "tags"),
    ],
)
async def test_bad_event_input_names_the_field_and_writes_nothing(api, change, field):
    hana = await api.sign_up("Hana")
    error = await api.error(CREATE, {"i": event_input(**change)}, as_=hana)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)
    assert (await api.store.scan("Events")).items == []


async def test_the_venue_must_exist(api):
    hana = await api.sign_up("Hana")
    missing = await api.error(CREATE, {"i": event_input(venueId=str(uuid.uuid4()))}, as_=hana)
    assert (missing["code"], missing["field"]) == ("NOT_FOUND", "venueId")
    venue_id = str(uuid.uuid4())
    await api.store.put(
        "Venues",
        {"venueId": venue_id, "name": "Cafe", "city": "Berlin", "type": "cafe", "isPartner": False},
    )
    made = await api.data(CREATE, {"i": event_input(venueId=venue_id)}, as_=hana)
    assert made["createEvent"]["venue"] == {"venueId": venue_id}
    listed = await api.data(
        "query($v: ID!) { listEventsForVenue(venueId: $v) { eventId } }", {"v": venue_id}
    )
    assert listed["listEventsForVenue"] == [{"eventId": made["createEvent"]["eventId"]}]


async def test_registering_takes_a_seat_and_notifies_the_registrant(api):
    hana = await api.sign_up("Hana")
    ann = await api.sign_up("Ann")
    event_id = await make_event(api, hana)
    first = (await api.data(REGISTER, {"e": event_id}, as_=ann))["registerForEvent"]
    assert first["status"] == "registered" and first["user"] == {"userId": ann.id}
    assert first["event"] == {"currentAttendees": 1}
    again = (await api.data(REGISTER, {"e": event_id}, as_=ann))["registerForEvent"]
    assert again["attendanceId"] == first["attendanceId"] and again["event"] == {
        "currentAttendees": 1
    }
    notes = await api.data(
        "query($u: ID!) { listNotifications(userId: $u) { type relatedId } }",
        {"u": ann.id},
        as_=ann,
    )
    assert notes["listNotifications"] == [{"type": "event_registered", "relatedId": event_id}]
    assert (await api.data(GET, {"e": event_id}))["getEvent"]["currentAttendees"] == 1


async def test_the_host_does_not_register_for_their_own_event(api):
    hana = await api.sign_up("Hana")
    event_id = await make_event(api, hana)
    assert (await api.error(REGISTER, {"e": event_id}, as_=hana))["code"] == "FORBIDDEN"
    assert (await stored_event(api, event_id))["currentAttendees"] == 0


async def test_a_full_event_refuses_the_next_registration(api):
    hana = await api.sign_up("Hana")
    ann, bob = await api.sign_up("Ann"), await api.sign_up("Bob")
    event_id = await make_event(api, hana, maxAttendees=1)
    await api.data(REGISTER, {"e": event_id}, as_=ann)
    full = await api.error(REGISTER, {"e": event_id}, as_=bob)
    assert full["code"] == "CONFLICT" and "full" in full["message"]
    assert (await stored_event(api, event_id))["currentAttendees"] == 1
    assert await api.store.get("EventAttendances", {"eventId": event_id, "userId": bob.id}) is None


async def test_concurrent_registrations_for_the_last_seat_have_exactly_one_winner(api, monkeypatch):
    hana = await api.sign_up("Hana")
    people = [await api.sign_up(f"Racer {n}") for n in range(4)]
    event_id = await make_event(api, hana, maxAttendees=1)
    read = api.store.get

    async def get_then_yield(*args: Any, **kwargs: Any) -> Any:
        """Let the other requests run between a read and the write (SQLite never waits)."""
        item = await read(*args, **kwargs)
        await asyncio.sleep(0.01)
        return item

    monkeypatch.setattr(api.store, "get", get_then_yield)
    results = await asyncio.gather(*(api.call(REGISTER, {"e": event_id}, as_=p) for p in people))
    winners = [r for r in results if not r.get("errors")]
    losers = [r["errors"][0]["extensions"]["code"] for r in results if r.get("errors")]
    assert len(winners) == 1 and losers == ["CONFLICT"] * 3
    assert (await stored_event(api, event_id))["currentAttendees"] == 1
    seats = (await api.store.query("EventAttendances", event_id)).items
    assert [s["status"] for s in seats] == ["registered"]


async def test_registration_closes_when_the_event_starts(api):
    hana, ann = await api.sign_up("Hana"), await api.sign_up("Ann")
    event_id = await make_event(api, hana)
    travel(api, START_AT, ann)
    assert (await api.error(REGISTER, {"e": event_id}, as_=ann))["code"] == "CONFLICT"


async def test_cancelling_frees_the_seat_and_registering_again_reactivates_it(api):
    hana, ann = await api.sign_up("Hana"), await api.sign_up("Ann")
    event_id = await make_event(api, hana)
    first = (await api.data(REGISTER, {"e": event_id}, as_=ann))["registerForEvent"]
    cancelled = (await api.data(CANCEL, {"e": event_id}, as_=ann))["cancelEventRegistration"]
    assert cancelled["status"] == "cancelled" and cancelled["event"] == {"currentAttendees": 0}
    twice = (await api.data(CANCEL, {"e": event_id}, as_=ann))["cancelEventRegistration"]
    assert twice["event"] == {"currentAttendees": 0}
    api.clock.advance(seconds=1)  # notifications of one user are keyed by their instant
    back = (await api.data(REGISTER, {"e": event_id}, as_=ann))["registerForEvent"]
    assert back["attendanceId"] == first["attendanceId"] and back["status"] == "registered"
    assert back["event"] == {"currentAttendees": 1}


async def test_cancelling_without_a_registration_is_not_found(api):
    hana, ann = await api.sign_up("Hana"), await api.sign_up("Ann")
    event_id = await make_event(api, hana)
    assert (await api.error(CANCEL, {"e": event_id}, as_=ann))["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("before_start", "allowed"),
    [
        (timedelta(hours=24), True),
        (timedelta(hours=24) - timedelta(seconds=1), False),
        (timedelta(hours=1), False),
    ],
    ids=["exactly-24h", "24h-minus-1s", "1h"],
)
async def test_cancelling_is_allowed_up_to_24_hours_before_the_start(api, before_start, allowed):
    hana, ann = await api.sign_up("Hana"), await api.sign_up("Ann")
    event_id = await make_event(api, hana)
    await api.data(REGISTER, {"e": event_id}, as_=ann)
    travel(api, START_AT - before_start, ann)
    if allowed:
        done = (await api.data(CANCEL, {"e": event_id}, as_=ann))["cancelEventRegistration"]
        assert done["status"] == "cancelled"
        assert (await stored_event(api, event_id))["currentAttendees"] == 0
    else:
        error = await api.error(CANCEL, {"e": event_id}, as_=ann)
        assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "eventId")
        assert (await stored_event(api, event_id))["currentAttendees"] == 1
        seat = await api.store.get("EventAttendances", {"eventId": event_id, "userId": ann.id})
        assert seat["status"] == "registered"


async def test_attendance_is_marked_by_the_host_after_the_start(api):
    hana, ann, bob = await api.sign_up("Hana"), await api.sign_up("Ann"), await api.sign_up("Bob")
    event_id = await make_event(api, hana)
    await api.data(REGISTER, {"e": event_id}, as_=ann)
    await api.data(REGISTER, {"e": event_id}, as_=bob)
    await api.data(CANCEL, {"e": event_id}, as_=bob)
    early = await api.error(MARK, {"e": event_id, "u": ann.id, "s": "attended"}, as_=hana)
    assert early["code"] == "CONFLICT"
    travel(api, START_AT, hana)
    done = await api.data(MARK, {"e": event_id, "u": ann.id, "s": "attended"}, as_=hana)
    assert done["markEventAttendance"] == {"status": "attended"}
    wrong = await api.error(MARK, {"e": event_id, "u": ann.id, "s": "registered"}, as_=hana)
    assert (wrong["code"], wrong["field"]) == ("BAD_USER_INPUT", "status")
    cancelled = await api.error(MARK, {"e": event_id, "u": bob.id, "s": "no_show"}, as_=hana)
    assert cancelled["code"] == "CONFLICT"
    assert (await stored_event(api, event_id))["currentAttendees"] == 1


async def test_a_virtual_event_takes_registrations_before_its_link_and_shows_it_to_attendees(api):
    hana, ann, bob = await api.sign_up("Hana"), await api.sign_up("Ann"), await api.sign_up("Bob")
    event_id = await make_event(api, hana, isVirtual=True)
    await api.data(REGISTER, {"e": event_id}, as_=ann)
    link = "https://meet.example.com/sunset"
    set_ = await api.data(LINK, {"e": event_id, "l": link}, as_=hana)
    assert set_["setEventMeetingLink"] == {"meetingLink": link}
    query = "query($e: ID!) { getEvent(eventId: $e) { meetingLink } }"
    assert (await api.data(query, {"e": event_id}, as_=ann))["getEvent"]["meetingLink"] == link
    assert (await api.data(query, {"e": event_id}, as_=bob))["getEvent"]["meetingLink"] is None
    assert (await api.data(query, {"e": event_id}))["getEvent"]["meetingLink"] is None
    bad = await api.error(LINK, {"e": event_id, "l": "not a link"}, as_=hana)
    assert (bad["code"], bad["field"]) == ("BAD_USER_INPUT", "meetingLink")


async def test_the_host_updates_an_event_within_the_rules(api):
    hana, ann, bob = await api.sign_up("Hana"), await api.sign_up("Ann"), await api.sign_up("Bob")
    event_id = await make_event(api, hana, maxAttendees=3)
    await api.data(REGISTER, {"e": event_id}, as_=ann)
    await api.data(REGISTER, {"e": event_id}, as_=bob)
    changed = (
        await api.data(
            UPDATE,
            {"e": event_id, "i": {"title": "Night run", "time": "20:30", "maxAttendees": 2}},
            as_=hana,
        )
    )["updateEvent"]
    assert changed["title"] == "Night run" and changed["date"] == "2026-11-30T20:30:00.000000Z"
    assert (await stored_event(api, event_id))["day"] == "2026-11-30"
    for change, field in (
        ({"maxAttendees": 1}, "maxAttendees"),
        ({"date": "2026-11-20T10:00:00Z"}, "date"),
        ({"title": None}, "title"),
        ({"duration": -5}, "duration"),
    ):
        error = await api.error(UPDATE, {"e": event_id, "i": change}, as_=hana)
        assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field), change
    stored = await stored_event(api, event_id)
    assert (stored["title"], stored["maxAttendees"], stored["time"]) == ("Night run", 2, "20:30")


async def test_moving_an_event_moves_it_in_the_day_index(api):
    hana = await api.sign_up("Hana")
    event_id = await make_event(api, hana)
    await api.data(UPDATE, {"e": event_id, "i": {"date": "2026-12-02T00:00:00Z"}}, as_=hana)
    day = "2026-11-30T00:00:00Z"
    old_day = await api.data(LIST, {"f": day, "t": "2026-11-30"})
    assert old_day["listEventsPage"]["items"] == []
    new_day = await api.data(LIST, {"f": "2026-12-02", "t": "2026-12-02"})
    assert new_day["listEventsPage"]["items"] == [
        {"title": "Sunset run", "date": "2026-12-02T18:00:00.000000Z"}
    ]


async def test_events_list_soonest_first_within_the_next_30_days_by_default(api, clock):
    hana = await api.sign_up("Hana")
    for title, date, kind in (
        ("later", "2026-12-20T10:00:00Z", "workshop"),
        ("soon", "2026-11-25T10:00:00Z", "hangout"),
        ("too far", "2026-12-25T09:00:00Z", "workshop"),
        ("same day", "2026-11-25T08:00:00Z", "workshop"),
    ):
        await make_event(api, hana, title=title, date=date, time=date[11:16], type=kind)
    listed = (await api.data(LIST, {}))["listEventsPage"]
    assert [i["title"] for i in listed["items"]] == ["same day", "soon", "later"]
    assert listed["nextCursor"] is None
    workshops = (await api.data(LIST, {"k": "workshop", "t": "2026-12-31"}))["listEventsPage"]
    assert [i["title"] for i in workshops["items"]] == ["same day", "later", "too far"]
    clock.set(datetime(2026, 11, 25, 9, 30, tzinfo=UTC))
    upcoming = (await api.data(LIST, {}))["listEventsPage"]
    assert [i["title"] for i in upcoming["items"]] == ["soon", "later", "too far"]


async def test_the_event_list_pages_across_days_without_gaps_or_repeats(api):
    hana = await api.sign_up("Hana")
    for n, date in enumerate(
        ("2026-11-26T10:00:00Z", "2026-11-26T11:00:00Z", "2026-11-28T09:00:00Z")
    ):
        await make_event(api, hana, title=f"e{n}", date=date, time=date[11:16])
    seen: list[str] = []
    cursor = None
    for _ in range(4):
        page = (await api.data(LIST, {"f": "2026-11-25", "t": "2026-11-29", "l": 1, "c": cursor}))[
            "listEventsPage"
        ]
        seen += [i["title"] for i in page["items"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == ["e0", "e1", "e2"]
    bad = await api.error(LIST, {"f": "2026-11-25", "t": "2026-11-29", "c": "garbage"})
    assert (bad["code"], bad["field"]) == ("BAD_USER_INPUT", "cursor")


@pytest.mark.parametrize(
    ("date_from", "date_to", "field"),
    [
        ("2026-12-01", "2026-11-30", "dateTo"),
        ("2026-12-01", "2027-03-04", "dateTo"),  # 94 days
        ("tomorrow", None, "dateFrom"),
        (None, "2026-12-01T10:00:00", "dateTo"),
    ],
)
async def test_bad_event_ranges_are_refused(api, date_from, date_to, field):
    error = await api.error(LIST, {"f": date_from, "t": date_to})
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)


async def test_a_93_day_range_is_the_longest_day_by_day_listing(api):
    listed = await api.data(LIST, {"f": "2026-12-01", "t": "2027-03-03"})
    assert listed["listEventsPage"] == {"items": [], "nextCursor": None}


async def test_events_by_host_come_soonest_first(api):
    hana = await api.sign_up("Hana")
    await make_event(api, hana, title="second", date="2026-12-05T10:00:00Z", time="10:00")
    await make_event(api, hana, title="first", date="2026-12-01T10:00:00Z", time="10:00")
    listed = await api.data(
        "query($h: ID!) { listEventsForHost(hostId: $h) { title } }", {"h": hana.id}
    )
    assert listed["listEventsForHost"] == [{"title": "first"}, {"title": "second"}]


async def test_attendances_for_the_host_and_for_the_user(api):
    hana, ann, bob = await api.sign_up("Hana"), await api.sign_up("Ann"), await api.sign_up("Bob")
    first = await make_event(api, hana, title="first")
    second = await make_event(api, hana, title="second")
    await api.data(REGISTER, {"e": first}, as_=ann)
    api.clock.advance(seconds=1)  # notifications of one user are keyed by their instant
    await api.data(REGISTER, {"e": second}, as_=ann)
    await api.data(REGISTER, {"e": first}, as_=bob)
    host_view = await api.data(
        "query($e: ID!) { listEventAttendances(eventId: $e) { user { userId } status } }",
        {"e": first},
        as_=hana,
    )
    assert sorted(a["user"]["userId"] for a in host_view["listEventAttendances"]) == sorted(
        [ann.id, bob.id]
    )
    own = await api.data(
        "query($u: ID!) { listAttendancesForUser(userId: $u) { event { title } } }",
        {"u": ann.id},
        as_=ann,
    )
    assert [a["event"]["title"] for a in own["listAttendancesForUser"]] == ["second", "first"]
    nested = await api.data(
        "query($e: ID!) { getEvent(eventId: $e) { attendances { user { userId } } } }",
        {"e": first},
        as_=ann,
    )
    assert nested["getEvent"]["attendances"] == [{"user": {"userId": ann.id}}]
    one = await api.data(
        "query($e: ID!, $u: ID!) { getEventAttendance(eventId: $e, userId: $u) { status } }",
        {"e": first, "u": bob.id},
        as_=hana,
    )
    assert one["getEventAttendance"] == {"status": "registered"}
    none = await api.data(
        "query($e: ID!, $u: ID!) { getEventAttendance(eventId: $e, userId: $u) { status } }",
        {"e": second, "u": bob.id},
        as_=bob,
    )
    assert none["getEventAttendance"] is None
