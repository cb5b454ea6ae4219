"""Logging in with a one-time SMS code: a grandmother without a password logs in with her phone."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from xieyu.accounts.models import LoginCode, User
from xieyu.accounts.services import CODE_DAILY_LIMIT
from xieyu.demo.personas import DEMO_PASSWORD, PEOPLE
from xieyu.directory.access import children_of

from .util import last_code, texts_to, zh, zh_n

URL = "/login/code/"
GRANDMA = PEOPLE["grandma_zhao"][0]


def send(client, phone):
    return client.post(URL, {"action": "send", "phone": phone})


def verify(client, phone, code, **extra):
    return client.post(URL, {"action": "verify", "phone": phone, "code": code, **extra})


def test_a_grandmother_logs_in_with_the_code_texted_to_her(cast, client):
    page = send(client, GRANDMA)
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()
    code = last_code(GRANDMA)
    response = verify(client, GRANDMA, code)
    assert response.status_code == 302 and response.url == "/"
    assert client.get(reverse("accounts:profile")).context["user"] == cast.grandma_zhao


def test_the_code_is_stored_only_as_a_hash_and_used_once(cast, client):
    send(client, GRANDMA)
    code = last_code(GRANDMA)
    row = LoginCode.objects.get(phone=GRANDMA)
    assert code not in row.code_hash and len(row.code_hash) == 64
    assert verify(client, GRANDMA, code).status_code == 302
    client.logout()
    again = verify(client, GRANDMA, code)
    assert again.status_code == 200
    assert zh("The code has expired or was never sent. Please ask for a new code.") in again.content.decode()


def test_the_code_lasts_five_minutes(cast, client):
    send(client, GRANDMA)
    code = last_code(GRANDMA)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5, seconds=1)):
        late = verify(client, GRANDMA, code)
    assert late.status_code == 200
    assert zh("The code has expired or was never sent. Please ask for a new code.") in late.content.decode()


def test_five_wrong_tries_spoil_the_code(cast, client):
    send(client, GRANDMA)
    code = last_code(GRANDMA)
    wrong = "000000" if code != "000000" else "111111"
    first = verify(client, GRANDMA, wrong).content.decode()
    assert (
        zh_n(
            "The code is wrong. You may try %(left)d more time.",
            "The code is wrong. You may try %(left)d more times.",
            4,
            left=4,
        )
        in first
    )
    for _ in range(4):
        verify(client, GRANDMA, wrong)
    spoiled = verify(client, GRANDMA, code)
    assert spoiled.status_code == 200
    assert zh("The code was entered wrongly too many times. Please ask for a new code.") in spoiled.content.decode()


def test_one_code_a_minute_and_ten_a_day(cast, client):
    with time_machine.travel(timezone.localtime(timezone.now()).replace(hour=8, minute=0), tick=False) as clock:
        send(client, GRANDMA)
        too_soon = send(client, GRANDMA).content.decode()
        assert (
            zh_n(
                "A code was sent less than a minute ago. Please wait %(seconds)d second before asking again.",
                "A code was sent less than a minute ago. Please wait %(seconds)d seconds before asking again.",
                60,
                seconds=60,
            )
            in too_soon
        )
        assert len(texts_to(GRANDMA)) == 1
        for _ in range(CODE_DAILY_LIMIT - 1):
            clock.shift(datetime.timedelta(seconds=61))
            send(client, GRANDMA)
        assert len(texts_to(GRANDMA)) == CODE_DAILY_LIMIT
        clock.shift(datetime.timedelta(seconds=61))
        refused = send(client, GRANDMA).content.decode()
        assert len(texts_to(GRANDMA)) == CODE_DAILY_LIMIT
        assert (
            zh(
                "This number has asked for %(limit)d codes today, the most allowed. "
                "Please try again tomorrow or log in with your password.",
                limit=CODE_DAILY_LIMIT,
            )
            in refused
        )
        clock.shift(datetime.timedelta(days=1))
        send(client, GRANDMA)
        assert len(texts_to(GRANDMA)) == CODE_DAILY_LIMIT + 1


def test_an_unknown_number_gets_the_same_answer_and_no_text(cast, client):
    unknown, known = "13912345678", GRANDMA
    a = send(client, unknown).content.decode()
    b = send(client, known).content.decode()
    notice = zh(
        "If this number is registered, a code has been sent to it by SMS. It is valid for %(minutes)d minutes.",
        minutes=5,
    )
    assert notice in a and notice in b
    assert texts_to(unknown) == []
    assert verify(client, unknown, "123456").status_code == 200
    assert not User.objects.filter(phone=unknown).exists()


def test_a_malformed_number_is_named_as_such(cast, client):
    page = send(client, "12345").content.decode()
    assert zh("Enter an 11-digit mainland mobile number, such as 13800000000.") in page


def test_demo_mode_says_where_the_code_is(cast, client, settings):
    settings.DEMO_MODE = True
    note = zh("Demo site: no SMS is really sent. The code is written in the server log.")
    assert note in send(client, GRANDMA).content.decode()
    settings.DEMO_MODE = False
    client2 = type(client)()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        assert note not in send(client2, GRANDMA).content.decode()


def test_the_password_and_code_login_pages_link_to_each_other(db, client):
    assert reverse("accounts:login_code") in client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:login") in client.get(reverse("accounts:login_code")).content.decode()


def test_next_is_kept_through_the_code_login(cast, client):
    send(client, GRANDMA)
    response = verify(client, GRANDMA, last_code(GRANDMA), next="/me/")
    assert response.url == "/me/"


def test_a_guardian_the_roster_recorded_logs_in_by_code_and_sees_the_child(cast, client):
    """周强 is 周杰's father on the school's roster, with a phone but no account yet."""
    phone = "13800001034"
    send(client, phone)
    assert verify(client, phone, last_code(phone)).status_code == 302
    user = User.objects.get(phone=phone)
    assert user.name == "周强" and not user.has_usable_password()
    assert [s.name for s in children_of(user)] == ["周杰"]
    assert "周杰" in client.get(reverse("accounts:profile")).content.decode()


def test_a_code_login_lifts_a_password_lockout(cast, client):
    phone = PEOPLE["parent_zhang"][0]
    for _ in range(5):
        client.post(reverse("accounts:login"), {"phone": phone, "password": "wrong-password1"})
    assert client.post(reverse("accounts:login"), {"phone": phone, "password": DEMO_PASSWORD}).status_code == 429
    send(client, phone)
    assert verify(client, phone, last_code(phone)).status_code == 302
    client.logout()
    assert client.post(reverse("accounts:login"), {"phone": phone, "password": DEMO_PASSWORD}).status_code == 302


@pytest.mark.parametrize("persona", ["parent_zhang", "head_teacher_li"])
def test_a_logged_in_user_is_sent_home(client_for, persona):
    assert client_for(persona).get(URL).status_code == 302
