"""Small request helpers shared by the views of every domain."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def safe_next(request, fallback: str = "/") -> str:
    """The `next` the form or link asked for, when it stays on this site; otherwise the fallback."""
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return fallback


def error_text(exc: ValidationError | PermissionDenied) -> str:
    """A service's refusal as one message for the user."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You may not do that.")


def run_service(request, call, success: str, to: str):
    """Run one service call from a POST view: its refusal becomes the page's error message (nothing changed),
    success a message; either way back to `to`."""
    from django.contrib import messages
    from django.shortcuts import redirect

    try:
        call()
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success)
    return redirect(to)


# Every primary key is a 64-bit signed integer (BigAutoField, on SQLite and PostgreSQL alike); ids start at 1.
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """The id a form field, query parameter or JSON value names, or None when it cannot be one.

    Only plain ASCII digits (surrounding spaces allowed) within the database's integer range: "abc", "-1", "0",
    "1e3", "１２" (full-width) and 99999999999999999999 are all None, so no lookup ever sees them.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 19:
            return None
        number = int(text)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


def id_or_404(value) -> int:
    """parse_id, where a value that cannot be an id reads as "not found" (404), like an id nobody may see."""
    number = parse_id(value)
    if number is None:
        raise Http404("no such id")
    return number


class IdConverter:
    """`<id:pk>` in a URL: an id the database can hold, or no match (404). Registered in CoreConfig.ready()."""

    regex = "[0-9]{1,20}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError("not an id")
        return number

    def to_url(self, value) -> str:
        return str(value)
