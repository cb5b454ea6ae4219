"""An expert's answer reaches the family like a notice: an inbox item at once, an SMS with the link when it is
still unread after the county's delay, and none once the family has seen it."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from xieyu.accounts import sms
from xieyu.notices.channels import sms_fallback_sweep
from xieyu.notices.models import Delivery, Notice, NoticePolicy
from xieyu.questions.asking import services


@pytest.fixture
def outbox():
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def _answer(cast, ask):
    q = ask()  # 赵秀英 asks about 刘小宇; the class question goes to 李娜
    services.question_answer(actor=cast.head_teacher_li, question=q, body="每天固定时间写作业,先易后难,写完再玩。")
    return q


def test_the_answer_is_an_inbox_item_with_a_link_to_the_question(cast, ask, client_for):
    q = _answer(cast, ask)
    delivery = Delivery.objects.get(notice__kind=Notice.Kind.MESSAGE, guardian__user=cast.grandma_zhao)
    assert delivery.notice.link == reverse("questions:detail", args=[q.pk])
    inbox = client_for("grandma_zhao").get(reverse("notices:inbox")).content.decode()
    assert "您的提问有了回答" in inbox and "未读" in inbox
    page = client_for("grandma_zhao").get(reverse("notices:detail", args=[delivery.notice.pk])).content.decode()
    assert f'href="{delivery.notice.link}"' in page
    # Nobody else has it, and the teacher's sent list does not show a message to one family as a notice.
    assert not Delivery.objects.filter(notice=delivery.notice).exclude(pk=delivery.pk).exists()
    assert client_for("parent_zhang").get(reverse("notices:detail", args=[delivery.notice.pk])).status_code == 404
    sent = client_for("head_teacher_li").get(reverse("notices:sent_list")).content.decode()
    assert "您的提问有了回答" not in sent


def test_unread_after_the_countys_delay_it_goes_by_sms_with_the_link(cast, ask, outbox):
    NoticePolicy.objects.update_or_create(county=cast.county, defaults={"sms_after_hours": 4})
    q = _answer(cast, ask)
    notice = Notice.objects.get(kind=Notice.Kind.MESSAGE)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=3)):
        assert sms_fallback_sweep() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=5)):
        assert sms_fallback_sweep() == 1
        assert sms_fallback_sweep() == 0  # once only
    [(phone, text)] = outbox
    assert phone == cast.grandma_zhao.phone
    assert q.title in text and text.endswith(reverse("notices:detail", args=[notice.pk]))


def test_seeing_the_answer_on_the_question_page_means_no_sms(cast, ask, client_for, outbox):
    q = _answer(cast, ask)
    assert client_for("grandma_zhao").get(reverse("questions:detail", args=[q.pk])).status_code == 200
    assert Delivery.objects.get(notice__kind=Notice.Kind.MESSAGE).read_at is not None
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert sms_fallback_sweep() == 0
    assert outbox == []
