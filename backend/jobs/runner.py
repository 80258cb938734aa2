"""The job runner: the lease holder runs every job due at the clock's instant.

``run_due_jobs`` is one pass (``growlink-server run-jobs``); ``schedule_jobs`` wakes it every
minute in ``serve`` with APScheduler, and puts the SQLite purge under the same leader. Every
job is idempotent (keys recorded with conditional writes), so a pass may repeat or race.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from ..services.context import Services
from ..storage.expiry import ExpiresItems, purge_expired
from . import lease
from .badges import award_day_badges
from .reflections import send_reflection_reminders
from .sessions import announce_feedback_windows, prompt_to_complete, send_session_reminders

log = logging.getLogger("growlink.jobs")
TICK_SECONDS = 60.0

Job = Callable[[Services], Awaitable[int]]
JOBS: dict[str, Job] = {
    "session_reminders": send_session_reminders,
    "complete_prompts": prompt_to_complete,
    "feedback_windows": announce_feedback_windows,
    "reflection_reminders": send_reflection_reminders,
    "day_badges": award_day_badges,
}


async def run_due_jobs(services: Services, holder: str) -> dict[str, int] | None:
    """Every job once, if ``holder`` gets the lease: notifications sent per job; None when
    another process leads."""
    if not await lease.acquire(services.store, holder, services.clock.now()):
        return None
    counts: dict[str, int] = {}
    for name, job in JOBS.items():
        counts[name] = await job(services)
    if any(counts.values()):
        log.info("jobs sent: %s", counts)
    return counts


async def purge_if_leader(services: Services, holder: str) -> None:
    """The SQLite purge of expired items, by the lease holder only."""
    store = services.store
    if isinstance(store, ExpiresItems) and await lease.acquire(
        services.store, holder, services.clock.now()
    ):
        await purge_expired(store, services.clock)


def schedule_jobs(services: Services, purge_interval: float | None) -> AsyncIOScheduler:
    """Start the runner on the running loop: jobs every minute, purge every ``purge_interval``
    seconds (None: no purge), both only while this process holds the lease."""
    holder = f"process-{uuid.uuid4()}"
    scheduler = AsyncIOScheduler(timezone=UTC)
    common = {"max_instances": 1, "coalesce": True, "next_run_time": datetime.now(UTC)}
    scheduler.add_job(
        run_due_jobs, "interval", args=(services, holder), seconds=TICK_SECONDS, **common
    )
    if purge_interval is not None:
        scheduler.add_job(
            purge_if_leader, "interval", args=(services, holder), seconds=purge_interval, **common
        )
    scheduler.start()
    return scheduler
