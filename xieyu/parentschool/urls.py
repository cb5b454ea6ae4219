from django.urls import path

from . import views

app_name = "parentschool"
urlpatterns = [
    path("school/<id:pk>/", views.school_page, name="school"),
    path("school/<id:pk>/rules/<id:doc_pk>/", views.rules_file, name="rules_file"),
    path("session/<id:pk>/", views.session_page, name="session"),
    path("class/<id:pk>/reach/", views.class_reach, name="class_reach"),
    path("record/", views.learning_record, name="record"),
    path("record/certificate/", views.certificate, name="certificate"),
    path("county/<id:pk>/", views.county_coverage, name="coverage"),
]
