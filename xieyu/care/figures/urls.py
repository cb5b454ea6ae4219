from django.urls import path

from . import views

urlpatterns = [
    path("", views.figures, name="figures"),
    path("export.xlsx", views.figures_export, name="figures_export"),
    path("refresh", views.figures_refresh, name="figures_refresh"),
]
