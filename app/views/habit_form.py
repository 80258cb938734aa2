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

    def change(name: str) -> Callable[[ft.Event[ft.TextField]], None]:
        def update(e: ft.Event[ft.TextField]) -> None:
            typed: dict[str, Any] = {name: str(e.control.value or "")}
            set_draft(replace(draft, **typed))

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
                labelled(
                    "habit-title",
                    "Habit title",
                    ft.TextField(
                        label="Habit",
                        hint_text="Read two pages",
                        value=draft.title,
                        error=error_of("title"),
                        on_change=change("title"),
                    ),
                ),
                labelled(
                    "habit-frequency",
                    "How often",
                    ft.RadioGroup(
                        value=draft.frequency,
                        on_change=lambda e: set_draft(
                            replace(draft, frequency=str(e.control.value))
                        ),
                        content=ft.Row([ft.Radio(value=v, label=text) for v, text in _FREQUENCIES]),
                    ),
                ),
                labelled(
                    "habit-duration",
                    "Duration in minutes",
                    ft.TextField(
                        label="Minutes",
                        value=duration,
                        keyboard_type=ft.KeyboardType.NUMBER,
                        helper="1 or 2: small enough to never skip",
                        error=error_of("duration"),
                        on_change=lambda e: set_duration(str(e.control.value or "")),
                    ),
                ),
                theme.muted("Cue: when, where and in what moment you will do it"),
                *(
                    labelled(
                        f"habit-{name.replace('_', '-')}",
                        spoken,
                        ft.TextField(
                            label=label,
                            hint_text=hint,
                            value=getattr(draft, name),
                            on_change=change(name),
                        ),
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
