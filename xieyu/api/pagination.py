"""Page-number pagination for the API: a count query and a slice query, whatever the list's size."""

from __future__ import annotations

import math
from typing import Any

from ninja import Schema

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


class PageMeta(Schema):
    count: int
    page: int
    page_size: int
    pages: int


def paginate(queryset, page: int, page_size: int) -> tuple[list[Any], dict[str, int]]:
    count = queryset.count()
    items = list(queryset[(page - 1) * page_size : page * page_size]) if count else []
    return items, {"count": count, "page": page, "page_size": page_size, "pages": math.ceil(count / page_size)}
