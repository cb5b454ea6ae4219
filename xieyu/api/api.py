"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json). One router per domain.

Auth: `Authorization: Bearer xy_...` or a logged-in session (CSRF on for unsafe methods): xieyu/accounts/api_auth.py.
Every error answers in one shape, {"error": {"code", "message", "details"}} (xieyu/core/api/errors.py), even for
paths and methods the API lacks, and the OpenAPI document lists the errors each operation can answer. Text holding a
NUL character or an unpaired surrogate is refused with a 422 naming the field (xieyu/core/api/text.py).

This module is the top layer: it imports the domains' routers; the domains import only xieyu.core.api.
"""

from __future__ import annotations

import functools

from django.http import HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from django.views.decorators.csrf import csrf_exempt

from xieyu.accounts.api import router as accounts_router
from xieyu.accounts.api_auth import AUTH
from xieyu.awards.api import router as awards_router
from xieyu.burden.api import router as burden_router
from xieyu.care.api import router as care_router
from xieyu.committees.api import router as committees_router
from xieyu.core.api import errors
from xieyu.core.api.text import TextCheckingAPI
from xieyu.core.viewhelpers import parse_id
from xieyu.dashboard.api import router as dashboard_router
from xieyu.directory.api import router as directory_router
from xieyu.events.api import router as events_router
from xieyu.notices.api import router as notices_router
from xieyu.parentschool.api import router as parentschool_router
from xieyu.publicity.api import router as publicity_router
from xieyu.questions.api import router as questions_router
from xieyu.surveys.api import router as surveys_router
from xieyu.surveys.evaluation.api import router as evaluation_router
from xieyu.teams.api import router as teams_router
from xieyu.venues.api import router as venues_router


def _is_id_out_of_range(value) -> bool:
    """A path id the database cannot hold (every path parameter of this API is an id)."""
    if isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isdigit()):
        return parse_id(value) is None
    return False


def _api_edge(view):
    """Every operation: a path id out of the database's range is 404 before any lookup; a wrong method is 405."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if any(_is_id_out_of_range(value) for value in kwargs.values()):
            return errors.not_found(request)
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            return errors.method_not_allowed(request, response["Allow"])
        return response

    return wrapped


class XieYuAPI(TextCheckingAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return errors.document_errors(schema)

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _api_edge(pattern.callback)
        urls.append(re_path(r"^[\s\S]*$", csrf_exempt(errors.unknown_path), name="unknown"))  # newlines too
        return urls


api = XieYuAPI(title="XieYu API", version="1", urls_namespace="api", auth=AUTH)
errors.install(api)
api.add_router("/", accounts_router, tags=["accounts"])
api.add_router("/", directory_router, tags=["directory"])
api.add_router("/notices", notices_router, tags=["notices"])
api.add_router("/questions", questions_router, tags=["questions"])
api.add_router("/events", events_router, tags=["events"])
api.add_router("/parent-school", parentschool_router, tags=["parentschool"])
api.add_router("/care", care_router, tags=["care"])
api.add_router("/committees", committees_router, tags=["committees"])
api.add_router("/burden", burden_router, tags=["burden"])
api.add_router("/teams", teams_router, tags=["teams"])
api.add_router("/venues", venues_router, tags=["venues"])
api.add_router("/column", publicity_router, tags=["publicity"])
api.add_router("/awards", awards_router, tags=["awards"])
api.add_router("/surveys/evaluation", evaluation_router, tags=["surveys"])
api.add_router("/surveys", surveys_router, tags=["surveys"])
api.add_router("/dashboard", dashboard_router, tags=["dashboard"])
