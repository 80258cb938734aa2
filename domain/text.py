"""Free-text input rules: required means non-blank, every text has a length cap so one entry
cannot bloat a sync batch, and every text that comes in is clean Unicode (``clean_text``)."""

from __future__ import annotations

import math
import re
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


_REFUSED = re.compile("[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Lone surrogates, NUL and the control characters (Unicode Cc) but tab and newline; a
regular expression because every text that comes in is searched."""
_SURROGATE = re.compile("[\ud800-\udfff]")


def _reason(refused: str) -> str:
    """Why a character ``_REFUSED`` matched cannot be stored."""
    if _SURROGATE.match(refused):
        return "contains a broken character (a lone UTF-16 surrogate)"
    return "contains a NUL character" if refused == "\x00" else "contains a control character"


VERBATIM_FIELDS = frozenset({"password"})
"""Never rewritten nor refused for control characters: a password must reach the hash exactly
as it was set (a lone surrogate, which cannot be hashed, is still refused)."""


def clean_text(value: str, *, field: str) -> str:
    """``value`` NFC-normalized, line breaks as ``\\n``; lone surrogates, NUL and other control
    characters (except newline and tab) are refused: they cannot be stored or shown."""
    verbatim = field.rsplit(".", 1)[-1] in VERBATIM_FIELDS
    text = value if verbatim else value.replace("\r\n", "\n").replace("\r", "\n")
    found = (_SURROGATE if verbatim else _REFUSED).search(text)
    if found is not None:
        raise RuleViolation(_reason(found.group()), field=field)
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
        return _REFUSED.sub("\ufffd", value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {storable_copy(str(k)): storable_copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable_copy(v) for v in value]
    return value
