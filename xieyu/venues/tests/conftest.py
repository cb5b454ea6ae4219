"""The venues tests' fixtures: a red culture site 古志强 answers for (30 places per half-day, Monday to Friday mornings
and Wednesday afternoons, book 3 days ahead, groups of at most 30), a Hakka round house answered by another contact
(邓小红), and a venue of a neighbouring county."""

from __future__ import annotations

import pytest

from xieyu.accounts.models import Role
from xieyu.accounts.services import membership_grant, user_create
from xieyu.directory.models import Region, Town
from xieyu.venues.catalogue.services import venue_create

from .venues_fixtures import fields


@pytest.fixture
def red_site(cast):
    f = fields(cast.towns["城厢镇"], contacts=[cast.venue_gu])
    return venue_create(actor=cast.county_admin_chen, county=cast.county, fields=f)


@pytest.fixture
def other_contact(cast):
    user = user_create(actor=None, phone="13800000073", name="邓小红")
    membership_grant(actor=None, user=user, role=Role.VENUE_CONTACT, unit=cast.county)
    return user


@pytest.fixture
def round_house(cast, other_contact):
    f = fields(cast.towns["龙下乡"], name="雅溪围屋", kind="museum", address="龙下乡雅溪村", themes=["hakka"],
               contacts=[other_contact])  # fmt: skip
    return venue_create(actor=cast.county_admin_chen, county=cast.county, fields=f)


@pytest.fixture
def far_venue(cast):
    county = Region.objects.create(name="龙南市", level=Region.Level.COUNTY, code="360727", parent=cast.county.parent)
    town = Town.objects.create(county=county, name="龙南镇")
    return venue_create(actor=None, county=county, fields=fields(town, name="关西围"))
