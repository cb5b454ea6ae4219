"""What the appraisals subdomain connects when the app loads: the guardian's home section, the committee page's
panel, and the scheduled recomputation of open appraisals' results."""

REFRESH_EVERY_SECONDS = 15 * 60


def connect() -> None:
    from xieyu.committees.panels import register_committee_panel
    from xieyu.core.scheduler import register
    from xieyu.directory.home import ACTION, register_home_section

    from . import home
    from .tasks import appraisal_results_refresh_all

    register_home_section("committees.appraisals", group=ACTION, order=30, provider=home.open_appraisals)
    register_committee_panel("appraisals", order=30, provider=home.committee_panel)
    register("committees.appraisals", every=REFRESH_EVERY_SECONDS, enqueue=appraisal_results_refresh_all.enqueue)
