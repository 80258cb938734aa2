"""Sent keys expire (DynamoDB TTL, the SQLite purge under the leader), and an expired key
never makes a job send again: no job sees an occurrence for as long as a key is kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.jobs import sent
from backend.jobs.runner import purge_if_leader, run_due_jobs
from backend.jobs.sessions import COMPLETE_PROMPT_LOOKBACK
from backend.storage.expiry import ExpiresItems
from backend.storage.tables import SYNC_TABLES, TTL_ATTRIBUTE, Table
from domain.reminders import SESSION_REMINDER_LEADS
from domain.sessions import FEEDBACK_CLOSES_AFTER
from tests.api.asgi import Api
from tests.api.mentorship_world import confirmed
from tests.storage.expiry import expire


def test_keys_outlive_every_window_in_which_a_job_sees_an_occurrence_again() -> None:
    windows = [*SESSION_REMINDER_LEADS.values(), COMPLETE_PROMPT_LOOKBACK, FEEDBACK_CLOSES_AFTER]
    assert sent.KEY_LIFETIME >= 2 * max(windows)
    (spec,) = [t for t in SYNC_TABLES if t.name == Table.SYNC_STATE]
    assert spec.ttl_attribute == TTL_ATTRIBUTE  # DynamoDB's TTL is switched on for it


async def day_before_reminders(api: Api, user_id: str) -> int:
    items = (await api.store.query(Table.NOTIFICATIONS, user_id)).items
    return sum(1 for n in items if n["title"] == "Session in 24 hours")


async def test_a_sent_key_carries_its_expiry_and_its_purge_sends_nothing_again(
    api: Api,
) -> None:
    mentor = await api.sign_up("Maya", role="MENTOR")
    mentee = await api.sign_up("Ana")
    session_id = await confirmed(api, mentee, mentor)  # 2026-11-26 14:00 UTC
    sent_at = datetime(2026, 11, 25, 14, 30, tzinfo=UTC)
    api.clock.set(sent_at)
    counts = await run_due_jobs(api.services, "a")
    assert counts is not None and counts["session_reminders"] == 1
    key = sent.key_of(session_id, "session_reminder:24h")
    stored = await api.store.get(Table.SYNC_STATE, key)
    assert stored is not None
    assert stored["_ttl"] == int((sent_at + sent.KEY_LIFETIME).timestamp())

    # A pass every day until well after the key's expiry: the reminder never comes again.
    for day in range(1, 40):
        api.clock.set(sent_at + timedelta(days=day))
        await run_due_jobs(api.services, "a")
        if isinstance(api.store, ExpiresItems):
            await purge_if_leader(api.services, "a")  # SQLite: the leader's purge
        else:
            await expire(api.store, int(api.clock.now().timestamp()))  # what AWS's TTL does
    assert await day_before_reminders(api, mentee.id) == 1
    assert await day_before_reminders(api, mentor.id) == 1
    assert await api.store.get(Table.SYNC_STATE, key) is None
