from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", views.logout, name="logout"),
    path("me/", views.profile, name="profile"),
    path("me/password/", views.password, name="password"),
    path("me/tokens/", views.token_new, name="token_create"),
    path("me/tokens/<id:pk>/revoke/", views.token_delete, name="token_revoke"),
    path("me/role/", views.switch_role, name="switch_role"),
    path("me/care-mode/", views.care_mode, name="care_mode"),
]
