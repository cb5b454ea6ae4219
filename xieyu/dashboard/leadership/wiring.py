"""What the leadership subdomain connects when the app loads: the receiver that turns an overdue task's escalation
into messages."""

from __future__ import annotations


def connect() -> None:
    from . import receivers  # noqa: F401  (connects by @receiver)
