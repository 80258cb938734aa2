"""The "Needs attention" list: sync issues the user settles with keep mine, keep theirs or
dismiss, plus a blocked sync (sign in again) and a clock that is far off the server's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.state.context import UserContext
from sync import Entity, Issue

KEEP_MINE = "KEEP_MINE"
KEEP_THEIRS = "KEEP_THEIRS"
DISMISS = "DISMISS"

_WHAT = {
    Entity.HABIT_COMPLETION: "Check-in",
    Entity.REFLECTION: "Reflection",
    Entity.TODO: "To-do",
    Entity.GOAL: "Goal",
    Entity.HABIT: "Habit",
}
_NAMING_FIELDS = ("text", "title", "name", "identityStatement", "date")


@dataclass(frozen=True)
class AttentionItem:
    issue_id: str
    title: str
    """What it is about, e.g. ``To-do "buy milk"``."""
    message: str
    """Why the server did not take the change, in its words."""
    mine: str | None
    """The device's value that did not apply (the field, else a summary)."""
    theirs: str | None
    """What the server kept."""
    can_keep_mine: bool
    """False when there is nothing of mine left to apply (e.g. the item is gone)."""


@dataclass(frozen=True)
class AttentionModel:
    items: tuple[AttentionItem, ...]
    blocked: str | None
    clock_warning: str | None

    @property
    def empty(self) -> bool:
        return not self.items and self.blocked is None and self.clock_warning is None


def load_attention(user: UserContext) -> AttentionModel:
    status = user.store.status()
    items = tuple(_item(issue) for issue in user.store.issues())
    return AttentionModel(items, status.blocked, status.clock_warning)


def resolve(user: UserContext, issue_id: str, resolution: str) -> None:
    """Stored at once; the next sync sends it (``DeviceStore.resolve_issue``)."""
    user.store.resolve_issue(issue_id, resolution)


def _item(issue: Issue) -> AttentionItem:
    return AttentionItem(
        issue_id=issue.issue_id,
        title=_title(issue),
        message=issue.message,
        mine=_shown(issue.mine, issue.field),
        theirs=_shown(issue.theirs, issue.field),
        can_keep_mine=issue.mine is not None,
    )


def _title(issue: Issue) -> str:
    what = _WHAT.get(issue.entity, issue.entity.value.replace("_", " ").capitalize())
    for source in (issue.mine, issue.theirs):
        for name in _NAMING_FIELDS:
            value = (source or {}).get(name)
            if isinstance(value, str) and value:
                return f"{what} “{_short(value)}”"
    return what


def _shown(values: dict[str, Any] | None, field: str | None) -> str | None:
    if values is None:
        return None
    if field and field in values:
        return f"{field}: {_short(str(values[field]))}"
    public = {k: v for k, v in values.items() if not k.startswith("_") and not k.endswith("Id")}
    return _short(", ".join(f"{k}: {v}" for k, v in sorted(public.items())), 120) or None


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
