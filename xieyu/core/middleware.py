import time

from django.conf import settings
from django.middleware.gzip import GZipMiddleware

from .text import has_forbidden_characters
from .views import bad_request

# A signed-in session's expiry slides forward at most this often, instead of a database write on every request.
SESSION_REFRESH_SECONDS = 300


class SlidingSessionMiddleware:
    """Keep a signed-in session alive while it is used: refresh its expiry every few minutes of activity.

    Sits after SessionMiddleware and AuthenticationMiddleware; marking the session modified makes Django save it
    (new expiry, new cookie) on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and session.accessed and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get("_seen", 0) >= min(SESSION_REFRESH_SECONDS, settings.SESSION_COOKIE_AGE // 2):
                session["_seen"] = now
        return response


def mark_session_fresh(sender, request, user, **kwargs) -> None:
    """A new login starts the sliding clock (connected to user_logged_in in CoreConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        request.session["_seen"] = int(time.time())


class ForbiddenCharactersMiddleware:
    """A page request whose address or query string holds a character no text we store may hold (a NUL, an unpaired
    surrogate: core/text.py) is answered 400 with the site's error page before any view runs, so no search box or
    filter can hand one to the database (PostgreSQL refuses a NUL with an error). Posted forms name the field
    themselves (Django's form fields refuse NUL); the API answers such text with a 422 that names the field
    (core/api/text.py). Sits after the authentication middleware (the error page shows the user's navigation)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX) and _holds_forbidden(request):
            return bad_request(request)
        return self.get_response(request)


API_PREFIX = "/api/"


def _holds_forbidden(request) -> bool:
    if has_forbidden_characters(request.path):
        return True
    return any(
        has_forbidden_characters(key) or any(has_forbidden_characters(v) for v in values)
        for key, values in request.GET.lists()
    )


COMPRESSED_TYPES = ("text/html", "text/csv", "text/plain", "application/json")


class CompressTextMiddleware(GZipMiddleware):
    """Gzip pages, JSON and CSV for browsers that accept it (a guardian's page on a rural network is a third of its
    size); never files that are compressed already (xlsx, PDF, pictures, video) nor streamed downloads, whose length
    and ranges the browser needs. Django's GZipMiddleware pads each response against BREACH."""

    def process_response(self, request, response):
        if response.streaming or not response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
