"""Closing the loop (点单 → lecture): the school turns its most wanted topic into a lecture, the families who asked
for it are told, and the topic shows scheduled, then held with a link to the lecture's materials."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xieyu.directory.models import Guardian
from xieyu.events.models import Attendance, Event, Material
from xieyu.notices.models import Delivery, Notice
from xieyu.parentschool.models import ParentSchool, Session
from xieyu.questions.models import TopicRequest
from xieyu.questions.topics import access, services


def _times(days=7):
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=days)).replace(
        hour=19, minute=0, second=0, microsecond=0
    )
    return start, start + datetime.timedelta(minutes=90)


@pytest.fixture
def topic(cast, propose, vote):
    t = propose(cast.parent_zhang, "如何管理孩子用手机")
    vote(cast.grandma_zhao, t)
    return t


def _schedule(cast, topic, actor="school_admin_liu", **kw):
    """As the schedule page does it: the topic of a school the actor manages (404 for anyone else), then the lecture."""
    start, end = _times()
    args = {"title": "孩子用手机怎么管", "starts_at": start, "ends_at": end, "place": "城厢小学报告厅"} | kw
    user = getattr(cast, actor)
    return services.topic_schedule(actor=user, topic=access.get_topic_to_manage(user, topic.pk), **args)


def test_scheduling_a_topic_creates_a_lecture_and_tells_every_family_that_asked(cast, topic, run_tasks):
    event = _schedule(cast, topic)
    topic.refresh_from_db()
    assert topic.status == "scheduled" and topic.scheduled_event_id == event.pk
    assert event.kind == Event.Kind.LECTURE and event.school == cast.school_a and event.audience == "school"
    assert event.status == Event.Status.PUBLISHED
    notice = Notice.objects.get()
    assert "如何管理孩子用手机" in notice.body and f"/events/{event.pk}/" in notice.body
    run_tasks()
    told = set(Delivery.objects.filter(notice=notice).values_list("guardian__user", flat=True))
    assert {cast.parent_zhang.pk, cast.grandma_zhao.pk} <= told
    assert cast.parent_sun.pk not in told and cast.head_teacher_li.pk not in told  # not families who asked
    with pytest.raises(ValidationError):  # once only
        _schedule(cast, topic)


def test_with_a_parent_school_the_lecture_is_a_term_plan_session(cast, topic):
    ParentSchool.objects.create(school=cast.school_a, established_on=datetime.date(2019, 9, 1), person_in_charge="刘芳")
    event = _schedule(cast, topic)
    assert Session.objects.get(event=event).parent_school.school == cast.school_a


def test_the_county_admin_may_schedule_any_school_topic(cast, topic):
    assert _schedule(cast, topic, actor="county_admin_chen").school == cast.school_a


@pytest.mark.parametrize("persona", ["school_admin_wang", "head_teacher_li", "parent_zhang", "expert_huang"])
def test_others_may_not_schedule_and_nothing_changes(cast, topic, persona):
    with pytest.raises(Http404):
        _schedule(cast, topic, actor=persona)
    assert not Event.objects.exists() and not Notice.objects.exists()
    assert TopicRequest.objects.get(pk=topic.pk).status == "open"


def test_bad_times_change_nothing(cast, topic):
    start, _end = _times()
    with pytest.raises(ValidationError):
        _schedule(cast, topic, ends_at=start - datetime.timedelta(hours=1))
    assert not Event.objects.exists() and not Notice.objects.exists()
    assert TopicRequest.objects.get(pk=topic.pk).status == "open"


def test_held_after_the_lecture_ends_or_has_attendance_and_back_to_planned_if_cancelled(cast, topic, propose):
    event = _schedule(cast, topic)
    assert services.topics_mark_held() == 0
    Attendance.objects.create(event=event, student=cast.students["zhang_xiaoming"],
                              guardian=Guardian.objects.get(user=cast.parent_zhang), method="qr")  # fmt: skip
    assert services.topics_mark_held() == 1
    assert TopicRequest.objects.get(pk=topic.pk).status == "held"

    other = propose(cast.grandma_zhao, "隔代教养怎么做")
    e2 = _schedule(cast, other)
    Event.objects.filter(pk=e2.pk).update(status=Event.Status.CANCELLED)
    services.topics_mark_held()
    other.refresh_from_db()
    assert other.status == "planned" and other.scheduled_event_id is None

    third = propose(cast.grandma_zhao, "孩子睡得太晚")
    e3 = _schedule(cast, third)
    services.topics_mark_held(now=e3.ends_at + datetime.timedelta(minutes=1))
    assert TopicRequest.objects.get(pk=third.pk).status == "held"


def test_the_topics_page_links_the_lecture_and_then_its_materials(cast, topic, client_for):
    event = _schedule(cast, topic)
    page = client_for("parent_zhang").get("/questions/topics/").content.decode()
    assert f'href="/events/{event.pk}/"' in page and "讲座" in page
    Material.objects.create(event=event, title="课件", url="https://example.org/slides")
    TopicRequest.objects.filter(pk=topic.pk).update(status="held")
    page = client_for("parent_zhang").get("/questions/topics/").content.decode()
    assert f'href="/events/{event.pk}/#materials"' in page


@pytest.mark.parametrize(
    "persona, status",
    [("school_admin_liu", 200), ("county_admin_chen", 200), ("school_admin_wang", 404), ("head_teacher_li", 404),
     ("parent_zhang", 404), (None, 302)],
)  # fmt: skip
def test_the_schedule_page_is_for_the_schools_admins(cast, topic, client_for, persona, status):
    assert client_for(persona).get(f"/questions/topics/{topic.pk}/schedule/").status_code == status
    start, end = _times()
    data = {"title": "孩子用手机怎么管", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": end.strftime("%Y-%m-%dT%H:%M"), "place": "报告厅", "capacity": 0}  # fmt: skip
    response = client_for(persona).post(f"/questions/topics/{topic.pk}/schedule/", data)
    assert TopicRequest.objects.get(pk=topic.pk).status == ("scheduled" if status == 200 else "open")
    assert response.status_code == (302 if status == 200 else status)


@pytest.mark.parametrize(
    "data, message",
    [({"starts_at": "明天晚上"}, "请填写开始时间"), ({"place": ""}, "请填写活动地点或线上链接"),
     ({"starts_at": "2020-01-01T19:00", "ends_at": "2020-01-01T20:00"}, "讲座的开始时间必须在将来"),
     ({"capacity": -1}, "名额必须在")],
)  # fmt: skip
def test_bad_input_on_the_schedule_page_answers_in_chinese_and_changes_nothing(cast, topic, client_for, data, message):
    start, end = _times()
    base = {"title": "孩子用手机怎么管", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": end.strftime("%Y-%m-%dT%H:%M"), "place": "报告厅", "capacity": 0}  # fmt: skip
    response = client_for("school_admin_liu").post(f"/questions/topics/{topic.pk}/schedule/", base | data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Event.objects.exists() and TopicRequest.objects.get(pk=topic.pk).status == "open"


def test_the_overview_offers_to_schedule_the_top_topic(cast, topic, client_for):
    page = client_for("school_admin_liu").get("/questions/overview/").content.decode()
    assert f"/questions/topics/{topic.pk}/schedule/" in page
    assert (
        f"/questions/topics/{topic.pk}/schedule/"
        not in client_for("school_admin_wang").get("/questions/overview/").content.decode()
    )


# --- held shows on page load, before the periodic job -------------------------------------------------------------


def _check_in(cast, event):
    Attendance.objects.create(event=event, student=cast.students["zhang_xiaoming"],
                              guardian=Guardian.objects.get(user=cast.parent_zhang), method="qr")  # fmt: skip


def _badge(page: str, topic) -> str:
    card = page.split(f'id="topic-{topic.pk}"', 1)[1].split("</li>", 1)[0]
    return card.split('data-status="', 1)[1].split('"', 1)[0]


def test_a_topic_shows_held_as_soon_as_its_lecture_has_check_ins_or_has_ended(cast, topic, client_for, propose, vote):
    event = _schedule(cast, topic)
    late = propose(cast.grandma_zhao, "孩子睡得太晚")
    vote(cast.parent_zhang, late)
    ended = _schedule(cast, late)
    c = client_for("parent_zhang")
    page = c.get("/questions/topics/").content.decode()
    assert _badge(page, topic) == "scheduled" and _badge(page, late) == "scheduled"

    _check_in(cast, event)  # families checked in: held at once
    past = timezone.now() - datetime.timedelta(hours=3)
    Event.objects.filter(pk=ended.pk).update(starts_at=past, ends_at=past + datetime.timedelta(hours=1))
    page = c.get("/questions/topics/").content.decode()
    for t, e in ((topic, event), (late, ended)):
        assert _badge(page, t) == "held"
        assert f'href="/events/{e.pk}/#materials"' in page
    assert "已开课" in page
    assert {t["status"] for t in c.get("/api/v1/questions/topics").json()} == {"held"}
    overview = client_for("school_admin_liu").get("/questions/overview/").content.decode()
    assert overview.count("已开课") == 2
    # nothing was written: the periodic job still persists the status
    assert set(TopicRequest.objects.values_list("status", flat=True)) == {"scheduled"}
    assert services.topics_mark_held() == 2
    assert set(TopicRequest.objects.values_list("status", flat=True)) == {"held"}
    assert _badge(c.get("/questions/topics/").content.decode(), topic) == "held"


def test_a_cancelled_or_future_lecture_does_not_read_held(cast, topic, client_for):
    event = _schedule(cast, topic)
    _check_in(cast, event)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    assert _badge(client_for("parent_zhang").get("/questions/topics/").content.decode(), topic) == "scheduled"


def test_the_topics_page_runs_a_fixed_number_of_queries_with_held_lectures(
    cast, client_for, propose, django_assert_max_num_queries
):
    def grow(start, stop):
        for i in range(start, stop):
            t = propose(cast.grandma_zhao, f"隔代教养第{i}讲")
            _check_in(cast, _schedule(cast, t))

    c = client_for("parent_zhang")
    grow(0, 1)
    c.get("/questions/topics/")
    with CaptureQueriesContext(connection) as small:
        assert "已开课" in c.get("/questions/topics/").content.decode()
    grow(1, 8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert c.get("/questions/topics/").content.decode().count('data-status="held"') == 8
