"""Sign-in, the shell, profile and attention screens rendered with no client (FakePage)."""

from __future__ import annotations

import asyncio
import threading

import flet as ft

from app.state.context import ScreenContext
from app.state.routes import parse_route
from app.views.attention import AttentionScreen
from app.views.profile import ProfileScreen
from app.views.shell import Shell, ShellProps
from app.views.signin import SignInProps, SignInScreen
from sync import Entity, SyncStatus
from tests.app.conftest import USER
from tests.app.flet_page import FakePage
from tests.app.seeding import from_server, sync_issue, user_profile

NAV = [
    "nav-today",
    "nav-goals",
    "nav-reflect",
    "nav-todos",
    "nav-sessions",
    "nav-events",
    "nav-profile",
]
PHONE_NAV = ["nav-today", "nav-goals", "nav-reflect", "nav-todos", "nav-more"]


class Calls:
    def __init__(self, answer: str | None = None) -> None:
        self.seen: list[tuple[str, ...]] = []
        self.answer = answer

    async def __call__(self, *args: str) -> str | None:
        self.seen.append(args)
        return self.answer


def _sign_in_props(sign_in: Calls, sign_up: Calls) -> SignInProps:
    return SignInProps("http://127.0.0.1:8000", "Europe/Lisbon", sign_in, sign_up)


async def test_sign_in_sends_what_was_typed_and_shows_the_refusal(fake_page: FakePage):
    sign_in, sign_up = Calls("That email and password do not match."), Calls()
    fake_page.render(lambda: SignInScreen(_sign_in_props(sign_in, sign_up)))
    await fake_page.settle()
    await fake_page.type_into(fake_page.by_id("signin-email"), "ana@example.com")
    await fake_page.type_into(fake_page.by_id("signin-password"), "secret words")
    await fake_page.type_into(fake_page.by_id("signin-server"), "http://10.0.0.5:8000")
    await fake_page.click(fake_page.by_id("signin-submit"))
    await fake_page.settle()
    assert sign_in.seen == [("http://10.0.0.5:8000", "ana@example.com", "secret words")]
    assert "That email and password do not match." in fake_page.texts()
    assert sign_up.seen == []


async def test_sign_up_proposes_the_device_zone_and_sends_name_and_zone(fake_page: FakePage):
    sign_in, sign_up = Calls(), Calls()
    fake_page.render(lambda: SignInScreen(_sign_in_props(sign_in, sign_up)))
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("signup-open"))
    zone_field = fake_page.by_id("signup-time-zone").content
    assert zone_field.value == "Europe/Lisbon"
    await fake_page.type_into(fake_page.by_id("signup-name"), "Bea")
    await fake_page.type_into(fake_page.by_id("signin-email"), "bea@example.com")
    await fake_page.type_into(fake_page.by_id("signin-password"), "long enough pw")
    await fake_page.type_into(fake_page.by_id("signup-time-zone"), "Asia/Tokyo")
    await fake_page.click(fake_page.by_id("signin-submit"))
    await fake_page.settle()
    assert sign_up.seen == [
        ("http://127.0.0.1:8000", "Bea", "bea@example.com", "long enough pw", "Asia/Tokyo")
    ]


def _shell(
    screen: ScreenContext, route: str, status: SyncStatus, width: float, role: str = "MENTEE"
) -> ShellProps:
    async def sync_now() -> None:
        return None

    return ShellProps(
        screen, parse_route(route), status, width, sync_now, lambda: None, "Ana", role
    )


async def test_the_shell_shows_the_status_and_a_rail_on_wide_windows(fake_page, screen):
    status = SyncStatus(pending=2, issues=0)
    fake_page.render(lambda: Shell(_shell(screen, "/goals", status, 1000)))
    await fake_page.settle()
    assert fake_page.by_id("sync-status").label == "Offline · 2 pending"
    assert fake_page.by_id("sync-now").label == "Sync now"
    rail = fake_page.find(lambda c: isinstance(c, ft.NavigationRail))
    assert len(rail) == 1 and rail[0].selected_index == 1
    assert not fake_page.find(lambda c: isinstance(c, ft.NavigationBar))
    icons = [d.icon for d in rail[0].destinations]
    assert [i.identifier for i in icons] == NAV
    assert "Goals" in fake_page.texts()  # the routed screen


async def test_narrow_windows_get_a_bottom_bar_whose_taps_navigate(fake_page, user):
    went: list[str] = []
    screen = ScreenContext(user, navigate=went.append)
    fake_page.render(lambda: Shell(_shell(screen, "/today", SyncStatus(0, 0), 400)))
    await fake_page.settle()
    bar = fake_page.find(lambda c: isinstance(c, ft.NavigationBar))[0]
    assert [d.icon.identifier for d in bar.destinations] == PHONE_NAV
    fake_page.session.apply_patch(bar._i, {"selected_index": 3})
    await fake_page.session.dispatch_event(bar._i, "change", None)
    await fake_page.settle()
    assert went == ["/todos"]
    # The client sends the tapped index with the event; a redraw that reset the bar's
    # selected_index in between must not send the user back to the tab they left.
    fake_page.session.apply_patch(bar._i, {"selected_index": 0})
    await fake_page.session.dispatch_event(bar._i, "change", "2")
    await fake_page.settle()
    assert went == ["/todos", "/reflect"]
    # An index counted in tabs that changed under the tap (a role arriving) is ignored.
    await fake_page.session.dispatch_event(bar._i, "change", "12")
    await fake_page.settle()
    assert went == ["/todos", "/reflect"]


async def test_a_phone_holds_the_rest_under_more_each_by_its_own_identifier(fake_page, user):
    went: list[str] = []
    screen = ScreenContext(user, navigate=went.append)
    fake_page.render(lambda: Shell(_shell(screen, "/more", SyncStatus(0, 0), 400)))
    await fake_page.settle()
    bar = fake_page.find(lambda c: isinstance(c, ft.NavigationBar))[0]
    assert bar.selected_index == len(PHONE_NAV) - 1  # More, highlighted
    assert fake_page.by_id("more-title")
    for identifier in ("nav-sessions", "nav-events", "nav-profile"):
        await fake_page.click(fake_page.by_id(identifier))
    assert went == ["/sessions", "/events", "/profile"]


async def test_a_screen_under_more_highlights_more_and_a_rail_shows_every_tab(fake_page, user):
    def shell(width: float, role: str) -> ShellProps:
        return _shell(ScreenContext(user), "/events", SyncStatus(0, 0), width, role)

    fake_page.render(lambda: Shell(shell(400, "BOTH")))
    await fake_page.settle()
    bar = fake_page.find(lambda c: isinstance(c, ft.NavigationBar))[0]
    assert len(bar.destinations) == 5 and bar.selected_index == 4
    assert bar.destinations[3].icon.identifier == "nav-mentoring"
    assert shell(1000, "BOTH").tabs[-1] == ("/profile", "Profile")
    assert len(shell(1000, "BOTH").tabs) == 8 and shell(1000, "BOTH").tab == 6


async def test_a_screen_of_no_tab_has_its_own_way_back_and_no_bottom_bar(fake_page, user):
    went: list[str] = []
    screen = ScreenContext(user, navigate=went.append)
    fake_page.render(lambda: Shell(_shell(screen, "/attention", SyncStatus(0, 0), 400)))
    await fake_page.settle()
    assert not fake_page.find(lambda c: isinstance(c, ft.NavigationBar))
    await fake_page.click(fake_page.by_id("attention-back"))
    assert went == ["/today"]


async def test_needs_attention_in_the_status_opens_the_list(fake_page, user):
    went: list[str] = []
    screen = ScreenContext(user, navigate=went.append)
    status = SyncStatus(pending=0, issues=1, blocked="Sign in again to keep syncing")
    fake_page.render(lambda: Shell(_shell(screen, "/today", status, 1000)))
    await fake_page.settle()
    chip = fake_page.by_id("sync-status")
    assert chip.label == "Needs attention (2)"
    await fake_page.click(chip)
    assert went == ["/attention"]


async def test_the_attention_screen_resolves_an_issue(fake_page, user):
    from_server(user.store, Entity.SYNC_ISSUE, sync_issue("i1"))
    told: list[str] = []
    screen = ScreenContext(user, notify=told.append)
    fake_page.render(lambda: AttentionScreen(screen))
    await fake_page.settle()
    assert "To-do “buy oat milk”" in fake_page.texts()
    await fake_page.click(fake_page.by_id("issue-keep-mine-i1"))
    assert user.store.issue("i1").resolution == "KEEP_MINE"
    assert told and "Keep mine" in told[0]


async def test_an_empty_attention_list_says_all_is_well(fake_page, screen):
    fake_page.render(lambda: AttentionScreen(screen))
    await fake_page.settle()
    assert "Nothing needs your attention" in fake_page.texts()


async def test_profile_keeps_reminders_on_the_device_and_refuses_bad_ones(fake_page, user):
    from_server(user.store, Entity.USER, user_profile(USER))
    told: list[str] = []
    screen = ScreenContext(user, notify=told.append)
    fake_page.render(lambda: ProfileScreen(screen, lambda: None))
    await fake_page.settle()
    assert fake_page.by_id("profile-name").content.value == "Ana Souza"
    await fake_page.type_into(fake_page.by_id("reminder-time"), "23:15")
    await fake_page.click(fake_page.by_id("reminders-save"))
    assert any("never ring" in t for t in fake_page.texts())
    assert user.store.setting("reminders") is None
    await fake_page.type_into(fake_page.by_id("reminder-time"), "07:45")
    await fake_page.click(fake_page.by_id("reminders-save"))
    assert user.store.setting("reminders")["defaultTime"] == "07:45"
    assert told == ["Reminder preferences saved on this device"]


async def test_a_bad_sunday_reflection_time_is_refused_and_nothing_is_stored(fake_page, user):
    from_server(user.store, Entity.USER, user_profile(USER, reflectionReminderTime="19:00"))
    told: list[str] = []
    fake_page.render(lambda: ProfileScreen(ScreenContext(user, notify=told.append), lambda: None))
    await fake_page.settle()
    assert fake_page.by_id("reflection-time").content.value == "19:00"
    await fake_page.type_into(fake_page.by_id("reminder-time"), "07:45")
    await fake_page.type_into(fake_page.by_id("reflection-time"), "7pm")
    await fake_page.click(fake_page.by_id("reminders-save"))
    assert any("not a time like 07:30" in t for t in fake_page.texts())
    assert user.store.setting("reminders") is None and told == []


async def test_a_new_sunday_reflection_time_offline_keeps_the_rest_on_the_device(fake_page, user):
    from_server(user.store, Entity.USER, user_profile(USER))
    fake_page.render(lambda: ProfileScreen(ScreenContext(user), lambda: None))
    await fake_page.settle()
    assert fake_page.by_id("reflection-time").content.value == "18:00"
    await fake_page.type_into(fake_page.by_id("reminder-time"), "07:45")
    await fake_page.type_into(fake_page.by_id("reflection-time"), "20:30")
    await fake_page.click(fake_page.by_id("reminders-save"))
    await fake_page.settle(0.3)
    assert any("you are offline" in t for t in fake_page.texts())
    assert user.store.setting("reminders")["defaultTime"] == "07:45"
    assert fake_page.by_id("reflection-time").content.value == "20:30"  # the draft stays


async def test_saving_the_profile_offline_keeps_the_draft(fake_page, user):
    from_server(user.store, Entity.USER, user_profile(USER))
    fake_page.render(lambda: ProfileScreen(ScreenContext(user), lambda: None))
    await fake_page.settle()
    await fake_page.type_into(fake_page.by_id("profile-bio"), "Running every morning")
    await fake_page.click(fake_page.by_id("profile-save"))
    await fake_page.settle(0.3)
    assert any(t.startswith("You are offline") for t in fake_page.texts())
    assert fake_page.by_id("profile-bio").content.value == "Running every morning"


async def test_sign_out_warns_about_pending_changes_and_keeps_them(fake_page, user):
    user.store.create_todo("call mum")
    signed_out = threading.Event()
    fake_page.render(lambda: ProfileScreen(ScreenContext(user), signed_out.set))
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("sign-out"))
    assert "1 change not synced yet" in fake_page.texts()
    assert not signed_out.is_set()
    await fake_page.click(fake_page.by_id("sign-out-confirm"))
    await asyncio.sleep(0.05)
    assert signed_out.is_set() and user.store.pending() == 1


async def test_sign_out_with_nothing_pending_needs_no_confirmation(fake_page, screen):
    signed_out = threading.Event()
    fake_page.render(lambda: ProfileScreen(screen, signed_out.set))
    await fake_page.settle()
    await fake_page.click(fake_page.by_id("sign-out"))
    assert signed_out.is_set()


async def test_the_shared_pending_mark_reads_not_synced_yet(fake_page: FakePage):
    from app.views import theme

    fake_page.render(lambda: ft.Column([ft.Text("buy milk"), theme.pending_mark()]))
    await fake_page.settle()
    marks = fake_page.find(lambda c: isinstance(c, ft.Semantics) and c.label == "Not synced yet")
    assert len(marks) == 1 and "Not synced yet" in fake_page.texts()
