"""What the diary subdomain connects when the app loads: the hourly sampling job."""

SAMPLING_EVERY_SECONDS = 60 * 60


def connect() -> None:
    from xieyu.core.scheduler import register

    from .tasks import diary_sampling_run

    register("burden.diary_sampling", every=SAMPLING_EVERY_SECONDS, enqueue=diary_sampling_run.enqueue)
