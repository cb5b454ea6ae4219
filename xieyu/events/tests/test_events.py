"""The events engine as stories: 刘芳 publishes a lecture for 三年级1班; families register, wait, check in, rate it."""

from __future__ import annotations

import datetime

import openpyxl
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from xieyu.events import services
from xieyu.events.models import Attendance, Event, Registration
from xieyu.notices.models import Delivery


def _lecture(cast, *, capacity=0, audience=Event.Audience.SCHOOL, start_in=datetime.timedelta(days=2), **kw):
    start = timezone.now() + start_in
    return services.event_create(
        actor=cast.school_admin_liu, kind=Event.Kind.LECTURE, title="习惯养成讲座", school=cast.school_a,
        audience=audience, place="城厢小学报告厅", starts_at=start, ends_at=start + datetime.timedelta(hours=1, minutes=30),
        capacity=capacity, publish=True, **kw,
    )  # fmt: skip


@pytest.fixture
def lecture(cast):
    return _lecture(cast)


def test_capacity_waitlist_and_promotion_on_cancellation(cast):
    event = _lecture(cast, capacity=1)
    zhang = services.registration_create(actor=cast.parent_zhang, event=event, student=cast.students["zhang_xiaoming"])
    zhao = services.registration_create(actor=cast.grandma_zhao, event=event, student=cast.students["liu_xiaoyu"])
    assert (zhang.status, zhao.status) == ("registered", "waitlisted")
    with pytest.raises(ValidationError) as exc:
        services.registration_create(actor=cast.parent_zhang, event=event, student=cast.students["zhang_xiaoming"])
    assert exc.value.code == "duplicate"
    promoted = services.registration_cancel(actor=cast.parent_zhang, registration=zhang)
    assert promoted.pk == zhao.pk
    assert Registration.objects.get(pk=zhao.pk).status == "registered"


def test_a_family_outside_the_audience_cannot_register(cast):
    event = _lecture(cast, audience=Event.Audience.CLASS, audience_class=cast.class_a1)
    with pytest.raises(ValidationError):
        services.registration_create(actor=cast.parent_sun, event=event, student=cast.students["sun_hao"])


def test_rotating_code_accepts_current_and_previous_slot_only(cast, lecture):
    now = lecture.starts_at
    slot = services.current_slot(now)
    assert services.token_valid(lecture, slot, services.checkin_token(lecture, slot), now)
    assert services.token_valid(lecture, slot - 1, services.checkin_token(lecture, slot - 1), now)
    assert not services.token_valid(lecture, slot - 2, services.checkin_token(lecture, slot - 2), now)
    assert not services.token_valid(lecture, slot, "0" * 20, now)


def test_scan_checks_in_once_and_only_inside_the_window(cast, lecture):
    services.registration_create(actor=cast.parent_zhang, event=lecture, student=cast.students["zhang_xiaoming"])
    early = lecture.starts_at - datetime.timedelta(hours=2)
    slot = services.current_slot(early)
    with pytest.raises(ValidationError) as exc:
        services.checkin_by_scan(actor=cast.parent_zhang, event=lecture, slot=slot,
                                 token=services.checkin_token(lecture, slot), now=early)  # fmt: skip
    assert exc.value.code == "too_early"
    now = lecture.starts_at + datetime.timedelta(minutes=5)
    slot = services.current_slot(now)
    token = services.checkin_token(lecture, slot)
    att = services.checkin_by_scan(actor=cast.parent_zhang, event=lecture, slot=slot, token=token, now=now)
    assert att.guardian.name == "张伟" and att.method == "qr"
    with pytest.raises(ValidationError) as exc:
        services.checkin_by_scan(actor=cast.parent_zhang, event=lecture, slot=slot, token=token, now=now)
    assert exc.value.code == "duplicate"
    assert Attendance.objects.filter(event=lecture).count() == 1
    # an unregistered family cannot use the code
    with pytest.raises(ValidationError) as exc:
        services.checkin_by_scan(actor=cast.grandma_zhao, event=lecture, slot=slot, token=token, now=now)
    assert exc.value.code == "not_registered"


def test_guardian_scans_the_code_through_the_pages_and_gives_feedback(cast, client_for):
    lecture = _lecture(cast, start_in=datetime.timedelta(minutes=10))
    guardian = client_for("grandma_zhao")
    r = guardian.post(reverse("events:register", args=[lecture.pk]), {"student": cast.students["liu_xiaoyu"].pk})
    assert r.status_code == 302
    organiser = client_for("school_admin_liu")
    if True:
        page = organiser.get(reverse("events:qr", args=[lecture.pk]))
        assert page.status_code == 200
        url = page.content.decode().split('data-scan-url href="')[1].split('"')[0].replace("&amp;", "&")
        path = url.split("testserver", 1)[1]
        assert guardian.get(path).status_code == 200
        s, t = path.split("s=")[1].split("&t=")
        r = guardian.post(path, {"s": s, "t": t})
        assert r.status_code == 200 and "data-checked-in" in r.content.decode()
    r = guardian.post(reverse("events:feedback", args=[lecture.pk]), {"rating": "9"})
    assert r.status_code == 400 and not lecture.feedback.exists()
    r = guardian.post(reverse("events:feedback", args=[lecture.pk]), {"rating": "5", "comment": "很有收获"})
    assert r.status_code == 302
    assert lecture.feedback.get().rating == 5


def test_organiser_checks_in_from_the_list_and_exports_neutralised_cells(cast, client_for):
    lecture = _lecture(cast, start_in=datetime.timedelta(minutes=10))
    reg = services.registration_create(actor=cast.parent_zhang, event=lecture, student=cast.students["zhang_xiaoming"])
    guardian = reg.guardian
    guardian.name = "=HYPERLINK(1)"
    guardian.save()
    organiser = client_for("school_admin_liu")
    if True:
        r = organiser.post(reverse("events:attendance", args=[lecture.pk]), {"registration": reg.pk})
        assert r.status_code == 302
        r = organiser.post(reverse("events:attendance", args=[lecture.pk]), {"registration": reg.pk})
    assert Attendance.objects.filter(event=lecture).count() == 1
    r = organiser.get(reverse("events:export", args=[lecture.pk]))
    import io

    rows = list(openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[2][0] == "张小明" and rows[2][2] == "'=HYPERLINK(1)"


def test_reminders_go_out_as_a_notice_once(cast, run_tasks, lecture):
    services.registration_create(actor=cast.parent_zhang, event=lecture, student=cast.students["zhang_xiaoming"])
    with time_machine.travel(lecture.starts_at - datetime.timedelta(hours=3)):
        assert services.send_due_reminders() == 1
        assert services.send_due_reminders() == 0
    run_tasks()
    assert Delivery.objects.filter(guardian__name="张伟", notice__title__contains="习惯养成讲座").exists()


def test_ics_calendar(cast, client_for, lecture):
    services.registration_create(actor=cast.parent_zhang, event=lecture, student=cast.students["zhang_xiaoming"])
    r = client_for("parent_zhang").get(reverse("events:my_ics"))
    body = r.content.decode()
    assert r["Content-Type"].startswith("text/calendar") and "SUMMARY:习惯养成讲座" in body and "\r\n" in body


def test_bad_event_form_changes_nothing(cast, client_for):
    r = client_for("school_admin_liu").post(reverse("events:create"), {
        "kind": "lecture", "title": "x", "school": cast.school_a.pk, "audience": "school", "place": "礼堂",
        "starts_at": "2026-03-20T19:00", "ends_at": "2026-03-20T18:00", "capacity": "0"})  # fmt: skip
    assert r.status_code == 400 and 'class="errorlist' in r.content.decode()
    assert not Event.objects.exists()


# --- the access matrix ------------------------------------------------------------------------------------------

VIEWS = ["detail", "qr", "attendance", "export"]
# persona → expected status for each view in VIEWS
MATRIX = {
    "school_admin_liu": [200, 200, 200, 200],  # the organising school's admin
    "county_admin_chen": [200, 200, 200, 200],  # above
    "head_teacher_li": [200, 404, 200, 200],  # the school's head teacher: sees, follows up, does not run it
    "parent_zhang": [200, 404, 404, 404],  # a guardian of the school
    "school_admin_wang": [404, 404, 404, 404],  # neighbour school's admin
    "parent_sun": [404, 404, 404, 404],  # a guardian of the other school
    "expert_huang": [404, 404, 404, 404],
    None: [302, 302, 302, 302],
}


@pytest.mark.parametrize("persona", list(MATRIX))
def test_event_pages_access_matrix(persona, client_for, lecture):
    client = client_for(persona)
    got = [client.get(reverse(f"events:{v}", args=[lecture.pk])).status_code for v in VIEWS]
    assert got == MATRIX[persona]


@pytest.mark.parametrize("persona, status", [("school_admin_liu", 200), ("county_admin_chen", 200),
                         ("head_teacher_li", 404), ("parent_zhang", 404), (None, 302)])  # fmt: skip
def test_create_page_is_for_organisers(persona, status, client_for):
    assert client_for(persona).get(reverse("events:create")).status_code == status


@pytest.mark.parametrize("persona, status", [("school_admin_liu", 200), ("parent_zhang", 200),
                         ("school_admin_wang", 404), ("parent_sun", 404), (None, 302)])  # fmt: skip
def test_school_calendar_access(persona, status, cast, client_for):
    assert client_for(persona).get(reverse("events:school_calendar", args=[cast.school_a.pk])).status_code == status


@pytest.mark.parametrize("persona, status", [("county_admin_chen", 200), ("school_admin_liu", 404),
                         ("parent_zhang", 404), (None, 302)])  # fmt: skip
def test_county_calendar_access(persona, status, cast, client_for):
    assert client_for(persona).get(reverse("events:county_calendar", args=[cast.county.pk])).status_code == status


def test_list_pages_run_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    for _i in range(2):
        _lecture(cast)
    admin, parent = client_for("school_admin_liu"), client_for("parent_zhang")
    url_cal = reverse("events:school_calendar", args=[cast.school_a.pk])
    counts = []
    for c, u in ((admin, reverse("events:list")), (parent, reverse("events:list")), (admin, url_cal)):
        c.get(u)  # warm: first-request work (sessions, content types) is not counted
    for _round in range(2):
        counts.append([len_queries(c, u) for c, u in ((admin, reverse("events:list")), (parent, reverse("events:list")),
                                                      (admin, url_cal))])  # fmt: skip
        for _i in range(18):
            _lecture(cast)
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(max(counts[1]) + 0):
        admin.get(reverse("events:list"))


def len_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_api_register_checkin_feedback(cast, client_for):
    from xieyu.accounts.tokens import token_create

    lecture = _lecture(cast, start_in=datetime.timedelta(minutes=5))
    _t, plain = token_create(actor=cast.grandma_zhao, user=cast.grandma_zhao, name="app")
    from django.test import Client

    c, h = Client(), {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
    items = c.get("/api/v1/events/", **h).json()["items"]
    assert [i["title"] for i in items] == ["习惯养成讲座"]
    kid = cast.students["liu_xiaoyu"].pk
    r = c.post(f"/api/v1/events/{lecture.pk}/register", {"student_id": kid}, content_type="application/json", **h)
    assert r.status_code == 200 and r.json()["status"] == "registered"
    slot = services.current_slot()
    body = {"slot": slot, "token": "bad"}
    assert c.post(f"/api/v1/events/{lecture.pk}/checkin", body, content_type="application/json", **h).status_code == 422
    body["token"] = services.checkin_token(lecture, slot)
    assert c.post(f"/api/v1/events/{lecture.pk}/checkin", body, content_type="application/json", **h).status_code == 200
    r = c.post(f"/api/v1/events/{lecture.pk}/feedback", {"rating": 4}, content_type="application/json", **h)
    assert r.status_code == 200
    assert c.get("/api/v1/parent-school/record", **h).json()["activities"] == 0  # credited once it has ended
    with time_machine.travel(lecture.ends_at + datetime.timedelta(minutes=1)):
        assert c.get("/api/v1/parent-school/record", **h).json()["activities"] == 1
    other = _lecture(cast, audience=Event.Audience.CLASS, audience_class=cast.class_a1)
    _t2, sun = token_create(actor=cast.parent_sun, user=cast.parent_sun, name="app")
    r = c.post(f"/api/v1/events/{other.pk}/register", {"student_id": 1}, content_type="application/json",
               HTTP_AUTHORIZATION=f"Bearer {sun}")  # fmt: skip
    assert r.status_code == 404


def test_checking_in_another_familys_child_is_refused_not_swapped_for_ones_own(cast):
    """赵秀英 (刘小宇's grandmother) sends 张小明's id: refused, and her own family is not checked in instead."""
    from django.test import Client

    from xieyu.accounts.tokens import token_create

    lecture = _lecture(cast, start_in=datetime.timedelta(minutes=5))
    services.registration_create(actor=cast.grandma_zhao, event=lecture, student=cast.students["liu_xiaoyu"])
    services.registration_create(actor=cast.parent_zhang, event=lecture, student=cast.students["zhang_xiaoming"])
    _t, plain = token_create(actor=cast.grandma_zhao, user=cast.grandma_zhao, name="app")
    c = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    slot = services.current_slot()
    body = {"slot": slot, "token": services.checkin_token(lecture, slot)}
    url = f"/api/v1/events/{lecture.pk}/checkin"
    for other in (cast.students["zhang_xiaoming"].pk, cast.students["sun_hao"].pk, 99999999):
        r = c.post(url, {**body, "student_id": other}, content_type="application/json")
        assert r.status_code == 422
        assert r.json()["error"]["message"] == "该孩子的家庭未报名该活动。"
    assert not Attendance.objects.exists()
    r = c.post(url, {**body, "student_id": cast.students["liu_xiaoyu"].pk}, content_type="application/json")
    assert r.status_code == 200 and r.json()["student_id"] == cast.students["liu_xiaoyu"].pk


def test_the_scan_page_refuses_another_familys_child(cast, client_for):
    lecture = _lecture(cast, start_in=datetime.timedelta(minutes=5))
    services.registration_create(actor=cast.grandma_zhao, event=lecture, student=cast.students["liu_xiaoyu"])
    slot = services.current_slot()
    data = {"s": slot, "t": services.checkin_token(lecture, slot), "student": cast.students["zhang_xiaoming"].pk}
    r = client_for("grandma_zhao").post(reverse("events:scan", args=[lecture.pk]), data)
    assert r.status_code == 400 and "该孩子的家庭未报名该活动。" in r.content.decode()
    assert not Attendance.objects.exists()


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_an_html_material_is_refused_and_nothing_is_stored(cast, client_for, lecture, _media, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xieyu.events.models import Material

    page = SimpleUploadedFile("讲义.html", b"<script>alert(document.cookie)</script>", content_type="text/html")
    r = client_for("school_admin_liu").post(reverse("events:material_add", args=[lecture.pk]),
                                            {"title": "讲义", "file": page})  # fmt: skip
    assert r.status_code == 400 and "“讲义.html”不能上传到这里" in r.content.decode()
    assert not Material.objects.exists() and not any(tmp_path.rglob("*.*"))


@pytest.mark.parametrize("persona, status", [("parent_zhang", 200), ("school_admin_liu", 200), ("parent_sun", 404),
                                             ("head_teacher_wang", 404), (None, 302)])  # fmt: skip
def test_a_material_file_is_served_only_to_those_who_see_the_event(cast, client_for, lecture, _media, persona, status):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("slides.bin", b"%PDF-1.7 slides", content_type="application/octet-stream")
    material = services.material_add(actor=cast.school_admin_liu, event=lecture, title="讲座课件", file=pdf)
    assert material.file.name.endswith(".pdf") and "slides" not in material.file.name
    url = reverse("events:material_file", args=[lecture.pk, material.pk])
    assert url in client_for("school_admin_liu").get(reverse("events:detail", args=[lecture.pk])).content.decode()
    r = client_for(persona).get(url)
    assert r.status_code == status
    if status == 200:
        assert r["Content-Type"] == "application/pdf" and r["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in r["Content-Disposition"] and "sandbox" in r["Content-Security-Policy"]
        assert b"".join(r.streaming_content) == b"%PDF-1.7 slides"
    other = _lecture(cast)
    assert (
        client_for("school_admin_liu").get(reverse("events:material_file", args=[other.pk, material.pk])).status_code
        == 404
    )
