"""Password hashing with argon2id (argon2-cffi's recommended parameters).

argon2 takes ~100 ms of CPU by design, so the async functions run it in a small thread pool
(argon2-cffi releases the GIL): a burst of sign-ins must not stall every other request on the
event loop. An unknown email is checked against a dummy hash so it costs the same time as a
known one with a wrong password (no account enumeration by timing).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("growlink dummy password")
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="argon2")


def use_fast_hashing_for_tests() -> None:
    """Cheap argon2 parameters: a test suite signs up hundreds of users. Never in production."""
    global _HASHER, _DUMMY_HASH
    _HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    _DUMMY_HASH = _HASHER.hash("growlink dummy password")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def hash_password_off_loop(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_POOL, hash_password, password)


async def password_matches_off_loop(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; with no hash (unknown email) a dummy check, always False."""
    loop = asyncio.get_running_loop()
    if password_hash is None:
        await loop.run_in_executor(_POOL, password_matches, _DUMMY_HASH, password)
        return False
    return await loop.run_in_executor(_POOL, password_matches, password_hash, password)
