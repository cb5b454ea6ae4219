from django.urls import path

from . import views

urlpatterns = [
    path("", views.appraisal_list, name="appraisal_list"),
    path("open/", views.appraisal_open, name="appraisal_open"),
    path("<id:pk>/", views.appraisal_results, name="appraisal_results"),
    path("<id:pk>/close/", views.appraisal_close, name="appraisal_close"),
    path("moderation/", views.appraisal_moderation, name="appraisal_moderation"),
    path("comments/<id:pk>/moderate/", views.appraisal_moderate, name="appraisal_moderate"),
    path("family/", views.appraisal_family, name="appraisal_family"),
    path("<id:pk>/answer/", views.appraisal_answer, name="appraisal_answer"),
]
