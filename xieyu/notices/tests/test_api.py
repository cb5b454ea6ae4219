"""The notices API: the guardian's inbox, read, confirm, reply; the sender's figures; nobody else's."""

import pytest
from django.test import Client
from django.utils.translation import gettext as _

from xieyu.accounts.tokens import token_create
from xieyu.notices.models import Delivery

API = "/api/v1/notices"


def bearer(cast, persona: str) -> Client:
    _token, plain = token_create(actor=None, user=getattr(cast, persona), name="app")
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}")


def test_inbox_read_and_confirm(cast, send_notice):
    notice = send_notice("head_teacher_li", receipt_mode="confirm", classes=[cast.class_a1.pk])
    client = bearer(cast, "grandma_zhao")
    page = client.get(f"{API}/inbox").json()
    assert page["count"] == 1 and page["unread"] == 1
    assert page["items"][0]["title"] == notice.title and page["items"][0]["read_at"] is None
    detail = client.get(f"{API}/{notice.pk}").json()
    assert "本周五下午三点" in detail["body"] and detail["read_at"] is None
    assert client.post(f"{API}/{notice.pk}/read").json()["read_at"]
    assert client.post(f"{API}/{notice.pk}/confirm").json()["responded_at"]
    assert client.get(f"{API}/inbox").json()["unread"] == 0


def test_reply_and_a_refused_choice(cast, send_notice):
    notice = send_notice(
        "head_teacher_li", receipt_mode="choice", choices=["参加", "不参加"], classes=[cast.class_a1.pk]
    )
    client = bearer(cast, "parent_zhang")
    bad = client.post(f"{API}/{notice.pk}/reply", {"text": "也许"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["error"]["message"] == _("Choose one of the options.")
    good = client.post(f"{API}/{notice.pk}/reply", {"text": "参加"}, content_type="application/json")
    assert good.status_code == 200 and good.json()["reply"] == "参加"
    assert Delivery.objects.get(notice=notice, guardian__user=cast.parent_zhang).reply == "参加"


def test_the_sender_reads_the_figures_and_nobody_else(cast, send_notice):
    notice = send_notice("head_teacher_li", receipt_mode="confirm", classes=[cast.class_a1.pk])
    figures = bearer(cast, "head_teacher_li").get(f"{API}/{notice.pk}/receipts").json()
    assert figures["families"] == {"total": 4, "unread": 3, "read": 0, "confirmed": 0, "unreached": 1}
    assert (figures["recipients"]["sent"], figures["recipients"]["no_phone"]) == (7, 1)
    assert bearer(cast, "county_admin_chen").get(f"{API}/{notice.pk}/receipts").status_code == 200
    for persona in ("grandma_zhao", "school_admin_wang"):
        assert bearer(cast, persona).get(f"{API}/{notice.pk}/receipts").status_code == 404


def test_a_neighbour_gets_404_alike_for_missing_and_forbidden(cast, send_notice):
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk])
    client = bearer(cast, "parent_sun")
    forbidden = client.get(f"{API}/{notice.pk}")
    missing = client.get(f"{API}/999999")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()
    assert client.post(f"{API}/{notice.pk}/confirm").status_code == 404
    assert client.get(f"{API}/inbox").json()["count"] == 0


def test_anonymous_callers_are_refused(cast):
    assert Client().get(f"{API}/inbox").status_code == 401


@pytest.mark.parametrize("size", [2, 40])
def test_the_inbox_endpoint_runs_a_fixed_number_of_queries(cast, django_assert_max_num_queries, size):
    from xieyu.notices.models import Notice

    notices = Notice.objects.bulk_create(
        [Notice(sender=cast.head_teacher_li, sender_role="head_teacher", county=cast.county, title=f"通知{i}",
                body="内容", status="sent") for i in range(size)]
    )  # fmt: skip
    Delivery.objects.bulk_create([Delivery(notice=n, guardian=cast.grandma_zhao.guardian) for n in notices])
    client = bearer(cast, "grandma_zhao")
    with django_assert_max_num_queries(5):
        assert client.get(f"{API}/inbox").json()["count"] == size
