"""Areas: list (filtered, paginated) and one area with the areas around it."""

from __future__ import annotations

import datetime
import re

from django.db.models import Case, IntegerField, Value, When
from ninja import Field, Query, Router, Schema

from localpower.api.errors import ApiError
from localpower.api.pagination import paginate
from localpower.api.schemas import AreaDetail, AreaOut, AreaPage, AreaSummary, ErrorOut
from localpower.places.models import KIND_ORDER, Area, AreaKind

router = Router(tags=["Areas"])

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")
MAX_PAGE = 100_000
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

ERRORS = {404: ErrorOut, 422: ErrorOut}


def find_area(slug: str) -> Area:
    """The area with this slug, or a 404 (also for text that could never be a slug)."""
    area = None
    if SLUG.fullmatch(slug):
        area = Area.objects.select_related("parent").filter(slug=slug).first()
    if area is None:
        raise ApiError(404, "There is no area with that identifier. List the areas at /api/v1/areas.")
    return area


def _kind_rank():
    return Case(
        *[When(kind=kind, then=Value(rank)) for kind, rank in KIND_ORDER.items()],
        default=Value(99),
        output_field=IntegerField(),
    )


class AreaFilters(Schema):
    kind: AreaKind | None = Field(None, description="Only areas of this kind.")
    parent: str | None = Field(
        None, max_length=120, description="Only areas directly inside this area (its slug)."
    )
    within: str | None = Field(
        None, max_length=120, description="Only areas anywhere inside this area (its slug), at any depth."
    )
    on: datetime.date | None = Field(
        None, description="Only areas that exist on this date (YYYY-MM-DD). Default: today."
    )
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Which page, starting at 1.")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="How many areas on a page.")


class OnDate(Schema):
    on: datetime.date | None = Field(
        None, description="The date the areas must exist on (YYYY-MM-DD). Default: today."
    )


@router.get(
    "/areas",
    response={200: AreaPage, **ERRORS},
    url_name="areas",
    operation_id="listAreas",
    summary="List areas",
)
def list_areas(request, filters: Query[AreaFilters]):
    """Areas that exist on a date (today unless `on` is given), largest kind first, then by name."""
    kind, parent, page, page_size = filters.kind, filters.parent, filters.page, filters.page_size
    day = filters.on or datetime.date.today()
    areas = Area.objects.valid_on(day).select_related("parent")
    if kind:
        areas = areas.filter(kind=kind)
    if parent is not None:
        areas = areas.filter(parent=find_area(parent))
    if filters.within is not None:
        from localpower.places.selectors import descendant_ids

        outer = find_area(filters.within)
        areas = areas.filter(pk__in=descendant_ids(outer) - {outer.pk})
    ordered = areas.annotate(kind_rank=_kind_rank()).order_by("kind_rank", "name", "pk")
    return paginate(
        request, ordered, page=page, page_size=page_size, build=lambda a: AreaOut.build(request, a)
    )


@router.get(
    "/areas/{slug}",
    response={200: AreaDetail, **ERRORS},
    url_name="area",
    operation_id="getArea",
    summary="One area, with the areas it is part of and the areas inside it",
)
def get_area(request, slug: str, date: Query[OnDate]):
    """An area, whether or not it still exists, with its ancestors (largest first) and its children."""
    from localpower.places.selectors import ancestors

    area = find_area(slug)
    day = date.on or datetime.date.today()
    children = (
        area.children.valid_on(day).annotate(kind_rank=_kind_rank()).order_by("kind_rank", "name", "pk")
    )
    return {
        **AreaOut.build(request, area),
        "ancestors": [AreaSummary.build(request, a) for a in ancestors(area)],
        "children": [AreaSummary.build(request, a) for a in children],
    }
