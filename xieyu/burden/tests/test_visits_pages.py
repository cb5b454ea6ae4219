"""Home visits: the plan's order, recording a visit (and what is refused), follow-ups on the deadline engine, a care
case from a concern, coverage, the notices' reach, and who may see which page (the neighbour matrix)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from xieyu.audit.models import AccessEvent
from xieyu.burden.models import HomeVisit, VisitCoverage, VisitFollowUp
from xieyu.burden.visits import access, services
from xieyu.care.models import CaseRequest
from xieyu.care.registry.models import Category, RegistryCategory, RegistryEntry, Source
from xieyu.deadlines.services import deadline_for
from xieyu.directory.models import Guardian
from xieyu.parentschool.semester import semester_of

from .visits_support import record_visit


def _register(cast, key="liu_xiaoyu"):
    s = cast.students[key]
    entry = RegistryEntry.objects.create(student=s, county=cast.county, school=s.school,
                                         state=RegistryEntry.State.CONFIRMED)  # fmt: skip
    RegistryCategory.objects.create(entry=entry, category=Category.LEFT_BEHIND_BOTH, source=Source.SCHOOL_SURVEY)
    return entry


# --- the plan ------------------------------------------------------------------------------------------------------


def test_the_plan_lists_registered_then_no_phone_families_first(cast, client_for):
    _register(cast)
    response = client_for("head_teacher_li").get("/burden/visits/")
    assert response.status_code == 200
    html = response.content.decode()
    order = [html.index(f'id="family-{cast.students[k].pk}"') for k in ("liu_xiaoyu", "qian_duoduo", "zhang_xiaoming")]
    assert order == sorted(order)
    assert "无手机" in html
    assert "留守" in html  # she may read the registry entry of her pupil: the category shows


def test_a_registered_family_shows_only_as_a_priority_to_who_may_not_read_the_registry(cast, monkeypatch):
    _register(cast)
    rows = list(access.plan_rows(cast.class_a1, "x", access.school_year_of()))
    monkeypatch.setattr(access, "entries_visible_to", lambda user: RegistryEntry.objects.none())
    assert access.registry_labels(cast.head_teacher_li, rows) == {}
    assert rows[0].pk == cast.students["liu_xiaoyu"].pk and rows[0].registered


def test_planning_a_date_and_refusing_a_past_one(cast, client_for):
    li = client_for("head_teacher_li")
    s = cast.students["zhou_jie"]
    day = timezone.localdate() + datetime.timedelta(days=1)
    li.post("/burden/visits/", {"class": cast.class_a1.pk, "student": s.pk, "planned_on": day.isoformat()})
    sem = semester_of()
    row = access.plan_rows(cast.class_a1, sem.code, access.school_year_of()).get(pk=s.pk)
    if day <= sem.end:
        assert row.planned_on == day
    past = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    response = li.post("/burden/visits/", {"class": cast.class_a1.pk, "student": s.pk, "planned_on": past})
    assert response.status_code == 400
    assert "计划日期已过" in response.content.decode()


# --- recording a visit ---------------------------------------------------------------------------------------------


def _form(cast, student_key="qian_duoduo", **extra):
    s = cast.students[student_key]
    guardian = Guardian.objects.filter(guardianships__student=s).first()
    data = {"visited_on": timezone.localdate().isoformat(), "place": "home", "visitors": [cast.head_teacher_li.pk],
            "met": [guardian.pk], "discussed": "孩子作业和睡眠情况", "concerns": ""}  # fmt: skip
    data.update(extra)
    return s, data


def test_li_records_a_visit_with_a_follow_up_on_the_deadline_engine(cast, client_for):
    s, data = _form(cast, fu_text_1="联系校医复查视力", fu_owner_1=cast.head_teacher_li.pk, fu_days_1=5)
    response = client_for("head_teacher_li").post(f"/burden/visits/family/{s.pk}/new/", data)
    assert response.status_code == 302
    visit = HomeVisit.objects.get(student=s)
    fu = VisitFollowUp.objects.get(visit=visit)
    d = deadline_for(fu)
    assert d is not None and d.policy.name == "visit.followup" and d.owner == cast.head_teacher_li
    assert fu.due_on == timezone.localtime(d.resolution_due).date()
    cov = VisitCoverage.objects.get(school_class=cast.class_a1)
    assert (cov.families, cov.visited) == (4, 1)


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"visited_on": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()}, "家访日期在将来"),
        ({"fu_text_1": "再次家访", "fu_owner_1": ""}, "每项跟进都需要负责人"),
        ({"discussed": ""}, "请填写交流内容"),
    ],
)
def test_a_bad_visit_is_refused_with_a_message_naming_it(cast, client_for, extra, message):
    s, data = _form(cast, **extra)
    response = client_for("head_teacher_li").post(f"/burden/visits/family/{s.pk}/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not HomeVisit.objects.exists()


def test_a_guardian_of_another_family_cannot_be_met(cast, client_for):
    s, data = _form(cast)
    other = Guardian.objects.get(user=cast.parent_zhang)
    data["met"] = [other.pk]
    response = client_for("head_teacher_li").post(f"/burden/visits/family/{s.pk}/new/", data)
    assert response.status_code == 400
    assert "必须是该学生家庭的监护人" in response.content.decode()
    assert not HomeVisit.objects.exists()
    with pytest.raises(services.ValidationError):
        services.visit_record(actor=cast.head_teacher_li, student=s, visited_on=timezone.localdate(), place="home",
                              visitors=[cast.head_teacher_li], met=[], met_ids=[other.pk], discussed="x")  # fmt: skip
    assert not HomeVisit.objects.exists()


def test_a_follow_up_without_owner_is_refused_by_the_service(cast):
    with pytest.raises(services.ValidationError, match="负责人"):
        record_visit(cast, follow_ups=[services.FollowUpIn(text="复查", owner=None, days=5)])
    assert not HomeVisit.objects.exists()


def test_a_concern_opens_a_care_case_request_from_the_home_visit(cast, client_for):
    visit = record_visit(cast, "liu_xiaoyu", concerns="孩子近来情绪低落,常一个人哭,奶奶不知如何是好")
    li = client_for("head_teacher_li")
    response = li.post(f"/burden/visits/{visit.pk}/", {"form": "case", "concern": visit.concerns})
    assert response.status_code == 302
    request = CaseRequest.objects.get(student=cast.students["liu_xiaoyu"])
    assert request.origin == "home_visit"
    visit.refresh_from_db()
    assert visit.case_request == request
    again = li.post(f"/burden/visits/{visit.pk}/", {"form": "case", "concern": visit.concerns})
    assert again.status_code == 400 and CaseRequest.objects.count() == 1


def test_marking_a_follow_up_done_resolves_its_deadline(cast, client_for):
    visit = record_visit(cast, follow_ups=[services.FollowUpIn(text="复查视力", owner=cast.head_teacher_li, days=5)])
    fu = visit.follow_ups.get()
    client_for("head_teacher_li").post(f"/burden/visits/{visit.pk}/", {"form": "done", "follow_up": fu.pk})
    fu.refresh_from_db()
    assert fu.done_at is not None
    assert deadline_for(fu).state == "resolved"


def test_reading_a_visit_is_logged(cast, client_for):
    visit = record_visit(cast)
    assert client_for("school_admin_liu").get(f"/burden/visits/{visit.pk}/").status_code == 200
    assert AccessEvent.objects.filter(target_type="burden.homevisit", target_id=str(visit.pk),
                                      actor=cast.school_admin_liu).exists()  # fmt: skip


# --- the neighbour matrix --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status",
    [("head_teacher_li", 200), ("school_admin_liu", 200), ("county_admin_chen", 200), ("head_teacher_wang", 404),
     ("school_admin_wang", 404), ("teacher_he", 404), ("grandma_zhao", 404), ("parent_zhang", 404), (None, 302)],
)  # fmt: skip
def test_a_visit_record_is_seen_by_the_class_the_school_and_the_county_only(cast, client_for, persona, status):
    visit = record_visit(cast, "liu_xiaoyu")
    assert client_for(persona).get(f"/burden/visits/{visit.pk}/").status_code == status


@pytest.mark.parametrize(
    "persona, status",
    [("head_teacher_li", 200), ("school_admin_liu", 200), ("head_teacher_wang", 404), ("school_admin_wang", 404),
     ("teacher_he", 404), ("parent_zhang", 404), ("county_admin_chen", 404), (None, 302)],
)  # fmt: skip
def test_recording_a_visit_is_for_the_class_and_its_school(cast, client_for, persona, status):
    assert (
        client_for(persona).get(f"/burden/visits/family/{cast.students['qian_duoduo'].pk}/new/").status_code == status
    )


@pytest.mark.parametrize(
    "persona, status",
    [("head_teacher_li", 200), ("school_admin_liu", 200), ("county_admin_chen", 200), ("head_teacher_wang", 404),
     ("school_admin_wang", 404), ("teacher_he", 404), ("parent_zhang", 404), (None, 302)],
)  # fmt: skip
def test_the_plan_of_li_s_class(cast, client_for, persona, status):
    assert client_for(persona).get("/burden/visits/", {"class": cast.class_a1.pk}).status_code == status


def test_a_neighbour_may_not_plan_in_li_s_class(cast, client_for):
    s = cast.students["zhou_jie"]
    response = client_for("head_teacher_wang").post("/burden/visits/", {"class": cast.class_a1.pk, "student": s.pk,
                                                                        "planned_on": timezone.localdate().isoformat()})  # fmt: skip
    assert response.status_code == 404


@pytest.mark.parametrize(
    "persona, status",
    [("school_admin_liu", 200), ("head_teacher_li", 200), ("county_admin_chen", 200), ("school_admin_wang", 404),
     ("head_teacher_wang", 404), ("teacher_he", 404), ("parent_zhang", 404), (None, 302)],
)  # fmt: skip
def test_coverage_of_school_a(cast, client_for, persona, status):
    assert client_for(persona).get("/burden/visits/coverage/", {"school": cast.school_a.pk}).status_code == status


def test_coverage_by_class_and_school_reads_the_kept_counts(cast, client_for, django_assert_max_num_queries):
    record_visit(cast)
    record_visit(cast, "sun_hao", persona="head_teacher_wang")
    services.coverage_refresh_county(county_id=cast.county.pk)
    liu = client_for("school_admin_liu")
    with django_assert_max_num_queries(12):
        html = liu.get("/burden/visits/coverage/").content.decode()
    assert "1/4" in html and "0/1" in html  # 三年级1班 one of four families; 三年级2班 none of one
    chen = client_for("county_admin_chen")
    with django_assert_max_num_queries(12):
        html = chen.get("/burden/visits/coverage/").content.decode()
    assert "1/5" in html and "1/2" in html  # 城厢小学 1 of 5, 全南二中 1 of 2


def test_the_plan_runs_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    li = client_for("head_teacher_li")
    record_visit(cast, "zhou_jie")
    _register(cast)
    li.get("/burden/visits/")
    with django_assert_max_num_queries(14) as small:
        li.get("/burden/visits/")
    for key in ("zhang_xiaoming", "liu_xiaoyu", "qian_duoduo"):
        record_visit(cast, key)
    _register(cast, "qian_duoduo")
    with django_assert_max_num_queries(len(small.captured_queries)):
        li.get("/burden/visits/")


# --- reach ------------------------------------------------------------------------------------------------------------


def test_a_family_without_any_channel_reached_by_a_recent_visit_counts_as_reached(cast, run_tasks, settings):
    from xieyu.notices import receipts
    from xieyu.notices.audience import Audience
    from xieyu.notices.services import notice_create

    settings.SMS_SENDER = "xieyu.accounts.sms.LoggingSender"
    notice = notice_create(actor=cast.head_teacher_li, title="家长会通知", body="周五下午三点",
                           audience=Audience(classes=[cast.class_a1.pk]))  # fmt: skip
    run_tasks()
    assert receipts.counts(notice).unreached == 1  # 钱多多's grandmother: no account, no phone
    record_visit(cast, "qian_duoduo", days_ago=40)
    assert receipts.counts(notice).unreached == 1  # too long ago
    record_visit(cast, "qian_duoduo", days_ago=3)
    assert receipts.counts(notice).unreached == 0
    families = receipts.families(notice, cast.class_a1)
    assert "unreached" not in {f.state for f in families}
