"""A weekly reflection comes with insights from the user's own week; the owner can refresh them."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.api.asgi import Api
from tests.api.test_completions import complete, create_habit

INSIGHTS = "reflectionId aiInsights"
WEEKLY = f"""mutation($i: CreateWeeklyReflectionInput!) {{
  createWeeklyReflection(input: $i) {{ {INSIGHTS} }} }}"""
REFRESH = f"mutation($d: String!) {{ refreshReflectionInsights(date: $d) {{ {INSIGHTS} }} }}"
CONTENT = {"whatWentWell": "kept going", "whatFeltHard": "Friday", "insights": "start small"}


async def test_the_weekly_reflection_states_the_weeks_rate_and_a_refresh_updates_it(
    api: Api,
) -> None:
    ann = await api.sign_up("Ann")  # Tuesday 2026-11-24, UTC
    habit_id = await create_habit(api, ann)
    api.clock.set(datetime(2026, 11, 29, 12, 0, tzinfo=UTC))
    ann.token = api.services.tokens.issue(ann.id).access_token
    for day in ("2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"):
        await complete(api, ann, habit_id, day)
    made = await api.data(
        WEEKLY, {"i": {"date": "2026-11-29", "mood": "GOOD", "content": CONTENT}}, as_=ann
    )
    insights = made["createWeeklyReflection"]["aiInsights"]
    assert insights.splitlines()[0] == (
        "This week you completed 67% (4 of 6) of your habit check-ins."
    )
    await complete(api, ann, habit_id, "2026-11-29")
    refreshed = await api.data(REFRESH, {"d": "2026-11-29"}, as_=ann)
    assert refreshed["refreshReflectionInsights"]["aiInsights"].splitlines()[0] == (
        "This week you completed 83% (5 of 6) of your habit check-ins."
    )


async def test_refreshing_a_day_without_a_reflection_is_not_found_and_writes_nothing(
    api: Api,
) -> None:
    ann = await api.sign_up("Ann")
    error = await api.error(REFRESH, {"d": "2026-11-22"}, as_=ann)
    assert error["code"] == "NOT_FOUND"
    bad = await api.error(REFRESH, {"d": "last sunday"}, as_=ann)
    assert bad["field"] == "date"
