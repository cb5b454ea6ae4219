"""What the figures subdomain connects when the app loads: the scheduled recomputation of every county's figures."""

REFRESH_EVERY_SECONDS = 15 * 60


def connect() -> None:
    from xieyu.core.scheduler import register

    from .tasks import care_rollups_refresh_all

    register("care.figures", every=REFRESH_EVERY_SECONDS, enqueue=care_rollups_refresh_all.enqueue)
