"""The Django admin is the operators' last resort: superusers only; staff status alone opens nothing."""

import pytest
from django.test import Client

from xieyu.accounts.models import ApiToken, Membership, User
from xieyu.accounts.tokens import token_create

PAGES = ["/admin/", "/admin/accounts/user/", "/admin/accounts/membership/", "/admin/accounts/apitoken/"]


@pytest.fixture
def operator(db):
    return User.objects.create_superuser(phone="13700000001", name="运维", password="Operator2026")


@pytest.fixture
def staff_only(db):
    return User.objects.create_user(phone="13700000002", name="职员", password="Staff2026xy", is_staff=True)


def client_as(user):
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


@pytest.mark.parametrize("url", PAGES)
def test_a_superuser_opens_the_admin(cast, operator, url):
    assert client_as(operator).get(url).status_code == 200


def test_a_superuser_sees_users_memberships_and_tokens(cast, operator):
    token_create(actor=operator, user=cast.parent_zhang, name="小程序")
    client = client_as(operator)
    assert "李娜" in client.get("/admin/accounts/user/").content.decode()
    membership = Membership.objects.filter(user=cast.head_teacher_li).first()
    assert client.get(f"/admin/accounts/membership/{membership.pk}/change/").status_code == 200
    assert client.get(f"/admin/accounts/user/{cast.parent_zhang.pk}/change/").status_code == 200
    assert client.get("/admin/accounts/user/add/").status_code == 200
    token = ApiToken.objects.get()
    assert client.get(f"/admin/accounts/apitoken/{token.pk}/change/").status_code == 200
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_a_staff_member_who_is_not_a_superuser_is_refused(cast, staff_only, url):
    response = client_as(staff_only).get(url)
    assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.parametrize("persona", ["county_admin_chen", "parent_zhang"])
def test_platform_roles_do_not_open_the_admin(cast, client_for, persona):
    response = client_for(persona).get("/admin/accounts/user/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_anonymous_visitors_are_sent_to_the_admin_login(db, client):
    assert "/admin/login/" in client.get("/admin/").url


def test_the_admin_login_admits_superusers_only(operator, staff_only):
    refused = Client().post("/admin/login/?next=/admin/", {"username": staff_only.phone, "password": "Staff2026xy"})
    assert refused.status_code == 200 and "_auth_user_id" not in refused.client.session
    admitted = Client().post("/admin/login/?next=/admin/", {"username": operator.phone, "password": "Operator2026"})
    assert admitted.status_code == 302 and admitted.url == "/admin/"
