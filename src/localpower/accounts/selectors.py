"""Reading people, roles, organisations and the audit log for pages."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from localpower.accounts import roles
from localpower.accounts.models import ApiToken, Organisation, RoleAssignment, RoleKind, User

VERIFIER_ROLES = (RoleKind.OFFICER, RoleKind.ADMINISTRATOR)


def find_people(query: str) -> QuerySet[User]:
    """People whose e-mail address or name contains ``query`` (any letter case)."""
    query = (query or "").strip()
    people = User.objects.order_by("display_name", "email")
    if not query:
        return people.none()
    return people.filter(Q(email__icontains=query) | Q(display_name__icontains=query))


def roles_of(user: User) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.filter(user=user).select_related("area", "organisation").order_by("kind", "id")
    )


def api_tokens_of(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at"))


def postcode_verifiable_area_ids(actor: User) -> set[int] | None:
    """Ids of the areas whose postcodes ``actor`` may verify; None means every area (superusers)."""
    if actor.is_active and actor.is_superuser:
        return None
    return roles.covered_area_ids(actor, VERIFIER_ROLES)


def pending_postcodes(actor: User) -> QuerySet[User]:
    """People waiting for their home postcode to be verified, in the areas ``actor`` may verify."""
    from localpower.places.models import Postcode

    people = (
        User.objects.filter(is_active=True, postcode_verified_at__isnull=True)
        .exclude(home_postcode="")
        .exclude(pk=actor.pk)  # no one verifies their own postcode
    )
    area_ids = postcode_verifiable_area_ids(actor)
    if area_ids is not None:
        postcodes = Postcode.objects.filter(areas__in=area_ids).values("postcode")
        people = people.filter(home_postcode__in=postcodes)
    return people.order_by("date_joined", "pk")


def manageable_areas(actor: User):
    """Areas in which ``actor`` may grant and remove roles, largest first."""
    from localpower.places.models import KIND_ORDER, Area

    if actor.is_active and actor.is_superuser:
        areas = Area.objects.all()
    else:
        areas = Area.objects.filter(pk__in=roles.covered_area_ids(actor, [RoleKind.ADMINISTRATOR]))
    return sorted(areas, key=lambda a: (KIND_ORDER.get(a.kind, 99), a.name))


def organisations(*, area_ids: set[int] | None = None) -> QuerySet[Organisation]:
    queryset = Organisation.objects.select_related("area").order_by("name")
    if area_ids is not None:
        queryset = queryset.filter(area_id__in=area_ids)
    return queryset


def organisation_members(organisation: Organisation) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-kind", "user__display_name", "user__email")
    )


def audit_entries(
    *,
    actor: str = "",
    action: str = "",
    content_type=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
):
    """Audit entries, newest first, filtered by who (e-mail or part of it), action, object type and dates."""
    from django.utils import timezone

    from localpower.core.models import AuditEntry

    entries = AuditEntry.objects.select_related("content_type").order_by("-created_at", "-id")
    if actor:
        entries = entries.filter(actor_label__icontains=actor.strip())
    if action:
        entries = entries.filter(action=action)
    if content_type is not None:
        entries = entries.filter(content_type=content_type)
    zone = timezone.get_current_timezone()
    if date_from:
        start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=zone)
        entries = entries.filter(created_at__gte=start)
    if date_to:
        end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        entries = entries.filter(created_at__lt=end)
    return entries


def audit_actions() -> list[str]:
    from localpower.core.models import AuditEntry

    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())


def audit_content_types():
    from django.contrib.contenttypes.models import ContentType

    from localpower.core.models import AuditEntry

    ids = AuditEntry.objects.exclude(content_type=None).values("content_type").distinct()
    return ContentType.objects.filter(pk__in=ids).order_by("app_label", "model")
