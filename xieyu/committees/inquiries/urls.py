from django.urls import path

from . import views

urlpatterns = [
    path("", views.inquiry_list, name="inquiry_list"),
    path("new/", views.inquiry_new, name="inquiry_new"),
    path("overview/", views.inquiry_overview, name="inquiry_overview"),
    path("settings/", views.inquiry_settings, name="inquiry_settings"),
    path("<id:pk>/", views.inquiry_detail, name="inquiry_detail"),
    path("<id:pk>/sign/", views.inquiry_sign, name="inquiry_sign"),
    path("<id:pk>/unsign/", views.inquiry_unsign, name="inquiry_unsign"),
    path("<id:pk>/withdraw/", views.inquiry_withdraw, name="inquiry_withdraw"),
    path("<id:pk>/acknowledge/", views.inquiry_acknowledge, name="inquiry_acknowledge"),
    path("<id:pk>/pause/", views.inquiry_pause, name="inquiry_pause"),
    path("<id:pk>/resume/", views.inquiry_resume, name="inquiry_resume"),
    path("<id:pk>/answer/", views.inquiry_answer, name="inquiry_answer"),
    path("<id:pk>/accept/", views.inquiry_accept, name="inquiry_accept"),
    path("<id:pk>/follow-up/", views.inquiry_follow_up, name="inquiry_follow_up"),
    path("<id:pk>/direct/", views.inquiry_direct, name="inquiry_direct"),
    path("concerns/", views.concern_inbox, name="concern_inbox"),
    path("concerns/new/", views.concern_new, name="concern_new"),
    path("concerns/<id:pk>/", views.concern_detail, name="concern_detail"),
    path("concerns/<id:pk>/acknowledge/", views.concern_acknowledge, name="concern_acknowledge"),
    path("concerns/<id:pk>/answer/", views.concern_answer, name="concern_answer"),
]
