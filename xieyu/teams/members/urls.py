from django.urls import path

from . import views

urlpatterns = [
    path("", views.team_list, name="team_list"),
    path("create/", views.team_create, name="team_create"),
    path("<id:pk>/", views.team_detail, name="team_detail"),
    path("<id:pk>/apply/", views.apply, name="apply"),
    path("mine/", views.my_teams, name="my_teams"),
    path("checks/lapsing/", views.checks_lapsing, name="checks_lapsing"),
    path("members/<id:pk>/", views.member_detail, name="member_detail"),
    path("members/<id:pk>/identity/", views.member_identity, name="member_identity"),
    path("members/<id:pk>/check/", views.member_check, name="member_check"),
    path("members/<id:pk>/references/", views.member_references, name="member_references"),
    path("members/<id:pk>/approve/", views.member_approve, name="member_approve"),
    path("members/<id:pk>/decline/", views.member_decline, name="member_decline"),
    path("members/<id:pk>/leave/", views.member_leave, name="member_leave"),
    path("members/<id:pk>/profile/", views.member_profile, name="member_profile"),
    path("members/<id:pk>/certificates/", views.certificate_add, name="certificate_add"),
    path("certificates/<id:pk>/file/", views.certificate_file, name="certificate_file"),
    path("skills/", views.skill_list, name="skill_list"),
    path("skills/<id:pk>/rename/", views.skill_rename, name="skill_rename"),
    path("skills/<id:pk>/move/", views.skill_move, name="skill_move"),
    path("skills/<id:pk>/delete/", views.skill_delete, name="skill_delete"),
]
