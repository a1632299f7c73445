"""Writing to the audit log. Every service that changes something calls ``record``."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

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
    entry.save()
    return entry
