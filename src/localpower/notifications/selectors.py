"""Who should hear about what."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from localpower.notifications.models import AreaFollow, Kind, Preference


def preference_of(user) -> Preference:
    """The person's choices (unsaved defaults when they have not chosen yet)."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def wants(user, kind: str) -> bool:
    return bool(user.is_active and user.email_verified_at and getattr(preference_of(user), str(kind)))


def followed_area_ids(user) -> set[int]:
    return set(AreaFollow.objects.filter(user=user).values_list("area_id", flat=True))


def audience(area, kind: str) -> QuerySet:
    """Active people with a confirmed e-mail who live in ``area`` (verified home postcode in it or an area
    inside it) or follow ``area`` or an area containing it, and have not turned ``kind`` off."""
    if kind not in Kind.values:
        raise ValueError(f"Unknown kind of e-mail: {kind}")
    from localpower.places.models import Postcode
    from localpower.places.selectors import ancestors, descendant_ids

    User = get_user_model()
    postcodes = Postcode.objects.filter(areas__in=descendant_ids(area)).values("postcode")
    lives_here = Q(postcode_verified_at__isnull=False, home_postcode__in=postcodes)
    follows = Q(area_follows__area_id__in=[area.pk, *(a.pk for a in ancestors(area))])
    turned_off = Preference.objects.filter(**{str(kind): False}).values("user_id")
    return (
        User.objects.filter(lives_here | follows, is_active=True, email_verified_at__isnull=False)
        .exclude(pk__in=turned_off)
        .distinct()
        .order_by("pk")
    )
