"""Links users give (habit evidence, meeting links): one rule, so every field accepts the same.

A link is an absolute http(s) URL with a host, at most 2048 characters, with no whitespace or
control characters inside; surrounding whitespace is dropped. The scheme is matched without
regard to case (``HTTPS://`` is a URL too). Anything else (``ftp:``, ``javascript:``, a bare
``example.com``, ``https://`` with no host) is refused on the field it came in.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from domain.errors import RuleViolation

MAX_LINK_LENGTH = 2048
SCHEMES = ("http", "https")


def require_http_url(value: object, *, field: str, max_length: int = MAX_LINK_LENGTH) -> str:
    """``value`` without surrounding whitespace, if it is an http(s) URL; else ``RuleViolation``."""
    if not isinstance(value, str):
        raise RuleViolation("must be an http(s) URL", field=field)
    link = value.strip()
    if len(link) > max_length:
        raise RuleViolation(f"must be at most {max_length} characters", field=field)
    if any(ch.isspace() or not ch.isprintable() for ch in link):
        raise RuleViolation("an http(s) URL has no spaces", field=field)
    try:
        parts = urlsplit(link)
    except ValueError:
        raise RuleViolation("must be an http(s) URL", field=field) from None
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise RuleViolation("must be an http(s) URL", field=field)
    return link
