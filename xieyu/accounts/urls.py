from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("me/", views.profile, name="profile"),
    path("me/role/", views.switch_role, name="switch_role"),
    path("me/care-mode/", views.care_mode, name="care_mode"),
]
