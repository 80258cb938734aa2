"""Goals: the user's identity goals by status, each with its habits, progress and actions.

Every change is a queued local write (``app.state.goals``); a change the rules refuse is
shown with the domain's reason and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import flet as ft

from app.state.context import ScreenContext
from app.state.goals import (
    GoalCard,
    GoalDraft,
    HabitRow,
    MentorChoice,
    archive_goal,
    complete_goal,
    create_goal,
    edit_goal,
    load_goals,
    submit_goal,
)
from app.state.habit import HabitDraft, add_habit
from app.views import theme
from app.views.building_blocks import (
    form_buttons,
    labelled,
    sentence,
    status_chip,
)
from app.views.fields import choice_field, text_field
from app.views.habit_form import HabitForm
from domain.errors import DomainError
from domain.goals import GoalStatus

IDENTITY_START = "I want to become "
NO_MENTOR = "none"
FIELDS = ("title", "identity", "description")
"""The goal form's fields that show their own error; any other refusal shows below them."""


@ft.component
def GoalForm(
    initial: GoalDraft,
    title: str,
    mentors: tuple[MentorChoice, ...],
    on_save: Callable[[GoalDraft], Any],
    on_cancel: Callable[[], None],
) -> ft.Control:
    """Title, identity statement, notes and mentor; a refused draft shows why."""
    draft, set_draft = ft.use_state(initial)
    error, set_error = ft.use_state(("", ""))  # (field, message)

    def save() -> None:
        try:
            on_save(draft.checked())
        except DomainError as refused:
            set_error((refused.field or "", sentence(refused.message)))

    def lines_of(lines: int) -> dict[str, Any]:
        return {"min_lines": lines} if lines > 1 else {}

    def pick_mentor(mentor_id: str) -> None:
        set_draft(lambda d: replace(d, mentor_id=mentor_id))

    def field(
        identifier: str, label: str, value: str, name: str, hint: str, lines: int = 1
    ) -> ft.Control:
        def typed(text: str) -> None:
            set_draft(lambda d: replace(d, **{name: text}))

        return text_field(
            identifier,
            label,
            value,
            typed,
            hint=hint,
            error=error[1] if error[0] == name else None,
            multiline=lines > 1,
            **lines_of(lines),
        )

    return theme.card(
        ft.Column(
            [
                theme.section_title(title),
                field("goal-title", "Goal", draft.title, "title", "Read more"),
                field(
                    "goal-identity",
                    "Who you want to become",
                    draft.identity,
                    "identity",
                    "I want to become a reader who opens a book every day",
                    lines=2,
                ),
                theme.muted("Say it as an identity: “I want to become … who …”."),
                field(
                    "goal-description",
                    "Notes",
                    draft.description,
                    "description",
                    "Why it matters to you",
                    lines=2,
                ),
                mentor_picker(draft, mentors, pick_mentor),
                *(
                    [ft.Text(error[1], color=theme.DANGER)]
                    if error[1] and error[0] not in FIELDS
                    else []
                ),
                form_buttons("goal", "Save goal", save, on_cancel),
            ],
            spacing=theme.GAP + 4,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )
    )


def mentor_picker(
    draft: GoalDraft, mentors: tuple[MentorChoice, ...], pick: Callable[[str], None]
) -> ft.Control:
    """Who approves the goal: a mentor on the device, or nobody (it starts at once)."""
    if not mentors and not draft.mentor_id:
        return theme.muted("The mentors you work with appear here, to approve a goal.")
    choices = [(NO_MENTOR, "No mentor")] + [(m.user_id, m.name) for m in mentors]
    if draft.mentor_id and draft.mentor_id not in {m.user_id for m in mentors}:
        choices.append((draft.mentor_id, "Your current mentor"))
    return choice_field(
        "goal-mentor",
        "Mentor",
        draft.mentor_id or NO_MENTOR,
        choices,
        lambda key: pick("" if key == NO_MENTOR else key),
        spoken="Mentor who approves the goal",
    )


def habit_row(habit: HabitRow, navigate: Callable[[str], None]) -> ft.Control:
    """One habit of a goal; tapping it opens the habit's own screen."""
    details = f"{'Weekly' if habit.frequency == 'weekly' else 'Daily'} · {habit.duration} min"
    unit = "week" if habit.frequency == "weekly" else "day"
    trailing: list[ft.Control] = []
    if habit.pending:
        trailing.append(theme.pending_mark(compact=True))
    if habit.status != "active":
        shown = "archived" if habit.status == "completed" else habit.status
        trailing.append(status_chip(shown, theme.MUTED))
    elif habit.streak:
        trailing.append(
            ft.Row(
                [
                    ft.Icon(ft.Icons.LOCAL_FIRE_DEPARTMENT, size=16, color=theme.WARNING),
                    ft.Text(f"{habit.streak} {unit}{'s' if habit.streak != 1 else ''}"),
                ],
                spacing=2,
                tight=True,
            )
        )
    return labelled(
        f"habit-open-{habit.habit_id}",
        f"Open habit {habit.title}",
        ft.Container(
            content=ft.Row(
                [
                    ft.Column(
                        [
                            ft.Text(habit.title, size=theme.BODY, weight=ft.FontWeight.W_500),
                            theme.muted(details),
                        ],
                        spacing=2,
                        expand=True,
                    ),
                    *trailing,
                    ft.Icon(ft.Icons.CHEVRON_RIGHT, color=theme.MUTED),
                ],
                spacing=theme.GAP,
            ),
            padding=ft.Padding.symmetric(horizontal=theme.GAP + 4, vertical=theme.GAP + 2),
            border_radius=theme.RADIUS - 4,
            bgcolor=theme.SURFACE,
            ink=True,
            on_click=lambda _: navigate(f"/habits/{habit.habit_id}"),
        ),
    )


def _action(identifier: str, label: str, icon: ft.IconData, act: Callable[[], None]) -> ft.Control:
    return labelled(identifier, label, ft.TextButton(label, icon=icon, on_click=lambda _: act()))


@dataclass(frozen=True)
class OpenForm:
    """The one form the Goals screen shows at a time (so identifiers stay unique)."""

    mode: str = ""
    """"" (none), "new", "edit", "habit" (add a habit) or "archive" (confirm)."""
    goal_id: str = ""

    def on(self, goal_id: str) -> str:
        """This form's mode if it belongs to ``goal_id``, else ""."""
        return self.mode if self.goal_id == goal_id else ""


@dataclass(frozen=True)
class GoalsActions:
    """What a goal card may do, handed down from the screen that owns the state."""

    ctx: ScreenContext
    form: OpenForm
    open: Callable[[OpenForm], None]
    run: Callable[[Callable[[], Any], str], None]
    """Write, then close the form and refresh; a refused write is told, not thrown."""
    save_goal: Callable[[str, GoalDraft], None]
    save_habit: Callable[[str, HabitDraft], None]
    mentors: tuple[MentorChoice, ...]


def goal_card(goal: GoalCard, acts: GoalsActions) -> ft.Control:
    """A goal with its progress, habits and what can be done with it now."""
    gid = goal.goal_id
    mode = acts.form.on(gid)

    def close() -> None:
        acts.open(OpenForm())

    if mode == "edit":
        return GoalForm(
            goal.draft(), "Edit goal", acts.mentors, lambda d: acts.save_goal(gid, d), close
        )

    header: list[ft.Control] = [
        ft.Text(goal.title, size=theme.HEADING, weight=ft.FontWeight.W_600, expand=True),
    ]
    if goal.pending:
        header.append(theme.pending_mark())
    body: list[ft.Control] = [ft.Row(header, spacing=theme.GAP)]
    if goal.identity:
        body.append(ft.Text(goal.identity, italic=True, color=theme.PRIMARY))
    if goal.description:
        body.append(theme.muted(goal.description, size=theme.BODY))
    if goal.status is GoalStatus.PENDING_APPROVAL:
        body.append(
            theme.muted(f"Waiting for {goal.mentor_name}'s approval; it starts when they approve.")
        )
    body.append(
        ft.Row(
            [
                ft.ProgressBar(
                    value=goal.progress / 100,
                    bar_height=8,
                    border_radius=4,
                    color=theme.PRIMARY,
                    bgcolor=theme.BORDER,
                    expand=True,
                ),
                ft.Text(f"{goal.progress}%", weight=ft.FontWeight.W_600, width=44),
            ],
            spacing=theme.GAP,
            tooltip="Progress: the mean completion rate of this goal's habits",
        )
    )
    if goal.habits:
        body.append(
            ft.Column([habit_row(h, acts.ctx.navigate) for h in goal.habits], spacing=theme.GAP - 2)
        )
    elif goal.editable:
        body.append(theme.muted("No habits yet. Add a tiny one: two minutes at most."))
    if mode == "habit":
        body.append(
            HabitForm(HabitDraft(""), "New habit", lambda d: acts.save_habit(gid, d), close)
        )
    elif mode == "archive":
        body.append(_archive_confirm(goal, acts, close))
    else:
        body.append(_goal_actions(goal, acts))
    return theme.card(ft.Column(body, spacing=theme.GAP + 2))


def _goal_actions(goal: GoalCard, acts: GoalsActions) -> ft.Control:
    """The moves the goal's status allows now (``domain.goals``); none for archived goals."""
    gid = goal.goal_id
    actions: list[ft.Control] = []
    if goal.can_submit:
        done = f"Sent to {goal.mentor_name} for approval" if goal.has_mentor else "Goal started"
        actions.append(
            labelled(
                f"goal-submit-{gid}",
                goal.submit_label,
                ft.FilledTonalButton(
                    goal.submit_label,
                    icon=ft.Icons.SEND_OUTLINED if goal.has_mentor else ft.Icons.PLAY_ARROW,
                    on_click=lambda _: acts.run(lambda: submit_goal(acts.ctx.user, gid), done),
                ),
            )
        )
    if goal.editable:
        actions.append(
            _action(
                f"goal-add-habit-{gid}",
                "Add habit",
                ft.Icons.ADD,
                lambda: acts.open(OpenForm("habit", gid)),
            )
        )
        actions.append(
            _action(
                f"goal-edit-{gid}",
                "Edit",
                ft.Icons.EDIT_OUTLINED,
                lambda: acts.open(OpenForm("edit", gid)),
            )
        )
    if goal.can_complete:
        actions.append(
            _action(
                f"goal-complete-{gid}",
                "Mark completed",
                ft.Icons.TASK_ALT,
                lambda: acts.run(
                    lambda: complete_goal(acts.ctx.user, gid), "Goal completed. Well done!"
                ),
            )
        )
    if goal.can_archive:
        actions.append(
            _action(
                f"goal-archive-{gid}",
                "Archive",
                ft.Icons.ARCHIVE_OUTLINED,
                lambda: acts.open(OpenForm("archive", gid)),
            )
        )
    return ft.Row(actions, wrap=True, spacing=theme.GAP // 2, run_spacing=theme.GAP // 2)


def _archive_confirm(goal: GoalCard, acts: GoalsActions, cancel: Callable[[], None]) -> ft.Control:
    """Archiving is final (an archived goal never changes), so it is asked once more."""
    gid = goal.goal_id
    return ft.Container(
        content=ft.Column(
            [
                ft.Text(
                    "Archive this goal? It is kept with its history but can no longer change.",
                    color=theme.DANGER,
                ),
                ft.Row(
                    [
                        labelled(
                            f"goal-archive-cancel-{gid}",
                            "Keep the goal",
                            ft.TextButton("Keep it", on_click=lambda _: cancel()),
                        ),
                        labelled(
                            f"goal-archive-confirm-{gid}",
                            "Archive the goal",
                            ft.FilledButton(
                                "Archive",
                                bgcolor=theme.DANGER,
                                color=theme.ON_PRIMARY,
                                on_click=lambda _: acts.run(
                                    lambda: archive_goal(acts.ctx.user, gid), "Goal archived"
                                ),
                            ),
                        ),
                    ],
                    alignment=ft.MainAxisAlignment.END,
                ),
            ],
            spacing=theme.GAP,
        ),
        padding=theme.GAP + 4,
        border_radius=theme.RADIUS - 4,
        border=ft.Border.all(1, theme.DANGER),
    )


@ft.component
def GoalsScreen(ctx: ScreenContext) -> ft.Control:
    """``/goals``: every goal by status, a new-goal form, habits that open their screen."""
    changes, set_changes = ft.use_state(0)
    form, set_form = ft.use_state(OpenForm())
    model = load_goals(ctx.user)

    def done(message: str) -> None:
        set_form(OpenForm())
        set_changes(changes + 1)
        ctx.notify(message)

    def run(action: Callable[[], Any], message: str) -> None:
        try:
            action()
        except (DomainError, LookupError) as refused:
            ctx.notify(sentence(str(refused)))
            return
        done(message)

    def save_new(draft: GoalDraft) -> None:
        create_goal(ctx.user, draft)
        done("Goal saved as a draft")

    def save_goal(goal_id: str, draft: GoalDraft) -> None:
        edit_goal(ctx.user, goal_id, draft)
        done("Goal saved")

    def save_habit(goal_id: str, draft: HabitDraft) -> None:
        add_habit(ctx.user, goal_id, draft)
        done(f"Habit “{draft.title.strip()}” added")

    acts = GoalsActions(ctx, form, set_form, run, save_goal, save_habit, model.mentors)
    top = theme.screen_title(
        "Goals",
        "Who you want to become, and the tiny habits that get you there",
        identifier="goals-title",
        action=labelled(
            "goal-new",
            "New goal",
            ft.FilledButton(
                "New goal", icon=ft.Icons.ADD, on_click=lambda _: set_form(OpenForm("new"))
            ),
        ),
    )
    controls: list[ft.Control] = [top]
    if form.mode == "new":
        controls.append(
            GoalForm(
                GoalDraft("", identity=IDENTITY_START),
                "A new goal",
                model.mentors,
                save_new,
                lambda: set_form(OpenForm()),
            )
        )
    elif model.empty:
        controls.append(
            theme.empty_state(
                ft.Icons.FLAG_OUTLINED,
                "No goals yet",
                "Start with who you want to become, then add a habit of two minutes.",
            )
        )
    for group in model.groups:
        controls.append(theme.section_title(f"{group.label} · {len(group.goals)}"))
        controls.extend(goal_card(goal, acts) for goal in group.goals)
    return theme.screen_column(controls)
