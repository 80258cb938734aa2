from datetime import date, timedelta

import pytest

from domain.badges import (
    CONSISTENCY_DAYS,
    BadgeAward,
    BadgeType,
    badges_to_award,
    consistency_badge,
    daily_completion_ratios,
    identity_builder_badge,
    mentor_verified_badge,
    reflection_badges,
    session_badges,
    streak_badges,
)


def keys(awards):
    return [award.key for award in awards]


@pytest.mark.parametrize(
    ("longest", "expected"),
    [
        (0, []),
        (6, []),
        (7, ["streak:7"]),
        (13, ["streak:7"]),
        (14, ["streak:7", "streak:14"]),
        (30, ["streak:7", "streak:14", "streak:30"]),
        (99, ["streak:7", "streak:14", "streak:30"]),
        (100, ["streak:7", "streak:14", "streak:30", "streak:100"]),
    ],
)
def test_streak_badges_for_each_threshold_reached(longest, expected):
    awards = streak_badges(longest)
    assert keys(awards) == expected
    assert all(award.type is BadgeType.STREAK for award in awards)


def test_streak_badge_describes_its_threshold():
    (award,) = streak_badges(7)
    assert award.title == "7-day streak"
    assert award.metadata == {"threshold": 7}
    assert award.icon


def test_negative_counts_are_bugs():
    with pytest.raises(ValueError):
        streak_badges(-1)
    with pytest.raises(ValueError):
        session_badges(-1)


def test_consistency_badge_needs_a_full_30_days():
    assert consistency_badge([1.0] * 29) is None


@pytest.mark.parametrize(
    ("ratios", "earned"),
    [
        ([0.8] * 30, True),  # exactly 80% on average
        ([1.0] * 24 + [0.0] * 6, True),  # 24/30 = 0.8: bad days made up by good ones
        ([1.0] * 23 + [0.0] * 7, False),
        ([0.79] * 30, False),
        ([0.0] * 10 + [1.0] * 30, True),  # only the last 30 days count
        ([1.0] * 30 + [0.0] * 10, False),
    ],
)
def test_consistency_badge_needs_a_mean_ratio_of_at_least_80_percent(ratios, earned):
    award = consistency_badge(ratios)
    assert (award is not None) is earned
    if award is not None:
        assert award.type is BadgeType.CONSISTENCY
        assert award.key == "consistency:30d"


@pytest.mark.parametrize("bad", [1.1, -0.1])
def test_consistency_badge_refuses_ratios_outside_0_to_1(bad):
    with pytest.raises(ValueError):
        consistency_badge([1.0] * 29 + [bad])


def test_identity_builder_badge_for_the_first_completed_goal():
    assert identity_builder_badge(0) is None
    award = identity_builder_badge(1)
    assert award is not None and award.type is BadgeType.IDENTITY_BUILDER
    assert identity_builder_badge(5) == award  # same badge, so awarded once by key


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (3, []),
        (4, ["reflection:4"]),
        (11, ["reflection:4"]),
        (12, ["reflection:4", "reflection:12"]),
    ],
)
def test_reflection_badges_at_4_and_12_weekly_reflections(count, expected):
    assert keys(reflection_badges(count)) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, []),
        (1, ["session_completion:1"]),
        (10, ["session_completion:1", "session_completion:10"]),
        (50, ["session_completion:1", "session_completion:10", "session_completion:50"]),
    ],
)
def test_session_badges_at_1_10_and_50_sessions(count, expected):
    awards = session_badges(count)
    assert keys(awards) == expected
    assert all(award.type is BadgeType.SESSION_COMPLETION for award in awards)


def test_session_badge_titles_read_well():
    assert [award.title for award in session_badges(10)] == ["First session", "10 sessions"]


def test_mentor_verified_badge_only_when_verified():
    assert mentor_verified_badge(False) is None
    award = mentor_verified_badge(True)
    assert award is not None and award.key == "mentor_verified"


def test_badges_to_award_skips_keys_already_awarded():
    awards = badges_to_award({"streak:7"}, streak_badges(14), identity_builder_badge(1))
    assert keys(awards) == ["streak:14", "identity_builder"]


def test_badges_to_award_accepts_none_and_deduplicates_candidates():
    awards = badges_to_award(set(), None, streak_badges(7), streak_badges(7), consistency_badge([]))
    assert keys(awards) == ["streak:7"]


def test_badges_to_award_does_not_change_the_given_keys():
    awarded = {"streak:7"}
    badges_to_award(awarded, streak_badges(14))
    assert awarded == {"streak:7"}


def test_badges_to_award_twice_awards_nothing_new():
    first = badges_to_award(set(), session_badges(10), reflection_badges(4))
    second = badges_to_award(
        {award.key for award in first}, session_badges(10), reflection_badges(4)
    )
    assert len(first) == 3
    assert second == []


def test_badge_awards_are_immutable_and_hashable():
    award = BadgeAward(BadgeType.MILESTONE, "milestone:x", "X", "Did x", "star", {"n": 1})
    with pytest.raises(AttributeError):
        award.key = "other"  # type: ignore[misc]
    assert award in {award}


def test_daily_ratios_count_only_habits_that_existed_that_day():
    last = date(2026, 11, 30)
    first = last - timedelta(days=2)
    habits = [("a", first), ("b", last)]  # "b" only exists on the last day
    done = {("a", first), ("a", last)}
    assert daily_completion_ratios(habits, done, last, days=3) == [1.0, 0.0, 0.5]


def test_daily_ratios_need_a_habit_on_every_day():
    last = date(2026, 11, 30)
    assert daily_completion_ratios([("a", last)], {("a", last)}, last, days=2) is None
    assert daily_completion_ratios([], set(), last) is None


def test_thirty_full_days_earn_the_consistency_badge():
    last = date(2026, 11, 30)
    first = last - timedelta(days=CONSISTENCY_DAYS - 1)
    done = {("a", first + timedelta(days=i)) for i in range(CONSISTENCY_DAYS)}
    ratios = daily_completion_ratios([("a", first)], done, last)
    assert ratios == [1.0] * CONSISTENCY_DAYS
    assert consistency_badge(ratios) is not None
