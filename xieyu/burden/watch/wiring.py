"""What the watch subdomain connects when the app loads: the hourly reconciliation of the rollups and flags."""

RECONCILE_EVERY_SECONDS = 60 * 60


def connect() -> None:
    from xieyu.core.scheduler import register

    from .tasks import burden_rollups_reconcile

    register("burden.rollups", every=RECONCILE_EVERY_SECONDS, enqueue=burden_rollups_reconcile.enqueue)
