"""Short-lived signed access tokens and longer-lived refresh tokens (HS256 JWTs).

Every pair belongs to a family (one sign-in) and carries its rotation number; the server
keeps each family's current rotation (``services.refresh_families``) so a refresh token works
once, and reusing an old one ends the sign-in.

Expiry is checked against the injected clock, not the system time, so tests can travel in time.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt

from domain.clock import Clock

from ..errors import Unauthenticated

ACCESS_TTL = timedelta(minutes=15)
REFRESH_TTL = timedelta(days=30)
_ALGORITHM = "HS256"
_REMEMBERED_TOKENS = 10_000


@dataclass(frozen=True)
class TokenClaims:
    """What an access token says: the user, and whether they were an admin when it was issued.

    Admin rights therefore take effect (and are withdrawn) within one access-token lifetime.
    """

    user_id: str
    is_admin: bool


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    family: str
    """The sign-in this pair belongs to: every refresh of it stays in the family."""
    generation: int
    issued_at: int


@dataclass(frozen=True)
class RefreshClaims:
    """What a refresh token says: whose, which sign-in (family) and which rotation of it."""

    user_id: str
    family: str | None
    generation: int


class TokenIssuer:
    """Issues and verifies the tokens of one server (one secret)."""

    def __init__(self, secret: str, clock: Clock) -> None:
        if len(secret) < 32:
            raise ValueError("the token secret must be at least 32 characters")
        self._secret = secret
        self._clock = clock
        self._verified: dict[str, dict[str, Any]] = {}

    def issue(
        self,
        user_id: str,
        *,
        is_admin: bool = False,
        family: str | None = None,
        generation: int = 0,
        issued_at: int | None = None,
    ) -> TokenPair:
        """A pair in ``family`` (a new one when None). The same arguments give the very same
        tokens, so a retried refresh can be answered with the pair it already got."""
        family = family or uuid.uuid4().hex
        if issued_at is None:
            issued_at = int(self._clock.now().timestamp())
        claims = {
            "sub": user_id,
            "adm": is_admin,
            "iat": issued_at,
            "fam": family,
            "gen": generation,
        }
        return TokenPair(
            self._encode(claims, "access", ACCESS_TTL),
            self._encode(claims, "refresh", REFRESH_TTL),
            family,
            generation,
            issued_at,
        )

    def _encode(self, base: dict[str, Any], kind: str, ttl: timedelta) -> str:
        claims = {
            **base,
            "typ": kind,
            "exp": base["iat"] + int(ttl.total_seconds()),
            "jti": f"{base['fam']}.{base['gen']}.{kind}",
        }
        return jwt.encode(claims, self._secret, algorithm=_ALGORITHM)

    def refresh_claims_of(self, token: str) -> RefreshClaims:
        """The family and rotation of a valid refresh token; else ``Unauthenticated``."""
        user_id = self.claims_of(token, kind="refresh").user_id
        claims = self._verified[token]
        family = claims.get("fam")
        return RefreshClaims(user_id, str(family) if family else None, int(claims.get("gen", 0)))

    def claims_of(self, token: str, *, kind: str = "access") -> TokenClaims:
        """Who a valid token of this ``kind`` was issued to; else ``Unauthenticated``."""
        claims = self._verified.get(token)
        if claims is None:
            claims = self._verify_signature(token)
            if len(self._verified) >= _REMEMBERED_TOKENS:
                self._verified.clear()
            self._verified[token] = claims
        if claims["typ"] != kind:
            raise Unauthenticated(f"a {kind} token is needed")
        if claims["exp"] <= self._clock.now().timestamp():
            raise Unauthenticated("the token has expired")
        return TokenClaims(str(claims["sub"]), bool(claims.get("adm", False)))

    def _verify_signature(self, token: str) -> dict[str, Any]:
        """The token's claims once its signature checks out (remembered: HMAC per request adds
        up, and a token's claims never change; expiry is still checked on every use)."""
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._secret,
                algorithms=[_ALGORITHM],
                # Expiry is checked against the injected clock, not the wall clock;
                # the same goes for "issued at", which PyJWT would check against time.time().
                options={
                    "verify_exp": False,
                    "verify_iat": False,
                    "require": ["sub", "typ", "exp"],
                },
            )
        except jwt.PyJWTError as exc:
            raise Unauthenticated("the token is not valid") from exc
        return claims
