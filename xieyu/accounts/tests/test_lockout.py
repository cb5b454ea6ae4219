"""等保 2.0 lockout: five failed passwords lock a mobile number, even against the right password."""

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from xieyu.demo.personas import DEMO_PASSWORD, PEOPLE

PHONE = PEOPLE["parent_zhang"][0]


def attempt(client, password):
    return client.post(reverse("accounts:login"), {"phone": PHONE, "password": password})


def test_the_sixth_try_is_refused_with_the_locked_page_even_with_the_right_password(cast, client):
    for _ in range(4):
        page = attempt(client, "Wrong2026xy")
        assert page.status_code == 200 and "手机号码或密码不正确" in page.content.decode()
    attempt(client, "Wrong2026xy")
    locked = attempt(client, DEMO_PASSWORD)
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "账号已锁定" in body and reverse("accounts:login_code") in body
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_number_not_per_address(cast, client):
    for _ in range(5):
        attempt(client, "Wrong2026xy")
    other = client.post(reverse("accounts:login"), {"phone": PEOPLE["grandma_zhao"][0], "password": DEMO_PASSWORD})
    assert other.status_code == 302


def test_a_success_resets_the_count(cast, client):
    for _ in range(4):
        attempt(client, "Wrong2026xy")
    assert attempt(client, DEMO_PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "Wrong2026xy")
    assert attempt(client, DEMO_PASSWORD).status_code == 302


def test_the_lock_ends_after_half_an_hour(cast, client):
    for _ in range(5):
        attempt(client, "Wrong2026xy")
    assert attempt(client, DEMO_PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        assert attempt(client, DEMO_PASSWORD).status_code == 302
