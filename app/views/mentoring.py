"""``/mentoring``: the mentor's morning. Goals waiting for my approval, my mentees at a
glance (progress, streaks, last check-in as of the last online view), then the reflections
they shared (unanswered ones marked, each opening to a reply box). Reads and writes only
through ``app.state``, so replies and approvals work offline and are sent with the next
sync; the mentees' figures are fetched online and kept with their time."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable

import flet as ft

from app.state.context import ScreenContext
from app.state.mentee_progress import due_for_refresh, refresh_progress
from app.state.mentoring import (
    Mentee,
    MentoringModel,
    SharedReflection,
    WaitingGoal,
    approve_goal,
    load_mentoring,
    send_back_goal,
    send_feedback,
)
from app.state.online import OnlineActionError, Unreachable
from app.views import theme
from app.views.building_blocks import labelled, sentence
from app.views.dates import as_of, short_day
from app.views.fields import text_field
from domain.errors import DomainError

Act = Callable[[Callable[[], object], str], bool]
"""Run a write; on success say ``done`` and return True, on a refused one say why."""


@ft.component
def MentoringScreen(ctx: ScreenContext) -> ft.Control:
    writes, set_writes = ft.use_state(0)
    opened, set_opened = ft.use_state("")
    model = ft.use_memo(lambda: load_mentoring(ctx.user), [ctx.revision, writes])
    fetching = ft.use_ref(False)

    async def refresh_online() -> None:
        """Mentees' streaks and check-ins from the server: on opening and after each sync
        (which bumps the revision); offline, the kept ones stay with their time."""
        if fetching.current or not due_for_refresh(ctx.user):
            return
        fetching.current = True
        try:
            with contextlib.suppress(OnlineActionError):
                await refresh_progress(ctx.user)
        finally:
            fetching.current = False

    ft.use_effect(refresh_online, [ctx.revision])

    def act(write: Callable[[], object], done: str) -> bool:
        try:
            write()
        except DomainError as refused:
            ctx.notify(f"Not sent: {sentence(refused.message)}")
            return False
        set_writes(lambda old: old + 1)
        ctx.notify(done)
        return True

    today = ctx.user.today()
    body: list[ft.Control] = [
        theme.screen_title("Mentoring", _summary(model), identifier="mentoring-title")
    ]
    if not model.feed and not model.waiting and not model.mentees:
        body.append(
            theme.empty_state(
                ft.Icons.GROUPS,
                "No mentees yet",
                "When a mentee picks you for a goal or shares a reflection, it shows here.",
            )
            if model.first_sync_done
            else theme.empty_state(
                ft.Icons.SYNC,
                "Fetching your mentees",
                "The first sync brings their goals and the reflections they share with you.",
            )
        )
        return theme.screen_column(body)
    if model.waiting:
        body.append(theme.section_title("Waiting for your approval"))
        body += [WaitingCard(goal, act, ctx) for goal in model.waiting]
    # Who they are and how they are doing, at a glance, before the long feed to read.
    if model.mentees:
        body.append(theme.section_title("Your mentees"))
        body += [_mentee(m, today, ctx.user.time_zone) for m in model.mentees]
    body.append(theme.section_title("Shared with you"))
    if not model.feed:
        body.append(theme.muted("No reflections shared with you yet.", size=theme.BODY))
    for item in model.feed:
        body.append(FeedItem(item, opened == item.reflection_id, set_opened, act, ctx, today))
    return theme.screen_column(body)


def _summary(model: MentoringModel) -> str:
    parts = [f"{len(model.mentees)} mentee" + ("" if len(model.mentees) == 1 else "s")]
    if model.unread:
        parts.append(f"{model.unread} to answer")
    if model.waiting:
        parts.append(f"{len(model.waiting)} to approve")
    return " · ".join(parts)


@ft.component
def WaitingCard(goal: WaitingGoal, act: Act, ctx: ScreenContext) -> ft.Control:
    returning, set_returning = ft.use_state(False)
    note, set_note = ft.use_state("")
    lines: list[ft.Control] = [
        ft.Text(goal.title, size=theme.HEADING, weight=ft.FontWeight.W_600),
        theme.muted(f"From {goal.mentee_name}"),
    ]
    if goal.description:
        lines.append(ft.Text(goal.description, size=theme.BODY))
    approve = labelled(
        f"goal-approve-{goal.goal_id}",
        f"Approve {goal.title}",
        ft.FilledButton(
            "Approve",
            icon=ft.Icons.CHECK,
            on_click=lambda _: act(
                lambda: approve_goal(ctx.user, goal.goal_id), f"Approved {goal.title}"
            ),
        ),
    )
    back = labelled(
        f"goal-return-{goal.goal_id}",
        f"Send {goal.title} back with a note",
        ft.TextButton("Send back", on_click=lambda _: set_returning(lambda was: not was)),
    )
    parts: list[ft.Control] = [
        ft.Row(
            [ft.Column(lines, spacing=2, expand=True), back, approve],
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        )
    ]

    async def send_back(_: object) -> None:
        try:
            await send_back_goal(ctx.user, goal.goal_id, note)
        except Unreachable:
            ctx.notify("Sending a goal back needs a connection; your note is kept")
            return
        except (OnlineActionError, DomainError) as refused:
            reason = refused.message if isinstance(refused, DomainError) else str(refused)
            ctx.notify(f"Not sent: {sentence(reason)}")
            return
        set_returning(False)
        set_note("")
        ctx.notify(f"Sent {goal.title} back to {goal.mentee_name}")

    if returning:
        parts += [
            text_field(
                f"goal-return-note-{goal.goal_id}",
                "What should change?",
                note,
                set_note,
                multiline=True,
            ),
            ft.Row(
                [
                    labelled(
                        f"goal-return-send-{goal.goal_id}",
                        "Send back to draft",
                        ft.FilledButton("Send back", icon=ft.Icons.UNDO, on_click=send_back),
                    )
                ],
                alignment=ft.MainAxisAlignment.END,
            ),
        ]
    return theme.card(
        ft.Column(parts, spacing=theme.GAP, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    )


@ft.component
def FeedItem(
    item: SharedReflection,
    is_open: bool,
    set_opened: Callable[[str], None],
    act: Act,
    ctx: ScreenContext,
    today: dt.date,
) -> ft.Control:
    draft, set_draft = ft.use_state("")
    mark: ft.Control = (
        theme.pending_mark(compact=True)
        if item.pending
        else ft.Container(
            content=ft.Text("New", size=theme.SMALL, color=theme.ON_PRIMARY),
            bgcolor=theme.PRIMARY,
            border_radius=999,
            padding=ft.Padding.symmetric(horizontal=8, vertical=2),
            visible=item.unread,
        )
    )
    heading = ft.Row(
        [
            ft.Text(
                # Her own calendar day, not relative words: her zone may be a day ahead.
                f"{item.mentee_name} · {short_day(item.day)}",
                weight=ft.FontWeight.W_700 if item.unread else ft.FontWeight.W_500,
                expand=True,
            ),
            theme.muted(item.mood.capitalize()),
            mark,
            ft.Icon(ft.Icons.EXPAND_LESS if is_open else ft.Icons.EXPAND_MORE, color=theme.MUTED),
        ],
        spacing=theme.GAP,
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
    )
    preview = item.text or "(no words, just the mood)"
    header = ft.Semantics(
        identifier=f"mentor-reflection-{item.reflection_id}",
        label=f"{item.mentee_name}, {short_day(item.day)}"
        + (", unanswered" if item.unread else ""),
        button=True,
        content=ft.Container(
            content=ft.Column(
                [heading, ft.Text(preview, max_lines=None if is_open else 2, size=theme.BODY)],
                spacing=4,
            ),
            on_click=lambda _: set_opened("" if is_open else item.reflection_id),
            ink=True,
        ),
    )
    parts: list[ft.Control] = [header]
    if is_open:
        if item.feedback:
            parts.append(theme.muted(f"You answered: {item.feedback}", size=theme.BODY))

        def send() -> None:
            if act(lambda: send_feedback(ctx.user, item, draft), "Reply saved; it syncs next"):
                set_draft("")

        parts += [
            text_field(
                "feedback-text",
                "Your reply" if not item.feedback else "Change your reply",
                draft,
                set_draft,
                multiline=True,
                hint=f"Encourage {item.mentee_name.split()[0]}, ask a question",
            ),
            ft.Row(
                [
                    theme.primary_button(
                        "feedback-send", "Send reply", "Send", ft.Icons.SEND, lambda _: send()
                    )
                ],
                alignment=ft.MainAxisAlignment.END,
            ),
        ]
    return theme.card(
        ft.Column(parts, spacing=theme.GAP, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    )


def _mentee(mentee: Mentee, today: dt.date, time_zone: str) -> ft.Control:
    day = short_day(mentee.last_check_in, today) if mentee.last_check_in else ""
    # "today" and "yesterday" read as words in the line; a date keeps its capitals
    check_in = f"Last check-in {day if ' ' in day else day.lower()}" if day else "No check-in yet"
    when = as_of(mentee.as_of, time_zone, today) if mentee.as_of else "not fetched online yet"
    goals = ", ".join(mentee.goals) or "No goals with you yet"
    streak = f"{mentee.current_streak}-day streak"
    return ft.Semantics(
        identifier=f"mentee-{mentee.user_id}",
        label=(f"{mentee.name}: {streak}, goal progress {mentee.progress}%, {check_in}, {when}"),
        exclude_semantics=True,
        content=theme.card(
            ft.Column(
                [
                    ft.Row(
                        [
                            ft.Text(mentee.name, weight=ft.FontWeight.W_600, expand=True),
                            ft.Icon(
                                ft.Icons.LOCAL_FIRE_DEPARTMENT,
                                size=16,
                                color=theme.WARNING if mentee.current_streak else theme.MUTED,
                            ),
                            ft.Text(streak, size=theme.SMALL, weight=ft.FontWeight.W_600),
                        ],
                        vertical_alignment=ft.CrossAxisAlignment.CENTER,
                    ),
                    theme.muted(goals),
                    ft.ProgressBar(
                        value=mentee.progress / 100, color=theme.PRIMARY, bgcolor=theme.BORDER
                    ),
                    ft.Row(
                        [
                            ft.Text(
                                f"{mentee.progress}% · {check_in}",
                                size=theme.SMALL,
                                expand=True,
                            ),
                            theme.muted(when),
                        ],
                    ),
                ],
                spacing=4,
            )
        ),
    )
