from django.urls import path

from . import views

urlpatterns = [
    path("", views.afterschool, name="afterschool"),
    path("county/", views.afterschool_county, name="afterschool_county"),
]
