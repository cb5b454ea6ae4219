"""One error shape for every API error: {"error": {"code", "message" (Chinese), "details": [...]}}.

400, 401, 403, 404, 405, 413, 422 and 500 all answer in this shape, including paths the API does not have, and the
OpenAPI document lists them for every operation that can answer them (document_errors).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError, ValidationError

from xieyu.core.api.text import BAD_TEXT_ERROR

logger = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    422: "validation_error",
    429: "too_many_requests",
    500: "server_error",
}

# Chinese names of the parameters the API takes, so a message names the field the user knows.
FIELD_LABELS = {
    "id": gettext_lazy("ID"),
    "page": gettext_lazy("page number"),
    "page_size": gettext_lazy("page size"),
    "show": gettext_lazy("list filter"),
}

# What 404s raised by access.py mean, said plainly (missing and forbidden read alike).
NOT_FOUND = {
    "class not found": gettext_lazy("No such class, or you may not see it."),
    "school not found": gettext_lazy("No such school, or you may not see it."),
    "student not found": gettext_lazy("No such student, or you may not see it."),
}


class InvalidToken(AuthenticationError):
    """A bearer token was sent and is not (or no longer) valid: 401 at once, whatever else the request carries."""


def error_body(code: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": str(message), "details": details or []}}


def error_response(status: int, message: str, details: list[Any] | None = None) -> JsonResponse:
    return JsonResponse(
        error_body(CODES.get(status, "error"), message, details),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _reason(error: dict[str, Any]) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == BAD_TEXT_ERROR:
        return _("contains a character that is not allowed (a NUL character or an unpaired surrogate)")
    if kind == "missing":
        return _("is required")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("must be a whole number")
    if kind == "greater_than_equal":
        return _("must be at least %(limit)s") % {"limit": ctx.get("ge")}
    if kind == "greater_than":
        return _("must be greater than %(limit)s") % {"limit": ctx.get("gt")}
    if kind == "less_than_equal":
        return _("must be at most %(limit)s") % {"limit": ctx.get("le")}
    if kind == "less_than":
        return _("must be less than %(limit)s") % {"limit": ctx.get("lt")}
    if kind in {"literal_error", "enum"}:
        return _("must be one of: %(choices)s") % {"choices": ctx.get("expected", "")}
    if kind in {"string_too_long", "too_long"}:
        return _("is too long")
    if kind in {"string_too_short", "too_short"}:
        return _("is too short")
    if kind in {"json_invalid", "model_attributes_type", "dict_type"}:
        return _("is not valid JSON")
    return _("is not valid")


def validation_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    details = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        where, path = (loc[0], loc[1:]) if loc else ("", [])
        if where == "body" and path:  # the view's argument name ("payload") means nothing to the caller
            path = path[1:]
        name = ".".join(path) or where
        label = FIELD_LABELS.get(path[-1] if path else name)
        field = _("%(label)s (%(name)s)") % {"label": label, "name": name} if label else name
        details.append(
            {
                "field": name,
                "in": where,
                "type": error.get("type", ""),
                "message": _("%(field)s %(reason)s") % {"field": field, "reason": _reason(error)},
            }
        )
    return details


def install(api) -> None:
    """Replace django-ninja's default handlers with ours."""

    def on_validation_error(request, exc: ValidationError) -> HttpResponse:
        details = validation_details(exc.errors)
        problems = "; ".join(d["message"] for d in details)
        return error_response(422, _("The request is not valid: %(problems)s") % {"problems": problems}, details)

    def on_authentication_error(request, exc: AuthenticationError) -> HttpResponse:
        if isinstance(exc, InvalidToken):
            return error_response(
                401,
                _(
                    "The API token is not valid: it is unknown, was revoked, has expired, or ended when the password "
                    "was changed. Create a new token on your profile page."
                ),
            )
        return error_response(
            401, _("Log in first, or send a valid API token in the Authorization header (Bearer xy_...).")
        )

    def on_http_error(request, exc: HttpError) -> HttpResponse:
        if exc.status_code == 403 and "csrf" in str(exc).lower():
            return error_response(403, _("The CSRF check failed: reload the page and try again."))
        if exc.status_code == 404:
            return error_response(404, _("Not found, or you may not see it."))
        messages = {
            400: _("The request is not valid."),
            403: _("You may not do this."),
            429: _("Too many requests. Please wait a moment and try again."),
        }
        return error_response(exc.status_code, messages.get(exc.status_code, _("The request failed.")))

    def on_not_found(request, exc: Http404) -> HttpResponse:
        return error_response(404, str(NOT_FOUND.get(str(exc), gettext_lazy("Not found, or you may not see it."))))

    def on_too_big(request, exc: RequestDataTooBig) -> HttpResponse:
        return error_response(
            413,
            _("The request is too large: at most %(limit)s.")
            % {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)},
        )

    def on_suspicious(request, exc: SuspiciousOperation) -> HttpResponse:
        logger.warning("API request refused on %s %s: %s", request.method, request.path, exc)
        return error_response(400, _("The request is not valid."))

    def on_server_error(request, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return error_response(500, _("Something went wrong on the server. Please try again later."))

    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(AuthenticationError, on_authentication_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(SuspiciousOperation, on_suspicious)
    api.add_exception_handler(Exception, on_server_error)


def not_found(request=None) -> HttpResponse:
    return error_response(404, _("Not found, or you may not see it."))


def unknown_path(request, *args, **kwargs) -> HttpResponse:
    return error_response(404, _("There is no API endpoint at %(path)s.") % {"path": request.path})


def method_not_allowed(request, allowed) -> HttpResponse:
    response = error_response(
        405, _("%(path)s does not accept the %(method)s method.") % {"path": request.path, "method": request.method}
    )
    response["Allow"] = allowed
    return response


# --- the errors in the OpenAPI document ---------------------------------------------------------------------

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string", "description": "Simplified Chinese, for the user"},
                "details": {"type": "array", "items": {"type": "object"}},
            },
        }
    },
}
ERROR_DESCRIPTIONS = {
    400: "The request body is not valid JSON",
    401: "Not logged in, or the API token is not valid",
    403: "The CSRF check failed (session callers), or the action is not allowed",
    404: "Missing, or not visible to the caller (the two read alike)",
    413: "The request body is over the size limit",
    422: "A parameter or field is not valid, or the action was refused (the message says why)",
}
UNSAFE_METHODS = {"post", "put", "patch", "delete"}


def operation_errors(method: str, operation: dict[str, Any]) -> list[int]:
    """The error statuses an operation can answer, from what it takes: auth, parameters, a body, its method."""
    secured, unsafe = bool(operation.get("security")), method.lower() in UNSAFE_METHODS
    params, body = bool(operation.get("parameters")), "requestBody" in operation
    path_params = any(p.get("in") == "path" for p in operation.get("parameters", []))
    codes = {
        400: body,
        401: secured,
        403: secured and unsafe,
        404: path_params or body,
        413: body or unsafe,
        422: params or body or unsafe,
    }
    return [code for code, applies in codes.items() if applies]


def also_answers(*codes: int) -> dict[str, Any]:
    """`openapi_extra` for an operation that can answer an error its shape does not imply (a list answering 404 to a
    role that may not see it at all): `@router.get("", openapi_extra=also_answers(404))`."""
    ref = {"$ref": "#/components/schemas/Error"}
    return {
        "responses": {
            str(code): {"description": ERROR_DESCRIPTIONS[code], "content": {"application/json": {"schema": ref}}}
            for code in codes
        }
    }


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add to every operation of an OpenAPI document the error responses it can answer, in the one error shape."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for methods in schema.get("paths", {}).values():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            for code in operation_errors(method, operation):
                if code not in responses and str(code) not in responses:
                    responses[code] = {
                        "description": ERROR_DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": ref}},
                    }
    return schema
