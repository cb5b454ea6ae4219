"""The guardian's inbox: unread first, read on open, confirm and reply in place, nobody else's notices."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.notices.access import inbox_for
from xieyu.notices.models import Delivery


def test_the_inbox_shows_unread_first_then_newest(cast, send_notice, client_for):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=2), tick=False):
        old = send_notice("head_teacher_li", title="旧通知", classes=[cast.class_a1.pk])
    with time_machine.travel(timezone.now() - datetime.timedelta(days=1), tick=False):
        middle = send_notice("school_admin_liu", title="学校通知", schools=[cast.school_a.pk])
    new = send_notice("head_teacher_li", title="新通知", classes=[cast.class_a1.pk])
    client = client_for("grandma_zhao")
    client.get(f"/notices/{new.pk}/")  # read on open
    assert [d.notice.title for d in inbox_for(cast.grandma_zhao)] == ["学校通知", "旧通知", "新通知"]
    html = client.get("/notices/").content.decode()
    assert html.index("学校通知") < html.index("旧通知") < html.index("新通知")
    assert old.pk and middle.pk


def test_opening_a_notice_marks_it_read_and_the_badge_counts_the_unread(cast, send_notice, client_for):
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk])
    send_notice("head_teacher_li", title="第二条", classes=[cast.class_a1.pk])
    client = client_for("grandma_zhao")
    html = client.get("/notices/").content.decode()
    assert '<span class="badge bad" data-unread>2</span>' in html
    response = client.get(f"/notices/{notice.pk}/")
    assert response.status_code == 200 and "本周五下午三点" in response.content.decode()
    delivery = Delivery.objects.get(notice=notice, guardian__user=cast.grandma_zhao)
    assert delivery.read_at is not None
    assert '<span class="badge bad" data-unread>1</span>' in client.get("/notices/").content.decode()


def test_one_tap_confirm_in_place(cast, send_notice, client_for):
    notice = send_notice("head_teacher_li", receipt_mode="confirm", classes=[cast.class_a1.pk])
    client = client_for("grandma_zhao")
    assert _("Confirm with one tap") in client.get(f"/notices/{notice.pk}/").content.decode()
    response = client.post(f"/notices/{notice.pk}/respond/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="respond">')
    assert _("You have confirmed. Thank you.") in html
    delivery = Delivery.objects.get(notice=notice, guardian__user=cast.grandma_zhao)
    assert delivery.responded_at and delivery.read_at


def test_a_short_reply_and_a_choice(cast, send_notice, client_for):
    reply = send_notice("head_teacher_li", receipt_mode="reply", classes=[cast.class_a1.pk])
    choice = send_notice(
        "head_teacher_li", receipt_mode="choice", choices=["参加", "不参加"], classes=[cast.class_a1.pk]
    )
    client = client_for("parent_zhang")
    client.post(f"/notices/{reply.pk}/respond/", {"reply": "孩子奶奶来参加"})
    assert Delivery.objects.get(notice=reply, guardian__user=cast.parent_zhang).reply == "孩子奶奶来参加"
    bad = client.post(f"/notices/{choice.pk}/respond/", {"reply": "也许"}, headers={"HX-Request": "true"})
    assert _("Choose one of the options.") in bad.content.decode()
    client.post(f"/notices/{choice.pk}/respond/", {"reply": "不参加"})
    assert Delivery.objects.get(notice=choice, guardian__user=cast.parent_zhang).reply == "不参加"


def test_a_reply_with_a_nul_character_is_refused_and_not_stored(cast, send_notice, client_for):
    notice = send_notice("head_teacher_li", receipt_mode="reply", classes=[cast.class_a1.pk])
    bad = client_for("parent_zhang").post(
        f"/notices/{notice.pk}/respond/", {"reply": "孩子\x00奶奶来"}, headers={"HX-Request": "true"}
    )
    assert _("The reply contains a character that is not allowed.") in bad.content.decode()
    delivery = Delivery.objects.get(notice=notice, guardian__user=cast.parent_zhang)
    assert delivery.reply == "" and delivery.responded_at is None


def test_a_read_only_notice_has_no_answer(cast, send_notice, client_for):
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk])
    response = client_for("parent_zhang").post(f"/notices/{notice.pk}/respond/", headers={"HX-Request": "true"})
    assert _("This notice needs no answer.") in response.content.decode()


@pytest.mark.parametrize("persona", ["parent_sun", "head_teacher_wang", "teacher_he", "expert_huang"])
def test_a_neighbour_cannot_open_another_familys_notice(cast, send_notice, client_for, persona):
    notice = send_notice("head_teacher_li", receipt_mode="confirm", classes=[cast.class_a1.pk])
    client = client_for(persona)
    assert client.get(f"/notices/{notice.pk}/").status_code == 404
    assert client.post(f"/notices/{notice.pk}/respond/").status_code == 404
    assert client.get("/notices/999999/").status_code == 404
    assert notice.title not in client.get("/notices/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in(cast, send_notice, client_for):
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk])
    assert client_for(None).get(f"/notices/{notice.pk}/").status_code == 302


def test_care_mode_offers_read_aloud_without_a_server_call(cast, send_notice, client_for):
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk])
    cast.grandma_zhao.care_mode = True
    cast.grandma_zhao.save()
    html = client_for("grandma_zhao").get(f"/notices/{notice.pk}/").content.decode()
    assert "data-read-aloud" in html and "core/readaloud.js" in html
    assert '<div id="notice-text" data-read>' in html  # what it reads
    cast.grandma_zhao.care_mode = False
    cast.grandma_zhao.save()
    assert "data-read-aloud" not in client_for("grandma_zhao").get(f"/notices/{notice.pk}/").content.decode()


def test_a_head_teacher_who_is_a_mother_finds_the_school_notice_of_her_child(cast, send_notice, client_for):
    notice = send_notice("school_admin_wang", title="二中家长会", schools=[cast.school_b.pk])
    client = client_for("head_teacher_li")
    assert "二中家长会" in client.get("/notices/").content.decode()
    assert client.get(f"/notices/{notice.pk}/").status_code == 200
    assert client.get(f"/notices/{notice.pk}/receipts/").status_code == 404  # she is a parent there


def test_staff_reached_by_role_find_it_in_their_inbox(cast, send_notice, client_for):
    from xieyu.accounts.models import Role

    notice = send_notice(
        "school_admin_wang", title="班主任会议", roles=[f"school:{cast.school_b.pk}:{Role.HEAD_TEACHER}"]
    )
    assert client_for("head_teacher_wang").get(f"/notices/{notice.pk}/").status_code == 200
    assert client_for("parent_sun").get(f"/notices/{notice.pk}/").status_code == 404


@pytest.mark.parametrize("size", [3, 30])
def test_the_inbox_runs_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries, size):
    from xieyu.notices.models import Notice

    guardian = cast.grandma_zhao.guardian
    notices = Notice.objects.bulk_create(
        [
            Notice(sender=cast.head_teacher_li, sender_role="head_teacher", county=cast.county, title=f"通知{i}",
                   body="内容", status="sent", sender_unit="城厢小学")
            for i in range(size)
        ]
    )  # fmt: skip
    Delivery.objects.bulk_create([Delivery(notice=n, guardian=guardian) for n in notices])
    client = client_for("grandma_zhao")
    client.get("/notices/")
    # session, user, badge, memberships, roles, page count, page rows, session save (and its savepoint)
    with django_assert_max_num_queries(10):
        response = client.get("/notices/")
    assert response.status_code == 200
