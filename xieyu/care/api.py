"""The care API, mounted at /api/v1/care: one router per subdomain, with the same rules as the pages."""

from __future__ import annotations

from ninja import Router

from .cases.api import router as cases_router
from .figures.api import router as figures_router
from .referrals.api import router as referrals_router
from .registry.api import router as registry_router
from .rights.api import router as rights_router

router = Router()
router.add_router("/registry", registry_router)
router.add_router("/cases", cases_router)
router.add_router("/referrals", referrals_router)
router.add_router("/rights", rights_router)
router.add_router("/figures", figures_router)
