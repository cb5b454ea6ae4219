from django.urls import path

from . import views

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("open/", views.case_open, name="case_open"),
    path("request/", views.case_request, name="case_request"),
    path("requests/<id:pk>/claim/", views.case_claim, name="case_claim"),
    path("actions/", views.case_actions, name="case_actions"),
    path("actions/<id:pk>/done/", views.case_action_done, name="case_action_done"),
    path("review/", views.case_review_list, name="case_review_list"),
    path("review/<id:pk>/", views.case_glass_review, name="case_glass_review"),
    path("approvals/<id:pk>/decide/", views.case_approval_decide, name="case_approval_decide"),
    path("<id:pk>/", views.case_detail, name="case_detail"),
    path("<id:pk>/break-glass/", views.case_break_glass, name="case_break_glass"),
    path("<id:pk>/section/", views.case_section, name="case_section"),
    path("<id:pk>/move/", views.case_move, name="case_move"),
    path("<id:pk>/approval/", views.case_approval, name="case_approval"),
    path("<id:pk>/services/", views.case_service, name="case_service"),
    path("<id:pk>/services/<id:item>/", views.case_service_update, name="case_service_update"),
    path("<id:pk>/follow-ups/", views.case_follow_up, name="case_follow_up"),
    path("<id:pk>/flags/", views.case_flag, name="case_flag"),
    path("<id:pk>/flags/<id:item>/lift/", views.case_flag_lift, name="case_flag_lift"),
    path("<id:pk>/shares/", views.case_share, name="case_share"),
    path("<id:pk>/reassign/", views.case_reassign, name="case_reassign"),
    path("<id:pk>/shares/<id:item>/end/", views.case_share_end, name="case_share_end"),
    path("<id:pk>/actions/", views.case_action, name="case_action"),
    path("<id:pk>/report/", views.case_report, name="case_report"),
    path("<id:pk>/reports/<id:item>/reference/", views.case_report_reference, name="case_report_reference"),
]
