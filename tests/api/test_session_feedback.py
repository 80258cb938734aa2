"""Session feedback over GraphQL: the window, one per session, its effects, and anonymity."""

import json
from datetime import timedelta

import pytest

from domain.clock import parse_utc
from tests.api.mentorship_world import (
    SUBMIT_FEEDBACK,
    book,
    completed,
    count,
    create_venue,
    feedback_input,
    travel,
)


async def at_after_completion(api, session_id, *people, **delta):
    """Set the clock to the session's completion plus ``delta`` (fresh tokens for people)."""
    stored = await api.store.get("Sessions", {"sessionId": session_id})
    api.clock.set(parse_utc(stored["completedAt"]) + timedelta(**delta))
    travel(api, *people)


@pytest.fixture
async def pair(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    return mona, ann


# -- the window ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delta", "opens"),
    [
        ({"hours": 24, "microseconds": -1}, False),
        ({"hours": 24}, True),
        ({"days": 7}, True),
        ({"days": 7, "microseconds": 1}, False),
    ],
    ids=["24h-1us", "24h", "7d", "7d+1us"],
)
async def test_feedback_is_accepted_from_24_hours_to_7_days_after_completion(
    api, pair, delta, opens
):
    mona, ann = pair
    session_id = await completed(api, ann, mona)
    await at_after_completion(api, session_id, ann, **delta)
    if opens:
        data = await api.data(SUBMIT_FEEDBACK, {"i": feedback_input(session_id)}, as_=ann)
        assert data["submitSessionFeedback"]["rating"] == 4
    else:
        error = await api.error(SUBMIT_FEEDBACK, {"i": feedback_input(session_id)}, as_=ann)
        assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "sessionId")
        assert await count(api, "SessionFeedbacks") == 0
        assert await count(api, "Reviews") == 0


async def test_feedback_needs_a_completed_session(api, pair):
    mona, ann = pair
    session_id = (await book(api, ann, mona))["sessionId"]
    travel(api, ann, days=2)
    error = await api.error(SUBMIT_FEEDBACK, {"i": feedback_input(session_id)}, as_=ann)
    assert error["code"] == "CONFLICT"
    assert await count(api, "SessionFeedbacks") == 0


async def test_only_the_mentee_gives_feedback_and_only_once(api, pair):
    mona, ann = pair
    session_id = await completed(api, ann, mona)
    travel(api, mona, ann, hours=25)
    by_mentor = await api.error(SUBMIT_FEEDBACK, {"i": feedback_input(session_id)}, as_=mona)
    assert by_mentor["code"] == "FORBIDDEN"
    await api.data(SUBMIT_FEEDBACK, {"i": feedback_input(session_id)}, as_=ann)
    travel(api, ann, minutes=1)
    again = await api.error(SUBMIT_FEEDBACK, {"i": feedback_input(session_id, rating=1)}, as_=ann)
    assert again["code"] == "CONFLICT"
    [stored] = (await api.store.scan("SessionFeedbacks")).items
    assert stored["rating"] == 4


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"growthArea": "  "}, "growthArea"),
        ({"growthIdea": ""}, "growthIdea"),
        ({"whatWentWell": " "}, "whatWentWell"),
        ({"whatToImprove": ""}, "whatToImprove"),
        ({"additionalComments": "x" * 10_001}, "additionalComments"),
    ],
    ids=lambda v: str(v)[:30],
)
async def test_bad_feedback_is_refused_and_writes_nothing(api, pair, change, field):
    mona, ann = pair
    session_id = await completed(api, ann, mona)
    travel(api, ann, hours=25)
    error = await api.error(SUBMIT_FEEDBACK, {"i": feedback_input(session_id, **change)}, as_=ann)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)
    assert await count(api, "SessionFeedbacks") == 0
    assert await count(api, "Reviews") == 0
    stored = await api.store.get("Sessions", {"sessionId": session_id})
    assert stored["feedbackSubmitted"] is False and "rating" not in stored


async def test_feedback_on_a_missing_session_is_not_found(api, pair):
    _, ann = pair
    missing = "00000000-0000-4000-8000-000000000000"
    error = await api.error(SUBMIT_FEEDBACK, {"i": feedback_input(missing)}, as_=ann)
    assert error["code"] == "NOT_FOUND"


# -- effects ------------------------------------------------------------------------------


async def test_feedback_marks_the_session_reviews_the_mentor_and_notifies_them(api, pair):
    mona, ann = pair
    session_id = await completed(api, ann, mona)
    await at_after_completion(api, session_id, ann, mona, hours=30)
    data = await api.data(
        SUBMIT_FEEDBACK, {"i": feedback_input(session_id, additionalComments=" Thanks ")}, as_=ann
    )
    feedback = data["submitSessionFeedback"]
    assert feedback["isAnonymous"] is False and feedback["additionalComments"] == "Thanks"
    assert feedback["mentee"]["userId"] == ann.id and feedback["mentor"]["userId"] == mona.id
    session = await api.store.get("Sessions", {"sessionId": session_id})
    assert session["feedbackSubmitted"] is True
    assert session["feedbackSubmittedAt"] == feedback["createdAt"]
    assert session["rating"] == 4 and session["review"] == "Clear, kind advice"
    assert session["feedbackEligible"] is True
    review = await api.store.get("Reviews", {"targetId": mona.id, "authorId": ann.id})
    assert review["type"] == "SESSION_FEEDBACK" and review["rating"] == 4
    assert review["reviewId"] == f"{mona.id}#{ann.id}"
    mentor = await api.store.get("Users", {"userId": mona.id})
    assert mentor["rating"] == 4.0
    [note] = [
        n
        for n in (await api.store.query("Notifications", mona.id)).items
        if n["type"] == "feedback_received"
    ]
    assert note["relatedId"] == session_id and "Ann" in note["message"]
    query = """query($s: ID!) { getSession(sessionId: $s) {
      rating review feedbackSubmitted feedback { feedbackId } } }"""
    seen = (await api.data(query, {"s": session_id}, as_=mona))["getSession"]
    assert seen["feedback"] == {"feedbackId": feedback["feedbackId"]}
    assert seen["feedbackSubmitted"] is True


@pytest.mark.parametrize(("rating", "expected"), [(4, 4.2), (5, 5.0), (1, 1.2)])
async def test_an_in_person_session_rating_gets_the_bonus_capped_at_5(api, rating, expected):
    admin = await api.admin()
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    venue = await create_venue(api, admin)
    session_id = await completed(api, ann, mona, type="in_person", venueId=venue["venueId"])
    travel(api, ann, hours=25)
    await api.data(SUBMIT_FEEDBACK, {"i": feedback_input(session_id, rating=rating)}, as_=ann)
    session = await api.store.get("Sessions", {"sessionId": session_id})
    assert session["rating"] == expected
    mentor = await api.store.get("Users", {"userId": mona.id})
    assert mentor["rating"] == rating  # reviews count the plain rating


async def test_the_mentor_rating_averages_every_reviewer(api, pair):
    mona, ann = pair
    bob = await api.sign_up("Bob")
    first = await completed(api, ann, mona)
    second = await completed(api, bob, mona, time="16:00")
    travel(api, ann, bob, hours=25)
    await api.data(SUBMIT_FEEDBACK, {"i": feedback_input(first, rating=4)}, as_=ann)
    travel(api, ann, bob, minutes=1)
    await api.data(SUBMIT_FEEDBACK, {"i": feedback_input(second, rating=5)}, as_=bob)
    mentor = await api.store.get("Users", {"userId": mona.id})
    assert mentor["rating"] == 4.5


# -- reading and anonymity ----------------------------------------------------------------

READ_ALL = """query($m: ID!, $e: ID!, $s: ID!) {
  getSessionFeedback(sessionId: $s) { feedbackId }
  listFeedbacksForMentor(mentorId: $m) {
    feedbackId whatWentWell createdAt
    mentee { userId name username email title bio rating role }
    session { sessionId date time status mentee { userId name } feedback { feedbackId } } }
  getSession(sessionId: $s) {
    feedback { feedbackId } feedbackSubmitted feedbackSubmittedAt rating review }
  listSessionsForMentor(mentorId: $m) {
    sessionId feedback { feedbackId } feedbackSubmitted rating review }
  listReviewsForTarget(targetId: $m) { reviewId rating type author { userId name } }
  getReview(targetId: $m, authorId: $e) { reviewId }
  listNotifications(userId: $m) { type message relatedId } }"""


async def test_anonymous_feedback_cannot_be_paired_with_its_session_or_mentee(api, pair):
    """Issue 10, finding 5: the session names the mentee, so the mentor sees anonymous
    feedback detached from it, and the session shows nothing of the feedback."""
    mona, ann = pair
    session_id = await completed(api, ann, mona)
    session_date = (await api.store.get("Sessions", {"sessionId": session_id}))["date"][:10]
    travel(api, ann, mona, hours=25)
    made = await api.data(
        SUBMIT_FEEDBACK, {"i": feedback_input(session_id, isAnonymous=True)}, as_=ann
    )
    feedback_id = made["submitSessionFeedback"]["feedbackId"]
    data = await api.data(READ_ALL, {"m": mona.id, "e": ann.id, "s": session_id}, as_=mona)

    # Through the session: no trace of the feedback.
    assert data["getSessionFeedback"] is None
    assert data["getSession"] == {
        "feedback": None,
        "feedbackSubmitted": False,
        "feedbackSubmittedAt": None,
        "rating": None,
        "review": None,
    }
    [listed_session] = data["listSessionsForMentor"]
    assert listed_session == {
        "sessionId": session_id,
        "feedback": None,
        "feedbackSubmitted": False,
        "rating": None,
        "review": None,
    }
    # Through the feedback: no trace of the session or the mentee.
    [listed] = data["listFeedbacksForMentor"]
    assert listed["feedbackId"] == feedback_id
    placeholder = {"userId": "anonymous", "name": "Anonymous", "username": "anonymous"}
    assert listed["mentee"] == {
        **placeholder,
        "email": "",
        "title": None,
        "bio": None,
        "rating": 0.0,
        "role": "MENTEE",
    }
    assert listed["session"] == {
        "sessionId": "anonymous",
        "date": "",
        "time": "",
        "status": "COMPLETED",
        "mentee": {"userId": "anonymous", "name": "Anonymous"},
        "feedback": None,
    }
    [review] = data["listReviewsForTarget"]
    assert review["author"] == {"userId": "anonymous", "name": "Anonymous"}
    assert review["rating"] == 4 and review["type"] == "SESSION_FEEDBACK"
    assert data["getReview"] is None
    # The booking notification names the mentee (who booked is no secret); the feedback one
    # names neither her nor the session nor its date.
    [notice] = [n for n in data["listNotifications"] if n["type"] == "feedback_received"]
    assert notice["relatedId"] is None and session_date not in notice["message"]
    about_feedback = json.dumps([listed, review, notice])
    for secret in (ann.id, "Ann", ann.username, ann.email, session_id, session_date):
        assert secret not in about_feedback
    about_session = json.dumps([data["getSession"], listed_session])
    for secret in (feedback_id, "Clear, kind advice"):
        assert secret not in about_session
    stored = await api.store.get("Sessions", {"sessionId": session_id})
    assert "rating" not in stored and not stored.get("feedbackSubmitted")


async def test_the_mentee_sees_her_anonymous_feedback_on_her_session(api, pair):
    mona, ann = pair
    session_id = await completed(api, ann, mona)
    travel(api, ann, mona, hours=25)
    made = await api.data(
        SUBMIT_FEEDBACK, {"i": feedback_input(session_id, isAnonymous=True)}, as_=ann
    )
    query = """query($s: ID!) { getSession(sessionId: $s) {
      feedback { feedbackId } feedbackSubmitted feedbackSubmittedAt rating review } }"""
    seen = (await api.data(query, {"s": session_id}, as_=ann))["getSession"]
    assert seen == {
        "feedback": {"feedbackId": made["submitSessionFeedback"]["feedbackId"]},
        "feedbackSubmitted": True,
        "feedbackSubmittedAt": made["submitSessionFeedback"]["createdAt"],
        "rating": 4.0,
        "review": "Clear, kind advice",
    }
    again = await api.error(SUBMIT_FEEDBACK, {"i": feedback_input(session_id)}, as_=ann)
    assert again["code"] == "CONFLICT"


async def test_a_session_stored_with_anonymous_feedback_earlier_hides_it_from_the_mentor(api, pair):
    """Sessions written before this rule carry the anonymous feedback's rating and review."""
    mona, ann = pair
    session_id = await completed(api, ann, mona)
    travel(api, ann, mona, hours=25)
    await api.data(SUBMIT_FEEDBACK, {"i": feedback_input(session_id, isAnonymous=True)}, as_=ann)
    await api.store.update(
        "Sessions",
        {"sessionId": session_id},
        set={"feedbackSubmitted": True, "rating": 4.0, "review": "Clear, kind advice"},
    )
    query = """query($s: ID!) { getSession(sessionId: $s) { feedbackSubmitted rating review } }"""
    seen = (await api.data(query, {"s": session_id}, as_=mona))["getSession"]
    assert seen == {"feedbackSubmitted": False, "rating": None, "review": None}


async def test_anonymous_feedback_stays_hidden_from_other_users(api, pair):
    mona, ann = pair
    eve = await api.sign_up("Eve")
    session_id = await completed(api, ann, mona)
    travel(api, ann, eve, hours=25)
    await api.data(SUBMIT_FEEDBACK, {"i": feedback_input(session_id, isAnonymous=True)}, as_=ann)
    query = """query($m: ID!, $e: ID!) {
      listReviewsForTarget(targetId: $m) { reviewId author { userId name } }
      getReview(targetId: $m, authorId: $e) { reviewId } }"""
    data = await api.data(query, {"m": mona.id, "e": ann.id}, as_=eve)
    assert data["getReview"] is None
    assert ann.id not in json.dumps(data) and "Ann" not in json.dumps(data)


async def test_the_mentee_still_sees_their_own_anonymous_feedback_as_theirs(api, pair):
    mona, ann = pair
    session_id = await completed(api, ann, mona)
    travel(api, ann, hours=25)
    await api.data(SUBMIT_FEEDBACK, {"i": feedback_input(session_id, isAnonymous=True)}, as_=ann)
    query = """query($e: ID!, $m: ID!, $s: ID!) {
      listFeedbacksForMentee(menteeId: $e) { isAnonymous mentee { userId } session { mentee {
        userId } } }
      getSessionFeedback(sessionId: $s) { mentee { userId } }
      getReview(targetId: $m, authorId: $e) { reviewId author { userId } } }"""
    data = await api.data(query, {"e": ann.id, "m": mona.id, "s": session_id}, as_=ann)
    [mine] = data["listFeedbacksForMentee"]
    assert mine == {
        "isAnonymous": True,
        "mentee": {"userId": ann.id},
        "session": {"mentee": {"userId": ann.id}},
    }
    assert data["getSessionFeedback"]["mentee"]["userId"] == ann.id
    # the review it made is nobody's, not even hers: she has the feedback
    assert data["getReview"] is None


UPSERT_REVIEW = """mutation($i: ReviewInput!) { upsertReview(input: $i) { reviewId } }"""
REVIEWS_OF = """query($m: ID!) {
  listReviewsForTarget(targetId: $m) { reviewId rating author { userId } } }"""


async def test_anonymous_feedback_neither_replaces_nor_is_replaced_by_her_named_review(api, pair):
    """One review per author and target: keyed by the mentee, the anonymous review would
    replace her named one (or be replaced by her next), and the swap would name her."""
    mona, ann = pair
    await api.data(UPSERT_REVIEW, {"i": {"targetId": mona.id, "rating": 2}}, as_=ann)
    session_id = await completed(api, ann, mona)
    travel(api, ann, mona, hours=25)
    await api.data(SUBMIT_FEEDBACK, {"i": feedback_input(session_id, isAnonymous=True)}, as_=ann)
    await api.data(UPSERT_REVIEW, {"i": {"targetId": mona.id, "rating": 3}}, as_=ann)
    listed = (await api.data(REVIEWS_OF, {"m": mona.id}, as_=mona))["listReviewsForTarget"]
    by_author = {(r["author"]["userId"], r["rating"]) for r in listed}
    assert by_author == {(ann.id, 3), ("anonymous", 4)}
    [anonymous] = [r for r in listed if r["author"]["userId"] == "anonymous"]
    assert ann.id not in anonymous["reviewId"]
    stored = await api.store.get("Users", {"userId": mona.id})
    assert stored["rating"] == 3.5


async def test_feedback_reads_are_null_before_any_feedback(api, pair):
    mona, ann = pair
    session_id = await completed(api, ann, mona)
    query = "query($s: ID!) { getSessionFeedback(sessionId: $s) { feedbackId } }"
    assert (await api.data(query, {"s": session_id}, as_=mona))["getSessionFeedback"] is None
    missing = "00000000-0000-4000-8000-000000000000"
    assert (await api.data(query, {"s": missing}, as_=ann))["getSessionFeedback"] is None


async def test_feedback_lists_are_newest_first(api, pair):
    mona, ann = pair
    first = await completed(api, ann, mona)
    second = await completed(api, ann, mona, time="16:00")
    travel(api, ann, mona, hours=25)
    ids = []
    for session_id in (first, second):
        data = await api.data(SUBMIT_FEEDBACK, {"i": feedback_input(session_id)}, as_=ann)
        ids.append(data["submitSessionFeedback"]["feedbackId"])
        travel(api, ann, mona, minutes=1)
    query = """query($m: ID!, $e: ID!) { listFeedbacksForMentor(mentorId: $m) { feedbackId }
      listFeedbacksForMentee(menteeId: $e, limit: 1) { feedbackId } }"""
    as_mentor = await api.data(query, {"m": mona.id, "e": mona.id}, as_=mona)
    assert [f["feedbackId"] for f in as_mentor["listFeedbacksForMentor"]] == ids[::-1]
    assert as_mentor["listFeedbacksForMentee"] == []
    mine = await api.data(
        "query($e: ID!) { listFeedbacksForMentee(menteeId: $e) { feedbackId } }",
        {"e": ann.id},
        as_=ann,
    )
    assert [f["feedbackId"] for f in mine["listFeedbacksForMentee"]] == ids[::-1]
