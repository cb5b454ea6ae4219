from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "xieyu.notices"
    label = "notices"
