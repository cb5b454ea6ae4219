from django.urls import path

from . import views

urlpatterns = [
    path("", views.registry_list, name="registry_list"),
    path("propose/", views.registry_propose, name="registry_propose"),
    path("<id:pk>/", views.registry_detail, name="registry_detail"),
    path("<id:pk>/edit/", views.registry_edit, name="registry_edit"),
    path("<id:pk>/confirm/", views.registry_confirm, name="registry_confirm"),
    path("<id:pk>/decline/", views.registry_decline, name="registry_decline"),
    path("<id:pk>/remove/", views.registry_remove, name="registry_remove"),
    path("<id:pk>/review/", views.registry_review, name="registry_review"),
    path("<id:pk>/survey/", views.registry_survey, name="registry_survey"),
]
