"""Nested fields are batched: a page of sessions costs a constant number of storage calls."""

from datetime import timedelta

from backend.services.context import ServiceContext, Viewer
from backend.services.loaders import Loaders
from backend.storage.base import Store

QUERY = """query($m: ID!) {
  listSessionsForMentor(mentorId: $m, limit: 50) {
    sessionId mentor { userId name } mentee { userId name } venue { venueId name }
  }
}"""


class CountingStore:
    """Wraps a store and counts the calls each request makes to it."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.tables = inner.tables
        self.calls: list[str] = []

    def __getattr__(self, name: str):
        target = getattr(self.inner, name)
        if not callable(target):
            return target

        async def counted(*args, **kwargs):
            self.calls.append(name)
            return await target(*args, **kwargs)

        return counted


async def _book_sessions(api, count: int, mentor, mentees, venues) -> None:
    for n in range(count):
        mentee = mentees[n % len(mentees)]
        start = api.clock.now() + timedelta(days=2, hours=n)
        data = {
            "mentorId": mentor.id,
            "date": start.date().isoformat(),
            "time": start.strftime("%H:%M"),
            "duration": 45,
        }
        if n % 2:
            data.update({"type": "in_person", "venueId": venues[n % len(venues)]})
        else:
            data.update({"type": "virtual", "meetingLink": "https://meet.example/x"})
        await api.data(
            "mutation($i: CreateSessionInput!) { createSession(input: $i) { sessionId } }",
            {"i": data},
            as_=mentee,
        )


async def test_fifty_sessions_with_mentor_mentee_and_venue_take_a_few_storage_calls(api):
    from graphql import graphql

    from backend.api.schema import build_schema

    admin = await api.admin()
    mentor = await api.sign_up("Mona", role="MENTOR")
    mentees = [await api.sign_up(f"Mentee{n}") for n in range(5)]
    venues = []
    for n in range(3):
        created = await api.data(
            "mutation($i: CreateVenueInput!) { createVenue(input: $i) { venueId } }",
            {
                "i": {
                    "name": f"Venue {n}",
                    "type": "library",
                    "address": "1 Main St",
                    "city": "Austin",
                    "capacity": 20,
                }
            },
            as_=admin,
        )
        venues.append(created["createVenue"]["venueId"])
    await _book_sessions(api, 50, mentor, mentees, venues)  # an hour apart: no slot clashes

    counting = CountingStore(api.store)
    services = type(api.services)(store=counting, clock=api.clock, tokens=api.services.tokens)
    ctx = ServiceContext(services, Viewer(mentor.id))
    result = await graphql(
        build_schema(), QUERY, variable_values={"m": mentor.id}, context_value=ctx
    )
    assert result.errors is None
    sessions = result.data["listSessionsForMentor"]
    assert len(sessions) == 50
    assert {s["mentee"]["userId"] for s in sessions} == {m.id for m in mentees}
    assert sum(1 for s in sessions if s["venue"]) == 25
    # one query for the page, one batch_get per loader (users, venues): constant, not 50 or 150
    assert len(counting.calls) <= 4, counting.calls
    assert counting.calls.count("batch_get") <= 2
    assert "get" not in counting.calls


async def test_a_requests_loaders_are_made_on_first_use_kept_and_cleared(api):
    ann = await api.sign_up("Ann")
    loaders = Loaders(api.store)
    assert vars(loaders) == {"store": api.store}  # nothing made yet
    assert loaders.user is loaders.user
    assert (await loaders.user.load(ann.id))["userId"] == ann.id
    await api.store.update("Users", {"userId": ann.id}, set={"name": "Ann B."})
    assert (await loaders.user.load(ann.id))["name"] == "Ann"  # cached for the request
    loaders.clear_all()
    assert (await loaders.user.load(ann.id))["name"] == "Ann B."
    assert set(vars(loaders)) == {"store", "user"}


async def test_loads_of_one_loop_turn_share_a_batch_and_later_ones_make_their_own(api):
    import asyncio

    people = [await api.sign_up(f"Person{n}") for n in range(3)]
    counting = CountingStore(api.store)
    loaders = Loaders(counting)
    first = [loaders.user.load(p.id) for p in people[:2]]
    assert [u["userId"] for u in await asyncio.gather(*first)] == [p.id for p in people[:2]]
    assert counting.calls == ["batch_get"]
    assert (await loaders.user.load(people[2].id))["userId"] == people[2].id
    assert (await loaders.user.load(people[0].id))["userId"] == people[0].id  # cached
    assert counting.calls == ["batch_get", "batch_get"]
