"""Refresh tokens rotate, a reused one ends the sign-in, and signOut ends it (finding 8);
the stored families expire (issue 10)."""

from backend.auth.tokens import REFRESH_TTL
from backend.storage.expiry import ExpiresItems
from backend.storage.tables import TTL_ATTRIBUTE, Table

REFRESH = "mutation($t: String!) { refreshToken(token: $t) { accessToken refreshToken } }"
SIGN_IN = """mutation($e: String!, $p: String!) {
  signIn(email: $e, password: $p) { accessToken refreshToken } }"""
SIGN_OUT = "mutation($t: String!) { signOut(refreshToken: $t) }"


async def _sign_in(api, person):
    return (await api.data(SIGN_IN, {"e": person.email, "p": "correct horse battery"}))["signIn"]


async def _refresh(api, token):
    return (await api.data(REFRESH, {"t": token}))["refreshToken"]


async def test_a_refresh_token_rotates_and_a_retry_within_the_grace_gets_the_same_pair(api, clock):
    ann = await api.sign_up("Ann")
    first = await _sign_in(api, ann)
    clock.advance(minutes=20)
    second = await _refresh(api, first["refreshToken"])
    assert second["refreshToken"] != first["refreshToken"]
    clock.advance(seconds=10)
    assert await _refresh(api, first["refreshToken"]) == second
    third = await _refresh(api, second["refreshToken"])
    assert third["refreshToken"] not in (first["refreshToken"], second["refreshToken"])


async def test_reusing_an_old_refresh_token_revokes_the_whole_sign_in(api, clock):
    ann = await api.sign_up("Ann")
    first = await _sign_in(api, ann)
    second = await _refresh(api, first["refreshToken"])
    clock.advance(minutes=5)
    reuse = await api.error(REFRESH, {"t": first["refreshToken"]})
    assert reuse["code"] == "UNAUTHENTICATED" and "already used" in reuse["message"]
    ended = await api.error(REFRESH, {"t": second["refreshToken"]})
    assert ended["code"] == "UNAUTHENTICATED"
    other = await _sign_in(api, ann)
    assert await _refresh(api, other["refreshToken"])


async def test_a_refresh_token_two_rotations_old_is_a_reuse_even_within_the_grace(api):
    ann = await api.sign_up("Ann")
    first = await _sign_in(api, ann)
    second = await _refresh(api, first["refreshToken"])
    await _refresh(api, second["refreshToken"])
    assert (await api.error(REFRESH, {"t": first["refreshToken"]}))["code"] == "UNAUTHENTICATED"


async def test_sign_out_ends_that_sign_in_only(api):
    ann = await api.sign_up("Ann")
    laptop, phone = await _sign_in(api, ann), await _sign_in(api, ann)
    assert (await api.data(SIGN_OUT, {"t": laptop["refreshToken"]}))["signOut"] is True
    assert (await api.data(SIGN_OUT, {"t": laptop["refreshToken"]}))["signOut"] is True
    assert (await api.error(REFRESH, {"t": laptop["refreshToken"]}))["code"] == "UNAUTHENTICATED"
    assert await _refresh(api, phone["refreshToken"])


async def test_a_refresh_token_without_a_family_is_refused(api):
    import jwt

    from tests.api.asgi import SECRET

    ann = await api.sign_up("Ann")
    now = int(api.clock.now().timestamp())
    legacy = jwt.encode(
        {"sub": ann.id, "typ": "refresh", "iat": now, "exp": now + 3600, "jti": "x"},
        SECRET,
        algorithm="HS256",
    )
    assert (await api.error(REFRESH, {"t": legacy}))["code"] == "UNAUTHENTICATED"


async def _family_item(api, refresh_token):
    family = api.services.tokens.refresh_claims_of(refresh_token).family
    return await api.services.store.get(Table.USERS, {"userId": f"#refresh#{family}"})


async def test_a_family_expires_with_its_newest_token_and_each_rotation_moves_that(api, clock):
    ann = await api.sign_up("Ann")
    first = await _sign_in(api, ann)
    item = await _family_item(api, first["refreshToken"])
    assert item["_ttl"] == int((clock.now() + REFRESH_TTL).timestamp())
    clock.advance(days=10)
    second = await _refresh(api, first["refreshToken"])
    moved = await _family_item(api, second["refreshToken"])
    assert moved["_ttl"] == int((clock.now() + REFRESH_TTL).timestamp())
    store = api.services.store
    if isinstance(store, ExpiresItems):  # SQLite: the purge job deletes what has expired
        await store.purge_expired(item["_ttl"])
        assert await _family_item(api, second["refreshToken"]) == moved
        await store.purge_expired(moved["_ttl"])
        assert await _family_item(api, second["refreshToken"]) is None
    else:  # DynamoDB deletes it by itself: the Users table's time to live is that attribute
        spec = store.tables[Table.USERS]
        ttl = await store._call("describe_time_to_live", TableName=store.table_name(spec))
        assert ttl["TimeToLiveDescription"]["AttributeName"] == TTL_ATTRIBUTE == "_ttl"


async def test_an_expired_family_is_absent_though_storage_has_not_deleted_it_yet(api, clock):
    ann = await api.sign_up("Ann")
    first = await _sign_in(api, ann)
    item = await _family_item(api, first["refreshToken"])
    past = int(clock.now().timestamp()) - 1  # DynamoDB deletes expired items within days
    await api.services.store.update(Table.USERS, {"userId": item["userId"]}, set={"_ttl": past})
    ended = await api.error(REFRESH, {"t": first["refreshToken"]})
    assert ended["code"] == "UNAUTHENTICATED" and "ended" in ended["message"]
    assert (await api.data(SIGN_OUT, {"t": first["refreshToken"]}))["signOut"] is True
