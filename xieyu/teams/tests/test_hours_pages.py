"""The hours pages, walked by the cast: 曾德福 sees his own service and hours, never 黄志华's; 刘芳 signs off 城厢小学's
records and 王强 (全南二中) cannot; 陈建国 reads the county's totals; a bad year or id is refused and changes nothing;
each list runs the same queries whatever its size."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xieyu.teams.hours import services
from xieyu.teams.models import ServiceRecord, Team

from .hours_fixtures import at, member, past_records, service

M = datetime.timedelta(minutes=1)


def _pending(cast) -> ServiceRecord:
    zeng = member(cast, cast.volunteer_zeng)
    return past_records(cast, zeng, 1, signed=False)[0]


# --- the member's view of one assignment ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status",
    [("volunteer_zeng", 200), ("expert_huang", 404), ("school_admin_liu", 404), ("parent_zhang", 404), (None, 302)],
)
def test_an_assignments_service_page_is_the_members_own(cast, client_for, persona, status):
    s = service(cast)
    member(cast, cast.expert_huang, Team.Kind.EXPERT)
    response = client_for(persona).get(reverse("teams:assignment_hours", args=[s.assignment.pk]))
    assert response.status_code == status


def test_he_checks_in_and_out_on_the_page_and_sees_what_counts(cast, client_for):
    start = timezone.now().replace(second=0, microsecond=0) + 45 * M  # a session lasts hours, not days
    s = service(cast, starts_at=start, minutes=90)
    zeng = client_for("volunteer_zeng")
    url = reverse("teams:assignment_hours", args=[s.assignment.pk])
    with at(start - 40 * M):
        page = zeng.get(url).content.decode()
        assert "签到将于" in page and 'id="checkin"' not in page
        response = zeng.post(reverse("teams:hours_checkin", args=[s.assignment.pk]), follow=True)
        assert "签到将于" in response.content.decode()
    assert not ServiceRecord.objects.exists()
    with at(start - 10 * M):
        assert 'id="checkin"' in zeng.get(url).content.decode()
        zeng.post(reverse("teams:hours_checkin", args=[s.assignment.pk]))
    with at(start + 100 * M):
        assert 'id="checkout"' in zeng.get(url).content.decode()
        response = zeng.post(reverse("teams:hours_checkout", args=[s.assignment.pk]), follow=True)
    page = response.content.decode()
    assert "已记录1.5小时" in page and "待确认" in page
    assert ServiceRecord.objects.get().minutes == 90


def test_another_volunteer_cannot_check_in_or_dispute_for_him(cast, client_for):
    record = _pending(cast)
    member(cast, cast.expert_huang, Team.Kind.EXPERT)
    huang = client_for("expert_huang")
    assert huang.post(reverse("teams:hours_checkout", args=[record.assignment_id])).status_code == 404
    assert huang.post(reverse("teams:hours_dispute", args=[record.pk]), {"reason": "不对"}).status_code == 404
    record.refresh_from_db()
    assert record.status == ServiceRecord.Status.PENDING and not record.dispute_reason


def test_he_disputes_once_on_the_page(cast, client_for):
    record = _pending(cast)
    zeng = client_for("volunteer_zeng")
    url = reverse("teams:hours_dispute", args=[record.pk])
    page = zeng.post(url, {"reason": ""}, follow=True).content.decode()
    assert "请说明记录哪里不对" in page
    zeng.post(url, {"reason": "我讲了两个小时。"})
    record.refresh_from_db()
    assert record.status == ServiceRecord.Status.DISPUTED
    services.dispute_answer(actor=cast.school_admin_liu, record=record, answer="按签到表维持一小时。")
    page = zeng.post(url, {"reason": "还是不对"}, follow=True).content.decode()
    assert "只能提出一次异议" in page
    record.refresh_from_db()
    assert record.status == ServiceRecord.Status.SIGNED and record.dispute_reason == "我讲了两个小时。"


# --- my hours -----------------------------------------------------------------------------------------------------


def test_my_hours_shows_his_records_and_totals_not_anyone_elses(cast, client_for):
    zeng = member(cast, cast.volunteer_zeng)
    huang = member(cast, cast.expert_huang, Team.Kind.EXPERT)
    past_records(cast, zeng, 2, minutes=90)
    mine = past_records(cast, huang, 1, minutes=45)
    mine[0].description = "黄老师的心理讲座"
    mine[0].save()
    page = client_for("volunteer_zeng").get(reverse("teams:my_hours")).content.decode()
    year = timezone.localdate().year
    assert "家风讲座1" in page and "黄老师的心理讲座" not in page
    assert 'data-figure="this-year">3.0<' in page
    assert reverse("teams:hours_certificate", args=[year]) in page
    assert client_for(None).get(reverse("teams:my_hours")).status_code == 302


@pytest.mark.parametrize("year", ["abc", "99999", "1999", "２０２６"])
def test_a_year_that_cannot_be_one_is_named_in_the_message(cast, client_for, year):
    response = client_for("volunteer_zeng").get(reverse("teams:my_hours"), {"year": year})
    assert response.status_code == 400 and "年份应为2000至2100之间的四位数字" in response.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_my_hours_runs_the_same_queries_for_2_records_or_25(cast, client_for, django_assert_max_num_queries):
    zeng = member(cast, cast.volunteer_zeng)
    client, url = client_for("volunteer_zeng"), reverse("teams:my_hours")
    past_records(cast, zeng, 2)
    small = _queries(client, url)
    past_records(cast, member(cast, cast.volunteer_zeng, Team.Kind.PARENT), 23, first_day=3)
    with django_assert_max_num_queries(small):
        client.get(url)


# --- the organiser's sign-off -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status, sees",
    [("school_admin_liu", 200, True), ("county_admin_chen", 200, True), ("school_admin_wang", 200, False),
     ("community_ye", 200, False), ("head_teacher_li", 404, False), ("volunteer_zeng", 404, False),
     ("parent_zhang", 404, False), (None, 302, False)],
)  # fmt: skip
def test_the_sign_off_list_holds_the_records_of_the_events_one_manages(cast, client_for, persona, status, sees):
    record = _pending(cast)
    response = client_for(persona).get(reverse("teams:hours_sign_list"))
    assert response.status_code == status
    if status == 200:
        assert (f'data-record="{record.pk}"' in response.content.decode()) is sees


def test_liu_signs_one_record_and_then_all_on_the_page(cast, client_for):
    zeng = member(cast, cast.volunteer_zeng)
    first, *rest = past_records(cast, zeng, 3, signed=False)
    liu = client_for("school_admin_liu")
    page = liu.post(reverse("teams:hours_sign"), {"record": [first.pk]}, follow=True).content.decode()
    assert "已确认1条记录" in page
    first.refresh_from_db()
    assert (first.status, first.signed_by, first.recording_unit) == ("signed", cast.school_admin_liu, "全南县城厢小学")
    liu.post(reverse("teams:hours_sign"), {"record": [r.pk for r in rest]})
    assert set(ServiceRecord.objects.values_list("status", flat=True)) == {"signed"}


def test_wang_cannot_sign_a_record_of_chengxiang_primary(cast, client_for):
    record = _pending(cast)
    wang = client_for("school_admin_wang")
    assert wang.post(reverse("teams:hours_sign"), {"record": [record.pk]}).status_code == 404
    own = past_records(cast, member(cast, cast.volunteer_zeng), 1, signed=False, school=cast.school_b, first_day=2)[0]
    # one of his own among them does not carry the other school's through
    assert wang.post(reverse("teams:hours_sign"), {"record": [own.pk, record.pk]}).status_code == 404
    assert set(ServiceRecord.objects.values_list("status", flat=True)) == {"pending"}


@pytest.mark.parametrize("bad", ["abc", "-1", "0", "99999999999999999999", ""])
def test_a_record_id_that_cannot_be_one_is_404(cast, client_for, bad):
    record = _pending(cast)
    response = client_for("school_admin_liu").post(reverse("teams:hours_sign"), {"record": [bad, record.pk]})
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.status == ServiceRecord.Status.PENDING


def test_the_sign_off_list_runs_the_same_queries_for_2_records_or_22(cast, client_for, django_assert_max_num_queries):
    zeng = member(cast, cast.volunteer_zeng)
    client, url = client_for("school_admin_liu"), reverse("teams:hours_sign_list")
    past_records(cast, zeng, 2, signed=False)
    small = _queries(client, url)
    past_records(cast, member(cast, cast.volunteer_zeng, Team.Kind.PARENT), 20, signed=False, first_day=3)
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200


# --- entry and answer ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status",
    [("school_admin_liu", 200), ("county_admin_chen", 200), ("school_admin_wang", 404), ("volunteer_zeng", 404),
     ("head_teacher_li", 404), (None, 302)],
)  # fmt: skip
def test_the_entry_page_is_the_organisers(cast, client_for, persona, status):
    s = service(cast, starts_at=timezone.now() - datetime.timedelta(days=1))
    assert client_for(persona).get(reverse("teams:hours_entry", args=[s.assignment.pk])).status_code == status


def test_an_entry_longer_than_the_event_is_refused_with_a_message_and_nothing_saved(cast, client_for):
    start = (timezone.now() - datetime.timedelta(days=1)).replace(second=0, microsecond=0)
    s = service(cast, starts_at=start, minutes=60)
    liu, url = client_for("school_admin_liu"), reverse("teams:hours_entry", args=[s.assignment.pk])
    fmt = "%Y-%m-%dT%H:%M"
    local = timezone.localtime(start)
    response = liu.post(url, {"started_at": local.strftime(fmt), "ended_at": (local + 90 * M).strftime(fmt),
                              "source_note": "纸质签到表"})  # fmt: skip
    assert response.status_code == 400 and "长于活动" in response.content.decode()
    response = liu.post(url, {"started_at": "昨天", "ended_at": "", "source_note": ""})
    assert response.status_code == 400 and "请填写服务开始的日期和时间" in response.content.decode()
    assert not ServiceRecord.objects.exists()
    response = liu.post(url, {"started_at": local.strftime(fmt), "ended_at": (local + 50 * M).strftime(fmt),
                              "source_note": "纸质签到表"})  # fmt: skip
    assert response.status_code == 302
    record = ServiceRecord.objects.get()
    assert (record.minutes, record.source, record.source_note) == (50, "organiser", "纸质签到表")


def test_the_organiser_answers_a_dispute_on_the_page(cast, client_for):
    record = _pending(cast)
    services.record_dispute(actor=cast.volunteer_zeng, record=record, reason="少记了半小时。")
    url = reverse("teams:hours_answer", args=[record.pk])
    assert client_for("school_admin_wang").get(url).status_code == 404
    assert client_for("volunteer_zeng").get(url).status_code == 404
    liu = client_for("school_admin_liu")
    assert "少记了半小时" in liu.get(url).content.decode()
    assert f'data-record="{record.pk}"' in liu.get(reverse("teams:hours_sign_list")).content.decode()
    response = liu.post(url, {"answer": "", "started_at": "", "ended_at": ""})
    assert response.status_code == 400 and "请填写回复,或更正时间" in response.content.decode()
    liu.post(url, {"answer": "核对后维持。"})
    record.refresh_from_db()
    assert (record.status, record.dispute_answer) == ("signed", "核对后维持。")


# --- the county ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status",
    [("county_admin_chen", 200), ("school_admin_liu", 404), ("volunteer_zeng", 404), ("expert_huang", 404),
     (None, 302)],
)  # fmt: skip
def test_the_countys_totals_are_the_county_admins(cast, client_for, persona, status):
    past_records(cast, member(cast, cast.volunteer_zeng), 1)
    assert client_for(persona).get(reverse("teams:hours_county")).status_code == status
    assert client_for(persona).get(reverse("teams:hours_county_export")).status_code == status


def test_the_county_filters_by_team_and_year(cast, client_for):
    zeng = member(cast, cast.volunteer_zeng)
    huang = member(cast, cast.expert_huang, Team.Kind.EXPERT)
    past_records(cast, zeng, 2)
    past_records(cast, huang, 1)
    chen, url = client_for("county_admin_chen"), reverse("teams:hours_county")
    page = chen.get(url).content.decode()
    assert f'data-member="{zeng.pk}"' in page and f'data-member="{huang.pk}"' in page
    page = chen.get(url, {"team": zeng.team_id}).content.decode()
    assert f'data-member="{zeng.pk}"' in page and f'data-member="{huang.pk}"' not in page
    page = chen.get(url, {"year": str(timezone.localdate().year - 3)}).content.decode()
    assert "这一年还没有已确认的服务时长" in page
    assert chen.get(url, {"team": "abc"}).status_code == 404
    assert chen.get(url, {"year": "abc"}).status_code == 400


def test_the_county_page_runs_the_same_queries_for_2_members_or_22(cast, client_for, django_assert_max_num_queries):
    from xieyu.accounts.services import user_create

    client, url = client_for("county_admin_chen"), reverse("teams:hours_county")
    past_records(cast, member(cast, cast.volunteer_zeng), 1)
    past_records(cast, member(cast, cast.expert_huang, Team.Kind.EXPERT), 1)
    small = _queries(client, url)
    for i in range(20):
        user = user_create(actor=None, phone=f"1390000{i:04d}", name=f"志愿者{i}", password="x")
        past_records(cast, member(cast, user, Team.Kind.PARENT), 1)
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200
