from django.apps import AppConfig
from django.db.models.signals import post_migrate


class QuestionsConfig(AppConfig):
    name = "xieyu.questions"
    label = "questions"

    def ready(self) -> None:
        # Imported once the app registry is ready (receivers use the models): connects the escalation alert.
        from xieyu.directory.home import ACTION, COMING, RECENT, register_home_section
        from xieyu.surveys.evaluation.advice import register_advice_provider

        from . import home
        from .asking import receivers  # noqa: F401
        from .knowledge.advice import knowledge_links
        from .knowledge.reindex import rebuild_if_stale

        # After every `migrate`: rebuild the search index if another normalisation built it (knowledge/reindex.py).
        post_migrate.connect(rebuild_if_stale, sender=self, dispatch_uid="questions.search_rebuild_if_stale")

        register_home_section("questions.to_rate", group=ACTION, order=30, provider=home.to_rate)
        register_home_section("questions.clinic_bookings", group=COMING, order=20, provider=home.clinic_bookings)
        register_home_section("questions.scheduled_topics", group=COMING, order=30, provider=home.scheduled_topics)
        register_home_section("questions.recent_answers", group=RECENT, order=10, provider=home.recent_answers)
        register_advice_provider("questions.knowledge", knowledge_links)
