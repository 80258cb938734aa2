"""Profile: name, bio, time zone and the Sunday reflection time (edited online: the protocol
does not let a device write the USER item; they come back through sync) and the other
reminder preferences (kept on this device only)."""

from __future__ import annotations

from dataclasses import dataclass

from app.state import online
from app.state.context import UserContext
from domain.clock import zone
from domain.errors import RuleViolation
from domain.reminder_preferences import ReminderPreferences, from_settings, reminder_preferences
from domain.reminders import REFLECTION_TIME_FIELD, parse_reflection_time, reflection_evening
from sync import Entity

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
    reflection_time: str
    """When the Sunday reflection reminder comes ("HH:MM"; the server's job and this device
    both use it)."""
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
        reflection_time=reflection_evening(row.get(REFLECTION_TIME_FIELD)).strftime("%H:%M"),
        pending=user.store.pending(),
    )


def save_reminders(
    user: UserContext, default_time: str, quiet_start: str, quiet_end: str
) -> ReminderPreferences:
    """Validate and keep on this device (RuleViolation names the bad field; nothing stored)."""
    prefs = reminder_preferences(default_time, quiet_start, quiet_end)
    user.store.put_setting(REMINDERS_SETTING, prefs.as_settings())
    return prefs


def reflection_time_changes(current: ProfileModel, text: str) -> dict[str, str]:
    """The Sunday reflection time to send, if it changed (RuleViolation when not a time)."""
    chosen = parse_reflection_time(text)
    return {} if chosen == current.reflection_time else {REFLECTION_TIME_FIELD: chosen}


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
    await online.signed_in(
        user.store,
        lambda server_url, token: online.update_profile(server_url, token, user.user_id, changes),
    )
