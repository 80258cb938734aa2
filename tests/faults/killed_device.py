"""A device process that dies by SIGKILL, for tests/faults/test_device_faults.py.

``python -m tests.faults.killed_device DB before-push``: open the (signed-in) device file,
make the writes of ``write_a_day`` and die before any sync.
``python -m tests.faults.killed_device DB after-push URL``: the same writes, one sync
through ``URL`` (the test's proxy loses the server's answer), then die before another.
Nothing is closed or flushed on the way out: the process ends as a crash ends it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime

from sync import DeviceStore, GqlRemote, SyncEngine


def write_a_day(store: DeviceStore) -> int:
    """Seven local writes of every kind a day brings; returns the outbox size."""
    today = datetime.now(UTC).date().isoformat()
    goal = store.create_goal("Written just before a crash")
    habit = store.create_habit(goal["goalId"], "Stretch", duration=1)
    store.complete_habit(habit["habitId"], today, notes="after the crash test")
    store.write_reflection(today, "GOOD", text="nearly lost this")
    for n in range(3):
        store.create_todo(f"todo {n} of a crashing device")
    return store.pending()


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


async def push_once(store: DeviceStore, url: str) -> None:
    engine = SyncEngine(store, GqlRemote(url), server_url=url, poke=False)
    report = await engine.sync_now()
    assert report.retry, f"the proxy was to lose the answer: {report}"


def main(db: str, when: str, url: str | None = None) -> None:
    store = DeviceStore(db)
    write_a_day(store)
    if when == "after-push":
        assert url is not None
        asyncio.run(push_once(store, url))
    die()


if __name__ == "__main__":
    main(*sys.argv[1:])
