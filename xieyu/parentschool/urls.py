from django.urls import path

from . import views

app_name = "parentschool"
urlpatterns = [
    path("school/<int:pk>/", views.school_page, name="school"),
    path("school/<int:pk>/rules/<int:doc_pk>/", views.rules_file, name="rules_file"),
    path("session/<int:pk>/", views.session_page, name="session"),
    path("class/<int:pk>/reach/", views.class_reach, name="class_reach"),
    path("record/", views.learning_record, name="record"),
    path("record/certificate/", views.certificate, name="certificate"),
    path("county/<int:pk>/", views.county_coverage, name="coverage"),
]
