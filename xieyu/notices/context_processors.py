"""The unread badge in the navigation (add to settings.TEMPLATES' context processors).

The count is one query, run only when a page shows the badge.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import cached_property

from .access import unread_count


class UnreadBadge:
    def __init__(self, user):
        self.user = user
        self.url = reverse("notices:inbox")

    @cached_property
    def count(self) -> int:
        return unread_count(self.user)


def unread_notices(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notices_badge": UnreadBadge(user)}
