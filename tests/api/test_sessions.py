"""Sessions over GraphQL: booking, price, taken slots, status changes, completion effects, lists."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from domain.clock import parse_utc
from tests.api.mentorship_world import (
    CANCEL,
    COMPLETE,
    CONFIRM,
    CREATE_SESSION,
    GET_SESSION,
    NO_SHOW,
    book,
    completed,
    confirmed,
    count,
    create_venue,
    new_id,
    session_input,
    set_tier,
    travel,
)

MISSING = "00000000-0000-4000-8000-000000000000"


async def notifications_of(api, person):
    return (await api.store.query("Notifications", person.id)).items


async def badges_of(api, person):
    return (await api.store.query("Badges", person.id)).items


# -- booking ------------------------------------------------------------------------------


async def test_the_caller_books_as_mentee_and_the_session_starts_pending(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    session = await book(api, ann, mona, topic="  Careers  ")
    assert session["status"] == "PENDING"
    assert session["mentee"]["userId"] == ann.id and session["mentor"]["userId"] == mona.id
    assert session["price"] == 50.0  # standard tier, 60 minutes, virtual
    assert session["date"] == "2026-11-26T14:00:00.000000Z" and session["time"] == "14:00"
    assert session["topic"] == "Careers" and session["meetingLink"] == "https://meet.example/abc"
    assert session["feedbackEligible"] is False and session["feedbackSubmitted"] is False
    assert session["venue"] is None and session["rating"] is None
    stored = await api.store.get("Sessions", {"sessionId": session["sessionId"]})
    assert stored["feedbackEligible"] is False and stored["feedbackSubmitted"] is False
    [note] = await notifications_of(api, mona)
    assert note["type"] == "session_booked" and note["relatedId"] == session["sessionId"]
    assert note["createdAt"] == stored["createdAt"]  # written in the same change


async def test_a_client_supplied_session_id_is_kept(api):
    mona = await api.sign_up("Mona", role="BOTH")
    ann = await api.sign_up("Ann")
    session_id = new_id()
    session = await book(api, ann, mona, sessionId=session_id)
    assert session["sessionId"] == session_id
    again = await api.error(
        CREATE_SESSION, {"i": session_input(mona, sessionId=session_id, time="18:00")}, as_=ann
    )
    assert (again["code"], again["field"]) == ("CONFLICT", "sessionId")


async def test_the_price_comes_from_tier_duration_type_and_venue(api):
    admin = await api.admin()
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    await set_tier(api, mona, "premium")
    gold = await create_venue(api, admin, isPartner=True, partnershipTier="gold")
    plain = await create_venue(api, admin, name="Corner Cafe", type="cafe")
    at_gold = await book(api, ann, mona, type="in_person", venueId=gold["venueId"])
    assert at_gold["price"] == 39.2  # 80 * 0.7 (in person) * 0.7 (gold)
    assert at_gold["venue"]["venueId"] == gold["venueId"] and at_gold["meetingLink"] is None
    at_plain = await book(
        api, ann, mona, type="in_person", venueId=plain["venueId"], duration=90, time="16:00"
    )
    assert at_plain["price"] == 84.0  # 80 * 1.5 h * 0.7, no partner discount
    online = await book(api, ann, mona, duration=30, time="18:00")
    assert online["price"] == 40.0


async def test_the_client_cannot_set_a_price(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    error = await api.error(CREATE_SESSION, {"i": session_input(mona, price=1.0)}, as_=ann)
    assert error["code"] == "BAD_USER_INPUT"
    assert await count(api, "Sessions") == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "in_person"}, "venueId"),
        ({"type": "in_person", "venueId": MISSING}, "venueId"),
        ({"venueId": MISSING}, "venueId"),  # a virtual session has no venue
        ({"meetingLink": None}, "meetingLink"),
        ({"meetingLink": "zoom me"}, "meetingLink"),
        ({"date": "2026-11-24", "time": "12:00"}, "date"),  # exactly now
        ({"date": "2026-11-24", "time": "11:59"}, "date"),  # the past
        ({"date": "next week"}, "date"),
        ({"time": "25:00"}, "time"),
        ({"duration": 10}, "duration"),
        ({"duration": 241}, "duration"),
        ({"sessionId": "not-a-uuid"}, "sessionId"),
        ({"mentorId": "not-a-uuid"}, "mentorId"),
        ({"mentorId": MISSING}, "mentorId"),
        ({"topic": "x" * 501}, "topic"),
    ],
    ids=lambda v: str(v)[:40],
)
async def test_bad_booking_input_is_refused_and_writes_nothing(api, change, field):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    error = await api.error(CREATE_SESSION, {"i": session_input(mona, **change)}, as_=ann)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)
    assert await count(api, "Sessions") == 0
    assert await notifications_of(api, mona) == []


async def test_one_minute_ahead_is_in_the_future(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    session = await book(api, ann, mona, date="2026-11-24", time="12:01")
    assert session["date"] == "2026-11-24T12:01:00.000000Z"


async def test_only_a_mentor_can_be_booked_and_never_oneself(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    bob = await api.sign_up("Bob", role="MENTEE")
    not_mentor = await api.error(CREATE_SESSION, {"i": session_input(bob)}, as_=ann)
    assert (not_mentor["code"], not_mentor["field"]) == ("BAD_USER_INPUT", "mentorId")
    myself = await api.error(CREATE_SESSION, {"i": session_input(mona)}, as_=mona)
    assert (myself["code"], myself["field"]) == ("BAD_USER_INPUT", "mentorId")
    assert await count(api, "Sessions") == 0


async def test_a_venue_switched_off_takes_no_booking_and_nothing_is_written(api):
    admin = await api.admin()
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    venue = await create_venue(api, admin, name="Alfama Library", isPartner=True)
    await api.store.update("Venues", {"venueId": venue["venueId"]}, set={"isActive": False})
    at_venue = session_input(mona, type="in_person", venueId=venue["venueId"])
    refused = await api.error(CREATE_SESSION, {"i": at_venue}, as_=ann)
    assert (refused["code"], refused["field"]) == ("BAD_USER_INPUT", "venueId")
    assert refused["message"].startswith("Alfama Library is not taking bookings")
    assert await count(api, "Sessions") == 0
    assert await notifications_of(api, mona) == []
    virtual = await book(api, ann, mona)  # the slot was never held
    assert virtual["status"] == "PENDING"


# -- taken slots --------------------------------------------------------------------------


async def test_a_taken_slot_of_the_mentor_is_a_conflict(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    bob = await api.sign_up("Bob")
    first = await book(api, ann, mona, time="14:00", duration=60)
    overlap = await api.error(
        CREATE_SESSION, {"i": session_input(mona, time="14:30", duration=30)}, as_=bob
    )
    assert (overlap["code"], overlap["field"]) == ("CONFLICT", "date")
    around = await api.error(
        CREATE_SESSION, {"i": session_input(mona, time="13:00", duration=180)}, as_=bob
    )
    assert around["code"] == "CONFLICT"
    assert await count(api, "Sessions") == 1
    after = await book(api, bob, mona, time="15:00")  # back to back is fine
    before = await book(api, bob, mona, time="13:00")
    assert after["status"] == before["status"] == "PENDING"
    assert first["sessionId"] not in (after["sessionId"], before["sessionId"])


async def test_a_confirmed_session_holds_its_slot_and_a_cancelled_one_frees_it(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    bob = await api.sign_up("Bob")
    session_id = await confirmed(api, ann, mona)
    taken = await api.error(CREATE_SESSION, {"i": session_input(mona)}, as_=bob)
    assert taken["code"] == "CONFLICT"
    await api.data(CANCEL, {"s": session_id}, as_=ann)
    rebooked = await book(api, bob, mona)
    assert rebooked["status"] == "PENDING"


async def test_other_mentors_and_completed_sessions_do_not_block(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    max_ = await api.sign_up("Max", role="MENTOR")
    ann = await api.sign_up("Ann")
    await completed(api, ann, mona)
    again = await book(api, ann, mona)  # the completed one no longer holds 14:00
    other = await book(api, ann, max_)
    assert again["status"] == other["status"] == "PENDING"


async def test_two_bookings_racing_for_one_slot_cannot_both_win(api, monkeypatch):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    bob = await api.sign_up("Bob")
    fixed_now = api.clock.now

    def ticking_now():  # a real clock moves: no two writes share an instant
        api.clock.advance(microseconds=1)
        return fixed_now()

    monkeypatch.setattr(api.clock, "now", ticking_now)
    bodies = await asyncio.gather(
        *(api.call(CREATE_SESSION, {"i": session_input(mona)}, as_=p) for p in (ann, bob))
    )
    won = [b for b in bodies if not b.get("errors")]
    lost = [b for b in bodies if b.get("errors")]
    assert len(won) == 1 and len(lost) == 1
    assert lost[0]["errors"][0]["extensions"] == {"code": "CONFLICT", "field": "date"}
    assert await count(api, "Sessions") == 1


# -- status changes -----------------------------------------------------------------------


async def test_only_the_mentor_confirms_a_pending_session(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    session_id = (await book(api, ann, mona))["sessionId"]
    refused = await api.error(CONFIRM, {"s": session_id}, as_=ann)
    assert refused["code"] == "FORBIDDEN"
    assert (await api.data(CONFIRM, {"s": session_id}, as_=mona))["confirmSession"] == {
        "status": "CONFIRMED"
    }
    twice = await api.error(CONFIRM, {"s": session_id}, as_=mona)
    assert twice["code"] == "CONFLICT"


async def test_only_a_confirmed_session_is_completed_by_its_mentor(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    session_id = (await book(api, ann, mona))["sessionId"]
    pending = await api.error(COMPLETE, {"s": session_id}, as_=mona)
    assert pending["code"] == "CONFLICT"
    await api.data(CONFIRM, {"s": session_id}, as_=mona)
    by_mentee = await api.error(COMPLETE, {"s": session_id}, as_=ann)
    assert by_mentee["code"] == "FORBIDDEN"
    stored = await api.store.get("Sessions", {"sessionId": session_id})
    assert stored["status"] == "CONFIRMED" and "completedAt" not in stored


async def test_a_cancelled_session_is_never_completed(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    session_id = await confirmed(api, ann, mona)
    cancelled = await api.data(CANCEL, {"s": session_id, "r": " Sick "}, as_=ann)
    assert cancelled["cancelSession"]["status"] == "CANCELLED"
    assert cancelled["cancelSession"]["cancelReason"] == "Sick"
    error = await api.error(COMPLETE, {"s": session_id}, as_=mona)
    assert error["code"] == "CONFLICT"
    again = await api.error(CANCEL, {"s": session_id}, as_=mona)
    assert again["code"] == "CONFLICT"
    mona_user = await api.store.get("Users", {"userId": mona.id})
    assert mona_user["totalSessions"] == 0


@pytest.mark.parametrize("who", ["mentor", "mentee"])
async def test_either_participant_cancels_a_pending_session(api, who):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    session_id = (await book(api, ann, mona))["sessionId"]
    caller = mona if who == "mentor" else ann
    data = await api.data(CANCEL, {"s": session_id}, as_=caller)
    assert data["cancelSession"]["status"] == "CANCELLED"
    assert data["cancelSession"]["cancelReason"] is None


async def test_the_mentee_hears_when_her_request_is_confirmed_in_her_own_zone(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    await api.store.update("Users", {"userId": ann.id}, set={"timeZone": "Europe/Berlin"})
    session_id = await confirmed(api, ann, mona)
    [note] = await notifications_of(api, ann)
    assert (note["type"], note["relatedId"]) == ("session_confirmed", session_id)
    assert note["message"] == "Mona confirmed your session on Thu 26 Nov, 15:00 CET."
    assert [n["type"] for n in await notifications_of(api, mona)] == ["session_booked"]


async def test_a_mentor_cancelling_a_request_declines_it_with_his_reason(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    session_id = (await book(api, ann, mona))["sessionId"]
    await api.data(CANCEL, {"s": session_id, "r": "Away that week"}, as_=mona)
    [note] = await notifications_of(api, ann)
    assert (note["type"], note["title"]) == ("session_declined", "Session request declined")
    expected = "Mona declined your request for Thu 26 Nov, 14:00 UTC: Away that week."
    assert note["message"] == expected


async def test_either_side_cancelling_a_confirmed_session_tells_the_other(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    first = await confirmed(api, ann, mona)
    await api.data(CANCEL, {"s": first}, as_=ann)
    to_mona = [n for n in await notifications_of(api, mona) if n["relatedId"] == first]
    assert sorted(n["type"] for n in to_mona) == ["session_booked", "session_cancelled"]
    second = await confirmed(api, ann, mona, time="16:00")
    await api.data(CANCEL, {"s": second}, as_=mona)
    to_ann = [n for n in await notifications_of(api, ann) if n["relatedId"] == second]
    assert sorted(n["type"] for n in to_ann) == ["session_cancelled", "session_confirmed"]
    [cancelled] = [n for n in to_ann if n["type"] == "session_cancelled"]
    assert cancelled["message"] == "Mona cancelled the session on Thu 26 Nov, 16:00 UTC."


async def test_no_show_only_by_the_mentor_after_the_start(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    session_id = await confirmed(api, ann, mona, date="2026-11-24", time="13:00")
    early = await api.error(NO_SHOW, {"s": session_id}, as_=mona)
    assert early["code"] == "CONFLICT"
    api.clock.set(datetime(2026, 11, 24, 13, 0, tzinfo=UTC))
    travel(api, mona, ann)
    by_mentee = await api.error(NO_SHOW, {"s": session_id}, as_=ann)
    assert by_mentee["code"] == "FORBIDDEN"
    data = await api.data(NO_SHOW, {"s": session_id}, as_=mona)
    assert data["markSessionNoShow"]["status"] == "NO_SHOW"


async def test_changing_a_missing_session_is_not_found(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    for query in (CONFIRM, COMPLETE, CANCEL, NO_SHOW):
        error = await api.error(query, {"s": MISSING}, as_=mona)
        assert error["code"] == "NOT_FOUND"


# -- completion ---------------------------------------------------------------------------


async def test_completion_counts_the_session_for_both_and_awards_the_first_badge(api, clock):
    admin = await api.admin()
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    venue = await create_venue(api, admin)
    session_id = await confirmed(api, ann, mona, type="in_person", venueId=venue["venueId"])
    data = await api.data(COMPLETE, {"s": session_id, "n": "Great start"}, as_=mona)
    session = data["completeSession"]
    assert session["status"] == "COMPLETED" and session["notes"] == "Great start"
    stored = await api.store.get("Sessions", {"sessionId": session_id})
    assert stored["completedAt"] == stored["updatedAt"]
    assert stored["feedbackEligible"] is False
    for person in (mona, ann):
        user = await api.store.get("Users", {"userId": person.id})
        assert (user["totalSessions"], user["inPersonSessions"]) == (1, 1)
        [badge] = await badges_of(api, person)
        assert badge["key"] == "session_completion:1" and badge["type"] == "session_completion"
        assert badge["earnedAt"] == stored["completedAt"]
        assert len(badge["badgeId"]) == 36


async def test_a_virtual_session_counts_only_towards_total_and_badges_come_once(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    await completed(api, ann, mona)
    await completed(api, ann, mona, time="16:00")
    for person in (mona, ann):
        user = await api.store.get("Users", {"userId": person.id})
        assert (user["totalSessions"], user["inPersonSessions"]) == (2, 0)
        assert [b["key"] for b in await badges_of(api, person)] == ["session_completion:1"]


async def test_feedback_eligibility_flips_24_hours_after_completion_without_a_write(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    session_id = await completed(api, ann, mona)
    stored = await api.store.get("Sessions", {"sessionId": session_id})
    api.clock.set(parse_utc(stored["completedAt"]) + timedelta(hours=24, microseconds=-1))
    travel(api, mona, ann)
    before = await api.data(GET_SESSION, {"s": session_id}, as_=ann)
    assert before["getSession"]["feedbackEligible"] is False
    travel(api, mona, ann, microseconds=1)
    after = await api.data(GET_SESSION, {"s": session_id}, as_=ann)
    assert after["getSession"]["feedbackEligible"] is True
    stored = await api.store.get("Sessions", {"sessionId": session_id})
    assert stored["_version"] == 3  # created, confirmed, completed: nothing since


async def test_a_session_not_completed_is_never_feedback_eligible(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    session_id = await confirmed(api, ann, mona)
    travel(api, mona, ann, days=3)
    data = await api.data(GET_SESSION, {"s": session_id}, as_=mona)
    assert data["getSession"]["feedbackEligible"] is False


# -- reading ------------------------------------------------------------------------------


async def test_get_session_is_null_when_missing(api):
    ann = await api.sign_up("Ann")
    for session_id in (MISSING, "not-a-uuid"):
        assert (await api.data(GET_SESSION, {"s": session_id}, as_=ann))["getSession"] is None


async def test_mentor_lists_are_newest_first_filter_by_status_and_page(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    ids = []
    for day in ("2026-11-25", "2026-11-26", "2026-11-27"):
        ids.append((await book(api, ann, mona, date=day))["sessionId"])
    await api.data(CONFIRM, {"s": ids[1]}, as_=mona)
    query = """query($m: ID!, $s: SessionStatus) {
      listSessionsForMentor(mentorId: $m, status: $s) { sessionId } }"""
    every = await api.data(query, {"m": mona.id}, as_=mona)
    assert [s["sessionId"] for s in every["listSessionsForMentor"]] == ids[::-1]
    pending = await api.data(query, {"m": mona.id, "s": "PENDING"}, as_=mona)
    assert [s["sessionId"] for s in pending["listSessionsForMentor"]] == [ids[2], ids[0]]
    page_query = """query($m: ID!, $c: String) {
      listSessionsForMenteePage(menteeId: $m, limit: 2, cursor: $c) {
        items { sessionId } nextCursor } }"""
    first = (await api.data(page_query, {"m": ann.id}, as_=ann))["listSessionsForMenteePage"]
    assert [s["sessionId"] for s in first["items"]] == [ids[2], ids[1]]
    rest = await api.data(page_query, {"m": ann.id, "c": first["nextCursor"]}, as_=ann)
    assert [s["sessionId"] for s in rest["listSessionsForMenteePage"]["items"]] == [ids[0]]


async def test_upcoming_sessions_merge_both_roles_soonest_first(api):
    mona = await api.sign_up("Mona", role="BOTH")
    max_ = await api.sign_up("Max", role="MENTOR")
    ann = await api.sign_up("Ann")
    as_mentor = (await book(api, ann, mona, date="2026-11-27"))["sessionId"]
    as_mentee = await confirmed(api, mona, max_, date="2026-11-25")
    soon = (await book(api, ann, mona, date="2026-11-24", time="13:00"))["sessionId"]
    gone = (await book(api, ann, mona, date="2026-11-28"))["sessionId"]
    await api.data(CANCEL, {"s": gone}, as_=ann)
    query = "query($u: ID!) { listUpcomingSessions(userId: $u) { sessionId } }"
    data = await api.data(query, {"u": mona.id}, as_=mona)
    assert [s["sessionId"] for s in data["listUpcomingSessions"]] == [soon, as_mentee, as_mentor]
    api.clock.set(datetime(2026, 11, 24, 13, 0, 1, tzinfo=UTC))  # "soon" has started
    travel(api, mona)
    later = await api.data(query, {"u": mona.id}, as_=mona)
    assert [s["sessionId"] for s in later["listUpcomingSessions"]] == [as_mentee, as_mentor]


async def test_admins_list_sessions_by_status_and_by_venue(api):
    admin = await api.admin()
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    venue = await create_venue(api, admin)
    at_venue = (await book(api, ann, mona, type="in_person", venueId=venue["venueId"]))["sessionId"]
    online = await confirmed(api, ann, mona, time="17:00")
    by_status = await api.data(
        "{ listSessionsByStatus(status: CONFIRMED) { sessionId } }", as_=admin
    )
    assert by_status["listSessionsByStatus"] == [{"sessionId": online}]
    by_venue = await api.data(
        "query($v: ID!) { listSessionsForVenue(venueId: $v) { sessionId } }",
        {"v": venue["venueId"]},
        as_=admin,
    )
    assert by_venue["listSessionsForVenue"] == [{"sessionId": at_venue}]


async def test_nested_fields_resolve_and_notes_are_for_the_mentor_only(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    session_id = (await book(api, ann, mona))["sessionId"]
    await api.data(
        """mutation($i: UpsertMentorSessionNotesInput!) {
             upsertMentorSessionNotes(input: $i) { noteId } }""",
        {"i": {"sessionId": session_id, "summary": "Prepare questions"}},
        as_=mona,
    )
    query = """query($s: ID!) { getSession(sessionId: $s) {
      mentor { name } mentee { name } feedback { feedbackId } mentorNotes { summary } } }"""
    for_mentor = (await api.data(query, {"s": session_id}, as_=mona))["getSession"]
    assert for_mentor == {
        "mentor": {"name": "Mona"},
        "mentee": {"name": "Ann"},
        "feedback": None,
        "mentorNotes": {"summary": "Prepare questions"},
    }
    for_mentee = (await api.data(query, {"s": session_id}, as_=ann))["getSession"]
    assert for_mentee["mentorNotes"] is None


async def test_the_booking_date_is_normalised_to_the_start_instant(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    session = await book(api, ann, mona, date="2026-11-30T09:00:00+00:00", time="08:15")
    assert (session["date"], session["time"]) == ("2026-11-30T08:15:00.000000Z", "08:15")
    by_mentor = await api.data(
        "query($m: ID!) { listSessionsForMentor(mentorId: $m) { date } }", {"m": mona.id}, as_=mona
    )
    assert by_mentor["listSessionsForMentor"] == [{"date": "2026-11-30T08:15:00.000000Z"}]
