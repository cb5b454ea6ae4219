"""The members pages as stories and as a matrix: 陈建国 coordinates the county's teams (panels: members by load,
lapsing checks, needs unfilled); 刘芳 runs 城厢小学's own teacher team, which 王强 of the neighbour school can neither
see nor edit; 曾德福 reads his own record but not 黄志华's; a guardian opens no member record; anonymous is sent to log
in. Bad input is refused with a message naming it, nothing changed; pages take a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from xieyu.accounts.models import Membership, Role, User
from xieyu.teams.models import Assignment, BackgroundCheck, Certificate, Member, Need, Skill, Team

from . import members_fixtures as fx
from .members_fixtures import approved

centre = fx.centre


def _text(response) -> str:
    return response.content.decode()


# --- the matrix -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status",
    [("county_admin_chen", 200), ("school_admin_liu", 200), ("school_admin_wang", 404), ("teacher_he", 404),
     ("volunteer_zeng", 404), ("parent_zhang", 404), (None, 302)],
)  # fmt: skip
def test_the_school_team_s_members_are_seen_by_its_coordinators_only(cast, centre, client_for, persona, status):
    member = approved(centre.school_team, cast.teacher_he, by=cast.school_admin_liu)
    client = client_for(persona)
    response = client.get(reverse("teams:member_detail", args=[member.pk]))
    if persona == "teacher_he":  # her own record, read-only
        assert response.status_code == 200 and "check-form" not in _text(response)
        return
    assert response.status_code == status


@pytest.mark.parametrize(
    "persona, status",
    [("county_admin_chen", 200), ("school_admin_liu", 200), ("school_admin_wang", 404), ("head_teacher_li", 200),
     ("volunteer_zeng", 404), ("parent_zhang", 404), (None, 302)],
)  # fmt: skip
def test_the_school_team_page_is_open_to_its_coordinators_and_its_teachers(cast, centre, client_for, persona, status):
    approved(centre.school_team, cast.teacher_he, by=cast.school_admin_liu)
    response = client_for(persona).get(reverse("teams:team_detail", args=[centre.school_team.pk]))
    assert response.status_code == status
    if status == 200:
        manages = persona in ("county_admin_chen", "school_admin_liu")
        assert ('id="filter"' in _text(response)) == manages


def test_wang_cannot_edit_the_neighbour_school_s_team(cast, centre, client_for):
    he = services_apply(cast, centre.school_team, cast.teacher_he)
    wang = client_for("school_admin_wang")
    assert wang.post(reverse("teams:member_identity", args=[he.pk])).status_code == 404
    assert wang.post(reverse("teams:member_decline", args=[he.pk]), {"reason": "x"}).status_code == 404
    he.refresh_from_db()
    assert he.status == "applied" and he.identity_checked_at is None


@pytest.mark.parametrize("persona, status", [("volunteer_zeng", 404), ("expert_huang", 200), ("parent_zhang", 404),
                                             ("county_admin_chen", 200), ("school_admin_liu", 404), (None, 302)])  # fmt: skip
def test_a_volunteer_cannot_open_another_member_s_record(cast, centre, client_for, persona, status):
    assert client_for(persona).get(reverse("teams:member_detail", args=[centre.huang.pk])).status_code == status


@pytest.mark.parametrize("url_name", ["teams:checks_lapsing", "teams:skill_list"])
@pytest.mark.parametrize("persona, status", [("county_admin_chen", 200), ("volunteer_zeng", 404),
                                             ("parent_zhang", 404), (None, 302)])  # fmt: skip
def test_the_coordinator_pages(cast, centre, client_for, url_name, persona, status):
    assert client_for(persona).get(reverse(url_name)).status_code == status


@pytest.mark.parametrize("persona, status", [("county_admin_chen", 200), ("school_admin_liu", 200),
                                             ("volunteer_zeng", 200), ("parent_zhang", 200), ("partner_wu", 404),
                                             (None, 302)])  # fmt: skip
def test_the_team_list(cast, centre, client_for, persona, status):
    assert client_for(persona).get(reverse("teams:team_list")).status_code == status


# --- the coordinator's page ----------------------------------------------------------------------------------------


def test_chen_sees_counts_load_lapsing_checks_and_unfilled_needs(cast, centre, client_for):
    today, now = timezone.localdate(), timezone.now()
    BackgroundCheck.objects.filter(user=cast.volunteer_zeng).update(valid_until=today + datetime.timedelta(days=10))
    need = Need.objects.create(county=cast.county, school=cast.school_a, kind="lecture", topic="家风家训讲座",
                               place="城厢小学", starts_at=now + datetime.timedelta(days=3),
                               ends_at=now + datetime.timedelta(days=3, hours=2), people=2)  # fmt: skip
    Assignment.objects.create(need=need, member=centre.huang, status="accepted", starts_at=need.starts_at,
                              ends_at=need.ends_at)  # fmt: skip
    page = _text(client_for("county_admin_chen").get(reverse("teams:team_list")))
    assert "城厢小学教师支援服务队" in page and "全南县专家引导团" in page
    load = page[page.index('id="load"') : page.index('id="lapsing"')]
    assert load.index("黄志华") < load.index("曾德福") and "1 次派单" in load
    lapsing = page[page.index('id="lapsing"') : page.index('id="unfilled"')]
    assert "曾德福" in lapsing and "黄志华" not in lapsing and 'data-check="lapsing"' in lapsing
    assert "家风家训讲座" in page[page.index('id="unfilled"') :] and "已接受 1 / 需 2 人" in page


def test_a_guardian_sees_the_parent_team_to_apply_to(cast, centre, client_for):
    page = _text(client_for("parent_zhang").get(reverse("teams:team_list")))
    assert f'data-team="{centre.teams["parent"].pk}"' in page and "全南县专家引导团" not in page


def test_liu_creates_her_school_s_team_once(cast, client_for):
    liu = client_for("school_admin_liu")
    assert "team-create" in _text(liu.get(reverse("teams:team_list")))
    response = liu.post(reverse("teams:team_create"), {"name": "城厢小学教师服务队", "description": ""})
    team = Team.objects.get(school=cast.school_a)
    assert response.status_code == 302 and team.name == "城厢小学教师服务队"
    assert liu.post(reverse("teams:team_create"), {"name": "再建一个"}).status_code == 404
    assert client_for("school_admin_wang").get(reverse("teams:team_detail", args=[team.pk])).status_code == 404


# --- applying and vetting through the pages -----------------------------------------------------------------------


def services_apply(cast, team, user):
    from xieyu.teams.members import services

    return services.member_apply(actor=user, team=team, towns=[cast.towns["城厢镇"]], introduction="任课教师。")


def test_he_applies_through_the_page_and_twice_is_refused(cast, centre, client_for):
    he = client_for("teacher_he")
    url = reverse("teams:apply", args=[centre.school_team.pk])
    form = {"skills": [centre.skills["阅读推广"].pk], "towns": [cast.towns["城厢镇"].pk], "languages": "客家话",
            "availability": ["1-afternoon", "4-evening"], "introduction": "城厢小学语文教师。"}  # fmt: skip
    response = he.post(url, form)
    member = Member.objects.get(user=cast.teacher_he)
    assert response.status_code == 302 and response.url == reverse("teams:member_detail", args=[member.pk])
    again = he.post(url, form, follow=True)
    assert "已经申请" in _text(again) and Member.objects.filter(user=cast.teacher_he).count() == 1


@pytest.mark.parametrize(
    "change, message",
    [({"availability": ["7-morning"]}, "星期一至星期日"), ({"skills": ["999999"]}, "专长"),
     ({"towns": []}, "乡镇"), ({"introduction": ""}, "个人简介")],
)  # fmt: skip
def test_bad_application_input_is_refused_naming_it(cast, centre, client_for, change, message):
    form = {"towns": [cast.towns["城厢镇"].pk], "introduction": "城厢小学语文教师。", **change}
    response = client_for("teacher_he").post(reverse("teams:apply", args=[centre.school_team.pk]), form)
    assert response.status_code == 200 and message in _text(response)
    assert not Member.objects.filter(user=cast.teacher_he).exists()


def test_a_skill_of_another_county_is_refused_on_the_page(cast, centre, client_for):
    from xieyu.directory.models import Region

    other = Region.objects.create(name="龙南市", level=Region.Level.COUNTY, code="360727", parent=cast.county.parent)
    foreign = Skill.objects.create(county=other, name="书法")
    form = {"skills": [foreign.pk], "towns": [cast.towns["城厢镇"].pk], "introduction": "教师。"}
    response = client_for("teacher_he").post(reverse("teams:apply", args=[centre.school_team.pk]), form)
    assert "请从本县的专长列表中选择" in _text(response) and not Member.objects.filter(user=cast.teacher_he).exists()


def test_who_may_apply_where(cast, centre, client_for):
    def code(persona, kind):
        return client_for(persona).get(reverse("teams:apply", args=[centre.teams[kind].pk])).status_code

    assert code("expert_huang", "expert") == 200 and code("expert_huang", "elders") == 404
    assert code("teacher_he", "teacher") == 200 and code("teacher_he", "parent") == 404
    assert code("volunteer_zeng", "parent") == 200 and code("volunteer_zeng", "teacher") == 404
    assert code("parent_zhang", "parent") == 200 and code("parent_zhang", "expert") == 404
    assert client_for("school_admin_wang").get(reverse("teams:apply", args=[centre.school_team.pk])).status_code == 404


def test_chen_vets_and_approval_without_a_valid_check_is_refused(cast, centre, client_for):
    he = services_apply(cast, centre.teams["teacher"], cast.teacher_he)
    chen = client_for("county_admin_chen")
    url = reverse("teams:member_detail", args=[he.pk])
    today = timezone.localdate()
    term = {"term_start": today.isoformat(), "term_end": (today + datetime.timedelta(days=600)).isoformat()}
    chen.post(reverse("teams:member_identity", args=[he.pk]))
    refused = chen.post(reverse("teams:member_approve", args=[he.pk]), term, follow=True)
    assert "没有有效的入职查询" in _text(refused)
    he.refresh_from_db()
    assert he.status == "vetting"
    bad = chen.post(reverse("teams:member_check", args=[he.pk]), {"checked_on": "昨天", "checking_unit": "公安局"},
                    follow=True)  # fmt: skip
    assert "查询日期" in _text(bad) and not BackgroundCheck.objects.filter(user=cast.teacher_he).exists()
    chen.post(reverse("teams:member_check", args=[he.pk]), {"checked_on": today.isoformat(),
                                                            "checking_unit": "全南县公安局", "reference": "QN1"})  # fmt: skip
    assert BackgroundCheck.objects.get(user=cast.teacher_he).valid_until.year == today.year + 1
    chen.post(reverse("teams:member_approve", args=[he.pk]), term)
    he.refresh_from_db()
    assert he.status == "approved" and "data-term" in _text(chen.get(url))


def test_a_certificate_that_is_not_a_pdf_or_a_picture_is_refused(cast, centre, client_for):
    chen = client_for("county_admin_chen")
    url = reverse("teams:certificate_add", args=[centre.huang.pk])
    exe = SimpleUploadedFile("证书.exe", b"MZ\x90\x00" + b"\x00" * 100)
    response = chen.post(url, {"name": "家庭教育指导师", "issuer": "研究会", "file": exe}, follow=True)
    assert "PDF" in _text(response) and not Certificate.objects.exists()
    png = SimpleUploadedFile("证书.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    chen.post(url, {"name": "家庭教育指导师", "issuer": "研究会", "file": png})
    cert = Certificate.objects.get()
    assert chen.get(reverse("teams:certificate_file", args=[cert.pk])).status_code == 200
    assert client_for("expert_huang").get(reverse("teams:certificate_file", args=[cert.pk])).status_code == 200
    assert client_for("volunteer_zeng").get(reverse("teams:certificate_file", args=[cert.pk])).status_code == 404


def test_zeng_sees_his_membership_and_leaves_with_a_reason(cast, centre, client_for):
    zeng = client_for("volunteer_zeng")
    page = _text(zeng.get(reverse("teams:my_teams")))
    until = BackgroundCheck.objects.get(user=cast.volunteer_zeng).valid_until
    assert "全南县“五老”关爱团" in page and until.strftime("%Y-%m-%d") in page
    assert zeng.post(reverse("teams:member_leave", args=[centre.huang.pk]), {"reason": "x"}).status_code == 404
    assert zeng.post(reverse("teams:member_leave", args=[centre.zeng.pk]), {"reason": ""}).status_code == 302
    centre.zeng.refresh_from_db()
    assert centre.zeng.status == "approved"
    zeng.post(reverse("teams:member_leave", args=[centre.zeng.pk]), {"reason": "年事已高,身体原因。"})
    centre.zeng.refresh_from_db()
    assert centre.zeng.status == "left" and centre.zeng.left_reason == "年事已高,身体原因。"


def test_chen_manages_the_skill_list(cast, centre, client_for):
    chen = client_for("county_admin_chen")
    chen.post(reverse("teams:skill_list"), {"name": "非遗"})
    new = Skill.objects.get(county=cast.county, name="非遗")
    chen.post(reverse("teams:skill_rename", args=[new.pk]), {"name": "非物质文化遗产"})
    chen.post(reverse("teams:skill_move", args=[new.pk]), {"direction": "up"})
    in_use = chen.post(reverse("teams:skill_delete", args=[centre.skills["心理"].pk]), follow=True)
    assert "不能删除" in _text(in_use) and Skill.objects.filter(pk=centre.skills["心理"].pk).exists()
    names = list(Skill.objects.filter(county=cast.county).order_by("order").values_list("name", flat=True))
    assert names[-2:] == ["非物质文化遗产", "阅读推广"]
    assert client_for("school_admin_liu").post(reverse("teams:skill_delete", args=[new.pk])).status_code == 404


def test_the_team_page_filters_members(cast, centre, client_for):
    zeng2 = User.objects.create(phone="13600008001", name="钟文华")
    Membership.objects.create(user=zeng2, role=Role.VOLUNTEER, county=cast.county)
    approved(centre.teams["elders"], zeng2, by=cast.county_admin_chen, skills=[centre.skills["客家文化"]],
             towns=[cast.towns["龙下乡"]], check_days=-3)  # fmt: skip
    chen = client_for("county_admin_chen")
    url = reverse("teams:team_detail", args=[centre.teams["elders"].pk])
    page = _text(chen.get(url, {"skill": centre.skills["客家文化"].pk}))
    assert "钟文华" in page and "曾德福" not in page and 'data-check="lapsed"' in page
    page = _text(chen.get(url, {"town": cast.towns["城厢镇"].pk, "status": "approved"}))
    assert "曾德福" in page and "钟文华" not in page


# --- a fixed number of queries ---------------------------------------------------------------------------------


def _grow(cast, centre_, n: int, first: int = 0) -> None:
    now = timezone.now()
    for i in range(first, first + n):
        user = User.objects.create(phone=f"1360000{8100 + i}", name=f"成员{i}")
        Membership.objects.create(user=user, role=Role.VOLUNTEER, county=cast.county)
        m = approved(centre_.teams["elders"], user, by=cast.county_admin_chen, skills=[centre_.skills["客家文化"]],
                     towns=[cast.towns["龙下乡"]], check_days=10 if i % 2 else 200)  # fmt: skip
        need = Need.objects.create(county=cast.county, kind="lecture", topic=f"讲座{i}", place="城厢小学", people=2,
                                   starts_at=now + datetime.timedelta(days=i + 1),
                                   ends_at=now + datetime.timedelta(days=i + 1, hours=1))  # fmt: skip
        Assignment.objects.create(need=need, member=m, status="accepted", starts_at=now - datetime.timedelta(days=i),
                                  ends_at=now - datetime.timedelta(days=i) + datetime.timedelta(hours=1))  # fmt: skip


@pytest.mark.parametrize(
    "persona, url",
    [("county_admin_chen", "list"), ("county_admin_chen", "elders"), ("county_admin_chen", "lapsing"),
     ("volunteer_zeng", "mine"), ("volunteer_zeng", "list"), ("school_admin_liu", "list")],
)  # fmt: skip
def test_pages_take_a_fixed_number_of_queries(cast, centre, client_for, django_assert_max_num_queries, persona, url):
    urls = {"list": reverse("teams:team_list"), "lapsing": reverse("teams:checks_lapsing"),
            "mine": reverse("teams:my_teams"),
            "elders": reverse("teams:team_detail", args=[centre.teams["elders"].pk])}  # fmt: skip
    client = client_for(persona)
    _grow(cast, centre, 2)
    with django_assert_max_num_queries(40) as small:
        assert client.get(urls[url]).status_code == 200
    _grow(cast, centre, 12, first=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(urls[url]).status_code == 200


def test_the_member_record_takes_a_fixed_number_of_queries(cast, centre, client_for, django_assert_max_num_queries):
    chen = client_for("county_admin_chen")
    url = reverse("teams:member_detail", args=[centre.huang.pk])
    with django_assert_max_num_queries(50) as small:
        assert chen.get(url).status_code == 200
    for i in range(6):
        Certificate.objects.create(member=centre.huang, name=f"证书{i}", issuer="研究会")
    centre.huang.skills.set(Skill.objects.filter(county=cast.county))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert chen.get(url).status_code == 200
