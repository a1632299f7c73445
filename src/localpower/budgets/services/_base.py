"""Helpers shared by the budgets services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models


def require(actor, perm: str, obj, message: str) -> None:
    """Refuse with ``PermissionDenied(message)`` unless ``actor`` has ``perm`` on ``obj``."""
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def save_clean(obj: models.Model, **kwargs) -> models.Model:
    obj.full_clean(**kwargs)
    obj.save()
    return obj
