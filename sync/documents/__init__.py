"""The GraphQL operations the device sends, one ``.graphql`` file each (checked against the
server's SDL by the tests, never at run time)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

NAMES = (
    "push_changes",
    "pull_changes",
    "sign_in",
    "refresh_token",
    "resolve_sync_issue",
    "sync_poke",
)


@cache
def document(name: str) -> str:
    """The text of ``<name>.graphql``."""
    if name not in NAMES:
        raise KeyError(f"no operation document {name!r}")
    return files(__name__).joinpath(f"{name}.graphql").read_text(encoding="utf-8")
