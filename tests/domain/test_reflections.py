from datetime import date

import pytest

from domain.errors import RuleViolation
from domain.reflections import (
    Mood,
    check_weekly_reflection_day,
    is_weekly_reflection_day,
    parse_mood,
    validate_daily_reflection,
    validate_weekly_reflection,
)

SUNDAY = date(2026, 11, 29)
MONDAY = date(2026, 11, 30)
GOOD_CONTENT = {
    "whatWentWell": "Ran three times",
    "whatFeltHard": "Waking up early",
    "insights": "Evenings work better",
    "gratitude": ["my sister", "sunny Saturday"],
}


@pytest.mark.parametrize(
    ("day", "expected"),
    [(SUNDAY, True), (MONDAY, False), (date(2026, 11, 28), False), (date(2027, 1, 3), True)],
)
def test_sunday_is_the_weekly_reflection_day(day, expected):
    assert is_weekly_reflection_day(day) is expected


def test_moods_parse_from_their_api_names():
    assert parse_mood("GREAT") is Mood.GREAT
    with pytest.raises(RuleViolation) as caught:
        parse_mood("great")
    assert caught.value.field == "mood"


# --- daily -----------------------------------------------------------------------------


@pytest.mark.parametrize("mood_score", [None, 1, 5, 10])
def test_daily_reflection_accepts_mood_scores_1_to_10_or_none(mood_score):
    validate_daily_reflection(d=MONDAY, today=MONDAY, mood_score=mood_score, text="ok")


@pytest.mark.parametrize("mood_score", [0, 11, -3, True])
def test_daily_reflection_refuses_other_mood_scores(mood_score):
    with pytest.raises(RuleViolation) as caught:
        validate_daily_reflection(d=MONDAY, today=MONDAY, mood_score=mood_score, text=None)
    assert caught.value.field == "moodScore"


def test_daily_reflection_may_be_written_on_a_sunday_and_for_past_days():
    validate_daily_reflection(d=SUNDAY, today=MONDAY, mood_score=7, text=None)


def test_daily_reflection_cannot_be_for_the_future():
    with pytest.raises(RuleViolation) as caught:
        validate_daily_reflection(d=MONDAY, today=SUNDAY, mood_score=None, text=None)
    assert caught.value.field == "date"


def test_daily_reflection_text_is_capped_at_10000_characters():
    validate_daily_reflection(d=MONDAY, today=MONDAY, mood_score=None, text="x" * 10_000)
    with pytest.raises(RuleViolation) as caught:
        validate_daily_reflection(d=MONDAY, today=MONDAY, mood_score=None, text="x" * 10_001)
    assert caught.value.field == "text"


# --- weekly ----------------------------------------------------------------------------


def test_complete_weekly_reflection_on_a_sunday_passes():
    validate_weekly_reflection(d=SUNDAY, today=SUNDAY, content=GOOD_CONTENT)


def test_weekly_reflection_without_gratitude_passes():
    content = {key: value for key, value in GOOD_CONTENT.items() if key != "gratitude"}
    validate_weekly_reflection(d=SUNDAY, today=MONDAY, content=content)


@pytest.mark.parametrize("day", [MONDAY, date(2026, 11, 28)])
def test_weekly_reflection_must_be_dated_on_a_sunday(day):
    with pytest.raises(RuleViolation) as caught:
        validate_weekly_reflection(d=day, today=date(2026, 12, 31), content=GOOD_CONTENT)
    assert caught.value.field == "date"


def test_weekly_reflection_cannot_be_for_a_future_sunday():
    with pytest.raises(RuleViolation, match="future") as caught:
        validate_weekly_reflection(d=SUNDAY, today=date(2026, 11, 28), content=GOOD_CONTENT)
    assert caught.value.field == "date"


@pytest.mark.parametrize("name", ["whatWentWell", "whatFeltHard", "insights"])
@pytest.mark.parametrize("value", [None, "", "   ", 42])
def test_weekly_reflection_needs_every_structured_answer(name, value):
    content = {**GOOD_CONTENT, name: value}
    with pytest.raises(RuleViolation) as caught:
        validate_weekly_reflection(d=SUNDAY, today=SUNDAY, content=content)
    assert caught.value.field == f"content.{name}"


def test_weekly_reflection_missing_answer_key_is_refused():
    content = {key: value for key, value in GOOD_CONTENT.items() if key != "insights"}
    with pytest.raises(RuleViolation) as caught:
        validate_weekly_reflection(d=SUNDAY, today=SUNDAY, content=content)
    assert caught.value.field == "content.insights"


@pytest.mark.parametrize(
    "gratitude",
    [["ok", ""], ["  "], [None], "my family", ["x"] * 11],
)
def test_gratitude_is_at_most_10_non_empty_strings(gratitude):
    with pytest.raises(RuleViolation) as caught:
        validate_weekly_reflection(
            d=SUNDAY, today=SUNDAY, content={**GOOD_CONTENT, "gratitude": gratitude}
        )
    assert caught.value.field == "content.gratitude"


def test_ten_gratitude_items_are_fine():
    content = {**GOOD_CONTENT, "gratitude": [f"thing {n}" for n in range(10)]}
    validate_weekly_reflection(d=SUNDAY, today=SUNDAY, content=content)


def test_the_sunday_rule_names_the_date_on_any_other_day():
    check_weekly_reflection_day(SUNDAY)
    with pytest.raises(RuleViolation, match="Sunday") as refused:
        check_weekly_reflection_day(MONDAY)
    assert refused.value.field == "date"
