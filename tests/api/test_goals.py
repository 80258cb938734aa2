"""Goals over GraphQL: lifecycle (draft, approval, completion, archive), edits, progress, lists."""

import uuid

import pytest

GOAL_FIELDS = """goalId status title identity description category dueDate progress
  mentorApproved mentorApprovedAt user { userId } mentor { userId } habits { habitId }
  todos { todoId } createdAt updatedAt"""
CREATE = f"mutation($i: CreateGoalInput!) {{ createGoal(input: $i) {{ {GOAL_FIELDS} }} }}"
UPDATE = f"""mutation($id: ID!, $i: UpdateGoalInput!) {{
  updateGoal(goalId: $id, input: $i) {{ {GOAL_FIELDS} }} }}"""
GET = f"query($id: ID!) {{ getGoal(goalId: $id) {{ {GOAL_FIELDS} }} }}"
SUBMIT = "mutation($id: ID!) { submitGoalForApproval(goalId: $id) { status } }"
APPROVE = (
    "mutation($id: ID!) { approveGoal(goalId: $id) { status mentorApproved mentorApprovedAt } }"
)
COMPLETE = "mutation($id: ID!) { completeGoal(goalId: $id) { status } }"
ARCHIVE = "mutation($id: ID!) { archiveGoal(goalId: $id) { status } }"
HABIT = """mutation($i: CreateHabitInput!) { createHabit(input: $i) { habitId } }"""
COMPLETE_HABIT = """mutation($h: ID!, $d: String!) {
  completeHabit(habitId: $h, date: $d) { completed } }"""
PROGRESS = "query($id: ID!) { getGoal(goalId: $id) { progress } }"


async def create_goal(api, owner, **fields):
    data = await api.data(CREATE, {"i": {"title": "Become a runner", **fields}}, as_=owner)
    return data["createGoal"]


async def goals_in_storage(api):
    return (await api.store.scan("Goals")).items


async def notifications_of(api, user_id):
    return (await api.store.query("Notifications", user_id)).items


def reissue(api, *people):
    """Fresh access tokens after the clock moved (they live 15 minutes)."""
    for person in people:
        person.token = api.services.tokens.issue(person.id).access_token


async def test_a_new_goal_starts_as_draft_owned_by_the_caller(api):
    ann = await api.sign_up("Ann")
    goal = await create_goal(
        api, ann, identity="someone who runs", dueDate="2027-03-01", category="fitness"
    )
    assert goal["status"] == "draft"
    assert goal["user"] == {"userId": ann.id} and goal["mentor"] is None
    assert goal["progress"] == 0 and goal["mentorApproved"] is False
    assert goal["mentorApprovedAt"] is None
    assert goal["habits"] == [] and goal["todos"] == []
    assert (goal["identity"], goal["dueDate"]) == ("someone who runs", "2027-03-01")
    assert goal["createdAt"] == "2026-11-24T12:00:00.000000Z"
    assert (await api.data(GET, {"id": goal["goalId"]}, as_=ann))["getGoal"] == goal


async def test_a_client_generated_goal_id_is_kept_and_cannot_be_reused(api):
    ann = await api.sign_up("Ann")
    goal_id = str(uuid.uuid4())
    assert (await create_goal(api, ann, goalId=goal_id))["goalId"] == goal_id
    error = await api.error(CREATE, {"i": {"goalId": goal_id, "title": "Again"}}, as_=ann)
    assert (error["code"], error["field"]) == ("CONFLICT", "goalId")
    assert [g["title"] for g in await goals_in_storage(api)] == ["Become a runner"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"identity": "x" * 501}, "identity"),
        ({"dueDate": "2027-02-30"}, "dueDate"),
        ({"dueDate": "next week"}, "dueDate"),
        ({"goalId": "not-a-uuid"}, "goalId"),
        ({"mentorId": "not-a-uuid"}, "mentorId"),
        ({"mentorId": str(uuid.uuid4())}, "mentorId"),  # nobody
    ],
)
async def test_bad_goal_input_is_refused_with_its_field_and_nothing_is_written(api, change, field):
    ann = await api.sign_up("Ann")
    error = await api.error(CREATE, {"i": {"title": "Run", **change}}, as_=ann)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)
    assert await goals_in_storage(api) == []


async def test_the_mentor_must_be_someone_else_who_mentors(api):
    ann = await api.sign_up("Ann")
    bea = await api.sign_up("Bea", role="MENTEE")
    for mentor_id in (ann.id, bea.id):
        error = await api.error(CREATE, {"i": {"title": "Run", "mentorId": mentor_id}}, as_=ann)
        assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "mentorId")
    assert await goals_in_storage(api) == []
    both = await api.sign_up("Bonnie", role="BOTH")
    assert (await create_goal(api, ann, mentorId=both.id))["mentor"] == {"userId": both.id}


async def test_submitting_without_a_mentor_makes_the_goal_active_at_once(api):
    ann = await api.sign_up("Ann")
    goal = await create_goal(api, ann)
    done = await api.data(SUBMIT, {"id": goal["goalId"]}, as_=ann)
    assert done["submitGoalForApproval"]["status"] == "active"
    again = await api.error(SUBMIT, {"id": goal["goalId"]}, as_=ann)
    assert again["code"] == "CONFLICT"


async def test_a_goal_with_a_mentor_waits_for_that_mentors_approval(api):
    ann = await api.sign_up("Ann")
    max_ = await api.sign_up("Max", role="MENTOR")
    other = await api.sign_up("Olga", role="MENTOR")
    goal = await create_goal(api, ann, mentorId=max_.id)
    pending = await api.data(SUBMIT, {"id": goal["goalId"]}, as_=ann)
    assert pending["submitGoalForApproval"]["status"] == "pending_approval"
    for who in (ann, other):  # the owner cannot approve their own goal, nor another mentor
        refused = await api.error(APPROVE, {"id": goal["goalId"]}, as_=who)
        assert refused["code"] == "FORBIDDEN"
    assert await notifications_of(api, ann.id) == []

    approved = (await api.data(APPROVE, {"id": goal["goalId"]}, as_=max_))["approveGoal"]
    assert approved == {
        "status": "active",
        "mentorApproved": True,
        "mentorApprovedAt": "2026-11-24T12:00:00.000000Z",
    }
    [note] = await notifications_of(api, ann.id)
    assert note["type"] == "goal_approved" and note["relatedId"] == goal["goalId"]
    assert "Max" in note["message"] and note["read"] is False
    again = await api.error(APPROVE, {"id": goal["goalId"]}, as_=max_)
    assert again["code"] == "CONFLICT"
    [waiting] = await notifications_of(api, max_.id)  # the mentor was told it was waiting
    assert waiting["type"] == "goal_submitted" and waiting["relatedId"] == goal["goalId"]
    assert "Ann" in waiting["message"]


RETURN = "mutation($id: ID!, $n: String!) { returnGoal(goalId: $id, note: $n) { status } }"


async def test_the_mentor_sends_a_pending_goal_back_to_draft_with_a_note(api, clock):
    ann = await api.sign_up("Ann")
    max_ = await api.sign_up("Max", role="MENTOR")
    goal = await create_goal(api, ann, mentorId=max_.id)
    await api.data(SUBMIT, {"id": goal["goalId"]}, as_=ann)
    refused = await api.error(RETURN, {"id": goal["goalId"], "n": "mine"}, as_=ann)
    assert refused["code"] == "FORBIDDEN"
    blank = await api.error(RETURN, {"id": goal["goalId"], "n": "  "}, as_=max_)
    assert (blank["code"], blank["field"]) == ("BAD_USER_INPUT", "note")
    assert (await goals_in_storage(api))[0]["status"] == "pending_approval"
    clock.advance(seconds=1)
    back = await api.data(RETURN, {"id": goal["goalId"], "n": "Make it 5k by March"}, as_=max_)
    assert back["returnGoal"]["status"] == "draft"
    [note] = await notifications_of(api, ann.id)
    assert note["type"] == "goal_returned" and "Make it 5k by March" in note["message"]
    again = await api.error(RETURN, {"id": goal["goalId"], "n": "again"}, as_=max_)
    assert again["code"] == "CONFLICT"
    clock.advance(seconds=1)
    resubmitted = await api.data(SUBMIT, {"id": goal["goalId"]}, as_=ann)
    assert resubmitted["submitGoalForApproval"]["status"] == "pending_approval"


async def test_approval_needs_a_pending_goal(api):
    ann = await api.sign_up("Ann")
    max_ = await api.sign_up("Max", role="MENTOR")
    goal = await create_goal(api, ann, mentorId=max_.id)
    error = await api.error(APPROVE, {"id": goal["goalId"]}, as_=max_)
    assert error["code"] == "CONFLICT"
    [stored] = await goals_in_storage(api)
    assert stored["status"] == "draft" and stored["mentorApproved"] is False


async def test_only_active_goals_complete_and_the_first_earns_the_identity_builder_badge(
    api, clock
):
    ann = await api.sign_up("Ann")
    first = await create_goal(api, ann)
    draft = await api.error(COMPLETE, {"id": first["goalId"]}, as_=ann)
    assert draft["code"] == "CONFLICT"
    await api.data(SUBMIT, {"id": first["goalId"]}, as_=ann)
    done = await api.data(COMPLETE, {"id": first["goalId"]}, as_=ann)
    assert done["completeGoal"]["status"] == "completed"
    [badge] = (await api.store.query("Badges", ann.id)).items
    assert (badge["type"], badge["key"]) == ("identity_builder", "identity_builder")
    [note] = await notifications_of(api, ann.id)
    assert note["type"] == "badge_earned" and note["relatedId"] == badge["badgeId"]

    clock.advance(seconds=1)
    second = await create_goal(api, ann)
    await api.data(SUBMIT, {"id": second["goalId"]}, as_=ann)
    await api.data(COMPLETE, {"id": second["goalId"]}, as_=ann)
    assert len((await api.store.query("Badges", ann.id)).items) == 1
    assert len(await notifications_of(api, ann.id)) == 1


async def test_archived_goals_never_change_and_are_kept(api):
    ann = await api.sign_up("Ann")
    goal = await create_goal(api, ann)
    archived = await api.data(ARCHIVE, {"id": goal["goalId"]}, as_=ann)
    assert archived["archiveGoal"]["status"] == "archived"
    [before] = await goals_in_storage(api)
    for query, variables in (
        (ARCHIVE, {"id": goal["goalId"]}),
        (SUBMIT, {"id": goal["goalId"]}),
        (COMPLETE, {"id": goal["goalId"]}),
        (UPDATE, {"id": goal["goalId"], "i": {"title": "New title"}}),
    ):
        assert (await api.error(query, variables, as_=ann))["code"] == "CONFLICT"
    assert await goals_in_storage(api) == [before]


async def test_goals_cannot_be_deleted(api):
    ann = await api.sign_up("Ann")
    error = await api.error('mutation { deleteGoal(goalId: "x") { goalId } }', as_=ann)
    assert error["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_update_changes_only_the_fields_sent(api, clock):
    ann = await api.sign_up("Ann")
    goal = await create_goal(api, ann, description="old", dueDate="2027-01-01")
    clock.advance(minutes=5)
    updated = await api.data(
        UPDATE, {"id": goal["goalId"], "i": {"title": "Run 5k", "dueDate": None}}, as_=ann
    )
    after = updated["updateGoal"]
    assert (after["title"], after["description"], after["dueDate"]) == ("Run 5k", "old", None)
    assert after["status"] == "draft" and after["updatedAt"] == "2026-11-24T12:05:00.000000Z"
    cleared = await api.error(UPDATE, {"id": goal["goalId"], "i": {"title": None}}, as_=ann)
    assert (cleared["code"], cleared["field"]) == ("BAD_USER_INPUT", "title")
    bad_date = await api.error(UPDATE, {"id": goal["goalId"], "i": {"dueDate": "soon"}}, as_=ann)
    assert (bad_date["code"], bad_date["field"]) == ("BAD_USER_INPUT", "dueDate")
    [stored] = await goals_in_storage(api)
    assert stored["title"] == "Run 5k" and "dueDate" not in stored


async def test_a_new_mentor_on_an_active_goal_puts_it_back_through_approval(api, clock):
    ann = await api.sign_up("Ann")
    max_ = await api.sign_up("Max", role="MENTOR")
    mia = await api.sign_up("Mia", role="MENTOR")
    goal = await create_goal(api, ann, mentorId=max_.id)
    await api.data(SUBMIT, {"id": goal["goalId"]}, as_=ann)
    await api.data(APPROVE, {"id": goal["goalId"]}, as_=max_)
    moved = await api.data(UPDATE, {"id": goal["goalId"], "i": {"mentorId": mia.id}}, as_=ann)
    after = moved["updateGoal"]
    assert after["status"] == "pending_approval" and after["mentor"] == {"userId": mia.id}
    assert after["mentorApproved"] is False and after["mentorApprovedAt"] is None
    old_mentor = await api.error(APPROVE, {"id": goal["goalId"]}, as_=max_)
    assert old_mentor["code"] == "FORBIDDEN"
    clock.advance(seconds=1)  # one notification per user and instant (the table's key)
    assert (await api.data(APPROVE, {"id": goal["goalId"]}, as_=mia))["approveGoal"][
        "status"
    ] == "active"


async def test_removing_the_mentor_of_a_pending_goal_returns_it_to_draft(api):
    ann = await api.sign_up("Ann")
    max_ = await api.sign_up("Max", role="MENTOR")
    goal = await create_goal(api, ann, mentorId=max_.id)
    await api.data(SUBMIT, {"id": goal["goalId"]}, as_=ann)
    moved = await api.data(UPDATE, {"id": goal["goalId"], "i": {"mentorId": None}}, as_=ann)
    assert moved["updateGoal"]["status"] == "draft" and moved["updateGoal"]["mentor"] is None
    done = await api.data(SUBMIT, {"id": goal["goalId"]}, as_=ann)
    assert done["submitGoalForApproval"]["status"] == "active"


async def test_progress_is_the_mean_habit_completion_rate_and_follows_the_calendar(api, clock):
    ann = await api.sign_up("Ann")
    goal = await create_goal(api, ann)
    habit_ids = []
    for title in ("Shoes on", "Stretch"):
        created = await api.data(
            HABIT,
            {"i": {"goalId": goal["goalId"], "title": title, "frequency": "daily", "duration": 2}},
            as_=ann,
        )
        habit_ids.append(created["createHabit"]["habitId"])
    await api.data(COMPLETE_HABIT, {"h": habit_ids[0], "d": "2026-11-24"}, as_=ann)
    # one habit at 100 %, one at 0 %
    assert (await api.data(PROGRESS, {"id": goal["goalId"]}, as_=ann))["getGoal"]["progress"] == 50
    clock.advance(days=1)  # no write: 1 of 2 days (50 %) and 0 of 2 days
    reissue(api, ann)
    assert (await api.data(PROGRESS, {"id": goal["goalId"]}, as_=ann))["getGoal"]["progress"] == 25
    await api.data(COMPLETE_HABIT, {"h": habit_ids[1], "d": "2026-11-25"}, as_=ann)
    assert (await api.data(PROGRESS, {"id": goal["goalId"]}, as_=ann))["getGoal"]["progress"] == 50


LIST_FOR_USER = """query($u: ID!, $s: GoalStatus, $l: Int) {
  listGoalsForUser(userId: $u, status: $s, limit: $l) { title status } }"""
LIST_FOR_MENTOR = """query($m: ID!, $s: GoalStatus) {
  listGoalsForMentor(mentorId: $m, status: $s) { title } }"""
LIST_BY_STATUS = "query($s: GoalStatus!) { listGoalsByStatus(status: $s) { title } }"


async def test_goal_lists_are_newest_first_and_filter_by_status(api, clock):
    ann = await api.sign_up("Ann")
    max_ = await api.sign_up("Max", role="MENTOR")
    for title in ("First", "Second", "Third"):
        mentor = {"mentorId": max_.id} if title != "Second" else {}
        goal = await create_goal(api, ann, title=title, **mentor)
        if title == "Third":
            await api.data(SUBMIT, {"id": goal["goalId"]}, as_=ann)
        clock.advance(seconds=1)
    mine = (await api.data(LIST_FOR_USER, {"u": ann.id}, as_=ann))["listGoalsForUser"]
    assert [g["title"] for g in mine] == ["Third", "Second", "First"]
    drafts = await api.data(LIST_FOR_USER, {"u": ann.id, "s": "draft", "l": 1}, as_=ann)
    assert drafts["listGoalsForUser"] == [{"title": "Second", "status": "draft"}]
    # the mentor sees, through the mentee's list, only the goals assigned to them
    seen = (await api.data(LIST_FOR_USER, {"u": ann.id}, as_=max_))["listGoalsForUser"]
    assert [g["title"] for g in seen] == ["Third", "First"]
    assigned = await api.data(LIST_FOR_MENTOR, {"m": max_.id, "s": "pending_approval"}, as_=max_)
    assert assigned["listGoalsForMentor"] == [{"title": "Third"}]
    admin = await api.admin()
    by_status = await api.data(LIST_BY_STATUS, {"s": "draft"}, as_=admin)
    assert [g["title"] for g in by_status["listGoalsByStatus"]] == ["Second", "First"]
    bad_limit = await api.error(LIST_FOR_USER, {"u": ann.id, "l": 0}, as_=ann)
    assert (bad_limit["code"], bad_limit["field"]) == ("BAD_USER_INPUT", "limit")
