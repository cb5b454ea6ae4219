"""The venues API, mounted at /api/v1/venues: one router per subdomain, with the same rules as the pages."""

from __future__ import annotations

from ninja import Router

from .bookings.api import router as bookings_router
from .catalogue.api import router as catalogue_router
from .tours.api import router as tours_router

router = Router()
router.add_router("/", catalogue_router)
router.add_router("/bookings", bookings_router)
router.add_router("/tours", tours_router)
