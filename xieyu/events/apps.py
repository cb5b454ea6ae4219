from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "xieyu.events"
    label = "events"
