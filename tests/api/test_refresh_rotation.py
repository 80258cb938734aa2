"""Refresh tokens rotate, a reused one ends the sign-in, and signOut ends it (finding 8)."""

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
