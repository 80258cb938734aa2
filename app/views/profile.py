"""``/profile``: name, bio and time zone (saved online), reminder preferences (the reminder
time and quiet hours kept on this device, the Sunday reflection time saved online) and sign
out (warning when changes are still pending)."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.state import online
from app.state.context import ScreenContext
from app.state.profile import (
    load_profile,
    profile_changes,
    reflection_time_changes,
    save_profile,
    save_reminders,
)
from app.views import theme
from app.views.fields import text_field
from domain.errors import RuleViolation


def _labelled_button(identifier: str, label: str, button: ft.Control) -> ft.Control:
    return ft.Semantics(identifier=identifier, label=label, content=button)


async def _sent_online(
    ctx: ScreenContext, changes: dict[str, str], set_note: Callable[[str], None], offline: str
) -> bool:
    """Send profile ``changes`` now; when that fails the note says why (drafts stay)."""
    try:
        await save_profile(ctx.user, changes)
    except online.Unreachable:
        set_note(offline)
        return False
    except online.Refused as exc:
        set_note(str(exc))
        return False
    set_note("")
    return True


@ft.component
def ProfileScreen(ctx: ScreenContext, sign_out: Callable[[], None]) -> ft.Control:
    model = ft.use_memo(lambda: load_profile(ctx.user), [ctx.revision])
    name, set_name = ft.use_state(model.name)
    bio, set_bio = ft.use_state(model.bio)
    zone, set_zone = ft.use_state(model.time_zone)
    profile_note, set_profile_note = ft.use_state("")
    saving, set_saving = ft.use_state(False)
    remind_at, set_remind_at = ft.use_state(model.reminders.as_settings()["defaultTime"])
    quiet_from, set_quiet_from = ft.use_state(model.reminders.as_settings()["quietStart"])
    quiet_to, set_quiet_to = ft.use_state(model.reminders.as_settings()["quietEnd"])
    reflect_at, set_reflect_at = ft.use_state(model.reflection_time)
    reminder_note, set_reminder_note = ft.use_state("")
    confirming, set_confirming = ft.use_state(False)

    async def save() -> None:
        try:
            changes = profile_changes(model, name, bio, zone)
        except RuleViolation as exc:
            set_profile_note(str(exc))
            return
        if not changes:
            set_profile_note("Nothing changed.")
            return
        set_saving(True)
        try:
            offline = (
                "You are offline: your profile is edited on the server. Your draft is kept "
                "here; save again when you are back online."
            )
            if await _sent_online(ctx, changes, set_profile_note, offline):
                ctx.notify("Profile saved")
        finally:
            set_saving(False)

    async def save_reminder_preferences() -> None:
        try:
            online_changes = reflection_time_changes(model, reflect_at)
            save_reminders(ctx.user, remind_at, quiet_from, quiet_to)
        except RuleViolation as exc:
            set_reminder_note(str(exc))
            return
        set_reminder_note("")
        if not online_changes:
            ctx.notify("Reminder preferences saved on this device")
            return
        offline = (
            "Saved on this device, but you are offline: the Sunday reflection time is kept "
            "with your profile on the server. Save again when you are back online."
        )
        if await _sent_online(ctx, online_changes, set_reminder_note, offline):
            ctx.notify("Reminder preferences saved")

    def ask_sign_out() -> None:
        if model.pending:
            set_confirming(True)
        else:
            sign_out()

    profile_card = theme.card(
        ft.Column(
            [
                theme.section_title("Profile"),
                theme.muted(model.email) if model.email else ft.Container(),
                text_field("profile-name", "Name", name, set_name),
                text_field("profile-bio", "Bio", bio, set_bio, multiline=True),
                text_field("profile-time-zone", "Time zone", zone, set_zone),
                ft.Text(
                    profile_note, color=theme.WARNING, size=theme.BODY, visible=bool(profile_note)
                ),
                theme.muted("Saved on the server (needs a connection)."),
                ft.Row(
                    [
                        _labelled_button(
                            "profile-save",
                            "Save profile",
                            ft.FilledButton(
                                "Saving…" if saving else "Save profile",
                                on_click=save,
                                disabled=saving,
                            ),
                        ),
                    ],
                    alignment=ft.MainAxisAlignment.END,
                ),
            ],
            spacing=theme.GAP * 1.5,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )
    )
    reminders_card = theme.card(
        ft.Column(
            [
                theme.section_title("Reminders"),
                theme.muted(
                    "Habits without a time in their cue ring at “Remind at”; nothing rings "
                    "during quiet hours. Your weekly reflection reminder comes on Sundays."
                ),
                ft.Row(
                    [
                        text_field(
                            "reminder-time", "Remind at", remind_at, set_remind_at, expand=True
                        ),
                        text_field(
                            "reflection-time",
                            "Sunday reflection at",
                            reflect_at,
                            set_reflect_at,
                            expand=True,
                        ),
                    ],
                    spacing=theme.GAP,
                ),
                ft.Row(
                    [
                        text_field(
                            "quiet-start", "Quiet from", quiet_from, set_quiet_from, expand=True
                        ),
                        text_field("quiet-end", "Quiet until", quiet_to, set_quiet_to, expand=True),
                    ],
                    spacing=theme.GAP,
                ),
                ft.Text(
                    reminder_note, color=theme.DANGER, size=theme.BODY, visible=bool(reminder_note)
                ),
                ft.Row(
                    [
                        _labelled_button(
                            "reminders-save",
                            "Save reminder preferences",
                            ft.FilledTonalButton(
                                "Save reminders", on_click=save_reminder_preferences
                            ),
                        )
                    ],
                    alignment=ft.MainAxisAlignment.END,
                ),
            ],
            spacing=theme.GAP * 1.5,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )
    )
    if confirming:
        sign_out_area: ft.Control = theme.card(
            ft.Column(
                [
                    ft.Row(
                        [
                            ft.Icon(ft.Icons.WARNING_AMBER, color=theme.WARNING),
                            ft.Text(
                                f"{model.pending} change{'s' if model.pending != 1 else ''} "
                                "not synced yet",
                                size=theme.HEADING,
                                weight=ft.FontWeight.W_600,
                            ),
                        ]
                    ),
                    ft.Text(
                        "They stay on this device and are sent when you sign in again.",
                        size=theme.BODY,
                    ),
                    ft.Row(
                        [
                            _labelled_button(
                                "sign-out-cancel",
                                "Stay signed in",
                                ft.TextButton(
                                    "Stay signed in", on_click=lambda: set_confirming(False)
                                ),
                            ),
                            _labelled_button(
                                "sign-out-confirm",
                                "Sign out anyway",
                                ft.FilledButton(
                                    "Sign out anyway",
                                    on_click=sign_out,
                                    style=ft.ButtonStyle(bgcolor=theme.DANGER),
                                ),
                            ),
                        ],
                        alignment=ft.MainAxisAlignment.END,
                        wrap=True,
                    ),
                ],
                spacing=theme.GAP,
            )
        )
    else:
        sign_out_area = ft.Row(
            [
                _labelled_button(
                    "sign-out",
                    "Sign out",
                    ft.OutlinedButton("Sign out", icon=ft.Icons.LOGOUT, on_click=ask_sign_out),
                )
            ],
            alignment=ft.MainAxisAlignment.END,
        )
    return theme.screen_column(
        [
            theme.screen_title(
                model.name or "Your profile",
                identifier="profile-title",
                action=ft.Semantics(
                    identifier="profile-badges",
                    label="Badges",
                    button=True,
                    content=ft.TextButton(
                        "Badges",
                        icon=ft.Icons.MILITARY_TECH,
                        on_click=lambda _: ctx.navigate("/badges"),
                    ),
                ),
            ),
            profile_card,
            reminders_card,
            sign_out_area,
        ]
    )
