"""``/todos``: add a todo (text, priority, optional due date), tick it off, change its priority
or due date, delete it. Open ones first by due date and priority; done ones folded away.
Reads and writes only through ``app.state.todos``, so it works offline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import flet as ft

from app.state.context import ScreenContext
from app.state.todos import (
    Todo,
    add_todo,
    delete_todo,
    load_todos,
    set_due_date,
    set_priority,
    toggle_done,
)
from app.views import theme
from app.views.fields import choice_field, text_field
from domain.errors import RuleViolation
from domain.todos import TodoPriority

PRIORITY_COLORS = {
    TodoPriority.HIGH: theme.DANGER,
    TodoPriority.MEDIUM: theme.WARNING,
    TodoPriority.LOW: theme.MUTED,
}
Action = Callable[[Callable[[], object], str | None], None]
"""Run a write; on success show the optional message, on a refused write show why."""


@ft.component
def TodosScreen(ctx: ScreenContext) -> ft.Control:
    writes, set_writes = ft.use_state(0)
    model = ft.use_memo(lambda: load_todos(ctx.user), [ctx.revision, writes])

    def act(write: Callable[[], object], done_message: str | None) -> None:
        try:
            write()
        except (RuleViolation, LookupError) as refused:
            reason = refused.message if isinstance(refused, RuleViolation) else str(refused)
            ctx.notify(f"Not saved: {reason}")
            return
        set_writes(writes + 1)
        if done_message:
            ctx.notify(done_message)

    count = len(model.open)
    summary = (
        "Nothing open"
        if not count
        else f"{count} open"
        + (
            f" · {sum(t.overdue for t in model.open)} overdue"
            if any(t.overdue for t in model.open)
            else ""
        )
    )
    body: list[ft.Control] = [
        theme.screen_title("To-dos", summary, identifier="todos-title"),
        NewTodo(ctx, act),
    ]
    if not model.open and not model.done:
        body.append(
            theme.empty_state(
                ft.Icons.CHECKLIST,
                "A clear list",
                "Add the small next steps that move your goals forward.",
            )
        )
    elif not model.open:
        body.append(
            theme.empty_state(
                ft.Icons.TASK_ALT, "All done", "Everything on your list is ticked off."
            )
        )
    else:
        body.append(
            theme.card(
                ft.Column(_rows(ctx, model.open, model.today, act), spacing=0),
                padding=4,
            )
        )
    if model.done:
        body.append(
            theme.card(
                ft.ExpansionTile(
                    title=ft.Text(f"Done ({len(model.done)})", size=theme.BODY),
                    leading=ft.Icon(ft.Icons.TASK_ALT, color=theme.SUCCESS),
                    controls=_rows(ctx, model.done, model.today, act),
                    expanded=False,
                    shape=ft.RoundedRectangleBorder(radius=theme.RADIUS),
                    collapsed_shape=ft.RoundedRectangleBorder(radius=theme.RADIUS),
                ),
                padding=0,
            )
        )
    return theme.screen_column(body)


@ft.component
def NewTodo(ctx: ScreenContext, act: Action) -> ft.Control:
    text, set_text = ft.use_state("")
    priority, set_priority_choice = ft.use_state(TodoPriority.MEDIUM.value)
    due, set_due = ft.use_state("")

    def add(_: object = None) -> None:
        def write() -> None:
            add_todo(ctx.user, text, priority=priority, due=due or None)
            set_text("")
            set_due("")

        act(write, None)

    def pick(_: object) -> None:
        today = ctx.user.today()
        _open_date_picker(today, lambda day: set_due(day.isoformat()))

    return theme.card(
        ft.Column(
            [
                text_field(
                    "todo-new",
                    "Add a to-do",
                    text,
                    set_text,
                    hint="e.g. Lay out running clothes tonight",
                    on_submit=add,
                ),
                ft.Row(
                    [
                        choice_field(
                            "todo-new-priority",
                            "Priority",
                            priority,
                            [(p.value, p.value.title()) for p in TodoPriority],
                            set_priority_choice,
                            width=130,
                        ),
                        ft.Row(
                            [
                                text_field(
                                    "todo-new-due",
                                    "Due (optional)",
                                    due,
                                    set_due,
                                    hint="YYYY-MM-DD",
                                    width=150,
                                    on_submit=add,
                                ),
                                ft.IconButton(
                                    ft.Icons.CALENDAR_MONTH,
                                    tooltip="Pick a due date",
                                    icon_color=theme.PRIMARY,
                                    on_click=pick,
                                ),
                            ],
                            spacing=0,
                            tight=True,
                        ),
                        theme.primary_button("todo-add", "Add to-do", "Add", ft.Icons.ADD, add),
                    ],
                    wrap=True,
                    spacing=theme.GAP,
                    run_spacing=theme.GAP,
                    vertical_alignment=ft.CrossAxisAlignment.CENTER,
                ),
            ],
            spacing=12,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )
    )


def _rows(
    ctx: ScreenContext, todos: tuple[Todo, ...], today: dt.date, act: Action
) -> list[ft.Control]:
    """The rows with a hairline between them (none under the last)."""
    return [_row(ctx, t, today, act, rule=i < len(todos) - 1) for i, t in enumerate(todos)]


def _row(ctx: ScreenContext, todo: Todo, today: dt.date, act: Action, *, rule: bool) -> ft.Control:
    user = ctx.user
    details: list[ft.Control] = [_priority_pill(todo.priority)]
    if todo.due_label:
        details.append(
            ft.Row(
                [
                    ft.Icon(ft.Icons.EVENT, size=14, color=_due_color(todo)),
                    ft.Text(todo.due_label, size=theme.SMALL, color=_due_color(todo)),
                ],
                spacing=3,
                tight=True,
            )
        )
    if todo.pending:
        details.append(theme.pending_mark())

    def menu_item(label: str, icon: ft.IconData, run: Callable[[], object]) -> ft.PopupMenuItem:
        return ft.PopupMenuItem(content=label, icon=icon, on_click=lambda _: act(run, None))

    def pick(_: object) -> None:
        _open_date_picker(
            todo.due or today,
            lambda day: act(lambda: set_due_date(user, todo.todo_id, day), None),
        )

    def priority_item(level: TodoPriority) -> ft.PopupMenuItem:
        return menu_item(
            f"{level.value.title()} priority",
            ft.Icons.FLAG,
            lambda: set_priority(user, todo.todo_id, level.value),
        )

    items = [priority_item(p) for p in TodoPriority if p is not todo.priority]
    items += [
        ft.PopupMenuItem(),
        menu_item("Due today", ft.Icons.TODAY, lambda: set_due_date(user, todo.todo_id, today)),
        menu_item(
            "Due tomorrow",
            ft.Icons.EVENT,
            lambda: set_due_date(user, todo.todo_id, today + dt.timedelta(days=1)),
        ),
        ft.PopupMenuItem(content="Pick a due date…", icon=ft.Icons.CALENDAR_MONTH, on_click=pick),
    ]
    if todo.due:
        items.append(
            menu_item(
                "No due date", ft.Icons.EVENT_BUSY, lambda: set_due_date(user, todo.todo_id, None)
            )
        )
    items += [
        ft.PopupMenuItem(),
        ft.PopupMenuItem(
            content="Delete",
            icon=ft.Icons.DELETE_OUTLINE,
            on_click=lambda _: act(lambda: delete_todo(user, todo.todo_id), "Todo deleted"),
        ),
    ]
    return ft.Container(
        content=ft.Row(
            [
                ft.Semantics(
                    identifier=f"todo-done-{todo.todo_id}",
                    label=f"Done: {todo.text}",
                    checked=todo.done,
                    content=ft.Checkbox(
                        value=todo.done,
                        active_color=theme.PRIMARY,
                        on_change=lambda _: act(lambda: toggle_done(user, todo.todo_id), None),
                    ),
                ),
                ft.Column(
                    [
                        ft.Text(
                            todo.text,
                            size=theme.BODY,
                            color=theme.MUTED if todo.done else None,
                            style=ft.TextStyle(
                                decoration=ft.TextDecoration.LINE_THROUGH if todo.done else None
                            ),
                        ),
                        ft.Row(details, spacing=10, wrap=True, run_spacing=2),
                    ],
                    spacing=3,
                    expand=True,
                ),
                ft.Semantics(
                    identifier=f"todo-menu-{todo.todo_id}",
                    label=f"Change or delete: {todo.text}",
                    content=ft.PopupMenuButton(
                        icon=ft.Icons.MORE_VERT,
                        tooltip="Priority, due date, delete",
                        items=items,
                    ),
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
            spacing=4,
        ),
        padding=ft.Padding.symmetric(horizontal=4, vertical=6),
        border=ft.Border(bottom=ft.BorderSide(1, theme.BORDER)) if rule else None,
    )


def _priority_pill(priority: TodoPriority) -> ft.Control:
    color = PRIORITY_COLORS[priority]
    return ft.Container(
        content=ft.Text(priority.value.title(), size=theme.SMALL - 1, color=color),
        border=ft.Border.all(1, ft.Colors.with_opacity(0.5, color)),
        border_radius=10,
        padding=ft.Padding.symmetric(horizontal=7, vertical=1),
    )


def _due_color(todo: Todo) -> str:
    return theme.DANGER if todo.overdue else theme.MUTED


def _open_date_picker(initial: dt.date, chosen: Callable[[dt.date], None]) -> None:
    """The platform's calendar; the picked day goes to ``chosen``."""

    def picked(e: ft.Event[ft.DatePicker]) -> None:
        value = e.control.value
        if isinstance(value, dt.datetime | dt.date):
            chosen(value if not isinstance(value, dt.datetime) else value.date())

    picker = ft.DatePicker(
        value=dt.datetime.combine(initial, dt.time()),
        first_date=dt.datetime(initial.year - 1, 1, 1),
        last_date=dt.datetime(initial.year + 5, 12, 31),
        help_text="Due date",
        on_change=picked,
    )
    ft.context.page.show_dialog(picker)
