"""The teams API, mounted at /api/v1/teams: one router per subdomain, with the same rules as the pages."""

from __future__ import annotations

from ninja import Router

from .communities.api import router as communities_router
from .dispatch.api import router as dispatch_router
from .hours.api import router as hours_router
from .members.api import router as members_router
from .talent.api import router as talent_router

router = Router()
router.add_router("/", members_router)
router.add_router("/needs", dispatch_router)
router.add_router("/hours", hours_router)
router.add_router("/talent", talent_router)
router.add_router("/communities", communities_router)
