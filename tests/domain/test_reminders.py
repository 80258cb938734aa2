from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from graphql import EnumTypeDefinitionNode, parse

from domain.errors import RuleViolation
from domain.reminders import (
    NotificationType,
    due_session_reminders,
    habit_reminder_due,
    reflection_reminder_due,
    weekly_reflection_reminder_day,
)

STARTS_AT = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("before_start", "expected"),
    [
        (timedelta(hours=30), []),
        (timedelta(hours=24, microseconds=1), []),
        (timedelta(hours=24), ["session_reminder:24h"]),
        (timedelta(hours=3), ["session_reminder:24h"]),
        (timedelta(hours=1), ["session_reminder:1h"]),
        (timedelta(minutes=5), ["session_reminder:1h"]),
        (timedelta(0), []),  # the session has started
        (-timedelta(hours=1), []),
    ],
)
def test_session_reminders_fall_due_24h_and_1h_before(before_start, expected):
    assert due_session_reminders(STARTS_AT, now=STARTS_AT - before_start, already_sent=set()) == (
        expected
    )


def test_sent_session_reminders_are_not_sent_again():
    now = STARTS_AT - timedelta(hours=2)
    assert due_session_reminders(STARTS_AT, now=now, already_sent={"session_reminder:24h"}) == []
    later = STARTS_AT - timedelta(minutes=30)
    assert due_session_reminders(STARTS_AT, now=later, already_sent={"session_reminder:24h"}) == [
        "session_reminder:1h"
    ]
    assert due_session_reminders(STARTS_AT, now=later, already_sent={"session_reminder:1h"}) == []


def test_reflection_reminder_goes_out_on_sundays_only():
    assert reflection_reminder_due(date(2026, 11, 29)) is True
    assert reflection_reminder_due(date(2026, 11, 30)) is False


@pytest.mark.parametrize(
    ("now", "last_sent_on", "expected"),
    [
        # 08:00 in New York is 13:00 UTC in November (EST, -05:00)
        (datetime(2026, 11, 24, 12, 59, tzinfo=UTC), None, False),
        (datetime(2026, 11, 24, 13, 0, tzinfo=UTC), None, True),
        (datetime(2026, 11, 24, 13, 0, tzinfo=UTC), date(2026, 11, 23), True),
        (datetime(2026, 11, 24, 13, 0, tzinfo=UTC), date(2026, 11, 24), False),
        # 01:00 UTC on the 25th is still the 24th (20:00) in New York
        (datetime(2026, 11, 25, 1, 0, tzinfo=UTC), date(2026, 11, 24), False),
        # in July (EDT, -04:00), 08:00 local is 12:00 UTC
        (datetime(2026, 7, 1, 12, 0, tzinfo=UTC), None, True),
    ],
)
def test_habit_reminder_is_due_once_a_day_at_the_local_preferred_time(now, last_sent_on, expected):
    assert (
        habit_reminder_due(
            now=now,
            time_zone="America/New_York",
            preferred_time=time(8, 0),
            last_sent_on=last_sent_on,
        )
        is expected
    )


def test_habit_reminder_refuses_unknown_time_zone():
    with pytest.raises(RuleViolation) as caught:
        habit_reminder_due(
            now=STARTS_AT, time_zone="Nowhere/Town", preferred_time=time(8), last_sent_on=None
        )
    assert caught.value.field == "timeZone"


def test_notification_types_match_the_api_enum():
    """The domain's types are the API's ``NotificationType`` values, read from its schema."""
    schema = Path(__file__).parents[2] / "backend" / "api" / "schema" / "notifications.graphql"
    [enum] = [
        d
        for d in parse(schema.read_text()).definitions
        if isinstance(d, EnumTypeDefinitionNode) and d.name.value == "NotificationType"
    ]
    api_values = {value.name.value for value in enum.values or ()}
    assert {member.value for member in NotificationType} == api_values
    assert {"session_booked", "goal_returned", "session_confirmed"} <= api_values


@pytest.mark.parametrize(
    ("moment", "time_zone", "evening", "expected"),
    [
        (datetime(2026, 11, 29, 17, 59, tzinfo=UTC), "UTC", time(18, 0), None),
        (datetime(2026, 11, 29, 18, 0, tzinfo=UTC), "UTC", time(18, 0), date(2026, 11, 29)),
        (datetime(2026, 11, 29, 23, 59, tzinfo=UTC), "UTC", time(18, 0), date(2026, 11, 29)),
        (datetime(2026, 11, 30, 0, 0, tzinfo=UTC), "UTC", time(18, 0), None),  # Monday
        (
            datetime(2026, 11, 29, 4, 0, tzinfo=UTC),
            "Pacific/Kiritimati",
            time(18, 0),
            date(2026, 11, 29),
        ),
        (
            datetime(2026, 11, 30, 2, 0, tzinfo=UTC),
            "America/Los_Angeles",
            time(18, 0),
            date(2026, 11, 29),
        ),
        (datetime(2026, 11, 29, 19, 0, tzinfo=UTC), "UTC", time(20, 30), None),
    ],
)
def test_the_sunday_reminder_is_due_from_the_users_own_evening(
    moment, time_zone, evening, expected
):
    assert (
        weekly_reflection_reminder_day(now=moment, time_zone=time_zone, evening=evening) == expected
    )
