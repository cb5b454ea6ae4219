from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xieyu.accounts"
    label = "accounts"
