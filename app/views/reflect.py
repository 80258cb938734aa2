"""``/reflect``: today's mood and words, the Sunday review, sharing with a mentor, the trends
and the history with the mentor's feedback. Reads and writes only through
``app.state.reflect``, so it works offline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import flet as ft

from app.state.context import ScreenContext
from app.state.reflect import (
    TREND_WINDOWS,
    Mentor,
    ReflectionDraft,
    ReflectModel,
    WeeklyAnswers,
    load_reflect,
    save_reflection,
)
from app.state.reflect import Reflection as ReflectionModel
from app.views import theme
from app.views.dates import long_day, short_day
from app.views.fields import choice_field, text_field
from domain.errors import RuleViolation
from domain.reflections import Mood

from .reflect_charts import completions_chart, mood_trend_chart

MOOD_ICONS: dict[Mood, ft.IconData] = {
    Mood.GREAT: ft.Icons.SENTIMENT_VERY_SATISFIED,
    Mood.GOOD: ft.Icons.SENTIMENT_SATISFIED,
    Mood.NEUTRAL: ft.Icons.SENTIMENT_NEUTRAL,
    Mood.BAD: ft.Icons.SENTIMENT_DISSATISFIED,
    Mood.AWFUL: ft.Icons.SENTIMENT_VERY_DISSATISFIED,
}

WEEKLY_QUESTIONS = {
    "content.whatWentWell": "What went well?",
    "content.whatFeltHard": "What felt hard?",
    "content.insights": "What did you learn?",
}
"""The spec's weekly ``content`` fields as the form asks them (and names them when refused)."""
_ASK = {field.removeprefix("content."): question for field, question in WEEKLY_QUESTIONS.items()}
HISTORY_PAGE = 14
"""Past reflections shown at first (two weeks); more on request keeps the screen light."""


@ft.component
def ReflectScreen(ctx: ScreenContext) -> ft.Control:
    trend_days, set_trend_days = ft.use_state(TREND_WINDOWS[0])
    saves, set_saves = ft.use_state(0)
    shown, set_shown = ft.use_state(HISTORY_PAGE)
    model = ft.use_memo(
        lambda: load_reflect(ctx.user, trend_days=trend_days), [ctx.revision, trend_days, saves]
    )
    return theme.screen_column(
        [
            theme.screen_title("Reflect", long_day(model.today), identifier="reflect-title"),
            TodayForm(ctx, model, lambda: set_saves(saves + 1)),
            *_todays_responses(model),
            _trends(model, trend_days, set_trend_days),
            theme.section_title("Earlier reflections"),
            *_history(model, shown),
            *(
                [
                    ft.Semantics(
                        identifier="reflection-more",
                        label="Show older reflections",
                        button=True,
                        content=ft.TextButton(
                            f"Show older ({len(model.history) - shown} more)",
                            icon=ft.Icons.EXPAND_MORE,
                            on_click=lambda _: set_shown(shown + HISTORY_PAGE),
                        ),
                    )
                ]
                if len(model.history) > shown
                else []
            ),
        ]
    )


@ft.component
def TodayForm(ctx: ScreenContext, model: ReflectModel, saved: Callable[[], None]) -> ft.Control:
    """The check-in card: filled from today's entry when there is one."""
    todays = model.todays
    mood, set_mood = ft.use_state(todays.mood.value if todays else None)
    text, set_text = ft.use_state(todays.text if todays else "")
    weekly = todays.weekly if todays and todays.weekly else WeeklyAnswers()
    went_well, set_went_well = ft.use_state(weekly.went_well)
    felt_hard, set_felt_hard = ft.use_state(weekly.felt_hard)
    insights, set_insights = ft.use_state(weekly.insights)
    gratitude, set_gratitude = ft.use_state("\n".join(weekly.gratitude))
    shared = todays.shared_with if todays else None
    share, set_share = ft.use_state(shared is not None)
    mentor_id, set_mentor_id = ft.use_state(
        shared.user_id if shared else (model.mentors[0].user_id if model.mentors else None)
    )

    def save(_: object) -> None:
        answers = None
        if model.weekly_day and any(a.strip() for a in (went_well, felt_hard, insights, gratitude)):
            answers = WeeklyAnswers(went_well, felt_hard, insights, tuple(gratitude.splitlines()))
        draft = ReflectionDraft(
            mood=mood,
            text=text,
            weekly=answers,
            share=share,
            mentor_id=mentor_id if share and len(model.mentors) > 1 else None,
        )
        try:
            save_reflection(ctx.user, draft)
        except RuleViolation as refused:
            question = WEEKLY_QUESTIONS.get(refused.field or "")
            ctx.notify(f"Not saved: {f'{question} ' if question else ''}{refused.message}")
            return
        saved()
        who = next((m.name for m in model.mentors if m.user_id == mentor_id), "your mentor")
        ctx.notify(f"Reflection saved · shared with {who}" if share else "Reflection saved")

    controls: list[ft.Control] = [
        ft.Row(
            [
                theme.section_title("How do you feel today?"),
                *([theme.pending_mark()] if todays and todays.pending else []),
            ],
            alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
            wrap=True,
        ),
        ft.Row([_mood_choice(m, m.value == mood, set_mood) for m in Mood], spacing=6),
        text_field(
            "reflection-text",
            "A few words about today",
            text,
            set_text,
            hint="What happened, what you noticed, what you'd do again",
            multiline=True,
            min_lines=3,
            max_lines=8,
        ),
    ]
    if model.weekly_day:
        controls += [
            ft.Divider(color=theme.BORDER),
            theme.section_title("Your week"),
            theme.muted(
                "Sunday is for looking back. Answer the three questions to save this as your "
                "weekly review, or leave them empty for a daily check-in."
            ),
            _answer(_ASK["whatWentWell"], went_well, set_went_well, "reflection-went-well"),
            _answer(_ASK["whatFeltHard"], felt_hard, set_felt_hard, "reflection-felt-hard"),
            _answer(_ASK["insights"], insights, set_insights, "reflection-insights"),
            _answer(
                "Grateful for (one per line)",
                gratitude,
                set_gratitude,
                "reflection-gratitude",
            ),
        ]
    else:
        controls.append(
            theme.muted(f"The weekly review opens on Sunday {_next_sunday(model.today)}.")
        )
    controls += [
        _share_row(model.mentors, share, set_share, mentor_id, set_mentor_id),
        ft.Row(
            [
                theme.primary_button(
                    "reflection-save",
                    "Save reflection",
                    "Update reflection" if todays else "Save reflection",
                    ft.Icons.CHECK,
                    save,
                )
            ],
            alignment=ft.MainAxisAlignment.END,
        ),
    ]
    return theme.card(
        ft.Column(controls, spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    )


def _mood_choice(mood: Mood, selected: bool, choose: Callable[[str], None]) -> ft.Control:
    color = theme.MOOD_COLORS[mood.value]
    choice = ft.Semantics(
        identifier=f"reflection-mood-{mood.value}",
        label=f"Mood: {mood.value.title()}",
        button=True,
        selected=selected,
        content=ft.Container(
            content=ft.Column(
                [
                    ft.Icon(MOOD_ICONS[mood], color=color, size=28),
                    ft.Text(
                        mood.value.title(),
                        size=theme.SMALL,
                        color=color if selected else theme.MUTED,
                        weight=ft.FontWeight.W_600 if selected else None,
                    ),
                ],
                spacing=2,
                horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                tight=True,
            ),
            height=64,
            alignment=ft.Alignment.CENTER,
            border_radius=theme.RADIUS,
            bgcolor=ft.Colors.with_opacity(0.12, color) if selected else theme.SURFACE,
            border=ft.Border.all(2 if selected else 1, color if selected else theme.BORDER),
            ink=True,
            on_click=lambda _: choose(mood.value),
            tooltip=f"I feel {mood.value.lower()}",
        ),
    )
    return ft.Container(content=choice, expand=True)


def _answer(label: str, value: str, change: Callable[[str], None], identifier: str) -> ft.Control:
    return text_field(identifier, label, value, change, multiline=True, min_lines=2, max_lines=6)


def _share_row(
    mentors: tuple[Mentor, ...],
    share: bool,
    set_share: Callable[[Callable[[bool], bool]], None],
    mentor_id: str | None,
    set_mentor_id: Callable[[str | None], None],
) -> ft.Control:
    if not mentors:
        hint = "Once a goal or a session has a mentor, you can share reflections with them."
    elif len(mentors) == 1:
        hint = f"{mentors[0].name} will see this reflection and can answer it."
    else:
        hint = "Your mentor will see this reflection and can answer it."
    toggle = ft.Semantics(
        identifier="reflection-share",
        label="Share with my mentor",
        toggled=share,
        content=ft.Switch(
            label="Share with my mentor",
            value=share and bool(mentors),
            disabled=not mentors,
            active_color=theme.PRIMARY,
            on_change=lambda _: set_share(lambda shared: not shared),
        ),
    )
    rows: list[ft.Control] = [toggle, theme.muted(hint)]
    if share and len(mentors) > 1:
        rows.append(
            choice_field(
                "reflection-mentor",
                "Share with",
                mentor_id,
                [(m.user_id, m.name) for m in mentors],
                set_mentor_id,
                width=280,
            )
        )
    return ft.Column(rows, spacing=4)


def _trends(model: ReflectModel, days: int, set_days: Callable[[int], None]) -> ft.Control:
    window = ft.SegmentedButton(
        segments=[ft.Segment(value=str(d), label=f"{d} days") for d in TREND_WINDOWS],
        selected=[str(days)],
        on_change=lambda e: set_days(int(e.control.selected[0])),
        show_selected_icon=False,
    )
    return theme.card(
        ft.Column(
            [
                ft.Row(
                    [
                        theme.section_title("Mood trend"),
                        ft.Semantics(label="Mood trend period", content=window),
                    ],
                    alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                ),
                mood_trend_chart(model.mood_trend, today=model.today, days=days),
                ft.Divider(color=theme.BORDER),
                theme.section_title("Habit completions per week"),
                completions_chart(model.weekly_completions),
            ],
            spacing=12,
        )
    )


def _todays_responses(model: ReflectModel) -> list[ft.Control]:
    replies = _responses(model.todays, model.today) if model.todays else []
    if not replies:
        return []
    return [theme.card(ft.Column([theme.section_title("On today's reflection"), *replies]))]


def _history(model: ReflectModel, shown: int) -> list[ft.Control]:
    if not model.history:
        return [
            theme.empty_state(
                ft.Icons.AUTO_STORIES_OUTLINED,
                "Your story starts today",
                "Reflections from earlier days will be listed here, newest first.",
            )
        ]
    return [_past(r, model.today) for r in model.history[:shown]]


def _past(entry: ReflectionModel, today: dt.date) -> ft.Control:
    color = theme.MOOD_COLORS[entry.mood.value]
    header: list[ft.Control] = [
        ft.Icon(MOOD_ICONS[entry.mood], color=color, size=22),
        ft.Text(short_day(entry.day, today), size=theme.BODY, weight=ft.FontWeight.W_600),
        ft.Text(entry.mood.value.title(), size=theme.SMALL, color=color),
    ]
    if entry.weekly:
        header.append(_chip("Weekly review", ft.Icons.EVENT_NOTE, theme.PRIMARY))
    if entry.shared_with:
        header.append(_chip(f"Shared with {entry.shared_with.name}", ft.Icons.PEOPLE, theme.MUTED))
    if entry.pending:
        header.append(theme.pending_mark())
    body: list[ft.Control] = [ft.Row(header, spacing=theme.GAP, wrap=True, run_spacing=4)]
    if entry.text:
        body.append(ft.Text(entry.text, size=theme.BODY))
    if entry.weekly:
        body += _weekly_answers(entry.weekly)
    body += _responses(entry, today)
    return theme.card(ft.Column(body, spacing=theme.GAP))


def _responses(entry: ReflectionModel, today: dt.date) -> list[ft.Control]:
    """The mentor's feedback and the AI insight on a reflection, when there are any."""
    out: list[ft.Control] = []
    if entry.feedback:
        when = f" · {short_day(entry.feedback.day, today)}" if entry.feedback.day else ""
        title = f"{entry.feedback.mentor_name}{when}"
        note = _note(ft.Icons.FORUM_OUTLINED, title, entry.feedback.text, "#EEF6F1")
        # found by tests and read by screen readers as the mentor's words themselves
        out.append(
            ft.Semantics(
                identifier="reflection-feedback",
                label=entry.feedback.text,
                exclude_semantics=True,
                content=note,
            )
        )
    if entry.ai_insights:
        out.append(_note(ft.Icons.LIGHTBULB_OUTLINE, "Insight", entry.ai_insights, "#FFF8E6"))
    return out


def _weekly_answers(weekly: WeeklyAnswers) -> list[ft.Control]:
    out: list[ft.Control] = []
    for label, value in (
        ("Went well", weekly.went_well),
        ("Felt hard", weekly.felt_hard),
        ("Learned", weekly.insights),
        ("Grateful for", ", ".join(weekly.gratitude)),
    ):
        if value:
            out.append(
                ft.Text(
                    spans=[
                        ft.TextSpan(f"{label}: ", ft.TextStyle(weight=ft.FontWeight.W_600)),
                        ft.TextSpan(value),
                    ],
                    size=theme.BODY,
                )
            )
    return out


def _note(icon: ft.IconData, title: str, text: str, bgcolor: str) -> ft.Control:
    return ft.Container(
        content=ft.Row(
            [
                ft.Icon(icon, size=18, color=theme.PRIMARY),
                ft.Column(
                    [
                        ft.Text(title, size=theme.SMALL, weight=ft.FontWeight.W_600),
                        ft.Text(text, size=theme.BODY),
                    ],
                    spacing=2,
                    expand=True,
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.START,
        ),
        bgcolor=bgcolor,
        border_radius=theme.RADIUS - 4,
        padding=10,
    )


def _chip(text: str, icon: ft.IconData, color: str) -> ft.Control:
    return ft.Container(
        content=ft.Row(
            [ft.Icon(icon, size=13, color=color), ft.Text(text, size=theme.SMALL, color=color)],
            spacing=4,
            tight=True,
        ),
        border=ft.Border.all(1, theme.BORDER),
        border_radius=20,
        padding=ft.Padding.symmetric(horizontal=8, vertical=2),
    )


def _next_sunday(today: dt.date) -> str:
    sunday = today + dt.timedelta(days=(6 - today.weekday()) % 7)
    return f"{sunday.day} {sunday:%B}"
