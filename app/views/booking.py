"""``/mentors``: find a mentor (filtered on the device by category, interest and skill), read
their profile, and book a session, virtual or in person at a venue, with the final price shown
before confirming. Reads and writes only through ``app.state.booking``, so it works offline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import flet as ft

from app.state import online
from app.state.booking import (
    Mentor,
    Venue,
    book_session,
    default_city,
    fetched_label,
    find_mentor,
    load_directory,
    load_venues,
    quote,
    refresh_directory,
    venue_cities,
)
from app.state.context import ScreenContext
from app.views import theme
from app.views.building_blocks import (
    back_link,
    cancel_button,
    choice_button,
    form_ending,
    labelled,
    sentence,
    status_chip,
)
from app.views.fields import choice_field, text_field
from app.views.reviews import MentorReviews
from domain.errors import RuleViolation

ANY = ""
"""The drop-down key meaning "no filter"."""
TIER_WORDS = {"standard": "Standard", "premium": "Premium", "exclusive": "Exclusive"}


@ft.component
def MentorsScreen(ctx: ScreenContext) -> ft.Control:
    category, set_category = ft.use_state(ANY)
    interest, set_interest = ft.use_state(ANY)
    skill, set_skill = ft.use_state(ANY)
    chosen, set_chosen = ft.use_state("")
    refreshing, set_refreshing = ft.use_state(False)
    fetches, set_fetches = ft.use_state(0)
    directory = ft.use_memo(
        lambda: load_directory(
            ctx.user, category=category or None, interest=interest or None, skill=skill or None
        ),
        [ctx.revision, category, interest, skill, fetches],
    )
    mentor = find_mentor(ctx.user, chosen) if chosen else None
    if mentor is not None:
        return theme.screen_column([MentorProfile(ctx, mentor, lambda: set_chosen(""))])

    def filter_of(
        identifier: str,
        label: str,
        value: str,
        values: tuple[str, ...],
        chosen_value: Callable[[str], None],
    ) -> ft.Control:
        choices = [(ANY, f"Any {label.lower()}")] + [(v, v) for v in values]
        return ft.Container(
            choice_field(identifier, label, value, choices, chosen_value, dense=True),
            col={"xs": 12, "sm": 4},
        )

    filters = ft.ResponsiveRow(
        [
            filter_of("filter-category", "Category", category, directory.categories, set_category),
            filter_of("filter-interest", "Interest", interest, directory.interests, set_interest),
            filter_of("filter-skill", "Skill", skill, directory.skills, set_skill),
        ],
        spacing=theme.GAP,
    )

    async def refresh() -> None:
        set_refreshing(True)
        try:
            count = await refresh_directory(ctx.user)
        except online.Unreachable:
            ctx.notify("You are offline: showing the directory last fetched.")
        except online.Refused as refused:
            ctx.notify(f"Not refreshed: {refused}")
        else:
            ctx.notify(f"{count} mentors fetched")
            set_fetches(lambda n: n + 1)
        finally:
            set_refreshing(False)

    refresh_button = labelled(
        "mentors-refresh",
        "Refresh the directory online",
        ft.IconButton(
            ft.Icons.REFRESH,
            tooltip="Refresh the directory online",
            disabled=refreshing,
            on_click=refresh,
        ),
    )
    body: list[ft.Control] = [
        theme.screen_title(
            "Find a mentor",
            fetched_label(directory.fetched_at, ctx.user.time_zone),
            identifier="mentors-title",
            action=refresh_button,
        ),
        filters,
    ]
    if not directory.mentors:
        body.append(
            theme.empty_state(
                ft.Icons.PERSON_SEARCH,
                "No mentor matches",
                "Try another category, interest or skill, or sync to refresh the directory.",
            )
        )
    body += [MentorCard(m, set_chosen) for m in directory.mentors]
    return theme.screen_column(body)


def _rating(rating: float, size: int) -> ft.Control:
    """A star icon and the rating (a star glyph is not in the app's bundled font)."""
    return ft.Row(
        [
            ft.Icon(ft.Icons.STAR, size=size, color=theme.WARNING),
            ft.Text(f"{rating:.1f}", size=size, color=theme.WARNING),
        ],
        spacing=2,
        tight=True,
    )


def _badges(mentor: Mentor) -> list[ft.Control]:
    badges: list[ft.Control] = [
        status_chip(TIER_WORDS.get(mentor.tier, mentor.tier), theme.PRIMARY)
    ]
    if mentor.verified:
        badges.insert(
            0,
            ft.Row(
                [
                    ft.Icon(ft.Icons.VERIFIED, size=16, color=theme.PRIMARY),
                    ft.Text("Verified", size=theme.SMALL, color=theme.PRIMARY),
                ],
                spacing=2,
                tight=True,
            ),
        )
    return badges


def _heading(mentor: Mentor, name_size: int, rating_size: int) -> list[ft.Control]:
    """The mentor's name and rating, then the verified mark and tier (card and profile)."""
    return [
        ft.Row(
            [
                ft.Text(mentor.name, size=name_size, weight=ft.FontWeight.W_700, expand=True),
                _rating(mentor.rating, rating_size),
            ],
        ),
        ft.Row(_badges(mentor), spacing=theme.GAP, wrap=True),
    ]


def MentorCard(mentor: Mentor, on_open: Callable[[str], None]) -> ft.Control:
    lines = _heading(mentor, theme.HEADING, theme.BODY)
    if mentor.title:
        lines.insert(1, theme.muted(mentor.title, size=theme.BODY))
    if mentor.skills:
        lines.append(theme.muted(" · ".join(mentor.skills)))
    return labelled(
        f"mentor-card-{mentor.mentor_id}",
        f"{mentor.name}, rated {mentor.rating:.1f}" + (", verified" if mentor.verified else ""),
        ft.Container(
            content=theme.card(ft.Column(lines, spacing=4)),
            on_click=lambda _: on_open(mentor.mentor_id),
            ink=True,
            border_radius=theme.RADIUS,
        ),
    )


@ft.component
def MentorProfile(ctx: ScreenContext, mentor: Mentor, on_back: Callable[[], None]) -> ft.Control:
    booking, set_booking = ft.use_state(False)
    back = back_link("mentor-back", "Back to the directory", "All mentors", on_back)
    about = _heading(mentor, theme.TITLE, theme.HEADING)
    if mentor.title:
        about.append(theme.muted(mentor.title, size=theme.BODY))
    about.append(ft.Text(mentor.bio or "No bio yet.", size=theme.BODY))
    for heading, values in (
        ("Skills", mentor.skills),
        ("Interests", mentor.interests),
        ("Mentors in", mentor.categories),
    ):
        if values:
            about.append(theme.muted(f"{heading}: " + ", ".join(values)))
    about.append(theme.muted(f"{mentor.total_sessions} sessions given"))
    controls: list[ft.Control] = [back, theme.card(ft.Column(about, spacing=6))]
    if booking:
        controls.append(BookingForm(ctx, mentor, lambda: set_booking(False)))
    else:
        controls.append(
            theme.primary_button(
                "book-open",
                f"Book a session with {mentor.name}",
                "Book a session",
                ft.Icons.EVENT_AVAILABLE,
                lambda _: set_booking(True),
            )
        )
    controls.append(MentorReviews(ctx, mentor.mentor_id))
    return ft.Column(
        controls, spacing=theme.GAP * 1.5, horizontal_alignment=ft.CrossAxisAlignment.STRETCH
    )


def _tomorrow(ctx: ScreenContext) -> str:
    return (ctx.user.today() + dt.timedelta(days=1)).isoformat()


@ft.component
def BookingForm(ctx: ScreenContext, mentor: Mentor, on_done: Callable[[], None]) -> ft.Control:
    kind, set_kind = ft.use_state("virtual")
    city, set_city = ft.use_state(default_city(ctx.user))
    venue_id, set_venue_id = ft.use_state("")
    day, set_day = ft.use_state(_tomorrow(ctx))
    clock_time, set_clock_time = ft.use_state("10:00")
    error, set_error = ft.use_state("")
    cities = venue_cities(ctx.user)
    venues = load_venues(ctx.user, city or None) if kind == "in_person" else ()
    venue: Venue | None = next((v for v in venues if v.venue_id == venue_id), None)
    price = quote(mentor, kind, venue)

    def confirm() -> None:
        try:
            book_session(
                ctx.user,
                mentor.mentor_id,
                session_type=kind,
                date=day.strip(),
                time=clock_time.strip(),
                venue_id=venue_id or None,
            )
        except RuleViolation as refused:
            set_error(sentence(refused.message))
            return
        ctx.notify("Requested. It will show in My sessions.")
        on_done()
        ctx.navigate("/sessions")

    def type_button(key: str, text: str, icon: ft.IconData) -> ft.Control:
        return choice_button(f"book-type-{key}", text, kind == key, lambda: set_kind(key), icon)

    rows: list[ft.Control] = [
        theme.section_title("Book a session"),
        ft.Row(
            [
                type_button("virtual", "Virtual", ft.Icons.VIDEOCAM),
                type_button("in_person", "In person", ft.Icons.STOREFRONT),
            ],
            spacing=theme.GAP,
        ),
    ]
    if kind == "in_person":
        rows.append(
            choice_field("book-city", "City", city or None, [(c, c) for c in cities], set_city)
        )
        if city and not venues:
            rows.append(theme.muted("No venue in this city yet."))
        rows += [VenueChoice(v, v.venue_id == venue_id, set_venue_id) for v in venues]
    rows.append(
        ft.Row(
            [
                text_field("book-date", "Date (YYYY-MM-DD)", day, set_day, expand=True),
                text_field("book-time", "Time (HH:MM)", clock_time, set_clock_time, expand=True),
            ],
            spacing=theme.GAP,
        )
    )
    rows.append(theme.muted(f"Times are in your zone, {ctx.user.time_zone}. One hour."))
    price_text = f"{price:.2f}"
    rows.append(
        ft.Semantics(  # the label alone is the price, as tests and screen readers read it
            identifier="book-price",
            label=price_text,
            exclude_semantics=True,
            content=ft.Row(
                [
                    ft.Text("Price", size=theme.BODY, expand=True),
                    ft.Text(price_text, size=theme.HEADING, weight=ft.FontWeight.W_700),
                ]
            ),
        )
    )
    if kind == "in_person" and venue and venue.is_partner:
        rows.append(
            theme.muted("Includes 30% off for meeting in person and the partner venue's discount.")
        )
    elif kind == "in_person":
        rows.append(theme.muted("Includes 30% off for meeting in person."))
    rows += form_ending(
        error,
        [
            cancel_button("book-cancel", "Cancel", "Cancel", on_done),
            theme.primary_button(
                "book-confirm",
                f"Confirm booking for {price_text}",
                "Confirm booking",
                ft.Icons.CHECK,
                lambda _: confirm(),
            ),
        ],
    )
    return theme.card(ft.Column(rows, spacing=theme.GAP))


def VenueChoice(venue: Venue, selected: bool, choose: Callable[[str], None]) -> ft.Control:
    partner = (
        f"Partner · {venue.partnership_tier or ''}".strip(" ·")
        if venue.is_partner
        else "Not a partner"
    )
    return labelled(
        f"book-venue-{venue.venue_id}",
        f"{venue.name}, {venue.kind.replace('_', ' ')}, {partner}"
        + (", selected" if selected else ""),
        ft.Container(
            content=ft.Row(
                [
                    ft.Icon(
                        ft.Icons.RADIO_BUTTON_CHECKED
                        if selected
                        else ft.Icons.RADIO_BUTTON_UNCHECKED,
                        color=theme.PRIMARY,
                    ),
                    ft.Column(
                        [
                            ft.Text(venue.name, size=theme.BODY, weight=ft.FontWeight.W_600),
                            theme.muted(f"{venue.kind.replace('_', ' ').capitalize()} · {partner}"),
                        ],
                        spacing=0,
                        expand=True,
                    ),
                ]
            ),
            padding=theme.GAP,
            border=ft.Border.all(1, theme.PRIMARY if selected else theme.BORDER),
            border_radius=theme.RADIUS,
            on_click=lambda _: choose(venue.venue_id),
            ink=True,
        ),
    )
