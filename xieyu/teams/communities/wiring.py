"""What the communities subdomain connects when the app loads: the community staff's home page, and the guardian
home's section of community activities near her children's schools."""

from __future__ import annotations


def connect() -> None:
    from xieyu.accounts.models import Role
    from xieyu.directory.home import COMING, GUARDIAN, register_home_section, register_role_home

    from .home import community_section
    from .views import community_home

    register_role_home(Role.COMMUNITY_STAFF, community_home)
    register_home_section("teams.community", group=COMING, order=40, provider=community_section, audience=GUARDIAN)
