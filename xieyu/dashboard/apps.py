from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """Pre-aggregated, suppressed figures for county, school and class; leadership groups, work plans, resources."""

    name = "xieyu.dashboard"
    label = "dashboard"

    def ready(self) -> None:
        from .figures import wiring as figures_wiring
        from .leadership import wiring as leadership_wiring

        for wiring in (figures_wiring, leadership_wiring):
            wiring.connect()
