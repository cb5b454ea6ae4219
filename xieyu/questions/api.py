"""The questions API, mounted at /api/v1/questions: one router per subdomain.

- asking/api.py: ask, my questions, follow up, rate (/questions/…);
- knowledge/api.py: search the knowledge base (/questions/kb/…);
- topics/api.py: topics of my children's schools, propose, vote (/questions/topics…);
- clinics/api.py: clinics, slots, bookings, the expert's outcome and follow-up (/questions/clinics…).
"""

from __future__ import annotations

from ninja import Router

from .asking.api import router as asking_router
from .clinics.api import router as clinics_router
from .knowledge.api import router as knowledge_router
from .topics.api import router as topics_router

router = Router()
router.add_router("", asking_router)
router.add_router("/kb", knowledge_router)
router.add_router("/topics", topics_router)
router.add_router("/clinics", clinics_router)
