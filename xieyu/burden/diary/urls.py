from django.urls import path

from . import views

urlpatterns = [
    path("", views.diary_today, name="diary_today"),
    path("opt-out/", views.diary_optout, name="diary_optout"),
    path("d/<str:token>/", views.diary_answer, name="diary_answer"),
]
