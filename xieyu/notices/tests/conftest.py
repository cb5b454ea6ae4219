"""Helpers shared by the notices tests."""

from __future__ import annotations

import pytest

from xieyu.accounts import sms
from xieyu.notices.audience import Audience
from xieyu.notices.services import notice_create


@pytest.fixture(autouse=True)
def _notices_settings(settings, tmp_path):
    settings.SMS_SENDER = "xieyu.accounts.sms.LoggingSender"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def outbox():
    """The SMS sent in this test: [(phone, text)]."""
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def send_notice(cast, run_tasks):
    """send_notice("head_teacher_li", classes=[cast.class_a1.pk], ...) → the notice, fanned out."""

    def send(persona: str, *, run: bool = True, title: str = "春季家长会通知", body: str = "本周五下午三点在教室召开家长会。",
             receipt_mode: str = "read", choices=None, attachments=None, send_at=None, sms_after_hours=None,
             **audience):  # fmt: skip
        notice = notice_create(
            actor=getattr(cast, persona),
            title=title,
            body=body,
            receipt_mode=receipt_mode,
            choices=choices,
            attachments=attachments,
            send_at=send_at,
            sms_after_hours=sms_after_hours,
            audience=Audience(**audience),
        )
        if run:
            run_tasks()
            notice.refresh_from_db()
        return notice

    return send
