from django.db import connection
from django.http import HttpResponse, JsonResponse


def ping(request):
    """The trivial view benchmarks compare against."""
    return HttpResponse("ok", content_type="text/plain")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
