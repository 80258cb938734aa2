"""Habit detail: the cue and reward, a year heatmap, streaks, completion rates and strength;
pause / resume, edit and archive as queued local writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import flet as ft
import flet.canvas as cv

from app.state.context import ScreenContext
from app.state.habit import (
    HabitDraft,
    HabitModel,
    archive_habit,
    edit_habit,
    load_habit,
    pause_habit,
    resume_habit,
)
from app.state.reminders import habits_off, set_habit_reminder
from app.views import theme
from app.views.building_blocks import back_link, labelled, sentence, status_chip
from app.views.habit_form import HabitForm
from domain.errors import DomainError
from domain.reminder_schedule import cue_clock_time

CELL = 10
"""A heatmap day's square, in pixels."""
CELL_GAP = 3
STEP = CELL + CELL_GAP
MONTH_ROW = 16
"""Height of the month names above the squares."""
DONE = theme.PRIMARY
DONE_WEEK = "#A7D7BF"
"""A day inside a completed week of a weekly habit."""
EMPTY = "#EBEDF0"
BEFORE = "#F6F7F9"
"""A day before the habit existed: fainter than a missed day."""
WEEKDAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def to_goals(ctx: ScreenContext) -> ft.Control:
    return back_link("habit-back", "Back to goals", "Goals", lambda: ctx.navigate("/goals"))


def not_found(ctx: ScreenContext) -> ft.Control:
    """A habit id that is not on this device (a stale link, or not synced yet)."""
    return theme.screen_column(
        [
            to_goals(ctx),
            theme.empty_state(
                ft.Icons.SEARCH_OFF,
                "Habit not found",
                "It is not on this device. It may have been created elsewhere and not synced yet.",
            ),
        ]
    )


def _cue_line(icon: ft.IconData, label: str, value: str) -> ft.Control:
    return ft.Row(
        [
            ft.Icon(icon, size=18, color=theme.PRIMARY),
            ft.Text(label, color=theme.MUTED, width=64),
            ft.Text(value, expand=True),
        ],
        spacing=theme.GAP,
        vertical_alignment=ft.CrossAxisAlignment.START,
    )


def reminder_switch(habit: HabitModel, on: bool, toggle: Callable[[], None]) -> ft.Control:
    """This habit's reminder on this device: at the cue's clock time, else the default time."""
    at = cue_clock_time(habit.cue_time)
    when = f"at {at.strftime('%H:%M')}" if at else "at your default time (Profile)"
    return ft.Semantics(
        identifier="habit-reminder",
        label=f"Remind me {when}",
        toggled=on,
        content=ft.Switch(
            label=f"Remind me {when}",
            value=on,
            active_color=theme.PRIMARY,
            on_change=lambda _: toggle(),
        ),
    )


def cue_card(habit: HabitModel, reminder: ft.Control) -> ft.Control:
    lines = [
        (ft.Icons.SCHEDULE, "When", habit.cue_time),
        (ft.Icons.PLACE_OUTLINED, "Where", habit.cue_place),
        (ft.Icons.PSYCHOLOGY_OUTLINED, "Moment", habit.cue_context),
        (ft.Icons.CELEBRATION_OUTLINED, "Reward", habit.reward),
    ]
    shown = [_cue_line(icon, label, value) for icon, label, value in lines if value]
    if not shown:
        shown = [theme.muted("No cue yet. A time, a place or a moment makes it automatic: edit.")]
    title = ft.Row([theme.section_title("Cue and reward")])  # a Row: the card takes the width
    return theme.card(ft.Column([title, *shown, reminder], spacing=theme.GAP))


def stat_tile(value: str, label: str, *, hint: str) -> ft.Control:
    return ft.Container(
        content=ft.Column(
            [
                ft.Text(value, size=theme.TITLE, weight=ft.FontWeight.W_700),
                theme.muted(label),
            ],
            spacing=2,
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        padding=theme.GAP + 4,
        bgcolor=theme.CARD,
        border=ft.Border.all(1, theme.BORDER),
        border_radius=theme.RADIUS,
        expand=True,
        tooltip=hint,
    )


def numbers(habit: HabitModel) -> ft.Control:
    """Streaks and strength as tiles, completion rates as bars."""
    unit = habit.period_word
    tiles = ft.Row(
        [
            stat_tile(
                _plural(habit.current_streak, unit),
                "Current streak",
                hint=f"Completed {unit}s in a row",
            ),
            stat_tile(_plural(habit.best_streak, unit), "Best streak", hint="The longest run ever"),
            stat_tile(
                f"{habit.strength:.0f}%",
                "Strength",
                hint="Grows with each completion and fades slowly: one miss does not reset it",
            ),
        ],
        spacing=theme.GAP,
    )
    rates = [
        ft.Row(
            [
                ft.Text(f"{window} days", width=64, color=theme.MUTED),
                ft.ProgressBar(
                    value=rate / 100,
                    bar_height=8,
                    border_radius=4,
                    color=theme.PRIMARY,
                    bgcolor=theme.BORDER,
                    expand=True,
                ),
                ft.Text(f"{rate:.0f}%", width=44, text_align=ft.TextAlign.RIGHT),
            ],
            spacing=theme.GAP,
        )
        for window, rate in habit.rates
    ]
    return ft.Column(
        [
            tiles,
            theme.card(
                ft.Column([theme.section_title("Completion rate"), *rates], spacing=theme.GAP)
            ),
        ],
        spacing=theme.GAP + 4,
    )


def _day_color(habit: HabitModel, day: dt.date) -> str | None:
    if day > habit.today:
        return None
    if day in habit.done_days:
        return DONE
    if day < habit.created_on:
        return BEFORE
    if habit.frequency == "weekly":
        monday = day - dt.timedelta(days=day.weekday())
        if any(monday + dt.timedelta(days=n) in habit.done_days for n in range(7)):
            return DONE_WEEK
    return EMPTY


def _month_names(weeks: list[list[dt.date]]) -> list[cv.Shape]:
    """A month's short name over the first week column that starts in it (never squeezed
    against the edges)."""
    names: list[cv.Shape] = []
    for index, week in enumerate(weeks[:-2]):
        starts_month = index == 0 or week[0].month != weeks[index - 1][0].month
        if starts_month and weeks[index + 1][0].month == week[0].month:
            names.append(
                cv.Text(
                    x=index * STEP,
                    y=0,
                    value=f"{week[0]:%b}",
                    style=ft.TextStyle(size=10, color=theme.MUTED),
                )
            )
    return names


def heatmap(habit: HabitModel) -> ft.Control:
    """A year of days, GitHub style: columns are weeks (Monday on top), today in the last.

    One canvas of small squares (a control per day would make the screen slow to build), in
    a row laid out right to left, so on a narrow window it opens at today and scrolls back.
    """
    weeks = habit.heatmap_weeks()
    squares: list[cv.Shape] = [
        cv.Rect(
            x=column * STEP,
            y=MONTH_ROW + row * STEP,
            width=CELL,
            height=CELL,
            border_radius=2,
            paint=ft.Paint(color=color),
        )
        for column, week in enumerate(weeks)
        for row, day in enumerate(week)
        if (color := _day_color(habit, day)) is not None
    ]
    grid = cv.Canvas(
        shapes=[*_month_names(weeks), *squares],
        width=len(weeks) * STEP,
        height=MONTH_ROW + 7 * STEP,
    )
    labels: list[ft.Control] = [ft.Container(height=MONTH_ROW)]
    labels += [
        ft.Container(content=theme.muted(name, size=9), height=STEP, width=26)
        for name in WEEKDAY_LABELS
    ]
    weekdays = ft.Column(labels, spacing=0)
    scroller = ft.Row([grid], scroll=ft.ScrollMode.AUTO, rtl=True, expand=True)
    legend = ft.Row(
        [
            theme.muted(f"{_plural(habit.total_completions, 'completion')} in all", size=11),
            ft.Container(expand=True),
            theme.muted("missed", size=11),
            ft.Container(width=CELL, height=CELL, bgcolor=EMPTY, border_radius=2),
            ft.Container(width=CELL, height=CELL, bgcolor=DONE, border_radius=2),
            theme.muted("done", size=11),
        ],
        spacing=4,
    )
    return theme.card(
        ft.Column(
            [
                theme.section_title("The last twelve months"),
                ft.Semantics(
                    label=f"Heatmap: {habit.total_completions} completions in the last year",
                    content=ft.Row(
                        [weekdays, scroller],
                        spacing=4,
                        vertical_alignment=ft.CrossAxisAlignment.START,
                    ),
                ),
                legend,
            ],
            spacing=theme.GAP,
        )
    )


def header(habit: HabitModel) -> ft.Control:
    details = f"{'Weekly' if habit.frequency == 'weekly' else 'Daily'} · {habit.duration} min"
    status: list[ft.Control] = []
    if habit.pending:
        status.append(theme.pending_mark())
    if habit.status == "paused":
        status.append(status_chip("Paused", theme.WARNING))
    elif habit.status == "completed":
        status.append(status_chip("Archived", theme.MUTED))
    subtitle = f"{details} · part of “{habit.goal_title}”" if habit.goal_title else details
    return ft.Column(
        [
            ft.Row(
                [
                    ft.Text(habit.title, size=theme.TITLE, weight=ft.FontWeight.W_600, expand=True),
                    *status,
                ],
                spacing=theme.GAP,
            ),
            theme.muted(subtitle, size=theme.BODY),
        ],
        spacing=4,
    )


def actions(
    habit: HabitModel,
    run: Callable[[Callable[[], Any], str], None],
    set_mode: Callable[[str], None],
    ctx: ScreenContext,
) -> ft.Control:
    """What the habit's status allows: pause or resume, edit, archive (asked first)."""
    hid = habit.habit_id
    buttons: list[ft.Control] = []
    if habit.status in ("active", "paused"):
        pausing = habit.status == "active"
        act, verb = (pause_habit, "Pause") if pausing else (resume_habit, "Resume")
        button = ft.OutlinedButton if pausing else ft.FilledButton
        buttons.append(
            labelled(
                f"habit-{verb.lower()}",
                f"{verb} habit",
                button(
                    verb,
                    icon=ft.Icons.PAUSE if pausing else ft.Icons.PLAY_ARROW,
                    on_click=lambda _: run(lambda: act(ctx.user, hid), f"Habit {verb.lower()}d"),
                ),
            )
        )
    buttons.append(
        labelled(
            "habit-edit",
            "Edit habit",
            ft.OutlinedButton(
                "Edit", icon=ft.Icons.EDIT_OUTLINED, on_click=lambda _: set_mode("edit")
            ),
        )
    )
    if habit.status != "completed":
        buttons.append(
            labelled(
                "habit-archive",
                "Archive habit",
                ft.TextButton(
                    "Archive",
                    icon=ft.Icons.ARCHIVE_OUTLINED,
                    on_click=lambda _: set_mode("archive"),
                ),
            )
        )
    return ft.Row(buttons, wrap=True, spacing=theme.GAP, run_spacing=theme.GAP)


def archive_confirm(
    habit: HabitModel,
    run: Callable[[Callable[[], Any], str], None],
    cancel: Callable[[], None],
    ctx: ScreenContext,
) -> ft.Control:
    return theme.card(
        ft.Column(
            [
                ft.Text(
                    "Archive this habit? It leaves Today; its history and streaks stay.",
                    color=theme.DANGER,
                ),
                ft.Row(
                    [
                        labelled(
                            "habit-archive-cancel",
                            "Keep the habit",
                            ft.TextButton("Keep it", on_click=lambda _: cancel()),
                        ),
                        labelled(
                            "habit-archive-confirm",
                            "Archive the habit",
                            ft.FilledButton(
                                "Archive",
                                bgcolor=theme.DANGER,
                                color=theme.ON_PRIMARY,
                                on_click=lambda _: run(
                                    lambda: archive_habit(ctx.user, habit.habit_id),
                                    "Habit archived",
                                ),
                            ),
                        ),
                    ],
                    alignment=ft.MainAxisAlignment.END,
                ),
            ],
            spacing=theme.GAP,
        )
    )


@ft.component
def HabitScreen(ctx: ScreenContext, habit_id: str) -> ft.Control:
    """``/habits/<habitId>``: one habit's cue, history and numbers, and its changes."""
    changes, set_changes = ft.use_state(0)
    mode, set_mode = ft.use_state("")  # "", "edit", "archive"
    habit = load_habit(ctx.user, habit_id)
    if habit is None:
        return not_found(ctx)

    def run(action: Callable[[], Any], done: str) -> None:
        try:
            action()
        except (DomainError, LookupError) as refused:
            ctx.notify(sentence(str(refused)))
            return
        set_mode("")
        set_changes(lambda n: n + 1)
        ctx.notify(done)

    def save(draft: HabitDraft) -> None:
        edit_habit(ctx.user, habit_id, draft)
        set_mode("")
        set_changes(lambda n: n + 1)
        ctx.notify("Habit saved")

    controls: list[ft.Control] = [
        to_goals(ctx),
        header(habit),
    ]
    if mode == "edit":
        controls.append(HabitForm(habit.draft(), "Edit habit", save, lambda: set_mode("")))
    elif mode == "archive":
        controls.append(archive_confirm(habit, run, lambda: set_mode(""), ctx))
    else:
        controls.append(actions(habit, run, set_mode, ctx))

    def toggle_reminder() -> None:
        # From what the device holds now, not from the switch (see app/views/fields.py).
        set_habit_reminder(ctx.user, habit_id, habit_id in habits_off(ctx.user))
        set_changes(lambda n: n + 1)

    reminder = reminder_switch(habit, habit_id not in habits_off(ctx.user), toggle_reminder)
    controls += [numbers(habit), heatmap(habit), cue_card(habit, reminder)]
    return theme.screen_column(controls)
