"""Helpers shared by the budgets services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connections, models, router
from django.db.models.sql import Query


def require(actor, perm: str, obj, message: str) -> None:
    """Refuse with ``PermissionDenied(message)`` unless ``actor`` has ``perm`` on ``obj``."""
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def save_clean(obj: models.Model, **kwargs) -> models.Model:
    obj.full_clean(**kwargs)
    obj.save()
    return obj


def select(model: type[models.Model], where: str, params: list, *, only: tuple[str, ...] = ()) -> list:
    """Instances of ``model`` whose rows match ``where`` (plain SQL, ``%s`` placeholders), as the ORM builds them.

    For the busiest reads (casting a ballot), where building a query with the ORM costs several times running it.
    ``only`` names the fields to load (the primary key is always loaded); the others load on first access, as
    with ``QuerySet.only``. Values pass through the ORM's converters, so dates, times, decimals and JSON read the
    same on every database.
    """
    connection = connections[router.db_for_read(model)]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not only or f.primary_key or f.name in only]
    quote = connection.ops.quote_name
    sql = f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(meta.db_table)} WHERE {where}"
    compiler = Query(model).get_compiler(connection=connection)
    converters = compiler.get_converters([f.get_col(meta.db_table) for f in fields])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:
        rows = compiler.apply_converters(rows, converters)
    names = [f.attname for f in fields]
    return [model.from_db(connection.alias, names, row) for row in rows]


def insert(obj: models.Model) -> None:
    """Write ``obj`` as a new row, as ``obj.save()`` would, without reading its id back (one plain INSERT).

    For the rows of a ballot: fields get their defaults and database values exactly as in ``save()``, but no
    ``pre_save``/``post_save`` signals are sent (none are connected to these models; see ``budgets.signals``)
    and an automatic id is not set on ``obj``.
    """
    model = type(obj)
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.generated and not (f.primary_key and getattr(obj, f.attname) is None)
    ]
    values = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
    obj._state.adding = False
    obj._state.db = connection.alias
