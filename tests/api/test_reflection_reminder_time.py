"""``reflectionReminderTime``: the user sets when her Sunday reminder comes (HH:MM in her
zone) through ``updateUserProfile``; a bad time is BAD_USER_INPUT and changes nothing; the
server's Sunday job and her own device's feed use it; nobody else sees it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.jobs.reflections import send_reflection_reminders
from backend.storage.tables import Table
from tests.api.asgi import Api
from tests.sync_server.sync_calls import latest, pull_all

UPDATE = """mutation($u: ID!, $i: UpdateUserInput!) {
  updateUserProfile(userId: $u, input: $i) { name reflectionReminderTime } }"""
GET = "query($u: ID!) { getUser(userId: $u) { reflectionReminderTime } }"


async def test_she_sets_clears_and_reads_her_sunday_reminder_time(api: Api) -> None:
    ann = await api.sign_up("Ann")
    set_to = await api.data(UPDATE, {"u": ann.id, "i": {"reflectionReminderTime": "7:05"}}, as_=ann)
    assert set_to["updateUserProfile"]["reflectionReminderTime"] == "07:05"
    read = await api.data(GET, {"u": ann.id}, as_=ann)
    assert read["getUser"]["reflectionReminderTime"] == "07:05"
    cleared = await api.data(UPDATE, {"u": ann.id, "i": {"reflectionReminderTime": None}}, as_=ann)
    assert cleared["updateUserProfile"]["reflectionReminderTime"] is None


@pytest.mark.parametrize("bad", ["25:00", "19h30", "", "7:5", "19:30:00", "noon"])
async def test_a_bad_time_is_refused_and_changes_nothing(api: Api, bad: str) -> None:
    ann = await api.sign_up("Ann")
    await api.data(UPDATE, {"u": ann.id, "i": {"reflectionReminderTime": "19:30"}}, as_=ann)
    before = await api.store.get(Table.USERS, {"userId": ann.id})
    error = await api.error(
        UPDATE, {"u": ann.id, "i": {"name": "Annie", "reflectionReminderTime": bad}}, as_=ann
    )
    assert error["code"] == "BAD_USER_INPUT"
    assert error["field"] == "reflectionReminderTime"
    assert await api.store.get(Table.USERS, {"userId": ann.id}) == before


async def test_only_she_and_admins_see_it(api: Api) -> None:
    ann = await api.sign_up("Ann")
    bob = await api.sign_up("Bob", role="MENTOR")
    admin = await api.admin()
    await api.data(UPDATE, {"u": ann.id, "i": {"reflectionReminderTime": "20:00"}}, as_=ann)
    assert (await api.data(GET, {"u": ann.id}, as_=bob))["getUser"][
        "reflectionReminderTime"
    ] is None
    seen = await api.data(GET, {"u": ann.id}, as_=admin)
    assert seen["getUser"]["reflectionReminderTime"] == "20:00"


async def test_the_sunday_job_and_her_device_feed_use_the_time_she_set(api: Api) -> None:
    ann = await api.sign_up("Ann", time_zone="America/Los_Angeles")
    await api.data(UPDATE, {"u": ann.id, "i": {"reflectionReminderTime": "20:30"}}, as_=ann)
    changes, _cursor, _requests = await pull_all(api, ann)
    mine = latest(changes)[("USER", str(sorted({"userId": ann.id}.items())))]
    assert mine["item"]["reflectionReminderTime"] == "20:30"
    api.clock.set(datetime(2026, 11, 30, 2, 0, tzinfo=UTC))  # Sunday 18:00 in Los Angeles
    assert await send_reflection_reminders(api.services) == 0
    api.clock.set(datetime(2026, 11, 30, 4, 30, tzinfo=UTC))  # Sunday 20:30 there
    assert await send_reflection_reminders(api.services) == 1
