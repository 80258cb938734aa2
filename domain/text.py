"""Free-text input rules: required means non-blank, every text has a length cap so one entry
cannot bloat a sync batch, and every text that comes in is clean Unicode (``clean_text``)."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from typing import Any

from domain.errors import RuleViolation

MAX_TEXT_LENGTH = 10_000


def check_text_length(value: str | None, *, field: str, max_length: int = MAX_TEXT_LENGTH) -> None:
    """Optional text: fine when absent, too long is refused."""
    if value is not None and len(value) > max_length:
        raise RuleViolation(f"must be at most {max_length} characters", field=field)


def require_text(value: object, *, field: str, max_length: int = MAX_TEXT_LENGTH) -> str:
    """Required text: a string that is not blank and not too long; returns it unchanged."""
    if not isinstance(value, str) or not value.strip():
        raise RuleViolation("must not be empty", field=field)
    check_text_length(value, field=field, max_length=max_length)
    return value


_ALLOWED_CONTROLS = frozenset("\n\t")


def _is_surrogate(char: str) -> bool:
    return 0xD800 <= ord(char) <= 0xDFFF


def _refusal(char: str) -> str | None:
    """Why ``char`` cannot be stored in a text, or ``None`` when it can."""
    code = ord(char)
    if _is_surrogate(char):
        return "contains a broken character (a lone UTF-16 surrogate)"
    if char in _ALLOWED_CONTROLS:
        return None
    if code < 0x20 or 0x7F <= code < 0xA0:
        return "contains a control character" if code else "contains a NUL character"
    return None


VERBATIM_FIELDS = frozenset({"password"})
"""Never rewritten nor refused for control characters: a password must reach the hash exactly
as it was set (a lone surrogate, which cannot be hashed, is still refused)."""


def clean_text(value: str, *, field: str) -> str:
    """``value`` NFC-normalized, line breaks as ``\\n``; lone surrogates, NUL and other control
    characters (except newline and tab) are refused: they cannot be stored or shown."""
    verbatim = field.rsplit(".", 1)[-1] in VERBATIM_FIELDS
    text = value if verbatim else value.replace("\r\n", "\n").replace("\r", "\n")
    for char in text:
        reason = _refusal(char)
        if reason is not None and (not verbatim or _is_surrogate(char)):
            raise RuleViolation(reason, field=field)
    return text if verbatim else unicodedata.normalize("NFC", text)


def clean_value(value: Any, *, field: str) -> Any:
    """A JSON-like input (texts, numbers, lists, objects) with every text cleaned
    (``clean_text``) and non-finite numbers (NaN, Infinity) refused."""
    if isinstance(value, str):
        return clean_text(value, field=field)
    if isinstance(value, float) and not math.isfinite(value):
        raise RuleViolation("must be a finite number", field=field)
    if isinstance(value, Mapping):
        return {
            clean_text(str(k), field=field): clean_value(v, field=_child(field, str(k)))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [clean_value(v, field=field) for v in value]
    return value


def _child(field: str, name: str) -> str:
    return name if not field else f"{field}.{name}"


def storable_copy(value: Any) -> Any:
    """``value`` with what ``clean_value`` refuses replaced (U+FFFD, or ``None`` for a
    non-finite number), so a refused input can still be kept in a sync issue."""
    if isinstance(value, str):
        return "".join("\ufffd" if _refusal(c) else c for c in value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {storable_copy(str(k)): storable_copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable_copy(v) for v in value]
    return value
