"""Helpers shared by the accounts and joining tests."""

from __future__ import annotations

import re

from django.utils import translation

from xieyu.accounts import sms


def zh(msgid: str, **params) -> str:
    """What a user reads for this msgid: its zh-Hans text once the catalogue is compiled."""
    with translation.override("zh-hans"):
        text = translation.gettext(msgid)
    return text % params if params else text


def last_code(phone: str) -> str:
    """The six-digit code in the latest text message sent to this number (LoggingSender's outbox)."""
    for to, text in reversed(sms.outbox):
        if to == phone:
            match = re.search(r"(?<!\d)(\d{6})(?!\d)", text)
            assert match, text
            return match.group(1)
    raise AssertionError(f"no SMS was sent to {phone}")


def texts_to(phone: str) -> list[str]:
    return [text for to, text in sms.outbox if to == phone]


def zh_n(singular: str, plural: str, n: int, **params) -> str:
    """The zh-Hans text of an ngettext msgid for n."""
    with translation.override("zh-hans"):
        text = translation.ngettext(singular, plural, n)
    return text % params if params else text
