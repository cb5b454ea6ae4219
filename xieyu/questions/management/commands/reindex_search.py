"""Rebuild the similar-question search index and the questions' hot-topic keywords (knowledge/reindex.py)."""

from django.core.management.base import BaseCommand

from xieyu.questions.knowledge import reindex


class Command(BaseCommand):
    help = "Rebuild the search index (answered questions, articles) and the hot-topic keywords of recent questions."

    def add_arguments(self, parser):
        parser.add_argument("--if-stale", action="store_true", help="only when another normalisation built it")
        parser.add_argument("--no-keywords", action="store_true", help="leave the hot-topic keywords as they are")

    def handle(self, *args, **options):
        if options["if_stale"] and not reindex.is_stale():
            self.stdout.write("search index up to date")
            return
        counts = reindex.rebuild(keywords=not options["no_keywords"])
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
