from django.urls import path

from . import views

urlpatterns = [
    path("", views.venue_list, name="list"),
    path("new/", views.venue_create, name="create"),
    path("mine/", views.my_venues, name="my_venues"),
    path("<id:pk>/", views.venue_detail, name="detail"),
    path("<id:pk>/edit/", views.venue_edit, name="edit"),
    path("<id:pk>/photos/", views.photo_add, name="photo_add"),
    path("photos/<id:pk>/", views.photo_file, name="photo"),
    path("photos/<id:pk>/remove/", views.photo_remove, name="photo_remove"),
]
