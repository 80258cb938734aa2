"""Device tokens live in the OS keyring where one exists, else in the 0600 device file
(issue 10). The keyring here is ``MemoryKeyring`` set with ``keyring.set_keyring``; the
device files are real SQLite files, read back raw to see what they hold."""

from __future__ import annotations

import contextlib
import sqlite3
import stat
from pathlib import Path

import keyring
from keyring.backends import fail, null

from sync.store import DeviceStore
from sync.wire import AuthSession
from tests.sync.memory_keyring import MemoryKeyring

SERVER = "http://growlink.test"
ENTRY = ("Growlink http://growlink.test", "user-1")
SESSION = AuthSession("access-token-AAAA", "refresh-token-RRRR", "user-1")


def file_columns(path: Path) -> tuple[str | None, str | None]:
    with contextlib.closing(sqlite3.connect(path)) as raw:
        row = raw.execute("SELECT access_token, refresh_token FROM sync_state").fetchone()
    return row[0], row[1]


def file_bytes(path: Path) -> bytes:
    """The database and whatever of it is still in its WAL."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_with_a_keyring_the_device_file_holds_no_token(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    path = tmp_path / "device.db"
    with DeviceStore(path) as store:
        store.adopt_session(SERVER, SESSION)
        record = store.sync_state()
        assert (record.access_token, record.refresh_token) == (
            "access-token-AAAA",
            "refresh-token-RRRR",
        )
        assert file_columns(path) == (None, None)
    assert ENTRY in memory_keyring.secrets
    assert b"token-AAAA" not in file_bytes(path) and b"token-RRRR" not in file_bytes(path)


def test_tokens_already_in_a_file_move_to_the_keyring_at_the_next_start(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    path = tmp_path / "device.db"
    keyring.set_keyring(null.Keyring())  # the file was written where no keyring existed
    with DeviceStore(path) as store:
        store.adopt_session(SERVER, SESSION)
    assert file_columns(path) == ("access-token-AAAA", "refresh-token-RRRR")
    assert b"token-RRRR" in file_bytes(path)

    keyring.set_keyring(memory_keyring)
    with DeviceStore(path) as store:
        assert file_columns(path) == (None, None)
        assert store.sync_state().refresh_token == "refresh-token-RRRR"
    assert b"token-AAAA" not in file_bytes(path) and b"token-RRRR" not in file_bytes(path)


def test_signing_out_deletes_the_tokens_from_the_keyring(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    with DeviceStore(tmp_path / "device.db") as store:
        store.adopt_session(SERVER, SESSION)
        store.forget_tokens()
        record = store.sync_state()
        assert (record.access_token, record.refresh_token) == (None, None)
        assert record.user_id == "user-1"  # the data stays for the next sign-in
    assert memory_keyring.secrets == {}


def test_a_refreshed_pair_replaces_the_old_one_in_the_keyring(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    path = tmp_path / "device.db"
    with DeviceStore(path) as store:
        store.adopt_session(SERVER, SESSION)
        store.replace_tokens(AuthSession("access-2", "refresh-2", "user-1"))
        assert store.sync_state().refresh_token == "refresh-2"
        assert file_columns(path) == (None, None)
    assert "refresh-2" in memory_keyring.secrets[ENTRY]


def test_signing_in_again_at_the_same_server_keeps_the_entry(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    with DeviceStore(tmp_path / "device.db") as store:
        store.adopt_session(SERVER, SESSION)
        store.adopt_session(SERVER + "/", AuthSession("access-2", "refresh-2", "user-1"))
        assert store.sync_state().refresh_token == "refresh-2"
    assert list(memory_keyring.secrets) == [ENTRY]


def test_another_user_signing_in_on_the_device_removes_the_first_ones_entry(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    with DeviceStore(tmp_path / "device.db") as store:
        store.adopt_session(SERVER, SESSION)
        store.adopt_session(SERVER, AuthSession("access-b", "refresh-b", "user-2"))
        assert store.sync_state().refresh_token == "refresh-b"
    assert list(memory_keyring.secrets) == [("Growlink http://growlink.test", "user-2")]


def test_without_a_keyring_the_tokens_stay_in_the_owner_only_file(tmp_path: Path) -> None:
    path = tmp_path / "device.db"
    for backend in (fail.Keyring(), null.Keyring()):
        keyring.set_keyring(backend)
        with DeviceStore(path) as store:
            store.adopt_session(SERVER, SESSION)
            assert store.sync_state().refresh_token == "refresh-token-RRRR"
        assert file_columns(path) == ("access-token-AAAA", "refresh-token-RRRR")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    keyring.set_keyring(null.Keyring())


def test_a_locked_keyring_keeps_the_sign_in_in_the_file_until_it_opens(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    path = tmp_path / "device.db"
    memory_keyring.locked = True
    with DeviceStore(path) as store:
        store.adopt_session(SERVER, SESSION)
        assert store.sync_state().refresh_token == "refresh-token-RRRR"  # still signed in
    assert file_columns(path) == ("access-token-AAAA", "refresh-token-RRRR")
    memory_keyring.locked = False
    with DeviceStore(path) as store:
        assert store.sync_state().refresh_token == "refresh-token-RRRR"
    assert file_columns(path) == (None, None) and ENTRY in memory_keyring.secrets
