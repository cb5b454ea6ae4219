"""/me/: who I am, my roles, my children, my waiting requests, my app tokens."""

import pytest
from django.urls import reverse

from xieyu.accounts.models import ApiToken
from xieyu.accounts.tokens import token_create, user_for_token
from xieyu.directory.models import Guardianship
from xieyu.directory.services import guardian_for_user, guardianship_request

from .util import zh

URL = reverse("accounts:profile")


def test_a_father_sees_his_name_masked_number_role_and_child_with_school_and_class(cast, client_for):
    page = client_for("parent_zhang").get(URL).content.decode()
    assert "张伟" in page and "138****0031" in page and "13800000031" not in page
    assert "家长" in page
    assert "张小明" in page and "全南县城厢小学" in page and "三年级1班" in page
    assert reverse("accounts:password") in page and reverse("accounts:logout") in page


def test_a_teacher_who_is_a_mother_sees_both_roles_and_her_own_child_only(cast, client_for):
    page = client_for("head_teacher_li").get(URL).content.decode()
    assert "班主任 · 三年级1班" in page and "家长" in page
    assert "李果果" in page and "全南县第二中学" in page and "七年级1班" in page
    assert "张小明" not in page  # her pupil, not her child


def test_a_neighbours_children_never_appear(cast, client_for):
    page = client_for("parent_sun").get(URL).content.decode()
    assert "孙浩" in page and "张小明" not in page and "刘小宇" not in page


def test_waiting_requests_are_listed_until_confirmed(cast, client_for):
    user = cast.parent_sun
    guardian = guardian_for_user(actor=user, user=user)
    guardianship_request(actor=user, student=cast.students["chen_yu"], guardian=guardian, relationship="mother")
    page = client_for("parent_sun").get(URL).content.decode()
    assert "陈雨" in page and zh("Waiting for the school to confirm") in page
    assert Guardianship.objects.get(student=cast.students["chen_yu"]).status == "pending"


def test_anonymous_visitors_are_sent_to_log_in(db, client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_a_token_is_shown_once_and_works_until_revoked(cast, client_for):
    client = client_for("head_teacher_li")
    created = client.post(reverse("accounts:token_create"), {"name": "家校小程序"})
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    plain = created.context["new_token"]
    assert plain.startswith("xy_") and plain in created.content.decode()
    token = ApiToken.objects.get(user=cast.head_teacher_li)
    assert token.digest != plain and plain not in token.digest
    assert user_for_token(plain) == cast.head_teacher_li

    later = client.get(URL).content.decode()
    assert "家校小程序" in later and plain not in later

    revoked = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert revoked.status_code == 302
    assert user_for_token(plain) is None
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_a_token_needs_a_name(cast, client_for):
    response = client_for("head_teacher_li").post(reverse("accounts:token_create"), {"name": ""})
    assert response.status_code == 400
    assert zh("Please name the token, for example the app that will use it.") in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "persona, status", [("head_teacher_li", 302), ("head_teacher_wang", 404), ("school_admin_liu", 404)]
)
def test_only_the_owner_revokes_a_token(cast, client_for, persona, status):
    token, plain = token_create(actor=cast.head_teacher_li, user=cast.head_teacher_li, name="app")
    assert client_for(persona).post(reverse("accounts:token_revoke", args=[token.pk])).status_code == status
    assert (user_for_token(plain) is None) == (status == 302)


def test_tokens_need_a_login_and_a_post(db, client, client_for, cast):
    assert client.post(reverse("accounts:token_create"), {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()
    assert client_for("head_teacher_li").get(reverse("accounts:token_create")).status_code == 405


@pytest.mark.parametrize("persona", ["grandma_zhao", "parent_zhang"])
def test_guardians_never_see_or_make_app_tokens(cast, client_for, persona):
    client = client_for(persona)
    page = client.get(URL).content.decode()
    assert 'id="api-tokens"' not in page and zh("App tokens") not in page
    assert client.post(reverse("accounts:token_create"), {"name": "家校小程序"}).status_code == 404
    assert not ApiToken.objects.exists()
    user = getattr(cast, persona)
    token, plain = token_create(actor=user, user=user, name="old")  # one made before tokens were staff only
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert client_for("head_teacher_li").get(URL).content.decode().count('id="api-tokens"') == 1


def test_the_profile_costs_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    client = client_for("head_teacher_li")
    for i in range(3):
        token_create(actor=cast.head_teacher_li, user=cast.head_teacher_li, name=f"app {i}")
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
