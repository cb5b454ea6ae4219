from django.apps import AppConfig


class TeamsConfig(AppConfig):
    """The guidance center's teams: members and vetting, dispatch to needs, service hours, the parent talent pool,
    and communities both ways."""

    name = "xieyu.teams"
    label = "teams"

    def ready(self) -> None:
        # Each subdomain connects its own home sections, role homes, receivers and scheduled jobs (its wiring.py).
        from .communities import wiring as communities_wiring
        from .dispatch import wiring as dispatch_wiring
        from .hours import wiring as hours_wiring
        from .members import wiring as members_wiring
        from .talent import wiring as talent_wiring

        for wiring in (members_wiring, dispatch_wiring, hours_wiring, talent_wiring, communities_wiring):
            wiring.connect()
