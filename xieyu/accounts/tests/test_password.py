"""Changing one's password, held to the password rules, with reasons in Chinese."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from xieyu.audit.models import AuditEvent
from xieyu.demo.personas import DEMO_PASSWORD, PEOPLE

from .util import zh

URL = "/me/password/"
TOO_SHORT = zh("The password is too short: it needs at least %(min_length)d characters.", min_length=8)


def change(client, old, new1, new2=None):
    return client.post(URL, {"old_password": old, "new_password1": new1, "new_password2": new2 or new1})


def test_a_parent_changes_her_password_and_stays_logged_in(cast, client_for):
    client = client_for("parent_sun")
    response = change(client, DEMO_PASSWORD, "Sunli2027ok")
    assert response.status_code == 302 and response.url == reverse("accounts:profile")
    assert client.get(reverse("accounts:profile")).status_code == 200  # session survives the change
    user = get_user_model().objects.get(pk=cast.parent_sun.pk)
    assert user.check_password("Sunli2027ok")
    assert AuditEvent.objects.filter(action="user.password_change", target_id=str(user.pk)).exists()
    fresh = type(client)()
    login = fresh.post(reverse("accounts:login"), {"phone": PEOPLE["parent_sun"][0], "password": "Sunli2027ok"})
    assert login.status_code == 302


@pytest.mark.parametrize(
    "new, reason",
    [
        ("ab12", TOO_SHORT),  # MinimumLengthValidator (ours: Django's zh_Hans lacks its wording)
        ("password1", "这个密码太常见了"),  # CommonPasswordValidator, Django's own Chinese
        ("2718281828459", "密码只包含数字"),  # NumericPasswordValidator
        ("abcdefghijk", "密码必须同时包含字母和数字"),  # ours
    ],
)
def test_weak_passwords_are_refused_with_a_chinese_reason(cast, client_for, new, reason):
    page = change(client_for("parent_sun"), DEMO_PASSWORD, new)
    assert page.status_code == 200
    assert reason in page.content.decode()
    assert get_user_model().objects.get(pk=cast.parent_sun.pk).check_password(DEMO_PASSWORD)


def test_the_current_password_must_be_right_and_the_two_new_ones_the_same(cast, client_for):
    client = client_for("parent_sun")
    assert zh("The current password is wrong.") in change(client, "Nope2026xy", "Sunli2027ok").content.decode()
    mismatch = change(client, DEMO_PASSWORD, "Sunli2027ok", "Sunli2027no").content.decode()
    assert zh("The two passwords are not the same.") in mismatch


def test_someone_without_a_password_sets_one_without_the_old(cast, client_for):
    user = cast.grandma_zhao
    user.set_unusable_password()
    user.save()
    client = client_for("grandma_zhao")
    page = client.get(URL).content.decode()
    assert 'name="old_password"' not in page
    response = client.post(URL, {"new_password1": "Zhao2026ok", "new_password2": "Zhao2026ok"})
    assert response.status_code == 302
    assert get_user_model().objects.get(pk=user.pk).check_password("Zhao2026ok")


def test_anonymous_visitors_are_sent_to_log_in(db, client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
