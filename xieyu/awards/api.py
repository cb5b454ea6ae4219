"""The awards API, mounted at /api/v1/awards: one router per subdomain, with the same rules as the pages."""

from __future__ import annotations

from ninja import Router

from .campaigns.api import router as campaigns_router
from .votes.api import router as votes_router

router = Router()
router.add_router("/", campaigns_router)
router.add_router("/votes", votes_router)
