"""Who holds which role where.

A role held over an area applies to every area inside it: an officer for an area committee is an officer for each
of its wards and parishes. A person is also a resident of every area of their verified home postcode.

``has_role`` costs at most two queries per person (their roles, then the ancestors of the area asked about); the
results are kept on the user object, which lives for one request, so repeated checks on a page are free.
"""

from __future__ import annotations

from dataclasses import dataclass

from localpower.accounts.models import STAFF_ROLES, RoleKind

_CACHE_ATTR = "_localpower_roles"
# Deep enough for county -> district -> committee -> ward -> parish -> neighbourhood.
_PARENT_CHAIN = "parent__parent__parent__parent__parent__parent"


@dataclass(frozen=True)
class _Held:
    kind: str
    area_id: int | None
    organisation_id: int | None


class _RoleCache:
    def __init__(self, held: list[_Held]):
        self.held = held
        self.ancestor_ids: dict[int, frozenset[int]] = {}
        self.home_area_ids: frozenset[int] | None = None


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _cache(user) -> _RoleCache:
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        rows = user.roles.values_list("kind", "area_id", "organisation_id")
        cache = _RoleCache([_Held(*row) for row in rows])
        setattr(user, _CACHE_ATTR, cache)
    return cache


def clear_cache(user) -> None:
    """Forget what was loaded for this user (call after granting or revoking a role)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
    if user is not None and hasattr(user, "_home_areas_cache"):
        delattr(user, "_home_areas_cache")


def _area_and_ancestor_ids(cache: _RoleCache, area) -> frozenset[int]:
    if area.pk not in cache.ancestor_ids:
        from localpower.places.models import Area
        from localpower.places.selectors import ancestors

        # One query for the whole chain of parents, then the selector walks it without querying again.
        chained = Area.objects.select_related(_PARENT_CHAIN).filter(pk=area.pk).first() or area
        cache.ancestor_ids[area.pk] = frozenset({area.pk, *(a.pk for a in ancestors(chained))})
    return cache.ancestor_ids[area.pk]


def _home_area_ids(user, cache: _RoleCache) -> frozenset[int]:
    if cache.home_area_ids is None:
        cache.home_area_ids = frozenset(a.pk for a in user.home_areas())
    return cache.home_area_ids


def has_role(user, kind: str, area=None, *, organisation=None) -> bool:
    """Whether ``user`` holds role ``kind``.

    - with ``area``: over that area or any area containing it (residents: also by verified home postcode);
    - with ``organisation``: over that organisation;
    - with neither: over any area (for organisation members: in any organisation).
    """
    return has_any_role(user, [kind], area, organisation=organisation)


def has_any_role(user, kinds, area=None, *, organisation=None) -> bool:
    if not _active(user):
        return False
    kinds = {str(k) for k in kinds}
    cache = _cache(user)
    if organisation is not None:
        return any(h.kind in kinds and h.organisation_id == organisation.pk for h in cache.held)
    if area is None:
        for h in cache.held:
            if h.kind in kinds and (h.area_id is not None or h.kind == RoleKind.ORGANISATION_MEMBER):
                return True
        return RoleKind.RESIDENT in kinds and user.postcode_verified and bool(_home_area_ids(user, cache))
    covering = _area_and_ancestor_ids(cache, area)
    if any(h.kind in kinds and h.area_id in covering for h in cache.held):
        return True
    return RoleKind.RESIDENT in kinds and area.pk in _home_area_ids(user, cache)


def has_staff_role(user) -> bool:
    return has_any_role(user, STAFF_ROLES)


def role_area_ids(user, kinds) -> set[int]:
    """Ids of the areas over which the user directly holds one of ``kinds`` (not the areas inside them)."""
    if not _active(user):
        return set()
    kinds = {str(k) for k in kinds}
    return {h.area_id for h in _cache(user).held if h.kind in kinds and h.area_id is not None}


def covered_area_ids(user, kinds) -> set[int]:
    """Ids of every area where the user holds one of ``kinds``: the role areas and all the areas inside them."""
    from localpower.places.models import Area
    from localpower.places.selectors import descendant_ids

    ids: set[int] = set()
    for area in Area.objects.filter(pk__in=role_area_ids(user, kinds)):
        ids |= set(descendant_ids(area))
    return ids


def organisation_ids(user, kinds) -> set[int]:
    if not _active(user):
        return set()
    kinds = {str(k) for k in kinds}
    return {h.organisation_id for h in _cache(user).held if h.kind in kinds and h.organisation_id is not None}


def lives_in(user, area) -> bool:
    """Whether ``user`` is a verified resident of ``area``: their verified home postcode lies in it (one query),
    or they hold a resident role over it. Every part of the service that asks "residents only" asks this."""
    if not _active(user):
        return False
    from localpower.places.selectors import postcode_within

    if user.postcode_verified and postcode_within(user.home_postcode, area):
        return True
    return has_role(user, RoleKind.RESIDENT, area)
