from django.urls import path

from . import views

urlpatterns = [
    path("new/", views.report_new, name="report_new"),
    path("inbox/", views.report_inbox, name="report_inbox"),
    path("<id:pk>/", views.report_detail, name="report_detail"),
    path("<id:pk>/act/", views.report_act, name="report_act"),
]
