"""A server that answers TOO_MANY_REQUESTS is left alone for its ``retryAfter``: no request
reaches it before then, whoever asks for a sync, local writes go on meanwhile, and afterwards
every change lands once, in the order it was written (issue 10)."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.clock import FixedClock
from sync.entities import Entity
from tests.faults.proxy import Fault, FaultProxy
from tests.sync.real_server import sign_up


async def test_a_throttled_sync_waits_for_retry_after_then_sends_everything_in_order(
    server, proxy: FaultProxy, devices
) -> None:
    clock = FixedClock(datetime.now(UTC))
    email = sign_up(server.url)
    device = await devices(email, "throttled", clock=clock)
    for n in range(3):
        device.store.create_todo(f"before the throttle {n}")
    proxy.retry_after_seconds = 120
    proxy.inject(Fault.THROTTLE, "PushChanges")

    throttled = await device.engine.sync_now()
    assert throttled.retry and throttled.retry_after == 120, throttled
    assert device.store.pending() == 3  # nothing lost

    for n in range(2):  # writing on the device is never blocked
        device.store.create_todo(f"during the wait {n}")
    assert device.store.pending() == 5
    requests_so_far = len(proxy.exchanges)
    clock.advance(seconds=119)
    early = await device.engine.sync_now()
    assert early.retry and 0 < (early.retry_after or 0) <= 1, early
    assert len(proxy.exchanges) == requests_so_far, "a request went out before retryAfter"

    clock.advance(seconds=1)
    assert (await device.engine.sync_now()).error is None
    assert device.store.pending() == 0
    (stopped, delivered) = proxy.sent("PushChanges")
    assert stopped.fault is Fault.THROTTLE and stopped.statuses == []  # never forwarded
    assert delivered.mutation_ids == [1, 2, 3, 4, 5]
    answer = delivered.answer_json()[0]["data"]["pushChanges"]
    assert answer["lastMutationId"] == 5
    assert [r["status"] for r in answer["results"]] == ["APPLIED"] * 5

    witness = await devices(email, "witness", like=device)
    await witness.sync()
    texts = sorted(t["text"] for t in witness.store.query(Entity.TODO))
    assert texts == sorted(
        [f"before the throttle {n}" for n in range(3)] + [f"during the wait {n}" for n in range(2)]
    )
