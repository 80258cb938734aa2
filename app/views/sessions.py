"""``/sessions``: my upcoming and past sessions as the device knows them, requests still queued
marked so, bookings the server refused with its reason, and the way to find a mentor."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

import flet as ft

from app.state import online
from app.state.context import ScreenContext
from app.state.role import role_of
from app.state.sessions import (
    FeedbackDraft,
    Refusal,
    SessionItem,
    cancel_session,
    confirm_session,
    dismiss_refusal,
    load_sessions,
    send_feedback,
)
from app.views import theme
from app.views.building_blocks import (
    form_card,
    form_ending,
    labelled,
    send_button,
    sentence,
    status_chip,
)
from app.views.fields import choice_field, text_field
from app.views.reviews import ReviewForm
from app.views.session_notes import SessionNotesBox
from domain.errors import RuleViolation

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
    reviewing, set_reviewing = ft.use_state("")

    def online_action(
        act: Callable[[], Awaitable[None]], verb: str, refused: str, done: str
    ) -> Callable[[], Awaitable[None]]:
        """An action that needs the server: offline it says so and changes nothing."""

        async def run() -> None:
            try:
                await act()
            except online.Unreachable:
                ctx.notify(f"You are offline: {verb} needs a connection. Try again online.")
            except online.Refused as why:
                ctx.notify(f"{refused}: {sentence(str(why))}")
            else:
                ctx.notify(done)

        return run

    def cancel(session_id: str) -> Callable[[], Awaitable[None]]:
        return online_action(
            lambda: cancel_session(ctx.user, session_id),
            "cancelling",
            "Not cancelled",
            "Session cancelled",
        )

    def confirm(session_id: str) -> Callable[[], Awaitable[None]]:
        return online_action(
            lambda: confirm_session(ctx.user, session_id),
            "confirming",
            "Not confirmed",
            "Session confirmed: your mentee is told",
        )

    def dismisser(refusal: Refusal) -> Callable[[], None]:
        return lambda: dismiss_refusal(ctx.user, refusal)

    def reviewer(session_id: str) -> Callable[[], None]:
        return lambda: set_reviewing(session_id)

    # A MENTOR-only account books nobody: mentees book him.
    books = role_of(ctx.user) != "MENTOR"
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
            action=find if books else None,
        )
    ]
    body += [RefusalCard(r, dismisser(r)) for r in model.refused]

    def notes(item: SessionItem) -> ft.Control | None:
        """The mentor's private notes, on his own device only."""
        mine = item.mentor_id == ctx.user.user_id and not item.queued
        return SessionNotesBox(ctx, item.session_id) if mine else None

    body.append(theme.section_title("Upcoming"))
    if model.upcoming:
        body += [
            SessionCard(s, cancel(s.session_id), confirm(s.session_id), notes=notes(s))
            for s in model.upcoming
        ]
    else:
        body.append(
            theme.empty_state(
                ft.Icons.EVENT_AVAILABLE,
                "No upcoming session",
                "Find a mentor and book a virtual or in-person session."
                if books
                else "When a mentee books you, the request shows here to confirm.",
            )
        )
    if model.past:
        body.append(theme.section_title("Past"))
        for item in model.past:
            review = reviewer(item.session_id) if item.reviewable else None
            body.append(
                SessionCard(item, cancel(item.session_id), on_review=review, notes=notes(item))
            )
            if item.feedback_open:
                body.append(FeedbackForm(ctx, item))
            if item.reviewable and reviewing == item.session_id:
                name = item.with_label.removeprefix("with ")
                body.append(
                    ReviewForm(ctx, item.mentor_id, name, on_done=lambda: set_reviewing(""))
                )
    return theme.screen_column(body)


def RefusalCard(refusal: Refusal, on_dismiss: Callable[[], None]) -> ft.Control:
    lines: list[ft.Control] = [
        ft.Text("Session not booked", weight=ft.FontWeight.W_600, size=theme.BODY),
    ]
    if refusal.asked:
        lines.append(theme.muted(refusal.asked, size=theme.BODY))
    lines.append(ft.Text(sentence(refusal.reason), size=theme.BODY, color=theme.DANGER))
    spoken = f"Session not booked: {sentence(refusal.reason)}"
    if refusal.asked:
        spoken += f" ({refusal.asked})"
    return labelled(
        f"session-refused-{refusal.session_id}",
        spoken,
        theme.card(
            ft.Row(
                [
                    ft.Icon(ft.Icons.ERROR_OUTLINE, color=theme.DANGER),
                    ft.Column(lines, spacing=2, expand=True),
                    labelled(
                        f"refusal-dismiss-{refusal.session_id}",
                        "Dismiss",
                        ft.IconButton(
                            ft.Icons.CLOSE, tooltip="Dismiss", on_click=lambda _: on_dismiss()
                        ),
                    ),
                ],
                vertical_alignment=ft.CrossAxisAlignment.START,
            )
        ),
    )


def SessionCard(
    item: SessionItem,
    on_cancel: Callable[[], Awaitable[None]],
    on_confirm: Callable[[], Awaitable[None]] | None = None,
    *,
    on_review: Callable[[], None] | None = None,
    notes: ft.Control | None = None,
) -> ft.Control:
    kind = "In person" if item.kind == "in_person" else "Virtual"
    where = f" at {item.venue_name}" if item.kind == "in_person" and item.venue_name else ""
    details = f"{kind}{where} {item.with_label} · {item.duration} min"
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
    buttons: list[ft.Control] = []
    if item.cancellable:
        declining = item.confirmable
        buttons.append(
            labelled(
                f"session-cancel-{item.session_id}",
                f"{'Decline' if declining else 'Cancel'} the session on {item.when_label}",
                ft.TextButton(
                    "Decline" if declining else "Cancel session",
                    icon=ft.Icons.EVENT_BUSY,
                    style=ft.ButtonStyle(color=theme.DANGER),
                    on_click=on_cancel,
                ),
            )
        )
    if item.confirmable and on_confirm is not None:
        buttons.append(
            labelled(
                f"session-confirm-{item.session_id}",
                f"Confirm the session on {item.when_label}",
                ft.FilledButton("Confirm", icon=ft.Icons.CHECK, on_click=on_confirm),
            )
        )
    if on_review is not None:
        buttons.append(
            labelled(
                f"session-review-{item.session_id}",
                f"Review {item.with_label.removeprefix('with ')}",
                ft.TextButton(
                    "Write a review", icon=ft.Icons.RATE_REVIEW, on_click=lambda _: on_review()
                ),
            )
        )
    if buttons:
        lines.append(ft.Row(buttons, alignment=ft.MainAxisAlignment.END, spacing=theme.GAP))
    if notes is not None:
        lines.append(notes)
    return labelled(
        f"session-{item.session_id}",
        f"{kind} session {item.when_label}, {item.status_label}",
        theme.card(ft.Column(lines, spacing=4)),
    )


FEEDBACK_FIELDS = (
    ("growth_area", "growth-area", "An area you want to grow in"),
    ("growth_idea", "growth-idea", "One idea to try next"),
    ("what_went_well", "went-well", "What went well"),
    ("what_to_improve", "improve", "What could be better"),
)
"""(draft attribute, identifier suffix, label) of the feedback's text fields."""


@ft.component
def FeedbackForm(ctx: ScreenContext, item: SessionItem) -> ft.Control:
    """Feedback in its window (24 hours to 7 days after the session): stars, four short
    answers, anonymous or not. Offline the draft stays on screen."""
    draft, set_draft = ft.use_state(FeedbackDraft())
    note, set_note = ft.use_state("")
    prefix = f"session-feedback-{item.session_id}"

    def edit(name: str) -> Callable[[str], None]:
        return lambda text: set_draft(lambda old: replace(old, **{name: text}))

    async def send() -> None:
        try:
            await send_feedback(ctx.user, item.session_id, draft)
        except RuleViolation as refused:
            set_note(f"{refused.field}: {refused.message}" if refused.field else refused.message)
        except online.Unreachable:
            set_note("You are offline: feedback needs a connection. Your draft is kept here.")
        except online.Refused as refused:
            set_note(sentence(str(refused)))
        else:
            set_note("")
            ctx.notify("Thank you: your feedback was sent")

    stars = [(str(n), f"{n} of 5") for n in range(1, 6)]
    rows: list[ft.Control] = [
        theme.section_title(f"How was {item.when_label}?"),
        choice_field(
            f"{prefix}-rating",
            "Rating",
            str(draft.rating),
            stars,
            lambda key: set_draft(lambda old: replace(old, rating=int(key))),
        ),
    ]
    rows += [
        text_field(f"{prefix}-{suffix}", label, getattr(draft, name), edit(name))
        for name, suffix, label in FEEDBACK_FIELDS
    ]
    rows.append(
        labelled(
            f"{prefix}-anonymous",
            "Send anonymously",
            ft.Switch(
                label="Send anonymously (the mentor does not see your name)",
                value=draft.anonymous,
                on_change=lambda _: set_draft(
                    lambda old: replace(old, anonymous=not old.anonymous)
                ),
            ),
        )
    )
    rows += form_ending(note, [send_button(f"{prefix}-send", "Send feedback", send)])
    return form_card(rows)
