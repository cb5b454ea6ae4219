"""What the dispatch subdomain connects when the app loads: the home page of experts and volunteers."""

from __future__ import annotations


def connect() -> None:
    from xieyu.accounts.models import Role
    from xieyu.directory.home import register_role_home

    from .views import member_home

    register_role_home(Role.EXPERT, member_home)
    register_role_home(Role.VOLUNTEER, member_home)
