from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xieyu.accounts"
    label = "accounts"

    def ready(self) -> None:
        from xieyu.audit.services import register_roles_of

        from .scope import roles_held

        register_roles_of(roles_held)  # audit rows snapshot the actor's roles through the one scope
