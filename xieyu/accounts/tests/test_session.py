"""A session ends after SESSION_COOKIE_AGE idle seconds, and slides while in use."""

import datetime

import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from xieyu.demo.personas import DEMO_PASSWORD, PEOPLE


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


def test_pages_do_not_rewrite_the_session_on_every_request(cast, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    log_in(client)
    client.get(reverse("accounts:profile"))  # the first page after login refreshes the expiry once
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(3):
            assert client.get(reverse("accounts:profile")).status_code == 200
    assert not [q for q in ctx.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"].upper()]
