"""``/badges``: the wall of earned badges, each with when and why (from Profile)."""

from __future__ import annotations

import flet as ft

from app.state.badges import EarnedBadge, load_badges
from app.state.context import ScreenContext
from app.views import theme
from app.views.building_blocks import back_link

_ICONS = {
    "streak": ft.Icons.LOCAL_FIRE_DEPARTMENT,
    "consistency": ft.Icons.CALENDAR_MONTH,
    "reflection": ft.Icons.AUTO_STORIES,
    "identity_builder": ft.Icons.EMOJI_PEOPLE,
    "milestone": ft.Icons.FLAG,
    "session_completion": ft.Icons.HANDSHAKE,
}


def _badge(badge: EarnedBadge) -> ft.Control:
    when = f"Earned {badge.earned_on:%a %-d %b %Y}" if badge.earned_on else "Earned"
    return ft.Semantics(
        identifier=f"badge-{badge.badge_id}",
        label=f"{badge.title}. {badge.why} {when}",
        container=True,
        content=theme.card(
            ft.Row(
                [
                    ft.Container(
                        ft.Icon(_ICONS.get(badge.kind, ft.Icons.MILITARY_TECH), color="white"),
                        bgcolor=theme.PRIMARY,
                        border_radius=24,
                        width=48,
                        height=48,
                        alignment=ft.Alignment.CENTER,
                    ),
                    ft.Column(
                        [
                            ft.Text(badge.title, size=theme.HEADING, weight=ft.FontWeight.W_600),
                            ft.Text(badge.why, size=theme.BODY),
                            theme.muted(when),
                        ],
                        spacing=2,
                        expand=True,
                    ),
                ],
                spacing=theme.GAP + 4,
                vertical_alignment=ft.CrossAxisAlignment.START,
            )
        ),
    )


@ft.component
def BadgesScreen(ctx: ScreenContext) -> ft.Control:
    badges = ft.use_memo(lambda: load_badges(ctx.user), [ctx.revision])
    back = back_link("badges-back", "Back to profile", "Profile", lambda: ctx.navigate("/profile"))
    count = f"{len(badges)} earned" if badges else "None yet"
    content: list[ft.Control] = [
        back,
        theme.screen_title("Badges", count, identifier="badges-title"),
    ]
    if badges:
        content += [_badge(b) for b in badges]
    else:
        content.append(
            theme.empty_state(
                ft.Icons.MILITARY_TECH,
                "Your first badge is a week away",
                "Keep a daily habit going for 7 days in a row, or write four weekly "
                "reflections: badges mark the identity you are building.",
            )
        )
    return theme.screen_column(content)
