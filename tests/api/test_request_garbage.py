"""A request leaves no reference cycle behind: reference counting frees its executor,
context, loaders and items as it ends. Whatever is left to the cyclic collector piles up
under load until a collection pauses every request in flight (pauses of 10-40 ms were the
dashboard's p95 in bench/api.py)."""

from __future__ import annotations

import gc
import weakref

import pytest

from backend.api.leaf_lists import LeafListExecutor
from backend.services.context import ServiceContext
from tests.api.test_habits import COMPLETE, create_goal, create_habit

DASHBOARD = """query($u: ID!, $today: String!) {
  me { userId name timeZone }
  listGoalsForUser(userId: $u) {
    goalId title progress habits { habitId title frequency currentStreak status } }
  listCompletionsForUser(userId: $u, dateFrom: $today, dateTo: $today) {
    habitId date completed }
  getUnreadNotificationCount(userId: $u)
}"""


@pytest.fixture
def made(monkeypatch):
    """Weak references to every request context and executor made from here on."""
    refs: list[weakref.ref[object]] = []
    for cls in (ServiceContext, LeafListExecutor):
        init = cls.__init__

        def recording(self, *args, __init=init, **kwargs):
            __init(self, *args, **kwargs)
            refs.append(weakref.ref(self))

        monkeypatch.setattr(cls, "__init__", recording)
    return refs


async def test_a_dashboard_request_is_freed_as_it_ends(api, made):
    ann = await api.sign_up("Ann")
    habit = await create_habit(api, ann, await create_goal(api, ann))
    await api.data(COMPLETE, {"h": habit["habitId"], "d": "2026-11-24"}, as_=ann)
    variables = {"u": ann.id, "today": "2026-11-24"}
    first = await api.data(DASHBOARD, variables, as_=ann)
    gc.collect()
    made.clear()
    gc.disable()  # only reference counting frees anything now
    try:
        again = await api.data(DASHBOARD, variables, as_=ann)
        alive = [type(ref()).__name__ for ref in made if ref() is not None]
    finally:
        gc.enable()
    assert again == first and again["listGoalsForUser"][0]["habits"][0]["currentStreak"] == 1
    assert len(made) >= 2  # the request's context and executor were seen
    assert alive == []
