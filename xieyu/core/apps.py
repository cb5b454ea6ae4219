from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "xieyu.core"
    label = "core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import mark_session_fresh

        user_logged_in.connect(mark_session_fresh, dispatch_uid="core.mark_session_fresh")
