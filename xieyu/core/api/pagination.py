"""Page-number pagination for the API: a count query and a slice query, whatever the list's size.

A page past the end (even ?page=99999999999999999999) answers the last page, and `page` says which one it is; the
database never sees an offset it cannot hold.
"""

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
    pages = math.ceil(count / page_size)
    page = max(1, min(page, pages))
    items = list(queryset[(page - 1) * page_size : page * page_size]) if count else []
    return items, {"count": count, "page": page, "page_size": page_size, "pages": pages}
