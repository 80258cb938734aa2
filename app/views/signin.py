"""Sign in and sign up: email and password, the server's address (editable) and, for a new
account, the time zone proposed from the device."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import flet as ft

from app.views import theme
from app.views.fields import text_field

SignIn = Callable[[str, str, str], Awaitable[str | None]]
"""``(server, email, password)`` -> an error for the user, or ``None`` when signed in."""
SignUp = Callable[[str, str, str, str, str], Awaitable[str | None]]
"""``(server, name, email, password, time zone)`` -> an error, or ``None``."""


@dataclass(frozen=True)
class SignInProps:
    server_url: str
    time_zone: str
    sign_in: SignIn
    sign_up: SignUp


@ft.component
def SignInScreen(props: SignInProps) -> ft.Control:
    signing_up, set_signing_up = ft.use_state(False)
    email, set_email = ft.use_state("")
    password, set_password = ft.use_state("")
    name, set_name = ft.use_state("")
    zone, set_zone = ft.use_state(props.time_zone)
    server, set_server = ft.use_state(props.server_url)
    error, set_error = ft.use_state("")
    busy, set_busy = ft.use_state(False)

    async def submit() -> None:
        set_busy(True)
        set_error("")
        if signing_up:
            problem = await props.sign_up(server, name, email, password, zone)
        else:
            problem = await props.sign_in(server, email, password)
        set_busy(False)
        if problem:
            set_error(problem)

    def switch_mode() -> None:
        set_signing_up(not signing_up)
        set_error("")

    fields: list[ft.Control] = []
    if signing_up:
        fields.append(text_field("signup-name", "Your name", name, set_name))
    fields += [
        text_field("signin-email", "Email", email, set_email, keyboard=ft.KeyboardType.EMAIL),
        text_field("signin-password", "Password", password, set_password, password=True),
    ]
    if signing_up:
        fields.append(
            text_field("signup-time-zone", "Time zone", zone, set_zone, hint="e.g. Europe/Lisbon")
        )
    fields.append(
        text_field(
            "signin-server",
            "Server",
            server,
            set_server,
            hint="http://127.0.0.1:8000",
            keyboard=ft.KeyboardType.URL,
        )
    )
    action = "Create account" if signing_up else "Sign in"
    form = ft.Column(
        [
            ft.Row(
                [
                    ft.Icon(ft.Icons.SPA, color=theme.PRIMARY, size=32),
                    ft.Text("Growlink", size=26, weight=ft.FontWeight.W_700),
                ],
                spacing=theme.GAP,
            ),
            theme.muted(
                "Create your account — your mentor and your habits, even offline."
                if signing_up
                else "Welcome back. One percent better, every day.",
                size=theme.BODY,
            ),
            *fields,
            ft.Text(error, color=theme.DANGER, size=theme.BODY, visible=bool(error)),
            ft.Semantics(
                identifier="signin-submit",
                label=action,
                content=ft.Button(
                    content="Please wait…" if busy else action,
                    on_click=submit,
                    disabled=busy,
                    style=ft.ButtonStyle(
                        bgcolor=theme.PRIMARY,
                        color=theme.ON_PRIMARY,
                        padding=ft.Padding.symmetric(vertical=16, horizontal=24),
                        shape=ft.RoundedRectangleBorder(radius=theme.RADIUS),
                    ),
                ),
            ),
            ft.Row(
                [
                    theme.muted(
                        "Already have an account?" if signing_up else "New to Growlink?",
                        size=theme.BODY,
                    ),
                    ft.Semantics(
                        identifier="signup-open",
                        label="Sign in instead" if signing_up else "Create an account",
                        content=ft.TextButton(
                            "Sign in instead" if signing_up else "Create an account",
                            on_click=switch_mode,
                        ),
                    ),
                ],
                alignment=ft.MainAxisAlignment.CENTER,
                wrap=True,
            ),
        ],
        spacing=theme.PAD,
        tight=True,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
    width = min(420.0, theme.content_width())
    return ft.Container(
        content=ft.Column(
            [ft.Container(content=theme.card(form, padding=24), width=width)],
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            alignment=ft.MainAxisAlignment.CENTER,
            scroll=ft.ScrollMode.AUTO,
            expand=True,
        ),
        expand=True,
        bgcolor=theme.SURFACE,
        padding=theme.PAD,
        alignment=ft.Alignment.CENTER,
    )
