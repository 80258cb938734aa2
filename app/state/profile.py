"""Profile: name, bio and time zone (edited online: the protocol does not let a device write
the USER item) and reminder preferences (kept on this device only)."""

from __future__ import annotations

from dataclasses import dataclass

from app.state import online
from app.state.context import UserContext
from domain.clock import zone
from domain.errors import RuleViolation
from domain.reminder_preferences import ReminderPreferences, from_settings, reminder_preferences
from sync import Entity, GqlRemote, RetryableError, SyncError

REMINDERS_SETTING = "reminders"
NAME_LIMIT = 80
BIO_LIMIT = 500


@dataclass(frozen=True)
class ProfileModel:
    email: str
    name: str
    bio: str
    time_zone: str
    reminders: ReminderPreferences
    pending: int
    """Changes not on the server yet: signing out warns about them."""


def load_profile(user: UserContext) -> ProfileModel:
    row = user.store.get(Entity.USER, {"userId": user.user_id}) or {}
    return ProfileModel(
        email=str(row.get("email") or ""),
        name=str(row.get("name") or ""),
        bio=str(row.get("bio") or ""),
        time_zone=str(row.get("timeZone") or user.time_zone),
        reminders=from_settings(user.store.setting(REMINDERS_SETTING)),
        pending=user.store.pending(),
    )


def save_reminders(
    user: UserContext, default_time: str, quiet_start: str, quiet_end: str
) -> ReminderPreferences:
    """Validate and keep on this device (RuleViolation names the bad field; nothing stored)."""
    prefs = reminder_preferences(default_time, quiet_start, quiet_end)
    user.store.put_setting(REMINDERS_SETTING, prefs.as_settings())
    return prefs


def profile_changes(current: ProfileModel, name: str, bio: str, time_zone: str) -> dict[str, str]:
    """The fields that differ from ``current``, validated (RuleViolation on the bad field)."""
    name, bio, time_zone = name.strip(), bio.strip(), time_zone.strip()
    if not name:
        raise RuleViolation("Your name cannot be empty", field="name")
    if len(name) > NAME_LIMIT:
        raise RuleViolation(f"Keep your name under {NAME_LIMIT} characters", field="name")
    if len(bio) > BIO_LIMIT:
        raise RuleViolation(f"Keep your bio under {BIO_LIMIT} characters", field="bio")
    zone(time_zone)
    wanted = {"name": name, "bio": bio, "timeZone": time_zone}
    before = {"name": current.name, "bio": current.bio, "timeZone": current.time_zone}
    return {k: v for k, v in wanted.items() if v != before[k]}


async def save_profile(user: UserContext, changes: dict[str, str]) -> None:
    """Send ``changes`` to the server now (``online.Unreachable`` offline: keep the draft).
    The new profile comes back to the device through the next pull (the server pokes)."""
    if not changes:
        return
    record = user.store.sync_state()
    if record.server_url is None or record.access_token is None:
        raise online.Unreachable("Sign in again to edit your profile.")
    try:
        await online.update_profile(record.server_url, record.access_token, user.user_id, changes)
    except online.Refused as exc:
        if exc.code != "UNAUTHENTICATED" or record.refresh_token is None:
            raise
        token = await _refreshed_token(user, record.server_url, record.refresh_token)
        await online.update_profile(record.server_url, token, user.user_id, changes)


async def _refreshed_token(user: UserContext, server_url: str, refresh_token: str) -> str:
    remote = GqlRemote(server_url, timeout=10.0)
    try:
        session = await remote.refresh(refresh_token)
    except RetryableError as exc:
        raise online.Unreachable(f"The server at {server_url} cannot be reached.") from exc
    except SyncError as exc:
        raise online.Refused("Sign in again to edit your profile.", code=exc.code) from exc
    finally:
        await remote.aclose()
    user.store.adopt_session(server_url, session)
    return session.access_token
