"""Acting in one of one's roles, and the care mode (关怀版) remembered per person."""

import re

from django.urls import reverse

from xieyu.accounts.models import User
from xieyu.accounts.roles import SESSION_KEY

HOME = reverse("home")
SWITCH = reverse("accounts:switch_role")
CARE = reverse("accounts:care_mode")


def body_class(response) -> str:
    return re.search(r'<body class="([^"]*)"', response.content.decode()).group(1)


def test_a_teacher_who_is_also_a_mother_switches_to_parent_and_back(cast, client_for):
    client = client_for("head_teacher_li")
    first = client.get(HOME)
    keys = [r.key for r in first.context["available_roles"]]
    assert len(keys) == 2 and "guardian" in keys
    assert first.context["acting_role"].role == "head_teacher"
    assert reverse("directory:join_requests") in first.content.decode()

    response = client.post(SWITCH, {"role": "guardian"}, follow=True)
    assert response.context["acting_role"].role == "guardian"
    assert "已切换为:家长" in response.content.decode()
    assert reverse("directory:join_requests") not in response.content.decode()

    teacher_key = next(k for k in keys if k != "guardian")
    back = client.post(SWITCH, {"role": teacher_key}, follow=True)
    assert back.context["acting_role"].role == "head_teacher"


def test_no_one_acts_in_a_role_they_do_not_hold(cast, client_for):
    li_key = client_for("head_teacher_li").get(HOME).context["acting_role"].key
    client = client_for("parent_zhang")
    response = client.post(SWITCH, {"role": li_key}, follow=True)
    assert "您没有该角色" in response.content.decode()
    assert response.context["acting_role"].role == "guardian"
    assert SESSION_KEY not in client.session

    teacher = client_for("teacher_he")
    refused = teacher.post(SWITCH, {"role": "guardian"}, follow=True)
    assert "您没有该角色" in refused.content.decode()
    assert refused.context["acting_role"].role == "teacher"


def test_switching_needs_a_login_and_a_post(db, client, client_for, cast):
    assert client.post(SWITCH, {"role": "guardian"}).url.startswith(reverse("accounts:login"))
    assert client_for("head_teacher_li").get(SWITCH).status_code == 405


def test_care_mode_is_remembered_on_the_account_on_every_device(cast, client_for):
    phone = client_for("grandma_zhao")
    response = phone.post(CARE, {"care_mode": "1", "next": reverse("accounts:profile")})
    assert response.url == reverse("accounts:profile")
    assert User.objects.get(pk=cast.grandma_zhao.pk).care_mode
    another_device = client_for("grandma_zhao")
    assert "care" in body_class(another_device.get(HOME))
    assert "care" not in body_class(client_for("parent_zhang").get(HOME))
    another_device.post(CARE, {"care_mode": "0"})
    assert not User.objects.get(pk=cast.grandma_zhao.pk).care_mode
    assert "care" not in body_class(phone.get(HOME))


def test_an_anonymous_visitor_keeps_care_mode_by_cookie(db, client):
    assert "care" not in body_class(client.get(reverse("accounts:login")))
    client.post(CARE, {"care_mode": "1", "next": reverse("accounts:login")})
    assert client.cookies["care_mode"].value == "1"
    assert "care" in body_class(client.get(reverse("accounts:login")))
    assert "care" in body_class(client.get(reverse("accounts:login_code")))
    client.post(CARE, {"care_mode": "0"})
    assert "care" not in body_class(client.get(reverse("accounts:login")))


def test_care_mode_refuses_a_foreign_next(db, client):
    response = client.post(CARE, {"care_mode": "1", "next": "https://evil.example.com/"})
    assert response.url == "/"
