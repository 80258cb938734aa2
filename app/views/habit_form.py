"""The habit form, shared by "add a habit" on a goal and "edit" on the habit's own screen.

The 2-minute rule and the other checks run on the device when the user saves: the domain's
message appears under the field at fault and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import flet as ft

from app.state.habit import HabitDraft, parse_duration
from app.views import theme
from app.views.building_blocks import form_buttons, labelled, sentence
from app.views.fields import text_field
from domain.errors import DomainError

_FREQUENCIES = (("daily", "Every day"), ("weekly", "Once a week"))
_CUE_FIELDS = (
    # draft attribute, screen-reader label, field label, example
    ("cue_time", "Cue time", "When", "after breakfast"),
    ("cue_place", "Cue place", "Where", "at my desk"),
    ("cue_context", "Cue context", "In what moment", "when I feel stressed"),
    ("reward", "Reward", "Reward", "a square of dark chocolate"),
)


@ft.component
def HabitForm(
    initial: HabitDraft,
    title: str,
    on_save: Callable[[HabitDraft], Any],
    on_cancel: Callable[[], None],
) -> ft.Control:
    """``on_save`` writes the draft; a ``DomainError`` it raises is shown, not thrown."""
    draft, set_draft = ft.use_state(initial)
    duration, set_duration = ft.use_state(str(initial.duration))
    error, set_error = ft.use_state(("", ""))  # (field, message)

    def change(name: str) -> Callable[[str], None]:
        def update(text: str) -> None:
            set_draft(lambda d: replace(d, **{name: text}))

        return update

    def save() -> None:
        try:
            on_save(replace(draft, duration=parse_duration(duration)).checked())
        except DomainError as refused:
            set_error((refused.field or "", sentence(refused.message)))

    def error_of(field: str) -> str | None:
        return error[1] if error[0] == field else None

    other_error = error[1] if error[0] not in ("title", "duration") else ""
    return theme.card(
        ft.Column(
            [
                theme.section_title(title),
                text_field(
                    "habit-title",
                    "Habit",
                    draft.title,
                    change("title"),
                    hint="Read two pages",
                    error=error_of("title"),
                    spoken="Habit title",
                ),
                labelled(
                    "habit-frequency",
                    "How often",
                    ft.RadioGroup(
                        value=draft.frequency,
                        on_change=lambda e: set_draft(
                            lambda d: replace(d, frequency=str(e.control.value))
                        ),
                        content=ft.Row([ft.Radio(value=v, label=text) for v, text in _FREQUENCIES]),
                    ),
                ),
                text_field(
                    "habit-duration",
                    "Minutes",
                    duration,
                    set_duration,
                    keyboard=ft.KeyboardType.NUMBER,
                    helper="1 or 2: small enough to never skip",
                    error=error_of("duration"),
                    spoken="Duration in minutes",
                ),
                theme.muted("Cue: when, where and in what moment you will do it"),
                *(
                    text_field(
                        f"habit-{name.replace('_', '-')}",
                        label,
                        getattr(draft, name),
                        change(name),
                        hint=hint,
                        spoken=spoken,
                    )
                    for name, spoken, label, hint in _CUE_FIELDS
                ),
                *([ft.Text(other_error, color=theme.DANGER)] if other_error else []),
                form_buttons("habit", "Save habit", save, on_cancel),
            ],
            spacing=theme.GAP + 4,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )
    )
