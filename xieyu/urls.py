from django.contrib import admin
from django.urls import include, path

from xieyu.api.api import api
from xieyu.core import views as core_views
from xieyu.directory import views as directory_views

urlpatterns = [
    path("", directory_views.home, name="home"),
    path("ping", core_views.ping, name="ping"),
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("xieyu.accounts.urls")),
    path("", include("xieyu.directory.urls")),
    path("deadlines/", include("xieyu.deadlines.urls")),
    path("notices/", include("xieyu.notices.urls")),
    path("events/", include("xieyu.events.urls")),
    path("parent-school/", include("xieyu.parentschool.urls")),
    path("questions/", include("xieyu.questions.urls")),
    path("care/", include("xieyu.care.urls")),
    path("committees/", include("xieyu.committees.urls")),
    path("burden/", include("xieyu.burden.urls")),
    path("teams/", include("xieyu.teams.urls")),
    path("venues/", include("xieyu.venues.urls")),
    path("column/", include("xieyu.publicity.urls")),
    path("awards/", include("xieyu.awards.urls")),
    path("surveys/evaluation/", include("xieyu.surveys.evaluation.urls")),
    path("surveys/", include("xieyu.surveys.urls")),
    path("dashboard/", include("xieyu.dashboard.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "xieyu.core.views.bad_request"
handler403 = "xieyu.core.views.permission_denied"
handler404 = "xieyu.core.views.page_not_found"
