from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """One questionnaire engine for the platform: versions, waves, longitudinal answers, the family evaluation."""

    name = "xieyu.surveys"
    label = "surveys"

    def ready(self) -> None:
        from xieyu.directory.home import ACTION, GUARDIAN, register_home_section

        from .evaluation import receivers  # noqa: F401  the fall check after each submitted answer
        from .home import waiting_section

        register_home_section("surveys.waiting", group=ACTION, order=35, provider=waiting_section, audience=GUARDIAN)
