"""The app core end to end: the real backend and app processes, headless Chromium.

Sign in as the demo mentee, the shell and its status; a reload keeps the session; sign out
and in; another browser (another account) is independent; with the backend stopped a
queued write reads "Offline · 1 pending", and "Synced" once it is back. A screenshot of
every screen (sign in, sign up, Today, Goals with its forms, a habit's detail, Reflect,
To-dos, Profile, Needs attention) at 1000x760 (the mentee) and 400x820 (the mentor), each
checked for its key content.
"""

from __future__ import annotations

import uuid

import pytest

from sync import DeviceStore
from tests.app.browser.harness import (
    MENTEE,
    MENTOR,
    PHONE,
    WIDE,
    Tab,
    graphql,
    new_tab,
    sign_in_token,
)

TODO_ID = str(uuid.uuid4())
PHONE_MENTEE = "ben.carter@growlink.demo"
NAV = ["nav-today", "nav-goals", "nav-reflect", "nav-todos", "nav-profile"]
MENTOR_NAV = ["nav-mentoring", "nav-sessions", "nav-events", "nav-profile"]


def tour_every_screen(tab: Tab, size: str, *, has_habits: bool) -> None:
    """Open each screen from the navigation, check what it must show, screenshot it."""
    tab.click("nav-today")
    tab.wait_text("today-title", "Today")
    # today, the 7 days it can back-fill and, locked, the day before them
    assert len(tab.identifiers("backfill-day-")) == (9 if has_habits else 0)
    assert bool(tab.identifiers("habit-check-")) == has_habits
    tab.shot(f"today-{size}")
    tab.click("nav-goals")
    tab.wait_text("goals-title", "Goals")
    assert tab.present("goal-new")
    assert bool(tab.identifiers("goal-add-habit-")) == has_habits
    tab.shot(f"goals-{size}")
    tab.click("goal-new")
    tab.wait_for("goal-identity")
    assert {"goal-title", "goal-save", "goal-cancel"} <= set(tab.identifiers("goal-"))
    tab.shot(f"goal-new-{size}")
    tab.click("goal-cancel")
    if has_habits:
        tab.click(tab.identifiers("goal-add-habit-")[0])
        tab.wait_for("habit-title")
        assert {"habit-duration", "habit-frequency", "habit-save"} <= set(tab.identifiers("habit-"))
        tab.shot(f"habit-new-{size}")
        tab.click("habit-cancel")
        tab.click("nav-today")
        tab.click(tab.identifiers("habit-open-")[0])
        tab.wait_for("habit-edit")
        assert tab.present("habit-back") and tab.present("habit-archive")
        tab.shot(f"habit-{size}")
    tab.click("nav-reflect")
    tab.wait_text("reflect-title", "Reflect")
    assert {"reflection-mood-GOOD", "reflection-text", "reflection-save"} <= set(
        tab.identifiers("reflection-")
    )
    tab.shot(f"reflect-{size}")
    tab.click("nav-todos")
    tab.wait_text("todos-title", "To-dos")
    assert tab.present("todo-new") and tab.present("todo-add")
    tab.shot(f"todos-{size}")
    tab.click("nav-profile")
    tab.wait_for("profile-name")
    assert tab.present("profile-save") and tab.present("sign-out")
    tab.shot(f"profile-{size}")
    tab.click("profile-badges")
    tab.wait_for("badges-title")
    tab.shot(f"badges-{size}")
    tab.click("badges-back")
    tab.wait_for("profile-name")
    tab.open("/attention")
    tab.wait_text("attention-title", "Needs attention")
    tab.shot(f"attention-{size}")
    tab.click("attention-back")  # the way back from a screen of no tab, on every width
    tab.wait_for("nav-profile")


def tour_mentor_screens(tab: Tab, size: str) -> None:
    """A MENTOR-only account: Mentoring first, no mentee screens; each screenshotted."""
    tab.wait_for("nav-mentoring")
    nav = [i for i in tab.identifiers("nav-") if i != "nav-notifications"]
    assert nav == MENTOR_NAV, nav
    tab.wait_text("mentoring-title", "Mentoring")
    # his mentees' cards: the first pull has brought their goals
    tab.page.wait_for_selector('[flt-semantics-identifier^="mentee-"]', timeout=60_000)
    tab.shot(f"mentoring-{size}")
    tab.click("nav-notifications")
    tab.wait_for("notifications-title")
    tab.shot(f"notifications-{size}")
    tab.click("notifications-back")  # a screen of no tab: on a phone, no bottom bar there
    tab.wait_for("mentoring-title")
    tab.click("nav-sessions")
    tab.wait_for("sessions-title")
    assert not tab.present("mentors-open")  # mentees book him; he books nobody
    tab.shot(f"sessions-{size}")
    parts = ("-summary", "-followups", "-save", "-close")
    notes = [i for i in tab.identifiers("session-notes-") if not i.endswith(parts)]
    assert notes, "the demo mentor has sessions, each with his private notes"
    tab.click(notes[0])
    tab.wait_for(f"{notes[0]}-summary")
    tab.shot(f"session-notes-{size}")
    tab.click(f"{notes[0]}-close")
    tab.click("nav-events")
    tab.wait_for("events-title")
    tab.shot(f"events-{size}")
    tab.click("nav-profile")
    tab.wait_for("profile-name")
    tab.shot(f"profile-{size}")
    tab.click("profile-badges")
    tab.wait_for("badges-title")
    tab.shot(f"badges-{size}")
    tab.open("/attention")
    tab.wait_text("attention-title", "Needs attention")
    tab.click("attention-back")  # a mentor's way back lands on Mentoring
    tab.wait_for("mentoring-title")


@pytest.fixture(scope="module")
def mentee_tab(browser, app_process, tmp_path_factory):
    """One signed-in mentee browser shared by this module's tests, in test order."""
    folder = tmp_path_factory.mktemp("unused")
    tab = new_tab(browser, app_process.url, folder, WIDE).open()
    yield tab
    tab.context.close()


def test_the_mentee_signs_in_and_sees_the_shell_and_its_status(mentee_tab, shots):
    tab = mentee_tab
    tab.folder = shots
    tab.wait_for("signin-email")
    assert {"signin-email", "signin-password", "signin-submit", "signup-open"} <= set(
        tab.identifiers()
    )
    tab.shot("sign-in-wide")
    tab.click("signup-open")
    tab.wait_for("signup-name")
    assert tab.present("signup-time-zone")
    tab.shot("sign-up-wide")
    tab.click("signup-open")  # "Sign in instead"
    tab.sign_in(MENTEE)
    assert tab.wait_text("sync-status", "Synced", timeout=60) == "Synced"
    assert set(NAV) <= set(tab.identifiers("nav-")) and tab.present("sync-now")
    tour_every_screen(tab, "wide", has_habits=True)
    assert any(k.startswith("flutter.growlink.session") for k in tab.local_storage())


def test_a_phone_shows_five_destinations_and_the_rest_under_more(browser, app_process, shots):
    # Another demo mentee, in a browser of her own (the second browser of an open account
    # has its own test below).
    tab = new_tab(browser, app_process.url, shots, PHONE).open()
    try:
        tab.sign_in(PHONE_MENTEE)
        tab.wait_for("nav-more")
        bar = [i for i in tab.identifiers("nav-") if i != "nav-notifications"]
        assert bar == [*NAV[:4], "nav-more"], bar
        tab.click("nav-more")
        tab.wait_for("more-title")
        assert {"nav-sessions", "nav-events", "nav-profile"} <= set(tab.identifiers("nav-"))
        tab.shot("more-phone")
        tab.click("nav-sessions")  # the harness opens More first when it must
        tab.wait_for("sessions-title")
        assert not tab.identifiers("session-notes-")  # her mentors' private notes: never hers
        tab.shot("sessions-mentee-phone")
    finally:
        tab.context.close()


def test_a_reload_keeps_the_session_and_sign_out_then_in_works(mentee_tab, shots):
    tab = mentee_tab
    tab.folder = shots
    tab.open("/profile")
    tab.wait_for("profile-name")  # no sign-in screen: the browser kept its token
    assert not tab.present("signin-email")
    tab.click("sign-out")  # nothing pending: no warning
    tab.wait_for("signin-email")
    tab.open("/today")
    tab.wait_for("signin-email")  # the token is gone from this browser
    tab.sign_in(MENTEE)
    tab.wait_text("sync-status", "Synced", timeout=60)


def test_another_browser_with_another_account_is_independent(
    browser, app_process, mentee_tab, shots
):
    other = new_tab(browser, app_process.url, shots, PHONE).open()
    try:
        other.wait_for("signin-email")  # not "the last user": this browser has no token
        other.shot("sign-in-phone")
        other.sign_in(MENTOR)
        other.wait_text("sync-status", "Synced", timeout=60)
        tour_mentor_screens(other, "phone")
        other.click("nav-profile")
        assert other.text("profile-title").startswith("Maya")
        mentee_tab.open("/profile")
        mentee_tab.wait_for("profile-name")
        assert mentee_tab.text("profile-title").startswith("Ana")
    finally:
        other.context.close()


def test_a_second_browser_of_an_open_account_signs_in_and_shares_its_day(
    browser, app_process, mentee_tab, shots
):
    """Her laptop is open on Today; she signs in on her phone too. The phone's sign-in used to
    hang on "Please wait" (its screen was drawn into the laptop's tab); now both show her
    day, a tick on one shows on the other, and signing out on the phone keeps the laptop in."""
    mentee_tab.folder = shots
    mentee_tab.click("nav-today")
    mentee_tab.wait_text("today-title", "Today")
    phone = new_tab(browser, app_process.url, shots, PHONE).open()
    try:
        phone.sign_in(MENTEE)
        phone.wait_text("today-title", "Today")
        habit = phone.identifiers("habit-check-")[0]
        before = mentee_tab.checked(habit)
        assert phone.checked(habit) == before
        phone.click(habit)
        phone.wait_checked(habit, not before)
        mentee_tab.wait_checked(habit, not before)  # one device file, both tabs redrawn
        phone.shot("second-browser-today-phone")
        phone.click(habit)  # leave the day as the module found it
        mentee_tab.wait_checked(habit, before)
        phone.open("/profile")
        phone.click("sign-out")
        phone.wait_for("signin-email")
        mentee_tab.open("/profile")
        mentee_tab.wait_for("profile-name")  # still signed in: it was not her last browser
    finally:
        phone.context.close()


def test_turning_the_phone_keeps_the_open_form_and_its_draft(mentee_tab, shots):
    """From a wide window to a phone's width and back, the new-goal form stays open with
    what she typed (the screen used to be mounted afresh, the draft lost)."""
    tab = mentee_tab
    tab.folder = shots
    tab.click("nav-goals")
    tab.click("goal-new")
    tab.wait_for("goal-identity")
    tab.type("goal-title", "Run a 5k in spring")
    tab.page.set_viewport_size(PHONE)
    tab.wait_for("nav-more")  # the phone's bottom bar is up
    assert tab.value("goal-title") == "Run a 5k in spring"
    tab.shot("goal-draft-turned-phone")
    tab.page.set_viewport_size(WIDE)
    tab.wait_for("nav-profile")
    assert not tab.present("nav-more")  # the rail again
    assert tab.value("goal-title") == "Run a 5k in spring"
    tab.click("goal-cancel")


def test_offline_a_queued_write_reads_pending_then_synced_when_the_server_returns(
    mentee_tab, backend, app_process, shots
):
    tab = mentee_tab
    tab.folder = shots
    tab.open("/today")
    tab.wait_text("sync-status", "Synced", timeout=60)
    _, user_id = sign_in_token(backend.url, MENTEE)
    backend.kill()
    try:
        # A write queued on the account's device file (the screens' own writes arrive with
        # their branches; the full mentee day is in test_mentee_day_e2e.py).
        device = app_process.data_dir / "accounts" / f"{user_id}.db"
        with DeviceStore(device) as store:
            store.create_todo("written while the server is away", todo_id=TODO_ID)
        tab.click("sync-now")  # that write came from another process: tell the app
        tab.wait_text("sync-status", "Offline · 1 pending", timeout=40)
        tab.shot("offline-pending")
    finally:
        backend.start()
    tab.wait_text("sync-status", "Synced", timeout=40)
    token, _ = sign_in_token(backend.url, MENTEE)
    todos = graphql(
        backend.url,
        "query($u: ID!) { listTodosForUser(userId: $u, limit: 500) { todoId text } }",
        {"u": user_id},
        token,
    )["listTodosForUser"]
    assert [t["text"] for t in todos if t["todoId"] == TODO_ID] == [
        "written while the server is away"
    ]
