"""The JSON API: who may read what, one error shape for every error, a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xieyu.accounts.tokens import token_create
from xieyu.directory.tests.test_pages import grow

API = "/api/v1"


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert isinstance(body["error"]["details"], list)
    return body["error"]


def bearer(cast, persona: str) -> Client:
    _, plain = token_create(actor=None, user=getattr(cast, persona), name="app")
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}")


# --- the schema and the error shape -------------------------------------------------------------------------


def test_the_openapi_schema_lists_the_endpoints(db):
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/me", "/api/v1/children", "/api/v1/classes/{id}/roster", "/api/v1/schools"} <= set(paths)
    schemes = response.json()["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


def test_the_openapi_schema_lists_the_errors_each_operation_can_answer(db):
    schema = Client().get(f"{API}/openapi.json").json()
    error = {"$ref": "#/components/schemas/Error"}

    def codes(path, method):
        responses = schema["paths"][API + path][method]["responses"]
        for code, response in responses.items():
            if code != "200" and code != "201":
                assert response["content"]["application/json"]["schema"] == error
        return set(responses)

    assert codes("/me", "get") == {"200", "401"}
    assert codes("/classes/{id}/roster", "get") == {"200", "401", "404", "422"}
    assert codes("/questions/", "post") == {"201", "400", "401", "403", "404", "413", "422"}
    assert codes("/notices/{id}/read", "post") == {"200", "401", "403", "404", "413", "422"}
    assert codes("/questions/kb/search", "get") == {"200", "422"}  # no login needed
    assert set(schema["components"]["schemas"]["Error"]["properties"]["error"]["required"]) == {
        "code", "message", "details"
    }  # fmt: skip


@pytest.mark.parametrize("path", ["/me", "/children", "/classes/1/roster", "/schools"])
def test_anonymous_callers_get_401_in_the_one_error_shape(db, path):
    assert_error(Client().get(API + path), 401, "unauthorized")


def test_a_wrong_token_is_401(cast):
    client = Client(HTTP_AUTHORIZATION="Bearer xy_not-a-real-token")
    assert_error(client.get(f"{API}/me"), 401, "unauthorized")


def test_unknown_paths_and_methods_answer_in_the_one_error_shape(cast, client_for):
    client = client_for("parent_zhang")
    error = assert_error(client.get(f"{API}/no-such-thing"), 404, "not_found")
    assert "/api/v1/no-such-thing" in error["message"]
    response = client.delete(f"{API}/me")
    error = assert_error(response, 405, "method_not_allowed")
    assert "DELETE" in error["message"] and response["Allow"] == "GET"


@pytest.mark.parametrize(
    "query, field, kind",
    [
        ("page=0", "page", "greater_than_equal"),
        ("page=abc", "page", "int_parsing"),
        ("page_size=1000", "page_size", "less_than_equal"),
    ],
)
def test_validation_errors_name_the_field(cast, client_for, query, field, kind):
    error = assert_error(client_for("county_admin_chen").get(f"{API}/schools?{query}"), 422, "validation_error")
    assert [(d["field"], d["in"], d["type"]) for d in error["details"]] == [(field, "query", kind)]
    assert field in error["message"] and field in error["details"][0]["message"]


def test_a_path_parameter_that_is_not_a_number_is_a_validation_error(cast, client_for):
    error = assert_error(client_for("head_teacher_li").get(f"{API}/classes/abc/roster"), 422, "validation_error")
    assert error["details"][0]["field"] == "id" and error["details"][0]["in"] == "path"


def test_a_roster_filter_outside_the_choices_is_a_validation_error(cast, client_for):
    url = f"{API}/classes/{cast.class_a1.pk}/roster?show=everyone"
    error = assert_error(client_for("head_teacher_li").get(url), 422, "validation_error")
    assert error["details"][0]["field"] == "show"


def test_a_server_error_answers_in_the_one_error_shape(cast, client_for, monkeypatch):
    import xieyu.accounts.api

    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr(xieyu.accounts.api, "roles_of", broken)
    error = assert_error(client_for("parent_zhang").get(f"{API}/me"), 500, "server_error")
    assert "boom" not in error["message"]


def test_session_auth_checks_csrf_on_unsafe_methods(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.parent_zhang, backend="django.contrib.auth.backends.ModelBackend")
    error = assert_error(client.post(f"{API}/questions/topics/1/vote"), 403, "forbidden")
    assert "CSRF" in error["message"]
    client.get("/me/")  # a page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert client.post(f"{API}/questions/topics/1/vote", HTTP_X_CSRFTOKEN=token).status_code == 404


def test_an_anonymous_unsafe_request_is_401_not_a_csrf_refusal(db):
    assert_error(Client(enforce_csrf_checks=True).post(f"{API}/questions/topics/1/vote"), 401, "unauthorized")


# --- GET /me ------------------------------------------------------------------------------------------------


def test_me_by_session(cast, client_for):
    body = client_for("head_teacher_li").get(f"{API}/me").json()
    assert body["name"] == "李娜" and body["phone_masked"] == "138****0012"
    assert [r["role"] for r in body["roles"]] == ["head_teacher", "guardian"]
    assert body["roles"][0]["unit"] == "三年级1班"


def test_me_by_bearer_token(cast):
    body = bearer(cast, "grandma_zhao").get(f"{API}/me").json()
    assert body["name"] == "赵秀英" and body["phone_masked"] == "138****0032"
    assert [r["role"] for r in body["roles"]] == ["guardian"]
    assert "13800000032" not in str(body)


# --- GET /children ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, names",
    [
        ("parent_zhang", ["张小明"]),
        ("grandma_zhao", ["刘小宇"]),
        ("parent_sun", ["孙浩"]),
        ("head_teacher_li", ["李果果"]),  # her own daughter, not her class
        ("school_admin_liu", []),
        ("county_admin_chen", []),
    ],
)
def test_children_are_only_ones_own(cast, client_for, persona, names):
    body = client_for(persona).get(f"{API}/children").json()
    assert [c["name"] for c in body] == names


def test_children_carry_school_class_and_head_teacher(cast):
    [child] = bearer(cast, "grandma_zhao").get(f"{API}/children").json()
    assert child["school"]["name"] == "全南县城厢小学"
    assert child["school_class"] == {"id": cast.class_a1.pk, "name": "三年级1班"}
    assert child["head_teacher_name"] == "李娜"


# --- GET /classes/{id}/roster -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status",
    [
        ("head_teacher_li", 200),
        ("school_admin_liu", 200),
        ("county_admin_chen", 200),
        ("head_teacher_wang", 404),  # a neighbour
        ("school_admin_wang", 404),  # a neighbour
        ("teacher_he", 404),  # a lower role
        ("parent_zhang", 404),  # a parent in the class
        ("partner_wu", 404),
    ],
)
def test_a_roster_is_read_only_by_the_staff_responsible(cast, client_for, persona, status):
    response = client_for(persona).get(f"{API}/classes/{cast.class_a1.pk}/roster")
    if status == 200:
        assert response.status_code == 200
    else:
        assert_error(response, 404, "not_found")


def test_missing_and_forbidden_classes_answer_alike(cast, client_for):
    client = client_for("head_teacher_wang")
    missing = client.get(f"{API}/classes/999999/roster")
    forbidden = client.get(f"{API}/classes/{cast.class_a1.pk}/roster")
    assert_error(missing, 404, "not_found")
    assert missing.content == forbidden.content and missing.status_code == forbidden.status_code


def test_the_roster_flags_who_has_joined(cast):
    body = bearer(cast, "head_teacher_li").get(f"{API}/classes/{cast.class_a1.pk}/roster").json()
    assert body["totals"] == {"students": 4, "joined": 2, "not_joined": 2, "no_phone": 1}
    assert body["school_class"]["head_teacher_name"] == "李娜"
    assert (body["count"], body["page"], body["pages"]) == (4, 1, 1)
    flags = {s["name"]: (s["joined"], s["needs_print"]) for s in body["items"]}
    assert flags == {
        "张小明": (True, False), "刘小宇": (True, False), "钱多多": (False, True), "周杰": (False, False),
    }  # fmt: skip
    assert [s["name"] for s in body["items"]][:2] == ["钱多多", "周杰"]
    liu = next(s for s in body["items"] if s["name"] == "刘小宇")
    zhao = liu["guardians"][0]
    assert (zhao["name"], zhao["relationship"], zhao["is_primary_carer"], zhao["joined"]) == (
        "赵秀英", "grandmother", True, True
    )  # fmt: skip
    assert zhao["phone_masked"] == "138****0032" and "13800000032" not in str(body)
    assert [g["lives_with_child"] for g in liu["guardians"]] == [True, False, False]


def test_the_roster_paginates_and_filters(cast, client_for):
    client = client_for("head_teacher_li")
    body = client.get(f"{API}/classes/{cast.class_a1.pk}/roster?page_size=3&page=2").json()
    assert (body["count"], body["pages"], len(body["items"])) == (4, 2, 1)
    body = client.get(f"{API}/classes/{cast.class_a1.pk}/roster?show=not_joined").json()
    assert [s["name"] for s in body["items"]] == ["钱多多", "周杰"]
    assert body["totals"]["students"] == 4  # totals are the class's, whatever the filter


# --- GET /schools -------------------------------------------------------------------------------------------


def test_the_county_admin_sees_every_school_with_joined_rates(cast, client_for):
    body = client_for("county_admin_chen").get(f"{API}/schools").json()
    rates = {s["name"]: (s["students"], s["joined"], s["joined_rate"]) for s in body["items"]}
    assert rates == {"全南县城厢小学": (5, 2, 0.4), "全南县第二中学": (2, 2, 1.0)}
    assert body["count"] == 2


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("school_admin_liu", {"全南县城厢小学": True}),
        ("school_admin_wang", {"全南县第二中学": True}),
        ("teacher_he", {"全南县城厢小学": True}),
        ("parent_zhang", {"全南县城厢小学": False}),  # a parent: the school, no figures
        ("parent_sun", {"全南县第二中学": False}),
        ("head_teacher_li", {"全南县城厢小学": True, "全南县第二中学": False}),  # staff in one, mother in the other
        ("expert_huang", {}),
    ],
)
def test_schools_are_those_visible_with_figures_only_for_staff(cast, client_for, persona, expected):
    body = client_for(persona).get(f"{API}/schools").json()
    seen = {s["name"]: s["is_staff"] for s in body["items"]}
    assert seen == expected
    for school in body["items"]:
        if not school["is_staff"]:
            assert school["students"] is school["joined"] is school["joined_rate"] is None


def test_schools_paginate(cast, client_for):
    grow(cast, students=0, schools=3)
    body = client_for("county_admin_chen").get(f"{API}/schools?page_size=2&page=3").json()
    assert (body["count"], body["pages"], len(body["items"])) == (5, 3, 1)


# --- a fixed number of queries ------------------------------------------------------------------------------


def test_each_endpoint_runs_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    calls = [
        ("head_teacher_li", "/me"),
        ("parent_zhang", "/children"),
        ("head_teacher_li", f"/classes/{cast.class_a1.pk}/roster"),
        ("county_admin_chen", f"/classes/{cast.class_a1.pk}/roster?show=no_phone"),
        ("county_admin_chen", "/schools"),
        ("parent_zhang", "/schools"),
    ]
    clients = {persona: client_for(persona) for persona, _ in calls}
    small = []
    for persona, path in calls:
        with CaptureQueriesContext(connection) as ctx:
            assert clients[persona].get(API + path).status_code == 200
        small.append(len(ctx))
    grow(cast, students=40, schools=5)
    for (persona, path), limit in zip(calls, small, strict=True):
        with django_assert_max_num_queries(limit):
            response = clients[persona].get(API + path)
        assert response.status_code == 200
    assert clients["head_teacher_li"].get(f"{API}/classes/{cast.class_a1.pk}/roster").json()["count"] == 44


def test_a_token_request_runs_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    client = bearer(cast, "head_teacher_li")
    url = f"{API}/classes/{cast.class_a1.pk}/roster"
    client.get(url)  # the token's last-used time is written at most every five minutes
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    grow(cast, students=20, schools=0)
    with django_assert_max_num_queries(len(ctx)):
        assert client.get(url).status_code == 200
