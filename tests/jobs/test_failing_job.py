"""A job that raises does not stop the pass: it is logged once with its traceback and
recorded, the jobs after it still run, and the next pass runs it again without sending
twice what it sent before failing."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from backend.jobs.reflections import send_reflection_reminders
from backend.jobs.runner import FAILURE_OWNER, LAST_PASS_KEY, Job, run_due_jobs
from backend.jobs.sessions import send_session_reminders
from backend.services.context import Services
from backend.storage.tables import Table
from tests.api.asgi import Api, Person
from tests.api.mentorship_world import confirmed


def crashing_after_its_work(crashes: list[bool]) -> Job:
    """The session reminders, then a crash while ``crashes`` still holds a True."""

    async def job(services: Services) -> int:
        sent = await send_session_reminders(services)
        if crashes and crashes.pop(0):
            raise RuntimeError("the mail relay went away")
        return sent

    return job


async def notification_types(api: Api, person: Person) -> list[str]:
    return sorted(
        str(n["type"]) for n in (await api.store.query(Table.NOTIFICATIONS, person.id)).items
    )


async def test_a_failing_job_is_logged_recorded_and_retried_without_duplicates(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    mentor = await api.sign_up("Maya", role="MENTOR", time_zone="UTC")
    mentee = await api.sign_up("Ana", time_zone="UTC")
    await confirmed(api, mentee, mentor)  # Thursday 2026-11-26 14:00 UTC
    before = await notification_types(api, mentee)
    jobs = {
        "session_reminders": crashing_after_its_work([True]),
        "reflection_reminders": send_reflection_reminders,
    }
    # Sunday 18:00 UTC comes later; a Wednesday 14:30 pass sees the 24 h reminder due.
    api.clock.set(datetime(2026, 11, 25, 14, 30, tzinfo=UTC))
    with caplog.at_level(logging.ERROR, logger="growlink.jobs"):
        first = await run_due_jobs(api.services, "a", jobs)
    assert first == {"session_reminders": None, "reflection_reminders": 0}
    (logged,) = [r for r in caplog.records if r.name == "growlink.jobs"]
    assert "session_reminders" in logged.getMessage()
    assert logged.exc_info is not None and "mail relay" in str(logged.exc_info[1])
    failures = (await api.store.query(Table.SYNC_STATE, FAILURE_OWNER)).items
    assert [(f["job"], f["error"]) for f in failures] == [
        ("session_reminders", "RuntimeError: the mail relay went away")
    ]
    assert "Traceback" in failures[0]["traceback"]
    last = await api.store.get(Table.SYNC_STATE, LAST_PASS_KEY)
    assert last is not None and last["failed"] == ["session_reminders"]
    assert last["sent"] == {"reflection_reminders": 0}
    after_first = await notification_types(api, mentee)
    assert after_first.count("session_reminder") == before.count("session_reminder") + 1

    api.clock.set(datetime(2026, 11, 25, 14, 31, tzinfo=UTC))
    second = await run_due_jobs(api.services, "a", jobs)
    assert second == {"session_reminders": 0, "reflection_reminders": 0}
    assert await notification_types(api, mentee) == after_first


async def test_the_jobs_after_a_failing_one_still_run(api: Api) -> None:
    ann = await api.sign_up("Ann", time_zone="UTC")

    async def broken(services: Services) -> int:
        raise KeyError("date")

    api.clock.set(datetime(2026, 11, 29, 18, 0, tzinfo=UTC))  # Sunday evening
    counts = await run_due_jobs(
        api.services, "a", {"broken": broken, "reflection_reminders": send_reflection_reminders}
    )
    assert counts == {"broken": None, "reflection_reminders": 1}
    assert "reflection_reminder" in await notification_types(api, ann)
