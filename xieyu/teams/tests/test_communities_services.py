"""Communities both ways, as stories: 叶春梅 of 城南社区 lists her facilities and publishes an activity that 张伟's
family (城厢镇) sees and 钟秀兰's (大吉山镇) does not; 城厢小学 records its teachers' visit to the community."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from xieyu.events.models import Event
from xieyu.teams.communities import access, services
from xieyu.teams.models import Facility

from .talent_fixtures import make_world, refused


@pytest.fixture
def world(cast):
    return make_world(cast)


def _times(days=5, hours=2):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    return start, start + datetime.timedelta(hours=hours)


def activity(cast, community=None, **kw):
    start, end = _times(**kw)
    return services.community_activity_create(actor=cast.community_ye, community=community or cast.communities["south"],
                                              title="城南社区 暑期亲子阅读会", starts_at=start, ends_at=end,
                                              place="城南社区 书屋")  # fmt: skip


def test_an_activity_reaches_the_families_of_the_communitys_town(cast, world):
    event = activity(cast)
    assert (event.kind, event.organiser, event.audience) == ("community_activity", "community", "town")
    assert event.audience_town == cast.towns["城厢镇"] and event.status == Event.Status.PUBLISHED
    assert list(access.activities_near(cast.parent_zhang)) == [event]
    assert list(access.activities_near(cast.parent_sun)) == [event]  # 全南二中 lies in 城厢镇 too
    assert list(access.activities_near(world.far_parent)) == []  # a family of 大吉山镇


def test_facilities_are_saved_and_bad_ones_refused(cast, world):
    south = cast.communities["south"]
    room = services.facility_save(actor=cast.community_ye, community=south, kind="book_room", name="城南书屋",
                                  opening_times="周二至周日 9:00–17:00", capacity=30)  # fmt: skip
    assert list(access.facilities_near(cast.parent_zhang)) == [room]
    assert list(access.facilities_near(world.far_parent)) == []
    with refused("name"):
        services.facility_save(actor=cast.community_ye, community=south, kind="court", name="  ", capacity=10)
    with refused("capacity"):
        services.facility_save(actor=cast.community_ye, community=south, kind="court", name="篮球场", capacity=-1)
    with refused("community"):
        services.facility_save(actor=cast.community_ye, community=cast.communities["village"], facility=room,
                               kind="court", name="篮球场", capacity=10)  # fmt: skip
    assert Facility.objects.count() == 1
    room.refresh_from_db()
    assert room.name == "城南书屋"


def test_community_staff_manage_only_their_own_community(cast, world):
    south, village = cast.communities["south"], cast.communities["village"]
    room = services.facility_save(actor=world.far_staff, community=cast.communities["dajishan"], kind="activity_room",
                                  name="大吉山活动室", capacity=40)  # fmt: skip
    assert list(access.facilities_managed_by(cast.community_ye)) == []
    with pytest.raises(Exception, match="not found"):
        access.get_facility_for(cast.community_ye, room.pk, write=True)
    with pytest.raises(Exception, match="not found"):
        access.get_community_for(cast.community_ye, village.pk)
    assert access.get_community_for(cast.community_ye, south.pk) == south


def test_exchanges_name_both_sides_and_are_counted(cast, world):
    south = cast.communities["south"]
    start, end = _times(days=-3)
    into = services.exchange_record(actor=cast.school_admin_liu, kind="into_community", school=cast.school_a,
                                    community=south, title="城厢小学教师进社区 家庭教育讲座", starts_at=start,
                                    ends_at=end)  # fmt: skip
    back = services.exchange_record(actor=cast.community_ye, kind="into_school", school=cast.school_a,
                                    community=south, title="城南社区志愿者进校园 安全教育", starts_at=start,
                                    ends_at=end)  # fmt: skip
    assert (into.school, into.community, into.organiser) == (cast.school_a, south, "school")
    assert (back.school, back.community, back.organiser) == (cast.school_a, south, "community")
    period = access.period_of("year")
    school = access.schools_counted_for(cast.school_admin_liu, period).get()
    assert (school.into_community, school.into_school) == (1, 1)
    community = access.communities_counted_for(cast.community_ye, period).get()
    assert (community.into_community, community.into_school) == (1, 1)
    county = {s.pk: s for s in access.schools_counted_for(cast.county_admin_chen, period)}
    assert county[cast.school_b.pk].into_community == 0 and county[cast.school_a.pk].into_school == 1


def test_an_exchange_with_a_community_of_another_county_is_refused(cast, world):
    start, end = _times()
    with refused("community"):
        services.exchange_record(actor=cast.school_admin_liu, kind="into_community", school=cast.school_a,
                                 community=world.other_community, title="跨县交流", starts_at=start, ends_at=end)  # fmt: skip
    assert not Event.objects.exists()


def test_the_term_and_the_year():
    autumn = access.period_of("term", datetime.date(2025, 11, 3))
    spring = access.period_of("term", datetime.date(2026, 3, 3))
    year = access.period_of("year", datetime.date(2026, 3, 3))
    assert autumn.start.date() == datetime.date(2025, 9, 1) and autumn.end.date() == datetime.date(2026, 2, 1)
    assert spring.start.date() == datetime.date(2026, 2, 1) and spring.end.date() == datetime.date(2026, 9, 1)
    assert year.start.date() == datetime.date(2025, 9, 1) and year.end.date() == datetime.date(2026, 9, 1)
