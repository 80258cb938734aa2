"""Booking end to end (issue 11, tests 3 and 4): the real backend and app processes, headless
Chromium. The demo mentee finds her mentor in the directory, books an in-person session at a
partner venue; the price the app showed is the price the server stored; the mentor confirms
in his own app and her app shows it confirmed. Booking while the server is down is queued,
shown "Requested (will send when online)" and decided after reconnection; the bookings the
server refuses (at a venue an admin switched off meanwhile, and for a slot already taken)
show their reasons and leave nothing behind: no session, no slot held, no notification.
Each test stands alone (``-k`` runs one).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from app.state.sessions import QUEUED_WORDS
from tests.app.browser.harness import MENTEE, MENTOR, PHONE, WIDE, graphql, new_tab, sign_in_token

SESSIONS = """query($m: ID!) { listSessionsForMentor(mentorId: $m, limit: 200) {
  sessionId price status date time type venue { venueId } } }"""
NOTIFICATIONS = """query($u: ID!) { listNotifications(userId: $u, limit: 200) { relatedId } }"""


def open_directory(tab, mentor_id: str, size: str) -> None:
    """Sessions, then Find a mentor; the directory is fetched online if the device has not
    got the mentor yet (so a test does not depend on an earlier one having fetched it)."""
    tab.click("nav-sessions")
    tab.wait_for("mentors-open")
    tab.click("mentors-open")
    tab.wait_for("mentors-title")
    if not tab.present(f"mentor-card-{mentor_id}"):
        tab.click("mentors-refresh")
    tab.wait_for(f"mentor-card-{mentor_id}")
    tab.shot(f"mentors-{size}")


def book(
    tab, mentor_id: str, day: str, clock_time: str, size: str, *, in_person: bool = True
) -> tuple[str, str | None]:
    """Fill a booking with the mentor, in person at the first partner venue of the default
    city or virtual; returns (the price shown, the venue id)."""
    open_directory(tab, mentor_id, size)
    tab.click(f"mentor-card-{mentor_id}")
    tab.wait_for("book-open")
    tab.shot(f"mentor-profile-{size}")
    tab.click("book-open")
    venue_id = None
    if in_person:
        tab.click("book-type-in_person")
        tab.wait_for("book-city")
        venues = tab.identifiers("book-venue-")
        partners = [v for v in venues if "Partner" in tab.text(v)]
        assert partners, f"no partner venue in the default city: {venues}"
        tab.click(partners[0])
        tab.wait_text(partners[0], r"(?s).*, selected.*")
        venue_id = partners[0].removeprefix("book-venue-")
    tab.type("book-date", day)
    tab.type("book-time", clock_time)
    return tab.text("book-price"), venue_id


def test_book_in_person_price_matches_and_mentor_confirms(browser, backend, app_process, shots):
    mentor_token, mentor_id = sign_in_token(backend.url, MENTOR)
    day = (datetime.now(UTC) + timedelta(days=9)).date().isoformat()
    tab = new_tab(browser, app_process.url, shots, WIDE).open()
    try:
        tab.sign_in(MENTEE)
        tab.wait_text("sync-status", "Synced", timeout=60)
        tab.click("nav-sessions")
        tab.wait_for("sessions-title")
        tab.shot("sessions-wide")
        shown, _ = book(tab, mentor_id, day, "11:00", "wide")
        tab.shot("booking-wide")
        tab.click("book-confirm")
        tab.wait_for("sessions-title")
        tab.wait_text("sync-status", "Synced", timeout=60)
        stored = [
            s
            for s in graphql(backend.url, SESSIONS, {"m": mentor_id}, mentor_token)[
                "listSessionsForMentor"
            ]
            if s["status"] == "PENDING" and s["type"] == "in_person"
        ]
        (session,) = [s for s in stored if f"{s['price']:.2f}" == shown] or [None]
        assert session is not None, f"app showed {shown}; server holds {stored}"
        card = f"session-{session['sessionId']}"
        tab.wait_text(card, r"(?s).*Requested, waiting for the mentor.*")
        mentor = new_tab(browser, app_process.url, shots, WIDE).open()  # the mentor's browser
        try:
            mentor.sign_in(MENTOR)
            mentor.wait_text("sync-status", "Synced", timeout=60)
            mentor.wait_for("nav-mentoring")  # his role has arrived: the mentor's tabs
            mentor.click("nav-sessions")
            mentor.wait_for(f"session-confirm-{session['sessionId']}", timeout=30)
            mentor.shot("mentor-request-wide")
            mentor.click(f"session-confirm-{session['sessionId']}")  # online
            mentor.wait_text(card, r"(?s).*Confirmed.*", timeout=30)
        finally:
            mentor.context.close()
        tab.click("sync-now")
        tab.wait_text(card, r"(?s).*Confirmed.*", timeout=30)
        shoot_both(tab, "sessions-confirmed")
    finally:
        tab.context.close()


def shoot_both(tab, name: str, keeps: str | None = None) -> None:
    """The screen as it is, then at the other width (desktop or 400 px), then back. The
    screen keeps its inner state across widths: ``keeps``, a control of that state (an open
    event, profile or form), must still be there at each width."""
    size = tab.page.viewport_size
    wide = size["width"] > PHONE["width"]
    tab.shot(f"{name}-{'wide' if wide else 'phone'}")
    for viewport in (PHONE if wide else WIDE, size):
        tab.page.set_viewport_size(viewport)
        tab.page.wait_for_timeout(500)
        if keeps is not None:
            tab.wait_for(keeps, timeout=10)
        if viewport != size:
            tab.shot(f"{name}-{'phone' if wide else 'wide'}")


def test_event_details_my_registrations_and_a_review_on_the_profile(
    browser, backend, app_process, shots
):
    _, mentor_id = sign_in_token(backend.url, MENTOR)
    token, mentee_id = sign_in_token(backend.url, MENTEE)
    tab = new_tab(browser, app_process.url, shots, WIDE).open()
    try:
        tab.sign_in(MENTEE)
        tab.wait_text("sync-status", "Synced", timeout=60)
        tab.click("nav-events")
        tab.wait_for("events-title")
        shoot_both(tab, "events")
        open_places = [i for i in tab.identifiers("event-register-") if "Full" not in tab.text(i)]
        event_id = open_places[0].removeprefix("event-register-")
        tab.click(f"event-{event_id}")
        tab.wait_for("event-details-title")
        places = tab.text("event-details-places")
        tab.click(f"event-register-{event_id}")  # online; the attendance comes back by sync
        tab.wait_for(f"event-cancel-{event_id}", timeout=30)
        tab.wait_text("event-details-places", r".*places left|.*full")
        assert tab.text("event-details-places") != places, "the places left did not change"
        shoot_both(tab, "event-details", keeps="event-details-title")
        tab.click("event-back")
        tab.click("events-show-mine")
        tab.wait_text(f"event-{event_id}", r"(?s).*, registered.*")
        shoot_both(tab, "my-registrations", keeps=f"event-{event_id}")
        # Her review of her mentor, from her latest completed session with him.
        tab.click("nav-sessions")
        tab.wait_for("sessions-title")
        offers = [i for i in tab.identifiers("session-review-") if "Maya" in tab.text(i)]
        assert len(offers) == 1, [tab.text(i) for i in tab.identifiers("session-review-")]
        prefix = f"review-{mentor_id}"

        tab.click(offers[0])
        tab.click(f"{prefix}-star-4")
        tab.type(f"{prefix}-comment", "Practical advice, every time")
        shoot_both(tab, "review-form", keeps=f"{prefix}-comment")
        assert tab.value(f"{prefix}-comment") == "Practical advice, every time"
        tab.click(f"{prefix}-send")  # online
        tab.page.wait_for_selector(tab.selector(f"{prefix}-send"), state="detached")
        open_directory(tab, mentor_id, "wide")
        tab.click(f"mentor-card-{mentor_id}")
        mine = f"mentor-review-{mentor_id}#{mentee_id}"
        tab.wait_text(mine, r"(?s)4 of 5 by You, .*: Practical advice, every time.*")
        shoot_both(tab, "mentor-profile-reviews", keeps=mine)
        reviews = graphql(
            backend.url,
            "query($t: ID!, $a: ID!) { getReview(targetId: $t, authorId: $a) { rating comment } }",
            {"t": mentor_id, "a": mentee_id},
            token,
        )
        assert reviews["getReview"] == {"rating": 4, "comment": "Practical advice, every time"}
    finally:
        tab.context.close()


ADMIN = "growlink.admin@growlink.demo"
SWITCH_OFF = """mutation($v: ID!) { updateVenue(venueId: $v, input: {isActive: false}) {
  isActive } }"""


def switch_off_elsewhere(server_process, backend, venue_id: str) -> None:
    """While the mentee's app cannot reach the server, an admin switches the venue off from
    another server process on the same data (the app only knows the first one's address)."""
    other = server_process(backend.db)
    try:
        token, _ = sign_in_token(other.url, ADMIN)
        done = graphql(other.url, SWITCH_OFF, {"v": venue_id}, token)
        assert done["updateVenue"] == {"isActive": False}
    finally:
        other.stop()


def wait_for_refusals(tab, count: int) -> list[str]:
    refused: list[str] = []
    for _ in range(120):
        refused = tab.identifiers("session-refused-")
        if len(refused) >= count:
            break
        tab.page.wait_for_timeout(500)
    return refused


def test_booking_offline_is_queued_then_decided_and_a_refusal_says_why(
    browser, backend, app_process, server_process, shots
):
    mentor_token, mentor_id = sign_in_token(backend.url, MENTOR)
    token, _ = sign_in_token(backend.url, MENTEE)
    zone = ZoneInfo(graphql(backend.url, "{ me { timeZone } }", {}, token)["me"]["timeZone"])
    day = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    starts = datetime.fromisoformat(f"{day}T15:00").replace(tzinfo=zone).astimezone(UTC)
    tab = new_tab(browser, app_process.url, shots, PHONE).open()
    try:
        tab.sign_in(MENTEE)
        tab.wait_text("sync-status", "Synced", timeout=60)
        open_directory(tab, mentor_id, "phone")  # browsed online, before the server goes
        backend.kill()
        _, venue_id = book(tab, mentor_id, day, "15:00", "phone")
        assert venue_id is not None
        tab.shot("booking-phone")
        tab.click("book-confirm")
        tab.wait_for("sessions-title")
        queued = [i for i in tab.identifiers("session-") if QUEUED_WORDS in tab.text(i)]
        assert len(queued) == 1, tab.identifiers("session-")
        # The same slot online, twice: the first takes it once the venue's is refused,
        # the second meets a slot the mentor already has.
        for _ in range(2):
            book(tab, mentor_id, day, "15:00", "phone", in_person=False)
            tab.click("book-confirm")
            tab.wait_for("sessions-title")
        tab.shot("sessions-offline-phone")
        switch_off_elsewhere(server_process, backend, venue_id)
    finally:
        backend.start()
    try:
        tab.click("sync-now")
        refused = wait_for_refusals(tab, 2)
        reasons = sorted(tab.text(r) for r in refused)
        assert len(reasons) == 2, tab.identifiers("session-")
        assert all(r.startswith("Session not booked: ") for r in reasons), reasons
        assert any("not taking bookings" in r for r in reasons), reasons
        assert any("already has a session at that time" in r for r in reasons), reasons
        sessions = graphql(backend.url, SESSIONS, {"m": mentor_id}, mentor_token)[
            "listSessionsForMentor"
        ]
        slot = [
            s
            for s in sessions
            if s["date"][:10] == starts.date().isoformat() and s["time"] == f"{starts:%H:%M}"
        ]
        assert len(slot) == 1 and slot[0]["status"] == "PENDING", slot
        assert slot[0]["type"] == "virtual", slot  # nothing of the refused one is left
        notes = graphql(backend.url, NOTIFICATIONS, {"u": mentor_id}, mentor_token)
        refused_ids = {r.removeprefix("session-refused-") for r in refused}
        told = {n["relatedId"] for n in notes["listNotifications"]}
        assert not refused_ids & told, "the mentor was told of a refused booking"
        waiting = r"(?s).*Requested, waiting for the mentor.*"
        tab.wait_text(f"session-{slot[0]['sessionId']}", waiting)
        assert len(tab.identifiers("session-refused-")) == 2
        shoot_both(tab, "sessions-decided")
        tab.click(f"refusal-dismiss-{refused[0].removeprefix('session-refused-')}")
        tab.page.wait_for_selector(tab.selector(refused[0]), state="detached")
        assert len(tab.identifiers("session-refused-")) == 1
    finally:
        tab.context.close()
