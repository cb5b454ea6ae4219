"""双减家长会 and 课后作业恳谈会: opened from a class's burden flag, new meetings, minutes published to the audience's
guardians, the school's list, and the guardian's API."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from xieyu.burden.models import MeetingMinutes
from xieyu.burden.visits import services
from xieyu.events.models import Event
from xieyu.notices.models import Notice

from .visits_support import open_flag, past_meeting


def _when(days=3):
    start = timezone.localtime() + datetime.timedelta(days=days)
    return start.strftime("%Y-%m-%dT%H:%M"), (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


def test_li_opens_a_homework_meeting_from_her_class_s_flag(cast, client_for):
    flag = open_flag(cast)
    li = client_for("head_teacher_li")
    page = li.get(f"/burden/visits/flags/{flag.pk}/meeting/")
    assert page.status_code == 200 and "课后作业恳谈会" in page.content.decode()
    start, end = _when()
    response = li.post(f"/burden/visits/flags/{flag.pk}/meeting/", {
        "kind": "homework_meeting", "unit": f"class:{cast.class_a1.pk}", "title": "课后作业恳谈会", "starts_at": start,
        "ends_at": end, "place": "三年级1班教室"})  # fmt: skip
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.meeting is not None and flag.meeting.kind == Event.Kind.HOMEWORK_MEETING
    assert flag.meeting.audience_class == cast.class_a1 and flag.meeting.status == Event.Status.PUBLISHED
    # a second time: the flag already has its meeting
    assert li.get(f"/burden/visits/flags/{flag.pk}/meeting/").status_code == 302
    with pytest.raises(services.ValidationError):
        services.meeting_create(actor=cast.head_teacher_li, kind="homework_meeting", title="再开", place="教室",
                                starts_at=timezone.now() + datetime.timedelta(days=1),
                                ends_at=timezone.now() + datetime.timedelta(days=1, hours=1), flag=flag)  # fmt: skip
    assert Event.objects.count() == 1


@pytest.mark.parametrize(
    "persona, status",
    [("head_teacher_li", 200), ("school_admin_liu", 200), ("head_teacher_wang", 404), ("school_admin_wang", 404),
     ("teacher_he", 404), ("parent_zhang", 404), ("county_admin_chen", 404), (None, 302)],
)  # fmt: skip
def test_a_flag_s_meeting_is_opened_by_its_class_or_school_only(cast, client_for, persona, status):
    flag = open_flag(cast)
    assert client_for(persona).get(f"/burden/visits/flags/{flag.pk}/meeting/").status_code == status


def test_a_new_meeting_for_a_class_not_one_s_own_is_refused(cast, client_for):
    start, end = _when()
    response = client_for("head_teacher_wang").post("/burden/visits/meetings/new/", {
        "kind": "double_reduction_meeting", "unit": f"class:{cast.class_a1.pk}", "title": "双减家长会",
        "starts_at": start, "ends_at": end, "place": "教室"})  # fmt: skip
    assert response.status_code == 400
    assert not Event.objects.exists()


def test_a_school_admin_holds_a_school_meeting_and_publishes_its_minutes(cast, client_for, run_tasks, settings):
    settings.SMS_SENDER = "xieyu.accounts.sms.LoggingSender"
    start, end = _when()
    liu = client_for("school_admin_liu")
    response = liu.post("/burden/visits/meetings/new/", {
        "kind": "double_reduction_meeting", "unit": f"school:{cast.school_a.pk}", "title": "双减家长会",
        "starts_at": start, "ends_at": end, "place": "学校礼堂"})  # fmt: skip
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.audience == Event.Audience.SCHOOL
    # minutes before the meeting: refused
    early = liu.post(f"/burden/visits/meetings/{event.pk}/", {"form": "minutes", "raised": "作业太多"})
    assert early.status_code == 400 and not MeetingMinutes.objects.exists()
    event.starts_at = timezone.now() - datetime.timedelta(hours=2)
    event.ends_at = timezone.now() - datetime.timedelta(hours=1)
    event.save()
    ok = liu.post(f"/burden/visits/meetings/{event.pk}/", {
        "form": "minutes", "raised": "三年级作业偏多\n放学后手机使用难管", "changes": "各班作业总量每天公示"})  # fmt: skip
    assert ok.status_code == 302
    minutes = MeetingMinutes.objects.get()
    assert minutes.raised == ["三年级作业偏多", "放学后手机使用难管"] and minutes.changes == ["各班作业总量每天公示"]
    # guardians do not see unpublished minutes
    assert client_for("parent_zhang").get(f"/burden/visits/meetings/{event.pk}/").status_code == 404
    liu.post(f"/burden/visits/meetings/{event.pk}/", {"form": "publish"})
    minutes.refresh_from_db()
    assert minutes.published_at is not None and minutes.notice.status in {Notice.Status.SENT, Notice.Status.SENDING,
                                                                          Notice.Status.SCHEDULED}  # fmt: skip
    run_tasks()
    assert minutes.notice.deliveries.filter(guardian__user=cast.parent_zhang).exists()
    zhang = client_for("parent_zhang").get(f"/burden/visits/meetings/{event.pk}/")
    assert zhang.status_code == 200 and "各班作业总量每天公示" in zhang.content.decode()
    assert client_for("parent_sun").get(f"/burden/visits/meetings/{event.pk}/").status_code == 404
    # the guardian's API
    api = client_for("parent_zhang").get("/api/v1/burden/visits/meetings")
    assert api.status_code == 200 and api.json()["items"][0]["raised"] == ["三年级作业偏多", "放学后手机使用难管"]
    assert client_for("parent_zhang").get(f"/api/v1/burden/visits/meetings/{event.pk}").status_code == 200
    assert client_for("parent_sun").get(f"/api/v1/burden/visits/meetings/{event.pk}").status_code == 404
    assert client_for("parent_sun").get("/api/v1/burden/visits/meetings").json()["count"] == 0
    assert client_for(None).get("/api/v1/burden/visits/meetings").status_code == 401


def test_minutes_with_nothing_raised_are_refused(cast, client_for):
    event = past_meeting(cast)
    response = client_for("head_teacher_li").post(f"/burden/visits/meetings/{event.pk}/",
                                                  {"form": "minutes", "raised": "  \n ", "changes": "x"})  # fmt: skip
    assert response.status_code == 400
    assert "请至少填写一条家长反映的问题" in response.content.decode()
    assert not MeetingMinutes.objects.exists()


@pytest.mark.parametrize(
    "persona, status",
    [("head_teacher_li", 200), ("school_admin_liu", 200), ("teacher_he", 200), ("county_admin_chen", 200),
     ("head_teacher_wang", 404), ("school_admin_wang", 404), ("parent_zhang", 404), (None, 302)],
)  # fmt: skip
def test_a_class_meeting_s_page_before_its_minutes_are_published(cast, client_for, persona, status):
    event = past_meeting(cast)
    assert client_for(persona).get(f"/burden/visits/meetings/{event.pk}/").status_code == status


@pytest.mark.parametrize("persona, writes", [("head_teacher_li", 302), ("school_admin_liu", 302), ("teacher_he", 404),
                                             ("county_admin_chen", 404), ("head_teacher_wang", 404)])  # fmt: skip
def test_minutes_are_written_by_the_class_s_head_teacher_or_the_school_admin(cast, client_for, persona, writes):
    event = past_meeting(cast)
    response = client_for(persona).post(f"/burden/visits/meetings/{event.pk}/", {"form": "minutes", "raised": "作业多"})
    assert response.status_code == writes


def test_the_meeting_list_runs_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    past_meeting(cast)
    liu = client_for("school_admin_liu")
    liu.get("/burden/visits/meetings/")
    with django_assert_max_num_queries(12) as small:
        liu.get("/burden/visits/meetings/")
    for _ in range(4):
        services.minutes_write(actor=cast.school_admin_liu, event=past_meeting(cast), raised=["作业多"], changes=[])
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = liu.get("/burden/visits/meetings/").content.decode()
    assert html.count("双减家长会") >= 5
    assert client_for("school_admin_wang").get("/burden/visits/meetings/").content.decode().count("三年级1班教室") == 0
