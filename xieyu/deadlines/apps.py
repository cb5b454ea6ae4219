from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "xieyu.deadlines"
    label = "deadlines"
