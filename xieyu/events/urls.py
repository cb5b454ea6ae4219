from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("calendar.ics", views.my_ics, name="my_ics"),
    path("school/<id:pk>/", views.school_calendar, name="school_calendar"),
    path("school/<id:pk>/calendar.ics", views.school_ics, name="school_ics"),
    path("county/<id:pk>/", views.county_calendar, name="county_calendar"),
    path("county/<id:pk>/calendar.ics", views.county_ics, name="county_ics"),
    path("<id:pk>/", views.event_detail, name="detail"),
    path("<id:pk>/register/", views.event_register, name="register"),
    path("<id:pk>/unregister/", views.event_unregister, name="unregister"),
    path("<id:pk>/feedback/", views.event_feedback, name="feedback"),
    path("<id:pk>/publish/", views.event_publish, name="publish"),
    path("<id:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<id:pk>/materials/", views.material_add, name="material_add"),
    path("<id:pk>/materials/<id:material_pk>/", views.material_file, name="material_file"),
    path("<id:pk>/qr/", views.event_qr, name="qr"),
    path("<id:pk>/scan/", views.event_scan, name="scan"),
    path("<id:pk>/attendance/", views.event_attendance, name="attendance"),
    path("<id:pk>/attendance.xlsx", views.event_export, name="export"),
    path("<id:pk>/attendance/walk-in/", views.event_walk_in, name="walk_in"),
    path("<id:pk>/attendance/paper/", views.event_paper, name="paper"),
    path("<id:pk>/attendance/sheet/", views.event_sheet, name="sheet"),
]
