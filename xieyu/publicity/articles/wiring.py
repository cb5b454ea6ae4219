"""What the articles subdomain connects when the app loads: the minute sweep publishing scheduled articles."""

from __future__ import annotations

PUBLISH_EVERY_SECONDS = 60


def connect() -> None:
    from xieyu.core.scheduler import register

    from .tasks import articles_publish_due_task

    register("publicity.publish_due", every=PUBLISH_EVERY_SECONDS, enqueue=articles_publish_due_task.enqueue)
