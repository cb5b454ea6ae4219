from django.urls import path

from . import views

urlpatterns = [
    path("", views.visit_plan, name="visit_plan"),
    path("coverage/", views.visit_coverage, name="visit_coverage"),
    path("family/<id:pk>/new/", views.visit_new, name="visit_new"),
    path("<id:pk>/", views.visit_detail, name="visit_detail"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<id:pk>/", views.meeting_minutes, name="meeting_minutes"),
    path("flags/<id:pk>/meeting/", views.flag_meeting_new, name="flag_meeting_new"),
]
