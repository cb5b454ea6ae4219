from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xieyu.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.urls import register_converter

        from .middleware import mark_session_fresh
        from .viewhelpers import IdConverter

        register_converter(IdConverter, "id")  # `<id:pk>`: every id in a page's address, bounded like parse_id

        user_logged_in.connect(mark_session_fresh, dispatch_uid="core.mark_session_fresh")
