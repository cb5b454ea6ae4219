"""What the inquiries subdomain connects when the app loads: the guardian's home sections, the committee page's
panel, and the receiver that turns overdue inquiry and concern deadlines into messages."""

from __future__ import annotations


def connect() -> None:
    from xieyu.directory.home import ACTION, RECENT, register_home_section

    from ..panels import register_committee_panel
    from . import home, receivers  # noqa: F401 — the receiver connects on import

    register_home_section("committees.inquiries_to_sign", group=ACTION, order=40, provider=home.drafts_to_sign)
    register_home_section("committees.inquiry_answers", group=RECENT, order=40, provider=home.answers_signed)
    register_committee_panel("inquiries", order=20, provider=home.committee_panel)
