from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "xieyu.directory"
    label = "directory"
