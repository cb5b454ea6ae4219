"""The awards tests' fixtures."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from .votes_fixtures import far_guardian, huang_li, vote_campaign


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def campaign(cast):
    return vote_campaign(cast)


@pytest.fixture
def wife(cast):
    return huang_li(cast)


@pytest.fixture
def neighbour(cast):
    return far_guardian(cast)
