"""The communities' pages and API: 叶春梅's home, facilities and activities (雅溪村's are not hers), the guardians'
activities near their children's schools (张伟 and 孙丽 of 城厢镇 see 城南社区's, 钟秀兰 of 大吉山镇 does not), and the
exchanges recorded by either side and counted for the county."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from xieyu.events.models import Event
from xieyu.teams.communities import services
from xieyu.teams.models import Facility

from .talent_fixtures import make_world

API = "/api/v1/teams/communities"


@pytest.fixture
def world(cast):
    return make_world(cast)


def _activity(cast, community_key="south", actor=None, days=5, title="城南社区 周末亲子阅读会"):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    return services.community_activity_create(
        actor=actor or cast.community_ye, community=cast.communities[community_key], title=title, starts_at=start,
        ends_at=start + datetime.timedelta(hours=2), place="社区书屋",
    )  # fmt: skip


def _facility(cast, key="south", actor=None, name="城南书屋"):
    return services.facility_save(actor=actor or cast.community_ye, community=cast.communities[key], kind="book_room",
                                  name=name, opening_times="周二至周日 9:00–17:00", capacity=30)  # fmt: skip


@pytest.mark.parametrize("persona, status", [("community_ye", 200), ("parent_zhang", 200), (None, 302)])
def test_the_community_staff_home(cast, client_for, world, persona, status):
    _activity(cast)
    response = client_for(persona).get("/")
    assert response.status_code == status
    if persona == "community_ye":
        page = response.content.decode()
        assert "城厢镇城南社区" in page and "周末亲子阅读会" in page and 'id="activity-form"' in page


def test_the_home_runs_a_fixed_number_of_queries(cast, client_for, world, django_assert_max_num_queries):
    ye = client_for("community_ye")
    _activity(cast)
    _facility(cast)
    with django_assert_max_num_queries(30) as small:
        ye.get("/")
    for i in range(8):
        _activity(cast, days=6 + i, title=f"活动{i}")
        _facility(cast, name=f"活动室{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        ye.get("/")


@pytest.mark.parametrize(
    "persona, status", [("community_ye", 200), ("far_staff", 200), ("parent_zhang", 404), ("school_admin_liu", 404),
                        (None, 302)],
)  # fmt: skip
def test_the_facility_list_matrix(cast, client_for, world, persona, status):
    _facility(cast)
    if persona == "far_staff":
        from django.test import Client

        client = Client()
        client.force_login(world.far_staff, backend="django.contrib.auth.backends.ModelBackend")
        response = client.get(reverse("teams:facility_list"))
        assert response.status_code == 200 and "城南书屋" not in response.content.decode()
        return
    assert client_for(persona).get(reverse("teams:facility_list")).status_code == status


def test_staff_of_城南社区_cannot_edit_雅溪村s_facilities(cast, client_for, world):
    from xieyu.accounts.models import Role
    from xieyu.accounts.services import membership_grant, user_create

    village_staff = user_create(actor=None, phone="13800009003", name="邱雅溪", password="Demo2026xy")  # noqa: S106
    membership_grant(actor=None, user=village_staff, role=Role.COMMUNITY_STAFF, unit=cast.communities["village"])
    room = _facility(cast, key="village", actor=village_staff, name="雅溪村活动室")
    ye = client_for("community_ye")
    assert ye.get(reverse("teams:facility_edit", args=[room.pk])).status_code == 404
    assert ye.post(reverse("teams:facility_edit", args=[room.pk]), {"kind": "court", "name": "改名",
                                                                    "capacity": 1}).status_code == 404  # fmt: skip
    room.refresh_from_db()
    assert room.name == "雅溪村活动室"


@pytest.mark.parametrize("data", [{"name": "", "capacity": 10}, {"name": "篮球场", "capacity": -1},
                                  {"name": "篮球场", "capacity": "abc"}, {"name": "篮球场", "capacity": 10, "kind": "x"}])  # fmt: skip
def test_a_bad_facility_is_refused_with_a_message(cast, client_for, world, data):
    post = {"kind": "court", "opening_times": "", **data}
    response = client_for("community_ye").post(reverse("teams:facility_new"), post)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Facility.objects.exists()


def test_a_facility_is_added_and_edited(cast, client_for, world):
    ye = client_for("community_ye")
    ye.post(reverse("teams:facility_new"), {"kind": "court", "name": "城南篮球场", "capacity": 20,
                                            "open_to_children": "on"})  # fmt: skip
    room = Facility.objects.get()
    ye.post(reverse("teams:facility_edit", args=[room.pk]), {"kind": "court", "name": "城南灯光篮球场", "capacity": 40})
    room.refresh_from_db()
    assert (room.name, room.capacity, room.open_to_children) == ("城南灯光篮球场", 40, False)


def test_community_staff_publish_an_activity_and_see_it_in_their_list(cast, client_for, world):
    ye = client_for("community_ye")
    response = ye.post(reverse("teams:community_events"), {"title": "城南社区 非遗剪纸体验", "starts_at": "2030-05-01T09:00",
                                                          "ends_at": "2030-05-01T11:00", "place": "社区活动室",
                                                          "capacity": 30})  # fmt: skip
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == reverse("events:detail", args=[event.pk])
    assert (event.community, event.audience_town) == (cast.communities["south"], cast.towns["城厢镇"])
    assert "非遗剪纸体验" in ye.get(reverse("teams:community_events")).content.decode()
    bad = ye.post(reverse("teams:community_events"), {"title": "", "starts_at": "x"}, follow=True)
    assert Event.objects.count() == 1 and bad.context["messages"]


@pytest.mark.parametrize(
    "persona, sees", [("parent_zhang", True), ("parent_sun", True), ("far_parent", False), ("school_admin_liu", False)]
)
def test_the_guardians_activities_near_their_childrens_schools(cast, client_for, world, persona, sees):
    event = _activity(cast)
    _facility(cast)
    if persona == "far_parent":
        from django.test import Client

        client = Client()
        client.force_login(world.far_parent, backend="django.contrib.auth.backends.ModelBackend")
    else:
        client = client_for(persona)
    page = client.get(reverse("teams:community_activities")).content.decode()
    assert (event.title in page) == sees and ("城南书屋" in page) == sees
    api = client.get(f"{API}/activities").json()
    assert ([i["id"] for i in api["items"]] == [event.pk]) == sees
    if persona in ("parent_zhang", "far_parent"):
        assert (event.title in client.get("/").content.decode()) == sees  # the home section


def test_the_activities_page_and_api_are_for_logged_in_users(cast, client_for, world):
    assert client_for(None).get(reverse("teams:community_activities")).status_code == 302
    assert client_for(None).get(f"{API}/activities").status_code == 401


def test_the_guardians_page_runs_a_fixed_number_of_queries(cast, client_for, world, django_assert_max_num_queries):
    zhang = client_for("parent_zhang")
    _activity(cast)
    _facility(cast)
    with django_assert_max_num_queries(20) as small:
        zhang.get(reverse("teams:community_activities"))
    for i in range(10):
        _activity(cast, days=6 + i, title=f"活动{i}")
        _facility(cast, name=f"书屋{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        zhang.get(reverse("teams:community_activities"))


# --- exchanges --------------------------------------------------------------------------------------------------


def _exchange_post(cast, kind="into_community", community=None, school=None):
    return {"kind": kind, "school": (school or cast.school_a).pk,
            "community": (community or cast.communities["south"]).pk, "title": "教师进社区 家庭教育讲座",
            "starts_at": "2030-03-20T19:00", "ends_at": "2030-03-20T20:30"}  # fmt: skip


@pytest.mark.parametrize(
    "persona, status",
    [("school_admin_liu", 200), ("community_ye", 200), ("county_admin_chen", 200), ("parent_zhang", 404),
     ("head_teacher_li", 404), (None, 302)],
)  # fmt: skip
def test_the_exchange_page_matrix(cast, client_for, world, persona, status):
    assert client_for(persona).get(reverse("teams:exchange_list")).status_code == status


def test_both_sides_record_and_the_county_counts(cast, client_for, world):
    now = timezone.localdate()
    stamp = f"{now.isoformat()}T"
    liu, ye = client_for("school_admin_liu"), client_for("community_ye")
    post = _exchange_post(cast) | {"starts_at": stamp + "08:00", "ends_at": stamp + "09:00"}
    liu.post(reverse("teams:exchange_list"), post)
    ye.post(reverse("teams:exchange_list"), post | {"kind": "into_school", "school": cast.school_b.pk})
    assert Event.objects.filter(kind="into_community", school=cast.school_a).count() == 1
    assert Event.objects.filter(kind="into_school", school=cast.school_b, organiser="community").count() == 1
    page = client_for("county_admin_chen").get(reverse("teams:exchange_list"))
    schools = {s.pk: (s.into_community, s.into_school) for s in page.context["schools"].object_list}
    assert schools[cast.school_a.pk] == (1, 0) and schools[cast.school_b.pk] == (0, 1)
    communities = {c.pk: (c.into_community, c.into_school) for c in page.context["communities"].object_list}
    assert communities[cast.communities["south"].pk] == (1, 1)
    wang = client_for("school_admin_wang").get(reverse("teams:exchange_list"))
    assert [s.pk for s in wang.context["schools"].object_list] == [cast.school_b.pk]


def test_an_exchange_naming_a_community_of_another_county_is_refused(cast, client_for, world):
    response = client_for("school_admin_liu").post(
        reverse("teams:exchange_list"), _exchange_post(cast, community=world.other_community), follow=True
    )
    assert response.context["messages"] and not Event.objects.exists()
    # community staff cannot record for another community's side
    response = client_for("community_ye").post(
        reverse("teams:exchange_list"), _exchange_post(cast, community=cast.communities["village"]), follow=True
    )
    assert response.context["messages"] and not Event.objects.exists()


def test_the_county_table_runs_a_fixed_number_of_queries(cast, client_for, world, django_assert_max_num_queries):
    from xieyu.directory.models import School
    from xieyu.directory.services import school_create

    chen = client_for("county_admin_chen")
    with django_assert_max_num_queries(20) as small:
        chen.get(reverse("teams:exchange_list"))
    for i in range(25):
        school_create(actor=None, county=cast.county, name=f"全南县测试小学{i}", kind=School.Kind.PRIMARY,
                      code=f"36072999{i:02d}")  # fmt: skip
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = chen.get(reverse("teams:exchange_list"))
    assert response.context["schools"].paginator.num_pages == 2
