"""After a clinic appointment the expert asks the county's counsellors for a case from the appointment page; a
counsellor takes the request and the case records that it came from the clinic, linked to the booking. Nobody but
the expert who held the appointment may ask."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from xieyu.care.models import Case, CaseRequest
from xieyu.questions.clinics import access as clinic_access
from xieyu.questions.clinics import services as clinics

pytestmark = pytest.mark.django_db

CONCERN = "义诊中孩子说父母长期不在身边,晚上经常一个人哭,希望长期跟进。"


@pytest.fixture
def booking(cast):
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=3)).replace(hour=14, minute=0, second=0)
    clinic = clinics.clinic_publish(actor=cast.expert_huang, county_id=cast.county.pk, title="家庭教育义诊",
                                    starts_at=start, slot_minutes=30, slots=2, place="县家庭教育指导中心")  # fmt: skip
    slot = clinic.clinic_slots.order_by("starts_at").first()
    student = clinic_access.get_clinic_student_for(cast.grandma_zhao, clinic, cast.students["liu_xiaoyu"].pk)
    return clinics.clinic_book(actor=cast.grandma_zhao, slot=slot, student=student, topic="孙子总说想爸妈,想当面聊聊")


def test_the_expert_asks_for_a_case_and_a_counsellor_opens_it_from_the_clinic(cast, booking, client_for):
    expert = client_for("expert_huang")
    page = expert.get(f"/questions/clinics/appointments/{booking.pk}/").content.decode()
    assert f"/care/cases/request/?booking={booking.pk}" in page
    form = expert.get(f"/care/cases/request/?booking={booking.pk}").content.decode()
    assert "刘小宇" in form
    sent = expert.post("/care/cases/request/", {"booking": booking.pk, "student": booking.student_id,
                                                "concern": CONCERN})  # fmt: skip
    assert sent.status_code == 302 and sent["Location"].endswith(f"/{booking.pk}/")
    request = CaseRequest.objects.get()
    assert request.origin == Case.Origin.CLINIC and request.clinic_booking == booking

    zhou = client_for("counsellor_zhou")
    home = zhou.get("/").content.decode()  # waiting on the counsellors' home: who, from where (not the concern)
    assert f'data-request="{request.pk}"' in home and "义诊结果" in home and CONCERN not in home
    claimed = zhou.post(f"/care/cases/requests/{request.pk}/claim/", {"title": "义诊后跟进", "risk": "medium",
                                                                      "supervisor": cast.supervisor_zhong.pk})  # fmt: skip
    assert claimed.status_code == 302
    case = Case.objects.get()
    assert case.origin == Case.Origin.CLINIC and case.clinic_booking == booking and case.owner == cast.counsellor_zhou


@pytest.mark.parametrize("persona", ["head_teacher_li", "grandma_zhao", "partner_wu", "county_admin_chen"])
def test_only_the_expert_who_held_the_appointment_asks_from_it(cast, booking, client_for, persona):
    client = client_for(persona)
    assert client.get(f"/care/cases/request/?booking={booking.pk}").status_code == 404
    response = client.post("/care/cases/request/", {"booking": booking.pk, "student": booking.student_id,
                                                    "concern": CONCERN})  # fmt: skip
    assert response.status_code == 404 and not CaseRequest.objects.exists()
