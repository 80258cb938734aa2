"""The Sunday weekly-reflection reminder at each user's own local evening.

Users are read by role on the ``UsersByRole`` index (no table scan). The evening is the
user's ``reflectionReminderTime`` ("HH:MM", default 18:00); the key holds the local Sunday,
so each user gets one reminder per week however often the job runs. A user who already wrote
that Sunday's reflection gets none (the key is recorded all the same).
"""

from __future__ import annotations

from domain.reminders import (
    REFLECTION_TIME_FIELD,
    NotificationType,
    reflection_evening,
    weekly_reflection_reminder_day,
)

from ..services.context import Services
from ..services.loaders import is_live
from ..services.users import ROLES
from ..storage.tables import Table
from .pages import index_items
from .sent import mark_settled, send_once, was_sent

INDEX = "UsersByRole"


async def send_reflection_reminders(services: Services) -> int:
    now = services.clock.now()
    sent = 0
    for role in ROLES:
        async for user in index_items(services.store, Table.USERS, INDEX, role):
            user_id = str(user["userId"])
            evening = reflection_evening(user.get(REFLECTION_TIME_FIELD))
            sunday = weekly_reflection_reminder_day(
                now=now, time_zone=str(user.get("timeZone") or "UTC"), evening=evening
            )
            if sunday is None:
                continue
            key = f"reflection_reminder:{sunday.isoformat()}"
            if await was_sent(services, user_id, key):
                continue
            written = await services.store.get(
                Table.REFLECTIONS, {"userId": user_id, "date": sunday.isoformat()}
            )
            if is_live(written) and written.get("content"):
                await mark_settled(services, user_id, key)
                continue
            sent += await send_once(
                services,
                subject_id=user_id,
                key=key,
                recipients=[user_id],
                type=NotificationType.REFLECTION_REMINDER,
                title="Time for your weekly reflection",
                message="Look back on your week: what went well, what was hard, one thing to "
                "try next week.",
                related_id=sunday.isoformat(),  # the Sunday: the device rings no second one
            )
    return sent
