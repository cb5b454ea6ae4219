"""No input answers 500: bad ids, page numbers past any end, NUL characters and unpaired surrogates, bodies over the
limit; tokens that are bogus, revoked, expired or outlived a password change are 401 in the one error shape."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from xieyu.accounts.models import ApiToken
from xieyu.accounts.services import user_set_password
from xieyu.accounts.tokens import token_create, token_revoke
from xieyu.api.tests.test_api import API, assert_error, bearer
from xieyu.questions.models import Question

HUGE = "99999999999999999999"


# --- ids and page numbers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [HUGE, "-1", "0", str(2**63)])
def test_an_id_out_of_range_is_404_or_422_never_500(cast, client_for, bad):
    response = client_for("head_teacher_li").get(f"{API}/classes/{bad}/roster")
    assert response.status_code in (404, 422)
    assert_error(response, response.status_code, {404: "not_found", 422: "validation_error"}[response.status_code])


def test_a_body_id_out_of_range_is_refused(cast, client_for):
    body = {
        "student_id": int(HUGE),
        "level": "school",
        "category": "study_habits",
        "title": "晚上玩手机怎么办",
        "body": "x" * 20,
    }
    response = client_for("parent_zhang").post(f"{API}/questions/", body, content_type="application/json")
    assert response.status_code in (404, 422)
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "path",
    ["/schools", "/notices/inbox", "/questions/mine", "/events/", "/classes/{class_a1}/roster"],
)
def test_a_page_past_the_end_answers_the_last_page(cast, client_for, path):
    url = API + path.format(class_a1=cast.class_a1.pk)
    body = client_for("head_teacher_li").get(url, {"page": HUGE}).json()
    assert body["page"] == max(body["pages"], 1)
    assert len(body["items"]) == (body["count"] - (body["pages"] - 1) * body["page_size"] if body["count"] else 0)


# --- text that no database stores -------------------------------------------------------------------------------


def _ask(cast, **fields):
    return {"student_id": cast.students["zhang_xiaoming"].pk, "level": "school", "category": "study_habits",
            "title": "孩子晚上玩手机怎么办", "body": "孩子每天晚上都要玩手机到十一点,说了也不听。", **fields}  # fmt: skip


@pytest.mark.parametrize("bad", ["\x00", "\ud800", "孩子\udfff晚上"])
@pytest.mark.parametrize("field", ["title", "body"])
def test_a_string_with_a_nul_or_a_lone_surrogate_is_422_naming_the_field(cast, field, bad):
    import json

    payload = json.dumps(_ask(cast, **{field: bad}))  # ASCII-only JSON: \u0000 and \ud800 escapes
    assert "\\u0000" in payload or "\\ud800" in payload or "\\udfff" in payload
    response = bearer(cast, "parent_zhang").post(f"{API}/questions/", payload, content_type="application/json")
    error = assert_error(response, 422, "validation_error")
    assert [(d["field"], d["in"], d["type"]) for d in error["details"]] == [(field, "body", "forbidden_character")]
    assert field in error["message"] and "不允许" in error["details"][0]["message"]
    assert not Question.objects.exists()


def test_a_query_value_with_a_nul_is_422_naming_the_parameter(cast):
    error = assert_error(bearer(cast, "parent_zhang").get(f"{API}/questions/kb/search", {"q": "手\x00机"}), 422,
                         "validation_error")  # fmt: skip
    assert [(d["field"], d["in"]) for d in error["details"]] == [("q", "query")]


def test_a_clean_question_still_goes_through(cast):
    response = bearer(cast, "parent_zhang").post(f"{API}/questions/", _ask(cast), content_type="application/json")
    assert response.status_code == 201, response.content


def test_a_body_that_is_not_json_is_400_in_the_error_shape(cast):
    response = bearer(cast, "parent_zhang").post(f"{API}/questions/", b"{not json", content_type="application/json")
    assert_error(response, 400, "bad_request")


def test_a_body_over_the_limit_is_413_in_the_error_shape(cast, settings):
    payload = b'{"title": "' + b"x" * (26 * 1024 * 1024) + b'"}'
    assert len(payload) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = bearer(cast, "parent_zhang").post(f"{API}/questions/", payload, content_type="application/json")
    error = assert_error(response, 413, "payload_too_large")
    assert "25.0" in error["message"]
    # A logged-in browser's form-encoded body is refused the same way (its CSRF check reads the body).
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.parent_zhang, backend="django.contrib.auth.backends.ModelBackend")
    client.get("/me/")  # the CSRF cookie a browser has
    response = client.post(f"{API}/questions/topics/1/vote", b"a=" + b"x" * (26 * 1024 * 1024),
                           content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert_error(response, 413, "payload_too_large")


# --- tokens -----------------------------------------------------------------------------------------------------


def test_a_bogus_token_is_401_even_on_an_unsafe_method(db):
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION="Bearer xy_not-a-real-token")
    error = assert_error(client.post(f"{API}/questions/topics/1/vote"), 401, "unauthorized")
    assert "令牌" in error["message"]
    assert_error(Client(HTTP_AUTHORIZATION="Bearer nonsense").get(f"{API}/me"), 401, "unauthorized")


def test_a_revoked_token_is_401(cast):
    token, plain = token_create(actor=cast.parent_zhang, user=cast.parent_zhang, name="app")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert client.get(f"{API}/me").status_code == 200
    token_revoke(actor=cast.parent_zhang, token=token)
    assert_error(client.get(f"{API}/me"), 401, "unauthorized")


def test_a_token_expires_after_the_configured_days(cast, settings):
    settings.API_TOKEN_DAYS = 90
    token, plain = token_create(actor=cast.parent_zhang, user=cast.parent_zhang, name="app")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=89), tick=False):
        assert client.get(f"{API}/me").status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=91), tick=False):
        assert_error(client.get(f"{API}/me"), 401, "unauthorized")
    settings.API_TOKEN_DAYS = 30  # a shorter setting applies to tokens already out there
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31), tick=False):
        assert_error(client.get(f"{API}/me"), 401, "unauthorized")
    assert token.expires_at.date() == (token.created_at + datetime.timedelta(days=30)).date()


def test_a_password_change_ends_every_token(cast, client_for):
    _, plain = token_create(actor=cast.parent_zhang, user=cast.parent_zhang, name="app")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert client.get(f"{API}/me").status_code == 200
    user_set_password(actor=cast.parent_zhang, user=cast.parent_zhang, password="Another2026xy")
    assert_error(client.get(f"{API}/me"), 401, "unauthorized")


def test_a_password_changed_outside_the_service_ends_tokens_too(cast):
    _, plain = token_create(actor=cast.parent_zhang, user=cast.parent_zhang, name="app")
    user = cast.parent_zhang
    user.set_password("Another2026xy")  # e.g. manage.py changepassword or the admin
    user.save()
    assert_error(Client(HTTP_AUTHORIZATION=f"Bearer {plain}").get(f"{API}/me"), 401, "unauthorized")


def test_the_profile_says_when_a_token_expires_or_has_ended(cast, client_for, settings):
    settings.API_TOKEN_DAYS = 90
    token, _plain = token_create(actor=cast.head_teacher_li, user=cast.head_teacher_li, name="班级小程序")
    page = client_for("head_teacher_li").get("/me/").content.decode()
    assert timezone.localtime(token.expires_at).strftime("%Y-%m-%d") in page
    ApiToken.objects.filter(pk=token.pk).update(password_stamp="stale")
    page = client_for("head_teacher_li").get("/me/").content.decode()
    assert "已失效" in page


def test_a_path_with_a_newline_is_a_json_404(cast):
    response = bearer(cast, "parent_zhang").get(f"{API}/questions/a%0Ab")
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize(
    "path", ["/notices/{huge}", "/notices/{huge}/read", "/questions/{huge}", "/events/{huge}/checkin", "/notices/0"]
)
def test_a_path_id_the_database_cannot_hold_is_404(cast, path):
    client = bearer(cast, "parent_zhang")
    url = API + path.format(huge=HUGE)
    response = (
        client.post(url, {}, content_type="application/json")
        if "/read" in path or "checkin" in path
        else (client.get(url))
    )
    assert_error(response, 404, "not_found")
