from django.apps import AppConfig


class CareConfig(AppConfig):
    """Children in difficulty and special families: registry, cases, consent and referrals, rights, figures."""

    name = "xieyu.care"
    label = "care"

    def ready(self) -> None:
        # Each subdomain connects its own home sections, role homes, receivers and scheduled jobs (its wiring.py).
        from . import receivers  # noqa: F401 — a child's care records follow them to a new school
        from .cases import wiring as cases_wiring
        from .figures import wiring as figures_wiring
        from .referrals import wiring as referrals_wiring
        from .registry import wiring as registry_wiring
        from .rights import wiring as rights_wiring

        for wiring in (registry_wiring, cases_wiring, referrals_wiring, rights_wiring, figures_wiring):
            wiring.connect()
