"""The navigation's destinations as drawn: each route's outlined and filled icon, and the one
control a destination is tapped through, wherever it sits (bar, rail or the More list)."""

from __future__ import annotations

import flet as ft

from app.state.routes import nav_identifier

ICONS: dict[str, tuple[ft.IconData, ft.IconData]] = {
    "/today": (ft.Icons.WB_SUNNY_OUTLINED, ft.Icons.WB_SUNNY),
    "/goals": (ft.Icons.FLAG_OUTLINED, ft.Icons.FLAG),
    "/reflect": (ft.Icons.SELF_IMPROVEMENT_OUTLINED, ft.Icons.SELF_IMPROVEMENT),
    "/todos": (ft.Icons.CHECKLIST_OUTLINED, ft.Icons.CHECKLIST),
    "/mentoring": (ft.Icons.GROUPS_OUTLINED, ft.Icons.GROUPS),
    "/sessions": (ft.Icons.EVENT_AVAILABLE_OUTLINED, ft.Icons.EVENT_AVAILABLE),
    "/events": (ft.Icons.LOCAL_ACTIVITY_OUTLINED, ft.Icons.LOCAL_ACTIVITY),
    "/profile": (ft.Icons.PERSON_OUTLINE, ft.Icons.PERSON),
    "/more": (ft.Icons.MENU, ft.Icons.MENU_OPEN),
}


def nav_icon(route: str, label: str, selected: bool) -> ft.Control:
    """A bar's or rail's destination icon, found by ``nav-<name>``."""
    outline, filled = ICONS[route]
    return ft.Semantics(
        identifier=nav_identifier(route),
        label=label,
        button=True,
        content=ft.Icon(filled if selected else outline),
    )
