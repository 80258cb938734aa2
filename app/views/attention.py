"""``/attention``: the sync issues, each settled with keep mine, keep theirs or dismiss."""

from __future__ import annotations

import flet as ft

from app.state.attention import (
    DISMISS,
    KEEP_MINE,
    KEEP_THEIRS,
    AttentionItem,
    load_attention,
    resolve,
)
from app.state.context import ScreenContext
from app.state.routes import HOME
from app.views import theme
from app.views.building_blocks import back_link


def _choice(item: AttentionItem, ctx: ScreenContext, resolution: str, text: str) -> ft.Control:
    def choose() -> None:
        resolve(ctx.user, item.issue_id, resolution)
        ctx.notify(f"{text}: it will be sent with the next sync")

    button: ft.Control = (
        ft.FilledTonalButton(text, on_click=choose)
        if resolution == KEEP_MINE
        else ft.TextButton(text, on_click=choose)
    )
    return ft.Semantics(
        identifier=f"issue-{resolution.lower().replace('_', '-')}-{item.issue_id}",
        label=f"{text} for {item.title}",
        content=button,
    )


def _values(label: str, value: str | None, color: str) -> ft.Control:
    return ft.Row(
        [
            ft.Container(
                content=ft.Text(label, size=theme.SMALL, color=color, weight=ft.FontWeight.W_600),
                width=64,
            ),
            ft.Text(value or "—", size=theme.BODY, expand=True, selectable=True),
        ],
        vertical_alignment=ft.CrossAxisAlignment.START,
    )


def _issue_card(item: AttentionItem, ctx: ScreenContext) -> ft.Control:
    choices = [
        _choice(item, ctx, KEEP_THEIRS, "Keep theirs"),
        _choice(item, ctx, DISMISS, "Dismiss"),
    ]
    if item.can_keep_mine:
        choices.insert(0, _choice(item, ctx, KEEP_MINE, "Keep mine"))
    return theme.card(
        ft.Column(
            [
                ft.Row(
                    [
                        ft.Icon(ft.Icons.SYNC_PROBLEM, color=theme.WARNING, size=20),
                        ft.Text(
                            item.title, size=theme.HEADING, weight=ft.FontWeight.W_600, expand=True
                        ),
                    ]
                ),
                ft.Text(item.message, size=theme.BODY),
                _values("Mine", item.mine, theme.PENDING),
                _values("Theirs", item.theirs, theme.MUTED),
                ft.Row(choices, alignment=ft.MainAxisAlignment.END, wrap=True),
            ],
            spacing=theme.GAP,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )
    )


def _notice(icon: ft.IconData, text: str) -> ft.Control:
    return theme.card(
        ft.Row(
            [ft.Icon(icon, color=theme.WARNING), ft.Text(text, size=theme.BODY, expand=True)],
        )
    )


@ft.component
def AttentionScreen(ctx: ScreenContext) -> ft.Control:
    model = ft.use_memo(lambda: load_attention(ctx.user), [ctx.revision])
    back = back_link("attention-back", "Back to today", "Today", lambda: ctx.navigate(HOME))
    content: list[ft.Control] = [
        back,
        theme.screen_title(
            "Needs attention", "Sync problems you can settle here", identifier="attention-title"
        ),
    ]
    if model.blocked:
        content.append(_notice(ft.Icons.LOCK_CLOCK, model.blocked))
    if model.clock_warning:
        content.append(_notice(ft.Icons.SCHEDULE, model.clock_warning))
    if model.items:
        content.append(
            theme.muted(
                "The server could not take these changes as they were. Choose what to keep; "
                "your choice is sent with the next sync.",
                size=theme.BODY,
            )
        )
        content += [_issue_card(item, ctx) for item in model.items]
    elif model.empty:
        content.append(
            theme.empty_state(
                ft.Icons.TASK_ALT,
                "Nothing needs your attention",
                "Every change on this device agrees with the server.",
            )
        )
    return theme.screen_column(content)
