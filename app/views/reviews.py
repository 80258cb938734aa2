"""A mentor's reviews on his profile (kept for offline, marked with when they were fetched) and
the form a mentee writes her review of him with, from My sessions. Reads and writes only
through ``app.state.reviews``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import flet as ft
from flet.components.hooks.use_ref import MutableRef

from app.state import online
from app.state.booking import fetched_label
from app.state.context import ScreenContext
from app.state.reviews import ReviewDraft, ReviewItem, load_reviews, refresh_reviews, send_review
from app.views import theme
from app.views.building_blocks import (
    cancel_button,
    form_card,
    form_ending,
    labelled,
    send_button,
    sentence,
)
from app.views.fields import text_field
from domain.errors import RuleViolation
from domain.ratings import MAX_RATING


def stars(rating: int, size: int = 16) -> ft.Control:
    """``rating`` filled stars of five (a star glyph is not in the app's bundled font)."""
    return ft.Row(
        [
            ft.Icon(
                ft.Icons.STAR if n <= rating else ft.Icons.STAR_BORDER,
                size=size,
                color=theme.WARNING,
            )
            for n in range(1, MAX_RATING + 1)
        ],
        spacing=0,
        tight=True,
    )


def use_fresh_reviews(
    ctx: ScreenContext, mentor_id: str, fetched: Callable[[], None] | None = None
) -> None:
    """A hook: fetch the mentor's reviews once when the component opens; offline or refused,
    the kept ones stay, marked with their time. ``fetched`` runs after a fetch that worked."""

    def start() -> None:
        async def fetch() -> None:
            try:
                await refresh_reviews(ctx.user, mentor_id)
            except online.OnlineActionError:
                return
            if fetched is not None:
                fetched()

        ft.context.page.run_task(fetch)

    ft.use_effect(start, [mentor_id])


@ft.component
def MentorReviews(ctx: ScreenContext, mentor_id: str) -> ft.Control:
    """The reviews as last fetched, fetched again online when the profile opens."""
    model = ft.use_memo(lambda: load_reviews(ctx.user, mentor_id), [ctx.revision, mentor_id])
    use_fresh_reviews(ctx, mentor_id)
    when = fetched_label(model.fetched_at, ctx.user.time_zone)
    count = len(model.reviews)
    heading = f"{count} review{'s' if count != 1 else ''}" if count else "Reviews"
    rows: list[ft.Control] = [
        labelled(
            "mentor-reviews",
            f"{heading}, {when.lower()}",
            ft.Row(
                [
                    ft.Text(heading, size=theme.HEADING, weight=ft.FontWeight.W_600),
                    theme.muted(when),
                ],
                alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
                wrap=True,
            ),
        )
    ]
    if not model.reviews:
        hint = (
            "No one has reviewed this mentor yet."
            if model.fetched_at
            else "Reviews show here once the app has fetched them online."
        )
        rows.append(theme.muted(hint, size=theme.BODY))
    rows += [ReviewRow(r) for r in model.reviews]
    return ft.Column(rows, spacing=theme.GAP)


def ReviewRow(review: ReviewItem) -> ft.Control:
    author = "You" if review.mine else review.author
    lines: list[ft.Control] = [
        ft.Row(
            [
                stars(review.rating),
                ft.Text(author, size=theme.BODY, weight=ft.FontWeight.W_600, expand=True),
                theme.muted(review.date_label),
            ],
            spacing=theme.GAP,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        )
    ]
    if review.comment:
        lines.append(ft.Text(review.comment, size=theme.BODY))
    spoken = f"{review.rating} of 5 by {author}, {review.date_label}"
    return labelled(
        f"mentor-review-{review.review_id}",
        spoken + (f": {review.comment}" if review.comment else ""),
        theme.card(ft.Column(lines, spacing=4), padding=theme.PAD - 4),
    )


@ft.component
def ReviewForm(
    ctx: ScreenContext, mentor_id: str, mentor_name: str, on_done: Callable[[], None]
) -> ft.Control:
    """Stars and a comment; starts from my review of this mentor when there is one (sending
    replaces it). Offline it says so and the draft stays."""
    kept = load_reviews(ctx.user, mentor_id)
    draft, set_draft = ft.use_state(
        ReviewDraft(rating=kept.my_rating or 5, comment=kept.my_comment)
    )
    note, set_note = ft.use_state("")
    touched: MutableRef[bool] = ft.use_ref(False)
    prefix = f"review-{mentor_id}"

    def edit(change: Callable[[ReviewDraft], ReviewDraft]) -> None:
        touched.current = True
        set_draft(change)

    def start_from_mine() -> None:
        """My review as just fetched, unless I have started writing."""
        mine = load_reviews(ctx.user, mentor_id)
        if not touched.current and mine.my_rating is not None:
            set_draft(ReviewDraft(rating=mine.my_rating, comment=mine.my_comment))

    use_fresh_reviews(ctx, mentor_id, start_from_mine)

    async def send() -> None:
        try:
            await send_review(ctx.user, mentor_id, draft)
        except RuleViolation as refused:
            set_note(sentence(refused.message))
        except online.Unreachable:
            set_note("You are offline: a review needs a connection. Your draft is kept here.")
        except online.Refused as refused:
            set_note(sentence(str(refused)))
        else:
            set_note("")
            ctx.notify(f"Thank you: your review of {mentor_name} is on their profile")
            on_done()

    def star(n: int) -> ft.Control:
        return ft.Semantics(
            identifier=f"{prefix}-star-{n}",
            label=f"{n} of 5",
            button=True,
            selected=n == draft.rating,
            content=ft.IconButton(
                ft.Icons.STAR if n <= draft.rating else ft.Icons.STAR_BORDER,
                icon_color=theme.WARNING,
                icon_size=28,
                tooltip=f"{n} of 5",
                on_click=lambda _: edit(lambda old: replace(old, rating=n)),
            ),
        )

    rows: list[ft.Control] = [
        theme.section_title(
            f"Edit your review of {mentor_name}" if kept.my_rating else f"Review {mentor_name}"
        ),
        theme.muted(
            "Shown on the mentor's profile with your name. One review per mentor: "
            "sending again replaces it.",
            size=theme.BODY,
        ),
        ft.Row([star(n) for n in range(1, MAX_RATING + 1)], spacing=0, wrap=True),
        text_field(
            f"{prefix}-comment",
            "Your review (optional)",
            draft.comment,
            lambda text: edit(lambda old: replace(old, comment=text)),
            multiline=True,
            hint="What would you tell someone choosing a mentor?",
        ),
    ]
    rows += form_ending(
        note,
        [
            cancel_button(f"{prefix}-cancel", "Cancel", "Cancel", on_done),
            send_button(f"{prefix}-send", "Send review", send),
        ],
    )
    return form_card(rows)
