"""Clinics (教育义诊): an expert publishes slots, guardians book and cancel (capacity honoured), the expert's outcome
stays private to the expert and those above (reads logged), and may become a follow-up question."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xieyu.accounts.services import user_create
from xieyu.audit.models import AccessEvent
from xieyu.directory.models import Guardian, Guardianship
from xieyu.directory.services import guardianship_add
from xieyu.events.models import Event
from xieyu.questions.clinics import access, services
from xieyu.questions.models import ClinicBooking, Question


@pytest.fixture
def clinic(cast):
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=3)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    return services.clinic_publish(actor=cast.expert_huang, county_id=cast.county.pk, title="家庭教育义诊:作业与手机",
                                   starts_at=start, slot_minutes=30, slots=3, place="县家庭教育指导中心")  # fmt: skip


def _slots(clinic):
    return list(clinic.clinic_slots.order_by("starts_at"))


def _book(cast, slot, persona="parent_zhang", child="zhang_xiaoming", topic="孩子写作业拖拉,想当面聊聊"):
    """As the API does it: a slot of a clinic open to the user's families, and one of their children (404 for another
    family's child)."""
    user = getattr(cast, persona)
    slot = access.get_slot_for(user, slot.pk)
    student = access.get_clinic_student_for(user, slot.event, cast.students[child].pk)
    return services.clinic_book(actor=user, slot=slot, student=student, topic=topic)


def test_an_expert_publishes_a_clinic_on_the_events_engine(cast, clinic):
    assert clinic.kind == Event.Kind.CLINIC and clinic.status == "published" and clinic.county == cast.county
    slots = _slots(clinic)
    assert len(slots) == 3 and slots[0].expert == cast.expert_huang
    assert clinic.ends_at == slots[-1].ends_at


@pytest.mark.parametrize("persona", ["parent_zhang", "school_admin_liu", "counsellor_zhou"])
def test_only_experts_publish_clinics(cast, persona, client_for):
    assert access.clinic_county_of(getattr(cast, persona)) is None
    day = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(persona).post("/questions/clinics/new/", {
        "title": "家庭教育义诊", "place": "中心", "date": day.isoformat(), "start_time": "14:00", "slot_minutes": 30,
        "slots": 2,
    })  # fmt: skip
    assert response.status_code == 404
    assert not Event.objects.exists()


def test_one_booking_per_slot_and_cancel_frees_it(cast, clinic):
    first = _slots(clinic)[0]
    booking = _book(cast, first)
    with pytest.raises(ValidationError, match="已被预约"):
        _book(cast, first, "grandma_zhao", "liu_xiaoyu")
    with pytest.raises(ValidationError):
        _book(cast, first)  # the same family again
    services.clinic_cancel(actor=cast.parent_zhang, booking=access.get_own_booking(cast.parent_zhang, booking.pk))
    again = _book(cast, first, "grandma_zhao", "liu_xiaoyu")
    assert again.status == "booked" and ClinicBooking.objects.filter(slot=first, status="booked").count() == 1
    with pytest.raises(Http404):
        access.get_own_booking(cast.parent_zhang, again.pk)  # not his family


def test_bad_booking_input_changes_nothing(cast, clinic):
    slot = _slots(clinic)[0]
    with pytest.raises(ValidationError):
        _book(cast, slot, topic="嗯")
    with pytest.raises(Http404):
        _book(cast, slot, child="liu_xiaoyu")  # not his child
    assert not ClinicBooking.objects.exists()


def test_the_outcome_is_private_and_every_read_is_logged(cast, clinic, client_for):
    booking = _book(cast, _slots(clinic)[0])
    services.clinic_record_outcome(
        actor=cast.expert_huang, booking=booking, outcome="孩子注意力容易分散,建议分段写作业。"
    )
    url = f"/api/v1/questions/clinics/bookings/{booking.pk}/outcome"
    for persona, status in [("expert_huang", 200), ("county_admin_chen", 200), ("counsellor_zhou", 200),
                            ("parent_zhang", 404), ("grandma_zhao", 404), ("school_admin_liu", 404),
                            ("head_teacher_li", 404)]:  # fmt: skip
        response = client_for(persona).get(url)
        assert response.status_code == status, persona
        if status == 200:
            assert "分段写作业" in response.json()["outcome"]
    assert client_for(None).get(url).status_code == 401
    assert AccessEvent.objects.filter(purpose="clinic.outcome.view").count() == 3
    mine = client_for("parent_zhang").get("/api/v1/questions/clinics/bookings").json()
    assert mine[0]["id"] == booking.pk and "outcome" not in mine[0]
    with pytest.raises(PermissionDenied):
        access.check_may_record_outcome(cast.county_admin_chen, booking)  # those above read it, never write it
    access.check_may_record_outcome(cast.expert_huang, booking)


def test_the_expert_opens_a_follow_up_question_for_the_family(cast, clinic, client_for):
    booking = _book(cast, _slots(clinic)[0])
    response = client_for("expert_huang").post(
        f"/api/v1/questions/clinics/bookings/{booking.pk}/follow-up",
        json.dumps({"title": "义诊后续:分段写作业", "body": "两周后请告诉我孩子分段写作业的情况,我们再调整。"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    q = Question.objects.get()
    assert q.asker == cast.parent_zhang and q.assignee == cast.expert_huang and q.level == "county"
    assert client_for("parent_zhang").get(f"/questions/{q.pk}/").status_code == 200
    again = client_for("expert_huang").post(
        f"/api/v1/questions/clinics/bookings/{booking.pk}/follow-up",
        json.dumps({"title": "再来一次后续", "body": "两周后请告诉我孩子分段写作业的情况。"}), content_type="application/json",
    )  # fmt: skip
    assert again.status_code == 422 and Question.objects.count() == 1


def test_guardian_api_lists_books_and_cancels(cast, clinic, client_for):
    c = client_for("grandma_zhao")
    listed = c.get("/api/v1/questions/clinics").json()
    assert listed[0]["id"] == clinic.pk and [s["free"] for s in listed[0]["slots"]] == [1, 1, 1]
    slot_id = listed[0]["slots"][0]["id"]
    book = c.post(f"/api/v1/questions/clinics/slots/{slot_id}/book",
                  json.dumps({"student_id": cast.students["liu_xiaoyu"].pk, "topic": "孙子不爱说话,想请教沟通方法"}),
                  content_type="application/json")  # fmt: skip
    assert book.status_code == 201
    assert c.get(f"/api/v1/questions/clinics/{clinic.pk}/slots").json()[0]["free"] == 0
    full = client_for("parent_zhang").post(
        f"/api/v1/questions/clinics/slots/{slot_id}/book",
        json.dumps({"student_id": cast.students["zhang_xiaoming"].pk, "topic": "孩子写作业拖拉"}),
        content_type="application/json",
    )
    assert full.status_code == 422 and "已被预约" in full.content.decode()
    bid = book.json()["id"]
    assert client_for("parent_zhang").post(f"/api/v1/questions/clinics/bookings/{bid}/cancel").status_code == 404
    assert c.post(f"/api/v1/questions/clinics/bookings/{bid}/cancel").status_code == 200
    assert c.get(f"/api/v1/questions/clinics/{clinic.pk}/slots").json()[0]["free"] == 1


@pytest.mark.parametrize("persona, status", [("parent_sun", 200), ("head_teacher_wang", 404), (None, 401)])
def test_clinic_slots_are_for_families_of_the_county(cast, clinic, client_for, persona, status):
    # 孙丽's son is at 全南二中, same county: she may book; a head teacher without children there may not.
    assert client_for(persona).get(f"/api/v1/questions/clinics/{clinic.pk}/slots").status_code == status


def test_the_clinic_list_runs_a_fixed_number_of_queries(cast, clinic, client_for, django_assert_max_num_queries):
    c = client_for("grandma_zhao")
    c.get("/api/v1/questions/clinics")
    with CaptureQueriesContext(connection) as small:
        c.get("/api/v1/questions/clinics")
    for i in range(4):
        services.clinic_publish(actor=cast.expert_huang, county_id=cast.county.pk, title=f"义诊第{i}场", place="中心",
                                slots=6, slot_minutes=20,
                                starts_at=timezone.now() + datetime.timedelta(days=5 + i))  # fmt: skip
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(c.get("/api/v1/questions/clinics").json()) == 5


# --- one booking per family per clinic --------------------------------------------------------------------------

ONE_PER_CLINIC = "每个家庭每场义诊只能预约一个时段"


@pytest.fixture
def father_liu(cast):
    """刘军, 刘小宇's father (working away), joins the app: another guardian of 赵秀英's family."""
    user = user_create(actor=None, phone="13800001032", name="刘军")
    Guardian.objects.filter(phone="13800001032").update(user=user)
    return user


def test_a_family_holds_one_slot_per_clinic_until_it_cancels(cast, clinic, father_liu):
    first, second, third = _slots(clinic)
    booking = _book(cast, first, "grandma_zhao", "liu_xiaoyu")
    with pytest.raises(ValidationError, match=ONE_PER_CLINIC) as refused:
        _book(cast, second, "grandma_zhao", "liu_xiaoyu")
    assert timezone.localtime(first.starts_at).strftime("%H:%M") in str(refused.value)
    with pytest.raises(ValidationError, match=ONE_PER_CLINIC):  # the father of the same family, another slot
        services.clinic_book(actor=father_liu, slot=third, student=cast.students["liu_xiaoyu"], topic="想聊聊孩子")
    assert list(ClinicBooking.objects.values_list("slot_id", "status")) == [(first.pk, "booked")]
    _book(cast, second)  # another family (张小明's) books another slot of the clinic
    services.clinic_cancel(actor=father_liu, booking=access.get_own_booking(father_liu, booking.pk))  # any guardian
    moved = _book(cast, third, "grandma_zhao", "liu_xiaoyu")
    assert moved.status == "booked"
    assert ClinicBooking.objects.filter(student=cast.students["liu_xiaoyu"], status="booked").count() == 1


def test_each_child_is_its_own_family_and_each_clinic_counts_apart(cast, clinic):
    guardianship_add(actor=None, student=cast.students["chen_yu"], guardian=Guardian.objects.get(user=cast.parent_zhang),
                     relationship="father", status=Guardianship.Status.CONFIRMED)  # fmt: skip
    first, second, _third = _slots(clinic)
    _book(cast, first)
    _book(cast, second, child="chen_yu")  # 张伟's other child: another family of one child
    other = services.clinic_publish(actor=cast.expert_huang, county_id=cast.county.pk, title="家庭教育义诊:睡眠",
                                    place="中心", slots=2, slot_minutes=30,
                                    starts_at=first.starts_at + datetime.timedelta(days=1))  # fmt: skip
    _book(cast, _slots(other)[0])  # the same child at another clinic
    assert ClinicBooking.objects.filter(status="booked").count() == 3


def test_the_api_refuses_a_second_slot_of_the_same_clinic_in_chinese(cast, clinic, client_for):
    c = client_for("grandma_zhao")
    first, second, _third = _slots(clinic)
    student = cast.students["liu_xiaoyu"].pk

    def book(slot):
        return c.post(f"/api/v1/questions/clinics/slots/{slot.pk}/book",
                      json.dumps({"student_id": student, "topic": "孙子不爱说话,想请教沟通方法"}),
                      content_type="application/json")  # fmt: skip

    held = book(first)
    assert held.status_code == 201
    refused = book(second)
    assert refused.status_code == 422 and ONE_PER_CLINIC in refused.content.decode()
    assert [b["slot_id"] for b in c.get("/api/v1/questions/clinics/bookings").json()] == [first.pk]
    assert [s["free"] for s in c.get(f"/api/v1/questions/clinics/{clinic.pk}/slots").json()] == [0, 1, 1]
    assert c.post(f"/api/v1/questions/clinics/bookings/{held.json()['id']}/cancel").status_code == 200
    assert book(second).status_code == 201
    assert [b["slot_id"] for b in c.get("/api/v1/questions/clinics/bookings").json()] == [second.pk]
