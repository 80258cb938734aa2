"""``SyncEngine``: one sync = push the outbox, send issue resolutions, pull the change feed.

- Single flight: an ``asyncio.Lock`` queues callers and an assertion guards the invariant.
- Push: batches of up to 500 entries in mutation-id order (each key once per batch), the same
  ids on every retry; a batch the server finds too large (HTTP 413) is cut, by its size in
  bytes, to what the server says it takes (else to half), and the engine keeps that budget;
  each answer is stored in one transaction (``sync.apply``). An answer
  with fewer results than changes (the server hit a transient failure) keeps the rest queued.
- Pull: pages until ``hasMore`` is false, each page and its cursor in one transaction;
  ``resetRequired`` restarts from a null cursor into the bases, keeping the outbox. The next
  page is requested before a page is stored, so server and device work at the same time.
- ``MUTATION_GAP`` means the server no longer knows our last acknowledged id (its data was
  restored from an older copy): none of our pending entries can have been applied there, so
  the engine takes a new client id, renumbers them from 1 and sends them again, once.
- ``TOO_MANY_REQUESTS``: no request at all, whoever asks for a sync, until the server's
  ``retryAfter`` has passed on the store's clock; the outbox is untouched meanwhile and local
  writes go on as ever.
- A refused access token is refreshed once; if that fails the status asks the user to sign
  in again. The device clock is compared with the server's (HTTP ``Date``) on every answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import math
import random
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from domain.clock import parse_utc
from domain.errors import DomainError
from protocol.errors import ErrorCode
from protocol.statuses import ChangeStatus

from . import issues, outbox, state
from .apply import PushTally, apply_pull_page, apply_push, begin_reset
from .backoff import CAP_SECONDS
from .errors import AuthError, FatalError, PayloadTooLarge, RetryableError, Throttled
from .keys import key_of
from .poke import PokeListener
from .push_size import budget_after_refusal, fitting
from .remote import Remote
from .scheduler import INTERVAL_SECONDS, SyncScheduler
from .status import CLOCK_SKEW_WARNING_SECONDS
from .store import DeviceStore
from .wire import AuthSession, ChangeIn, ChangeResult, PullPage, PushPayload, SyncErrorInfo

log = logging.getLogger("growlink.sync")

TOO_LARGE_TO_SEND = (
    "This change is larger than the server accepts, so it was not sent; shorten it and save "
    "it again"
)


T = TypeVar("T")

PUSH_BATCH = 500
PULL_LIMIT = 5000
POLL_WITHOUT_POKE_SECONDS = 15.0
SIGN_IN_AGAIN = "Sign in again to keep syncing"


@dataclass
class SyncReport:
    """What one sync did. ``pushed`` = changes the server answered for, by status below."""

    pushed: int = 0
    applied: int = 0
    merged: int = 0
    duplicate: int = 0
    rejected: int = 0
    conflict: int = 0
    pulled: int = 0
    pages: int = 0
    reset: bool = False
    resolutions_sent: int = 0
    error: str | None = None
    retry: bool = False
    retry_after: float | None = None
    """Seconds the server asked to wait (``TOO_MANY_REQUESTS``) before the next attempt."""
    clock_skew_seconds: float | None = None

    def add(self, tally: PushTally) -> None:
        self.pushed += tally.acknowledged
        self.applied += tally.applied
        self.merged += tally.merged
        self.duplicate += tally.duplicate
        self.rejected += tally.rejected
        self.conflict += tally.conflict


class SyncEngine:
    """Syncs ``store`` with ``remote``. With a ``server_url`` (and ``poke``), ``start()`` also
    listens for the server's ``syncPoke`` over a websocket."""

    def __init__(
        self,
        store: DeviceStore,
        remote: Remote,
        *,
        server_url: str | None = None,
        push_batch: int = PUSH_BATCH,
        pull_limit: int = PULL_LIMIT,
        interval: float = INTERVAL_SECONDS,
        poll_without_poke: float = POLL_WITHOUT_POKE_SECONDS,
        poke: bool = True,
        rand: Callable[[], float] = random.random,
        retry_cap: float = CAP_SECONDS,
        poke_retry_cap: float = CAP_SECONDS,
    ) -> None:
        self.store = store
        self.remote = remote
        self.server_url = server_url
        self.push_batch = push_batch
        self.push_budget_bytes: int | None = None
        """Learned from a 413: the most bytes of changes one push carries."""
        self.pull_limit = pull_limit
        self._throttled_until: datetime | None = None
        self._lock = asyncio.Lock()
        self._in_flight = False
        self._poke: PokeListener | None = None
        self._poke_task: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] | None = None
        if poke and server_url:
            self._poke = PokeListener(
                server_url,
                token=lambda: self.store.sync_state().access_token,
                on_poke=lambda _seq: self.scheduler.request_now(),
                on_connected=lambda: self.scheduler.request_now(),
                rand=rand,
                retry_cap=poke_retry_cap,
            )
        poke_listener = self._poke
        self.scheduler = SyncScheduler(
            self._scheduled_sync,
            interval=lambda: (
                interval
                if poke_listener is None or poke_listener.connected
                else min(interval, poll_without_poke)
            ),
            rand=rand,
            retry_cap=retry_cap,
        )

    # -- lifecycle (the app calls these) ---------------------------------------------------

    def start(self) -> None:
        """Sync now, then after writes, on pokes and every interval, until ``stop()``."""
        self._unsubscribe = self.store.on_local_write(self.scheduler.request_from_any_thread)
        self.scheduler.start()
        if self._poke is not None:
            self._poke_task = asyncio.get_running_loop().create_task(self._poke.run())

    async def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._poke_task is not None:
            self._poke_task.cancel()
            try:
                await self._poke_task
            except asyncio.CancelledError:
                pass
            self._poke_task = None
        await self.scheduler.stop()

    async def _scheduled_sync(self) -> bool:
        report = await self.sync_now()
        if report.error is None and self._poke is not None and not self._poke.connected:
            self._poke.wake()  # the server is back: listen again now
        return report.retry

    # -- signing in ------------------------------------------------------------------------

    async def sign_in(self, email: str, password: str) -> AuthSession:
        session = await self.remote.sign_in(email, password)
        self.store.adopt_session(self.server_url or "", session)
        return session

    # -- one sync --------------------------------------------------------------------------

    async def sync_now(self) -> SyncReport:
        async with self._lock:
            assert not self._in_flight, "two syncs at once"
            self._in_flight = True
            self.store.set_syncing(True)
            try:
                return await self._sync_once()
            finally:
                self._in_flight = False
                self.store.set_syncing(False)

    async def _sync_once(self) -> SyncReport:
        report = SyncReport()
        if self.store.sync_state().access_token is None:
            report.error = "not signed in"
            return report
        wait = self._throttle_left()
        if wait > 0:
            report.error = f"the server asked to wait {math.ceil(wait)} s more"
            report.retry, report.retry_after = True, wait
            self.scheduler.hold(wait)
            return report
        try:
            await self._push(report)
            await self._send_resolutions(report)
            await self._pull(report)
        except Throttled as exc:
            wait = exc.retry_after_seconds
            self._throttled_until = self.store.clock.now() + timedelta(seconds=wait)
            self.scheduler.hold(wait)
            report.error = f"server busy: {exc}; waiting {math.ceil(wait)} s"
            report.retry, report.retry_after = True, wait
        except RetryableError as exc:
            report.error, report.retry = f"offline or server busy: {exc}", True
        except AuthError as exc:
            report.error = f"{SIGN_IN_AGAIN} ({exc})"
            self._set_blocked(SIGN_IN_AGAIN)
        except FatalError as exc:
            report.error = f"server refused the sync: {exc.code or ''} {exc}".strip()
            self._set_blocked(report.error)
        else:
            self._set_blocked(None)
        report.clock_skew_seconds = self.store.sync_state().clock_skew_seconds
        self.store.checkpoint()
        return report

    def _throttle_left(self) -> float:
        """Seconds still to wait before the server takes another request (0: none)."""
        if self._throttled_until is None:
            return 0.0
        left = (self._throttled_until - self.store.clock.now()).total_seconds()
        if left <= 0:
            self._throttled_until = None
            return 0.0
        return left

    def _set_blocked(self, reason: str | None) -> None:
        if self.store.sync_state().blocked != reason:
            with self.store.transaction() as conn:
                state.update(conn, blocked=reason)

    async def _authorized(self, call: Callable[..., Awaitable[T]]) -> T:
        """``call(token=access_token)``, refreshing the token once if the server refuses it."""
        record = self.store.sync_state()
        assert record.access_token is not None
        try:
            return await call(token=record.access_token)
        except AuthError:
            if record.refresh_token is None:
                raise
        session = await self.remote.refresh(record.refresh_token)
        self.store.replace_tokens(session)
        return await call(token=session.access_token)

    async def _push(self, report: SyncReport) -> None:
        renumbered = False
        while True:
            with self.store.transaction(publish=False) as conn:
                batch = outbox.take_batch(conn, self.push_batch)
                client_id = state.read(conn).client_id
            if not batch:
                return
            changes = fitting(
                [
                    ChangeIn(
                        e.mutation_id,
                        e.entity,
                        key_of(e.key_json),
                        e.op,
                        e.base_version,
                        e.fields,
                        e.client_time,
                    )
                    for e in batch
                ],
                self.push_budget_bytes,
            )
            batch = batch[: len(changes)]
            try:
                payload = await self._authorized(
                    functools.partial(self.remote.push, client_id, changes)
                )
            except PayloadTooLarge as exc:
                if len(batch) > 1:
                    self.push_budget_bytes = budget_after_refusal(changes, exc.limit_bytes)
                else:
                    report.add(self._refuse_locally(batch[0]))  # never jams the queue
                continue
            except FatalError as exc:
                if exc.code != ErrorCode.MUTATION_GAP or renumbered:
                    raise
                self._new_client_id()
                renumbered = True
                continue
            with self.store.transaction() as conn:
                tally = apply_push(conn, batch, payload, self.store.now())
            report.add(tally)
            self._observe_clock(payload.server_time, payload)
            if tally.acknowledged < len(batch):
                raise RetryableError(
                    f"the server answered {tally.acknowledged} of {len(batch)} changes"
                )

    def _refuse_locally(self, entry: outbox.Entry) -> PushTally:
        """A change no batch can carry becomes a sync issue on this device, as a rejection by
        the server would: the local copy rolls back, what was written stays readable in the
        issue ("mine"), and the changes behind it go on. The server never saw its mutation id;
        the next push's gap renumbers the queue (``MUTATION_GAP``)."""
        error = SyncErrorInfo(ErrorCode.PAYLOAD_TOO_LARGE, TOO_LARGE_TO_SEND)
        result = ChangeResult(
            entry.mutation_id,
            ChangeStatus.REJECTED,
            entry.entity,
            key_of(entry.key_json),
            error=error,
        )
        with self.store.transaction() as conn:
            acked = state.read(conn).last_acked_mutation_id
            return apply_push(conn, [entry], PushPayload(acked, [result]), self.store.now())

    def _new_client_id(self) -> None:
        with self.store.transaction() as conn:
            count = outbox.renumber(conn)
            state.update(conn, client_id=str(uuid.uuid4()))
        log.warning("server lost our mutation record: %d pending changes renumbered", count)

    async def _send_resolutions(self, report: SyncReport) -> None:
        """Send the resolutions chosen on this device. One the server refuses (the issue is
        gone, or keeping mine breaks a rule again) reopens the issue with the reason."""
        with self.store.transaction(publish=False) as conn:
            waiting = issues.unsent_resolutions(conn)
        for issue_id, resolution in waiting:
            refused: FatalError | None = None
            if not issue_id.startswith(issues.DEVICE_ISSUE_PREFIX):
                try:
                    await self._authorized(
                        functools.partial(self.remote.resolve_issue, issue_id, resolution)
                    )
                    report.resolutions_sent += 1
                except FatalError as exc:
                    refused = exc
            with self.store.transaction() as conn:
                issues.mark_resolution_sent(conn, issue_id)
                if refused is not None:
                    issues.reopen(conn, issue_id, str(refused), self.store.now())

    async def _pull(self, report: SyncReport) -> None:
        cursor = self.store.sync_state().cursor
        resets = 0
        ahead: asyncio.Task[PullPage] | None = None
        try:
            while True:
                if ahead is None:
                    page = await self._authorized(
                        functools.partial(self.remote.pull, cursor, self.pull_limit)
                    )
                else:
                    page, ahead = await ahead, None
                self._observe_clock(page.server_time, None)
                if page.reset_required:
                    resets += 1
                    if resets > 1:
                        raise FatalError("the server asked for a reset twice in one sync")
                    with self.store.transaction() as conn:
                        begin_reset(conn)
                    cursor, report.reset = None, True
                    continue
                if page.has_more:
                    ahead = await self._request_ahead(page.cursor)
                with self.store.transaction() as conn:
                    apply_pull_page(conn, page, self.store.now())
                report.pulled += len(page.changes)
                report.pages += 1
                cursor = page.cursor
                if not page.has_more:
                    return
        finally:
            if ahead is not None:
                await _discard(ahead)

    async def _request_ahead(self, cursor: str) -> asyncio.Task[PullPage]:
        """Ask for the page after ``cursor`` before storing the page that ends there, so the
        server reads the next page while this device writes the last one (an initial sync of
        50,000 items is 10 pages; bench/sync.py, S2). Returns once the request is on its way
        (or already answered). Pages are still stored in order, each with its cursor."""
        sent = asyncio.Event()
        pull = functools.partial(self.remote.pull, cursor, self.pull_limit, sent=sent.set)
        task = asyncio.ensure_future(self._authorized(pull))
        waiting = asyncio.ensure_future(sent.wait())
        await asyncio.wait((task, waiting), return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
        return task

    def _observe_clock(self, server_time: datetime | None, payload: PushPayload | None) -> None:
        """Remember how far the device clock is from the server's; warn past 5 minutes."""
        if server_time is None and payload is not None:
            stamps = [r.item.get("_lastChangedAt") for r in payload.results if r.item]
            times = [t for t in (_parse(s) for s in stamps if isinstance(s, str)) if t]
            server_time = max(times, default=None)
        if server_time is None:
            return
        skew = (self.store.clock.now() - server_time).total_seconds()
        if abs(skew) > CLOCK_SKEW_WARNING_SECONDS:
            log.warning("device clock is %.0f s off the server's", skew)
        with self.store.transaction(publish=False) as conn:
            state.update(conn, clock_skew_seconds=round(skew, 1))


async def _discard(task: asyncio.Task[PullPage]) -> None:
    """A page requested ahead that will not be stored (the sync failed first): cancelled, and
    its outcome collected so no error goes unretrieved."""
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task


def _parse(text: str) -> datetime | None:
    try:
        return parse_utc(text)
    except (DomainError, ValueError):
        return None
