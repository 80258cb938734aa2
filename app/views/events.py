"""``/events``: upcoming events by date, filtered by type, or my registrations (coming and
past); an event opens to its details (description, time in the user's zone, venue, type,
capacity and places left); register or cancel online."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from app.state import online
from app.state.context import ScreenContext
from app.state.events import (
    EventItem,
    EventsModel,
    cancel_registration,
    load_event,
    load_events,
    register,
)
from app.views import theme
from app.views.building_blocks import (
    back_link,
    choice_button,
    labelled,
    sentence,
    status_chip,
)
from app.views.fields import choice_field

ANY = ""
ALL, MINE = "all", "mine"


@ft.component
def EventsScreen(ctx: ScreenContext) -> ft.Control:
    kind, set_kind = ft.use_state(ANY)
    showing, set_showing = ft.use_state(ALL)
    chosen, set_chosen = ft.use_state("")
    model = ft.use_memo(lambda: load_events(ctx.user, kind or None), [ctx.revision, kind])

    async def act(action: Callable[[], Awaitable[None]], done: str) -> None:
        try:
            await action()
        except online.Unreachable:
            ctx.notify("You are offline: registering needs a connection. Try again online.")
        except online.Refused as refused:
            ctx.notify(f"Not done: {sentence(str(refused))}")
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

    def card(event: EventItem) -> ft.Control:
        return EventCard(event, on_register(event.event_id), on_cancel(event.event_id), set_chosen)

    event = load_event(ctx.user, chosen) if chosen else None
    if event is not None:
        return theme.screen_column(
            [
                EventDetails(
                    event,
                    ctx.user.time_zone,
                    on_register(event.event_id),
                    on_cancel(event.event_id),
                    lambda: set_chosen(""),
                )
            ]
        )
    body: list[ft.Control] = [
        theme.screen_title(
            "Events",
            f"{len(model.mine)} coming up for you" if model.mine else "Meet other people growing",
            identifier="events-title",
        ),
        ft.Row(
            [
                choice_button(
                    f"events-show-{ALL}", "All events", showing == ALL, lambda: set_showing(ALL)
                ),
                choice_button(
                    f"events-show-{MINE}",
                    f"My registrations ({len(model.mine)})",
                    showing == MINE,
                    lambda: set_showing(MINE),
                ),
            ],
            spacing=theme.GAP,
        ),
    ]
    if showing == MINE:
        body += _my_registrations(model, card)
        return theme.screen_column(body)
    choices = [(ANY, "Every type")] + [(k, _kind_words(k)) for k in model.kinds]
    body.append(choice_field("events-type", "Type", kind, choices, set_kind, dense=True))
    if not model.events:
        body.append(
            theme.empty_state(
                ft.Icons.GROUPS, "No upcoming event", "New events arrive with the next sync."
            )
        )
    body += [card(e) for e in model.events]
    return theme.screen_column(body)


def _kind_words(kind: str) -> str:
    return kind.replace("_", " ").capitalize()


def _my_registrations(
    model: EventsModel, card: Callable[[EventItem], ft.Control]
) -> list[ft.Control]:
    if not model.mine and not model.mine_past:
        return [
            theme.empty_state(
                ft.Icons.EVENT_AVAILABLE,
                "No registration yet",
                "Register for an event under All events; it shows here.",
            )
        ]
    rows: list[ft.Control] = [theme.section_title("Coming up")]
    if model.mine:
        rows += [card(e) for e in model.mine]
    else:
        rows.append(theme.muted("Nothing coming up.", size=theme.BODY))
    if model.mine_past:
        rows.append(theme.section_title("Past"))
        rows += [card(e) for e in model.mine_past]
    return rows


def _where(event: EventItem) -> str:
    if event.is_virtual:
        return "Online"
    return event.venue or "In person (venue to be announced)"


def _places(event: EventItem) -> str:
    return "Full" if not event.places_left else f"{event.places_left} places left"


def _price(event: EventItem) -> str:
    return "Free" if not event.price else f"{event.price:.2f}"


def _action(
    event: EventItem,
    on_register: Callable[[], Awaitable[None]],
    on_cancel: Callable[[], Awaitable[None]],
) -> ft.Control:
    """Register, or cancel my registration (only until 24 hours before the start)."""
    if event.registered:
        return labelled(
            f"event-cancel-{event.event_id}",
            f"Cancel my registration for {event.title}",
            ft.OutlinedButton(
                "Cancel registration", disabled=not event.cancellable, on_click=on_cancel
            ),
        )
    return labelled(
        f"event-register-{event.event_id}",
        f"Register for {event.title}",
        ft.FilledButton("Register", disabled=not event.places_left, on_click=on_register),
    )


def EventCard(
    event: EventItem,
    on_register: Callable[[], Awaitable[None]],
    on_cancel: Callable[[], Awaitable[None]],
    on_open: Callable[[str], None],
) -> ft.Control:
    where = "Online" if event.is_virtual else "In person"
    lines: list[ft.Control] = [
        ft.Row(
            [
                ft.Text(event.title, size=theme.HEADING, weight=ft.FontWeight.W_600, expand=True),
                status_chip(_kind_words(event.kind), theme.PRIMARY),
            ]
        ),
        theme.muted(
            f"{event.when_label} · {event.duration} min · {where} · {_price(event)}",
            size=theme.BODY,
        ),
    ]
    if event.description:
        lines.append(ft.Text(event.description, size=theme.BODY, max_lines=2))
    status = "You are registered" if event.registered else _places(event)
    lines.append(
        ft.Row(
            [
                theme.muted(status),
                _action(event, on_register, on_cancel),
            ],
            alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
        )
    )
    return labelled(
        f"event-{event.event_id}",
        f"{event.title}, {event.when_label}, {_places(event)}"
        + (", registered" if event.registered else ""),
        ft.Container(
            content=theme.card(ft.Column(lines, spacing=4)),
            on_click=lambda _: on_open(event.event_id),
            ink=True,
            border_radius=theme.RADIUS,
        ),
    )


def _fact(icon: ft.IconData, text: str) -> ft.Control:
    return ft.Row(
        [
            ft.Icon(icon, size=18, color=theme.MUTED),
            ft.Text(text, size=theme.BODY, expand=True),
        ],
        spacing=theme.GAP,
        vertical_alignment=ft.CrossAxisAlignment.START,
    )


def EventDetails(
    event: EventItem,
    time_zone: str,
    on_register: Callable[[], Awaitable[None]],
    on_cancel: Callable[[], Awaitable[None]],
    on_back: Callable[[], None],
) -> ft.Control:
    back = back_link("event-back", "Back to the events", "All events", on_back)
    places = f"{event.capacity} places · {_places(event).lower()}"
    facts: list[ft.Control] = [
        ft.Semantics(
            identifier="event-details-title",
            header=True,
            content=ft.Text(event.title, size=theme.TITLE, weight=ft.FontWeight.W_700),
        ),
        ft.Row([status_chip(_kind_words(event.kind), theme.PRIMARY)]),
        labelled(
            "event-details-when",
            f"{event.when_label} to {event.ends_label}, {time_zone} time",
            _fact(
                ft.Icons.SCHEDULE,
                f"{event.when_label} – {event.ends_label} ({time_zone} time)",
            ),
        ),
        labelled(
            "event-details-where",
            _where(event),
            _fact(ft.Icons.VIDEOCAM if event.is_virtual else ft.Icons.PLACE, _where(event)),
        ),
        labelled("event-details-places", places, _fact(ft.Icons.GROUPS, places)),
        _fact(ft.Icons.SELL, _price(event)),
    ]
    if event.description:
        facts.append(ft.Text(event.description, size=theme.BODY))
    if event.registered and event.meeting_link:
        facts.append(
            labelled(
                f"event-join-{event.event_id}",
                "Join online",
                ft.TextButton("Join online", icon=ft.Icons.VIDEOCAM, url=event.meeting_link),
            )
        )
    if event.registered:
        note = (
            "You are registered. You can cancel until 24 hours before the start."
            if event.cancellable
            else "You are registered. Cancelling closed 24 hours before the start."
        )
    elif event.places_left:
        note = "Registering needs a connection; it shows here after the next sync."
    else:
        note = "This event is full."
    facts.append(theme.muted(note, size=theme.BODY))
    facts.append(
        ft.Row([_action(event, on_register, on_cancel)], alignment=ft.MainAxisAlignment.END)
    )
    return ft.Column(
        [back, theme.card(ft.Column(facts, spacing=theme.GAP))],
        spacing=theme.GAP * 1.5,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
