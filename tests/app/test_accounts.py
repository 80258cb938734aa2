"""Accounts against the real server: one device file, store and engine per account, shared by
every browser bound to it; browsers bound by their own token; offline sign-in to an account
already on the device; sign-out keeps the file and its pending changes."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import flet as ft
import httpx
import pytest

from app.accounts import AccountRegistry, SignInError
from app.main import AppConfig, make_main
from app.state.role import role_of
from app.state.routes import tabs_for
from domain.clock import FixedClock
from sync import DeviceStore, Entity
from tests.app.flet_page import FakePage, walk
from tests.sync.real_server import PASSWORD, sign_up


@pytest.fixture(scope="module")
def server(server_process, tmp_path_factory):
    return server_process(tmp_path_factory.mktemp("accounts-server") / "server.db")


def refresh_refused(url: str, refresh_token: str) -> bool:
    """Whether the server refuses ``refresh_token`` (the sign-in it belonged to ended)."""
    answer = httpx.post(
        f"{url}/graphql",
        json={
            "query": "mutation($t: String!) { refreshToken(token: $t) { accessToken } }",
            "variables": {"t": refresh_token},
        },
    ).json()
    return bool(answer.get("errors"))


@pytest.fixture
async def registry(tmp_path: Path):
    accounts = AccountRegistry(tmp_path / "data", poke=False)
    yield accounts
    await accounts.close()


async def test_each_account_gets_its_own_device_file_shared_by_its_browsers(server, registry):
    ana, bea = sign_up(server.url), sign_up(server.url)
    first, token1 = await registry.sign_in(server.url, ana, PASSWORD)
    again, token2 = await registry.sign_in(server.url + "/", ana.upper(), PASSWORD)
    other, token3 = await registry.sign_in(server.url, bea, PASSWORD)
    assert again is first and other is not first
    assert first.store.path == registry.device_path(first.user_id) and first.store.path.exists()
    assert other.store.path != first.store.path
    assert len({token1, token2, token3}) == 3
    assert registry.account_for_browser(token2) is first
    assert registry.account_for_browser(token3) is other
    assert registry.account_for_browser("made-up") is None
    assert registry.account_for_browser(None) is None
    assert token1 not in (registry.data_dir / "accounts.json").read_text()  # only digests


async def test_the_first_sync_brings_the_users_profile(server, registry):
    email = sign_up(server.url)
    account, _ = await registry.sign_in(server.url, email, PASSWORD)
    report = await account.engine.sync_now()
    assert report.error is None
    assert account.name() == email.split("@")[0]
    assert account.time_zone() == "UTC"


async def test_a_mentor_is_a_mentor_from_the_sign_in_answer_before_any_pull(server, registry):
    email = sign_up(server.url, role="MENTOR")
    account, _ = await registry.sign_in(server.url, email, PASSWORD)
    await account.engine.stop()  # no pull: the profile row is not on the device
    user = account.user(registry.clock)
    assert account.store.get(Entity.USER, {"userId": account.user_id}) is None
    assert role_of(user) == "MENTOR"
    assert [path for path, _ in tabs_for(role_of(user))][0] == "/mentoring"


async def test_a_wrong_password_is_refused_and_binds_nothing(server, registry):
    email = sign_up(server.url)
    with pytest.raises(SignInError, match="do not match"):
        await registry.sign_in(server.url, email, "not the password")
    with pytest.raises(SignInError, match="Enter your email"):
        await registry.sign_in(server.url, "", "")
    assert registry.known_emails() == []


async def test_guessing_is_told_to_wait_and_does_not_fall_back_to_offline(server, registry):
    email = sign_up(server.url)
    for _ in range(10):
        with pytest.raises(SignInError, match="do not match"):
            await registry.sign_in(server.url, email, "not the password")
    with pytest.raises(SignInError, match=r"Too many sign-in attempts. Try again in \d+ minute"):
        await registry.sign_in(server.url, email, PASSWORD)
    assert registry.known_emails() == []


async def test_sign_up_creates_the_account_with_the_chosen_zone(server, registry):
    account, token = await registry.sign_up(
        server.url,
        email="Zed.New@example.com",
        name="Zed",
        password=PASSWORD,
        time_zone="Asia/Tokyo",
    )
    assert account.email == "zed.new@example.com"
    assert account.time_zone() == "Asia/Tokyo"
    assert registry.account_for_browser(token) is account
    with pytest.raises(SignInError):  # the email is taken now
        await registry.sign_up(
            server.url, email="zed.new@example.com", name="Z", password=PASSWORD, time_zone="UTC"
        )


async def test_an_account_already_on_the_device_opens_offline(server, tmp_path):
    email = sign_up(server.url)
    data = tmp_path / "data"
    first = AccountRegistry(data, poke=False)
    account, browser_token = await first.sign_in(server.url, email, PASSWORD)
    account.store.create_todo("written before the restart")
    user_id = account.user_id
    await first.close()

    restarted = AccountRegistry(data, poke=False)  # the app restarted; the server is away
    nowhere = "http://127.0.0.1:9"
    try:
        kept = restarted.account_for_browser(browser_token)  # still signed in after a restart
        assert kept is not None and kept.user_id == user_id
        reopened, token = await restarted.sign_in(nowhere, email, PASSWORD)
        assert reopened.user_id == user_id and reopened.store.pending() == 1
        assert restarted.account_for_browser(token) is reopened
        with pytest.raises(SignInError, match="cannot be reached"):
            await restarted.sign_in(nowhere, email, "wrong password")
        with pytest.raises(SignInError, match="first time"):
            await restarted.sign_in(nowhere, "stranger@example.com", PASSWORD)
    finally:
        await restarted.close()


async def test_signing_out_unbinds_the_browser_and_keeps_the_file(server, registry):
    email = sign_up(server.url)
    account, token = await registry.sign_in(server.url, email, PASSWORD)
    _, other_tab = await registry.sign_in(server.url, email, PASSWORD)
    refresh_token = account.store.sync_state().refresh_token
    account.store.create_todo("not synced yet")
    await registry.sign_out(token)
    assert registry.account_for_browser(token) is None
    assert registry.account_for_browser(other_tab) is account  # another browser stays in
    assert account.store.sync_state().refresh_token == refresh_token

    await registry.sign_out(other_tab)  # the last browser: the sign-in ends
    assert registry.account_for_browser(other_tab) is None
    with DeviceStore(account.store.path) as device:
        assert device.pending() == 1  # kept for the next sign-in
        record = device.sync_state()
        assert record.refresh_token is None and record.access_token is None
    assert refresh_refused(server.url, refresh_token)

    again, _ = await registry.sign_in(server.url, email, PASSWORD)
    assert (await again.engine.sync_now()).error is None and again.store.pending() == 0


async def test_with_a_keyring_signing_in_and_out_leaves_no_token_on_disk(
    server, registry, memory_keyring
):
    email = sign_up(server.url)
    account, token = await registry.sign_in(server.url, email, PASSWORD)
    assert (await account.engine.sync_now()).error is None  # the keyring's tokens work
    refresh_token = account.store.sync_state().refresh_token
    assert refresh_token and len(memory_keyring.secrets) == 1
    assert refresh_token.encode() not in account.store.path.read_bytes()
    await registry.sign_out(token)
    assert memory_keyring.secrets == {}
    assert refresh_refused(server.url, refresh_token)


class MemoryToken:
    """What the browser's localStorage does for the token, in memory."""

    def __init__(self, token: str | None = None) -> None:
        self.token = token

    async def get(self) -> str | None:
        return self.token

    async def set(self, token: str) -> None:
        self.token = token

    async def remove(self) -> None:
        self.token = None


async def test_the_app_signs_in_shows_store_changes_and_keeps_the_browser_session(server, registry):
    email = sign_up(server.url)
    config = AppConfig(registry, server.url, "Europe/Lisbon")
    browser = MemoryToken()
    tab = FakePage()
    await make_main(config, lambda _: browser)(tab.page)
    await tab.settle()
    await tab.type_into(tab.by_id("signin-email"), email)
    await tab.type_into(tab.by_id("signin-password"), PASSWORD)
    await tab.click(tab.by_id("signin-submit"))
    await tab.settle(1.0)
    assert browser.token is not None
    account = registry.account_for_browser(browser.token)
    assert account is not None
    assert tab.by_id("sync-status").label in {"Synced", "Syncing"}

    await account.engine.stop()  # hold syncing: the write below stays pending
    writer = threading.Thread(target=account.store.create_todo, args=("from another thread",))
    writer.start()
    writer.join()
    await tab.settle(0.3)
    assert tab.by_id("sync-status").label == "Offline · 1 pending"

    reloaded = FakePage()  # a reload of the same browser: its token is still there
    await make_main(config, lambda _: browser)(reloaded.page)
    await reloaded.settle()
    assert reloaded.by_id("sync-status").label == "Offline · 1 pending"

    stranger = FakePage()  # another browser: no token, so the sign-in screen
    await make_main(config, lambda _: MemoryToken())(stranger.page)
    await stranger.settle()
    assert stranger.find(lambda c: getattr(c, "identifier", None) == "signin-email")

    profile = FakePage()  # sign out from /profile: warned (1 pending), then unbound
    profile.page.route = "/profile"
    await make_main(config, lambda _: browser)(profile.page)
    await profile.settle()
    await profile.click(profile.by_id("sign-out"))
    await profile.click(profile.by_id("sign-out-confirm"))
    await profile.settle(0.3)
    assert browser.token is None
    assert profile.find(lambda c: getattr(c, "identifier", None) == "signin-email")
    assert account.store.pending() == 1


async def test_a_due_reminder_shows_as_a_banner_whose_done_ticks_the_habit(server, tmp_path):
    clock = FixedClock(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    registry = AccountRegistry(tmp_path / "data", poke=False, clock=clock)
    try:
        email = sign_up(server.url)
        account, token = await registry.sign_in(server.url, email, PASSWORD)
        goal = account.store.create_goal("Read more", identity="a reader")
        habit = account.store.create_habit(goal["goalId"], "Read one page", cue={"time": "09:00"})
        clock.set(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))  # the app opens at noon
        tab = FakePage()
        config = AppConfig(registry, server.url, "UTC")
        await make_main(config, lambda _: MemoryToken(token))(tab.page)
        await tab.settle(0.3)
        bars = [d for d in tab.page._dialogs.controls if isinstance(d, ft.SnackBar)]
        assert len(bars) == 1, "the reminder that came due at 09:00 shows once"
        banner = [c for c in walk(bars[0]) if getattr(c, "identifier", None) == "reminder-banner"]
        assert banner and banner[0].label == "Time for Read one page"
        action = bars[0].action
        assert isinstance(action, ft.SnackBarAction) and action.label == "Done"
        await tab.session.dispatch_event(action._i, "click", None)
        await tab.settle()
        key = {"habitId": habit["habitId"], "date": "2026-12-01"}
        done = account.store.get(Entity.HABIT_COMPLETION, key)
        assert done is not None and done["completed"] is True

        again = FakePage()  # another tab later: the reminder does not ring twice
        await make_main(config, lambda _: MemoryToken(token))(again.page)
        await again.settle(0.3)
        assert not [d for d in again.page._dialogs.controls if isinstance(d, ft.SnackBar)]
    finally:
        await registry.close()


async def test_the_sunday_reflection_time_saved_in_profile_reaches_the_server_and_comes_back(
    server, registry
):
    email = sign_up(server.url)
    account, token = await registry.sign_in(server.url, email, PASSWORD)
    assert (await account.engine.sync_now()).error is None
    tab = FakePage()
    tab.page.route = "/profile"
    await make_main(AppConfig(registry, server.url, "UTC"), lambda _: MemoryToken(token))(tab.page)
    await tab.settle()
    await tab.type_into(tab.by_id("reflection-time"), "19:45")
    await tab.click(tab.by_id("reminders-save"))
    await tab.settle(0.5)
    access = account.store.sync_state().access_token
    answer = httpx.post(
        server.url + "/graphql",
        json={"query": "{ me { reflectionReminderTime } }"},
        headers={"Authorization": f"Bearer {access}"},
    ).json()
    assert answer["data"]["me"]["reflectionReminderTime"] == "19:45"
    assert (await account.engine.sync_now()).error is None
    mine = account.store.get(Entity.USER, {"userId": account.user_id})
    assert mine is not None and mine["reflectionReminderTime"] == "19:45"
