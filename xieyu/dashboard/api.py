"""The dashboard API, mounted at /api/v1/dashboard, with the same rules as the pages: the figures at its root, then
one router per subdomain."""

from .figures.api import router
from .leadership.api import router as leadership_router
from .resources.api import router as resources_router

router.add_router("/leadership", leadership_router)
router.add_router("/resources", resources_router)

__all__ = ["router"]
