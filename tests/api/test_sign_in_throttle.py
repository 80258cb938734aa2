"""Password guessing is throttled per account and per client address (issue 10, finding 3)."""

from datetime import UTC, datetime, timedelta

import pytest

from backend.auth.throttle import SignInThrottle, ThrottleLimits
from backend.errors import TooManyRequests

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


def test_failures_leave_the_window_one_by_one():
    throttle = SignInThrottle(ThrottleLimits(per_account=2, per_address=100))
    throttle.failed("ann", "10.0.0.1", T0)
    throttle.failed("ann", "10.0.0.2", T0 + timedelta(minutes=5))
    with pytest.raises(TooManyRequests) as refused:
        throttle.check("ann", "10.0.0.3", T0 + timedelta(minutes=6))
    assert refused.value.retry_after_seconds == 9 * 60
    throttle.check("ann", "10.0.0.3", T0 + timedelta(minutes=15))
    throttle.check("bob", "10.0.0.1", T0 + timedelta(minutes=6))


def test_an_address_limit_holds_across_accounts_and_no_address_skips_it():
    throttle = SignInThrottle(ThrottleLimits(per_account=100, per_address=2))
    throttle.failed("ann", "10.0.0.1", T0)
    throttle.failed("bob", "10.0.0.1", T0)
    with pytest.raises(TooManyRequests):
        throttle.check("cat", "10.0.0.1", T0)
    throttle.check("cat", None, T0)
