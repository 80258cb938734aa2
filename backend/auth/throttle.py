"""Sign-in throttling: failed attempts counted per account and per client address, in storage,
so every server process on one database enforces one limit.

- Failures are counted per minute: one counter item per key and minute,
  ``#throttle#<key>#<minute>`` in the Users table (a companion item like the login item,
  written directly, so never in the change feed), added to atomically (DynamoDB ``ADD``, one
  SQLite transaction) and expiring (``_ttl``) when its minute leaves the window.
- A check reads the window's counters in one batch; once they hold ``limit`` failures, the
  attempt is refused until enough of the oldest minutes leave the window, without checking the
  password (so guessing costs no hashing either). The window slides by whole minutes.
- Accounts are counted by a digest of the normalized email, unknown ones like known ones, so
  the throttle neither tells which accounts exist nor keeps the addresses people mistyped.
- Check and count are two steps: processes racing on one key may let a few attempts past the
  limit (as many as are in flight at once), never an unbounded number.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..errors import TooManyRequests
from ..storage.base import Store
from ..storage.items import Item
from ..storage.tables import TTL_ATTRIBUTE, Table

BUCKET_SECONDS = 60
TABLE = Table.USERS
PREFIX = "#throttle#"


@dataclass(frozen=True)
class ThrottleLimits:
    per_account: int = 10
    per_address: int = 50
    window: timedelta = timedelta(minutes=15)

    @property
    def buckets(self) -> int:
        return max(1, math.ceil(self.window.total_seconds() / BUCKET_SECONDS))


def bucket_key(key: str, minute: int) -> dict[str, str]:
    return {"userId": f"{PREFIX}{key}#{minute}"}


class SignInThrottle:
    """Refuses sign-in attempts over the limits, from the counts kept in ``store``."""

    def __init__(self, limits: ThrottleLimits | None = None) -> None:
        self.limits = limits or ThrottleLimits()

    async def check(self, store: Store, account: str, address: str | None, now: datetime) -> None:
        """``TooManyRequests`` (with the seconds to wait) when either key is over its limit."""
        keys = self._keys(account, address)
        minute = _minute(now)
        minutes = self._window(minute)
        found = await store.batch_get(
            TABLE, [bucket_key(key, m) for key, _ in keys for m in minutes]
        )
        wait = 0
        for n, (_, limit) in enumerate(keys):
            counts = found[n * len(minutes) : (n + 1) * len(minutes)]
            wait = max(wait, self._wait(minutes, [_count(c) for c in counts], limit, now))
        if wait > 0:
            raise TooManyRequests(
                "too many sign-in attempts; try again later", retry_after_seconds=wait
            )

    async def failed(self, store: Store, account: str, address: str | None, now: datetime) -> None:
        minute = _minute(now)
        expires = (minute + self.limits.buckets) * BUCKET_SECONDS
        for key, _ in self._keys(account, address):
            await store.update(
                TABLE,
                bucket_key(key, minute),
                set={TTL_ATTRIBUTE: expires},
                add={"failures": 1},
            )

    async def succeeded(self, store: Store, account: str, now: datetime) -> None:
        """The right password clears the account's count (not the address's)."""
        key = _account_key(account)
        buckets = [bucket_key(key, m) for m in self._window(_minute(now))]
        for bucket, item in zip(buckets, await store.batch_get(TABLE, buckets), strict=True):
            if item is not None:
                await store.delete(TABLE, bucket)

    def _keys(self, account: str, address: str | None) -> list[tuple[str, int]]:
        keys = [(_account_key(account), self.limits.per_account)]
        if address:
            keys.append((f"address:{address}", self.limits.per_address))
        return keys

    def _window(self, minute: int) -> list[int]:
        """The minutes whose failures still count, oldest first."""
        return list(range(minute - self.limits.buckets + 1, minute + 1))

    def _wait(self, minutes: list[int], counts: list[int], limit: int, now: datetime) -> int:
        """Seconds until fewer than ``limit`` failures are left in the window (0: none)."""
        total = sum(counts)
        if total < limit:
            return 0
        for minute, count in zip(minutes, counts, strict=True):
            total -= count
            if total < limit:
                leaves = (minute + self.limits.buckets) * BUCKET_SECONDS
                return max(1, math.ceil(leaves - now.timestamp()))
        return self.limits.buckets * BUCKET_SECONDS  # a limit of 0 refuses every attempt


def _minute(now: datetime) -> int:
    return int(now.timestamp()) // BUCKET_SECONDS


def _account_key(account: str) -> str:
    return "account:" + hashlib.sha256(account.encode()).hexdigest()[:32]


def _count(item: Item | None) -> int:
    return int(item.get("failures", 0)) if item is not None else 0
