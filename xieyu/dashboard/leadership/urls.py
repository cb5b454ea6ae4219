from django.urls import path

from . import views

urlpatterns = [
    path("groups/", views.group_list, name="leadership_groups"),
    path("groups/new/", views.group_create, name="leadership_group_create"),
    path("groups/<int:pk>/", views.group_detail, name="leadership_group"),
    path("groups/<int:pk>/members/", views.member_add, name="leadership_member_add"),
    path("members/<int:pk>/end/", views.member_end, name="leadership_member_end"),
    path("plans/", views.plan_list, name="leadership_plans"),
    path("plans/new/", views.plan_create, name="leadership_plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="leadership_plan"),
    path("plans/<int:pk>/tasks/", views.task_create, name="leadership_task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="leadership_task"),
    path("tasks/<int:pk>/status/", views.task_status, name="leadership_task_status"),
    path("tasks/<int:pk>/evidence/", views.evidence_add, name="leadership_evidence_add"),
    path("tasks/<int:pk>/complete/", views.task_complete, name="leadership_task_complete"),
    path("tasks/<int:pk>/assign/", views.task_assign, name="leadership_task_assign"),
    path("tasks/<int:pk>/remind/", views.task_remind, name="leadership_task_remind"),
    path("evidence/<int:pk>/", views.evidence_file, name="leadership_evidence_file"),
    path("progress/", views.progress, name="leadership_progress"),
]
