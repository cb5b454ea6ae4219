"""Small request helpers shared by the views of every domain."""

from django.core.exceptions import PermissionDenied, ValidationError
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
