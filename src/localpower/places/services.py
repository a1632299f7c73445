"""Changing places. Every write by a person goes through here: checked with full_clean and audited.

(Bulk loads have their own modules: ``importers.onspd`` for ONS files and ``demo`` for the demo borough.)
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.text import slugify

from localpower.core import audit
from localpower.places.models import Area, BoundarySet

EDITABLE_FIELDS = (
    "name",
    "slug",
    "kind",
    "gss_code",
    "parent",
    "boundary_set",
    "valid_from",
    "valid_to",
    "description",
)


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """A web address name for ``name`` that no other area uses: "abbey", then "abbey-2", "abbey-3"..."""
    base = slugify(name)[:110] or "area"
    taken = set(
        Area.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _describe(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Area | BoundarySet):
        return f"{value} (#{value.pk})"
    return str(value)


@transaction.atomic
def create_area(
    *,
    actor,
    name: str,
    kind: str,
    parent: Area | None = None,
    gss_code: str = "",
    slug: str | None = None,
    boundary_set: BoundarySet | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    description: str = "",
    request=None,
) -> Area:
    """Create an area after checking it (nesting, dates, GSS code). Raises ValidationError."""
    area = Area(
        name=name.strip(),
        slug=slug or unique_slug(name),
        kind=kind,
        parent=parent,
        gss_code=gss_code.strip().upper(),
        boundary_set=boundary_set,
        valid_from=valid_from or (boundary_set.valid_from if boundary_set else datetime.date.today()),
        valid_to=valid_to,
        description=description,
    )
    area.full_clean()
    area.save()
    audit.record(
        actor=actor,
        action="places.area_created",
        target=area,
        summary=f"Created {area.get_kind_display().lower()} {area.name}",
        changes={field: _describe(getattr(area, field)) for field in EDITABLE_FIELDS},
        request=request,
    )
    return area


@transaction.atomic
def update_area(*, actor, area: Area, request=None, **changes) -> Area:
    """Change some of ``EDITABLE_FIELDS`` of ``area``. Giving a name clears "needs a name". Raises ValidationError."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_area cannot change {', '.join(sorted(unknown))}")
    area = Area.objects.select_for_update().get(pk=area.pk)
    before = {field: getattr(area, field) for field in changes}
    needed_name = area.needs_name
    for field, value in changes.items():
        setattr(area, field, value.strip() if isinstance(value, str) and field != "description" else value)
    if "name" in changes and area.name:
        area.needs_name = False
    area.full_clean()
    changed = {
        field: [_describe(before[field]), _describe(getattr(area, field))]
        for field in changes
        if before[field] != getattr(area, field)
    }
    confirmed_name = needed_name and not area.needs_name
    if not changed and not confirmed_name:
        return area
    area.save()
    audit.record(
        actor=actor,
        action="places.area_changed",
        target=area,
        summary=f"Changed {', '.join(changed) or 'name confirmed'} of {area.name}",
        changes=changed,
        request=request,
    )
    return area
