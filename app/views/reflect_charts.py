"""The reflections screen's two charts (flet-charts): mood over 30/90 days, completions per
week. Each takes the model's plain series and says in words what it shows, for screen
readers and for the empty case."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import flet as ft
import flet_charts as fch  # type: ignore[import-untyped]  # no py.typed in 1.0.5

from app.views import theme
from app.views.dates import short_day
from domain.trends import MOOD_VALUE

CHART_HEIGHT = 180
_MOOD_NAMES = {value: mood.value.title() for mood, value in MOOD_VALUE.items()}


def mood_trend_chart(
    points: Sequence[tuple[dt.date, int]], *, today: dt.date, days: int
) -> ft.Control:
    """A curved line over the window (x = days since its first day, y = 1..5)."""
    if len(points) < 2:
        return theme.empty_state(
            ft.Icons.SHOW_CHART,
            "No trend yet",
            "Check in on a few days and your mood line appears here.",
            framed=False,
        )
    first = today - dt.timedelta(days=days - 1)
    spots = [
        fch.LineChartDataPoint(
            (day - first).days,
            value,
            tooltip=f"{short_day(day)}: {_MOOD_NAMES[value]}",
        )
        for day, value in points
    ]
    average = sum(v for _, v in points) / len(points)
    chart = fch.LineChart(
        data_series=[
            fch.LineChartData(
                points=spots,
                curved=True,
                prevent_curve_over_shooting=True,
                color=theme.PRIMARY,
                stroke_width=3,
                rounded_stroke_cap=True,
                point=fch.ChartCirclePoint(radius=3, color=theme.PRIMARY),
                below_line_bgcolor=ft.Colors.with_opacity(0.10, theme.PRIMARY),
            )
        ],
        min_x=0,
        max_x=days - 1,
        min_y=0.5,
        max_y=5.5,
        left_axis=fch.ChartAxis(
            labels=[
                fch.ChartAxisLabel(value=v, label=_axis_text(_MOOD_NAMES[v]))
                for v in sorted(_MOOD_NAMES)
            ],
            label_size=64,
            label_spacing=1,
        ),
        bottom_axis=fch.ChartAxis(labels=_date_labels(first, days), label_size=28),
        horizontal_grid_lines=fch.ChartGridLines(interval=1, color=theme.BORDER, width=1),
        border=ft.Border.all(1, theme.BORDER),
        interactive=True,
        height=CHART_HEIGHT,
    )
    return ft.Semantics(
        label=f"Mood over the last {days} days: {len(points)} check-ins, "
        f"on average {_MOOD_NAMES[round(average)]}",
        content=chart,
    )


def completions_chart(weeks: Sequence[tuple[dt.date, int]]) -> ft.Control:
    """One bar per ISO week, labelled by its Monday."""
    if not any(count for _, count in weeks):
        return theme.empty_state(
            ft.Icons.BAR_CHART,
            "No completions yet",
            "Tick a habit on Today and each week's count shows up here.",
            framed=False,
        )
    top = max(count for _, count in weeks)
    groups = [
        fch.BarChartGroup(
            x=i,
            rods=[
                fch.BarChartRod(
                    from_y=0,
                    to_y=count,
                    width=14,
                    color=theme.PRIMARY if i == len(weeks) - 1 else "#7FB79A",
                    border_radius=4,
                    tooltip=f"Week of {monday.day} {monday:%b}: {count}",
                )
            ],
        )
        for i, (monday, count) in enumerate(weeks)
    ]
    chart = fch.BarChart(
        groups=groups,
        max_y=math.ceil(top * 1.15) + 1,
        bottom_axis=fch.ChartAxis(
            labels=[
                fch.ChartAxisLabel(value=i, label=_axis_text(f"{monday.day} {monday:%b}"))
                for i, (monday, _) in enumerate(weeks)
                if (len(weeks) - 1 - i) % 2 == 0  # every other week, ending with this one
            ],
            label_size=28,
        ),
        left_axis=fch.ChartAxis(label_size=32, show_max=False),
        horizontal_grid_lines=fch.ChartGridLines(color=theme.BORDER, width=1),
        border=ft.Border.all(1, theme.BORDER),
        interactive=True,
        height=CHART_HEIGHT,
    )
    this_week = weeks[-1][1]
    return ft.Semantics(
        label=f"Habit completions per week for {len(weeks)} weeks; this week {this_week}",
        content=chart,
    )


def _date_labels(first: dt.date, days: int) -> list[fch.ChartAxisLabel]:
    step = 7 if days <= 31 else 30
    return [
        fch.ChartAxisLabel(value=x, label=_axis_text(f"{day.day} {day:%b}"))
        for x in range(0, days, step)
        for day in [first + dt.timedelta(days=x)]
    ]


def _axis_text(text: str) -> ft.Text:
    return ft.Text(text, size=theme.SMALL - 1, color=theme.MUTED)
