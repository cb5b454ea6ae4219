"""孩子入园,家长入校: guardians join their child's class with its code; the head teacher confirms."""

import datetime
import io
import re

import pytest
import segno
from django.test import Client
from django.urls import reverse

from xieyu.accounts import sms
from xieyu.accounts.models import User
from xieyu.accounts.services import user_create
from xieyu.accounts.tests.util import last_code, zh, zh_n
from xieyu.audit.models import AuditEvent
from xieyu.demo.personas import DEMO_PASSWORD, PEOPLE
from xieyu.directory.access import children_of
from xieyu.directory.models import Guardian, Guardianship
from xieyu.directory.services import guardian_for_user, guardianship_decide, guardianship_request

NEW_PHONE = "13900000077"
PASSWORD = "Wufang2026"


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def join_url(school_class) -> str:
    return reverse("directory:join_class", args=[school_class.join_code])


def prove_phone(client, url, phone):
    client.post(url, {"action": "send", "phone": phone})
    return client.post(url, {"action": "verify", "code": last_code(phone)})


def sign_up(client, url, phone=NEW_PHONE, name="吴芳", password=PASSWORD):
    assert prove_phone(client, url, phone).status_code == 302
    response = client.post(
        url, {"action": "signup", "name": name, "new_password1": password, "new_password2": password}
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    return response


def ask(client, url, name, born, relationship="mother", **extra):
    data = {"child_name": name, "birth_date": born, "relationship": relationship, "lives_with_child": "on", **extra}
    return client.post(url, data)


def new_guardian(phone, name):
    user = user_create(actor=None, phone=phone, name=name, password=DEMO_PASSWORD)
    return user, guardian_for_user(actor=user, user=user)


def client_as(user):
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


# --- entering a code ----------------------------------------------------------------------------------------


def test_a_guardian_types_the_join_code_in_any_case_with_spaces(cast, client):
    code = cast.class_a1.join_code
    assert client.get(reverse("directory:join_start")).status_code == 200
    response = client.post(reverse("directory:join_start"), {"code": f" {code[:4].lower()} {code[4:]} "})
    assert response.status_code == 302 and response.url == join_url(cast.class_a1)


@pytest.mark.parametrize("code", ["ZZZZZZZZ", "12", "not a code at all"])
def test_an_unknown_code_says_so_clearly(cast, client, code):
    response = client.post(reverse("directory:join_start"), {"code": code})
    assert response.status_code == 404
    message = zh(
        "No class has the join code “%(code)s”. Please check it against the class poster "
        "(the letters O and I are never used), or ask the head teacher.",
        code=code,
    )
    assert message in response.content.decode()


def test_an_unknown_code_in_the_address_says_so_too(cast, client):
    response = client.get("/join/ZZZZZZZZ/")
    assert response.status_code == 404 and 'name="code"' in response.content.decode()


def test_a_lowercase_code_in_the_address_is_corrected(cast, client):
    response = client.get(f"/join/{cast.class_a1.join_code.lower()}/")
    assert response.status_code == 302 and response.url == join_url(cast.class_a1)


def test_guessing_join_codes_is_stopped(cast, client):
    for _ in range(20):
        client.post(reverse("directory:join_start"), {"code": "ZZZZZZZZ"})
    blocked = client.post(reverse("directory:join_start"), {"code": cast.class_a1.join_code})
    assert blocked.status_code == 429
    assert (
        zh("Too many wrong join codes were tried from here. Please try again in an hour.") in blocked.content.decode()
    )


# --- signing up or logging in on the join page -----------------------------------------------------------------


def test_an_anonymous_visitor_sees_the_class_and_is_asked_for_a_mobile_number(cast, client):
    page = client.get(join_url(cast.class_a1)).content.decode()
    assert "全南县城厢小学" in page and "三年级1班" in page
    assert 'name="phone"' in page and 'name="child_name"' not in page
    assert f"{reverse('accounts:login')}?next={join_url(cast.class_a1)}" in page


def test_a_new_guardian_signs_up_with_an_sms_code_and_asks_to_join(cast, client):
    url = join_url(cast.class_a1)
    code_step = client.post(url, {"action": "send", "phone": NEW_PHONE}).content.decode()
    assert 'name="code"' in code_step and "139****0077" in code_step
    assert client.post(url, {"action": "verify", "code": last_code(NEW_PHONE)}).url == url
    signup_page = client.get(url).content.decode()
    assert 'name="new_password1"' in signup_page and "139****0077" in signup_page

    weak = client.post(
        url, {"action": "signup", "name": "吴芳", "new_password1": "abcdefgh", "new_password2": "abcdefgh"}
    )
    assert "密码必须同时包含字母和数字" in weak.content.decode()
    assert not User.objects.filter(phone=NEW_PHONE).exists()

    client.post(url, {"action": "signup", "name": "吴芳", "new_password1": PASSWORD, "new_password2": PASSWORD})
    user = User.objects.get(phone=NEW_PHONE)
    assert user.name == "吴芳" and user.check_password(PASSWORD)
    assert 'name="child_name"' in client.get(url).content.decode()

    response = ask(client, url, "周杰", "2017-07-30", is_primary_carer="on")
    assert response.status_code == 302 and response.url == reverse("accounts:profile")
    g = Guardianship.objects.get(guardian__user=user)
    assert g.student == cast.students["zhou_jie"] and g.status == "pending"
    assert g.relationship == "mother" and g.is_primary_carer and g.lives_with_child
    assert AuditEvent.objects.filter(action="guardianship.request", target_id=str(g.pk), actor=user).exists()
    assert AuditEvent.objects.filter(action="user.sign_up", target_id=str(user.pk)).exists()
    profile = client.get(response.url).content.decode()
    assert "周杰" in profile and zh("Waiting for the school to confirm") in profile
    assert list(children_of(user)) == []  # not until the head teacher confirms


def test_someone_with_an_account_is_logged_in_by_the_code(cast, client):
    url = join_url(cast.class_b1)
    response = prove_phone(client, url, PEOPLE["parent_zhang"][0])
    assert response.url == url
    assert client.get(url).context["user"] == cast.parent_zhang
    assert not User.objects.filter(name="").exists()


def test_a_wrong_code_on_the_join_page_is_named(cast, client):
    url = join_url(cast.class_a1)
    client.post(url, {"action": "send", "phone": NEW_PHONE})
    wrong = "000000" if last_code(NEW_PHONE) != "000000" else "111111"
    page = client.post(url, {"action": "verify", "code": wrong}).content.decode()
    assert (
        zh_n(
            "The code is wrong. You may try %(left)d more time.",
            "The code is wrong. You may try %(left)d more times.",
            4,
            left=4,
        )
        in page
    )
    assert "_auth_user_id" not in client.session


def test_a_guardian_on_the_roster_who_signs_up_sees_the_child_at_once(cast, client):
    """周强 is on 周杰's roster with his phone; signing up links him, already confirmed."""
    sign_up(client, join_url(cast.class_a1), phone="13800001034", name="周强")
    user = User.objects.get(phone="13800001034")
    assert Guardian.objects.get(phone="13800001034").user == user
    assert [s.name for s in children_of(user)] == ["周杰"]
    assert "周杰" in client.get(reverse("accounts:profile")).content.decode()
    assert AuditEvent.objects.filter(action="guardian.link_user", actor=user).exists()
    again = ask(client, join_url(cast.class_a1), "周杰", "2017-07-30", relationship="father")
    assert again.status_code == 302
    assert Guardianship.objects.filter(student=cast.students["zhou_jie"]).count() == 1


def test_a_roster_guardian_given_an_account_by_staff_is_linked_on_login(cast, client):
    user_create(actor=cast.school_admin_liu, phone="13800001031", name="黄丽", password=DEMO_PASSWORD)
    client.post(reverse("accounts:login"), {"phone": "13800001031", "password": DEMO_PASSWORD})
    user = User.objects.get(phone="13800001031")
    assert [s.name for s in children_of(user)] == ["张小明"]


# --- SMS codes for numbers not on the roster --------------------------------------------------------------------


def send(client, school_class, phone):
    return client.post(join_url(school_class), {"action": "send", "phone": phone})


def texted(phone) -> bool:
    return any(to == phone for to, _text in sms.outbox)


REFUSED = (
    "Too many codes have been asked for on this page for numbers not on the class's roster. Please try "
    "again in an hour, or ask the head teacher to add your mobile number to the class roster."
)


def test_numbers_not_on_the_roster_get_a_few_codes_per_join_code_an_hour(cast, settings):
    settings.JOIN_SMS_PER_CODE, settings.JOIN_SMS_PER_CLIENT = 5, 100
    for i in range(5):  # five visitors from five places
        assert (
            'name="code"'
            in send(Client(REMOTE_ADDR=f"203.0.113.{i}"), cast.class_a1, f"1390000010{i}").content.decode()
        )
    refused = send(Client(REMOTE_ADDR="203.0.113.99"), cast.class_a1, "13900000199")
    assert zh(REFUSED) in refused.content.decode()
    assert [texted(f"1390000010{i}") for i in range(5)] == [True] * 5 and not texted("13900000199")
    # The guardian the roster records for the class still gets a code, and so does another class's visitor.
    assert 'name="code"' in send(Client(REMOTE_ADDR="203.0.113.99"), cast.class_a1, "13800001034").content.decode()
    assert texted("13800001034")
    send(Client(REMOTE_ADDR="203.0.113.99"), cast.class_b1, "13900000198")
    assert texted("13900000198")


def test_numbers_not_on_the_roster_get_a_few_codes_per_client_an_hour(cast, settings):
    settings.JOIN_SMS_PER_CODE, settings.JOIN_SMS_PER_CLIENT = 100, 3
    client = Client(REMOTE_ADDR="203.0.113.5")
    for i, school_class in enumerate([cast.class_a1, cast.class_a2, cast.class_b1]):
        send(client, school_class, f"1390000020{i}")
    refused = send(client, cast.class_b1, "13900000299")
    assert zh(REFUSED) in refused.content.decode()
    assert not texted("13900000299")
    assert len(sms.outbox) == 3
    send(Client(REMOTE_ADDR="198.51.100.1"), cast.class_b1, "13900000299")  # another place is not held back
    assert texted("13900000299")


def test_the_per_client_limit_sees_the_client_behind_a_trusted_proxy(cast, settings):
    settings.JOIN_SMS_PER_CODE, settings.JOIN_SMS_PER_CLIENT, settings.TRUSTED_PROXIES = 100, 1, ["10.0.0.1"]
    send(Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5"), cast.class_a1, "13900000301")
    send(Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6"), cast.class_a1, "13900000302")
    forged = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5")
    assert zh(REFUSED) in send(forged, cast.class_a1, "13900000303").content.decode()
    assert (texted("13900000301"), texted("13900000302"), texted("13900000303")) == (True, True, False)


def test_the_default_limits_are_five_per_code_and_ten_per_client(settings):
    assert (settings.JOIN_SMS_PER_CODE, settings.JOIN_SMS_PER_CLIENT) == (5, 10)


# --- naming the child ------------------------------------------------------------------------------------------


def test_a_wrong_name_or_birth_date_gets_a_clear_message_and_no_request(cast, client_for):
    client = client_for("parent_sun")
    response = ask(client, join_url(cast.class_a1), "周杰", "2017-07-31")
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        zh_n("You may try %(left)d more time this hour.", "You may try %(left)d more times this hour.", 4, left=4)
        in page
    )
    assert str(cast.class_a1) in page
    assert not Guardianship.objects.filter(student=cast.students["zhou_jie"], status="pending").exists()


def test_a_child_of_another_class_is_not_matched(cast, client_for):
    """陈雨 is in 三年级2班: the code of 三年级1班 does not find her."""
    ask(client_for("parent_sun"), join_url(cast.class_a1), "陈雨", "2017-03-05")
    assert not Guardianship.objects.filter(student=cast.students["chen_yu"]).exists()


def test_guessing_children_is_stopped_after_five_misses_an_hour(cast, client_for):
    client = client_for("parent_sun")
    url = join_url(cast.class_a1)
    for day in range(1, 6):
        ask(client, url, "周杰", f"2017-07-{day:02d}")
    blocked = ask(client, url, "周杰", "2017-07-30")
    assert blocked.status_code == 429
    assert not Guardianship.objects.filter(student=cast.students["zhou_jie"], guardian__user=cast.parent_sun).exists()
    assert ask(client_for("grandma_zhao"), url, "周杰", "2017-07-30").status_code == 302  # per person


def test_the_name_may_carry_stray_spaces(cast, client_for):
    ask(client_for("parent_sun"), join_url(cast.class_a1), " 周 杰 ", "2017-07-30")
    assert Guardianship.objects.filter(student=cast.students["zhou_jie"], guardian__user=cast.parent_sun).exists()


@pytest.mark.parametrize("born", ["2090-01-01", "1950-01-01", "not a date"])
def test_an_impossible_birth_date_is_refused(cast, client_for, born):
    page = ask(client_for("parent_sun"), join_url(cast.class_a1), "周杰", born).content.decode()
    assert 'class="errorlist' in page
    assert not Guardianship.objects.filter(guardian__user=cast.parent_sun, student=cast.students["zhou_jie"]).exists()


def test_asking_twice_does_not_duplicate(cast, client_for):
    client = client_for("parent_sun")
    url = join_url(cast.class_a1)
    ask(client, url, "周杰", "2017-07-30")
    again = client.get(ask(client, url, "周杰", "2017-07-30", relationship="grandmother").url)
    g = Guardianship.objects.get(guardian__user=cast.parent_sun, student=cast.students["zhou_jie"])
    assert g.relationship == "mother" and g.status == "pending"
    assert zh("You have already asked to join for %(child)s; the head teacher will confirm it soon.", child="周杰") in (
        again.content.decode()
    )


def test_a_confirmed_guardian_asking_again_changes_nothing(cast, client_for):
    client = client_for("parent_zhang")
    page = client.get(ask(client, join_url(cast.class_a1), "张小明", "2017-05-12").url).content.decode()
    assert zh("You are already confirmed as a guardian of %(child)s.", child="张小明") in page
    assert Guardianship.objects.get(guardian__user=cast.parent_zhang).status == "confirmed"


def test_a_rejected_request_stays_rejected(cast, client_for):
    user, guardian = new_guardian(NEW_PHONE, "吴芳")
    g, _ = guardianship_request(actor=user, student=cast.students["zhou_jie"], guardian=guardian, relationship="mother")
    guardianship_decide(actor=cast.head_teacher_li, guardianship=g, confirm=False)
    client = client_as(user)
    page = client.get(ask(client, join_url(cast.class_a1), "周杰", "2017-07-30").url).content.decode()
    assert zh("Your request for %(child)s was not accepted. Please contact the head teacher.", child="周杰") in page
    g.refresh_from_db()
    assert g.status == "rejected"


def test_one_number_holds_children_in_several_schools(cast, client):
    sign_up(client, join_url(cast.class_a1))
    ask(client, join_url(cast.class_a1), "周杰", "2017-07-30")
    ask(client, join_url(cast.class_b1), "孙浩", "2013-11-08")
    user = User.objects.get(phone=NEW_PHONE)
    assert Guardian.objects.filter(user=user).count() == 1
    requests = Guardianship.objects.filter(guardian__user=user)
    assert {g.student.school.name for g in requests} == {"全南县城厢小学", "全南县第二中学"}
    for g in requests:
        guardianship_decide(actor=cast.school_admin_liu, guardianship=g, confirm=True)
    profile = client.get(reverse("accounts:profile")).content.decode()
    for text in ("周杰", "三年级1班", "全南县城厢小学", "孙浩", "七年级1班", "全南县第二中学"):
        assert text in profile


def test_a_teacher_who_is_a_mother_may_ask_for_another_child(cast, client_for):
    """李娜 acts as head teacher, yet asks as a guardian like anyone else; the request waits like anyone's."""
    ask(client_for("head_teacher_li"), join_url(cast.class_a2), "陈雨", "2017-03-05", relationship="other")
    g = Guardianship.objects.get(student=cast.students["chen_yu"])
    assert g.guardian.user == cast.head_teacher_li and g.status == "pending"


# --- the class's QR code and poster -----------------------------------------------------------------------------

STAFF_MATRIX = [
    ("head_teacher_li", 200),  # the class's head teacher
    ("school_admin_liu", 200),  # the school's admin
    ("county_admin_chen", 200),
    ("head_teacher_wang", 404),  # a neighbour: head teacher of a class in another school
    ("school_admin_wang", 404),
    ("teacher_he", 404),  # a lower role in the same school
    ("parent_zhang", 404),  # a parent of the class
]


@pytest.mark.parametrize("persona, status", STAFF_MATRIX)
def test_the_class_qr_is_for_staff_who_see_the_class(cast, client_for, persona, status):
    response = client_for(persona).get(reverse("directory:class_qr", args=[cast.class_a1.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/svg+xml"
        expected = io.BytesIO()  # the QR of the absolute join address, byte for byte
        segno.make(f"http://testserver{join_url(cast.class_a1)}", error="m").save(
            expected, kind="svg", scale=8, border=2, xmldecl=False
        )
        assert response.content == expected.getvalue()


@pytest.mark.parametrize("persona, status", STAFF_MATRIX)
def test_the_class_poster_is_for_staff_who_see_the_class(cast, client_for, persona, status):
    response = client_for(persona).get(reverse("directory:class_poster", args=[cast.class_a1.pk]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "全南县城厢小学" in page and "三年级1班" in page and cast.class_a1.join_code in page
        assert "<svg" in page and f"http://testserver{reverse('directory:join_start')}" in page
        assert len(re.findall(r"<li>", page.split('class="poster-steps"')[1].split("</ol>")[0])) == 4


@pytest.mark.parametrize("name", ["class_qr", "class_poster"])
def test_anonymous_visitors_get_no_qr_or_poster(cast, client, name):
    response = client.get(reverse(f"directory:{name}", args=[cast.class_a1.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_a_missing_class_looks_like_a_forbidden_one(cast, client_for):
    client = client_for("head_teacher_li")
    assert client.get(reverse("directory:class_poster", args=[999999])).status_code == 404
    assert client.get(reverse("directory:class_poster", args=[cast.class_b1.pk])).status_code == 404


# --- deciding requests --------------------------------------------------------------------------------------------


@pytest.fixture
def requests_waiting(cast):
    """吴芳 asks for 周杰 (三年级1班); 郑敏 asks for 陈雨 (三年级2班); 冯刚 asks for 孙浩 (七年级1班)."""
    made = {}
    for key, phone, name, student in [
        ("a1", "13900000071", "吴芳", "zhou_jie"),
        ("a2", "13900000072", "郑敏", "chen_yu"),
        ("b1", "13900000073", "冯刚", "sun_hao"),
    ]:
        user, guardian = new_guardian(phone, name)
        made[key], _ = guardianship_request(
            actor=user, student=cast.students[student], guardian=guardian, relationship="father"
        )
    return made


LIST_MATRIX = [
    ("head_teacher_li", 200, {"吴芳"}),  # her class only
    ("school_admin_liu", 200, {"吴芳", "郑敏"}),  # the whole school
    ("head_teacher_wang", 200, {"冯刚"}),  # a neighbour sees only their own class
    ("school_admin_wang", 200, {"冯刚"}),
    ("teacher_he", 404, set()),  # a lower role
    ("parent_zhang", 404, set()),
    ("county_admin_chen", 404, set()),  # the county oversees; schools decide
]


@pytest.mark.parametrize("persona, status, names", LIST_MATRIX)
def test_join_requests_are_listed_to_those_who_decide_them(cast, client_for, requests_waiting, persona, status, names):
    response = client_for(persona).get(reverse("directory:join_requests"))
    assert response.status_code == status
    page = response.content.decode()
    for name in ("吴芳", "郑敏", "冯刚"):
        assert (name in page) == (name in names)


def test_anonymous_visitors_are_sent_to_log_in_for_requests(cast, client, requests_waiting):
    response = client.get(reverse("directory:join_requests"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    g = requests_waiting["a1"]
    response = client.post(reverse("directory:join_decide", args=[g.pk]), {"decision": "confirm"})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    g.refresh_from_db()
    assert g.status == "pending"


def test_the_request_shows_what_the_head_teacher_needs_to_decide(cast, client_for, requests_waiting):
    page = client_for("head_teacher_li").get(reverse("directory:join_requests")).content.decode()
    assert "13900000071" in page and "周杰" in page and "2017-07-30" in page
    assert "周强" in page  # the guardian already on the roster, to compare with
    assert cast.class_a1.join_code in page and reverse("directory:class_poster", args=[cast.class_a1.pk]) in page


def test_the_list_is_paginated_at_a_fixed_query_cost(cast, client_for, django_assert_max_num_queries):
    students = [cast.students[k] for k in ("zhang_xiaoming", "liu_xiaoyu", "qian_duoduo", "zhou_jie")]
    for i in range(25):
        user, guardian = new_guardian(f"139000011{i:02d}", f"家长{i:02d}")
        guardianship_request(actor=user, student=students[i % 4], guardian=guardian, relationship="other")
    client = client_for("head_teacher_li")
    with django_assert_max_num_queries(12):
        first = client.get(reverse("directory:join_requests"))
    assert len(first.context["page"].object_list) == 20
    assert first.context["page"].paginator.num_pages == 2
    with django_assert_max_num_queries(12):
        second = client.get(reverse("directory:join_requests") + "?page=2")
    assert len(second.context["page"].object_list) == 5


DECIDE_MATRIX = [
    ("head_teacher_li", "a1", 302),
    ("school_admin_liu", "a1", 302),
    ("school_admin_liu", "a2", 302),
    ("head_teacher_li", "a2", 404),  # same school, another class
    ("head_teacher_wang", "a1", 404),  # a neighbour
    ("school_admin_wang", "a1", 404),
    ("teacher_he", "a1", 404),
    ("parent_zhang", "a1", 404),
    ("county_admin_chen", "a1", 404),
]


@pytest.mark.parametrize("persona, key, status", DECIDE_MATRIX)
def test_only_the_head_teacher_or_school_admin_decides(cast, client_for, requests_waiting, persona, key, status):
    g = requests_waiting[key]
    response = client_for(persona).post(reverse("directory:join_decide", args=[g.pk]), {"decision": "confirm"})
    assert response.status_code == status
    g.refresh_from_db()
    assert g.status == ("confirmed" if status == 302 else "pending")
    if status == 302:
        assert g.decided_by == getattr(cast, persona) and g.decided_at is not None
        assert AuditEvent.objects.filter(action="guardianship.confirm", target_id=str(g.pk)).exists()


def test_deciding_a_missing_request_looks_like_a_forbidden_one(cast, client_for):
    response = client_for("head_teacher_li").post(
        reverse("directory:join_decide", args=[999999]), {"decision": "confirm"}
    )
    assert response.status_code == 404


def test_confirming_in_place_with_htmx_swaps_the_row(cast, client_for, requests_waiting):
    g = requests_waiting["a1"]
    response = client_for("head_teacher_li").post(
        reverse("directory:join_decide", args=[g.pk]), {"decision": "confirm"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    row = response.content.decode()
    assert "<html" not in row and f'id="join-request-{g.pk}"' in row
    assert zh("Confirmed: %(guardian)s is now a guardian of %(child)s.", guardian="吴芳", child="周杰") in row
    assert 'name="decision"' not in row
    user = User.objects.get(phone="13900000071")
    assert [s.name for s in children_of(user)] == ["周杰"]


def test_rejecting_keeps_the_child_hidden(cast, client_for, requests_waiting):
    g = requests_waiting["a1"]
    client_for("head_teacher_li").post(reverse("directory:join_decide", args=[g.pk]), {"decision": "reject"})
    g.refresh_from_db()
    assert g.status == "rejected"
    assert list(children_of(User.objects.get(phone="13900000071"))) == []
    assert g.pk not in [
        x.pk for x in client_for("head_teacher_li").get(reverse("directory:join_requests")).context["page"]
    ]


def test_a_decision_is_made_once(cast, client_for, requests_waiting):
    g = requests_waiting["a1"]
    url = reverse("directory:join_decide", args=[g.pk])
    client_for("head_teacher_li").post(url, {"decision": "confirm"})
    later = client_for("school_admin_liu").post(url, {"decision": "reject"}, follow=True)
    assert zh("This request was already decided.") in later.content.decode()
    g.refresh_from_db()
    assert g.status == "confirmed" and g.decided_by == cast.head_teacher_li


def test_deciding_needs_a_post_and_a_decision(cast, client_for, requests_waiting):
    url = reverse("directory:join_decide", args=[requests_waiting["a1"].pk])
    client = client_for("head_teacher_li")
    assert client.get(url).status_code == 405
    assert client.post(url, {"decision": "maybe"}).status_code == 400


def test_the_stories_use_the_casts_real_birth_dates(cast):
    assert cast.students["zhou_jie"].birth_date == datetime.date(2017, 7, 30)
    assert cast.students["zhou_jie"].school_class == cast.class_a1
