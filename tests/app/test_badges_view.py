"""The badges wall: earned badges newest first, with when (in the user's zone) and why."""

from __future__ import annotations

from app.state.badges import load_badges
from app.state.context import ScreenContext, UserContext
from app.state.routes import parse_route, tabs_for
from app.views.badges import BadgesScreen
from sync import Entity
from tests.app.conftest import USER
from tests.app.flet_page import FakePage
from tests.app.seeding import from_server


def badge(earned_at: str, title: str, why: str, kind: str = "streak") -> dict[str, object]:
    return {
        "userId": USER,
        "earnedAt": earned_at,
        "badgeId": f"b-{title.split()[0].lower()}",
        "type": kind,
        "title": title,
        "description": why,
        "icon": kind,
    }


async def test_the_wall_lists_badges_newest_first_with_when_and_why(
    fake_page: FakePage, user: UserContext, screen: ScreenContext
) -> None:
    from_server(
        user.store,
        Entity.BADGE,
        badge("2026-11-02T09:00:00Z", "Week streak", "7 days in a row"),
        badge("2026-11-23T23:30:00Z", "Reflective", "4 weekly reflections", "reflection"),
    )
    earned = load_badges(user)
    assert [b.title for b in earned] == ["Reflective", "Week streak"]
    assert str(earned[0].earned_on) == "2026-11-23"  # 23:30 UTC is still the 23rd in Lisbon
    went: list[str] = []
    fake_page.render(lambda: BadgesScreen(ScreenContext(user, navigate=went.append)))
    await fake_page.settle()
    texts = fake_page.texts()
    assert "2 earned" in texts and "4 weekly reflections" in texts
    assert "Earned Mon 23 Nov 2026" in texts
    assert fake_page.by_id("badge-b-week").label.startswith("Week streak. 7 days in a row")
    await fake_page.click(fake_page.by_id("badges-back"))
    assert went == ["/profile"]


async def test_no_badge_yet_says_how_to_earn_the_first(
    fake_page: FakePage, screen: ScreenContext
) -> None:
    fake_page.render(lambda: BadgesScreen(screen))
    await fake_page.settle()
    assert "Your first badge is a week away" in fake_page.texts()
    badges = parse_route("/badges")
    assert badges.screen == "badges"
    assert badges.tab_in(tabs_for("MENTEE")) == len(tabs_for("MENTEE")) - 1  # Profile
