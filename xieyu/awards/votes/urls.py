from django.urls import path

from . import views

urlpatterns = [
    path("<id:pk>/", views.vote, name="vote"),
    path("<id:pk>/tally/", views.tally, name="tally"),
    path("<id:pk>/tally/verify/", views.tally_verify, name="tally_verify"),
    path("<id:pk>/tally/ballots.<str:fmt>", views.tally_download, name="tally_download"),
]
