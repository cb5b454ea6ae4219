"""The committees API, mounted at /api/v1/committees: one router per subdomain, with the same rules as the pages."""

from __future__ import annotations

from ninja import Router

from .appraisals.api import router as appraisals_router
from .bodies.api import router as bodies_router
from .inquiries.api import router as inquiries_router

router = Router()
router.add_router("/", bodies_router)
router.add_router("/inquiries", inquiries_router)
router.add_router("/appraisals", appraisals_router)
