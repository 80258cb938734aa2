"""Initial-sync pages read ahead (``changefeed.pages_ahead``): the next snapshot page is read
while the device stores this one, served only to the request it was read for, and a change
made after it was read still reaches the device."""

from __future__ import annotations

import asyncio

import pytest

from backend.changefeed import pages_ahead
from backend.changefeed.pages_ahead import PagesAhead
from tests.sync_server.sync_calls import PULL, latest, new_id, pull, pull_all


async def ann_with_todos(api, device_of, count):
    ann = await api.sign_up("Ann")
    phone = device_of(ann)
    keys = [{"userId": ann.id, "todoId": new_id()} for _ in range(count)]
    await phone.push(
        *(phone.change("TODO", k, "PUT", {"text": f"t{n}"}) for n, k in enumerate(keys))
    )
    api.clock.advance(minutes=1)  # past the index lag: only the snapshot holds them
    return ann, phone, sorted(keys, key=lambda k: k["todoId"])


def todo(changes, key):
    return [c for c in changes if c["entity"] == "TODO" and c["key"] == key]


async def test_the_next_snapshot_page_is_read_before_it_is_asked_for(api, device_of):
    ann, _, _ = await ann_with_todos(api, device_of, 6)
    ahead = api.services.sync.pages_ahead
    first = await pull(api, ann, limit=2)
    await ahead.settle()
    assert first["hasMore"] is True and len(ahead) == 1
    second = await pull(api, ann, first["cursor"], limit=2)
    assert len(ahead) == 1  # taken, and the page after it read in its place
    ahead.close()  # nothing read ahead: the same request reads the page itself
    again = await pull(api, ann, first["cursor"], limit=2)
    assert again == second


async def test_a_page_read_ahead_then_changed_reaches_the_device_changed(api, device_of):
    ann, phone, keys = await ann_with_todos(api, device_of, 6)
    first = await pull(api, ann, limit=2)  # Ann's user item and her first todo
    assert todo(first["changes"], keys[0])
    await api.services.sync.pages_ahead.settle()  # the next page (todos 2 and 3) is read
    await phone.push_one("TODO", keys[1], "PATCH", {"done": True}, base=1)
    await phone.push_one("TODO", keys[2], "DELETE", {}, base=1)
    second = await pull(api, ann, first["cursor"], limit=2)
    # The page was read before the changes: it holds both todos as they were.
    assert [c["version"] for c in second["changes"]] == [1, 1]
    assert [c["key"] for c in second["changes"]] == keys[1:3]
    rest, _, _ = await pull_all(api, ann, second["cursor"], limit=2)
    final = latest(first["changes"] + second["changes"] + rest)
    done, deleted = (final[("TODO", str(sorted(k.items())))] for k in keys[1:3])
    assert (done["version"], done["item"]["done"]) == (2, True)
    assert deleted["deleted"] is True


async def test_a_page_read_ahead_goes_to_no_other_user_or_limit(api, device_of):
    ann, _, _ = await ann_with_todos(api, device_of, 6)
    bob = await api.sign_up("Bob")
    ahead = api.services.sync.pages_ahead
    first = await pull(api, ann, limit=2)
    await ahead.settle()
    error = await api.error(PULL, {"cursor": first["cursor"], "limit": 2}, as_=bob)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "cursor")
    other_limit = await pull(api, ann, first["cursor"], limit=3)
    assert len(other_limit["changes"]) == 3
    assert len(ahead) == 2  # Ann's page for limit 2 still waits; one for limit 3 was added
    whole, _, _ = await pull_all(api, ann)
    paged, _, _ = await pull_all(api, ann, first["cursor"], limit=2)
    assert latest(first["changes"] + paged).keys() == latest(whole).keys()


# -- PagesAhead on its own ------------------------------------------------------------------


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def page(value):
    async def reading():
        return value

    return reading


async def test_a_page_is_taken_once():
    ahead: PagesAhead[str] = PagesAhead()
    assert ahead.read("k", page("p")) is True
    assert await ahead.take("k") == "p"
    assert await ahead.take("k") is None


async def test_no_more_than_max_pages_are_kept_or_read():
    ahead: PagesAhead[int] = PagesAhead()
    started = [ahead.read(n, page(n)) for n in range(pages_ahead.MAX_PAGES + 2)]
    assert started == [True] * pages_ahead.MAX_PAGES + [False, False]
    assert ahead.read(0, page(99)) is False  # already kept
    assert await ahead.take(0) == 0
    assert ahead.read("more", page(7)) is True  # room again


async def test_a_page_not_taken_in_time_is_dropped():
    ticks = Ticks()
    ahead: PagesAhead[str] = PagesAhead(clock=ticks)
    ahead.read("k", page("p"))
    ticks.now += pages_ahead.KEPT_FOR + 1
    assert await ahead.take("k") is None and len(ahead) == 0


async def test_a_failed_read_is_read_again_by_its_request(caplog):
    ahead: PagesAhead[str] = PagesAhead()

    async def failing() -> str:
        raise RuntimeError("storage went away")

    ahead.read("k", failing)
    await ahead.settle()
    assert await ahead.take("k") is None
    ahead.read("j", failing)
    await ahead.settle()
    ahead.close()
    await asyncio.sleep(0)
    assert "never retrieved" not in caplog.text


async def test_a_cancelled_request_leaves_the_read_going():
    ahead: PagesAhead[str] = PagesAhead()
    release = asyncio.Event()
    finished: list[str] = []

    async def slow() -> str:
        await release.wait()
        finished.append("p")
        return "p"

    ahead.read("k", slow)
    waiting = asyncio.ensure_future(ahead.take("k"))
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    release.set()
    await asyncio.sleep(0)
    assert finished == ["p"]
    assert await ahead.take("k") is None  # taken by the cancelled request, not kept
