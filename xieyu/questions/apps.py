from django.apps import AppConfig
from django.db.models.signals import post_migrate


class QuestionsConfig(AppConfig):
    name = "xieyu.questions"
    label = "questions"

    def ready(self) -> None:
        # Imported once the app registry is ready (receivers use the models): connects the escalation alert.
        from .asking import receivers  # noqa: F401
        from .knowledge.reindex import rebuild_if_stale

        # After every `migrate`: rebuild the search index if another normalisation built it (knowledge/reindex.py).
        post_migrate.connect(rebuild_if_stale, sender=self, dispatch_uid="questions.search_rebuild_if_stale")
