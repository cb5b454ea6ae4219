"""What accounts needs to know of the directory above it, filled by the directory when it loads.

Accounts sits below the directory in the layers (`make lint`), so it never imports it; the directory's app config
registers these callables instead (xieyu/directory/apps.py). Until then they answer as for a county with no
roster: no guardian records, no roster numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import User


@dataclass
class DirectoryHooks:
    # Does this user hold a guardian record (is "parent" one of their acting roles)?
    is_guardian: Callable[[object], bool] = lambda user: False
    # Did a roster record a guardian with this mobile number (so a login code may be texted to it)?
    phone_on_roster: Callable[[str], bool] = lambda phone: False
    # The new account of a roster guardian who just proved their number, or None.
    claim_account: Callable[[str], User | None] = lambda phone: None
    # What the profile page shows of the user's family: {"children": ..., "join_requests": ...}.
    profile_context: Callable[[object], dict] = lambda user: {}


directory = DirectoryHooks()


def register_directory(**hooks: Callable) -> None:
    for name, fn in hooks.items():
        if not hasattr(directory, name):
            raise AttributeError(name)
        setattr(directory, name, fn)
