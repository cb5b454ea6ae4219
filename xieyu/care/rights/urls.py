from django.urls import path

from . import views

urlpatterns = [
    path("children/<id:pk>/", views.rights_child, name="rights_child"),
    path("children/<id:pk>/print/", views.rights_child_print, name="rights_child_print"),
    path("children/<id:pk>/export.xlsx", views.rights_child_export, name="rights_child_export"),
    path("children/<id:pk>/requests/", views.rights_request_new, name="rights_request_new"),
    path("requests/", views.rights_requests, name="rights_requests"),
    path("requests/<id:pk>/", views.rights_request_answer, name="rights_request_answer"),
]
