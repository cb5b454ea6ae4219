"""Clinic pages (教育义诊): an expert publishes, sees who booked and records a private outcome; guardians book, list
and cancel their own bookings. Every page walks the matrix (right role, neighbour, lower role, anonymous), a
guardian never reads another family's booking text nor any outcome, and each page runs a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.accounts.services import membership_grant, user_create
from xieyu.audit.models import AccessEvent
from xieyu.events.models import Event
from xieyu.questions.clinics import services
from xieyu.questions.models import ClinicBooking, Question

TOPIC = "孙子放学后不愿意说话,想请教沟通方法"
OUTCOME = "建议每天固定十分钟聊天时间,先听后说。"


def _start(days=3, hour=14):
    return timezone.localtime(timezone.now() + datetime.timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


@pytest.fixture
def clinic(cast):
    return services.clinic_publish(actor=cast.expert_huang, county_id=cast.county.pk, title="家庭教育义诊:亲子沟通",
                                   starts_at=_start(), slot_minutes=30, slots=3, place="县家庭教育指导中心")  # fmt: skip


@pytest.fixture
def booking(cast, clinic):
    slot = clinic.clinic_slots.order_by("starts_at").first()
    return services.clinic_book(actor=cast.grandma_zhao, slot=slot, student=cast.students["liu_xiaoyu"], topic=TOPIC)


@pytest.fixture
def expert_other(cast):
    """Another expert of the same county: a neighbour of expert_huang."""
    user = user_create(actor=None, phone="13800000059", name="邓老师")
    membership_grant(actor=None, user=user, role=Role.EXPERT, unit=cast.county)
    return user


def _client(client_for, persona, expert_other):
    if persona == "expert_other":
        c = Client()
        c.force_login(expert_other, backend="django.contrib.auth.backends.ModelBackend")
        return c
    return client_for(persona)


def _is_login(response):
    return response.status_code == 302 and "/login/" in response["Location"]


# --- the guardian's pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, sees",
    [("grandma_zhao", True), ("parent_sun", True), ("expert_huang", False), ("head_teacher_wang", False)],
)
def test_the_clinic_list_shows_clinics_to_families_of_the_county(cast, clinic, client_for, persona, sees):
    response = client_for(persona).get("/questions/clinics/")
    assert response.status_code == 200
    assert (clinic.title in response.content.decode()) is sees
    assert _is_login(client_for(None).get("/questions/clinics/"))


@pytest.mark.parametrize(
    "persona, status", [("grandma_zhao", 200), ("parent_sun", 200), ("head_teacher_wang", 404), ("expert_huang", 404)]
)
def test_the_booking_page_is_for_families_of_the_county(cast, clinic, client_for, persona, status):
    slot = clinic.clinic_slots.order_by("starts_at").first()
    assert client_for(persona).get(f"/questions/clinics/slots/{slot.pk}/book/").status_code == status
    assert client_for(persona).get("/questions/clinics/slots/999999/book/").status_code == 404
    assert _is_login(client_for(None).get(f"/questions/clinics/slots/{slot.pk}/book/"))


def test_a_grandmother_books_a_slot_and_sees_it_taken(cast, clinic, client_for):
    slot = clinic.clinic_slots.order_by("starts_at").first()
    c = client_for("grandma_zhao")
    response = c.post(f"/questions/clinics/slots/{slot.pk}/book/",
                      {"student": cast.students["liu_xiaoyu"].pk, "topic": TOPIC})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/questions/clinics/bookings/"
    booking = ClinicBooking.objects.get()
    assert booking.topic == TOPIC and booking.booked_by == cast.grandma_zhao
    assert TOPIC in c.get("/questions/clinics/bookings/").content.decode()
    page = c.get("/questions/clinics/").content.decode()
    assert "您已预约" in page and f'href="/questions/clinics/slots/{slot.pk}/book/"' not in page
    taken = client_for("parent_zhang").post(
        f"/questions/clinics/slots/{slot.pk}/book/",
        {"student": cast.students["zhang_xiaoming"].pk, "topic": "孩子写作业拖拉"},
    )
    assert taken.status_code == 422 and "已被预约" in taken.content.decode()
    assert ClinicBooking.objects.count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"topic": TOPIC}, "请选择您的孩子"),
        ({"student": "zhang_xiaoming", "topic": TOPIC}, "请选择您的孩子"),  # not her child
        ({"student": "liu_xiaoyu", "topic": "嗯"}, "4 到 300"),
        ({"student": "liu_xiaoyu", "topic": "聊" * 301}, "4 到 300"),
    ],
)
def test_bad_booking_input_changes_nothing(cast, clinic, client_for, data, message):
    slot = clinic.clinic_slots.order_by("starts_at").first()
    if "student" in data:
        data = {**data, "student": cast.students[data["student"]].pk}
    response = client_for("grandma_zhao").post(f"/questions/clinics/slots/{slot.pk}/book/", data)
    assert response.status_code == 422 and message in response.content.decode()
    assert not ClinicBooking.objects.exists()


@pytest.mark.parametrize(
    "persona, sees", [("grandma_zhao", True), ("parent_zhang", False), ("expert_huang", False), ("parent_sun", False)]
)
def test_my_bookings_show_only_my_familys_bookings_never_the_outcome(cast, booking, client_for, persona, sees):
    services.clinic_record_outcome(actor=cast.expert_huang, booking=booking, outcome=OUTCOME)
    response = client_for(persona).get("/questions/clinics/bookings/")
    assert response.status_code == 200
    body = response.content.decode()
    assert (TOPIC in body) is sees
    assert OUTCOME not in body
    assert OUTCOME not in client_for(persona).get("/questions/clinics/").content.decode()
    assert _is_login(client_for(None).get("/questions/clinics/bookings/"))


@pytest.mark.parametrize("persona", ["parent_zhang", "expert_huang", "county_admin_chen", None])
def test_only_the_family_cancels_its_booking(cast, booking, client_for, persona):
    response = client_for(persona).post(f"/questions/clinics/bookings/{booking.pk}/cancel/")
    assert _is_login(response) if persona is None else response.status_code == 404
    assert ClinicBooking.objects.get().status == "booked"
    assert client_for("grandma_zhao").get(f"/questions/clinics/bookings/{booking.pk}/cancel/").status_code == 405
    ok = client_for("grandma_zhao").post(f"/questions/clinics/bookings/{booking.pk}/cancel/")
    assert ok.status_code == 302 and ClinicBooking.objects.get().status == "cancelled"


# --- the expert's pages -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status, sees",
    [("expert_huang", 200, True), ("expert_other", 200, False), ("county_admin_chen", 404, False),
     ("counsellor_zhou", 404, False), ("grandma_zhao", 404, False)],
)  # fmt: skip
def test_my_clinics_lists_only_the_experts_own(cast, clinic, client_for, expert_other, persona, status, sees):
    response = _client(client_for, persona, expert_other).get("/questions/clinics/mine/")
    assert response.status_code == status
    assert (clinic.title in response.content.decode()) is sees
    assert _is_login(client_for(None).get("/questions/clinics/mine/"))


@pytest.mark.parametrize("persona, status", [("expert_huang", 200), ("counsellor_zhou", 404), ("grandma_zhao", 404)])
def test_only_experts_reach_the_publish_page(cast, client_for, persona, status):
    assert client_for(persona).get("/questions/clinics/new/").status_code == status
    assert client_for(persona).post("/questions/clinics/new/", _publish_data()).status_code in (status, 302)
    assert Event.objects.count() == (1 if persona == "expert_huang" else 0)
    assert _is_login(client_for(None).get("/questions/clinics/new/"))


def _publish_data(**over):
    start = _start(days=4, hour=9)
    data = {
        "title": "暑期家庭教育义诊", "place": "县家庭教育指导中心", "online_url": "",
        "date": start.strftime("%Y-%m-%d"), "start_time": "09:00", "slot_minutes": "20", "slots": "5", "description": "",
    }  # fmt: skip
    return {**data, **over}


def test_an_expert_publishes_a_clinic_with_slots(cast, client_for):
    response = client_for("expert_huang").post("/questions/clinics/new/", _publish_data())
    clinic = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/questions/clinics/{clinic.pk}/"
    slots = list(clinic.clinic_slots.order_by("starts_at"))
    assert len(slots) == 5 and timezone.localtime(slots[0].starts_at).strftime("%H:%M") == "09:00"
    assert timezone.localtime(clinic.ends_at).strftime("%H:%M") == "10:40"


@pytest.mark.parametrize(
    "over, message",
    [
        ({"title": "义诊"}, "4 到 80 字"),
        ({"title": ""}, "4 到 80 字"),
        ({"place": "", "online_url": ""}, "地点或线上链接"),
        ({"place": "", "online_url": "ftp://x"}, "http://"),
        ({"date": "2020-01-01"}, "开始时间必须在将来"),
        ({"date": "明天"}, "请填写日期"),
        ({"start_time": "25:00"}, "开始时间"),
        ({"slot_minutes": "5"}, "10 到 120 分钟"),
        ({"slot_minutes": "abc"}, "10 到 120 分钟"),
        ({"slots": "0"}, "1 到 24"),
        ({"slots": "30"}, "1 到 24"),
    ],
)
def test_bad_clinic_input_changes_nothing(cast, client_for, over, message):
    response = client_for("expert_huang").post("/questions/clinics/new/", _publish_data(**over))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "persona, status",
    [("expert_huang", 200), ("county_admin_chen", 200), ("counsellor_zhou", 200), ("expert_other", 404),
     ("grandma_zhao", 404), ("parent_zhang", 404), ("school_admin_liu", 404), ("head_teacher_li", 404)],
)  # fmt: skip
def test_the_clinic_page_shows_bookings_to_the_expert_and_those_above(
    cast, booking, clinic, client_for, expert_other, persona, status
):
    c = _client(client_for, persona, expert_other)
    response = c.get(f"/questions/clinics/{clinic.pk}/")
    assert response.status_code == status
    body = response.content.decode()
    assert (TOPIC in body) is (status == 200)
    if status == 200:
        assert "赵秀英" in body and "138****0032" in body and "13800000032" not in body
    assert c.get("/questions/clinics/999999/").status_code == 404
    assert _is_login(client_for(None).get(f"/questions/clinics/{clinic.pk}/"))


@pytest.mark.parametrize(
    "persona, status",
    [("expert_huang", 200), ("county_admin_chen", 200), ("expert_other", 404), ("grandma_zhao", 404),
     ("parent_zhang", 404), ("head_teacher_li", 404)],
)  # fmt: skip
def test_the_outcome_is_read_only_by_the_expert_and_those_above_each_read_logged(
    cast, booking, client_for, expert_other, persona, status
):
    services.clinic_record_outcome(actor=cast.expert_huang, booking=booking, outcome=OUTCOME)
    response = _client(client_for, persona, expert_other).get(f"/questions/clinics/appointments/{booking.pk}/")
    assert response.status_code == status
    assert (OUTCOME in response.content.decode()) is (status == 200)
    assert AccessEvent.objects.filter(purpose="clinic.outcome.view").count() == (1 if status == 200 else 0)
    assert _is_login(client_for(None).get(f"/questions/clinics/appointments/{booking.pk}/"))


@pytest.mark.parametrize("persona", ["expert_other", "grandma_zhao", "county_admin_chen", None])
def test_only_the_expert_records_the_outcome(cast, booking, client_for, expert_other, persona):
    url = f"/questions/clinics/appointments/{booking.pk}/outcome/"
    response = _client(client_for, persona, expert_other).post(url, {"outcome": "随便写的结论内容"})
    if persona is None:
        assert _is_login(response)
    elif persona == "county_admin_chen":  # reads it, may not write it
        assert response.status_code == 302
    else:
        assert response.status_code == 404
    assert ClinicBooking.objects.get().outcome == ""
    bad = client_for("expert_huang").post(url, {"outcome": "好"}, follow=True)
    assert "4 到 2000" in bad.content.decode() and ClinicBooking.objects.get().outcome == ""
    client_for("expert_huang").post(url, {"outcome": OUTCOME})
    assert ClinicBooking.objects.get().outcome == OUTCOME


def test_the_expert_turns_the_appointment_into_a_follow_up_question(cast, booking, client_for, expert_other):
    url = f"/questions/clinics/appointments/{booking.pk}/follow-up/"
    data = {"title": "义诊后续:亲子沟通", "body": "两周后请告诉我每天聊天的情况,我们再调整方法。"}
    assert client_for("grandma_zhao").post(url, data).status_code == 404
    assert _client(client_for, "expert_other", expert_other).post(url, data).status_code == 404
    assert client_for("expert_huang").post(url, {**data, "body": "太短"}).status_code == 302
    assert not Question.objects.exists()
    services.clinic_record_outcome(actor=cast.expert_huang, booking=booking, outcome=OUTCOME)
    response = client_for("expert_huang").post(url, data)
    q = Question.objects.get()
    assert response["Location"] == f"/questions/{q.pk}/"
    assert q.asker == cast.grandma_zhao and q.assignee == cast.expert_huang
    page = client_for("grandma_zhao").get(f"/questions/{q.pk}/").content.decode()
    assert "每天聊天的情况" in page and OUTCOME not in page
    client_for("expert_huang").post(url, data)
    assert Question.objects.count() == 1


# --- fixed numbers of queries -------------------------------------------------------------------------------------


def _grow(cast, start, stop):
    families = [("grandma_zhao", "liu_xiaoyu"), ("parent_zhang", "zhang_xiaoming"), ("parent_sun", "sun_hao")]
    for i in range(start, stop):
        clinic = services.clinic_publish(actor=cast.expert_huang, county_id=cast.county.pk, title=f"义诊第{i}场",
                                         starts_at=_start(days=5 + i), slot_minutes=20, slots=4,
                                         place="中心")  # fmt: skip
        for slot, (persona, child) in zip(clinic.clinic_slots.order_by("starts_at"), families, strict=False):
            b = services.clinic_book(actor=getattr(cast, persona), slot=slot, student=cast.students[child],
                                     topic="想聊聊孩子的学习习惯")  # fmt: skip
            services.clinic_record_outcome(actor=cast.expert_huang, booking=b, outcome="已沟通,建议分段学习。")


PAGES = [
    ("grandma_zhao", "/questions/clinics/"),
    ("grandma_zhao", "/questions/clinics/bookings/"),
    ("grandma_zhao", "/questions/clinics/slots/{slot}/book/"),
    ("expert_huang", "/questions/clinics/mine/"),
    ("expert_huang", "/questions/clinics/new/"),
    ("expert_huang", "/questions/clinics/{clinic}/"),
    ("county_admin_chen", "/questions/clinics/{clinic}/"),
    ("expert_huang", "/questions/clinics/appointments/{booking}/"),
]


@pytest.mark.parametrize("persona, url", PAGES)
def test_clinic_pages_run_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries, persona, url):
    client = client_for(persona)
    _grow(cast, 0, 1)
    first = Event.objects.order_by("pk").first()
    slot = first.clinic_slots.order_by("starts_at").last()
    target = url.format(clinic=first.pk, slot=slot.pk, booking=ClinicBooking.objects.order_by("pk").first().pk)

    def get():
        response = client.get(target)
        assert response.status_code == 200
        return response

    get()  # warm the session
    with CaptureQueriesContext(connection) as small:
        get()
    n_small = len(small.captured_queries)
    _grow(cast, 1, 13)  # more clinics than a page, more bookings in each
    get()
    with django_assert_max_num_queries(n_small):
        get()


def test_a_family_books_one_slot_per_clinic_on_the_pages(cast, clinic, client_for):
    first, second, third = clinic.clinic_slots.order_by("starts_at")
    c = client_for("grandma_zhao")
    assert c.post(f"/questions/clinics/slots/{first.pk}/book/",
                  {"student": cast.students["liu_xiaoyu"].pk, "topic": TOPIC}).status_code == 302  # fmt: skip
    page = c.get("/questions/clinics/").content.decode()
    assert "每家限约一个" in page and "如需改时间,请先在“我的预约”里取消" in page
    for slot in (second, third):
        assert f'href="/questions/clinics/slots/{slot.pk}/book/"' not in page
    refused = c.post(f"/questions/clinics/slots/{second.pk}/book/",
                     {"student": cast.students["liu_xiaoyu"].pk, "topic": "再约一个时间聊聊"})  # fmt: skip
    assert refused.status_code == 422
    assert "每个家庭每场义诊只能预约一个时段" in refused.content.decode()
    assert list(ClinicBooking.objects.values_list("slot_id", flat=True)) == [first.pk]
    # another family still sees the free slots
    other = client_for("parent_zhang").get("/questions/clinics/").content.decode()
    assert f'href="/questions/clinics/slots/{second.pk}/book/"' in other and "每家限约一个" not in other

    booking = ClinicBooking.objects.get()
    assert c.post(f"/questions/clinics/bookings/{booking.pk}/cancel/").status_code == 302
    page = c.get("/questions/clinics/").content.decode()
    assert f'href="/questions/clinics/slots/{second.pk}/book/"' in page and "每家限约一个" not in page
    moved = c.post(f"/questions/clinics/slots/{second.pk}/book/",
                   {"student": cast.students["liu_xiaoyu"].pk, "topic": TOPIC})  # fmt: skip
    assert moved.status_code == 302
    assert list(ClinicBooking.objects.filter(status="booked").values_list("slot_id", flat=True)) == [second.pk]
