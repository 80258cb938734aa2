"""An in-process keyring backend: the one stand-in allowed for the OS keyring, which cannot
run on a headless machine. ``keyring.set_keyring`` makes it the process's keyring."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Secrets in a dict, by (service, user name); ``locked`` refuses every call as a locked
    OS keyring does."""

    priority = 1  # type: ignore[assignment]  # a class attribute stands for keyring's property

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}
        self.locked = False

    def get_password(self, service: str, username: str) -> str | None:
        self._refuse_if_locked()
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._refuse_if_locked()
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._refuse_if_locked()
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError("no such entry")

    def _refuse_if_locked(self) -> None:
        if self.locked:
            raise KeyringLocked("the keyring is locked")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The process's keyring for one test, then the previous one again."""
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)
