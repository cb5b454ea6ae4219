from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("consent/", views.consent, name="consent"),
    path("staff/", views.staff_home, name="staff"),
    path("class/<id:pk>/", views.class_figures, name="class"),
    path("school/<id:pk>/", views.school_figures, name="school"),
    path("school/<id:pk>/candidates/", views.candidates, name="candidates"),
    path("county/<id:pk>/", views.county_figures, name="county"),
    path("county/<id:pk>/instrument/", views.instrument, name="instrument"),
    path("county/<id:pk>/instrument/install/", views.instrument_install, name="instrument_install"),
    path("talks/", views.suggestions, name="suggestions"),
    path("talks/<id:pk>/", views.suggestion, name="suggestion"),
]
