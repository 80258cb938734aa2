"""Per-process sync state: settings, the poke hub, the locks that order feed appends and the
initial-sync pages read ahead.

One ``SyncRuntime`` lives in ``Services`` (the composition root), so every request of a
process shares it and each test gets its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import zlib
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from .pages_ahead import PagesAhead
from .poke import PokeHub

DEFAULT_TTL = timedelta(days=180)
LOCK_STRIPES = 64
REMEMBERED_FEEDS = 100_000


@dataclass(frozen=True)
class SyncSettings:
    """``ttl``: how long tombstones and feed entries are kept (``GROWLINK_SYNC_TTL_DAYS``).

    ``index_lag``: how far back an initial sync replays the feed, to cover DynamoDB's
    eventually consistent indexes (a write just before the snapshot may not be on them yet).
    """

    ttl: timedelta = DEFAULT_TTL
    index_lag: timedelta = timedelta(seconds=10)

    @classmethod
    def from_env(cls) -> SyncSettings:
        days = os.environ.get("GROWLINK_SYNC_TTL_DAYS")
        if not days:
            return cls()
        value = float(days)
        if value <= 0:
            raise ValueError("GROWLINK_SYNC_TTL_DAYS must be positive")
        return cls(ttl=timedelta(days=value))


@dataclass
class SyncRuntime:
    """What the sync code of one process shares."""

    settings: SyncSettings = field(default_factory=SyncSettings)
    pokes: PokeHub = field(default_factory=PokeHub)
    pages_ahead: PagesAhead[Any] = field(default_factory=PagesAhead)
    _locks: list[asyncio.Lock] = field(default_factory=list, init=False, repr=False)
    _loop: asyncio.AbstractEventLoop | None = field(default=None, init=False, repr=False)
    _last_seqs: OrderedDict[str, int] = field(default_factory=OrderedDict, init=False, repr=False)

    def remembered_seqs(self, feed_ids: Iterable[str]) -> dict[str, int]:
        """The last seq this process wrote to each feed it remembers (a hint: another
        process may have appended since, which the counter's condition then reveals)."""
        return {f: self._last_seqs[f] for f in feed_ids if f in self._last_seqs}

    def remember_seqs(self, seqs: Mapping[str, int]) -> None:
        for feed_id, seq in seqs.items():
            self._last_seqs[feed_id] = seq
            self._last_seqs.move_to_end(feed_id)
        while len(self._last_seqs) > REMEMBERED_FEEDS:
            self._last_seqs.popitem(last=False)

    def forget_seqs(self, feed_ids: Iterable[str]) -> None:
        for feed_id in feed_ids:
            self._last_seqs.pop(feed_id, None)

    @contextlib.asynccontextmanager
    async def feed_locks(self, feed_ids: Iterable[str]) -> AsyncIterator[None]:
        """Hold the in-process locks of these feeds (striped, taken in one order: no deadlock).

        Appends to one feed from one process then queue instead of racing on the feed's
        counter; other processes still race, and the counter's condition settles that.
        """
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # asyncio locks belong to one event loop
            self._locks = [asyncio.Lock() for _ in range(LOCK_STRIPES)]
            self._loop = loop
        stripes = sorted({zlib.crc32(f.encode()) % LOCK_STRIPES for f in feed_ids})
        async with contextlib.AsyncExitStack() as stack:
            for stripe in stripes:
                await stack.enter_async_context(self._locks[stripe])
            yield
