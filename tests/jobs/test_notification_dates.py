"""Server notifications write dates in each reader's own zone, not raw UTC."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from backend.jobs.sessions import announce_feedback_windows, send_session_reminders
from backend.storage.tables import Table
from domain.clock import parse_utc
from tests.api.asgi import Api, Person
from tests.api.mentorship_world import completed, confirmed
from tests.api.test_events import make_event


async def messages(api: Api, person: Person, title: str) -> list[str]:
    items = (await api.store.query(Table.NOTIFICATIONS, person.id)).items
    return [str(n["message"]) for n in items if n["title"] == title]


async def test_the_mentor_and_the_mentee_read_the_session_time_on_their_own_clocks(
    api: Api,
) -> None:
    mentor = await api.sign_up("Maya", role="MENTOR", time_zone="Europe/Paris")
    mentee = await api.sign_up("Ana", time_zone="America/Los_Angeles")
    session_id = await confirmed(api, mentee, mentor, topic="Career plan")  # Thu 26 Nov 14:00Z
    assert await messages(api, mentor, "New session request") == [
        "Ana asked for a session on Thu 26 Nov, 15:00 CET."
    ]
    session = await api.store.get(Table.SESSIONS, {"sessionId": session_id})
    assert session is not None
    api.clock.set(parse_utc(session["date"]) - timedelta(hours=23))
    assert await send_session_reminders(api.services) == 1
    assert await messages(api, mentor, "Session in 24 hours") == [
        "Career plan starts Thu 26 Nov, 15:00 CET."
    ]
    assert await messages(api, mentee, "Session in 24 hours") == [
        "Career plan starts Thu 26 Nov, 06:00 PST."
    ]


async def test_the_feedback_window_closes_on_the_mentees_clock(api: Api) -> None:
    mentor = await api.sign_up("Maya", role="MENTOR")
    mentee = await api.sign_up("Kiri", time_zone="Pacific/Kiritimati")
    session_id = await completed(api, mentee, mentor)
    session = await api.store.get(Table.SESSIONS, {"sessionId": session_id})
    assert session is not None
    completed_at = parse_utc(session["completedAt"])
    api.clock.set(completed_at + timedelta(hours=24))
    assert await announce_feedback_windows(api.services) == 1
    (message,) = await messages(api, mentee, "Your session feedback is open")
    closes = (completed_at + timedelta(days=7)).astimezone(ZoneInfo("Pacific/Kiritimati"))
    assert message.endswith(f"until {closes:%a} {closes.day} {closes:%b}, {closes:%H:%M} UTC+14.")


async def test_an_event_registration_names_the_start_on_the_attendees_clock(api: Api) -> None:
    host = await api.sign_up("Hana", role="MENTOR", time_zone="Europe/Berlin")
    lena = await api.sign_up("Lena", time_zone="America/Los_Angeles")
    event_id = await make_event(api, host)  # Monday 30 Nov 18:00 UTC
    await api.data(
        "mutation($e: ID!) { registerForEvent(eventId: $e) { status } }",
        {"e": event_id},
        as_=lena,
    )
    assert await messages(api, lena, "You're registered: Sunset run") == [
        "See you on Mon 30 Nov, 10:00 PST."
    ]
