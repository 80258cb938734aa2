import pytest

from domain.errors import RuleViolation
from domain.pricing import (
    base_price,
    session_price,
    tier_discount_percent,
    venue_discount_percent,
)


@pytest.mark.parametrize(
    ("tier", "minutes", "expected"),
    [
        ("standard", 60, 50.0),
        ("premium", 60, 80.0),
        ("exclusive", 60, 120.0),
        ("standard", 30, 25.0),
        ("premium", 45, 60.0),
        ("standard", 20, 16.67),  # 16.666... rounds half-up
        ("standard", 15, 12.5),
        ("exclusive", 240, 480.0),
        ("standard", 17, 14.17),  # any whole number of minutes is allowed
    ],
)
def test_base_price_is_tier_hourly_rate_prorated_by_minutes(tier, minutes, expected):
    assert base_price(tier, minutes) == expected


@pytest.mark.parametrize("minutes", [0, -30, 14, 241])
def test_duration_outside_15_to_240_minutes_is_refused(minutes):
    with pytest.raises(RuleViolation) as caught:
        base_price("standard", minutes)
    assert caught.value.field == "duration"


def test_unknown_membership_tier_is_refused():
    with pytest.raises(RuleViolation) as caught:
        base_price("platinum", 60)
    assert caught.value.field == "membershipTier"


@pytest.mark.parametrize(("tier", "percent"), [("gold", 30), ("silver", 20), ("bronze", 10)])
def test_partner_tiers_give_their_spec_discount(tier, percent):
    assert tier_discount_percent(tier) == percent
    assert venue_discount_percent(True, tier, None) == percent


def test_venue_own_discount_percentage_overrides_its_tier():
    assert venue_discount_percent(True, "gold", 15) == 15
    assert venue_discount_percent(True, None, 25) == 25


def test_partner_without_tier_or_percentage_gives_no_discount():
    assert venue_discount_percent(True, None, None) == 0


def test_non_partner_venue_gives_no_discount_whatever_it_stores():
    assert venue_discount_percent(False, "gold", 30) == 0
    assert venue_discount_percent(False, None, None) == 0


@pytest.mark.parametrize("percentage", [0, 30])
def test_discount_percentage_bounds_are_inclusive(percentage):
    assert venue_discount_percent(True, None, percentage) == percentage


@pytest.mark.parametrize("percentage", [-1, 31, 100])
def test_discount_percentage_outside_0_to_30_is_refused(percentage):
    with pytest.raises(RuleViolation) as caught:
        venue_discount_percent(True, "gold", percentage)
    assert caught.value.field == "discountPercentage"


def test_unknown_partnership_tier_is_refused():
    with pytest.raises(RuleViolation) as caught:
        venue_discount_percent(True, "platinum", None)
    assert caught.value.field == "partnershipTier"


def test_virtual_session_costs_the_base_price():
    price = session_price(membership_tier="premium", duration_minutes=60, session_type="virtual")
    assert price == 80.0


def test_in_person_session_gets_30_percent_off():
    price = session_price(membership_tier="premium", duration_minutes=60, session_type="in_person")
    assert price == 56.0


@pytest.mark.parametrize(
    ("tier", "expected"),
    [("gold", 39.2), ("silver", 44.8), ("bronze", 50.4)],
)
def test_partner_discount_applies_multiplicatively_after_in_person_discount(tier, expected):
    price = session_price(
        membership_tier="premium",
        duration_minutes=60,
        session_type="in_person",
        venue_is_partner=True,
        partnership_tier=tier,
    )
    assert price == expected


def test_venue_own_percentage_is_used_for_the_session_price():
    price = session_price(
        membership_tier="standard",
        duration_minutes=60,
        session_type="in_person",
        venue_is_partner=True,
        partnership_tier="gold",
        venue_discount_percentage=5,
    )
    assert price == 33.25  # 50 * 0.7 * 0.95


def test_non_partner_venue_does_not_discount_an_in_person_session():
    price = session_price(
        membership_tier="standard",
        duration_minutes=60,
        session_type="in_person",
        venue_is_partner=False,
        partnership_tier="gold",
    )
    assert price == 35.0


def test_venue_discount_never_applies_to_virtual_sessions():
    price = session_price(
        membership_tier="standard",
        duration_minutes=60,
        session_type="virtual",
        venue_is_partner=True,
        partnership_tier="gold",
    )
    assert price == 50.0


def test_price_is_rounded_once_at_the_end():
    # 50 * 25/60 * 0.7 * 0.9 = 13.125 -> 13.13; from a rounded base (20.83) it would be 13.12.
    price = session_price(
        membership_tier="standard",
        duration_minutes=25,
        session_type="in_person",
        venue_is_partner=True,
        partnership_tier="bronze",
    )
    assert price == 13.13


def test_unknown_session_type_is_refused():
    with pytest.raises(RuleViolation) as caught:
        session_price(membership_tier="standard", duration_minutes=60, session_type="phone")
    assert caught.value.field == "type"
