from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xieyu.api"
    label = "api"
