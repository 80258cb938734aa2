"""A local check of a password, so an account already on this device opens offline.

Only a salted PBKDF2-SHA256 verifier is kept (never the password); the server stays the
authority whenever it can be reached.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ITERATIONS = 200_000


def make_verifier(password: str) -> str:
    """``pbkdf2$<iterations>$<salt hex>$<hash hex>`` for ``password``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ITERATIONS)
    return f"pbkdf2${ITERATIONS}${salt.hex()}${digest.hex()}"


def matches(password: str, verifier: str) -> bool:
    """Whether ``password`` is the one ``verifier`` was made from (malformed: no)."""
    try:
        scheme, iterations, salt, expected = verifier.split("$")
        if scheme != "pbkdf2":
            return False
        digest = hashlib.pbkdf2_hmac(
            "sha256", password.encode(), bytes.fromhex(salt), int(iterations)
        )
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), expected)
