"""Today, the home screen: tick today's habits, back-fill the week, glance at mood, todos and
the next session. ``today_view`` turns a ``TodayModel`` into controls (no hooks, so the
benchmark can time it); ``TodayScreen`` holds the screen's state and wires the actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import flet as ft

from app.state import today as state
from app.state.context import ScreenContext, UserContext
from app.state.today import HabitRow, MoodToday, NextSession, StripDay, TodayModel, TodoRow
from app.views import theme
from app.views.dates import long_day, short_day
from domain.errors import RuleViolation

STREAK_COLOR = "#EA580C"
DONE_TINT = "#EEF7F1"
"""Background of a ticked habit's card: a calm green wash, readable in both themes' text."""
TRACK = "#E3EDE7"
"""The unfilled part of the progress ring."""


@dataclass(frozen=True)
class TodayActions:
    """What the controls call back; the screen component supplies them."""

    toggle_habit: Callable[[str], None]
    choose_day: Callable[[StripDay], None]
    toggle_todo: Callable[[str], None]
    navigate: Callable[[str], None]


# -- header and strip --------------------------------------------------------------------


def _progress_ring(model: TodayModel) -> ft.Control:
    return ft.Semantics(
        label=f"Progress: {model.progress_words}",
        content=ft.Stack(
            [
                ft.ProgressRing(
                    value=model.progress,
                    width=84,
                    height=84,
                    stroke_width=9,
                    color=theme.PRIMARY,
                    bgcolor=TRACK,
                    stroke_cap=ft.StrokeCap.ROUND,
                ),
                ft.Container(
                    ft.Text(
                        f"{model.done}/{model.due}",
                        size=20,
                        weight=ft.FontWeight.W_700,
                        color=theme.PRIMARY,
                    ),
                    width=84,
                    height=84,
                    alignment=ft.Alignment.CENTER,
                ),
            ],
            width=84,
            height=84,
        ),
    )


def _header(model: TodayModel, actions: TodayActions) -> ft.Control:
    back_filling = model.day != model.today
    title = "Today" if not back_filling else short_day(model.day)
    if back_filling:
        line = f"Back-filling: {model.progress_words.lower()}"
    elif not model.has_habits:
        line = "Welcome to Growlink"
    elif model.due and model.done == model.due:
        line = f"{model.progress_words}. One percent better today."
    else:
        line = model.progress_words
    texts: list[ft.Control] = [
        ft.Semantics(
            identifier="today-title",
            header=True,
            content=ft.Text(title, size=theme.TITLE, weight=ft.FontWeight.W_700),
        ),
        theme.muted(long_day(model.today) if not back_filling else line, size=theme.BODY),
    ]
    if not back_filling:
        texts.append(
            ft.Text(line, size=theme.BODY, color=theme.PRIMARY, weight=ft.FontWeight.W_500)
        )
    else:
        today_chip = next(d for d in model.strip if d.is_today)
        texts.append(
            ft.TextButton(
                "Back to today",
                icon=ft.Icons.UNDO,
                on_click=lambda _: actions.choose_day(today_chip),
                tooltip="Show today's habits again",
            )
        )
    ring = [_progress_ring(model)] if model.has_habits else []
    return theme.card(
        ft.Row(
            [*ring, ft.Column(texts, spacing=2, expand=True)],
            spacing=20,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        padding=20,
    )


def _strip_day(day: StripDay, selected: bool, actions: TodayActions) -> ft.Control:
    complete = day.due > 0 and day.done == day.due
    if selected:
        bg, fg, sub = theme.PRIMARY, theme.ON_PRIMARY, theme.ON_PRIMARY
    elif not day.selectable:
        bg, fg, sub = None, theme.MUTED, theme.MUTED
    else:
        bg, fg, sub = (DONE_TINT if complete else None), None, theme.MUTED
    if not day.selectable:
        marker: ft.Control = ft.Icon(ft.Icons.LOCK_OUTLINE, size=12, color=theme.MUTED)
    elif complete:
        marker = ft.Icon(ft.Icons.CHECK_CIRCLE, size=12, color=sub if selected else theme.SUCCESS)
    else:
        marker = ft.Text(f"{day.done}/{day.due}" if day.due else "–", size=10, color=sub)
    if day.selectable:
        words = f"{short_day(day.day)}: {day.done} of {day.due} done"
    else:
        words = f"{short_day(day.day)}: too long ago to back-fill"
    return ft.Semantics(
        identifier=f"backfill-day-{day.day.isoformat()}",
        label=("Today, " if day.is_today else "") + words,
        selected=selected,
        button=True,
        expand=True,
        content=ft.Container(
            ft.Column(
                [
                    ft.Text(f"{day.day:%a}"[:2], size=11, color=sub),
                    ft.Text(str(day.day.day), size=16, weight=ft.FontWeight.W_700, color=fg),
                    marker,
                ],
                spacing=1,
                horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                tight=True,
            ),
            bgcolor=bg,
            border=ft.Border.all(
                1, theme.PRIMARY if day.is_today and not selected else theme.BORDER
            ),
            border_radius=theme.RADIUS,
            padding=ft.Padding.symmetric(vertical=6),
            alignment=ft.Alignment.CENTER,
            height=66,
            opacity=0.55 if not day.selectable else 1.0,
            on_click=lambda _: actions.choose_day(day),
            ink=True,
        ),
    )


def _strip(model: TodayModel, actions: TodayActions) -> ft.Control:
    return ft.Row(
        [_strip_day(day, day.day == model.day, actions) for day in model.strip],
        spacing=4,
    )


# -- habits ------------------------------------------------------------------------------


def _streak(habit: HabitRow) -> ft.Control:
    lit = habit.streak > 0
    return ft.Row(
        [
            ft.Icon(
                ft.Icons.LOCAL_FIRE_DEPARTMENT,
                size=18,
                color=STREAK_COLOR if lit else theme.BORDER,
            ),
            ft.Text(
                str(habit.streak),
                size=theme.BODY,
                weight=ft.FontWeight.W_700,
                color=STREAK_COLOR if lit else theme.MUTED,
            ),
        ],
        spacing=2,
        tight=True,
        tooltip=habit.streak_words,
    )


def _habit_subtitle(habit: HabitRow, model: TodayModel) -> str:
    """One line under the title: "Weekly · done Mon · 07:30 · kitchen"."""
    parts = []
    if habit.weekly:
        parts.append("Weekly")
        if habit.done and habit.done_on and habit.done_on != model.day:
            parts.append(f"done {habit.done_on:%a}")
    if habit.cue:
        parts.append(habit.cue)
    return " · ".join(parts)


def _habit_card(habit: HabitRow, model: TodayModel, actions: TodayActions) -> ft.Control:
    details: list[ft.Control] = [theme.pending_mark()] if habit.pending else []
    subtitle = _habit_subtitle(habit, model)
    if subtitle:
        details.append(
            ft.Text(
                subtitle,
                size=theme.SMALL,
                color=theme.MUTED,
                max_lines=1,
                expand=True,
                overflow=ft.TextOverflow.ELLIPSIS,
            )
        )
    title = ft.Text(
        habit.title,
        size=15,
        weight=ft.FontWeight.W_600,
        max_lines=2,
        overflow=ft.TextOverflow.ELLIPSIS,
        color=theme.MUTED if habit.done else None,
    )
    when = "today" if model.day == model.today else f"on {short_day(model.day)}"
    check = ft.Semantics(
        identifier=f"habit-check-{habit.habit_id}",
        label=f"{habit.title}: done {'this week' if habit.weekly else when}",
        content=ft.Checkbox(
            value=habit.done,
            shape=ft.CircleBorder(),
            active_color=theme.PRIMARY,
            scale=1.35,
            on_change=lambda _: actions.toggle_habit(habit.habit_id),
        ),
    )
    open_area = ft.Semantics(
        identifier=f"habit-open-{habit.habit_id}",
        label=f"Open {habit.title}: {habit.streak_words}",
        button=True,
        expand=True,
        content=ft.Container(
            ft.Row(
                [
                    ft.Column(
                        [title, ft.Row(details, spacing=6)] if details else [title],
                        spacing=2,
                        expand=True,
                    ),
                    _streak(habit),
                    ft.Icon(ft.Icons.CHEVRON_RIGHT, color=theme.MUTED, size=20),
                ],
                spacing=8,
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            ),
            padding=ft.Padding.symmetric(vertical=6),
            on_click=lambda _: actions.navigate(f"/habits/{habit.habit_id}"),
            ink=True,
            border_radius=theme.RADIUS,
        ),
    )
    return ft.Container(
        ft.Row([check, open_area], spacing=6, vertical_alignment=ft.CrossAxisAlignment.CENTER),
        padding=ft.Padding.only(left=6, right=12, top=6, bottom=6),
        bgcolor=DONE_TINT if habit.done else theme.CARD,
        border_radius=theme.RADIUS,
        border=ft.Border.all(1, theme.BORDER),
    )


def _habits(model: TodayModel, actions: TodayActions) -> list[ft.Control]:
    if not model.has_habits:
        return [
            theme.empty_state(
                ft.Icons.SPA_OUTLINED,
                "No habits yet",
                "Start with who you want to become, then pick one tiny habit that takes two"
                " minutes.",
                action=ft.Semantics(
                    label="Set up a goal and its first habit",
                    button=True,
                    content=ft.FilledButton(
                        "Set up a goal",
                        icon=ft.Icons.FLAG_OUTLINED,
                        on_click=lambda _: actions.navigate("/goals"),
                    ),
                ),
            )
        ]
    heading = "Habits" if model.day == model.today else f"Habits on {short_day(model.day)}"
    rows: list[ft.Control] = [theme.section_title(heading)]
    if not model.habits:
        rows.append(theme.muted("Nothing was due on this day.", size=theme.BODY))
    rows.extend(_habit_card(habit, model, actions) for habit in model.habits)
    return rows


# -- mood, todos, session ----------------------------------------------------------------


def _mood(mood: MoodToday, actions: TodayActions) -> ft.Control:
    if mood.mood is None:
        body: ft.Control = ft.Row(
            [
                ft.Icon(ft.Icons.EDIT_NOTE, color=theme.PRIMARY, size=28),
                ft.Column(
                    [
                        ft.Text("How was today?", weight=ft.FontWeight.W_600, size=15),
                        theme.muted("Pick a mood and write a line or two.", size=theme.BODY),
                    ],
                    spacing=2,
                    expand=True,
                ),
                ft.Icon(ft.Icons.CHEVRON_RIGHT, color=theme.MUTED, size=20),
            ],
            spacing=12,
        )
        label = "Write today's reflection"
    else:
        color = theme.MOOD_COLORS.get(mood.mood, theme.PRIMARY)
        word = mood.mood.title()  # as Reflect names it
        lines: list[ft.Control] = [
            ft.Row(
                [ft.Text(f"Today's mood: {word}", weight=ft.FontWeight.W_600, size=15)]
                + ([theme.pending_mark()] if mood.pending else []),
                spacing=6,
            )
        ]
        if mood.text:
            lines.append(
                ft.Text(
                    mood.text,
                    size=theme.BODY,
                    color=theme.MUTED,
                    max_lines=2,
                    overflow=ft.TextOverflow.ELLIPSIS,
                )
            )
        body = ft.Row(
            [
                ft.Container(width=14, height=14, bgcolor=color, border_radius=7),
                ft.Column(lines, spacing=2, expand=True),
                ft.Icon(ft.Icons.CHEVRON_RIGHT, color=theme.MUTED, size=20),
            ],
            spacing=12,
        )
        label = f"Today's mood: {word}. Open reflections"
    return ft.Semantics(
        label=label,
        button=True,
        content=ft.Container(
            body,
            padding=theme.PAD,
            bgcolor=theme.CARD,
            border_radius=theme.RADIUS,
            border=ft.Border.all(1, theme.BORDER),
            on_click=lambda _: actions.navigate("/reflect"),
            ink=True,
        ),
    )


def _todo_row(todo: TodoRow, today: dt.date, actions: TodayActions) -> ft.Control:
    if todo.overdue and todo.due is not None:
        when: str | None = f"Overdue · {short_day(todo.due)}"
    elif todo.due == today:
        when = "Due today"
    else:
        when = None
    meta: list[ft.Control] = []
    if when:
        meta.append(
            ft.Text(when, size=theme.SMALL, color=theme.DANGER if todo.overdue else theme.MUTED)
        )
    if todo.priority == "high":
        meta.append(ft.Text("High priority", size=theme.SMALL, color=theme.WARNING))
    if todo.pending:
        meta.append(theme.pending_mark())
    text = ft.Text(
        todo.text,
        size=theme.BODY,
        max_lines=2,
        overflow=ft.TextOverflow.ELLIPSIS,
        color=theme.MUTED if todo.done else None,
        style=ft.TextStyle(decoration=ft.TextDecoration.LINE_THROUGH) if todo.done else None,
    )
    return ft.Row(
        [
            ft.Semantics(
                identifier=f"todo-check-{todo.todo_id}",
                label=f"{todo.text}: done",
                content=ft.Checkbox(
                    value=todo.done,
                    active_color=theme.PRIMARY,
                    on_change=lambda _: actions.toggle_todo(todo.todo_id),
                ),
            ),
            ft.Column([text, ft.Row(meta, spacing=8)] if meta else [text], spacing=0, expand=True),
        ],
        spacing=4,
    )


def _todos(model: TodayModel, actions: TodayActions) -> ft.Control:
    rows: list[ft.Control] = [_todo_row(todo, model.today, actions) for todo in model.todos]
    if not rows:
        rows = [theme.muted("Nothing on your list for today.", size=theme.BODY)]
    header = ft.Row(
        [
            theme.section_title("To-dos"),
            ft.TextButton(
                "All to-dos",
                on_click=lambda _: actions.navigate("/todos"),
                tooltip="Open the to-do list",
            ),
        ],
        alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
    )
    return ft.Column(
        [header, theme.card(ft.Column(rows, spacing=6), padding=12)],
        spacing=4,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def _session(session: NextSession, today: dt.date) -> ft.Control:
    how = "Video call" if session.virtual else "In person"
    state_word = "Confirmed" if session.confirmed else "Waiting for confirmation"
    line = f"{how} with {session.with_whom}"
    lines: list[ft.Control] = [
        ft.Text(
            f"{short_day(session.starts_at.date(), today)} · {session.starts_at:%H:%M %Z}",
            weight=ft.FontWeight.W_600,
            size=15,
        ),
        ft.Text(line, size=theme.BODY),
    ]
    if session.topic:
        lines.append(theme.muted(session.topic, size=theme.BODY))
    status: list[ft.Control] = [
        ft.Text(
            state_word,
            size=theme.SMALL,
            color=theme.SUCCESS if session.confirmed else theme.WARNING,
        )
    ]
    if session.pending:
        status.append(theme.pending_mark())
    lines.append(ft.Row(status, spacing=6))
    return ft.Column(
        [
            theme.section_title("Next session"),
            ft.Semantics(
                label=f"Next session: {short_day(session.starts_at.date(), today)} at"
                f" {session.starts_at:%H:%M %Z}, {line}, {state_word.lower()}",
                content=theme.card(
                    ft.Row(
                        [
                            ft.Icon(
                                ft.Icons.VIDEOCAM_OUTLINED
                                if session.virtual
                                else ft.Icons.PLACE_OUTLINED,
                                color=theme.PRIMARY,
                                size=28,
                            ),
                            ft.Column(lines, spacing=2, expand=True),
                        ],
                        spacing=12,
                        vertical_alignment=ft.CrossAxisAlignment.START,
                    )
                ),
            ),
        ],
        spacing=8,
    )


def today_view(model: TodayModel, actions: TodayActions) -> ft.Control:
    """The whole screen for ``model``: scrolls by itself, at most ``theme.MAX_WIDTH`` wide."""
    parts: list[ft.Control] = [_header(model, actions)]
    if model.has_habits:
        parts.append(_strip(model, actions))
    parts.extend(_habits(model, actions))
    parts.append(theme.section_title("Mood"))
    parts.append(_mood(model.mood, actions))
    parts.append(_todos(model, actions))
    if model.next_session is not None:
        parts.append(_session(model.next_session, model.today))
    return theme.screen_column(parts)


def _load(user: UserContext, day: dt.date | None, kept: frozenset[str]) -> TodayModel:
    """The model for the chosen day, or for today once that day has left the back-fill
    window (the screen stayed open past midnight)."""
    try:
        return state.load_today(user, day, keep_todos=kept)
    except RuleViolation:
        return state.load_today(user, None, keep_todos=kept)


@ft.component
def TodayScreen(ctx: ScreenContext) -> ft.Control:
    """Today's habits to tick, the week strip to back-fill, mood, todos and the next session."""
    day, set_day = ft.use_state(cast(dt.date | None, None))
    edits, set_edits = ft.use_state(0)
    kept, set_kept = ft.use_state(cast(frozenset[str], frozenset()))
    user = ctx.user
    today = user.today()  # a re-render after midnight reloads even with no change in the store
    model = ft.use_memo(lambda: _load(user, day, kept), [ctx.revision, edits, day, kept, today])

    def refused(error: RuleViolation) -> None:
        ctx.notify(error.message[:1].upper() + error.message[1:] + ".")

    def toggle_habit(habit_id: str) -> None:
        try:
            state.toggle_habit_done(user, habit_id, model.day)
        except RuleViolation as error:
            refused(error)
        set_edits(lambda n: n + 1)

    def choose_day(chosen: StripDay) -> None:
        try:
            state.check_day(user, chosen.day)
        except RuleViolation as error:
            refused(error)
            return
        set_day(None if chosen.day == model.today else chosen.day)

    def toggle_todo(todo_id: str) -> None:
        state.toggle_todo(user, todo_id)
        set_kept(lambda ids: ids | {todo_id})
        set_edits(lambda n: n + 1)

    return today_view(model, TodayActions(toggle_habit, choose_day, toggle_todo, ctx.navigate))
