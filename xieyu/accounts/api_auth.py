"""API authentication: a bearer token (xy_...) or a logged-in session (CSRF checked on unsafe methods).

The order is fixed and nothing falls through by accident:

1. `Authorization: Bearer ...` present: the token decides. A live token is the caller; an unknown, revoked or expired
   token (or one that ended with a password change) is 401 at once, never a session or CSRF question.
2. No bearer token: the session decides. Not logged in is 401; logged in, an unsafe method must pass the CSRF check
   (403 otherwise), as any page form does.
"""

from __future__ import annotations

from django.conf import settings
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from xieyu.core.api.errors import InvalidToken

from .tokens import user_for_token

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class BearerToken(HttpBearer):
    """`Authorization: Bearer xy_...`: the active user the live token belongs to."""

    def authenticate(self, request, token: str):
        user = user_for_token(token.strip())
        if user is None:
            raise InvalidToken()
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's Django session; CSRF is checked on unsafe methods, and only for a logged-in session."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and not getattr(request, "_ninja_csrf_exempt", False):
            if check_csrf(request):
                raise HttpError(403, "CSRF check Failed")
        return user

    def authenticate(self, request, key):  # the cookie itself is read by Django's session middleware
        return None


AUTH = [BearerToken(), SessionAuth()]
