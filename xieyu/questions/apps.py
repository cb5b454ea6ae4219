from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "xieyu.questions"
    label = "questions"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 — connects the escalation alert
