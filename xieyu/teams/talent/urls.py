from django.urls import path

from . import views

urlpatterns = [
    path("", views.talent_mine, name="talent_mine"),
    path("<id:pk>/withdraw/", views.talent_withdraw, name="talent_withdraw"),
    path("invitations/<id:pk>/answer/", views.talent_answer, name="talent_answer"),
    path("search/", views.talent_search, name="talent_search"),
    path("sessions/new/", views.talent_session_create, name="talent_session_create"),
    path("profiles/<id:pk>/", views.talent_profile, name="talent_profile"),
    path("profiles/<id:pk>/invite-session/", views.talent_invite_session, name="talent_invite_session"),
    path("profiles/<id:pk>/invite-team/", views.talent_invite_team, name="talent_invite_team"),
    path("invitations/<id:pk>/check/", views.talent_check, name="talent_check"),
    path("invitations/<id:pk>/cancel/", views.talent_invitation_cancel, name="talent_invitation_cancel"),
]
