from django.urls import path

from . import joining, roster_views, views

app_name = "directory"
urlpatterns = [
    # Pages by role (views.py)
    path("classes/<id:pk>/", views.class_roster, name="class_roster"),
    path("students/<id:pk>/", views.student_detail, name="student_detail"),
    path("schools/<id:pk>/", views.school_overview, name="school_overview"),
    # Guardians join a class (joining.py)
    path("join/", joining.join_start, name="join_start"),
    path("join/<str:code>/", joining.join_class, name="join_class"),
    path("classes/<id:pk>/join-qr.svg", joining.class_qr, name="class_qr"),
    path("classes/<id:pk>/join-poster/", joining.class_poster, name="class_poster"),
    path("join-requests/", joining.join_requests, name="join_requests"),
    path("join-requests/<id:pk>/decide/", joining.join_decide, name="join_decide"),
    # Roster import and export (roster_views.py)
    path("roster/", roster_views.roster_start, name="roster_import"),
    path("schools/<id:pk>/roster/", roster_views.roster_upload, name="roster_upload"),
    path("schools/<id:pk>/roster/template.xlsx", roster_views.roster_template, name="roster_template"),
    path("schools/<id:pk>/roster/export.xlsx", roster_views.roster_export, name="roster_export"),
    path("roster/imports/<id:pk>/", roster_views.import_detail, name="import_detail"),
    path("roster/imports/<id:pk>/commit/", roster_views.import_commit, name="import_commit"),
]
