from django.urls import path

from . import views

urlpatterns = [
    path("", views.column, name="column"),
    path("a/<id:pk>/", views.article, name="article"),
    path("a/<id:pk>/media/<str:what>/", views.article_media, name="media"),
    path("a/<id:pk>/push/", views.push, name="push"),
    path("files/<str:token>/", views.article_file, name="file"),
]
