"""Reviews on the device: kept per mentor with their fetched time, shown on the profile; the
mentee's review from My sessions (checked before sending, online only, the draft kept
offline); against the real server, written, replaced and read back. Also the refused
booking's card: what was asked, and dismissing it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.state import online
from app.state.booking import cache_directory
from app.state.context import ScreenContext, UserContext
from app.state.reviews import (
    ReviewDraft,
    cache_reviews,
    load_reviews,
    refresh_reviews,
    send_review,
)
from app.state.sessions import load_sessions
from app.views.booking import MentorsScreen
from app.views.sessions import SessionsScreen
from domain.errors import RuleViolation
from harness.accounts import sign_up_blocking
from sync import DeviceStore, Entity
from sync.wire import AuthSession
from tests.app.conftest import USER, ZONE
from tests.app.flet_page import FakePage
from tests.app.seeding import from_server, mentor, sync_issue


def review(review_id: str, author_id: str, name: str, rating: int, at: str, **extra: Any):
    """A ``Review`` as ``listReviewsForTarget`` answers it."""
    return {
        "reviewId": review_id,
        "rating": rating,
        "comment": extra.pop("comment", None),
        "type": "GENERAL",
        "createdAt": at,
        "updatedAt": at,
        "author": {"userId": author_id, "name": name},
        **extra,
    }


KEPT = [
    review("m-bea#u-1", "u-1", "Chloe", 4, "2026-11-02T10:00:00.000000Z", comment="Clear"),
    review("m-bea#anonymous#f1", "anonymous", "Anonymous", 5, "2026-11-20T10:00:00.000000Z"),
    review(f"m-bea#{USER}", USER, "Ana", 3, "2026-11-10T23:30:00.000000Z", comment="Kind"),
]


def completed(session_id: str, mentor_id: str, date: str, **extra: Any) -> dict[str, Any]:
    return {
        "sessionId": session_id,
        "mentorId": mentor_id,
        "menteeId": USER,
        "type": "virtual",
        "date": date,
        "time": "10:00",
        "duration": 60,
        "status": "COMPLETED",
        **extra,
    }


def test_reviews_are_kept_with_their_time_newest_first_and_mine_known(user: UserContext):
    assert load_reviews(user, "m-bea").fetched_at is None
    cache_reviews(user, "m-bea", KEPT)
    kept = load_reviews(user, "m-bea")
    assert kept.fetched_at == "2026-11-24T09:30:00.000000Z"
    assert [(r.author, r.rating, r.mine) for r in kept.reviews] == [
        ("Anonymous", 5, False),
        ("Ana", 3, True),
        ("Chloe", 4, False),
    ]
    assert kept.reviews[2].comment == "Clear" and kept.reviews[2].date_label == "2 Nov 2026"
    assert (kept.my_rating, kept.my_comment) == (3, "Kind")
    assert load_reviews(user, "m-carl").reviews == ()  # kept per mentor


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (ReviewDraft(rating=0), "rating"),
        (ReviewDraft(rating=6), "rating"),
        (ReviewDraft(comment="x" * 5001), "comment"),
    ],
)
async def test_a_bad_review_is_refused_before_anything_is_sent(user, draft, field):
    cache_reviews(user, "m-bea", KEPT)
    with pytest.raises(RuleViolation) as refused:
        await send_review(user, "m-bea", draft)
    assert refused.value.field == field
    assert load_reviews(user, "m-bea").my_rating == 3


async def test_offline_a_review_is_not_sent_and_nothing_changes(user: UserContext):
    cache_reviews(user, "m-bea", KEPT)
    with pytest.raises(online.Unreachable):
        await send_review(user, "m-bea", ReviewDraft(rating=5, comment="Great"))
    with pytest.raises(online.Unreachable):
        await refresh_reviews(user, "m-bea")
    kept = load_reviews(user, "m-bea")
    assert (kept.my_rating, kept.fetched_at) == (3, "2026-11-24T09:30:00.000000Z")


def test_my_latest_completed_session_per_mentor_offers_the_review(user: UserContext):
    from_server(
        user.store,
        Entity.SESSION,
        completed("s-bea-old", "m-bea", "2026-11-10"),
        completed("s-bea-new", "m-bea", "2026-11-20"),
        completed("s-carl", "m-carl", "2026-11-12"),
        completed("s-carl-cancelled", "m-carl", "2026-11-22", status="CANCELLED"),
        completed("s-mine", USER, "2026-11-21", menteeId="someone"),  # I mentored it
    )
    offered = {i.session_id for i in load_sessions(user).past if i.reviewable}
    assert offered == {"s-bea-new", "s-carl"}


async def test_profile_shows_the_kept_reviews_and_when_they_were_fetched(
    fake_page: FakePage, screen: ScreenContext
):
    cache_directory(screen.user, [mentor("m-bea", "Bea"), mentor("m-carl", "Carl")])
    cache_reviews(screen.user, "m-bea", KEPT)
    fake_page.render(lambda: MentorsScreen(screen))
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("mentor-card-m-bea"))
    await fake_page.settle(0.3)  # the fetch on open fails offline: the kept ones stay
    assert fake_page.by_id("mentor-reviews").label == "3 reviews, fetched tue 24 nov, 09:30"
    mine = fake_page.by_id(f"mentor-review-m-bea#{USER}")
    assert mine.label == "3 of 5 by You, 10 Nov 2026: Kind"
    assert fake_page.by_id("mentor-review-m-bea#anonymous#f1").label.startswith("5 of 5 by Anon")
    await fake_page.click(fake_page.by_id("mentor-back"))
    await fake_page.click(fake_page.by_id("mentor-card-m-carl"))
    await fake_page.settle(0.3)
    assert fake_page.by_id("mentor-reviews").label == "Reviews, not fetched online yet"


async def test_review_from_my_sessions_starts_from_mine_and_keeps_the_draft_offline(
    fake_page: FakePage, screen: ScreenContext
):
    cache_directory(screen.user, [mentor("m-bea", "Bea")])
    cache_reviews(screen.user, "m-bea", KEPT)
    from_server(screen.user.store, Entity.SESSION, completed("s-1", "m-bea", "2026-11-20"))
    fake_page.render(lambda: SessionsScreen(screen))
    await fake_page.settle()
    assert fake_page.by_id("session-review-s-1").label == "Review Bea"
    await fake_page.click(fake_page.by_id("session-review-s-1"))
    assert "Edit your review of Bea" in fake_page.texts()
    assert fake_page.by_id("review-m-bea-star-3").selected
    await fake_page.click(fake_page.by_id("review-m-bea-star-5"))
    assert fake_page.by_id("review-m-bea-star-5").selected
    await fake_page.type_into(fake_page.by_id("review-m-bea-comment"), "x" * 5001)
    await fake_page.click(fake_page.by_id("review-m-bea-send"))
    assert "Must be at most 5000 characters" in fake_page.texts()
    await fake_page.type_into(fake_page.by_id("review-m-bea-comment"), "Patient and clear")
    await fake_page.click(fake_page.by_id("review-m-bea-send"))
    await fake_page.settle(0.5)
    assert any(t.startswith("You are offline: a review needs") for t in fake_page.texts())
    field = fake_page.by_id("review-m-bea-comment")
    assert fake_page.find(lambda c: c is field)[0].content.value == "Patient and clear"
    assert load_reviews(screen.user, "m-bea").my_rating == 3  # nothing changed
    await fake_page.click(fake_page.by_id("review-m-bea-cancel"))
    assert not fake_page.find(lambda c: getattr(c, "identifier", None) == "review-m-bea-send")


async def test_a_refused_booking_says_what_was_asked_and_is_dismissed(
    fake_page: FakePage, screen: ScreenContext
):
    cache_directory(screen.user, [mentor("m-bea", "Bea")])
    from_server(
        screen.user.store,
        Entity.SYNC_ISSUE,
        sync_issue(
            "i-venue",
            entity="SESSION",
            key={"sessionId": "s-x"},
            code="BAD_USER_INPUT",
            field="venueId",
            message="Lisbon Hub is not taking bookings now; choose another venue",
            mine={"mentorId": "m-bea", "type": "in_person", "date": "2026-11-26", "time": "15:00"},
            theirs=None,
        ),
    )
    fake_page.render(lambda: SessionsScreen(screen))
    await fake_page.settle()
    card = fake_page.by_id("session-refused-s-x")
    assert card.label == (
        "Session not booked: Lisbon Hub is not taking bookings now; choose another venue"
        " (Thu 26 Nov, 15:00 · In person with Bea)"
    )
    await fake_page.click(fake_page.by_id("refusal-dismiss-s-x"))
    assert load_sessions(screen.user).refused == ()
    assert screen.user.store.issues() == []


# -- against the real server --------------------------------------------------------------


@pytest.fixture(scope="module")
def server(server_process, tmp_path_factory):
    return server_process(tmp_path_factory.mktemp("reviews-server") / "server.db")


async def test_a_review_is_written_replaced_and_read_back_online(server, tmp_path, clock):
    mona = sign_up_blocking(server.url, role="MENTOR")
    ann = sign_up_blocking(server.url)
    bob = sign_up_blocking(server.url)
    store = DeviceStore(tmp_path / "ann.db", clock=clock)
    try:
        store.adopt_session(server.url, AuthSession(ann.token, "unused", ann.user_id))
        user = UserContext(store=store, clock=clock, user_id=ann.user_id, time_zone=ZONE)
        await send_review(user, mona.user_id, ReviewDraft(rating=5, comment="  Kind  "))
        kept = load_reviews(user, mona.user_id)
        assert (kept.my_rating, kept.my_comment) == (5, "Kind")
        await send_review(user, mona.user_id, ReviewDraft(rating=3))  # replaces the first
        write = "mutation($t: ID!) { upsertReview(input: {targetId: $t, rating: 4}) { rating } }"
        answer = httpx.post(
            f"{server.url}/graphql",
            json={"query": write, "variables": {"t": mona.user_id}},
            headers={"Authorization": f"Bearer {bob.token}"},
            timeout=30,
        ).json()
        assert answer["data"] == {"upsertReview": {"rating": 4}}
        await refresh_reviews(user, mona.user_id)
        kept = load_reviews(user, mona.user_id)
        assert sorted((r.rating, r.mine) for r in kept.reviews) == [(3, True), (4, False)]
        assert kept.fetched_at is not None
        with pytest.raises(online.Refused) as refused:  # nobody reviews themselves
            await send_review(user, ann.user_id, ReviewDraft(rating=5))
        assert refused.value.field == "targetId"
        assert load_reviews(user, ann.user_id).reviews == ()
    finally:
        store.close()


def test_a_session_names_the_mentor_from_his_public_profile_before_any_directory(user):
    from_server(user.store, Entity.USER, {"userId": "m-maya", "name": "Maya Okafor"})  # no role
    from_server(user.store, Entity.SESSION, completed("s-1", "m-maya", "2026-11-20"))
    (item,) = load_sessions(user).past
    assert item.with_label == "with Maya Okafor" and item.reviewable


async def test_the_review_form_starts_from_my_review_fetched_as_it_opens(
    server, tmp_path, clock, fake_page: FakePage
):
    mona = sign_up_blocking(server.url, role="MENTOR")
    ann = sign_up_blocking(server.url)
    write = "mutation($t: ID!) { upsertReview(input: {targetId: $t, rating: 2}) { rating } }"
    httpx.post(
        f"{server.url}/graphql",
        json={"query": write, "variables": {"t": mona.user_id}},
        headers={"Authorization": f"Bearer {ann.token}"},
        timeout=30,
    ).raise_for_status()
    store = DeviceStore(tmp_path / "ann.db", clock=clock)
    try:
        store.adopt_session(server.url, AuthSession(ann.token, "unused", ann.user_id))
        user = UserContext(store=store, clock=clock, user_id=ann.user_id, time_zone=ZONE)
        session = completed("s-1", mona.user_id, "2026-11-20", menteeId=ann.user_id)
        from_server(store, Entity.SESSION, session)
        from_server(store, Entity.USER, {"userId": mona.user_id, "name": "Mona"})
        fake_page.render(lambda: SessionsScreen(ScreenContext(user)))
        await fake_page.settle()
        await fake_page.click(fake_page.by_id("session-review-s-1"))
        prefix = f"review-{mona.user_id}"
        # Nothing of hers is kept on the device yet: the form opens at its default (5 stars)
        # and moves to her 2 when the fetch on open (a real request) answers, which on a quiet
        # machine can happen before the first look, so only the end state is asserted.
        for _ in range(100):
            await fake_page.settle(0.05)
            if fake_page.by_id(f"{prefix}-star-2").selected:
                break
        assert fake_page.by_id(f"{prefix}-star-2").selected
        assert "Edit your review of Mona" in fake_page.texts()
    finally:
        store.close()
