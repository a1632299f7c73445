"""Writing to the audit log. Every service that changes something calls ``record``."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router

from localpower.core.models import AuditEntry


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    actor=None,
    action: str,
    target: models.Model | None = None,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    request=None,
) -> AuditEntry:
    """Append one entry. ``actor`` is a user (or None for the system); ``target`` the object acted on."""
    entry = AuditEntry(
        actor_id=getattr(actor, "pk", None),
        actor_label=(actor.get_username() if actor is not None and getattr(actor, "pk", None) else "system")[
            :255
        ],
        action=action,
        summary=summary,
        changes=changes or {},
        ip_address=client_ip(request),
    )
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        entry.object_id = str(target.pk)
        entry.object_repr = str(target)[:255]
    # The content type was just looked up and the database enforces the constraints, so the checks that would
    # query again are skipped: this runs on every ballot cast.
    entry.full_clean(exclude=["content_type"], validate_constraints=False)
    _insert(entry)
    return entry


def _insert(entry: AuditEntry) -> None:
    """``entry.save()`` for a new entry, as one plain INSERT that returns the id.

    Every ballot writes an entry, and the ORM's general insert costs several times this. Fields get their
    defaults and database values as in ``save()``; no ``pre_save``/``post_save`` signals are sent (entries are
    only ever written here, and nothing listens for them).
    """
    connection = connections[router.db_for_write(AuditEntry)]
    quote = connection.ops.quote_name
    meta = AuditEntry._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(entry, add=True), connection) for f in fields]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    returning = connection.features.can_return_columns_from_insert
    if returning:
        returning_sql, returning_params = connection.ops.return_insert_columns([meta.pk])
        sql += " " + returning_sql
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if returning:
            entry.pk = connection.ops.fetch_returned_insert_columns(cursor, returning_params)[0]
        else:
            entry.pk = connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column)
    entry._state.adding = False
    entry._state.db = connection.alias
