"""Categories over GraphQL: admin-made, unique names ignoring case, hex colors, user links."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

CREATE = """mutation($i: CreateCategoryInput!) {
  createCategory(input: $i) { categoryId name description icon color createdAt } }"""
ADD = """mutation($c: ID!) { addUserCategory(categoryId: $c) {
  user { userId } category { name } createdAt } }"""
REMOVE = """mutation($c: ID!) { removeUserCategory(categoryId: $c) {
  user { userId } category { name } } }"""
FOR_USER = "query($u: ID!) { listCategoriesForUser(userId: $u) { name } }"
USERS = "query($c: ID!) { listUsersForCategory(categoryId: $c) { userId } }"
BY_NAME = "query($n: String!) { getCategoryByName(name: $n) { categoryId name } }"


async def categories(api: Any) -> list[dict[str, Any]]:
    return (await api.store.scan("Categories")).items


async def make(api: Any, admin: Any, name: str, **extra: Any) -> str:
    made = await api.data(CREATE, {"i": {"name": name, **extra}}, as_=admin)
    return str(made["createCategory"]["categoryId"])


async def test_an_admin_creates_a_category(api):
    admin = await api.admin()
    made = (
        await api.data(
            CREATE,
            {
                "i": {
                    "name": " Career ",
                    "description": "Work",
                    "icon": "briefcase",
                    "color": "#3b82f6",
                }
            },
            as_=admin,
        )
    )["createCategory"]
    assert str(uuid.UUID(made["categoryId"])) == made["categoryId"]
    assert (made["name"], made["color"], made["icon"]) == ("Career", "#3B82F6", "briefcase")
    fetched = await api.data(
        "query($c: ID!) { getCategory(categoryId: $c) { name description } }",
        {"c": made["categoryId"]},
    )
    assert fetched["getCategory"] == {"name": "Career", "description": "Work"}


async def test_only_admins_create_categories(api):
    ann = await api.sign_up("Ann")
    assert (await api.error(CREATE, {"i": {"name": "Career"}}, as_=ann))["code"] == "FORBIDDEN"
    assert (await api.error(CREATE, {"i": {"name": "Career"}}))["code"] == "UNAUTHENTICATED"
    assert await categories(api) == []


async def test_names_are_unique_ignoring_case_and_found_ignoring_case(api):
    admin = await api.admin()
    career = await make(api, admin, "Career")
    clash = await api.error(CREATE, {"i": {"name": "  CAREER"}}, as_=admin)
    assert (clash["code"], clash["field"]) == ("CONFLICT", "name")
    assert len(await categories(api)) == 2  # the category and its name entry
    for spelling in ("Career", "career", " CAREER "):
        found = (await api.data(BY_NAME, {"n": spelling}))["getCategoryByName"]
        assert found == {"categoryId": career, "name": "Career"}
    assert (await api.data(BY_NAME, {"n": "Fitness"}))["getCategoryByName"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"color": "#12345"}, "color"),
        ({"color": "red"}, "color"),
        ({"color": "#GGGGGG"}, "color"),
        ({"color": "3B82F6"}, "color"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 61}, "name"),
        ({"description": "x" * 1001}, "description"),
    ],
)
async def test_bad_category_input_names_the_field_and_writes_nothing(api, change, field):
    admin = await api.admin()
    error = await api.error(CREATE, {"i": {"name": "Career", **change}}, as_=admin)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)
    assert await categories(api) == []


async def test_categories_are_listed_by_name(api):
    admin = await api.admin()
    for name in ("wellness", "Career", "Fitness"):
        await make(api, admin, name)
    listed = (await api.data("{ listCategories { name } }"))["listCategories"]
    assert [c["name"] for c in listed] == ["Career", "Fitness", "wellness"]
    two = (await api.data("{ listCategories(limit: 2) { name } }"))["listCategories"]
    assert [c["name"] for c in two] == ["Career", "Fitness"]


async def test_a_name_entry_is_not_a_category(api):
    admin = await api.admin()
    await make(api, admin, "Career")
    query = "query($c: ID!) { getCategory(categoryId: $c) { name } }"
    assert (await api.data(query, {"c": "#name#career"}))["getCategory"] is None


async def test_users_link_and_unlink_themselves(api):
    admin = await api.admin()
    # mentors: their categories are directory fields, listed for everyone
    ann, bob = await api.sign_up("Ann", role="MENTOR"), await api.sign_up("Bob", role="MENTOR")
    career, fitness = await make(api, admin, "Career"), await make(api, admin, "Fitness")
    linked = (await api.data(ADD, {"c": fitness}, as_=ann))["addUserCategory"]
    assert linked["user"] == {"userId": ann.id} and linked["category"] == {"name": "Fitness"}
    again = (await api.data(ADD, {"c": fitness}, as_=ann))["addUserCategory"]
    assert again["createdAt"] == linked["createdAt"]
    await api.data(ADD, {"c": career}, as_=ann)
    await api.data(ADD, {"c": career}, as_=bob)
    mine = (await api.data(FOR_USER, {"u": ann.id}))["listCategoriesForUser"]
    assert [c["name"] for c in mine] == ["Career", "Fitness"]
    users = (await api.data(USERS, {"c": career}))["listUsersForCategory"]
    assert sorted(u["userId"] for u in users) == sorted([ann.id, bob.id])
    profile = "query($u: ID!) { getUser(userId: $u) { mentorshipCategories { name } } }"
    assert (await api.data(profile, {"u": ann.id}))["getUser"]["mentorshipCategories"] == [
        {"name": "Career"},
        {"name": "Fitness"},
    ]
    removed = (await api.data(REMOVE, {"c": career}, as_=ann))["removeUserCategory"]
    assert removed == {"user": {"userId": ann.id}, "category": {"name": "Career"}}
    tombstone = await api.store.get("UserCategories", {"userId": ann.id, "categoryId": career})
    assert tombstone["_deleted"] is True
    assert (await api.data(USERS, {"c": career}))["listUsersForCategory"] == [{"userId": bob.id}]
    assert (await api.data(FOR_USER, {"u": ann.id}))["listCategoriesForUser"] == [
        {"name": "Fitness"}
    ]
    back = await api.data(ADD, {"c": career}, as_=ann)
    assert back["addUserCategory"]["category"] == {"name": "Career"}


async def test_linking_an_unknown_category_or_unlinking_a_missing_link_is_not_found(api):
    admin = await api.admin()
    ann = await api.sign_up("Ann")
    career = await make(api, admin, "Career")
    unknown = await api.error(ADD, {"c": str(uuid.uuid4())}, as_=ann)
    assert (unknown["code"], unknown["field"]) == ("NOT_FOUND", "categoryId")
    missing = await api.error(REMOVE, {"c": career}, as_=ann)
    assert (missing["code"], missing["field"]) == ("NOT_FOUND", "categoryId")
    assert (await api.store.scan("UserCategories")).items == []
