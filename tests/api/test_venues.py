"""Venues over GraphQL: admin-managed partner locations, readable by anyone, listed by index."""

import pytest

from tests.api.mentorship_world import CREATE_VENUE, count, create_venue, venue_input

VENUE = """venueId name type city country capacity amenities isPartner partnershipTier
  discountPercentage isActive"""
UPDATE_VENUE = (
    "mutation($v: ID!, $i: UpdateVenueInput!) { updateVenue(venueId: $v, input: $i) { "
    + VENUE
    + " state updatedAt } }"
)
LIST_VENUES = """query($c: String, $t: VenueType, $p: Boolean, $l: Int) {
  listVenues(city: $c, type: $t, isPartner: $p, limit: $l) { name } }"""


async def test_a_new_venue_gets_the_defaults(api):
    admin = await api.admin()
    venue = await create_venue(api, admin)
    assert venue["country"] == "USA" and venue["amenities"] == []
    assert venue["isPartner"] is False and venue["partnershipTier"] is None
    assert venue["discountPercentage"] == 0
    stored = await api.store.get("Venues", {"venueId": venue["venueId"]})
    assert stored["partnerStatus"] == "non_partner"


@pytest.mark.parametrize(
    ("tier", "given", "expected"),
    [("gold", None, 30), ("silver", None, 20), ("bronze", None, 10), ("gold", 15, 15)],
)
async def test_a_partner_discount_defaults_from_its_tier(api, tier, given, expected):
    admin = await api.admin()
    fields = {"isPartner": True, "partnershipTier": tier, "amenities": ["wifi", "wifi", "desks"]}
    if given is not None:
        fields["discountPercentage"] = given
    venue = await create_venue(api, admin, country="Canada", **fields)
    assert venue["discountPercentage"] == expected
    assert venue["country"] == "Canada" and venue["amenities"] == ["wifi", "desks"]
    stored = await api.store.get("Venues", {"venueId": venue["venueId"]})
    assert stored["partnerStatus"] == "partner"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"isPartner": True, "discountPercentage": 31}, "discountPercentage"),
        ({"isPartner": True, "discountPercentage": -1}, "discountPercentage"),
        ({"discountPercentage": 10}, "discountPercentage"),  # not a partner
        ({"partnershipTier": "gold"}, "partnershipTier"),  # not a partner
        ({"isPartner": False, "partnershipTier": "silver"}, "partnershipTier"),
        ({"capacity": 0}, "capacity"),
        ({"name": "   "}, "name"),
        ({"city": ""}, "city"),
        ({"amenities": ["wifi", " "]}, "amenities"),
    ],
    ids=lambda v: str(v),
)
async def test_bad_venue_input_is_refused_and_writes_nothing(api, change, field):
    admin = await api.admin()
    error = await api.error(CREATE_VENUE, {"i": venue_input(**change)}, as_=admin)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)
    assert await count(api, "Venues") == 0


async def test_the_discount_boundaries_0_and_30_are_accepted(api):
    admin = await api.admin()
    low = await create_venue(api, admin, isPartner=True, discountPercentage=0)
    high = await create_venue(api, admin, isPartner=True, discountPercentage=30)
    assert (low["discountPercentage"], high["discountPercentage"]) == (0, 30)


async def test_only_admins_create_and_update_venues(api):
    admin = await api.admin()
    ann = await api.sign_up("Ann", role="MENTOR")
    refused = await api.error(CREATE_VENUE, {"i": venue_input()}, as_=ann)
    assert refused["code"] == "FORBIDDEN"
    anonymous = await api.error(CREATE_VENUE, {"i": venue_input()})
    assert anonymous["code"] == "UNAUTHENTICATED"
    venue = await create_venue(api, admin)
    update = await api.error(UPDATE_VENUE, {"v": venue["venueId"], "i": {"name": "X"}}, as_=ann)
    assert update["code"] == "FORBIDDEN"
    stored = await api.store.get("Venues", {"venueId": venue["venueId"]})
    assert stored["name"] == "Central Library"


async def test_an_update_changes_only_the_fields_sent(api, clock):
    admin = await api.admin()
    venue = await create_venue(api, admin, state="TX", amenities=["wifi"])
    clock.advance(minutes=1)
    data = await api.data(UPDATE_VENUE, {"v": venue["venueId"], "i": {"capacity": 50}}, as_=admin)
    updated = data["updateVenue"]
    assert updated["capacity"] == 50
    assert (updated["name"], updated["state"], updated["amenities"]) == (
        "Central Library",
        "TX",
        ["wifi"],
    )
    assert updated["updatedAt"] > venue["updatedAt"]
    cleared = await api.data(UPDATE_VENUE, {"v": venue["venueId"], "i": {"state": None}}, as_=admin)
    assert cleared["updateVenue"]["state"] is None


async def test_partnership_changes_keep_tier_and_discount_consistent(api):
    admin = await api.admin()
    venue = await create_venue(api, admin, isPartner=True, partnershipTier="silver")
    vid = venue["venueId"]
    gold = await api.data(UPDATE_VENUE, {"v": vid, "i": {"partnershipTier": "gold"}}, as_=admin)
    assert gold["updateVenue"]["discountPercentage"] == 30  # follows the new tier
    own = await api.data(UPDATE_VENUE, {"v": vid, "i": {"discountPercentage": 5}}, as_=admin)
    assert own["updateVenue"]["partnershipTier"] == "gold"
    assert own["updateVenue"]["discountPercentage"] == 5
    ended = await api.data(UPDATE_VENUE, {"v": vid, "i": {"isPartner": False}}, as_=admin)
    assert ended["updateVenue"]["partnershipTier"] is None
    assert ended["updateVenue"]["discountPercentage"] == 0
    stored = await api.store.get("Venues", {"venueId": vid})
    assert stored["partnerStatus"] == "non_partner"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": None}, "name"),
        ({"capacity": -5}, "capacity"),
        ({"partnershipTier": "gold"}, "partnershipTier"),
        ({"discountPercentage": 40}, "discountPercentage"),
        ({"country": None}, "country"),
        ({"isActive": None}, "isActive"),
    ],
    ids=lambda v: str(v),
)
async def test_a_bad_update_is_refused_and_changes_nothing(api, change, field):
    admin = await api.admin()
    venue = await create_venue(api, admin)
    error = await api.error(UPDATE_VENUE, {"v": venue["venueId"], "i": change}, as_=admin)
    assert (error["code"], error["field"]) == ("BAD_USER_INPUT", field)
    stored = await api.store.get("Venues", {"venueId": venue["venueId"]})
    assert stored["_version"] == 1


async def test_updating_a_missing_venue_is_not_found(api):
    admin = await api.admin()
    missing = "00000000-0000-4000-8000-000000000000"
    error = await api.error(UPDATE_VENUE, {"v": missing, "i": {"capacity": 3}}, as_=admin)
    assert error["code"] == "NOT_FOUND"


async def test_anyone_reads_a_venue_and_a_missing_one_is_null(api):
    admin = await api.admin()
    venue = await create_venue(api, admin)
    query = "query($v: ID!) { getVenue(venueId: $v) { name } }"
    assert (await api.data(query, {"v": venue["venueId"]}))["getVenue"] == {
        "name": "Central Library"
    }
    missing = "00000000-0000-4000-8000-000000000000"
    assert (await api.data(query, {"v": missing}))["getVenue"] is None
    assert (await api.data(query, {"v": "not-a-uuid"}))["getVenue"] is None


async def test_list_venues_combines_filters_and_sorts_by_name(api):
    admin = await api.admin()
    await create_venue(api, admin, name="Zeta Cafe", type="cafe", isPartner=True)
    await create_venue(api, admin, name="Alpha Library", type="library")
    await create_venue(api, admin, name="Beta Cafe", type="cafe")
    await create_venue(api, admin, name="Gamma Cafe", type="cafe", city="Boston", isPartner=True)

    async def names(**filters):
        data = await api.data(LIST_VENUES, filters)
        return [v["name"] for v in data["listVenues"]]

    assert await names() == ["Alpha Library", "Beta Cafe", "Gamma Cafe", "Zeta Cafe"]
    assert await names(l=2) == ["Alpha Library", "Beta Cafe"]
    assert await names(c="Austin") == ["Alpha Library", "Beta Cafe", "Zeta Cafe"]
    assert await names(t="cafe") == ["Beta Cafe", "Gamma Cafe", "Zeta Cafe"]
    assert await names(p=True) == ["Gamma Cafe", "Zeta Cafe"]
    assert await names(p=False) == ["Alpha Library", "Beta Cafe"]
    assert await names(c="Austin", t="cafe", p=True) == ["Zeta Cafe"]
    assert await names(t="cafe", p=False) == ["Beta Cafe"]
    assert await names(c="Nowhere") == []


async def test_an_admin_switches_a_venue_off_and_on_and_an_older_venue_is_active(api):
    admin = await api.admin()
    venue = await create_venue(api, admin)
    vid = venue["venueId"]
    stored = await api.store.get("Venues", {"venueId": vid})
    assert stored["isActive"] is True
    off = await api.data(UPDATE_VENUE, {"v": vid, "i": {"isActive": False}}, as_=admin)
    assert off["updateVenue"]["isActive"] is False
    assert off["updateVenue"]["name"] == "Central Library"  # nothing else changed
    read = "query($v: ID!) { getVenue(venueId: $v) { isActive } }"
    assert (await api.data(read, {"v": vid}))["getVenue"] == {"isActive": False}
    on = await api.data(UPDATE_VENUE, {"v": vid, "i": {"isActive": True}}, as_=admin)
    assert on["updateVenue"]["isActive"] is True
    await api.store.update("Venues", {"venueId": vid}, remove=["isActive"])  # stored before
    assert (await api.data(read, {"v": vid}))["getVenue"] == {"isActive": True}


async def test_a_venue_can_be_created_switched_off(api):
    admin = await api.admin()
    venue = await create_venue(api, admin, isActive=False)
    stored = await api.store.get("Venues", {"venueId": venue["venueId"]})
    assert stored["isActive"] is False
