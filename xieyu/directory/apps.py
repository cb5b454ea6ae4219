from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "xieyu.directory"
    label = "directory"

    def ready(self) -> None:
        from xieyu.accounts.hooks import register_directory

        from . import (
            signals,  # noqa: F401 — connects the login receiver
            tallies,
        )
        from .access import children_overview, join_requests_of
        from .home import ACTION, join_requests_section, register_home_section
        from .models import Guardian
        from .services import guardian_claim_account, guardian_on_roster

        register_directory(
            is_guardian=lambda user: Guardian.objects.filter(user=user).exists(),
            phone_on_roster=lambda phone: guardian_on_roster(phone) is not None,
            claim_account=lambda phone: guardian_claim_account(phone=phone),
            profile_context=lambda user: {"children": children_overview(user), "join_requests": join_requests_of(user)},
        )
        tallies.connect()
        register_home_section("directory.join_requests", group=ACTION, order=10, provider=join_requests_section)
