"""Sign-up, sign-in, tokens and profiles over GraphQL, on each storage engine."""

import pytest

ME = "{ me { userId email username name role timeZone skills interests rating verified } }"
SIGN_IN = """mutation($e: String!, $p: String!) {
  signIn(email: $e, password: $p) { accessToken refreshToken user { userId } } }"""


async def test_sign_up_returns_tokens_and_the_new_profile(api):
    ann = await api.sign_up("Ann", role="MENTEE", time_zone="Europe/Berlin")
    me = (await api.data(ME, as_=ann))["me"]
    assert me["userId"] == ann.id and me["email"] == "ann@example.com"
    assert me["timeZone"] == "Europe/Berlin" and me["role"] == "MENTEE"
    assert me["rating"] == 0.0 and me["verified"] is False and me["skills"] == []
    import uuid

    assert str(uuid.UUID(ann.id)) == ann.id


async def test_me_without_a_token_is_null(api):
    assert (await api.data(ME))["me"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"username": "a"}, "username"),
        ({"password": "short"}, "password"),
        ({"name": "   "}, "name"),
        ({"timeZone": "Mars/Olympus"}, "timeZone"),
    ],
)
async def test_bad_sign_up_input_is_refused_with_the_field_and_writes_nothing(api, change, field):
    payload = {
        "email": "x@example.com",
        "username": "xavier",
        "name": "X",
        "password": "long enough password",
        "role": "MENTEE",
        **change,
    }
    error = await api.error(
        "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }", {"i": payload}
    )
    assert error == {"message": error["message"], "code": "BAD_USER_INPUT", "field": field}
    assert (await api.store.scan("Users")).items == []


async def test_email_and_username_are_unique_case_insensitively(api):
    await api.sign_up("Ann")
    query = "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }"
    base = {"name": "Other", "password": "long enough password", "role": "MENTOR"}
    dup_email = await api.error(
        query, {"i": {**base, "email": "ANN@example.com", "username": "other"}}
    )
    assert (dup_email["code"], dup_email["field"]) == ("CONFLICT", "email")
    dup_name = await api.error(query, {"i": {**base, "email": "o@example.com", "username": "ANN"}})
    assert (dup_name["code"], dup_name["field"]) == ("CONFLICT", "username")
    users = await api.data("{ listUsersByRole(role: MENTOR) { userId } }")
    assert users["listUsersByRole"] == []


async def test_sign_in_with_the_right_password_only(api):
    ann = await api.sign_up("Ann")
    ok = await api.data(SIGN_IN, {"e": "Ann@Example.com", "p": "correct horse battery"})
    assert ok["signIn"]["user"]["userId"] == ann.id
    wrong = await api.error(SIGN_IN, {"e": "ann@example.com", "p": "wrong password!"})
    assert wrong["code"] == "UNAUTHENTICATED"
    nobody = await api.error(SIGN_IN, {"e": "nobody@example.com", "p": "correct horse battery"})
    assert nobody["code"] == "UNAUTHENTICATED" and nobody["message"] == wrong["message"]


async def test_access_tokens_expire_and_refresh_tokens_renew_them(api, clock):
    ann = await api.sign_up("Ann")
    tokens = (await api.data(SIGN_IN, {"e": ann.email, "p": "correct horse battery"}))["signIn"]
    clock.advance(minutes=16)
    expired = await api.error('{ listMenteesForMentor(mentorId: "x") { userId } }', as_=ann)
    assert expired["code"] == "UNAUTHENTICATED" and "expired" in expired["message"]
    renewed = await api.data(
        "mutation($t: String!) { refreshToken(token: $t) { accessToken user { userId } } }",
        {"t": tokens["refreshToken"]},
    )
    ann.token = renewed["refreshToken"]["accessToken"]
    assert (await api.data(ME, as_=ann))["me"]["userId"] == ann.id
    not_refresh = await api.error(
        "mutation($t: String!) { refreshToken(token: $t) { accessToken } }", {"t": ann.token}
    )
    assert not_refresh["code"] == "UNAUTHENTICATED"


async def test_a_forged_token_is_refused(api):
    ann = await api.sign_up("Ann")
    ann.token = ann.token[:-2] + ("AA" if not ann.token.endswith("AA") else "BB")
    error = await api.error('{ getUserByEmail(email: "a@b.c") { userId } }', as_=ann)
    assert error["code"] == "UNAUTHENTICATED"


async def test_others_see_public_fields_but_not_the_email(api):
    ann = await api.sign_up("Ann")
    bob = await api.sign_up("Bob")
    query = "query($id: ID!) { getUser(userId: $id) { name email rating } }"
    assert (await api.data(query, {"id": ann.id}, as_=bob))["getUser"] == {
        "name": "Ann",
        "email": "",
        "rating": 0.0,
    }
    assert (await api.data(query, {"id": ann.id}))["getUser"] is None  # a mentee, signed out
    assert (await api.data(query, {"id": ann.id}, as_=ann))["getUser"]["email"] == ann.email
    admin = await api.admin()
    assert (await api.data(query, {"id": ann.id}, as_=admin))["getUser"]["email"] == ann.email


UPDATE = """mutation($id: ID!, $i: UpdateUserInput!) {
  updateUserProfile(userId: $id, input: $i) { username bio interests membershipTier } }"""


async def test_owner_updates_profile_and_interest_index_follows(api):
    ann = await api.sign_up("Ann")
    result = await api.data(
        UPDATE,
        {"id": ann.id, "i": {"bio": "hi", "interests": ["Product Design", "Running"]}},
        as_=ann,
    )
    assert result["updateUserProfile"]["interests"] == ["Product Design", "Running"]
    by_interest = '{ listUsersByInterest(interest: "product design") { userId } }'
    assert (await api.data(by_interest, as_=ann))["listUsersByInterest"] == [{"userId": ann.id}]
    await api.data(UPDATE, {"id": ann.id, "i": {"interests": ["Running"]}}, as_=ann)
    assert (await api.data(by_interest, as_=ann))["listUsersByInterest"] == []


async def test_username_change_frees_the_old_name(api):
    ann = await api.sign_up("Ann")
    await api.data(UPDATE, {"id": ann.id, "i": {"username": "annie"}}, as_=ann)
    q = "query($u: String!) { getUserByUsername(username: $u) { userId } }"
    assert (await api.data(q, {"u": "Annie"}, as_=ann))["getUserByUsername"] == {"userId": ann.id}
    assert (await api.data(q, {"u": "ann"}, as_=ann))["getUserByUsername"] is None
    bob = await api.sign_up("Bob")
    await api.data(UPDATE, {"id": bob.id, "i": {"username": "ann"}}, as_=bob)
    assert (await api.data(q, {"u": "ann"}, as_=ann))["getUserByUsername"] == {"userId": bob.id}


async def test_nobody_else_may_update_a_profile_and_only_admins_set_the_tier(api):
    ann = await api.sign_up("Ann")
    bob = await api.sign_up("Bob")
    refused = await api.error(UPDATE, {"id": ann.id, "i": {"bio": "hacked"}}, as_=bob)
    assert refused["code"] == "FORBIDDEN"
    anonymous = await api.error(UPDATE, {"id": ann.id, "i": {"bio": "hacked"}})
    assert anonymous["code"] == "UNAUTHENTICATED"
    tier = await api.error(UPDATE, {"id": ann.id, "i": {"membershipTier": "exclusive"}}, as_=ann)
    assert tier["code"] == "FORBIDDEN"
    admin = await api.admin()
    done = await api.data(UPDATE, {"id": ann.id, "i": {"membershipTier": "exclusive"}}, as_=admin)
    assert done["updateUserProfile"]["membershipTier"] == "exclusive"
    bio = "query($id: ID!) { getUser(userId: $id) { bio } }"
    assert (await api.data(bio, {"id": ann.id}, as_=ann))["getUser"]["bio"] is None


async def test_only_admins_verify_users(api):
    ann = await api.sign_up("Ann", role="MENTOR")
    query = "mutation($id: ID!) { verifyUser(userId: $id) { verified } }"
    assert (await api.error(query, {"id": ann.id}, as_=ann))["code"] == "FORBIDDEN"
    admin = await api.admin()
    assert (await api.data(query, {"id": ann.id}, as_=admin))["verifyUser"]["verified"] is True


async def test_errors_never_leak_internals(api):
    body = await api.call("{ nonsense }")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "stacktrace" not in str(body)
    body = await api.call("{ me { ")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_too_deep_queries_are_refused(api):
    inner = "title"
    for _ in range(6):
        inner = f"habits {{ goal {{ {inner} }} }}"
    body = await api.call(f'{{ getGoal(goalId: "g") {{ {inner} }} }}')
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert body.get("data") is None


async def test_queries_selecting_too_many_fields_are_refused(api):
    fields = " ".join(f"f{n}: userId" for n in range(401))
    body = await api.call(f'{{ getUser(userId: "u") {{ {fields} }} }}')
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "selects 402 fields" in body["errors"][0]["message"]
    ok = " ".join(f"f{n}: userId" for n in range(399))
    assert "errors" not in await api.call(f'{{ getUser(userId: "u") {{ {ok} }} }}')


SIGN_UP = "mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }"
LOOK_ALIKE = {"name": "Eve", "password": "long enough password", "role": "MENTEE"}


@pytest.mark.parametrize("email", ["a\u200bnn@example.com", "ann\x00@example.com"])
async def test_emails_with_invisible_or_control_characters_are_refused(api, email):
    error = await api.error(SIGN_UP, {"i": {**LOOK_ALIKE, "email": email, "username": "eve"}})
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", "email")
    assert (await api.store.scan("Users")).items == []


async def test_a_full_width_look_alike_is_the_same_account(api):
    ann = await api.sign_up("Ann")
    look_alike = "\uff21nn@example.com"  # full-width A
    error = await api.error(SIGN_UP, {"i": {**LOOK_ALIKE, "email": look_alike, "username": "eve"}})
    assert error["code"] == "CONFLICT"
    signed_in = await api.data(SIGN_IN, {"e": look_alike, "p": "correct horse battery"})
    assert signed_in["signIn"]["user"]["userId"] == ann.id


async def test_only_an_admin_may_look_a_user_up_by_email(api):
    ann = await api.sign_up("Ann")
    bob = await api.sign_up("Bob")
    query = "query($e: String!) { getUserByEmail(email: $e) { userId } }"
    refused = await api.error(query, {"e": ann.email}, as_=bob)
    assert refused["code"] == "FORBIDDEN"
    admin = await api.admin()
    found = await api.data(query, {"e": ann.email.upper()}, as_=admin)
    assert found["getUserByEmail"]["userId"] == ann.id
