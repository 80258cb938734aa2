"""Device files signed in without a server: the session a sign-in would have stored."""

from __future__ import annotations

from sync.store import DeviceStore
from sync.wire import AuthSession

USER = "user-1"


def signed_in(store: DeviceStore, user_id: str = USER, token: str = "token-1") -> DeviceStore:
    store.adopt_session("http://fake", AuthSession(token, "refresh-1", user_id))
    return store
