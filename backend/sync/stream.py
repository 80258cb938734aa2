"""The ``syncPoke`` stream of one subscriber: its newest seq now, then after each change."""

from __future__ import annotations

from collections.abc import AsyncIterator

from ..changefeed.feed import last_seqs
from ..services.context import ServiceContext


async def poke_stream(ctx: ServiceContext) -> AsyncIterator[int]:
    """Yield the caller's feed seq at once (so a device can tell whether it is behind), then
    the new last seq of each feed change that concerns them, until unsubscribed."""
    viewer = ctx.require_viewer()
    hub = ctx.services.sync.pokes
    with hub.subscribe(viewer.user_id) as queue:
        seqs = await last_seqs(ctx.store, [viewer.user_id])
        yield seqs[viewer.user_id]
        while True:
            yield await queue.get()
