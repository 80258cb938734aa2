"""Weekly insights on a seeded month: each sentence names numbers the user can check."""

from __future__ import annotations

from datetime import date, timedelta

from domain.insights import HabitRecord, weekly_insights

SUNDAY = date(2026, 11, 29)
FIRST = date(2026, 10, 26)  # a Monday: five whole weeks up to SUNDAY


def days(keep: object) -> frozenset[date]:
    every = [FIRST + timedelta(days=n) for n in range(35)]
    return frozenset(d for d in every if keep(d))  # type: ignore[operator]


READ = HabitRecord(
    "Read 10 pages",
    FIRST,
    days(lambda d: d.weekday() != 2 or d == date(2026, 11, 25)),  # not on Wednesdays, but this one
)
RUN = HabitRecord("Run 5 km", FIRST, days(lambda d: d.weekday() == 0))  # Mondays only


def test_a_seeded_month_names_the_rate_the_best_and_hardest_day_and_a_habit_to_shrink() -> None:
    moods = {date(2026, 11, 2): 8, date(2026, 11, 9): 8}
    moods |= {date(2026, 11, 4): 4, date(2026, 11, 11): 4, date(2026, 11, 18): 4}
    assert weekly_insights([READ, RUN], moods, SUNDAY) == [
        "This week you completed 57% (8 of 14) of your habit check-ins, against 50% (28 of 56)"
        " over the four weeks before: up 7 points.",
        "Over the last five weeks your best day was Monday (100% (10 of 10)) and the hardest"
        " Wednesday (10% (1 of 10)).",
        "On the 2 days you did at least half your habits your mood averaged 8.0, against 4.0 on"
        " the other 3 days.",
        "“Run 5 km” was done on 14% (4 of 28) of the last 28 days: a smaller version (two"
        " minutes, or half the amount) may be easier to keep.",
    ]


def test_a_streak_not_yet_done_today_is_at_risk() -> None:
    walk = HabitRecord("Walk", FIRST, days(lambda d: date(2026, 11, 24) <= d <= date(2026, 11, 28)))
    sentences = weekly_insights([walk], {}, SUNDAY)
    assert "Your 5-day streak on “Walk” is at risk: it is not done today yet." in sentences
    done_today = HabitRecord("Walk", FIRST, walk.done_on | {SUNDAY})
    assert not any("at risk" in s for s in weekly_insights([done_today], {}, SUNDAY))


def test_a_new_user_gets_no_insights_rather_than_made_up_ones() -> None:
    assert weekly_insights([], {}, SUNDAY) == []
    fresh = HabitRecord("Stretch", SUNDAY, frozenset())
    assert weekly_insights([fresh], {}, SUNDAY) == [
        "This week you completed 0% (0 of 1) of your habit check-ins."
    ]
