from django.apps import AppConfig


class BurdenConfig(AppConfig):
    """五项管理 / 双减: families' one-minute diaries against the national limits, the class flags, 双减 reports,
    after-school service (课后服务) and home visits (家访)."""

    name = "xieyu.burden"
    label = "burden"

    def ready(self) -> None:
        # Each subdomain connects its own home sections, receivers and scheduled jobs (its wiring.py).
        from .afterschool import wiring as afterschool_wiring
        from .diary import wiring as diary_wiring
        from .reports import wiring as reports_wiring
        from .visits import wiring as visits_wiring
        from .watch import wiring as watch_wiring

        for wiring in (diary_wiring, watch_wiring, reports_wiring, afterschool_wiring, visits_wiring):
            wiring.connect()
