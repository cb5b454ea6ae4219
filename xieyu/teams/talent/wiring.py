"""What the talent subdomain connects when the app loads: the guardian home's section of invitations from the
school's talent pool."""

from __future__ import annotations


def connect() -> None:
    from xieyu.directory.home import ACTION, GUARDIAN, register_home_section

    from .home import invitation_section

    register_home_section("teams.talent", group=ACTION, order=45, provider=invitation_section, audience=GUARDIAN)
