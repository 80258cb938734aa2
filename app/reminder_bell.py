"""Rings an account's reminders: one APScheduler scheduler per signed-in account (not per
browser tab), on the app's event loop, with one job per reminder still to ring.

The jobs are derived from the device file (``app.state.reminders``) at start and again after
every change to it (a pull, a local write, a new preference), so the same data always gives
the same jobs. Which occurrences rang is kept in the device file, not in the scheduler, so a
restart neither repeats nor loses one: what came due while the app was closed rings once at
the next start, all together in one line. Nothing rings while no tab is open to show it; it
waits, still relevant, for the next tab.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from app.state.context import UserContext
from app.state.reminders import due_reminders, mark_shown, next_reminders
from domain.clock import Clock
from domain.reminder_schedule import Reminder
from sync import SyncStatus

log = logging.getLogger("growlink.app.reminders")

REBUILD_DELAY_SECONDS = 0.3
"""After a change, let the screens redraw first; a burst of changes reschedules once."""

Ring = Callable[[list[Reminder]], None]
"""Shows reminders that came due together (a tab's banner, a desktop notification)."""


def wall_time(at: datetime, clock: Clock) -> datetime:
    """When the wall clock (APScheduler's) reaches ``at`` on the app's ``clock``, which a demo
    or a test may have set apart. The app's clock is read first, so the job never runs
    before ``at`` has come on it."""
    ahead = at - clock.now()
    return datetime.now(UTC) + ahead


class ReminderBell:
    def __init__(self, user_for: Callable[[], UserContext]) -> None:
        self._user_for = user_for
        """The account's user as of now (its time zone may have changed)."""
        self._listeners: list[Ring] = []
        self._scheduler: AsyncIOScheduler | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._rebuild_queued = False

    def start(self) -> None:
        """Start on the running loop; reschedules itself after every change to the store."""
        self._loop = asyncio.get_running_loop()
        self._scheduler = AsyncIOScheduler(timezone=UTC, event_loop=self._loop)
        self._scheduler.start()
        self._unsubscribe = self._user_for().store.subscribe(self._changed)
        self.rebuild()

    def stop(self) -> None:
        if self._unsubscribe is not None:
            with contextlib.suppress(ValueError):
                self._unsubscribe()
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None

    def listen(self, ring: Ring) -> Callable[[], None]:
        """Show this account's reminders through ``ring`` (e.g. a tab's banner) until the
        returned function is called; what is due already rings at once."""
        self._listeners.append(ring)
        self.ring_due()

        def forget() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(ring)

        return forget

    def scheduled(self) -> list[str]:
        """Ids (occurrence keys) of the jobs waiting to ring."""
        return sorted(job.id for job in self._scheduler.get_jobs()) if self._scheduler else []

    def rebuild(self) -> None:
        """Ring what is due, then make the jobs exactly the reminders still to ring."""
        self._rebuild_queued = False
        scheduler = self._scheduler
        if scheduler is None:
            return
        self.ring_due()
        user = self._user_for()
        wanted = {r.key: r for r in next_reminders(user)}
        for job in scheduler.get_jobs():
            if job.id not in wanted:
                job.remove()
        for key, reminder in wanted.items():
            scheduler.add_job(
                self._ring_job,
                "date",
                run_date=wall_time(reminder.at, user.clock),
                id=key,
                replace_existing=True,
                misfire_grace_time=None,
            )

    def ring_due(self) -> None:
        """Show what is due now, once, if a tab is there to show it."""
        if not self._listeners:
            return
        user = self._user_for()
        due = due_reminders(user)
        if not due:
            return
        mark_shown(user, due)
        for ring in list(self._listeners):
            try:
                ring(due)
            except Exception:  # one broken tab must not keep the others from ringing
                log.exception("a tab could not show a reminder")

    async def _ring_job(self) -> None:
        """A coroutine, so APScheduler runs it on the loop rather than in a worker thread."""
        self.ring_due()

    def _changed(self, _: SyncStatus) -> None:
        """Store listeners run on the committing thread: reschedule on the loop, once for a
        burst of changes."""
        if self._loop is None or self._rebuild_queued:
            return
        self._rebuild_queued = True
        self._loop.call_soon_threadsafe(self._loop.call_later, REBUILD_DELAY_SECONDS, self.rebuild)
