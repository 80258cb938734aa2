"""When to sync: at start, ~300 ms after local writes, at once on a poke, every interval, and
after a failure only when its backoff has passed; never before a wait the server asked for
(``hold``). One sync at a time (the engine's lock).

Writes may come from any thread (``request_from_any_thread``); everything else runs on the
event loop the scheduler was started on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable

from .backoff import CAP_SECONDS, backoff_delay

log = logging.getLogger("growlink.sync")

DEBOUNCE_SECONDS = 0.3
MAX_DEBOUNCE_SECONDS = 2.0
INTERVAL_SECONDS = 60.0


class SyncScheduler:
    """Calls ``run()`` (which returns whether a retry is needed) at the right moments.

    ``retry_cap`` bounds the backoff after failures: 60 s suits the command line and large
    fleets; the app uses 10 s so a returning server is noticed quickly."""

    def __init__(
        self,
        run: Callable[[], Awaitable[bool]],
        *,
        interval: Callable[[], float] = lambda: INTERVAL_SECONDS,
        debounce: float = DEBOUNCE_SECONDS,
        max_debounce: float = MAX_DEBOUNCE_SECONDS,
        rand: Callable[[], float] = random.random,
        retry_cap: float = CAP_SECONDS,
    ) -> None:
        self._run = run
        self._retry_cap = retry_cap
        self._interval = interval
        self._debounce = debounce
        self._max_debounce = max_debounce
        self._rand = rand
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._due = 0.0
        self._requested: float | None = None
        self._first_request: float | None = None
        self._held_until = 0.0
        self.failures = 0

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start on the running loop; the first sync runs at once."""
        self._loop = asyncio.get_running_loop()
        self._due = self._loop.time()
        self._task = self._loop.create_task(self._main(), name="growlink-sync-scheduler")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def after_write(self) -> None:
        """A local write: sync once writes pause for ``debounce`` (at most ``max_debounce``
        after the first); ignored while a failure's backoff runs (the retry sends it)."""
        if self.failures or self._loop is None:
            return
        now = self._loop.time()
        if self._first_request is None:
            self._first_request = now
        self._request(min(now + self._debounce, self._first_request + self._max_debounce))

    def request_now(self) -> None:
        """A poke or a connection coming back: the server is reachable, sync now."""
        if self._loop is None:
            return
        self.failures = 0
        self._request(self._loop.time())

    def hold(self, seconds: float) -> None:
        """The server asked to wait: no sync for ``seconds``, whatever requests one."""
        if self._loop is None:
            return
        self._held_until = max(self._held_until, self._loop.time() + seconds)
        self._wake.set()

    def request_from_any_thread(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self.after_write)

    def retry_delay(self, failures: int) -> float:
        """Seconds to wait after ``failures`` failed syncs in a row."""
        return backoff_delay(failures, self._rand(), cap=self._retry_cap)

    def _request(self, at: float) -> None:
        self._requested = at
        self._wake.set()

    def _next(self) -> float:
        wanted = self._due if self._requested is None else min(self._due, self._requested)
        return max(wanted, self._held_until)

    async def _main(self) -> None:
        assert self._loop is not None
        while True:
            delay = self._next() - self._loop.time()
            if delay > 0:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), delay)
                continue
            self._requested = self._first_request = None
            try:
                retry = await self._run()
            except Exception:  # a bug must not stop syncing for good: log, back off, retry
                log.exception("sync failed unexpectedly")
                retry = True
            now = self._loop.time()
            if retry:
                self.failures += 1
                self._due = now + self.retry_delay(self.failures)
            else:
                self.failures = 0
                self._due = now + self._interval()
