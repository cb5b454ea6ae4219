from django.urls import path

from . import views

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("work/", views.worklist, name="case_worklist"),
    path("new/", views.case_create, name="case_create"),
    path("<id:pk>/", views.case_detail, name="case_detail"),
    path("<id:pk>/edit/", views.case_edit, name="case_edit"),
    path("<id:pk>/submit/", views.case_submit, name="case_submit"),
    path("<id:pk>/approve/", views.case_approve, name="case_approve"),
    path("<id:pk>/publish/", views.case_publish, name="case_publish"),
    path("<id:pk>/return/", views.case_return, name="case_return"),
    path("<id:pk>/photos/", views.photo_add, name="case_photo_add"),
    path("photos/<id:pk>/", views.photo_file, name="case_photo"),
    path("photos/<id:pk>/remove/", views.photo_remove, name="case_photo_remove"),
]
