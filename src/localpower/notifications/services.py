"""Changing a person's notification choices (keyword-only, atomic)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from localpower.notifications.models import AreaFollow, Kind, Preference


@transaction.atomic
def set_preferences(*, user, kinds: set[str], area_ids: set[int] | None = None) -> Preference:
    """Turn each kind of e-mail on (in ``kinds``) or off; with ``area_ids``, follow exactly those areas."""
    preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
    for kind in Kind.values:
        setattr(preference, kind, kind in kinds)
    preference.updated_at = timezone.now()
    preference.full_clean()
    preference.save()
    if area_ids is not None:
        AreaFollow.objects.filter(user=user).exclude(area_id__in=area_ids).delete()
        have = set(AreaFollow.objects.filter(user=user).values_list("area_id", flat=True))
        AreaFollow.objects.bulk_create([AreaFollow(user=user, area_id=pk) for pk in sorted(area_ids - have)])
    return preference


@transaction.atomic
def unsubscribe(*, user, kind: str) -> Preference:
    """Turn one kind of e-mail off (from the link in an e-mail)."""
    preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
    setattr(preference, kind, False)
    preference.updated_at = timezone.now()
    preference.save()
    return preference


@transaction.atomic
def follow_area(*, user, area, follow: bool = True) -> bool:
    """Follow (or stop following) one area; returns whether the person follows it now."""
    if follow:
        AreaFollow.objects.get_or_create(user=user, area=area)
    else:
        AreaFollow.objects.filter(user=user, area=area).delete()
    return follow
