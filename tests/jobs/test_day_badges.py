"""The consistency badge is looked at again once a user's day has turned."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from backend.jobs.badges import award_day_badges
from backend.storage.tables import Table
from tests.api.asgi import Api
from tests.api.test_completions import create_habit


async def test_thirty_full_days_earn_the_consistency_badge_once_after_midnight(api: Api) -> None:
    ann = await api.sign_up("Ann")  # UTC; the habit is created on Tuesday 2026-11-24
    habit_id = await create_habit(api, ann)
    first = date(2026, 11, 24)
    # Completions merged as they were stored (as from a device), without the badge check.
    await api.store.put_many(
        Table.HABIT_COMPLETIONS,
        [
            {
                "habitId": habit_id,
                "userId": ann.id,
                "date": (first + timedelta(days=n)).isoformat(),
                "completed": True,
                "createdAt": "2026-11-24T12:00:00.000000Z",
                "_version": 1,
            }
            for n in range(30)
        ],
    )
    api.clock.set(datetime(2026, 12, 23, 23, 59, tzinfo=UTC))  # the 30th day is not over
    assert await award_day_badges(api.services) == 0
    api.clock.set(datetime(2026, 12, 24, 0, 1, tzinfo=UTC))
    assert await award_day_badges(api.services) == 1
    assert await award_day_badges(api.services) == 0
    badges = (await api.store.query(Table.BADGES, ann.id)).items
    assert [b["key"] for b in badges] == ["consistency:30d"]


async def test_a_month_with_gaps_earns_nothing(api: Api) -> None:
    ann = await api.sign_up("Ann")
    await create_habit(api, ann)
    api.clock.set(datetime(2026, 12, 24, 0, 1, tzinfo=UTC))
    assert await award_day_badges(api.services) == 0
    assert (await api.store.query(Table.BADGES, ann.id)).items == []
