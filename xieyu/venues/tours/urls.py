from django.urls import path

from . import views

urlpatterns = [
    path("", views.tour_list, name="tour_list"),
    path("new/", views.tour_create, name="tour_create"),
    path("<id:pk>/", views.tour_detail, name="tour_detail"),
    path("<id:pk>/edit/", views.tour_edit, name="tour_edit"),
    path("<id:pk>/stops/", views.stop_add, name="stop_add"),
    path("<id:pk>/stops/<id:stop_pk>/cancel/", views.stop_cancel, name="stop_cancel"),
]
