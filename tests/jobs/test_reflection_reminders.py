"""The Sunday reflection reminder reaches each user at their own local evening."""

from __future__ import annotations

from datetime import UTC, datetime

from backend.jobs.reflections import send_reflection_reminders
from backend.storage.tables import Table
from tests.api.asgi import Api, Person


async def reflection_reminders(api: Api, person: Person) -> int:
    items = (await api.store.query(Table.NOTIFICATIONS, person.id)).items
    return sum(1 for n in items if n["type"] == "reflection_reminder")


async def test_kiritimati_and_los_angeles_get_their_reminder_at_their_own_evening(api: Api) -> None:
    kiri = await api.sign_up("Kiri", time_zone="Pacific/Kiritimati")  # UTC+14
    lena = await api.sign_up("Lena", time_zone="America/Los_Angeles")  # UTC-8 in November
    steps = [
        # Sunday 29 Nov 17:59 in Kiritimati = Sun 29 Nov 03:59 UTC: nobody yet.
        (datetime(2026, 11, 29, 3, 59, tzinfo=UTC), 0, 0),
        # 18:00 in Kiritimati: Kiri's reminder; Los Angeles is still on Saturday evening.
        (datetime(2026, 11, 29, 4, 0, tzinfo=UTC), 1, 0),
        # A second run an hour later sends nothing new.
        (datetime(2026, 11, 29, 5, 0, tzinfo=UTC), 1, 0),
        # Sunday 17:59 in Los Angeles = Mon 30 Nov 01:59 UTC: Kiritimati's Sunday is over.
        (datetime(2026, 11, 30, 1, 59, tzinfo=UTC), 1, 0),
        # 18:00 in Los Angeles.
        (datetime(2026, 11, 30, 2, 0, tzinfo=UTC), 1, 1),
        (datetime(2026, 11, 30, 7, 0, tzinfo=UTC), 1, 1),
    ]
    for moment, kiri_count, lena_count in steps:
        api.clock.set(moment)
        await send_reflection_reminders(api.services)
        assert (await reflection_reminders(api, kiri), await reflection_reminders(api, lena)) == (
            kiri_count,
            lena_count,
        ), moment


async def test_a_chosen_evening_moves_the_reminder(api: Api) -> None:
    ann = await api.sign_up("Ann", time_zone="UTC")
    await api.store.update(Table.USERS, {"userId": ann.id}, set={"reflectionReminderTime": "20:30"})
    api.clock.set(datetime(2026, 11, 29, 18, 0, tzinfo=UTC))
    assert await send_reflection_reminders(api.services) == 0
    api.clock.set(datetime(2026, 11, 29, 20, 30, tzinfo=UTC))
    assert await send_reflection_reminders(api.services) == 1
    assert await reflection_reminders(api, ann) == 1
    (sent,) = (await api.store.query(Table.NOTIFICATIONS, ann.id)).items
    assert sent["relatedId"] == "2026-11-29"  # the Sunday, so the device adds no second one


async def test_a_reflection_already_written_needs_no_reminder(api: Api) -> None:
    ann = await api.sign_up("Ann", time_zone="UTC")
    api.clock.set(datetime(2026, 11, 29, 17, 0, tzinfo=UTC))
    ann.token = api.services.tokens.issue(ann.id).access_token
    content = {"whatWentWell": "ran twice", "whatFeltHard": "Monday", "insights": "sleep"}
    await api.data(
        "mutation($i: CreateWeeklyReflectionInput!) { createWeeklyReflection(input: $i) "
        "{ reflectionId } }",
        {"i": {"date": "2026-11-29", "mood": "GOOD", "content": content}},
        as_=ann,
    )
    api.clock.set(datetime(2026, 11, 29, 18, 0, tzinfo=UTC))
    assert await send_reflection_reminders(api.services) == 0
    assert await reflection_reminders(api, ann) == 0
