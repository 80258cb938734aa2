"""The job runner: the lease holder runs every job due at the clock's instant.

``run_due_jobs`` is one pass (``growlink-server run-jobs``); ``schedule_jobs`` wakes it every
minute in ``serve`` with APScheduler, and puts the SQLite purge under the same leader. Every
job is idempotent (keys recorded with conditional writes), so a pass may repeat or race.

Each job runs on its own: one that raises is logged (one line with its traceback) and
recorded, and the next jobs still run; the next wake runs it again, and its keys keep it
from sending twice what it sent before failing.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from domain.clock import utc_iso

from ..services.context import Services
from ..storage.expiry import ExpiresItems, purge_expired
from ..storage.tables import Table
from . import lease
from .badges import award_day_badges
from .reflections import send_reflection_reminders
from .sent import expiry_epoch
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
LAST_PASS_KEY = {"ownerId": "jobs", "name": "last-pass"}
"""The latest pass: when, by whom, and each job's outcome (operators read it)."""
FAILURE_OWNER = "jobs:failures"
"""One item per failed job run (``name`` = "<instant>#<job>"), kept as long as sent keys."""

PassCounts = dict[str, int | None]
"""Notifications sent per job in one pass; None for a job that failed."""


async def run_due_jobs(
    services: Services, holder: str, jobs: Mapping[str, Job] = JOBS
) -> PassCounts | None:
    """Every job once, if ``holder`` gets the lease; None when another process leads."""
    now = services.clock.now()
    if not await lease.acquire(services.store, holder, now):
        return None
    counts: PassCounts = {}
    for name, job in jobs.items():
        try:
            counts[name] = await job(services)
        except Exception as exc:  # one job's fault must not stop the others
            log.exception("job %s failed; it runs again at the next wake", name)
            counts[name] = None
            await _record_failure(services, holder, name, exc)
    if any(counts.values()):
        log.info("jobs sent: %s", counts)
    await _record_pass(services, holder, counts)
    return counts


async def _record_failure(services: Services, holder: str, name: str, exc: Exception) -> None:
    now = services.clock.now()
    item = {
        "ownerId": FAILURE_OWNER,
        "name": f"{utc_iso(now)}#{name}",
        "job": name,
        "holder": holder,
        "error": f"{type(exc).__name__}: {exc}",
        "traceback": "".join(traceback.format_exception(exc))[-4000:],
        "_ttl": expiry_epoch(now),
    }
    await services.store.put(Table.SYNC_STATE, item)


async def _record_pass(services: Services, holder: str, counts: PassCounts) -> None:
    item = {
        **LAST_PASS_KEY,
        "at": utc_iso(services.clock.now()),
        "holder": holder,
        "sent": {name: n for name, n in counts.items() if n is not None},
        "failed": sorted(name for name, n in counts.items() if n is None),
    }
    await services.store.put(Table.SYNC_STATE, item)


async def purge_if_leader(services: Services, holder: str) -> None:
    """The SQLite purge of expired items (sent keys among them), by the lease holder only."""
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
