"""A session ends after SESSION_COOKIE_AGE idle seconds, and slides while in use."""

import datetime

import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from xieyu.directory.personas import DEMO_PASSWORD, PEOPLE


def log_in(client, persona="parent_zhang"):
    response = client.post(reverse("accounts:login"), {"phone": PEOPLE[persona][0], "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_an_idle_session_older_than_the_cookie_age_is_logged_out(cast, client):
    log_in(client)
    assert client.get(reverse("accounts:profile")).status_code == 200
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    with time_machine.travel(timezone.now() + idle):
        response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_a_session_in_use_stays_open(cast, client):
    log_in(client)
    almost = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    with time_machine.travel(timezone.now() + almost):
        assert client.get(reverse("accounts:profile")).status_code == 200
    with time_machine.travel(timezone.now() + 2 * almost):
        assert client.get(reverse("accounts:profile")).status_code == 200
