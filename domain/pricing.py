"""Session price.

The spec only gives `basePrice * (type == in_person ? 0.7 : 1.0)` and the partner-venue
discounts, so the rest is decided here:

* Base price is the mentor's membership-tier hourly rate (standard 50.00, premium 80.00,
  exclusive 120.00) prorated by the session's duration in minutes (15 to 240).
* In-person sessions get the spec's 30% discount (x 0.7), to encourage meeting in person.
* A partner venue's discount then applies multiplicatively to that price: the venue's own
  `discountPercentage` (0-30) when given, else its tier's (gold 30, silver 20, bronze 10).
  A non-partner venue gives no discount, and only in-person sessions use a venue at all.
* The price is computed in Decimal and rounded once, at the end, half-up to 2 decimals.

Example: premium mentor, 60 min, in person at a gold partner: 80 * 0.7 * 0.7 = 39.20.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from domain.choices import parse_choice
from domain.errors import RuleViolation
from domain.rounding import round_half_up
from domain.sessions import SessionType

MIN_DURATION_MINUTES = 15
MAX_DURATION_MINUTES = 240
MAX_VENUE_DISCOUNT_PERCENT = 30
IN_PERSON_FACTOR = Decimal("0.7")


class MembershipTier(StrEnum):
    STANDARD = "standard"
    PREMIUM = "premium"
    EXCLUSIVE = "exclusive"


class PartnershipTier(StrEnum):
    BRONZE = "bronze"
    SILVER = "silver"
    GOLD = "gold"


HOURLY_RATE: dict[MembershipTier, Decimal] = {
    MembershipTier.STANDARD: Decimal("50.00"),
    MembershipTier.PREMIUM: Decimal("80.00"),
    MembershipTier.EXCLUSIVE: Decimal("120.00"),
}

TIER_DISCOUNT_PERCENT: dict[PartnershipTier, int] = {
    PartnershipTier.GOLD: 30,
    PartnershipTier.SILVER: 20,
    PartnershipTier.BRONZE: 10,
}


def validate_duration(duration_minutes: int) -> None:
    """A session lasts 15 to 240 minutes; any whole number of minutes in between is fine."""
    if not MIN_DURATION_MINUTES <= duration_minutes <= MAX_DURATION_MINUTES:
        raise RuleViolation(
            f"duration must be {MIN_DURATION_MINUTES} to {MAX_DURATION_MINUTES} minutes,"
            f" got {duration_minutes}",
            field="duration",
        )


def validate_discount_percentage(discount_percentage: int) -> None:
    """A venue discount is 0 to 30 percent."""
    if not 0 <= discount_percentage <= MAX_VENUE_DISCOUNT_PERCENT:
        raise RuleViolation(
            f"discountPercentage must be 0 to {MAX_VENUE_DISCOUNT_PERCENT},"
            f" got {discount_percentage}",
            field="discountPercentage",
        )


def tier_discount_percent(partnership_tier: str) -> int:
    """The default discount of a partnership tier; a good default for a new venue."""
    return TIER_DISCOUNT_PERCENT[parse_choice(PartnershipTier, partnership_tier, "partnershipTier")]


def _base_price(membership_tier: str, duration_minutes: int) -> Decimal:
    validate_duration(duration_minutes)
    tier = parse_choice(MembershipTier, membership_tier, "membershipTier")
    return HOURLY_RATE[tier] * duration_minutes / 60


def base_price(membership_tier: str, duration_minutes: int) -> float:
    """Hourly rate of the mentor's tier prorated by duration, before any discount."""
    return round_half_up(_base_price(membership_tier, duration_minutes), 2)


def venue_discount_percent(
    is_partner: bool, partnership_tier: str | None, discount_percentage: int | None
) -> int:
    """Percent off a venue gives: its own percentage if set, else its tier's; 0 if not a partner."""
    if discount_percentage is not None:
        validate_discount_percentage(discount_percentage)
    tier_percent = tier_discount_percent(partnership_tier) if partnership_tier is not None else 0
    if not is_partner:
        return 0
    return discount_percentage if discount_percentage is not None else tier_percent


def session_price(
    *,
    membership_tier: str,
    duration_minutes: int,
    session_type: str,
    venue_is_partner: bool = False,
    partnership_tier: str | None = None,
    venue_discount_percentage: int | None = None,
) -> float:
    """Final price of a session; see the module docstring for the formula."""
    price = _base_price(membership_tier, duration_minutes)
    if parse_choice(SessionType, session_type, "type") is SessionType.IN_PERSON:
        price *= IN_PERSON_FACTOR
        percent = venue_discount_percent(
            venue_is_partner, partnership_tier, venue_discount_percentage
        )
        price *= Decimal(100 - percent) / 100
    return round_half_up(price, 2)
