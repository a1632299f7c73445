"""Every change to people, roles, organisations and API tokens goes through these functions.

Each one validates, writes in a transaction and records what happened in the audit log. Functions acting on
someone else's behalf (``actor``) check the actor's permission themselves and raise ``PermissionDenied``, so a
view that forgot a check cannot grant more than the rules allow.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from localpower.accounts import emails, roles
from localpower.accounts.models import (
    AREA_ROLES,
    ORGANISATION_ROLES,
    ApiToken,
    Organisation,
    PostcodeCheck,
    RoleAssignment,
    RoleKind,
    User,
)
from localpower.accounts.tokens import generate_token, hash_token
from localpower.core import audit

# A person may hold this many active API tokens at once.
MAX_API_TOKENS = 10


# People


def sign_up(*, email: str, display_name: str, password: str, request=None) -> User:
    """Create an account (e-mail not yet verified) and send the verification link."""
    user = _create_account(email=email, display_name=display_name, password=password, request=request)
    emails.send_verification_email(user, request=request)
    return user


@transaction.atomic
def _create_account(*, email: str, display_name: str, password: str, request=None) -> User:
    user = User(email=User.objects.normalise_email(email), display_name=display_name.strip())
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        actor=user, action="accounts.signed_up", target=user, summary="Created an account", request=request
    )
    return user


def resend_verification(*, user: User, request=None) -> None:
    if user.email_verified_at is None:
        emails.send_verification_email(user, request=request)


@transaction.atomic
def verify_email(*, user: User, request=None) -> bool:
    """Mark the e-mail address as verified. Returns False when it already was."""
    if user.email_verified_at is not None:
        return False
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    audit.record(
        actor=user,
        action="accounts.email_verified",
        target=user,
        summary="Verified e-mail address",
        request=request,
    )
    return True


@transaction.atomic
def update_details(*, user: User, display_name: str, request=None) -> User:
    old = user.display_name
    user.display_name = display_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name"])
    if old != user.display_name:
        audit.record(
            actor=user,
            action="accounts.details_changed",
            target=user,
            summary="Changed the name to show",
            changes={"display_name": [old, user.display_name]},
            request=request,
        )
    return user


@transaction.atomic
def change_home_postcode(*, user: User, postcode: str, request=None) -> User:
    """Declare a new home postcode (already normalised). Clears any verification of the old one."""
    old, was_verified = user.home_postcode, user.postcode_verified
    if postcode == old:
        return user
    user.home_postcode = postcode
    user.postcode_verified_at = None
    user.postcode_verified_by = None
    user.postcode_check = ""
    user.full_clean(exclude=["password"])
    user.save(
        update_fields=["home_postcode", "postcode_verified_at", "postcode_verified_by", "postcode_check"]
    )
    roles.clear_cache(user)
    audit.record(
        actor=user,
        action="accounts.postcode_declared",
        target=user,
        summary="Declared a new home postcode" + (" (the verified one was cleared)" if was_verified else ""),
        changes={"home_postcode": [old, postcode], "was_verified": was_verified},
        request=request,
    )
    return user


def _check_can_verify(actor: User, user: User) -> None:
    from localpower.places.selectors import areas_for_postcode

    if actor.pk == user.pk:
        raise ValidationError("You cannot verify your own postcode. Ask a colleague.")
    if not user.home_postcode:
        raise ValidationError("This person has not given a home postcode.")
    areas = areas_for_postcode(user.home_postcode)
    if not any(actor.has_perm("accounts.verify_postcode", area) for area in areas):
        raise PermissionDenied("You cannot verify postcodes in this area.")


def verify_home_postcode(*, actor: User, user: User, check: str, request=None) -> User:
    """Confirm the person lives at their declared postcode, having checked a council record; tell them."""
    user = _verify_home_postcode(actor=actor, user=user, check=check, request=request)
    emails.send_postcode_verified(user, request=request)
    return user


@transaction.atomic
def _verify_home_postcode(*, actor: User, user: User, check: str, request=None) -> User:
    if check not in PostcodeCheck.values:
        raise ValidationError("Choose the record you checked.")
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_can_verify(actor, user)
    if user.postcode_verified:
        raise ValidationError("This postcode is already verified.")
    user.postcode_verified_at = timezone.now()
    user.postcode_verified_by = actor
    user.postcode_check = check
    user.full_clean(exclude=["password"])
    user.save(update_fields=["postcode_verified_at", "postcode_verified_by", "postcode_check"])
    roles.clear_cache(user)
    audit.record(
        actor=actor,
        action="accounts.postcode_verified",
        target=user,
        summary=f"Verified home postcode {user.home_postcode} against the {PostcodeCheck(check).label.lower()}",
        changes={"home_postcode": user.home_postcode, "check": check},
        request=request,
    )
    return user


def reject_home_postcode(*, actor: User, user: User, reason: str, request=None) -> User:
    """The council's records do not show the person at this postcode: clear it and tell them why."""
    postcode = user.home_postcode
    user = _reject_home_postcode(actor=actor, user=user, reason=reason, request=request)
    emails.send_postcode_not_verified(user, postcode=postcode, reason=reason.strip(), request=request)
    return user


@transaction.atomic
def _reject_home_postcode(*, actor: User, user: User, reason: str, request=None) -> User:
    reason = reason.strip()
    if not reason:
        raise ValidationError("Say why the postcode could not be verified.")
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_can_verify(actor, user)
    postcode = user.home_postcode
    user.home_postcode = ""
    user.postcode_verified_at = None
    user.postcode_verified_by = None
    user.postcode_check = ""
    user.save(
        update_fields=["home_postcode", "postcode_verified_at", "postcode_verified_by", "postcode_check"]
    )
    roles.clear_cache(user)
    audit.record(
        actor=actor,
        action="accounts.postcode_rejected",
        target=user,
        summary=f"Could not verify home postcode {postcode}",
        changes={"home_postcode": postcode, "reason": reason},
        request=request,
    )
    return user


# Roles


def _role_label(kind: str, scope) -> str:
    return f"{RoleKind(kind).label} for {scope}"


@transaction.atomic
def grant_role(
    *, actor: User, user: User, kind: str, area=None, organisation: Organisation | None = None, request=None
) -> RoleAssignment:
    """Give ``user`` a role over an area (the actor must manage roles there) or an organisation."""
    if (area is None) == (organisation is None):
        raise ValidationError("Choose either an area or an organisation.")
    if area is not None and actor.pk == user.pk and not actor.is_superuser:
        raise ValidationError("You cannot give yourself a role. Ask another administrator.")
    if area is not None:
        if kind not in AREA_ROLES:
            raise ValidationError("This role cannot be held over an area.")
        if not actor.has_perm("accounts.manage_roles", area):
            raise PermissionDenied("You cannot manage roles in this area.")
    else:
        if kind not in ORGANISATION_ROLES:
            raise ValidationError("This role cannot be held over an organisation.")
        if not actor.has_perm("accounts.manage_organisation", organisation):
            raise PermissionDenied("You cannot manage this organisation's members.")
    scope = area if area is not None else organisation
    role = RoleAssignment(user=user, kind=kind, area=area, organisation=organisation, granted_by=actor)
    role.full_clean()
    role.save()
    roles.clear_cache(user)
    audit.record(
        actor=actor,
        action="accounts.role_granted",
        target=user,
        summary=f"Gave {user.email} the role {_role_label(kind, scope)}",
        changes={
            "kind": kind,
            "area": getattr(area, "pk", None),
            "organisation": getattr(organisation, "pk", None),
        },
        request=request,
    )
    return role


@transaction.atomic
def revoke_role(*, actor: User, role: RoleAssignment, request=None) -> None:
    if role.area_id is not None:
        allowed = actor.has_perm("accounts.manage_roles", role.area)
    else:
        allowed = actor.has_perm("accounts.manage_organisation", role.organisation)
    if not allowed:
        raise PermissionDenied("You cannot remove this role.")
    user, scope, kind = role.user, role.scope, role.kind
    changes = {"kind": kind, "area": role.area_id, "organisation": role.organisation_id}
    role.delete()
    roles.clear_cache(user)
    audit.record(
        actor=actor,
        action="accounts.role_revoked",
        target=user,
        summary=f"Removed the role {_role_label(kind, scope)} from {user.email}",
        changes=changes,
        request=request,
    )


# Organisations


def _unique_slug(name: str) -> str:
    base = slugify(name)[:100] or "organisation"
    slug, number = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def create_organisation(
    *,
    actor: User,
    name: str,
    kind: str,
    area,
    charity_number: str = "",
    company_number: str = "",
    description: str = "",
    website: str = "",
    request=None,
) -> Organisation:
    if not actor.has_perm("accounts.add_organisation"):
        raise PermissionDenied("You cannot add organisations.")
    organisation = Organisation(
        name=name.strip(),
        slug=_unique_slug(name),
        kind=kind,
        area=area,
        charity_number=charity_number,
        company_number=company_number,
        description=description.strip(),
        website=website,
    )
    organisation.full_clean()
    organisation.save()
    audit.record(
        actor=actor,
        action="accounts.organisation_created",
        target=organisation,
        summary=f"Added the organisation {organisation.name}",
        changes={
            "kind": kind,
            "area": area.pk,
            "charity_number": charity_number,
            "company_number": company_number,
        },
        request=request,
    )
    return organisation


@transaction.atomic
def add_organisation_member(
    *, actor: User, organisation: Organisation, user: User, as_admin: bool = False, request=None
) -> RoleAssignment:
    """Add a member (or administrator) to an organisation; an existing member is promoted or demoted."""
    kind = RoleKind.ADMINISTRATOR if as_admin else RoleKind.ORGANISATION_MEMBER
    other = RoleKind.ORGANISATION_MEMBER if as_admin else RoleKind.ADMINISTRATOR
    existing = RoleAssignment.objects.filter(user=user, organisation=organisation, kind=kind).first()
    if existing:
        raise ValidationError(
            f"{user} is already {'an administrator' if as_admin else 'a member'} of {organisation.name}."
        )
    for role in RoleAssignment.objects.filter(user=user, organisation=organisation, kind=other):
        revoke_role(actor=actor, role=role, request=request)
    return grant_role(actor=actor, user=user, kind=kind, organisation=organisation, request=request)


# API tokens


@transaction.atomic
def create_api_token(*, user: User, name: str, request=None) -> tuple[ApiToken, str]:
    """Create a token and return it with the raw secret, which is shown once and never stored."""
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_API_TOKENS:
        raise ValidationError(
            f"You can have up to {MAX_API_TOKENS} tokens. Revoke one you no longer use first."
        )
    raw, prefix = generate_token()
    token = ApiToken(user=user, name=name.strip(), prefix=prefix, token_hash=hash_token(raw))
    token.full_clean()
    token.save()
    audit.record(
        actor=user,
        action="accounts.api_token_created",
        target=token,
        summary=f"Created API token {token}",
        request=request,
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, user: User, token: ApiToken, request=None) -> None:
    if token.user_id != user.pk:
        raise PermissionDenied("This is not your token.")
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=user,
        action="accounts.api_token_revoked",
        target=token,
        summary=f"Revoked API token {token}",
        request=request,
    )
