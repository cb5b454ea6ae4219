from django.urls import path

from . import views

urlpatterns = [
    path("", views.committee_list, name="list"),
    path("new/", views.committee_create, name="create"),
    path("mine/", views.committee_mine, name="mine"),
    path("<int:pk>/", views.committee_detail, name="detail"),
    path("<int:pk>/members/add/", views.member_add, name="member_add"),
    path("members/<int:pk>/end/", views.member_end, name="member_end"),
    path("<int:pk>/charter/", views.charter_page, name="charter"),
    path("<int:pk>/charter/diff/", views.charter_diff, name="charter_diff"),
    path("<int:pk>/charter/draft/", views.charter_draft, name="charter_draft"),
    path("charter/<int:pk>/", views.charter_version, name="charter_version"),
    path("charter/<int:pk>/adopt/", views.charter_adopt, name="charter_adopt"),
    path("<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/invite/", views.meeting_invite, name="meeting_invite"),
    path("meetings/<int:pk>/rsvp/", views.meeting_rsvp, name="meeting_rsvp"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/resolutions/", views.resolution_add, name="resolution_add"),
    path("meetings/<int:pk>/actions/", views.action_add, name="action_add"),
    path("meetings/<int:pk>/publish/", views.meeting_publish, name="meeting_publish"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("actions/<int:pk>/done/", views.action_done, name="action_done"),
]
