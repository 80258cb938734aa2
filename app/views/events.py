"""``/events``: upcoming events by date, filtered by type, with their details and places
left; register or cancel (online), and my registrations first."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from app.state import online
from app.state.context import ScreenContext
from app.state.events import EventItem, cancel_registration, load_events, register
from app.views import theme
from app.views.building_blocks import labelled, status_chip
from app.views.fields import choice_field

ANY = ""


@ft.component
def EventsScreen(ctx: ScreenContext) -> ft.Control:
    kind, set_kind = ft.use_state(ANY)
    model = ft.use_memo(lambda: load_events(ctx.user, kind or None), [ctx.revision, kind])

    async def act(action: Callable[[], Awaitable[None]], done: str) -> None:
        try:
            await action()
        except online.Unreachable:
            ctx.notify("You are offline: registering needs a connection. Try again online.")
        except online.Refused as refused:
            ctx.notify(f"Not done: {refused}")
        else:
            ctx.notify(done)

    # Flet awaits a handler only when it is a coroutine function, so these are ``async def``.
    def on_register(event_id: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await act(lambda: register(ctx.user, event_id), "Registered")

        return run

    def on_cancel(event_id: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await act(lambda: cancel_registration(ctx.user, event_id), "Registration cancelled")

        return run

    choices = [(ANY, "Every type")] + [(k, k.replace("_", " ").capitalize()) for k in model.kinds]
    body: list[ft.Control] = [
        theme.screen_title(
            "Events",
            f"{len(model.mine)} registered" if model.mine else "Meet other people growing",
            identifier="events-title",
        ),
        choice_field("events-type", "Type", kind, choices, set_kind, dense=True),
    ]
    if not model.events:
        body.append(
            theme.empty_state(
                ft.Icons.GROUPS, "No upcoming event", "New events arrive with the next sync."
            )
        )
    body += [EventCard(e, on_register(e.event_id), on_cancel(e.event_id)) for e in model.events]
    return theme.screen_column(body)


def EventCard(
    event: EventItem,
    on_register: Callable[[], Awaitable[None]],
    on_cancel: Callable[[], Awaitable[None]],
) -> ft.Control:
    where = "Online" if event.is_virtual else "In person"
    price = "Free" if not event.price else f"{event.price:.2f}"
    places = "Full" if not event.places_left else f"{event.places_left} places left"
    if event.registered:
        button: ft.Control = labelled(
            f"event-cancel-{event.event_id}",
            f"Cancel my registration for {event.title}",
            ft.OutlinedButton("Cancel registration", on_click=on_cancel),
        )
    else:
        button = labelled(
            f"event-register-{event.event_id}",
            f"Register for {event.title}",
            ft.FilledButton("Register", disabled=not event.places_left, on_click=on_register),
        )
    lines: list[ft.Control] = [
        ft.Row(
            [
                ft.Text(event.title, size=theme.HEADING, weight=ft.FontWeight.W_600, expand=True),
                status_chip(event.kind.replace("_", " "), theme.PRIMARY),
            ]
        ),
        theme.muted(
            f"{event.when_label} · {event.duration} min · {where} · {price}", size=theme.BODY
        ),
        ft.Text(event.description, size=theme.BODY),
        ft.Row([theme.muted(places), button], alignment=ft.MainAxisAlignment.SPACE_BETWEEN),
    ]
    return labelled(
        f"event-{event.event_id}",
        f"{event.title}, {event.when_label}, {places}"
        + (", registered" if event.registered else ""),
        theme.card(ft.Column(lines, spacing=4)),
    )
