from django.urls import path

from . import views

urlpatterns = [
    path("", views.guide, name="gaokao_guide"),
    path("table/", views.table, name="gaokao_table"),
    path("table/new/", views.row_create, name="gaokao_row_create"),
    path("table/import/", views.table_import, name="gaokao_import"),
    path("table/export/", views.table_export, name="gaokao_export"),
    path("table/<id:pk>/", views.row_edit, name="gaokao_row_edit"),
    path("table/<id:pk>/delete/", views.row_delete, name="gaokao_row_delete"),
]
