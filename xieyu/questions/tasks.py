"""Background jobs for questions: thin, each calls a service.

They stay here, at the app's top, rather than in their subdomain: a queued job row names its task by module path,
so a job queued before a deploy still finds its task after it.
"""

from __future__ import annotations

from django_tasks import task

from .topics import services as topic_services


@task()
def topics_mark_held_task() -> int:
    return topic_services.topics_mark_held()
