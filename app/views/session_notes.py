"""The mentor's private notes under one of his sessions: closed, a line with what he noted;
open, what the session was about and what to follow up. Saving needs a connection; offline
the box says so and keeps the draft. Shown only on the session's mentor's device."""

from __future__ import annotations

from dataclasses import replace
from typing import cast

import flet as ft

from app.state import online
from app.state.context import ScreenContext
from app.state.session_notes import NotesDraft, notes_of, save_notes
from app.views import theme
from app.views.building_blocks import cancel_button, form_ending, labelled, sentence
from app.views.fields import text_field
from domain.errors import RuleViolation

PRIVATE = "Only you see these notes; your mentee never does."


@ft.component
def SessionNotesBox(ctx: ScreenContext, session_id: str) -> ft.Control:
    saved = ft.use_memo(lambda: notes_of(ctx.user, session_id), [ctx.revision])
    draft, set_draft = ft.use_state(cast(NotesDraft | None, None))
    """What the mentor typed and has not saved; None shows the notes as last synced."""
    editing, set_editing = ft.use_state(False)
    note, set_note = ft.use_state("")
    sent, set_sent = ft.use_state(cast(NotesDraft | None, None))
    stored = saved.draft if saved else NotesDraft()
    shown = draft or stored
    prefix = f"session-notes-{session_id}"

    async def save() -> None:
        try:
            await save_notes(ctx.user, session_id, shown)
        except RuleViolation as refused:
            set_note(sentence(f"{refused.field}: {refused.message}"))
        except online.Unreachable:
            set_note("You are offline: saving notes needs a connection. Your draft is kept.")
        except online.Refused as refused:
            set_note(sentence(str(refused)))
        else:
            set_note("")
            set_editing(False)
            set_sent(shown)  # the server has it; the next pull brings it back here
            ctx.notify("Notes saved")

    if not editing:
        summary = shown.summary
        line = summary.strip().splitlines()[0] if summary.strip() else "No notes yet"
        if draft is not None and draft not in (stored, sent):
            line = f"Draft, not saved: {line}"
        return ft.Row(
            [
                ft.Icon(ft.Icons.LOCK_OUTLINE, size=16, color=theme.MUTED),
                ft.Text(
                    line,
                    size=theme.SMALL,
                    color=theme.MUTED,
                    italic=not summary.strip(),
                    max_lines=1,
                    overflow=ft.TextOverflow.ELLIPSIS,
                    expand=True,
                ),
                labelled(
                    prefix,
                    "Edit your private notes" if summary.strip() else "Add private notes",
                    ft.TextButton(
                        "Edit notes" if summary.strip() else "Add notes",
                        icon=ft.Icons.EDIT_NOTE,
                        on_click=lambda _: set_editing(True),
                    ),
                ),
            ],
            spacing=6,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        )
    rows: list[ft.Control] = [
        ft.Row(
            [
                ft.Icon(ft.Icons.LOCK_OUTLINE, size=16, color=theme.MUTED),
                theme.muted(PRIVATE),
            ],
            spacing=6,
        ),
        text_field(
            f"{prefix}-summary",
            "What you talked about",
            shown.summary,
            lambda text: set_draft(replace(shown, summary=text)),
            multiline=True,
        ),
        text_field(
            f"{prefix}-followups",
            "To follow up next time (optional)",
            shown.follow_ups,
            lambda text: set_draft(replace(shown, follow_ups=text)),
            multiline=True,
            min_lines=2,
        ),
    ]
    rows += form_ending(
        note,
        [
            cancel_button(
                f"{prefix}-close", "Close the notes", "Close", lambda: set_editing(False)
            ),
            theme.primary_button(f"{prefix}-save", "Save notes", "Save notes", ft.Icons.SAVE, save),
        ],
    )
    return ft.Container(
        content=ft.Column(
            rows, spacing=theme.GAP, horizontal_alignment=ft.CrossAxisAlignment.STRETCH
        ),
        padding=ft.Padding.only(top=theme.GAP),
        border=ft.Border.only(top=ft.BorderSide(1, theme.BORDER)),
    )
