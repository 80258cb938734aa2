"""A refresh whose answer is lost: the device retries with the same refresh token and gets the
very pair the server already issued, not a revoked sign-in (issue 10, finding 8). Run against
the real server behind the ``FaultProxy``."""

from __future__ import annotations

import orjson
import pytest

from harness.accounts import PASSWORD
from sync import GqlRemote, RetryableError
from tests.faults.proxy import Fault, FaultProxy
from tests.sync.real_server import sign_up


async def test_a_refresh_retried_after_its_answer_was_lost_gets_the_same_pair(
    proxy: FaultProxy,
) -> None:
    email = sign_up(proxy.upstream)
    remote = GqlRemote(proxy.url, timeout=10.0)
    try:
        session = await remote.sign_in(email, PASSWORD)
        proxy.inject(Fault.DROP_RESPONSE, "RefreshToken")
        with pytest.raises(RetryableError):
            await remote.refresh(session.refresh_token)
        retried = await remote.refresh(session.refresh_token)
        lost = orjson.loads(proxy.sent("RefreshToken")[0].answers[0])["data"]["refreshToken"]
        assert (retried.access_token, retried.refresh_token) == (
            lost["accessToken"],
            lost["refreshToken"],
        )
        assert retried.refresh_token != session.refresh_token
        onward = await remote.refresh(retried.refresh_token)
        assert onward.refresh_token != retried.refresh_token
    finally:
        await remote.aclose()
