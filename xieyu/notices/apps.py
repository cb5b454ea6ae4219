from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "xieyu.notices"
    label = "notices"

    def ready(self) -> None:
        from xieyu.directory.home import ACTION, INBOX, RECENT, STAFF, register_home_section

        from . import home

        register_home_section("notices.to_answer", group=ACTION, order=20, provider=home.to_answer)
        register_home_section("notices.recent", group=RECENT, order=20, provider=home.recent)
        register_home_section("notices.inbox", group=INBOX, order=10, provider=home.inbox, audience=STAFF)
