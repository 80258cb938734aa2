"""``/sessions``: my upcoming and past sessions as the device knows them, requests still queued
marked so, bookings the server refused with its reason, and the way to find a mentor."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from app.state import online
from app.state.context import ScreenContext
from app.state.sessions import Refusal, SessionItem, cancel_session, load_sessions
from app.views import theme
from app.views.building_blocks import labelled, sentence, status_chip

STATUS_COLORS = {
    "CONFIRMED": theme.SUCCESS,
    "PENDING": theme.PENDING,
    "CANCELLED": theme.MUTED,
    "COMPLETED": theme.MUTED,
    "NO_SHOW": theme.DANGER,
}


@ft.component
def SessionsScreen(ctx: ScreenContext) -> ft.Control:
    model = ft.use_memo(lambda: load_sessions(ctx.user), [ctx.revision])

    def cancel(session_id: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            try:
                await cancel_session(ctx.user, session_id)
            except online.Unreachable:
                ctx.notify("You are offline: cancelling needs a connection. Try again online.")
            except online.Refused as refused:
                ctx.notify(f"Not cancelled: {sentence(str(refused))}")
            else:
                ctx.notify("Session cancelled")

        return run

    find = theme.primary_button(
        "mentors-open",
        "Find a mentor",
        "Find a mentor",
        ft.Icons.PERSON_SEARCH,
        lambda _: ctx.navigate("/mentors"),
    )
    body: list[ft.Control] = [
        theme.screen_title(
            "My sessions",
            f"{len(model.upcoming)} upcoming" if model.upcoming else "Nothing booked yet",
            identifier="sessions-title",
            action=find,
        )
    ]
    body += [RefusalCard(r) for r in model.refused]
    body.append(theme.section_title("Upcoming"))
    if model.upcoming:
        body += [SessionCard(s, cancel(s.session_id)) for s in model.upcoming]
    else:
        body.append(
            theme.empty_state(
                ft.Icons.EVENT_AVAILABLE,
                "No upcoming session",
                "Find a mentor and book a virtual or in-person session.",
            )
        )
    if model.past:
        body.append(theme.section_title("Past"))
        body += [SessionCard(s, cancel(s.session_id)) for s in model.past]
    return theme.screen_column(body)


def RefusalCard(refusal: Refusal) -> ft.Control:
    return labelled(
        f"session-refused-{refusal.session_id}",
        f"Booking declined: {sentence(refusal.reason)}",
        theme.card(
            ft.Row(
                [
                    ft.Icon(ft.Icons.ERROR_OUTLINE, color=theme.DANGER),
                    ft.Column(
                        [
                            ft.Text(
                                "Booking declined", weight=ft.FontWeight.W_600, size=theme.BODY
                            ),
                            ft.Text(sentence(refusal.reason), size=theme.BODY, color=theme.MUTED),
                        ],
                        spacing=2,
                        expand=True,
                    ),
                ]
            )
        ),
    )


def SessionCard(item: SessionItem, on_cancel: Callable[[], Awaitable[None]]) -> ft.Control:
    kind = "In person" if item.kind == "in_person" else "Virtual"
    details = f"{kind} · {item.duration} min"
    if item.price is not None:
        details += f" · {item.price:.2f}"
    color = theme.PENDING if item.queued else STATUS_COLORS.get(item.status, theme.MUTED)
    lines: list[ft.Control] = [
        ft.Text(item.when_label, size=theme.HEADING, weight=ft.FontWeight.W_600),
        ft.Row([status_chip(item.status_label, color)]),
        theme.muted(details, size=theme.BODY),
    ]
    if item.topic:
        lines.append(ft.Text(item.topic, size=theme.BODY))
    if item.meeting_link and item.kind == "virtual" and item.status == "CONFIRMED":
        lines.append(
            labelled(
                f"session-join-{item.session_id}",
                "Join the call",
                ft.TextButton("Join the call", icon=ft.Icons.VIDEOCAM, url=item.meeting_link),
            )
        )
    if item.cancellable:
        lines.append(
            ft.Row(
                [
                    labelled(
                        f"session-cancel-{item.session_id}",
                        f"Cancel the session on {item.when_label}",
                        ft.TextButton(
                            "Cancel session",
                            icon=ft.Icons.EVENT_BUSY,
                            style=ft.ButtonStyle(color=theme.DANGER),
                            on_click=lambda _: on_cancel(),
                        ),
                    )
                ],
                alignment=ft.MainAxisAlignment.END,
            )
        )
    return labelled(
        f"session-{item.session_id}",
        f"{kind} session {item.when_label}, {item.status_label}",
        theme.card(ft.Column(lines, spacing=4)),
    )
