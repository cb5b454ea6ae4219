"""Sending text messages. The sender is pluggable: settings.SMS_SENDER is a dotted path to a class
with ``send(phone: str, text: str) -> None``; a real gateway adapter raises on failure.

LoggingSender writes each message to the server log and keeps it in ``outbox`` (the demo reads the log;
the tests read the outbox).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from .models import mask_phone

logger = logging.getLogger("xieyu.sms")

# (phone, text) for every message LoggingSender sent in this process.
outbox: list[tuple[str, str]] = []


class SmsError(Exception):
    """The gateway did not accept the message."""


class LoggingSender:
    """Development and demo sender: nothing leaves the server."""

    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))
        logger.warning("SMS to %s: %s", mask_phone(phone), text)


def get_sender():
    return import_string(settings.SMS_SENDER)()
