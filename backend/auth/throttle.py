"""Sign-in throttling: failed attempts counted per account and per client address.

Each key keeps the times of its failures within ``window``; once it has ``limit`` of them,
further attempts are refused until the oldest one leaves the window, without checking the
password (so guessing costs no hashing either). Unknown emails are counted like known ones,
so the throttle itself does not tell which accounts exist. State lives in this process
(bounded), which is enough for a single server; see docs/decisions.md.
"""

from __future__ import annotations

import math
from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..errors import TooManyRequests

MAX_KEYS = 100_000


@dataclass(frozen=True)
class ThrottleLimits:
    per_account: int = 10
    per_address: int = 50
    window: timedelta = timedelta(minutes=15)


class SignInThrottle:
    """Remembers recent failed sign-ins and refuses attempts over the limits."""

    def __init__(self, limits: ThrottleLimits | None = None) -> None:
        self.limits = limits or ThrottleLimits()
        self._failures: OrderedDict[str, deque[datetime]] = OrderedDict()

    def check(self, account: str, address: str | None, now: datetime) -> None:
        """``TooManyRequests`` (with the seconds to wait) when either key is over its limit."""
        waits = [self._wait(key, limit, now) for key, limit in self._keys(account, address)]
        wait = max(waits)
        if wait > 0:
            raise TooManyRequests(
                "too many sign-in attempts; try again later", retry_after_seconds=wait
            )

    def failed(self, account: str, address: str | None, now: datetime) -> None:
        for key, _ in self._keys(account, address):
            times = self._failures.pop(key, None) or deque()
            times.append(now)
            self._failures[key] = times
        while len(self._failures) > MAX_KEYS:
            self._failures.popitem(last=False)

    def succeeded(self, account: str) -> None:
        """The right password clears the account's count (not the address's)."""
        self._failures.pop(f"account:{account}", None)

    def _keys(self, account: str, address: str | None) -> list[tuple[str, int]]:
        keys = [(f"account:{account}", self.limits.per_account)]
        if address:
            keys.append((f"address:{address}", self.limits.per_address))
        return keys

    def _wait(self, key: str, limit: int, now: datetime) -> int:
        times = self._failures.get(key)
        if not times:
            return 0
        while times and times[0] <= now - self.limits.window:
            times.popleft()
        if len(times) < limit:
            return 0
        return max(1, math.ceil((times[0] + self.limits.window - now).total_seconds()))
