from django.apps import AppConfig


class AwardsConfig(AppConfig):
    """Selection campaigns (评选): nomination, school and county review, public votes, 公示 with objections, results."""

    name = "xieyu.awards"
    label = "awards"

    def ready(self) -> None:
        from .campaigns import wiring as campaigns_wiring
        from .votes import wiring as votes_wiring

        for wiring in (campaigns_wiring, votes_wiring):
            wiring.connect()
