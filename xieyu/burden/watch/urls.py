from django.urls import path

from . import views

urlpatterns = [
    path("class/<int:pk>/", views.class_page, name="class"),
    path("school/<int:pk>/", views.school_page, name="school"),
    path("county/<int:pk>/", views.county_page, name="county"),
]
