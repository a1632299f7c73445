"""One way to page a list in the API: the same fields, links and "no such page" error on every list."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet

from localpower.api.errors import ApiError


def page_link(request, page: int) -> str:
    """The same address with ``page`` changed (other query parameters kept, in a stable order)."""
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(request.path + "?" + urlencode(sorted(params.items())))


def paginate(
    request, items: QuerySet | Sequence, *, page: int, page_size: int, build: Callable[[Any], Any]
) -> dict[str, Any]:
    """Page ``page`` of ``items`` (a query set is counted and sliced in the database), each made by ``build``.

    A page past the last is a 404 that says how many pages there are; an empty list has one (empty) page.
    """
    count = items.count() if isinstance(items, QuerySet) else len(items)
    pages = max(1, math.ceil(count / page_size))
    if page > pages:
        raise ApiError(
            404, f"There is no page {page}: there {'is 1 page' if pages == 1 else f'are {pages} pages'}."
        )
    start = (page - 1) * page_size
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": pages,
        "next": page_link(request, page + 1) if page < pages else None,
        "previous": page_link(request, page - 1) if page > 1 else None,
        "items": [build(item) for item in items[start : start + page_size]],
    }
