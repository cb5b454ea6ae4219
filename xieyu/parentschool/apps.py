from django.apps import AppConfig


class ParentschoolConfig(AppConfig):
    name = "xieyu.parentschool"
    label = "parentschool"
