"""The signed-in account's role (MENTEE, MENTOR or BOTH), which decides its navigation.

The profile row brings it with the first pull; until then the sign-in answer's role, kept as a
device setting, stands in, so a mentor never meets the mentee's tabs on his first sign-in."""

from __future__ import annotations

from sync import DeviceStore, Entity

from .context import UserContext

ROLE_SETTING = "profile.role"
DEFAULT_ROLE = "MENTEE"


def remember_role(store: DeviceStore, role: str | None) -> None:
    """Keep the role the sign-in answered (nothing to keep when it had none)."""
    if role:
        store.put_setting(ROLE_SETTING, role)


def role_of(user: UserContext) -> str:
    """The profile's role on the device, else the sign-in's, else MENTEE."""
    profile = user.store.get(Entity.USER, {"userId": user.user_id}) or {}
    return str(profile.get("role") or user.store.setting(ROLE_SETTING) or DEFAULT_ROLE)
