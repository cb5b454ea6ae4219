"""The parent school as stories: 城厢小学 establishes it, plans sessions; 李娜 follows up 周杰's family; 陈建国 sees
which schools are behind."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from xieyu.directory.services import student_transfer
from xieyu.events import services as event_services
from xieyu.parentschool import access, services
from xieyu.parentschool.models import FollowUp, ParentSchool, Session
from xieyu.parentschool.semester import semester_of


@pytest.fixture
def ps(cast):
    return services.parent_school_establish(actor=cast.school_admin_liu, school=cast.school_a,
                                            established_on=datetime.date(2024, 9, 1), person_in_charge="刘芳")  # fmt: skip


def _session(cast, ps, minutes=10):
    start = timezone.now() + datetime.timedelta(minutes=minutes)
    return services.session_plan(actor=cast.school_admin_liu, parent_school=ps, title="亲子沟通讲座", place="报告厅",
                                 starts_at=start, ends_at=start + datetime.timedelta(hours=1))  # fmt: skip


def test_school_admin_plans_a_term_through_the_page(cast, client_for, ps):
    c = client_for("school_admin_liu")
    url = reverse("parentschool:school", args=[cast.school_a.pk])
    assert (
        c.post(url, {"form": "course", "title": "好习惯", "stage": "primary_lower", "theme": "habits"}).status_code
        == 302
    )
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    end = timezone.localtime(timezone.now() + datetime.timedelta(days=1, hours=1)).strftime("%Y-%m-%dT%H:%M")
    r = c.post(url, {"form": "session", "title": "家庭教育促进法解读", "kind": "law_study", "place": "礼堂",
                     "starts_at": start, "ends_at": end, "capacity": "0"})  # fmt: skip
    assert r.status_code == 302
    assert Session.objects.get().event.status == "published"
    bad = c.post(url, {"form": "session", "title": "", "starts_at": "明天", "ends_at": end, "capacity": "-1"})
    assert bad.status_code == 400 and Session.objects.count() == 1


def test_guardians_are_learners_by_enrolment_and_transfer_moves_them(cast, ps):
    session = _session(cast, ps)
    offered = {s.name for s in event_services.access.eligible_children(cast.parent_zhang, session.event)}
    assert offered == {"张小明"}
    student_transfer(actor=None, student=cast.students["zhang_xiaoming"], to_class=cast.class_b1)
    assert event_services.access.eligible_children(cast.parent_zhang, session.event) == []


def test_head_teacher_sees_families_who_never_came_and_logs_a_call(cast, client_for, ps):
    session = _session(cast, ps)
    event_services.registration_create(
        actor=cast.parent_zhang, event=session.event, student=cast.students["zhang_xiaoming"]
    )
    slot = event_services.current_slot()
    event_services.checkin_by_scan(actor=cast.parent_zhang, event=session.event, slot=slot,
                                   token=event_services.checkin_token(session.event, slot))  # fmt: skip
    c = client_for("head_teacher_li")
    url = reverse("parentschool:class_reach", args=[cast.class_a1.pk])
    body = c.get(url).content.decode()
    assert 'data-family="周杰"' in body and 'data-family="张小明"' not in body
    zhou = cast.students["zhou_jie"]
    assert c.post(url, {"student": zhou.pk, "method": "phone", "reason": "外出务工"}).status_code == 302
    assert FollowUp.objects.get().reason == "外出务工"
    assert c.post(url, {"student": zhou.pk, "method": "carrier-pigeon"}).status_code == 400
    assert FollowUp.objects.count() == 1
    # he is checked in, so his family came (above); the learning record credits the session once it has ended
    record = client_for("parent_zhang").get(reverse("parentschool:record")).content.decode()
    assert 'data-record="亲子沟通讲座"' not in record and "data-pending" in record
    with time_machine.travel(session.event.ends_at + datetime.timedelta(minutes=1)):
        record = client_for("parent_zhang").get(reverse("parentschool:record")).content.decode()
        assert 'data-record="亲子沟通讲座"' in record and "data-pending" not in record
        assert 'data-family="张小明"' not in c.get(url).content.decode()


def test_a_follow_up_shows_how_the_family_was_reached_in_chinese(cast, client_for, ps):
    """The follow-up's method reads 家访, never the stored value "visit"."""
    _session(cast, ps)
    c = client_for("head_teacher_li")
    url = reverse("parentschool:class_reach", args=[cast.class_a1.pk])
    zhou = cast.students["zhou_jie"]
    assert c.post(url, {"student": zhou.pk, "method": "visit", "reason": "外出务工"}).status_code == 302
    body = c.get(url).content.decode()
    followed = body[body.index("data-followed-up") :]
    followed = followed[: followed.index("</p>")]
    assert "家访" in followed and "visit" not in followed


def test_county_sees_coverage_and_schools_below_two_sessions(cast, client_for, ps):
    _session(cast, ps)
    _session(cast, ps, minutes=60)
    sem = semester_of()
    rows = {s.name: s for s in access.county_coverage(cast.county_admin_chen, cast.county.pk, sem)}
    assert rows["全南县城厢小学"].sessions_count == 2 and rows["全南县城厢小学"].established
    assert rows["全南县第二中学"].sessions_count == 0 and not rows["全南县第二中学"].established
    body = client_for("county_admin_chen").get(reverse("parentschool:coverage", args=[cast.county.pk])).content.decode()
    assert 'data-school="全南县第二中学" data-behind' in body
    assert 'data-school="全南县城厢小学" data-behind' not in body


@pytest.mark.parametrize("persona, status", [("school_admin_liu", 200), ("county_admin_chen", 200),
    ("head_teacher_li", 200), ("school_admin_wang", 404), ("parent_zhang", 404), (None, 302)])  # fmt: skip
def test_school_page_access(persona, status, cast, client_for, ps):
    assert client_for(persona).get(reverse("parentschool:school", args=[cast.school_a.pk])).status_code == status


def test_only_managers_post_to_the_school_page(cast, client_for, ps):
    r = client_for("head_teacher_li").post(reverse("parentschool:school", args=[cast.school_a.pk]),
                                           {"form": "instructor", "name": "x", "kind": "teacher"})  # fmt: skip
    assert r.status_code == 404


@pytest.mark.parametrize("persona, status", [("head_teacher_li", 200), ("school_admin_liu", 200),
    ("head_teacher_wang", 404), ("parent_zhang", 404), (None, 302)])  # fmt: skip
def test_reach_page_access(persona, status, cast, client_for):
    assert client_for(persona).get(reverse("parentschool:class_reach", args=[cast.class_a1.pk])).status_code == status


@pytest.mark.parametrize("persona, status", [("county_admin_chen", 200), ("school_admin_liu", 404),
    ("parent_zhang", 404), (None, 302)])  # fmt: skip
def test_coverage_access(persona, status, cast, client_for):
    assert client_for(persona).get(reverse("parentschool:coverage", args=[cast.county.pk])).status_code == status


@pytest.mark.parametrize("persona, status", [("parent_zhang", 200), ("grandma_zhao", 200),
    ("school_admin_liu", 404), (None, 302)])  # fmt: skip
def test_record_access(persona, status, client_for):
    assert client_for(persona).get(reverse("parentschool:record")).status_code == status
    assert client_for(persona).get(reverse("parentschool:certificate")).status_code == status


def test_pages_run_a_fixed_number_of_queries(cast, client_for, ps):
    from xieyu.events.tests.test_events import len_queries

    pages = [("school_admin_liu", reverse("parentschool:school", args=[cast.school_a.pk])),
             ("county_admin_chen", reverse("parentschool:coverage", args=[cast.county.pk])),
             ("head_teacher_li", reverse("parentschool:class_reach", args=[cast.class_a1.pk]))]  # fmt: skip
    _session(cast, ps)
    small = [len_queries(client_for(p), u) for p, u in pages]
    for i in range(10):
        _session(cast, ps, minutes=20 + i)
    assert [len_queries(client_for(p), u) for p, u in pages] == small
    assert ParentSchool.objects.count() == 1
