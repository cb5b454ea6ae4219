from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("calendar.ics", views.my_ics, name="my_ics"),
    path("school/<int:pk>/", views.school_calendar, name="school_calendar"),
    path("school/<int:pk>/calendar.ics", views.school_ics, name="school_ics"),
    path("county/<int:pk>/", views.county_calendar, name="county_calendar"),
    path("county/<int:pk>/calendar.ics", views.county_ics, name="county_ics"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/register/", views.event_register, name="register"),
    path("<int:pk>/unregister/", views.event_unregister, name="unregister"),
    path("<int:pk>/feedback/", views.event_feedback, name="feedback"),
    path("<int:pk>/publish/", views.event_publish, name="publish"),
    path("<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<int:pk>/materials/", views.material_add, name="material_add"),
    path("<int:pk>/materials/<int:material_pk>/", views.material_file, name="material_file"),
    path("<int:pk>/qr/", views.event_qr, name="qr"),
    path("<int:pk>/scan/", views.event_scan, name="scan"),
    path("<int:pk>/attendance/", views.event_attendance, name="attendance"),
    path("<int:pk>/attendance.xlsx", views.event_export, name="export"),
]
