from django.urls import path

from . import views

urlpatterns = [
    path("", views.community_activities, name="community_activities"),
    path("activities/", views.community_events, name="community_events"),
    path("facilities/", views.facility_list, name="facility_list"),
    path("facilities/new/", views.facility_new, name="facility_new"),
    path("facilities/<id:pk>/edit/", views.facility_edit, name="facility_edit"),
    path("exchanges/", views.exchange_list, name="exchange_list"),
]
