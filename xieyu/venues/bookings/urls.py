from django.urls import path

from . import views

urlpatterns = [
    path("", views.booking_list, name="bookings"),
    path("venue/<id:pk>/book/", views.booking_create, name="booking_create"),
    path("venue/<id:pk>/family-day/", views.family_day_create, name="family_day_create"),
    path("<id:pk>/", views.booking_detail, name="booking_detail"),
    path("<id:pk>/confirm/", views.booking_confirm, name="booking_confirm"),
    path("<id:pk>/decline/", views.booking_decline, name="booking_decline"),
    path("<id:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
]
