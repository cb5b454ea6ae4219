"""API authentication: a logged-in session (CSRF checked on unsafe methods) or a bearer token (xy_...)."""

from __future__ import annotations

from ninja.security import HttpBearer, django_auth

from xieyu.accounts.tokens import user_for_token


class BearerToken(HttpBearer):
    """`Authorization: Bearer xy_...`: the active user the token belongs to."""

    def authenticate(self, request, token: str):
        user = user_for_token(token.strip())
        if user is not None:
            request.user = user
        return user


# The bearer token first: an app sending a token is not asked for a CSRF token; a browser's session is.
AUTH = [BearerToken(), django_auth]
