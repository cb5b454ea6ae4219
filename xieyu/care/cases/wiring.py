"""What the cases subdomain connects when the app loads: the counsellor's home page."""

from xieyu.accounts.models import Role
from xieyu.directory.home import register_role_home

from .views import counsellor_home


def connect() -> None:
    register_role_home(Role.COUNSELLOR, counsellor_home)
