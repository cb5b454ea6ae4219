"""The column's API, mounted at /api/v1/column: one router per subdomain, with the same rules as the pages."""

from __future__ import annotations

from ninja import Router

from .articles.api import router as articles_router
from .cases.api import router as cases_router
from .column.api import router as column_router
from .gaokao.api import router as gaokao_router

router = Router()
router.add_router("/", column_router)
router.add_router("/articles", articles_router)
router.add_router("/gaokao", gaokao_router)
router.add_router("/cases", cases_router)
