from django.urls import path

from . import views

urlpatterns = [
    path("", views.my_articles, name="my_articles"),
    path("new/", views.article_create, name="article_create"),
    path("import/", views.article_import, name="article_import"),
    path("review/", views.review_queue, name="review_queue"),
    path("<id:pk>/edit/", views.article_edit, name="article_edit"),
    path("<id:pk>/submit/", views.article_submit, name="article_submit"),
    path("<id:pk>/images/", views.image_add, name="image_add"),
    path("<id:pk>/files/", views.file_add, name="file_add"),
    path("<id:pk>/files/<str:token>/remove/", views.file_remove, name="file_remove"),
    path("<id:pk>/versions/", views.versions, name="versions"),
    path("<id:pk>/versions/<id:number>/", views.version_detail, name="version"),
    path("<id:pk>/review/", views.article_review, name="article_review"),
    path("<id:pk>/retract/", views.article_retract, name="article_retract"),
]
