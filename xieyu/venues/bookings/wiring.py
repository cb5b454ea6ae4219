"""What the bookings subdomain connects when the app loads: the venue contact's home, and the guardian's home section
of family days near her."""

from __future__ import annotations


def connect() -> None:
    from xieyu.accounts.models import Role
    from xieyu.directory.home import COMING, GUARDIAN, register_home_section, register_role_home

    from . import home

    register_role_home(Role.VENUE_CONTACT.value, home.contact_home)
    register_home_section(
        "venues.family_days", group=COMING, order=60, provider=home.family_days_section, audience=GUARDIAN
    )
