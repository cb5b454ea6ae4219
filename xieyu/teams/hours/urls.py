from django.urls import path

from . import views

urlpatterns = [
    path("mine/", views.my_hours, name="my_hours"),
    path("assignments/<id:pk>/", views.assignment_hours, name="assignment_hours"),
    path("assignments/<id:pk>/check-in/", views.checkin, name="hours_checkin"),
    path("assignments/<id:pk>/check-out/", views.checkout, name="hours_checkout"),
    path("assignments/<id:pk>/entry/", views.entry, name="hours_entry"),
    path("records/<id:pk>/dispute/", views.dispute, name="hours_dispute"),
    path("records/<id:pk>/answer/", views.answer, name="hours_answer"),
    path("sign/", views.sign_list, name="hours_sign_list"),
    path("sign/confirm/", views.sign, name="hours_sign"),
    path("county/", views.county, name="hours_county"),
    path("county/export.xlsx", views.county_export, name="hours_county_export"),
    path("certificate/<int:year>/", views.certificate, name="hours_certificate"),
    path("verify/<str:code>/", views.verify_page, name="hours_verify"),
]
