"""Reflections over GraphQL: local dates, one per day, weekly Sundays, sharing and feedback."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

FIELDS = """reflectionId date mood moodScore text isShared aiInsights
  content { whatWentWell whatFeltHard insights gratitude }
  sharedWithMentor { userId } mentorFeedback { mentorId feedback createdAt }
  user { userId } goal { goalId }"""
CREATE = (
    f"""mutation($i: CreateReflectionInput!) {{ createReflection(input: $i) {{ {FIELDS} }} }}"""
)
WEEKLY = f"""mutation($i: CreateWeeklyReflectionInput!) {{
  createWeeklyReflection(input: $i) {{ {FIELDS} }} }}"""
UPDATE = f"""mutation($d: String!, $i: UpdateReflectionInput!) {{
  updateReflection(date: $d, input: $i) {{ {FIELDS} }} }}"""
DELETE = "mutation($d: String!) { deleteReflection(date: $d) { reflectionId date } }"
GET = f"query($u: ID!, $d: String!) {{ getReflection(userId: $u, date: $d) {{ {FIELDS} }} }}"
FEEDBACK = """mutation($r: ID!, $f: String!) {
  addReflectionFeedback(reflectionId: $r, feedback: $f) {
    mentorFeedback { mentorId feedback } } }"""
FOR_USER = """query($u: ID!, $l: Int, $c: String) {
  listReflectionsForUserPage(userId: $u, limit: $l, cursor: $c) { items { date } nextCursor } }"""
SHARED = "query($m: ID!) { listSharedReflections(mentorId: $m) { date user { userId } } }"
FOR_GOAL = "query($g: ID!) { listReflectionsForGoal(goalId: $g) { date } }"

TUESDAY = "2026-11-24"  # the clock's day in UTC
SUNDAY = "2026-11-22"
CONTENT = {"whatWentWell": "shipped", "whatFeltHard": "sleep", "insights": "rest more"}


async def _reflections(api: Any) -> list[dict[str, Any]]:
    return [i for i in (await api.store.scan("Reflections")).items if not i.get("_deleted")]


async def _goal(api: Any, owner: Any, mentor: Any | None = None) -> str:
    """A goal put straight into storage (goals have their own API and tests)."""
    goal_id = str(uuid.uuid4())
    item = {
        "goalId": goal_id,
        "userId": owner.id,
        "title": "Run a marathon",
        "status": "active",
        "progress": 0,
        "mentorApproved": False,
        "createdAt": "2026-11-01T00:00:00.000000Z",
        "updatedAt": "2026-11-01T00:00:00.000000Z",
    }
    if mentor is not None:
        item["mentorId"] = mentor.id
    await api.store.put("Goals", item)
    return goal_id


async def test_a_daily_reflection_is_keyed_by_user_and_local_date(api):
    ann = await api.sign_up("Ann")
    made = (
        await api.data(CREATE, {"i": {"date": TUESDAY, "mood": "GOOD", "moodScore": 7}}, as_=ann)
    )["createReflection"]
    assert str(uuid.UUID(made["reflectionId"])) == made["reflectionId"]
    assert made["date"] == TUESDAY and made["mood"] == "GOOD" and made["moodScore"] == 7
    assert made["isShared"] is False and made["sharedWithMentor"] is None
    assert made["aiInsights"] is None and made["content"] is None and made["goal"] is None
    assert made["user"] == {"userId": ann.id}
    stored = await api.store.get("Reflections", {"userId": ann.id, "date": TUESDAY})
    assert stored["reflectionId"] == made["reflectionId"] and "sharedWithMentorId" not in stored


async def test_the_date_is_the_users_local_day_and_never_in_the_future(api):
    # 2026-11-24T12:00Z is already 2026-11-25 01:00 in Auckland, still the 24th in Los Angeles.
    kiwi = await api.sign_up("Kiwi", time_zone="Pacific/Auckland")
    angel = await api.sign_up("Angel", time_zone="America/Los_Angeles")
    tomorrow = {"i": {"date": "2026-11-25", "mood": "GREAT"}}
    assert (await api.data(CREATE, tomorrow, as_=kiwi))["createReflection"]["date"] == "2026-11-25"
    error = await api.error(CREATE, tomorrow, as_=angel)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "date")
    assert await api.data(CREATE, {"i": {"date": TUESDAY, "mood": "BAD"}}, as_=angel)
    assert len(await _reflections(api)) == 2


async def test_one_reflection_per_day_but_a_deleted_one_can_be_replaced(api):
    ann = await api.sign_up("Ann")
    first = (await api.data(CREATE, {"i": {"date": TUESDAY, "mood": "GOOD"}}, as_=ann))[
        "createReflection"
    ]
    again = await api.error(CREATE, {"i": {"date": TUESDAY, "mood": "AWFUL"}}, as_=ann)
    assert (again["code"], again["field"]) == ("CONFLICT", "date")
    weekly_clash = await api.error(
        WEEKLY, {"i": {"date": TUESDAY, "mood": "AWFUL", "content": CONTENT}}, as_=ann
    )
    assert weekly_clash["code"] == "BAD_USER_INPUT"  # Tuesday is not a weekly day either
    assert (await api.data(GET, {"u": ann.id, "d": TUESDAY}, as_=ann))["getReflection"][
        "mood"
    ] == "GOOD"
    deleted = (await api.data(DELETE, {"d": TUESDAY}, as_=ann))["deleteReflection"]
    assert deleted["reflectionId"] == first["reflectionId"]
    assert (await api.data(GET, {"u": ann.id, "d": TUESDAY}, as_=ann))["getReflection"] is None
    tombstone = await api.store.get("Reflections", {"userId": ann.id, "date": TUESDAY})
    assert tombstone["_deleted"] is True
    second = (await api.data(CREATE, {"i": {"date": TUESDAY, "mood": "AWFUL"}}, as_=ann))[
        "createReflection"
    ]
    assert second["reflectionId"] != first["reflectionId"] and second["mood"] == "AWFUL"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"moodScore": 0}, "moodScore"),
        ({"moodScore": 11}, "moodScore"),
        ({"date": "2026-11-31"}, "date"),
        ({"date": "24/11/2026"}, "date"),
        ({"date": "2026-11-24T10:00:00Z"}, "date"),
        ({"text": "x" * 10_001}, "text"),
        ({"isShared": True}, "sharedWithMentorId"),
    ],
)
async def test_bad_daily_input_names_the_field_and_writes_nothing(api, change, field):
    ann = await api.sign_up("Ann")
    error = await api.error(CREATE, {"i": {"date": TUESDAY, "mood": "GOOD", **change}}, as_=ann)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)
    assert await _reflections(api) == []


async def test_mood_score_boundaries_one_and_ten_are_accepted(api):
    ann = await api.sign_up("Ann")
    for day, score in (("2026-11-23", 1), (TUESDAY, 10)):
        made = await api.data(
            CREATE, {"i": {"date": day, "mood": "GOOD", "moodScore": score}}, as_=ann
        )
        assert made["createReflection"]["moodScore"] == score


async def test_weekly_reflection_on_a_sunday_with_structured_content(api):
    ann = await api.sign_up("Ann")
    made = (
        await api.data(
            WEEKLY, {"i": {"date": SUNDAY, "mood": "GREAT", "content": CONTENT}}, as_=ann
        )
    )["createWeeklyReflection"]
    assert made["content"] == {**CONTENT, "gratitude": []}
    assert made["text"] is None


@pytest.mark.parametrize(
    ("date", "content", "field"),
    [
        ("2026-11-23", CONTENT, "date"),  # a Monday
        ("2026-11-29", CONTENT, "date"),  # next Sunday: the future
        (SUNDAY, {**CONTENT, "whatWentWell": "  "}, "content.whatWentWell"),
        (SUNDAY, {"whatFeltHard": "a", "insights": "b"}, "content.whatWentWell"),
        (SUNDAY, {**CONTENT, "gratitude": [""]}, "content.gratitude"),
        (SUNDAY, {**CONTENT, "gratitude": ["g"] * 11}, "content.gratitude"),
    ],
)
async def test_bad_weekly_input_is_refused(api, date, content, field):
    ann = await api.sign_up("Ann")
    error = await api.error(
        WEEKLY, {"i": {"date": date, "mood": "GOOD", "content": content}}, as_=ann
    )
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)
    assert await _reflections(api) == []


async def test_goal_must_be_one_the_caller_owns(api):
    ann = await api.sign_up("Ann")
    bob = await api.sign_up("Bob")
    mine, bobs = await _goal(api, ann), await _goal(api, bob)
    linked = await api.data(
        CREATE, {"i": {"date": TUESDAY, "mood": "GOOD", "goalId": mine}}, as_=ann
    )
    assert linked["createReflection"]["goal"] == {"goalId": mine}
    other = await api.error(
        CREATE, {"i": {"date": "2026-11-23", "mood": "GOOD", "goalId": bobs}}, as_=ann
    )
    assert other["code"] == "FORBIDDEN"
    missing = await api.error(
        CREATE, {"i": {"date": "2026-11-23", "mood": "GOOD", "goalId": str(uuid.uuid4())}}, as_=ann
    )
    assert (missing["code"], missing["field"]) == ("NOT_FOUND", "goalId")
    assert len(await _reflections(api)) == 1


async def test_sharing_needs_an_existing_mentor(api):
    ann = await api.sign_up("Ann")
    bob = await api.sign_up("Bob", role="MENTEE")
    both = await api.sign_up("Both", role="BOTH")
    base = {"date": TUESDAY, "mood": "GOOD", "isShared": True}
    mentee = await api.error(CREATE, {"i": {**base, "sharedWithMentorId": bob.id}}, as_=ann)
    assert (mentee["code"], mentee["field"]) == ("BAD_USER_INPUT", "sharedWithMentorId")
    nobody = await api.error(
        CREATE, {"i": {**base, "sharedWithMentorId": str(uuid.uuid4())}}, as_=ann
    )
    assert (nobody["code"], nobody["field"]) == ("NOT_FOUND", "sharedWithMentorId")
    assert await _reflections(api) == []
    shared = await api.data(CREATE, {"i": {**base, "sharedWithMentorId": both.id}}, as_=ann)
    assert shared["createReflection"]["sharedWithMentor"] == {"userId": both.id}


async def test_a_mentor_id_without_sharing_is_not_stored(api):
    ann = await api.sign_up("Ann")
    max_ = await api.sign_up("Max", role="MENTOR")
    made = await api.data(
        CREATE,
        {"i": {"date": TUESDAY, "mood": "GOOD", "isShared": False, "sharedWithMentorId": max_.id}},
        as_=ann,
    )
    assert made["createReflection"]["sharedWithMentor"] is None
    stored = await api.store.get("Reflections", {"userId": ann.id, "date": TUESDAY})
    assert "sharedWithMentorId" not in stored
    assert (await api.data(SHARED, {"m": max_.id}, as_=max_))["listSharedReflections"] == []


async def test_unsharing_removes_it_from_the_mentors_list_and_access(api):
    ann = await api.sign_up("Ann")
    max_ = await api.sign_up("Max", role="MENTOR")
    share = {"date": TUESDAY, "mood": "GOOD", "isShared": True, "sharedWithMentorId": max_.id}
    await api.data(CREATE, {"i": share}, as_=ann)
    assert (await api.data(SHARED, {"m": max_.id}, as_=max_))["listSharedReflections"] == [
        {"date": TUESDAY, "user": {"userId": ann.id}}
    ]
    assert (await api.data(GET, {"u": ann.id, "d": TUESDAY}, as_=max_))["getReflection"]
    unshared = await api.data(UPDATE, {"d": TUESDAY, "i": {"isShared": False}}, as_=ann)
    assert unshared["updateReflection"]["isShared"] is False
    assert unshared["updateReflection"]["sharedWithMentor"] is None
    stored = await api.store.get("Reflections", {"userId": ann.id, "date": TUESDAY})
    assert "sharedWithMentorId" not in stored
    assert (await api.data(SHARED, {"m": max_.id}, as_=max_))["listSharedReflections"] == []
    refused = await api.error(GET, {"u": ann.id, "d": TUESDAY}, as_=max_)
    assert refused["code"] == "FORBIDDEN"
    reshare = await api.error(UPDATE, {"d": TUESDAY, "i": {"isShared": True}}, as_=ann)
    assert (reshare["code"], reshare["field"]) == ("BAD_USER_INPUT", "sharedWithMentorId")


async def test_the_shared_mentor_adds_feedback_and_the_owner_is_notified(api):
    ann = await api.sign_up("Ann")
    max_ = await api.sign_up("Max", role="MENTOR")
    share = {"date": TUESDAY, "mood": "BAD", "isShared": True, "sharedWithMentorId": max_.id}
    rid = (await api.data(CREATE, {"i": share}, as_=ann))["createReflection"]["reflectionId"]
    done = await api.data(FEEDBACK, {"r": rid, "f": "x" * 5000}, as_=max_)
    assert done["addReflectionFeedback"]["mentorFeedback"] == {
        "mentorId": max_.id,
        "feedback": "x" * 5000,
    }
    mine = (await api.data(GET, {"u": ann.id, "d": TUESDAY}, as_=ann))["getReflection"]
    assert mine["mentorFeedback"]["createdAt"] == "2026-11-24T12:00:00.000000Z"
    notes = await api.data(
        "query($u: ID!) { listNotifications(userId: $u) "
        "{ type relatedId message user { userId } } }",
        {"u": ann.id},
        as_=ann,
    )
    [notice] = notes["listNotifications"]
    assert notice["message"].startswith("Max commented on your reflection of ")  # named
    del notice["message"]
    assert notice == {"type": "feedback_received", "relatedId": rid, "user": {"userId": ann.id}}


@pytest.mark.parametrize("feedback", ["", "   ", "x" * 5001])
async def test_feedback_must_be_given_and_at_most_5000_characters(api, feedback):
    ann = await api.sign_up("Ann")
    max_ = await api.sign_up("Max", role="MENTOR")
    share = {"date": TUESDAY, "mood": "BAD", "isShared": True, "sharedWithMentorId": max_.id}
    rid = (await api.data(CREATE, {"i": share}, as_=ann))["createReflection"]["reflectionId"]
    error = await api.error(FEEDBACK, {"r": rid, "f": feedback}, as_=max_)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "feedback")
    stored = await api.store.get("Reflections", {"userId": ann.id, "date": TUESDAY})
    assert "mentorFeedback" not in stored
    assert (await api.store.scan("Notifications")).items == []


async def test_feedback_on_an_unknown_reflection_is_not_found(api):
    max_ = await api.sign_up("Max", role="MENTOR")
    error = await api.error(FEEDBACK, {"r": str(uuid.uuid4()), "f": "hi"}, as_=max_)
    assert error["code"] == "NOT_FOUND"


async def test_the_owner_updates_fields_and_cannot_clear_the_mood(api):
    ann = await api.sign_up("Ann")
    await api.data(CREATE, {"i": {"date": SUNDAY, "mood": "GOOD", "text": "ok"}}, as_=ann)
    updated = (
        await api.data(
            UPDATE, {"d": SUNDAY, "i": {"mood": "GREAT", "text": None, "content": CONTENT}}, as_=ann
        )
    )["updateReflection"]
    assert updated["mood"] == "GREAT" and updated["text"] is None
    assert updated["content"]["gratitude"] == []
    cleared = await api.error(UPDATE, {"d": SUNDAY, "i": {"mood": None}}, as_=ann)
    assert (cleared["code"], cleared["field"]) == ("BAD_USER_INPUT", "mood")
    score = await api.error(UPDATE, {"d": SUNDAY, "i": {"moodScore": 11}}, as_=ann)
    assert (score["code"], score["field"]) == ("BAD_USER_INPUT", "moodScore")
    stored = await api.store.get("Reflections", {"userId": ann.id, "date": SUNDAY})
    assert stored["mood"] == "GREAT" and "moodScore" not in stored
    missing = await api.error(UPDATE, {"d": TUESDAY, "i": {"mood": "BAD"}}, as_=ann)
    assert missing["code"] == "NOT_FOUND"


async def test_weekly_content_can_only_be_added_on_a_sunday(api):
    ann = await api.sign_up("Ann")
    await api.data(CREATE, {"i": {"date": TUESDAY, "mood": "GOOD"}}, as_=ann)
    error = await api.error(UPDATE, {"d": TUESDAY, "i": {"content": CONTENT}}, as_=ann)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "date")
    stored = await api.store.get("Reflections", {"userId": ann.id, "date": TUESDAY})
    assert "content" not in stored


async def test_the_users_list_is_newest_first_and_pages(api):
    ann = await api.sign_up("Ann")
    for day in ("2026-11-21", SUNDAY, "2026-11-23"):
        await api.data(CREATE, {"i": {"date": day, "mood": "NEUTRAL"}}, as_=ann)
    first = (await api.data(FOR_USER, {"u": ann.id, "l": 2}, as_=ann))["listReflectionsForUserPage"]
    assert [i["date"] for i in first["items"]] == ["2026-11-23", SUNDAY]
    rest = (await api.data(FOR_USER, {"u": ann.id, "l": 2, "c": first["nextCursor"]}, as_=ann))[
        "listReflectionsForUserPage"
    ]
    assert [i["date"] for i in rest["items"]] == ["2026-11-21"]


async def test_a_mentor_lists_only_the_reflections_shared_with_them(api):
    ann = await api.sign_up("Ann")
    max_ = await api.sign_up("Max", role="MENTOR")
    other = await api.sign_up("Olga", role="MENTOR")
    await api.data(CREATE, {"i": {"date": "2026-11-21", "mood": "GOOD"}}, as_=ann)
    for day, mentor in ((SUNDAY, max_), ("2026-11-23", other)):
        share = {"date": day, "mood": "GOOD", "isShared": True, "sharedWithMentorId": mentor.id}
        await api.data(CREATE, {"i": share}, as_=ann)
    seen = (await api.data(FOR_USER, {"u": ann.id}, as_=max_))["listReflectionsForUserPage"]
    assert [i["date"] for i in seen["items"]] == [SUNDAY]
    mentee = await api.sign_up("Bob")
    refused = await api.error(FOR_USER, {"u": ann.id}, as_=mentee)
    assert refused["code"] == "FORBIDDEN"


async def test_goal_reflections_for_the_owner_and_the_assigned_mentor(api):
    ann = await api.sign_up("Ann")
    max_ = await api.sign_up("Max", role="MENTOR")
    goal = await _goal(api, ann, mentor=max_)
    await api.data(CREATE, {"i": {"date": SUNDAY, "mood": "GOOD", "goalId": goal}}, as_=ann)
    share = {"date": "2026-11-23", "mood": "GOOD", "goalId": goal, "isShared": True}
    await api.data(CREATE, {"i": {**share, "sharedWithMentorId": max_.id}}, as_=ann)
    mine = (await api.data(FOR_GOAL, {"g": goal}, as_=ann))["listReflectionsForGoal"]
    assert [r["date"] for r in mine] == ["2026-11-23", SUNDAY]
    theirs = (await api.data(FOR_GOAL, {"g": goal}, as_=max_))["listReflectionsForGoal"]
    assert [r["date"] for r in theirs] == ["2026-11-23"]
    nested = """query($u: ID!, $d: String!) {
      getReflection(userId: $u, date: $d) { goal { reflections { date } } } }"""
    owner_view = await api.data(nested, {"u": ann.id, "d": SUNDAY}, as_=ann)
    assert [r["date"] for r in owner_view["getReflection"]["goal"]["reflections"]] == [
        "2026-11-23",
        SUNDAY,
    ]
    mentor_view = await api.data(nested, {"u": ann.id, "d": "2026-11-23"}, as_=max_)
    assert mentor_view["getReflection"]["goal"]["reflections"] == [{"date": "2026-11-23"}]


async def test_a_shared_mentor_not_assigned_to_the_goal_does_not_see_the_goal(api):
    ann = await api.sign_up("Ann")
    max_ = await api.sign_up("Max", role="MENTOR")
    goal = await _goal(api, ann)
    share = {"date": TUESDAY, "mood": "GOOD", "goalId": goal, "isShared": True}
    await api.data(CREATE, {"i": {**share, "sharedWithMentorId": max_.id}}, as_=ann)
    seen = (await api.data(GET, {"u": ann.id, "d": TUESDAY}, as_=max_))["getReflection"]
    assert seen["goal"] is None
    assert (await api.error(FOR_GOAL, {"g": goal}, as_=max_))["code"] == "FORBIDDEN"


async def test_someone_elses_missing_reflection_is_forbidden_not_null(api):
    ann = await api.sign_up("Ann")
    max_ = await api.sign_up("Max", role="MENTOR")
    assert (await api.data(GET, {"u": ann.id, "d": TUESDAY}, as_=ann))["getReflection"] is None
    assert (await api.error(GET, {"u": ann.id, "d": TUESDAY}, as_=max_))["code"] == "FORBIDDEN"
