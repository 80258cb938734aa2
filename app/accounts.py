"""The accounts signed in on this installation: one device file, ``DeviceStore`` and
``SyncEngine`` (with its background loop) per account, shared by every tab of that account.

A browser is tied to its account by a random session token it keeps itself (localStorage);
only the token's SHA-256 is stored here, in ``<data dir>/accounts.json`` beside the device
files (``<data dir>/accounts/<userId>.db``). Signing in while the server cannot be reached
opens an account already on this device when the password matches its local verifier.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.local_password import make_verifier, matches
from app.reminder_bell import ReminderBell
from app.state import online
from app.state.context import UserContext
from app.state.role import remember_role
from domain.clock import Clock, SystemClock
from sync import (
    AuthError,
    DeviceStore,
    Entity,
    FatalError,
    GqlRemote,
    RetryableError,
    SyncEngine,
    Throttled,
)
from sync.wire import AuthSession

APP_RETRY_CAP_SECONDS = 10.0
"""While changes wait and the server is away, retry at least this often (issue 8)."""
APP_POKE_RETRY_CAP_SECONDS = 2.0
"""While the server is away, an open app tries to listen for its pokes again at least this
often, so a change made just after the server returns reaches it within seconds (issue 11's
5 s goal; ``bench/mentoring.py``)."""

_TIME_ZONE_SETTING = "profile.timeZone"


class SignInError(Exception):
    """Signing in or up did not happen; the message is for the user."""


def time_zone_of(store: DeviceStore, user_id: str) -> str:
    """The profile's zone (synced), else the one chosen at sign-up, else UTC."""
    row = store.get(Entity.USER, {"userId": user_id})
    zone = (row or {}).get("timeZone") or store.setting(_TIME_ZONE_SETTING)
    return str(zone or "UTC")


@dataclass
class Account:
    """One signed-in account of this installation."""

    user_id: str
    email: str
    server_url: str
    store: DeviceStore
    engine: SyncEngine
    remote: GqlRemote
    bell: ReminderBell | None = None
    """Rings this account's reminders (started with the account, on the app's loop)."""

    def time_zone(self) -> str:
        return time_zone_of(self.store, self.user_id)

    def name(self) -> str:
        row = self.store.get(Entity.USER, {"userId": self.user_id})
        return str((row or {}).get("name") or self.email)

    def user(self, clock: Clock) -> UserContext:
        """The account as the screens and the reminders see it, with its zone as of now."""
        return UserContext(self.store, clock, self.user_id, self.time_zone())

    async def stop_syncing(self) -> None:
        if self.bell is not None:
            self.bell.stop()
        await self.engine.stop()
        await self.remote.aclose()

    async def close(self) -> None:
        await self.stop_syncing()
        self.store.close()


class AccountRegistry:
    """Opens accounts on demand and keeps them open for the life of the process."""

    def __init__(
        self,
        data_dir: Path,
        *,
        clock: Clock | None = None,
        retry_cap: float = APP_RETRY_CAP_SECONDS,
        poke: bool = True,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.clock: Clock = clock or SystemClock()
        self.retry_cap = retry_cap
        self.poke = poke
        self._index_path = self.data_dir / "accounts.json"
        self._lock = threading.RLock()
        self._open: dict[str, Account] = {}

    # -- the index: known accounts and bound browsers -------------------------------------

    def _read_index(self) -> dict[str, Any]:
        try:
            index = json.loads(self._index_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            index = {}
        index.setdefault("accounts", {})
        index.setdefault("browsers", {})
        return dict(index)

    def _write_index(self, index: dict[str, Any]) -> None:
        temporary = self._index_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(index, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self._index_path)

    def device_path(self, user_id: str) -> Path:
        if not user_id or "/" in user_id or user_id.startswith("."):
            raise ValueError(f"not a user id: {user_id!r}")
        return self.data_dir / "accounts" / f"{user_id}.db"

    # -- signing in -----------------------------------------------------------------------

    async def sign_in(self, server_url: str, email: str, password: str) -> tuple[Account, str]:
        """Sign in; returns the account and a new browser token to keep in the browser."""
        email = email.strip().lower()
        server_url = server_url.strip().rstrip("/")
        if not email or not password:
            raise SignInError("Enter your email and password.")
        remote = GqlRemote(server_url, timeout=10.0)
        try:
            session = await remote.sign_in(email, password)
        except Throttled as exc:
            minutes = max(1, round(exc.retry_after_seconds / 60))
            raise SignInError(
                f"Too many sign-in attempts. Try again in {minutes} minute"
                f"{'' if minutes == 1 else 's'}."
            ) from exc
        except RetryableError:
            return self._sign_in_offline(server_url, email, password)
        except (AuthError, FatalError) as exc:
            raise SignInError(_sign_in_message(exc)) from exc
        finally:
            await remote.aclose()
        return self._adopt(server_url, email, password, session, time_zone=None)

    async def sign_up(
        self,
        server_url: str,
        *,
        email: str,
        name: str,
        password: str,
        time_zone: str,
    ) -> tuple[Account, str]:
        """Create an account on the server (needs a connection) and sign in to it."""
        email = email.strip().lower()
        server_url = server_url.strip().rstrip("/")
        username = _username_from(email)
        try:
            session = await online.sign_up(
                server_url,
                email=email,
                username=username,
                name=name.strip(),
                password=password,
                time_zone=time_zone,
            )
        except online.Unreachable as exc:
            raise SignInError(f"{exc} Creating an account needs a connection.") from exc
        except online.Refused as exc:
            raise SignInError(str(exc)) from exc
        return self._adopt(server_url, email, password, session, time_zone=time_zone)

    def _adopt(
        self,
        server_url: str,
        email: str,
        password: str,
        session: AuthSession,
        *,
        time_zone: str | None,
    ) -> tuple[Account, str]:
        with self._lock:
            index = self._read_index()
            index["accounts"][session.user_id] = {
                "email": email,
                "serverUrl": server_url,
                "verifier": make_verifier(password),
            }
            self._write_index(index)
        account = self.open_account(session.user_id)
        account.store.adopt_session(server_url, session)
        remember_role(account.store, session.role)
        if time_zone:
            account.store.put_setting(_TIME_ZONE_SETTING, time_zone)
        account.engine.scheduler.request_now()
        return account, self._bind_browser(session.user_id)

    def _sign_in_offline(self, server_url: str, email: str, password: str) -> tuple[Account, str]:
        for user_id, known in self._read_index()["accounts"].items():
            if known.get("email") == email and matches(password, known.get("verifier", "")):
                return self.open_account(user_id), self._bind_browser(user_id)
        raise SignInError(
            f"The server at {server_url} cannot be reached. Signing in for the first time "
            "on this device needs a connection."
        )

    def _bind_browser(self, user_id: str) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            index = self._read_index()
            index["browsers"][_digest(token)] = user_id
            self._write_index(index)
        return token

    # -- browsers -------------------------------------------------------------------------

    def account_for_browser(self, token: str | None) -> Account | None:
        """The account this browser signed in to, or ``None`` (unknown or signed out)."""
        if not token:
            return None
        user_id = self._read_index()["browsers"].get(_digest(token))
        if user_id is None:
            return None
        return self.open_account(user_id)

    async def sign_out(self, token: str) -> None:
        """Unbind this browser. When it was the account's last one, also end the sign-in:
        the server revokes its refresh token (``signOut``, when reachable), the device forgets
        its tokens and the account's sync stops. The device file stays, with its pending
        changes, which the next sign-in sends."""
        with self._lock:
            index = self._read_index()
            user_id = index["browsers"].pop(_digest(token), None)
            self._write_index(index)
            last = user_id is not None and user_id not in index["browsers"].values()
            account = self._open.pop(user_id, None) if user_id is not None and last else None
        if account is None:
            return
        refresh_token = account.store.sync_state().refresh_token
        if refresh_token:
            # Offline, the token stays valid on the server until it expires; the device
            # forgets it all the same.
            with contextlib.suppress(online.OnlineActionError):
                await online.sign_out(account.server_url, refresh_token)
        account.store.forget_tokens()
        # Another tab of this browser may still show the account: its store stays open
        # (reads and queued writes keep working there until it reloads); only sync stops.
        await account.stop_syncing()

    # -- open accounts --------------------------------------------------------------------

    def open_account(self, user_id: str) -> Account:
        """The account's store and engine, opened and started once per process (call on the
        event loop the engine should run on)."""
        with self._lock:
            account = self._open.get(user_id)
            if account is not None:
                return account
            known = self._read_index()["accounts"].get(user_id)
            if known is None:
                raise SignInError("This account is not on this device; sign in again.")
            path = self.device_path(user_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            store = DeviceStore(path, clock=self.clock)
            server_url = store.sync_state().server_url or known["serverUrl"]
            remote = GqlRemote(server_url)
            engine = SyncEngine(
                store,
                remote,
                server_url=server_url,
                retry_cap=self.retry_cap,
                poke=self.poke,
                poke_retry_cap=APP_POKE_RETRY_CAP_SECONDS,
            )
            account = Account(user_id, known["email"], server_url, store, engine, remote)
            account.bell = ReminderBell(lambda: account.user(self.clock))
            self._open[user_id] = account
        engine.start()
        account.bell.start()
        return account

    def known_emails(self) -> list[str]:
        return sorted(k["email"] for k in self._read_index()["accounts"].values())

    async def close(self) -> None:
        with self._lock:
            accounts, self._open = list(self._open.values()), {}
        await asyncio.gather(*(a.close() for a in accounts))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _username_from(email: str) -> str:
    """A username from the email's local part plus a short random tail (usernames are
    unique; the user can change it on the web later)."""
    local = "".join(ch for ch in email.split("@")[0] if ch.isalnum() or ch in "._-")
    return f"{local or 'user'}-{secrets.token_hex(2)}"


def _sign_in_message(error: Exception) -> str:
    text = str(error)
    if "password" in text.lower() or "credentials" in text.lower():
        return "That email and password do not match."
    return text or "The server refused the sign-in."
