"""What the referrals subdomain connects when the app loads: the partner's home, the guardian's consents awaiting
them on their home, and the receiver that turns overdue referral deadlines into messages."""

from __future__ import annotations


def connect() -> None:
    from xieyu.accounts.models import Role
    from xieyu.directory.home import ACTION, register_home_section, register_role_home

    from . import home, receivers  # noqa: F401 — the receiver connects on import
    from .views import partner_home

    register_role_home(Role.PARTNER.value, partner_home)
    register_home_section("care.consents", group=ACTION, order=15, provider=home.consents_awaiting)
