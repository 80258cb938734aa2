"""The app's state layer without a client: routes, the proposed zone, the local password
check, the attention list and the profile (reminders on the device, edits refused offline)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.local_password import make_verifier, matches
from app.state import online
from app.state.attention import DISMISS, KEEP_MINE, load_attention, resolve
from app.state.device_zone import device_time_zone
from app.state.profile import (
    load_profile,
    profile_changes,
    save_profile,
    save_reminders,
)
from app.state.routes import (
    HOME,
    PHONE_BAR,
    home_for,
    parse_route,
    phone_tabs_for,
    route_for,
    tabs_for,
)
from domain.errors import RuleViolation
from sync import Entity
from tests.app.conftest import USER
from tests.app.seeding import from_server, sync_issue, user_profile


@pytest.mark.parametrize(
    ("route", "screen", "habit", "tab"),
    [
        ("/today", "today", None, 0),
        ("/goals/", "goals", None, 1),
        ("/habits/h-1", "habit", "h-1", 1),
        ("/reflect?x=1", "reflect", None, 2),
        ("/todos", "todos", None, 3),
        ("/mentoring", "mentoring", None, None),
        ("/sessions", "sessions", None, 4),
        ("/mentors", "mentors", None, 4),
        ("/events", "events", None, 5),
        ("/profile", "profile", None, 6),
        ("/attention", "attention", None, None),
        ("/", "today", None, 0),
        ("/nowhere/at/all", "today", None, 0),
        (None, "today", None, 0),
    ],
)
def test_routes_map_to_screens_and_tabs(route, screen, habit, tab):
    parsed = parse_route(route)
    assert (parsed.screen, parsed.habit_id, parsed.tab_in(tabs_for("MENTEE"))) == (
        screen,
        habit,
        tab,
    )
    if screen == "today":
        assert parsed.path == HOME


MENTEE_TABS = ["/today", "/goals", "/reflect", "/todos"]
BOOKING_TABS = ["/sessions", "/events"]


@pytest.mark.parametrize(
    ("role", "paths", "home"),
    [
        ("MENTEE", [*MENTEE_TABS, *BOOKING_TABS, "/profile"], "/today"),
        (None, [*MENTEE_TABS, *BOOKING_TABS, "/profile"], "/today"),
        ("MENTOR", ["/mentoring", *BOOKING_TABS, "/profile"], "/mentoring"),
        ("BOTH", [*MENTEE_TABS, "/mentoring", *BOOKING_TABS, "/profile"], "/today"),
    ],
)
def test_navigation_follows_the_role(role, paths, home):
    assert [path for path, _ in tabs_for(role)] == paths
    assert home_for(role) == home
    mentoring = parse_route("/mentoring")
    assert (mentoring.tab_in(tabs_for(role)) is None) == (role in ("MENTEE", None))
    assert route_for("/", role).path == home
    habit_home = "/mentoring" if role == "MENTOR" else "/habits/h1"
    assert route_for("/habits/h1", role).path == habit_home


@pytest.mark.parametrize(
    ("role", "bar", "more"),
    [
        ("MENTEE", [*MENTEE_TABS, "/more"], [*BOOKING_TABS, "/profile"]),
        ("MENTOR", ["/mentoring", *BOOKING_TABS, "/profile"], []),
        (
            "BOTH",
            ["/today", "/goals", "/reflect", "/mentoring", "/more"],
            ["/todos", *BOOKING_TABS, "/profile"],
        ),
    ],
)
def test_a_phone_bar_holds_at_most_five_and_more_holds_the_rest(role, bar, more):
    in_bar, under_more = phone_tabs_for(role)
    assert [path for path, _ in in_bar] == bar and len(in_bar) <= PHONE_BAR
    assert [path for path, _ in under_more] == more
    # every destination stays reachable, once
    assert set(bar + more) - {"/more"} == {path for path, _ in tabs_for(role)}
    assert len(bar + more) == len(set(bar + more))
    if more:
        # a screen held under More, or reached from one, highlights More
        assert parse_route(more[0]).tab_in(in_bar, under_more) == len(in_bar) - 1
        assert parse_route("/badges").tab_in(in_bar, under_more) == len(in_bar) - 1
        assert parse_route("/more").tab_in(in_bar, under_more) == len(in_bar) - 1
        assert parse_route("/goals").tab_in(in_bar, under_more) == 1


def test_the_proposed_zone_comes_from_tz_then_the_localtime_link(tmp_path: Path):
    assert device_time_zone({"TZ": "America/New_York"}) == "America/New_York"
    link = tmp_path / "localtime"
    target = tmp_path / "usr/share/zoneinfo/Europe/Berlin"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"")
    link.symlink_to(target)
    assert device_time_zone({"TZ": "Not/AZone"}, link) == "Europe/Berlin"
    assert device_time_zone({}, tmp_path / "missing") == "UTC"


def test_the_local_password_verifier_matches_only_its_password():
    verifier = make_verifier("growlink-demo")
    assert "growlink-demo" not in verifier
    assert matches("growlink-demo", verifier)
    assert not matches("growlink-dem0", verifier)
    assert not matches("growlink-demo", "garbage")
    assert make_verifier("same") != make_verifier("same")  # salted


def test_the_attention_list_shows_open_issues_and_resolving_stores_the_choice(user):
    assert load_attention(user).empty
    from_server(
        user.store,
        Entity.SYNC_ISSUE,
        sync_issue("i1"),
        sync_issue(
            "i2",
            entity="HABIT_COMPLETION",
            key={"habitId": "h1", "date": "2026-11-10"},
            mine=None,
            theirs={"date": "2026-11-10"},
            field=None,
            message="Too old to back-fill",
        ),
    )
    model = load_attention(user)
    by_id = {item.issue_id: item for item in model.items}
    assert by_id["i1"].title == "To-do “buy oat milk”"
    assert (by_id["i1"].mine, by_id["i1"].theirs) == ("text: buy oat milk", "text: buy milk")
    assert by_id["i1"].can_keep_mine and not by_id["i2"].can_keep_mine
    assert user.store.status().label == "Needs attention (2)"

    resolve(user, "i1", KEEP_MINE)
    resolve(user, "i2", DISMISS)
    assert load_attention(user).items == ()
    assert user.store.status().label == "Synced"
    with pytest.raises(ValueError):
        resolve(user, "i1", "KEEP_BOTH")


def test_the_profile_reads_the_synced_user_and_device_reminders(user):
    from_server(user.store, Entity.USER, user_profile(USER))
    model = load_profile(user)
    assert (model.name, model.bio, model.time_zone) == (
        "Ana Souza",
        "Learning to run",
        "Europe/Lisbon",
    )
    assert model.reminders.as_settings() == {
        "defaultTime": "08:00",
        "quietStart": "22:00",
        "quietEnd": "07:00",
    }
    save_reminders(user, "6:30", "21:00", "06:00")
    assert load_profile(user).reminders.as_settings()["defaultTime"] == "06:30"
    assert user.store.pending() == 0  # device-local: nothing queued for the server


def test_bad_reminders_are_refused_and_nothing_changes(user):
    with pytest.raises(RuleViolation) as caught:
        save_reminders(user, "23:00", "22:00", "07:00")
    assert caught.value.field == "defaultTime"
    with pytest.raises(RuleViolation):
        save_reminders(user, "8 am", "22:00", "07:00")
    assert user.store.setting("reminders") is None


def test_profile_changes_are_validated_and_only_what_changed_is_sent(user):
    from_server(user.store, Entity.USER, user_profile(USER))
    model = load_profile(user)
    assert profile_changes(model, " Ana Souza ", "Learning to run", "Europe/Lisbon") == {}
    assert profile_changes(model, "Ana S.", "", "Europe/Paris") == {
        "name": "Ana S.",
        "bio": "",
        "timeZone": "Europe/Paris",
    }
    with pytest.raises(RuleViolation) as caught:
        profile_changes(model, "", "", "Europe/Lisbon")
    assert caught.value.field == "name"
    with pytest.raises(RuleViolation) as caught:
        profile_changes(model, "Ana", "", "Mars/Olympus")
    assert caught.value.field == "timeZone"


async def test_editing_the_profile_offline_says_so_and_writes_nothing(user):
    # the fixture's server is 127.0.0.1:9, where nothing listens
    with pytest.raises(online.Unreachable):
        await save_profile(user, {"name": "Ana S."})
    assert user.store.pending() == 0
