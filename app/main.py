"""The app: sign-in until this browser holds a session token, then the shell for its account.

Each tab subscribes to its account's store: change events fire on whatever thread committed,
so they are handed to the tab's own event loop with ``page.run_task``, where they bump the
``ScreenContext.revision`` the screens re-read on.

``page.run_task`` also binds its page to the *calling* context (Flet's context page). A change
made by another tab of the same account (its sign-in, a tick) calls this tab's hand-over in
that other tab's context, which then drew its own screen into this tab: the second browser of
an open account hung on "Please wait". So a foreign caller hands over in a copied context
(``_run_in_own_context``), and its own page stays its own.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, cast

import flet as ft

from app.accounts import Account, AccountRegistry, SignInError
from app.browser_token import SharedPreferencesToken, TokenKeeper
from app.desktop_notice import show_desktop_notice
from app.state.context import ScreenContext, UserContext
from app.state.notifications import unread_count
from app.state.reminders import act_on, banner
from app.state.role import role_of
from app.state.routes import HOME, route_for
from app.views import theme
from app.views.reminder_banner import reminder_snack_bar
from app.views.shell import WIDE, Shell, ShellProps
from app.views.signin import SignInProps, SignInScreen
from domain.reminder_schedule import Reminder
from sync import SyncStatus


@dataclass(frozen=True)
class AppConfig:
    registry: AccountRegistry
    server_url: str
    """Proposed on the sign-in screen (editable there)."""
    time_zone: str
    """Proposed at sign-up (the device's)."""


@dataclass(frozen=True)
class SignedIn:
    account: Account
    token: str


def _above_navigation(page: ft.Page) -> dict[str, Any]:
    """A phone's snack bar floats above its bottom bar: fixed, it covers the tabs (and the
    reminder banner stays up to 12 s)."""
    if float(page.width or WIDE) >= WIDE:
        return {}
    return {
        "behavior": ft.SnackBarBehavior.FLOATING,
        "margin": ft.Margin.only(left=12, right=12, bottom=92),
    }


def _run_in_own_context(
    page: ft.Page, handler: Callable[..., Awaitable[None]], *args: object
) -> None:
    """``page.run_task`` from a caller that may be another tab's code, without making ``page``
    that caller's context page (see the module's docstring)."""
    contextvars.copy_context().run(page.run_task, handler, *args)


@ft.component
def App(config: AppConfig, keeper: TokenKeeper, initial: SignedIn | None) -> ft.Control:
    page = ft.context.page
    session, set_session = ft.use_state(initial)
    route, set_route = ft.use_state(page.route or "/")
    width, set_width = ft.use_state(float(page.width or 1000))
    status, set_status = ft.use_state(cast(SyncStatus | None, None))
    revision, set_revision = ft.use_state(0)

    def on_mount() -> None:
        page.on_route_change = lambda e: set_route(e.route)
        page.on_resize = lambda e: set_width(float(e.width))

    ft.use_effect(on_mount, [])

    def subscribe() -> Callable[[], None] | None:
        if session is None:
            return None

        async def changed(new_status: SyncStatus) -> None:
            set_status(new_status)
            set_revision(lambda r: r + 1)

        def hand_over(new_status: SyncStatus) -> None:
            if getattr(page.session, "connection", None) is None:  # the tab has gone away
                unsubscribe()
                return
            _run_in_own_context(page, changed, new_status)

        remove = session.account.store.subscribe(hand_over)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):  # already removed
                remove()

        return unsubscribe

    ft.use_effect(subscribe, [session.account.user_id if session else None])

    def listen_for_reminders() -> Callable[[], None] | None:
        bell = session.account.bell if session else None
        if session is None or bell is None:
            return None
        user = session.account.user(config.registry.clock)

        async def show(due: list[Reminder]) -> None:
            shown = banner(due)

            def act() -> None:
                act_on(user, shown)
                if shown.route:
                    navigate(shown.route)

            page.show_dialog(reminder_snack_bar(shown, float(page.width or 1000), act))

        def ring(due: list[Reminder]) -> None:
            _run_in_own_context(page, show, due)
            if not page.web:
                show_desktop_notice("Growlink", banner(due).text)

        return bell.listen(ring)

    ft.use_effect(listen_for_reminders, [session.account.user_id if session else None])

    def navigate(target: str) -> None:
        set_route(target)
        if page.web:
            page.navigate(target)

    def notify(text: str) -> None:
        page.show_dialog(ft.SnackBar(ft.Text(text), duration=4000, **_above_navigation(page)))

    async def enter(result: Awaitable[tuple[Account, str]]) -> str | None:
        try:
            account, token = await result
        except SignInError as exc:
            return str(exc)
        await keeper.set(token)
        set_status(account.store.status())
        set_session(SignedIn(account, token))
        navigate(HOME)
        return None

    async def sign_in(server: str, email: str, password: str) -> str | None:
        return await enter(config.registry.sign_in(server, email, password))

    async def sign_up(server: str, name: str, email: str, password: str, zone: str) -> str | None:
        return await enter(
            config.registry.sign_up(
                server, email=email, name=name, password=password, time_zone=zone
            )
        )

    if session is None:
        return SignInScreen(
            SignInProps(
                server_url=config.server_url,
                time_zone=config.time_zone,
                sign_in=sign_in,
                sign_up=sign_up,
            )
        )

    account = session.account

    async def sync_now() -> None:
        # Through the scheduler: a failure starts the app's capped backoff (retries at
        # least every 10 s), so the returning server is noticed without another tap.
        account.engine.scheduler.request_now()

    async def sign_out() -> None:
        await config.registry.sign_out(session.token)
        await keeper.remove()
        set_session(None)
        navigate("/")

    def start_sign_out() -> None:
        page.run_task(sign_out)

    user = UserContext(account.store, config.registry.clock, account.user_id, account.time_zone())
    role = role_of(user)
    return Shell(
        ShellProps(
            screen=ScreenContext(user, revision, navigate, notify),
            route=route_for(route, role),
            status=status or account.store.status(),
            width=width,
            sync_now=sync_now,
            sign_out=start_sign_out,
            user_name=account.name(),
            role=role,
            unread=unread_count(user),
        )
    )


def make_main(
    config: AppConfig,
    keeper_for: Callable[[ft.Page], TokenKeeper] = lambda _: SharedPreferencesToken(),
) -> Callable[[ft.Page], Awaitable[None]]:
    """The ``main(page)`` Flet runs for every browser tab."""

    async def main(page: ft.Page) -> None:
        page.title = "Growlink"
        page.theme = theme.theme()
        page.theme_mode = ft.ThemeMode.LIGHT
        page.bgcolor = theme.SURFACE
        page.padding = 0
        keeper = keeper_for(page)
        token = await keeper.get()
        account = config.registry.account_for_browser(token)
        initial = SignedIn(account, token) if account is not None and token else None
        page.render(lambda: App(config, keeper, initial))

    return main
