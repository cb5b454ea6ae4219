from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    """家委会: committees, members, charters, meetings; inquiries (质询) and their answers; appraisals (评议)."""

    name = "xieyu.committees"
    label = "committees"

    def ready(self) -> None:
        # Each subdomain connects its own home sections, receivers and scheduled jobs (its wiring.py).
        from .appraisals import wiring as appraisals_wiring
        from .bodies import wiring as bodies_wiring
        from .inquiries import wiring as inquiries_wiring

        for wiring in (bodies_wiring, inquiries_wiring, appraisals_wiring):
            wiring.connect()
