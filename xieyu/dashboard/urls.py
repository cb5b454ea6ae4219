from django.urls import include, path

from .figures import views

app_name = "dashboard"
urlpatterns: list = [
    path("", views.home, name="home"),
    path("county/<int:pk>/", views.county, name="county"),
    path("county/<int:pk>/report.pdf", views.report, name="report"),
    path("county/<int:pk>/rankings/<slug:metric>/notify/", views.notify, name="notify"),
    path("school/<int:pk>/", views.school, name="school"),
    path("school/<int:school_pk>/class/<int:pk>/", views.school_class, name="school_class"),
    path("leadership/", include("xieyu.dashboard.leadership.urls")),
    path("resources/", include("xieyu.dashboard.resources.urls")),
    path("<str:level>/<int:pk>/export.xlsx", views.export, name="export"),
]
