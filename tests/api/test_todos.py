"""Todos over GraphQL: the caller's own, optionally linked to their goal; tombstone deletes."""

import uuid

import pytest

GOAL = "mutation($i: CreateGoalInput!) { createGoal(input: $i) { goalId } }"
FIELDS = "todoId text done dueDate priority goal { goalId } user { userId } createdAt updatedAt"
CREATE = f"mutation($i: CreateTodoInput!) {{ createTodo(input: $i) {{ {FIELDS} }} }}"
UPDATE = f"""mutation($id: ID!, $i: UpdateTodoInput!) {{
  updateTodo(todoId: $id, input: $i) {{ {FIELDS} }} }}"""
TOGGLE = "mutation($id: ID!) { toggleTodo(todoId: $id) { done } }"
DELETE = f"mutation($id: ID!) {{ deleteTodo(todoId: $id) {{ {FIELDS} }} }}"
LISTS = """query($u: ID!, $g: ID!) {
  mine: listTodosForUser(userId: $u) { text }
  goal: listTodosForGoal(goalId: $g) { text }
  nested: getGoal(goalId: $g) { todos { text } } }"""


async def create_goal(api, owner):
    return (await api.data(GOAL, {"i": {"title": "Run"}}, as_=owner))["createGoal"]["goalId"]


async def create_todo(api, owner, **fields):
    return (await api.data(CREATE, {"i": {"text": "Buy shoes", **fields}}, as_=owner))["createTodo"]


async def todos_in_storage(api):
    return (await api.store.scan("Todos")).items


async def test_a_new_todo_is_open_with_medium_priority(api):
    ann = await api.sign_up("Ann")
    todo = await create_todo(api, ann)
    assert (todo["done"], todo["priority"], todo["goal"], todo["dueDate"]) == (
        False,
        "medium",
        None,
        None,
    )
    assert todo["user"] == {"userId": ann.id}
    goal_id = await create_goal(api, ann)
    linked = await create_todo(api, ann, goalId=goal_id, priority="high", dueDate="2026-12-01")
    assert linked["goal"] == {"goalId": goal_id} and linked["priority"] == "high"
    assert linked["dueDate"] == "2026-12-01"
    assert await create_todo(api, ann, text="x" * 500)  # the longest text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": "  "}, "text"),
        ({"text": "x" * 501}, "text"),
        ({"dueDate": "tomorrow"}, "dueDate"),
        ({"todoId": "todo-1"}, "todoId"),
        ({"goalId": "goal-1"}, "goalId"),
        ({"goalId": str(uuid.uuid4())}, "goalId"),
    ],
)
async def test_bad_todo_input_is_refused_with_its_field_and_nothing_is_written(api, change, field):
    ann = await api.sign_up("Ann")
    error = await api.error(CREATE, {"i": {"text": "Buy shoes", **change}}, as_=ann)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)
    assert await todos_in_storage(api) == []


async def test_a_todo_links_only_to_a_goal_of_the_caller_that_is_not_archived(api):
    ann = await api.sign_up("Ann")
    bob = await api.sign_up("Bob")
    goal_id = await create_goal(api, ann)
    theirs = await api.error(CREATE, {"i": {"text": "x", "goalId": goal_id}}, as_=bob)
    assert theirs["code"] == "FORBIDDEN"
    await api.data(
        "mutation($id: ID!) { archiveGoal(goalId: $id) { status } }", {"id": goal_id}, as_=ann
    )
    archived = await api.error(CREATE, {"i": {"text": "x", "goalId": goal_id}}, as_=ann)
    assert (archived["code"], archived["field"]) == ("CONFLICT", "goalId")
    assert await todos_in_storage(api) == []


async def test_an_existing_id_is_a_conflict_but_a_deleted_one_is_replaced(api):
    ann = await api.sign_up("Ann")
    todo_id = str(uuid.uuid4())
    await create_todo(api, ann, todoId=todo_id)
    taken = await api.error(CREATE, {"i": {"todoId": todo_id, "text": "Other"}}, as_=ann)
    assert (taken["code"], taken["field"]) == ("CONFLICT", "todoId")
    await api.data(DELETE, {"id": todo_id}, as_=ann)
    again = await create_todo(api, ann, todoId=todo_id, text="Second life")
    assert again["text"] == "Second life" and again["done"] is False
    [stored] = await todos_in_storage(api)
    assert stored["_version"] == 3 and not stored.get("_deleted")


async def test_update_changes_only_the_fields_sent_and_null_clears_goal_and_due_date(api):
    ann = await api.sign_up("Ann")
    goal_id = await create_goal(api, ann)
    todo = await create_todo(api, ann, goalId=goal_id, dueDate="2026-12-01")
    moved = await api.data(UPDATE, {"id": todo["todoId"], "i": {"priority": "low"}}, as_=ann)
    assert moved["updateTodo"]["goal"] == {"goalId": goal_id}
    cleared = await api.data(
        UPDATE, {"id": todo["todoId"], "i": {"goalId": None, "dueDate": None}}, as_=ann
    )
    after = cleared["updateTodo"]
    assert (after["goal"], after["dueDate"], after["priority"]) == (None, None, "low")
    for change, field in (
        ({"text": None}, "text"),
        ({"text": ""}, "text"),
        ({"done": None}, "done"),
    ):
        error = await api.error(UPDATE, {"id": todo["todoId"], "i": change}, as_=ann)
        assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)
    [stored] = await todos_in_storage(api)
    assert "goalId" not in stored and stored["text"] == "Buy shoes"


async def test_toggle_flips_done(api):
    ann = await api.sign_up("Ann")
    todo = await create_todo(api, ann)
    assert (await api.data(TOGGLE, {"id": todo["todoId"]}, as_=ann))["toggleTodo"]["done"] is True
    assert (await api.data(TOGGLE, {"id": todo["todoId"]}, as_=ann))["toggleTodo"]["done"] is False


async def test_a_deleted_todo_is_a_tombstone_that_disappears_everywhere(api):
    ann = await api.sign_up("Ann")
    goal_id = await create_goal(api, ann)
    todo = await create_todo(api, ann, goalId=goal_id)
    deleted = (await api.data(DELETE, {"id": todo["todoId"]}, as_=ann))["deleteTodo"]
    assert deleted == todo  # as it was
    lists = await api.data(LISTS, {"u": ann.id, "g": goal_id}, as_=ann)
    assert lists == {"mine": [], "goal": [], "nested": {"todos": []}}
    for query, variables in (
        (TOGGLE, {"id": todo["todoId"]}),
        (DELETE, {"id": todo["todoId"]}),
        (UPDATE, {"id": todo["todoId"], "i": {"text": "x"}}),
    ):
        assert (await api.error(query, variables, as_=ann))["code"] == "NOT_FOUND"
    [stored] = await todos_in_storage(api)
    assert stored["_deleted"] is True and stored["text"] == "Buy shoes"


async def test_todo_lists_are_newest_first_and_filter_by_done(api, clock):
    ann = await api.sign_up("Ann")
    goal_id = await create_goal(api, ann)
    ids = {}
    for text in ("One", "Two", "Three"):
        linked = {"goalId": goal_id} if text != "Two" else {}
        ids[text] = (await create_todo(api, ann, text=text, **linked))["todoId"]
        clock.advance(seconds=1)
    await api.data(TOGGLE, {"id": ids["One"]}, as_=ann)
    lists = await api.data(LISTS, {"u": ann.id, "g": goal_id}, as_=ann)
    assert [t["text"] for t in lists["mine"]] == ["Three", "Two", "One"]
    assert [t["text"] for t in lists["goal"]] == ["Three", "One"]
    assert [t["text"] for t in lists["nested"]["todos"]] == ["Three", "One"]
    query = """query($u: ID!, $d: Boolean, $l: Int) {
      listTodosForUser(userId: $u, done: $d, limit: $l) { text } }"""
    open_ = await api.data(query, {"u": ann.id, "d": False}, as_=ann)
    assert [t["text"] for t in open_["listTodosForUser"]] == ["Three", "Two"]
    done = await api.data(query, {"u": ann.id, "d": True}, as_=ann)
    assert [t["text"] for t in done["listTodosForUser"]] == ["One"]
    one = await api.data(query, {"u": ann.id, "l": 1}, as_=ann)
    assert [t["text"] for t in one["listTodosForUser"]] == ["Three"]
