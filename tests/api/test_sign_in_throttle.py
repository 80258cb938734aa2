"""Password guessing is throttled per account and per client address (issue 10, finding 3)."""

from datetime import UTC, datetime, timedelta

import pytest

from backend.auth.throttle import SignInThrottle, ThrottleLimits
from backend.errors import TooManyRequests
from backend.storage.expiry import ExpiresItems
from backend.storage.tables import Table

SIGN_IN = """mutation($e: String!, $p: String!) {
  signIn(email: $e, password: $p) { accessToken user { userId } } }"""
RIGHT = "correct horse battery"
T0 = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


async def _guess(api, email, times):
    for n in range(times):
        error = await api.error(SIGN_IN, {"e": email, "p": f"wrong guess {n}"})
        assert error["code"] == "UNAUTHENTICATED"


async def test_ten_wrong_passwords_lock_the_account_with_a_retry_after(api, clock):
    ann = await api.sign_up("Ann")
    await _guess(api, ann.email, 10)
    body = await api.call(SIGN_IN, {"e": ann.email.upper(), "p": RIGHT})
    error = body["errors"][0]
    assert error["extensions"]["code"] == "TOO_MANY_REQUESTS"
    assert 0 < error["extensions"]["retryAfter"] <= 15 * 60
    assert body["data"] is None
    clock.advance(seconds=error["extensions"]["retryAfter"])
    ok = await api.data(SIGN_IN, {"e": ann.email, "p": RIGHT})
    assert ok["signIn"]["user"]["userId"] == ann.id


async def test_an_unknown_email_is_throttled_exactly_like_a_known_one(api):
    await _guess(api, "nobody@example.com", 10)
    error = await api.error(SIGN_IN, {"e": "nobody@example.com", "p": RIGHT})
    assert error["code"] == "TOO_MANY_REQUESTS"


async def test_one_address_guessing_many_accounts_is_throttled(api):
    ann = await api.sign_up("Ann")
    for n in range(50):
        await _guess(api, f"victim{n}@example.com", 1)
    error = await api.error(SIGN_IN, {"e": ann.email, "p": RIGHT})
    assert error["code"] == "TOO_MANY_REQUESTS"


async def test_the_right_password_clears_the_account_count(api):
    ann = await api.sign_up("Ann")
    await _guess(api, ann.email, 9)
    assert (await api.data(SIGN_IN, {"e": ann.email, "p": RIGHT}))["signIn"]
    await _guess(api, ann.email, 9)
    assert (await api.data(SIGN_IN, {"e": ann.email, "p": RIGHT}))["signIn"]


async def test_failures_leave_the_window_one_by_one(store):
    throttle = SignInThrottle(ThrottleLimits(per_account=2, per_address=100))
    await throttle.failed(store, "ann", "10.0.0.1", T0)
    await throttle.failed(store, "ann", "10.0.0.2", T0 + timedelta(minutes=5))
    with pytest.raises(TooManyRequests) as refused:
        await throttle.check(store, "ann", "10.0.0.3", T0 + timedelta(minutes=6))
    assert refused.value.retry_after_seconds == 9 * 60
    await throttle.check(store, "ann", "10.0.0.3", T0 + timedelta(minutes=15))
    await throttle.check(store, "bob", "10.0.0.1", T0 + timedelta(minutes=6))


async def test_an_address_limit_holds_across_accounts_and_no_address_skips_it(store):
    throttle = SignInThrottle(ThrottleLimits(per_account=100, per_address=2))
    await throttle.failed(store, "ann", "10.0.0.1", T0)
    await throttle.failed(store, "bob", "10.0.0.1", T0)
    with pytest.raises(TooManyRequests):
        await throttle.check(store, "cat", "10.0.0.1", T0)
    await throttle.check(store, "cat", None, T0)


async def test_two_servers_on_one_store_share_the_count(store):
    """Each process has its own ``SignInThrottle``; the counts are the store's."""
    limits = ThrottleLimits(per_account=4, per_address=100)
    first, second = SignInThrottle(limits), SignInThrottle(limits)
    for n in range(2):
        await first.failed(store, "ann", "10.0.0.1", T0 + timedelta(seconds=n))
        await second.failed(store, "ann", "10.0.0.2", T0 + timedelta(seconds=n))
    for throttle in (first, second):
        with pytest.raises(TooManyRequests):
            await throttle.check(store, "ann", "10.0.0.3", T0 + timedelta(seconds=5))
    await second.succeeded(store, "ann", T0 + timedelta(seconds=6))
    await first.check(store, "ann", "10.0.0.3", T0 + timedelta(seconds=7))


async def test_the_counts_expire_with_the_window_and_hold_no_email(store):
    throttle = SignInThrottle()
    await throttle.failed(store, "ann@example.com", "10.0.0.1", T0)
    page = await store.scan(Table.USERS)
    counters = [i for i in page.items if i["userId"].startswith("#throttle#")]
    assert len(counters) == 2 and all(i["failures"] == 1 for i in counters)
    assert not any("ann@example.com" in i["userId"] for i in counters)
    window_end = int((T0 + timedelta(minutes=15)).timestamp())
    assert {i["_ttl"] for i in counters} == {window_end}
    if isinstance(store, ExpiresItems):  # SQLite purges what DynamoDB's TTL deletes
        assert await store.purge_expired(window_end - 1) == {}
        assert (await store.purge_expired(window_end)).get(Table.USERS) == 2
