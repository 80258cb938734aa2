"""Session reminders and completion prompts from the job runner, travelling with the clock."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from backend.jobs import lease
from backend.jobs.runner import run_due_jobs
from backend.jobs.sessions import (
    announce_feedback_windows,
    prompt_to_complete,
    send_session_reminders,
)
from backend.storage.tables import Table
from domain.clock import parse_utc
from tests.api.asgi import Api, Person
from tests.api.mentorship_world import completed, confirmed


async def reminders(api: Api, person: Person) -> list[str]:
    items = (await api.store.query(Table.NOTIFICATIONS, person.id)).items
    return [str(n["title"]) for n in items if n["type"] == "session_reminder"]


async def session_tomorrow(api: Api) -> tuple[Person, Person, str]:
    mentor = await api.sign_up("Maya", role="MENTOR")
    mentee = await api.sign_up("Ana")
    session_id = await confirmed(api, mentee, mentor)
    return mentor, mentee, session_id


async def start_of(api: Api, session_id: str) -> timedelta:
    session = await api.store.get(Table.SESSIONS, {"sessionId": session_id})
    assert session is not None
    return parse_utc(session["date"]) - api.clock.now()


async def test_a_session_tomorrow_gets_its_24h_reminder_once_over_two_runs(api: Api) -> None:
    mentor, mentee, session_id = await session_tomorrow(api)
    api.clock.advance(seconds=(await start_of(api, session_id)).total_seconds() - 25 * 3600)
    assert await run_due_jobs(api.services, "a") == {
        "session_reminders": 0,
        "complete_prompts": 0,
        "feedback_windows": 0,
        "reflection_reminders": 0,
        "day_badges": 0,
    }
    api.clock.advance(hours=1)
    first = await run_due_jobs(api.services, "a")
    second = await run_due_jobs(api.services, "a")
    assert first is not None and first["session_reminders"] == 1
    assert second is not None and second["session_reminders"] == 0
    assert await reminders(api, mentor) == ["Session in 24 hours"]
    assert await reminders(api, mentee) == ["Session in 24 hours"]


async def test_two_racing_runners_send_the_reminder_once(api: Api) -> None:
    mentor, mentee, session_id = await session_tomorrow(api)
    api.clock.advance(seconds=(await start_of(api, session_id)).total_seconds() - 23 * 3600)
    counts = await asyncio.gather(
        send_session_reminders(api.services), send_session_reminders(api.services)
    )
    assert sorted(counts) == [0, 1]
    assert await reminders(api, mentee) == ["Session in 24 hours"]
    assert await reminders(api, mentor) == ["Session in 24 hours"]


async def test_the_1h_reminder_follows_the_24h_one_and_a_late_run_sends_only_the_nearest(
    api: Api,
) -> None:
    mentor, mentee, session_id = await session_tomorrow(api)
    api.clock.advance(seconds=(await start_of(api, session_id)).total_seconds() - 30 * 60)
    assert await send_session_reminders(api.services) == 1
    assert await send_session_reminders(api.services) == 0
    assert await reminders(api, mentee) == ["Session in 1 hour"]


async def test_only_one_process_holds_the_lease_until_it_lapses(api: Api) -> None:
    now = api.clock.now()
    results = await asyncio.gather(*(lease.acquire(api.store, h, now) for h in ("a", "b", "c")))
    assert sorted(results) == [False, False, True]
    winner = ("a", "b", "c")[results.index(True)]
    assert await run_due_jobs(api.services, "someone-else") is None
    assert await lease.acquire(api.store, winner, now + timedelta(minutes=1))
    later = now + lease.LEASE_LENGTH + timedelta(minutes=2)
    assert await lease.acquire(api.store, "someone-else", later)
    assert not await lease.acquire(api.store, winner, later)
    await lease.release(api.store, "someone-else")
    assert await lease.acquire(api.store, winner, later)


async def test_a_confirmed_session_past_its_end_prompts_the_mentor_once(api: Api) -> None:
    mentor, mentee, session_id = await session_tomorrow(api)
    until_start = await start_of(api, session_id)
    api.clock.advance(seconds=until_start.total_seconds() + 30 * 60)
    assert await prompt_to_complete(api.services) == 0  # still running (60 minutes)
    api.clock.advance(minutes=31)
    assert await prompt_to_complete(api.services) == 1
    assert await prompt_to_complete(api.services) == 0
    titles = [n["title"] for n in (await api.store.query(Table.NOTIFICATIONS, mentor.id)).items]
    assert "How did the session go?" in titles
    mentee_titles = [
        n["title"] for n in (await api.store.query(Table.NOTIFICATIONS, mentee.id)).items
    ]
    assert "How did the session go?" not in mentee_titles


async def session_completed(api: Api) -> tuple[Person, datetime]:
    """A completed session's mentee and the instant it was completed."""
    mentor = await api.sign_up("Maya", role="MENTOR")
    mentee = await api.sign_up("Ana")
    session_id = await completed(api, mentee, mentor)
    session = await api.store.get(Table.SESSIONS, {"sessionId": session_id})
    assert session is not None
    return mentee, parse_utc(session["completedAt"])


async def test_the_mentee_hears_once_when_the_feedback_window_opens(api: Api) -> None:
    mentee, completed_at = await session_completed(api)
    api.clock.set(completed_at + timedelta(hours=23))
    assert await announce_feedback_windows(api.services) == 0
    api.clock.set(completed_at + timedelta(hours=24))
    assert await announce_feedback_windows(api.services) == 1
    assert await announce_feedback_windows(api.services) == 0
    titles = [n["title"] for n in (await api.store.query(Table.NOTIFICATIONS, mentee.id)).items]
    assert titles.count("Your session feedback is open") == 1


async def test_a_session_completed_long_ago_gets_no_feedback_note(api: Api) -> None:
    _, completed_at = await session_completed(api)
    api.clock.set(completed_at + timedelta(days=8))
    assert await announce_feedback_windows(api.services) == 0
