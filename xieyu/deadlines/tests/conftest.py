import pytest
from django.utils import translation


@pytest.fixture
def zh():
    """Pages in Chinese, from the committed catalogues."""
    with translation.override("zh-hans"):
        yield
