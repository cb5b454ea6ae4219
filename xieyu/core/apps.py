from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xieyu.core"
    label = "core"
