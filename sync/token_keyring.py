"""The device's sign-in tokens in the OS keyring (macOS Keychain, Windows Credential Locker,
the Secret Service of a Linux desktop), so the device file holds none of them.

- A keyring is used only when ``keyring`` found a real one: not its ``fail`` or ``null``
  backend, priority above 0. Headless servers (the web mode's app server), phones and CI have
  none; the tokens then stay in the device file, which is created readable by its owner only.
- One entry per account: service ``Growlink <server URL>``, user name the user id, the secret
  a JSON object with both tokens (one write, so the pair never tears).
- A keyring that refuses (locked, its daemon gone) is treated as absent: the caller keeps the
  tokens in the file rather than losing the sign-in.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import KeyringError, PasswordDeleteError

log = logging.getLogger("growlink.sync")

SERVICE_PREFIX = "Growlink"


@dataclass(frozen=True)
class SignInTokens:
    access_token: str | None
    refresh_token: str | None


def usable_keyring() -> KeyringBackend | None:
    """The OS keyring when one is really there, else ``None``."""
    try:
        backend = keyring.get_keyring()
    except KeyringError:
        return None
    if isinstance(backend, fail.Keyring | null.Keyring) or backend.priority <= 0:
        return None
    return backend


def entry(server_url: str, user_id: str) -> tuple[str, str]:
    """The keyring entry (service, user name) of an account."""
    return f"{SERVICE_PREFIX} {server_url.rstrip('/')}", user_id


def load(server_url: str, user_id: str) -> SignInTokens | None:
    """The account's tokens from the keyring, ``None`` when there is no keyring or no entry."""
    backend = usable_keyring()
    if backend is None:
        return None
    try:
        secret = backend.get_password(*entry(server_url, user_id))
    except KeyringError as exc:
        log.warning("the keyring could not be read (%s)", exc)
        return None
    if secret is None:
        return None
    try:
        stored = json.loads(secret)
        return SignInTokens(stored.get("accessToken"), stored.get("refreshToken"))
    except (ValueError, AttributeError):
        log.warning("the keyring's Growlink entry is unreadable; sign in again")
        return None


def save(server_url: str, user_id: str, tokens: SignInTokens) -> bool:
    """Store the account's tokens; False when there is no keyring or it refused them."""
    backend = usable_keyring()
    if backend is None:
        return False
    secret = json.dumps({"accessToken": tokens.access_token, "refreshToken": tokens.refresh_token})
    try:
        backend.set_password(*entry(server_url, user_id), secret)
    except KeyringError as exc:
        log.warning("the keyring refused the sign-in tokens (%s); they stay in the file", exc)
        return False
    return True


def erase(server_url: str, user_id: str) -> None:
    """Delete the account's entry (signing out); none, or no keyring, is fine."""
    backend = usable_keyring()
    if backend is None:
        return
    try:
        backend.delete_password(*entry(server_url, user_id))
    except PasswordDeleteError:
        pass
    except KeyringError as exc:
        log.warning("the keyring could not delete the sign-in tokens (%s)", exc)
