"""``syncPoke``: tell a user's open subscriptions that their feed moved on.

After a commit that appended to a feed, the feed's new ``lastSeq`` goes to every subscriber
of that user in this server process (the public feed goes to every subscriber), and to the
``relay`` when there is one: ``broker.RedisPokeRelay`` carries it to the other processes.
Without a broker, devices connected to another process find the change by their 60-second
poll (see docs/decisions.md).

Each subscriber holds at most one pending value: pokes carry no data, so a slow subscriber
only ever sees the newest seq.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator, Mapping

PUBLIC_FEED = "public"


class PokeHub:
    def __init__(self) -> None:
        self._subscribers: dict[str, set[asyncio.Queue[int]]] = {}
        self.relay: Callable[[Mapping[str, int]], None] | None = None

    def publish(self, seqs: Mapping[str, int]) -> None:
        """A commit here moved these feeds: poke this process's subscribers and the relay."""
        self.deliver(seqs)
        if self.relay is not None:
            self.relay(seqs)

    def deliver(self, seqs: Mapping[str, int]) -> None:
        """Send each feed's new last seq to its subscribers here (``public`` to everyone)."""
        for feed_id, seq in seqs.items():
            if feed_id == PUBLIC_FEED:
                targets = [q for queues in self._subscribers.values() for q in queues]
            else:
                targets = list(self._subscribers.get(feed_id, ()))
            for queue in targets:
                _offer(queue, seq)

    @contextlib.contextmanager
    def subscribe(self, user_id: str) -> Iterator[asyncio.Queue[int]]:
        queue: asyncio.Queue[int] = asyncio.Queue(maxsize=1)
        self._subscribers.setdefault(user_id, set()).add(queue)
        try:
            yield queue
        finally:
            queues = self._subscribers.get(user_id)
            if queues is not None:
                queues.discard(queue)
                if not queues:
                    del self._subscribers[user_id]

    def subscriber_count(self, user_id: str | None = None) -> int:
        if user_id is not None:
            return len(self._subscribers.get(user_id, ()))
        return sum(len(q) for q in self._subscribers.values())


def _offer(queue: asyncio.Queue[int], seq: int) -> None:
    """Keep only the newest value: pokes coalesce."""
    while True:
        try:
            queue.put_nowait(seq)
            return
        except asyncio.QueueFull:
            with contextlib.suppress(asyncio.QueueEmpty):
                queue.get_nowait()
