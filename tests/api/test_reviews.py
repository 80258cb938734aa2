"""Reviews over GraphQL: one per author and target, ratings 1-5, and the target's average."""

import pytest

from tests.api.mentorship_world import count

UPSERT = """mutation($i: ReviewInput!) { upsertReview(input: $i) {
  reviewId rating comment type createdAt updatedAt author { userId } target { userId } } }"""
MISSING = "00000000-0000-4000-8000-000000000000"


async def rating_of(api, person):
    return (await api.store.get("Users", {"userId": person.id}))["rating"]


async def test_a_review_is_created_then_replaced_and_the_rating_follows(api, clock):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    first = await api.data(
        UPSERT, {"i": {"targetId": mona.id, "rating": 3, "comment": " Helpful "}}, as_=ann
    )
    review = first["upsertReview"]
    assert review["reviewId"] == f"{mona.id}#{ann.id}"
    assert (review["rating"], review["comment"], review["type"]) == (3, "Helpful", "GENERAL")
    assert review["author"] == {"userId": ann.id} and review["target"] == {"userId": mona.id}
    assert await rating_of(api, mona) == 3.0
    clock.advance(minutes=5)
    second = await api.data(UPSERT, {"i": {"targetId": mona.id, "rating": 5}}, as_=ann)
    replaced = second["upsertReview"]
    assert replaced["reviewId"] == review["reviewId"] and replaced["comment"] is None
    assert replaced["createdAt"] == review["createdAt"] < replaced["updatedAt"]
    assert await count(api, "Reviews") == 1
    assert await rating_of(api, mona) == 5.0


async def test_the_rating_is_the_mean_of_all_reviews_of_the_target(api):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    bob = await api.sign_up("Bob")
    cy = await api.sign_up("Cyrus")
    for person, rating in ((ann, 5), (bob, 4), (cy, 4)):
        await api.data(UPSERT, {"i": {"targetId": mona.id, "rating": rating}}, as_=person)
    assert await rating_of(api, mona) == 4.33
    assert await rating_of(api, ann) == 0.0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"targetId": MISSING}, "targetId"),
        ({"targetId": "nobody"}, "targetId"),
        ({"type": "SESSION_FEEDBACK"}, "type"),
        ({"comment": "x" * 5001}, "comment"),
    ],
    ids=lambda v: str(v)[:30],
)
async def test_bad_review_input_is_refused_and_writes_nothing(api, change, field):
    mona = await api.sign_up("Mona", role="MENTOR")
    ann = await api.sign_up("Ann")
    error = await api.error(UPSERT, {"i": {"targetId": mona.id, "rating": 4, **change}}, as_=ann)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)
    assert await count(api, "Reviews") == 0
    assert await rating_of(api, mona) == 0.0


async def test_nobody_reviews_themselves(api):
    ann = await api.sign_up("Ann", role="BOTH")
    error = await api.error(UPSERT, {"i": {"targetId": ann.id, "rating": 5}}, as_=ann)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "targetId")
    assert await count(api, "Reviews") == 0


async def test_reviews_are_read_by_target_author_and_pair(api, clock):
    mona = await api.sign_up("Mona", role="MENTOR")
    max_ = await api.sign_up("Max", role="MENTOR")
    ann = await api.sign_up("Ann")
    bob = await api.sign_up("Bob")
    await api.data(UPSERT, {"i": {"targetId": mona.id, "rating": 4}}, as_=ann)
    clock.advance(minutes=1)
    await api.data(UPSERT, {"i": {"targetId": max_.id, "rating": 2}}, as_=ann)
    await api.data(UPSERT, {"i": {"targetId": mona.id, "rating": 5}}, as_=bob)
    query = """query($t: ID!, $a: ID!) {
      listReviewsForTarget(targetId: $t) { rating author { userId } }
      listReviewsByAuthor(authorId: $a) { rating target { userId } }
      getReview(targetId: $t, authorId: $a) { rating }
      none: getReview(targetId: $a, authorId: $t) { rating } }"""
    data = await api.data(query, {"t": mona.id, "a": ann.id}, as_=ann)
    by_author_id = sorted(data["listReviewsForTarget"], key=lambda r: r["author"]["userId"])
    assert by_author_id == sorted(
        [{"rating": 4, "author": {"userId": ann.id}}, {"rating": 5, "author": {"userId": bob.id}}],
        key=lambda r: r["author"]["userId"],
    )
    assert data["listReviewsByAuthor"] == [
        {"rating": 2, "target": {"userId": max_.id}},
        {"rating": 4, "target": {"userId": mona.id}},
    ]
    assert data["getReview"] == {"rating": 4} and data["none"] is None
