"""The burden API, mounted at /api/v1/burden: one router per subdomain, with the same rules as the pages."""

from __future__ import annotations

from ninja import Router

from .afterschool.api import router as afterschool_router
from .diary.api import router as diary_router
from .reports.api import router as reports_router
from .visits.api import router as visits_router
from .watch.api import router as watch_router

router = Router()
router.add_router("/diary", diary_router)
router.add_router("/watch", watch_router)
router.add_router("/reports", reports_router)
router.add_router("/after-school", afterschool_router)
router.add_router("/visits", visits_router)
