from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "xieyu.questions"
    label = "questions"

    def ready(self) -> None:
        # Imported once the app registry is ready (receivers use the models): connects the escalation alert.
        from .asking import receivers  # noqa: F401
