"""Email addresses: one normalized form for storing and comparing, and a sane syntax.

Two addresses that look the same must be the same account, so an address is compared after
NFKC (folds full-width and compatibility look-alikes) and casefold, and characters that are
invisible or control codes (NUL, zero-width joiners, bidi marks: Unicode categories C* and
whitespace) are refused outright rather than stripped.
"""

from __future__ import annotations

import re
import unicodedata

from domain.errors import RuleViolation

MAX_EMAIL_LENGTH = 254
_LABEL = re.compile(r"[^\W_](?:(?:[^\W_]|-)*[^\W_])?")


def email_key(value: str) -> str:
    """The comparison form of an address (NFKC, casefold, trimmed); no validation."""
    return unicodedata.normalize("NFKC", value).strip().casefold()


def normalize_email(value: object, *, field: str = "email") -> str:
    """The normalized address, or ``RuleViolation`` naming what is wrong with it."""
    if not isinstance(value, str) or not value.strip():
        raise RuleViolation("must not be empty", field=field)
    text = email_key(value)
    if len(text) > MAX_EMAIL_LENGTH:
        raise RuleViolation(f"must be at most {MAX_EMAIL_LENGTH} characters", field=field)
    if any(unicodedata.category(c)[0] in "CZ" for c in text):
        raise RuleViolation("must not contain spaces, invisible or control characters", field=field)
    local, at, domain = text.rpartition("@")
    labels = domain.split(".")
    if (
        not at
        or not local
        or len(local) > 64
        or "@" in local
        or len(labels) < 2
        or not all(_LABEL.fullmatch(label) and len(label) <= 63 for label in labels)
    ):
        raise RuleViolation("not an email address", field=field)
    return text
