"""Reading places: postcode lookups, ancestors, descendants and the area tree.

Other apps call these rather than querying the models directly.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from localpower.places.models import KIND_ORDER, Area, AreaKind, Postcode, valid_on_q
from localpower.places.postcodes import InvalidPostcode, normalise_postcode


def _sort_largest_first(areas: list[Area], depth: dict[int, int]) -> list[Area]:
    return sorted(areas, key=lambda a: (depth.get(a.pk, 0), KIND_ORDER.get(a.kind, 99), a.name))


def ancestors(area: Area) -> list[Area]:
    """The areas ``area`` is part of, largest (the root) first, not including ``area`` itself."""
    chain: list[Area] = []
    seen = {area.pk}
    node = area.parent if area.parent_id else None
    while node is not None and node.pk not in seen:
        chain.append(node)
        seen.add(node.pk)
        node = node.parent if node.parent_id else None
    chain.reverse()
    return chain


def descendant_ids(area: Area | int) -> set[int]:
    """The ids of ``area`` and every area inside it, at any depth and on any date."""
    root = area if isinstance(area, int) else area.pk
    found = {root}
    frontier = {root}
    while frontier:
        frontier = set(Area.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


def find_postcode(postcode: str) -> Postcode | None:
    """The stored postcode for ``postcode`` (any spelling); None when unknown. Raises InvalidPostcode."""
    return Postcode.objects.filter(postcode=normalise_postcode(postcode)).first()


def areas_for_postcode(postcode: str, *, on: datetime.date | None = None) -> list[Area]:
    """Every area the postcode is in on ``on`` (today by default), largest first.

    Includes the ancestors of the areas the postcode is linked to (for example the area committee and district
    of its ward). Raises ``InvalidPostcode`` when the text is not shaped like a postcode; returns ``[]`` for a
    well-formed postcode that we do not know.
    """
    code = normalise_postcode(postcode)
    day = on or datetime.date.today()
    direct = list(
        Area.objects.filter(postcodes__postcode=code)
        .filter(valid_on_q(day))
        .select_related("parent__parent__parent__parent")
        .distinct()
    )
    return _with_ancestors(direct)


# Deepest nesting below an area: district -> committee -> ward -> parish -> neighbourhood (county above).
_MAX_DEPTH = 5


def postcode_within(postcode: str, area: Area, *, on: datetime.date | None = None) -> bool:
    """Whether ``postcode`` lies in ``area`` (directly or in an area inside it) on ``on``, in one query.

    The same answer as ``area in areas_for_postcode(postcode, on=on)``, for hot paths such as casting a ballot
    (plain SQL: building this query with the ORM costs several times running it). Returns False for a badly
    formed or unknown postcode.
    """
    from django.db import connection

    try:
        code = normalise_postcode(postcode)
    except InvalidPostcode:
        return False
    areas, postcodes = Area._meta.db_table, Postcode._meta.db_table
    through = Postcode.areas.through
    link_postcode = through._meta.get_field("postcode").column
    link_area = through._meta.get_field("area").column
    joins = "".join(
        f" LEFT JOIN {areas} a{n} ON a{n}.id = a{n - 1 if n > 1 else ''}.parent_id"
        for n in range(1, _MAX_DEPTH)
    )
    parents = ", ".join(["a.parent_id"] + [f"a{n}.parent_id" for n in range(1, _MAX_DEPTH)])
    day = connection.ops.adapt_datefield_value(on or datetime.date.today())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {postcodes} pc JOIN {through._meta.db_table} pa ON pa.{link_postcode} = pc.id "
            f"JOIN {areas} a ON a.id = pa.{link_area}{joins} "
            "WHERE pc.postcode = %s AND a.valid_from <= %s AND (a.valid_to IS NULL OR a.valid_to >= %s) "
            f"AND %s IN (a.id, {parents}) LIMIT 1",
            [code, day, day, area.pk],
        )
        return cursor.fetchone() is not None


def _with_ancestors(direct: list[Area]) -> list[Area]:
    by_pk: dict[int, Area] = {}
    depth: dict[int, int] = {}
    for area in direct:
        chain = ancestors(area) + [area]
        for index, node in enumerate(chain):
            by_pk.setdefault(node.pk, node)
            depth[node.pk] = max(depth.get(node.pk, 0), index)
    return _sort_largest_first(list(by_pk.values()), depth)


def postcodes_in_area(area: Area) -> list[str]:
    """The postcodes linked to ``area`` or any area inside it, in order."""
    return list(
        Postcode.objects.filter(areas__in=descendant_ids(area))
        .order_by("postcode")
        .values_list("postcode", flat=True)
        .distinct()
    )


@dataclass
class AreaNode:
    """One area in the tree from ``area_tree``, with its children in display order."""

    area: Area
    children: list[AreaNode] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def area_tree(
    on: datetime.date | None = None, *, include_past: bool = False, kind: str | None = None
) -> list[AreaNode]:
    """The areas as a forest of ``AreaNode``, roots first, children by kind then name.

    By default only areas valid on ``on`` (today). With ``include_past`` every area is included, current or not.
    With ``kind`` only areas of that kind are returned, as a flat list of roots.
    """
    queryset = Area.objects.all()
    if not include_past:
        queryset = queryset.filter(valid_on_q(on or datetime.date.today()))
    if kind:
        queryset = queryset.filter(kind=kind)
    areas = list(queryset.order_by("name", "valid_from"))
    nodes = {area.pk: AreaNode(area) for area in areas}
    roots: list[AreaNode] = []
    for area in areas:
        node = nodes[area.pk]
        parent = nodes.get(area.parent_id) if area.parent_id and not kind else None
        (parent.children if parent else roots).append(node)

    def order(node_list: list[AreaNode]) -> None:
        node_list.sort(key=lambda n: (KIND_ORDER.get(n.area.kind, 99), n.area.name, n.area.valid_from))
        for n in node_list:
            order(n.children)

    order(roots)
    return roots


def children_of(area: Area, *, include_past: bool = False, on: datetime.date | None = None) -> list[Area]:
    queryset = area.children.all()
    if not include_past:
        queryset = queryset.filter(valid_on_q(on or datetime.date.today()))
    return sorted(queryset, key=lambda a: (KIND_ORDER.get(a.kind, 99), a.name))


def successors(area: Area, *, on: datetime.date | None = None) -> list[Area]:
    """For an area whose boundaries have ended: the current areas of the same kind that now cover its postcodes."""
    if area.is_valid_on(on):
        return []
    return list(
        Area.objects.filter(valid_on_q(on or datetime.date.today()), kind=area.kind, postcodes__areas=area)
        .exclude(pk=area.pk)
        .distinct()
        .order_by("name")
    )


def area_by_slug(slug: str) -> Area | None:
    return (
        Area.objects.select_related("parent__parent__parent__parent", "boundary_set")
        .filter(slug=slug)
        .first()
    )


def areas_with_code(gss_code: str, *, on: datetime.date | None = None) -> list[Area]:
    queryset = Area.objects.filter(gss_code=gss_code.strip().upper())
    if on is not None:
        queryset = queryset.filter(valid_on_q(on))
    return list(queryset.order_by("-valid_from"))


def kinds_in_use() -> list[tuple[str, str]]:
    """(value, label) of area kinds that have at least one area, largest first."""
    used = set(Area.objects.values_list("kind", flat=True).distinct())
    return [(value, label) for value, label in AreaKind.choices if value in used]


def areas_matching(query: str, *, limit: int = 20) -> list[Area]:
    """Current areas whose name or GSS code contains ``query``."""
    query = query.strip()
    if not query:
        return []
    return list(
        Area.objects.current()
        .filter(Q(name__icontains=query) | Q(gss_code__iexact=query))
        .order_by("name")[:limit]
    )
