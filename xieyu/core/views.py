from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render


def ping(request):
    """The trivial view benchmarks compare against."""
    return HttpResponse("ok", content_type="text/plain")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error_page(request, status: int):
    # The care-mode switch on an error page returns home, so a missing and a forbidden address read alike.
    return render(request, f"{status}.html", {"care_next": "/"}, status=status)


def bad_request(request, exception=None):
    return _error_page(request, 400)


def permission_denied(request, exception=None):
    return _error_page(request, 403)


def page_not_found(request, exception=None):
    return _error_page(request, 404)
