"""Queries and scans: sort order, sort-key conditions, pagination, sparse and derived indexes."""

import random

import pytest

from backend.storage import SortKeyCondition as SK
from backend.storage import ValidationError

DATES = [f"2026-11-{d:02}" for d in range(1, 29)]


async def _all_pages(store, *args, limit, **kwargs):
    items, cursor, pages = [], None, 0
    while True:
        page = await store.query(*args, limit=limit, cursor=cursor, **kwargs)
        pages += 1
        assert len(page.items) <= limit
        items += page.items
        cursor = page.cursor
        if cursor is None:
            return items, pages


async def _seed_completions(store):
    items = [
        {"habitId": "h1", "date": d, "userId": "u1", "completed": i % 3 != 0}
        for i, d in enumerate(DATES)
    ]
    random.Random(7).shuffle(items)
    await store.put_many("HabitCompletions", items)


@pytest.mark.parametrize("ascending", [True, False])
async def test_base_table_query_sorts_by_sort_key_both_ways(store, ascending):
    await _seed_completions(store)
    page = await store.query("HabitCompletions", "h1", ascending=ascending, limit=100)
    assert [i["date"] for i in page.items] == sorted(DATES, reverse=not ascending)
    assert (
        page.cursor is None
        or (
            await store.query("HabitCompletions", "h1", ascending=ascending, cursor=page.cursor)
        ).items
        == []
    )


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (SK.eq("2026-11-05"), ["2026-11-05"]),
        (SK.lt("2026-11-04"), DATES[:3]),
        (SK.le("2026-11-04"), DATES[:4]),
        (SK.gt("2026-11-25"), DATES[25:]),
        (SK.ge("2026-11-25"), DATES[24:]),
        (SK.between("2026-11-10", "2026-11-12"), DATES[9:12]),
        (SK.begins_with("2026-11-1"), DATES[9:19]),
        (SK.begins_with("2027"), []),
    ],
    ids=["eq", "lt", "le", "gt", "ge", "between", "begins_with", "begins_with-none"],
)
async def test_sort_key_conditions_on_table_and_index(store, condition, expected):
    await _seed_completions(store)
    on_table = await store.query("HabitCompletions", "h1", sk=condition)
    on_index = await store.query("HabitCompletions", "u1", index="CompletionsByUser", sk=condition)
    assert [i["date"] for i in on_table.items] == expected
    assert [i["date"] for i in on_index.items] == expected


@pytest.mark.parametrize("ascending", [True, False])
@pytest.mark.parametrize("limit", [1, 7, 60])
async def test_pagination_visits_every_item_once_even_with_equal_sort_keys(store, ascending, limit):
    # 57 sessions on only 5 distinct dates: the cursor must break ties, or items repeat or vanish.
    sessions = [
        {"sessionId": f"s{i:03}", "mentorId": "m1", "date": f"2026-12-0{i % 5 + 1}T10:00:00Z"}
        for i in range(57)
    ]
    sessions.append({"sessionId": "other", "mentorId": "m2", "date": "2026-12-01T10:00:00Z"})
    await store.put_many("Sessions", sessions)
    items, pages = await _all_pages(
        store, "Sessions", "m1", index="SessionsByMentor", ascending=ascending, limit=limit
    )
    ids = [i["sessionId"] for i in items]
    assert sorted(ids) == sorted(s["sessionId"] for s in sessions if s["mentorId"] == "m1")
    assert len(ids) == len(set(ids))
    dates = [i["date"] for i in items]
    assert dates == sorted(dates, reverse=not ascending)
    assert pages >= -(-57 // limit)


async def test_scan_pages_through_every_item_once(store):
    await store.put_many(
        "Categories", [{"categoryId": f"c{i:02}", "name": f"n{i}"} for i in range(23)]
    )
    seen, cursor = [], None
    while True:
        page = await store.scan("Categories", limit=5, cursor=cursor)
        seen += [i["categoryId"] for i in page.items]
        cursor = page.cursor
        if cursor is None:
            break
    assert sorted(seen) == [f"c{i:02}" for i in range(23)]
    assert len(seen) == 23


async def test_sparse_index_holds_only_items_with_the_key(store):
    await store.put("Sessions", {"sessionId": "virtual", "mentorId": "m", "date": "2026-12-01"})
    await store.put(
        "Sessions",
        {"sessionId": "in-person", "mentorId": "m", "date": "2026-12-02", "venueId": "v1"},
    )
    page = await store.query("Sessions", "v1", index="SessionsByVenue")
    assert [i["sessionId"] for i in page.items] == ["in-person"]

    await store.update("Sessions", {"sessionId": "virtual"}, set={"venueId": "v1"})
    await store.update("Sessions", {"sessionId": "in-person"}, remove=["venueId"])
    page = await store.query("Sessions", "v1", index="SessionsByVenue")
    assert [i["sessionId"] for i in page.items] == ["virtual"]


async def test_changing_an_index_key_moves_the_item(store):
    await store.put("Sessions", {"sessionId": "s1", "status": "PENDING", "date": "2026-12-01"})
    await store.update("Sessions", {"sessionId": "s1"}, set={"status": "CONFIRMED"})
    assert (await store.query("Sessions", "PENDING", index="SessionsByStatus")).items == []
    confirmed = await store.query("Sessions", "CONFIRMED", index="SessionsByStatus")
    assert [i["sessionId"] for i in confirmed.items] == ["s1"]


async def test_deleted_items_leave_their_indexes(store):
    await store.put("Goals", {"goalId": "g1", "userId": "u1", "createdAt": "2026-11-01T00:00:00Z"})
    await store.delete("Goals", {"goalId": "g1"})
    assert (await store.query("Goals", "u1", index="GoalsByUser")).items == []


async def test_index_without_sort_key_finds_by_partition_key(store):
    await store.put("Users", {"userId": "u1", "email": "ann@example.com", "username": "ann"})
    await store.put("Users", {"userId": "u2", "email": "bob@example.com", "username": "bob"})
    page = await store.query("Users", "bob@example.com", index="UsersByEmail")
    assert [i["userId"] for i in page.items] == ["u2"]


async def test_derived_event_day_indexes_events_by_date(store):
    await store.put_many(
        "Events",
        [
            {"eventId": "late", "date": "2026-12-05T18:00:00Z", "type": "workshop", "hostId": "h"},
            {"eventId": "early", "date": "2026-12-05T09:00:00Z", "type": "hangout", "hostId": "h"},
            {
                "eventId": "next-day",
                "date": "2026-12-06T09:00:00Z",
                "type": "hangout",
                "hostId": "h",
            },
        ],
    )
    page = await store.query("Events", "2026-12-05", index="EventsByDate")
    assert [i["eventId"] for i in page.items] == ["early", "late"]
    moved = await store.update("Events", {"eventId": "late"}, set={"date": "2026-12-06T20:00:00Z"})
    assert moved["day"] == "2026-12-06"
    page = await store.query("Events", "2026-12-06", index="EventsByDate")
    assert [i["eventId"] for i in page.items] == ["next-day", "late"]


async def test_derived_partner_status_indexes_partner_venues(store):
    await store.put_many(
        "Venues",
        [
            {
                "venueId": "v1",
                "name": "Library",
                "city": "Austin",
                "type": "library",
                "isPartner": True,
            },
            {"venueId": "v2", "name": "Cafe", "city": "Austin", "type": "cafe", "isPartner": False},
        ],
    )
    partners = await store.query("Venues", "partner", index="VenuesByPartner")
    assert [v["venueId"] for v in partners.items] == ["v1"]
    await store.update("Venues", {"venueId": "v2"}, set={"isPartner": True})
    partners = await store.query("Venues", "partner", index="VenuesByPartner")
    assert [v["venueId"] for v in partners.items] == ["v2", "v1"]  # sorted by name: Cafe, Library


async def test_interest_fan_out_items_index_users_by_interest(store):
    from backend.storage.tables import interest_fanout_key

    await store.put(
        "Users", {"userId": "u1", "role": "MENTEE", "createdAt": "2026-01-01T00:00:00Z"}
    )
    await store.put(
        "Users",
        {
            "userId": interest_fanout_key("u1", "Product Design"),
            "interest": "product design",
            "ownerId": "u1",
            "createdAt": "2026-01-01T00:00:00Z",
        },
    )
    page = await store.query("Users", "product design", index="UsersByInterest")
    assert [i["ownerId"] for i in page.items] == ["u1"]
    mentees = await store.query("Users", "MENTEE", index="UsersByRole")
    assert [i["userId"] for i in mentees.items] == ["u1"]


async def test_count_counts_the_partition_items_whose_flags_are_not_true(store):
    notes = [
        {"userId": "u1", "createdAt": f"2026-11-{d:02}T08:00:00Z", "notificationId": f"n{d}"}
        for d in range(1, 8)
    ]
    notes[0]["read"] = True
    notes[1]["read"] = False
    notes[2]["_deleted"] = True
    notes[3].update(read=True, _deleted=True)
    notes[4]["read"] = 1  # not the boolean true: counted, as DynamoDB's BOOL compares
    other = {"userId": "u2", "createdAt": "2026-11-01T08:00:00Z", "notificationId": "x"}
    await store.put_many("Notifications", [*notes, other])

    assert await store.count("Notifications", "u1") == 7
    assert await store.count("Notifications", "u1", not_true=("read",)) == 5
    assert await store.count("Notifications", "u1", not_true=("read", "_deleted")) == 4
    assert await store.count("Notifications", "nobody", not_true=("read",)) == 0


async def test_count_spans_more_than_one_storage_page(store):
    """DynamoDB reads at most 1 MB per call: 600 items of 4 KB need several calls (even
    where the emulator applies the limit to the items that pass the filter, 1.6 MB)."""
    pad = "x" * 4000
    items = [
        {"userId": "u1", "createdAt": f"2026-11-01T{n // 60:02}:{n % 60:02}:00Z", "pad": pad}
        for n in range(600)
    ]
    for item in items[::3]:
        item["read"] = True
    await store.put_many("Notifications", items)
    assert await store.count("Notifications", "u1", not_true=("read",)) == 400
    assert await store.count("Notifications", "u1") == 600


@pytest.mark.parametrize(
    ("pk", "flags"),
    [(7, ()), ("u1", ("read)",)), ("u1", ("",)), ("u1", ('a"b',))],
    ids=["number-for-string-key", "parenthesis", "empty", "quote"],
)
async def test_count_refuses_a_wrong_key_or_attribute_name(store, pk, flags):
    with pytest.raises(ValidationError):
        await store.count("Notifications", pk, not_true=flags)
