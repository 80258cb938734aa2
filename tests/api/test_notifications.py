"""Notifications over GraphQL: newest first, read filter, idempotent read marks, batches."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from backend.services.context import ServiceContext
from backend.services.notify import notify
from backend.services.writes import Changes
from domain.clock import utc_iso

LIST = """query($u: ID!, $r: Boolean, $l: Int, $c: String) {
  listNotificationsPage(userId: $u, read: $r, limit: $l, cursor: $c) {
    items { notificationId title read type user { userId } } nextCursor } }"""
COUNT = "query($u: ID!) { getUnreadNotificationCount(userId: $u) }"
MARK = "mutation($n: ID!) { markNotificationRead(notificationId: $n) { notificationId read } }"
MARK_ALL = "mutation($u: ID!) { markAllNotificationsRead(userId: $u) }"


async def send(api: Any, user: Any, title: str, type_: str = "admin_update") -> str:
    """A notification through the real write path, one second after the previous one."""
    api.clock.advance(seconds=1)
    changes = Changes(ServiceContext(api.services, None))
    item = await notify(changes, user_id=user.id, type=type_, title=title, message=f"{title}!")
    await changes.commit()
    return str(item["notificationId"])


async def test_notifications_come_newest_first_and_filter_by_read(api):
    ann = await api.sign_up("Ann")
    first = await send(api, ann, "first")
    await send(api, ann, "second")
    await send(api, ann, "third")
    await api.data(MARK, {"n": first}, as_=ann)
    everything = (await api.data(LIST, {"u": ann.id}, as_=ann))["listNotificationsPage"]
    assert [n["title"] for n in everything["items"]] == ["third", "second", "first"]
    assert everything["items"][0]["user"] == {"userId": ann.id}
    unread = (await api.data(LIST, {"u": ann.id, "r": False}, as_=ann))["listNotificationsPage"]
    assert [n["title"] for n in unread["items"]] == ["third", "second"]
    read = (await api.data(LIST, {"u": ann.id, "r": True}, as_=ann))["listNotificationsPage"]
    assert [n["title"] for n in read["items"]] == ["first"]
    assert (await api.data(COUNT, {"u": ann.id}, as_=ann))["getUnreadNotificationCount"] == 2


async def test_notification_pages_follow_the_cursor(api):
    ann = await api.sign_up("Ann")
    for title in ("a", "b", "c"):
        await send(api, ann, title)
    page = (await api.data(LIST, {"u": ann.id, "l": 2}, as_=ann))["listNotificationsPage"]
    assert [n["title"] for n in page["items"]] == ["c", "b"]
    rest = (await api.data(LIST, {"u": ann.id, "l": 2, "c": page["nextCursor"]}, as_=ann))[
        "listNotificationsPage"
    ]
    assert [n["title"] for n in rest["items"]] == ["a"]


async def test_marking_read_is_idempotent(api):
    ann = await api.sign_up("Ann")
    note = await send(api, ann, "hello")
    assert (await api.data(MARK, {"n": note}, as_=ann))["markNotificationRead"]["read"] is True
    stored = (await api.store.query("Notifications", ann.id)).items[0]
    again = await api.data(MARK, {"n": note}, as_=ann)
    assert again["markNotificationRead"] == {"notificationId": note, "read": True}
    unchanged = (await api.store.query("Notifications", ann.id)).items[0]
    assert unchanged["_version"] == stored["_version"] == 2
    assert unchanged["updatedAt"] == stored["updatedAt"]


async def test_an_unknown_notification_is_not_found(api):
    ann = await api.sign_up("Ann")
    assert (await api.error(MARK, {"n": str(uuid.uuid4())}, as_=ann))["code"] == "NOT_FOUND"


async def test_someone_elses_notification_cannot_be_marked(api):
    ann, bob = await api.sign_up("Ann"), await api.sign_up("Bob")
    note = await send(api, ann, "private")
    assert (await api.error(MARK, {"n": note}, as_=bob))["code"] == "FORBIDDEN"
    stored = (await api.store.query("Notifications", ann.id)).items[0]
    assert stored["read"] is False and stored["_version"] == 1


async def test_mark_all_read_counts_changes_and_commits_in_batches_fitting_a_transaction(
    api, monkeypatch
):
    ann, bob = await api.sign_up("Ann"), await api.sign_up("Bob")
    start = api.clock.now()
    items = [
        {
            "userId": ann.id,
            "createdAt": utc_iso(start + timedelta(seconds=n)),
            "notificationId": str(uuid.uuid4()),
            "title": f"n{n}",
            "message": "m",
            "type": "habit_reminder",
            "read": n < 5,
            "_version": 1,
        }
        for n in range(205)
    ]
    await api.store.put_many("Notifications", items)
    await send(api, bob, "bob's")
    transactions: list[int] = []
    transact = api.store.transact

    async def counting(actions: Any) -> None:
        transactions.append(len(actions))
        await transact(actions)

    monkeypatch.setattr(api.store, "transact", counting)
    changed = (await api.data(MARK_ALL, {"u": ann.id}, as_=ann))["markAllNotificationsRead"]
    assert changed == 200
    # 49 writes + their 49 change-feed entries + the feed's counter = 99 actions (at most 100).
    assert transactions == [99, 99, 99, 99, 9]
    feed = (await api.store.query("ChangeFeed", ann.id, limit=1000)).items
    marked = [e for e in feed if e["entity"] == "NOTIFICATION" and e["item"]["read"]]
    assert len(marked) == 200
    assert (await api.data(COUNT, {"u": ann.id}, as_=ann))["getUnreadNotificationCount"] == 0
    assert (await api.data(MARK_ALL, {"u": ann.id}, as_=ann))["markAllNotificationsRead"] == 0
    assert (await api.data(COUNT, {"u": bob.id}, as_=bob))["getUnreadNotificationCount"] == 1


async def test_admins_list_notifications_by_type_newest_first(api):
    ann, bob = await api.sign_up("Ann"), await api.sign_up("Bob")
    await send(api, ann, "ann's badge", "badge_earned")
    await send(api, bob, "bob's update")
    await send(api, bob, "bob's badge", "badge_earned")
    admin = await api.admin()
    query = "query { listNotificationsByType(type: badge_earned) { title } }"
    assert (await api.data(query, as_=admin))["listNotificationsByType"] == [
        {"title": "bob's badge"},
        {"title": "ann's badge"},
    ]
    assert (await api.error(query, as_=ann))["code"] == "FORBIDDEN"


async def test_notifications_at_one_instant_get_distinct_keys(api):
    """A clock that does not move: in one change and across changes, each gets its own key."""
    ann = await api.sign_up("Ann")
    changes = Changes(ServiceContext(api.services, None))
    one = await notify(changes, user_id=ann.id, type="admin_update", title="one", message="1")
    two = await notify(changes, user_id=ann.id, type="admin_update", title="two", message="2")
    await changes.commit()
    later = Changes(ServiceContext(api.services, None))
    three = await notify(later, user_id=ann.id, type="admin_update", title="three", message="3")
    await later.commit()
    assert one["createdAt"] < two["createdAt"] < three["createdAt"]
    listed = (await api.data(LIST, {"u": ann.id}, as_=ann))["listNotificationsPage"]["items"]
    assert [n["title"] for n in listed] == ["three", "two", "one"]
