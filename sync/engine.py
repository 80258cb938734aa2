"""``SyncEngine``: one sync = push the outbox, send issue resolutions, pull the change feed.

- Single flight: an ``asyncio.Lock`` queues callers and an assertion guards the invariant.
- Push: batches of up to 500 entries in mutation-id order (each key once per batch), the same
  ids on every retry; a batch the server finds too large (HTTP 413) is halved and sent again;
  each answer is stored in one transaction (``sync.apply``). An answer
  with fewer results than changes (the server hit a transient failure) keeps the rest queued.
- Pull: pages until ``hasMore`` is false, each page and its cursor in one transaction;
  ``resetRequired`` restarts from a null cursor into the bases, keeping the outbox.
- ``MUTATION_GAP`` means the server no longer knows our last acknowledged id (its data was
  restored from an older copy): none of our pending entries can have been applied there, so
  the engine takes a new client id, renumbers them from 1 and sends them again, once.
- A refused access token is refreshed once; if that fails the status asks the user to sign
  in again. The device clock is compared with the server's (HTTP ``Date``) on every answer.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from domain.clock import parse_utc
from domain.errors import DomainError
from protocol.errors import ErrorCode
from protocol.statuses import ChangeStatus

from . import issues, outbox, state
from .apply import PushTally, apply_pull_page, apply_push, begin_reset
from .backoff import CAP_SECONDS
from .errors import AuthError, FatalError, RetryableError
from .keys import key_of
from .poke import PokeListener
from .remote import Remote
from .scheduler import INTERVAL_SECONDS, SyncScheduler
from .status import CLOCK_SKEW_WARNING_SECONDS
from .store import DeviceStore
from .wire import AuthSession, ChangeIn, ChangeResult, PushPayload, SyncErrorInfo

log = logging.getLogger("growlink.sync")

TOO_LARGE_CODES = frozenset({ErrorCode.PAYLOAD_TOO_LARGE, "413"})
"""The server refused the request body as too large (its GraphQL error, or a proxy's 413)."""


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
        self.pull_limit = pull_limit
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
        try:
            await self._push(report)
            await self._send_resolutions(report)
            await self._pull(report)
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
        with self.store.transaction(publish=False) as conn:
            state.update(
                conn, access_token=session.access_token, refresh_token=session.refresh_token
            )
        return await call(token=session.access_token)

    async def _push(self, report: SyncReport) -> None:
        renumbered = False
        batch_limit = self.push_batch
        while True:
            with self.store.transaction(publish=False) as conn:
                batch = outbox.take_batch(conn, batch_limit)
                client_id = state.read(conn).client_id
            if not batch:
                return
            changes = [
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
            ]
            try:
                payload = await self._authorized(
                    functools.partial(self.remote.push, client_id, changes)
                )
            except FatalError as exc:
                if exc.code in TOO_LARGE_CODES and len(batch) > 1:
                    batch_limit = len(batch) // 2  # halve until it fits
                    continue
                if exc.code in TOO_LARGE_CODES:
                    report.add(self._refuse_locally(batch[0]))  # never jams the queue
                    continue
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
        while True:
            page = await self._authorized(
                functools.partial(self.remote.pull, cursor, self.pull_limit)
            )
            self._observe_clock(page.server_time, None)
            if page.reset_required:
                resets += 1
                if resets > 1:
                    raise FatalError("the server asked for a reset twice in one sync")
                with self.store.transaction() as conn:
                    begin_reset(conn)
                cursor, report.reset = None, True
                continue
            with self.store.transaction() as conn:
                apply_pull_page(conn, page, self.store.now())
            report.pulled += len(page.changes)
            report.pages += 1
            cursor = page.cursor
            if not page.has_more:
                return

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


def _parse(text: str) -> datetime | None:
    try:
        return parse_utc(text)
    except (DomainError, ValueError):
        return None
