from django.urls import path

from . import views

urlpatterns = [
    path("", views.resources_home, name="resources"),
    path("export.xlsx", views.resources_export, name="resources_export"),
    path("new/", views.report_create, name="resources_create"),
    path("<int:pk>/", views.report_detail, name="resources_report"),
    path("<int:pk>/edit/", views.report_update, name="resources_update"),
    path("<int:pk>/submit/", views.report_submit, name="resources_submit"),
    path("<int:pk>/return/", views.report_return, name="resources_return"),
]
