from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("overdue/", views.overdue, name="overdue"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("<id:pk>/", views.detail, name="detail"),
]
