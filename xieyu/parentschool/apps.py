from django.apps import AppConfig


class ParentschoolConfig(AppConfig):
    name = "xieyu.parentschool"
    label = "parentschool"

    def ready(self) -> None:
        from xieyu.surveys.evaluation.advice import register_advice_provider

        from .advice import course_links
        from .wiring import register_survey_audience

        register_advice_provider("parentschool.courses", course_links)
        register_survey_audience()
