from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xieyu.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from xieyu.audit.services import register_roles_of

        from .scope import roles_held

        register_roles_of(roles_held)  # audit rows snapshot the actor's roles through the one scope
        user_logged_in.connect(carry_care_mode_into_account, dispatch_uid="accounts.carry_care_mode")


def carry_care_mode_into_account(sender, request, user, **kwargs) -> None:
    """A grandmother who turned on care mode at the login page keeps it once logged in: the phone's choice (the
    care_mode cookie) is saved on the account. Only "on" is carried over; turning it off is done on purpose."""
    from .services import user_set_care_mode

    if request is not None and request.COOKIES.get("care_mode") == "1" and not user.care_mode:
        user_set_care_mode(actor=user, user=user, on=True)
