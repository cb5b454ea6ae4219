from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "xieyu.events"
    label = "events"

    def ready(self) -> None:
        from xieyu.directory.home import COMING, STAFF, register_home_section

        from . import home

        register_home_section("events.registered", group=COMING, order=10, provider=home.registered)
        register_home_section("events.school", group=COMING, order=10, provider=home.school_events, audience=STAFF)
